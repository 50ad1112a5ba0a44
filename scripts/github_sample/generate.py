"""Generate the bundled GitHub sample (``data/01_raw/github_sample``).

Usage, from the repository root (needs only the standard library and git)::

    python scripts/github_sample/generate.py [--out data/01_raw/github_sample]

Every ``repo_*.py`` module beside this file defines ``REPO: RepoSpec``; each is
replayed on a real git repository by ``engine.py`` and written in the format of
``docs/github_snapshot_format.md``. The output is byte-stable: running twice gives
the same files.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DEFAULT_OUT = ROOT / "data" / "01_raw" / "github_sample"

# Content modules import ``spec`` as a sibling module or through the repository root.
for _entry in (str(HERE), str(ROOT)):
    if _entry not in sys.path:
        sys.path.insert(0, _entry)

import engine  # noqa: E402

NOISE_RE = re.compile(
    r"^(?:lgtm|looks good(?: to me)?|thanks|thank you|\+1|nice|ship it|"
    r"👍|🎉|🚀|❤️|💯)[\s!.:👍🎉🚀❤️💯]*$",
    re.IGNORECASE,
)
LOCK_FILES = (
    "poetry.lock",
    "Cargo.lock",
    "go.sum",
    "package-lock.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "uv.lock",
    "Pipfile.lock",
    "gradle.lockfile",
)


def load_specs(folder: Path = HERE) -> list[Any]:
    """Import every ``repo_*.py`` in ``folder`` (sorted by name); return the REPOs."""
    specs = []
    for path in sorted(folder.glob("repo_*.py")):
        name = f"github_sample_{path.stem}"
        module_spec = importlib.util.spec_from_file_location(name, path)
        assert module_spec is not None and module_spec.loader is not None
        module = importlib.util.module_from_spec(module_spec)
        sys.modules[name] = module
        module_spec.loader.exec_module(module)
        if not hasattr(module, "REPO"):
            raise SystemExit(f"{path.name} defines no REPO")
        specs.append(module.REPO)
    return specs


def is_noise(body: str) -> bool:
    return bool(NOISE_RE.match(body.strip()))


def summarize(repos: list[dict[str, Any]]) -> Counter[str]:
    """Counts of the kinds of data the sample is meant to cover."""
    counts: Counter[str] = Counter()
    languages = set()
    for repo in repos:
        counts["repositories"] += 1
        languages.add(repo["repository"]["language"])
        counts["issues"] += len(repo["issues"])
        for record in repo["pulls"]:
            pull = record["pull"]
            counts["pull requests"] += 1
            counts["merged PRs"] += bool(pull["merged"])
            counts["closed unmerged PRs"] += (
                pull["state"] == "closed" and not (pull["merged"])
            )
            counts["PRs linking issues"] += bool(engine.LINK_RE.search(pull["body"]))
            counts["PRs touching a lock file"] += any(
                f["filename"].rsplit("/", 1)[-1] in LOCK_FILES for f in record["files"]
            )
            for f in record["files"]:
                counts["renamed files"] += f["status"] == "renamed"
                counts["removed files"] += f["status"] == "removed"
                counts["binary files"] += "patch" not in f
            for c in record["review_comments"]:
                counts["review comments"] += 1
                counts["bot review comments"] += c["user"]["type"] == "Bot"
                counts["noise review comments"] += is_noise(c["body"])
                counts["replies"] += "in_reply_to_id" in c
                top = "in_reply_to_id" not in c
                counts["outdated comments"] += top and c["line"] is None
                counts["multi-line comments"] += (
                    top and c["original_start_line"] is not None
                )
                counts["LEFT-side comments"] += top and c["side"] == "LEFT"
                counts["suggestions"] += "```suggestion" in c["body"]
            for c in record["issue_comments"]:
                counts["conversation comments"] += 1
                counts["bot conversation comments"] += c["user"]["type"] == "Bot"
                counts["noise conversation comments"] += is_noise(c["body"])
    counts["languages"] = len(languages)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    specs = load_specs()
    if not specs:
        raise SystemExit(f"no repo_*.py modules in {HERE}")
    repos = engine.write_snapshot(specs, args.out)
    counts = summarize(repos)
    languages = sorted({r["repository"]["language"] for r in repos})
    print(f"wrote {args.out}")
    width = max(len(k) for k in counts)
    for key, value in counts.items():
        extra = f" ({', '.join(languages)})" if key == "languages" else ""
        print(f"  {key:<{width}}  {value}{extra}")
    for repo in repos:
        r = repo["repository"]
        merged = sum(1 for p in repo["pulls"] if p["pull"]["merged"])
        comments = sum(len(p["review_comments"]) for p in repo["pulls"])
        print(
            f"  {r['full_name']:<28} {r['language']:<11} "
            f"{len(repo['pulls']):>3} PRs ({merged} merged) {comments:>4} comments"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
