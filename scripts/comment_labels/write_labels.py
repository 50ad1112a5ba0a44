"""Write the hand-labelled review comments to ``data/01_raw/comment_labels.csv``.

Usage, from the repository root (standard library only)::

    python scripts/comment_labels/write_labels.py [--out PATH]

The rows are written by hand in the ``rows_*.py`` modules beside this file, one
module per language; each defines ``REPOS`` (repository → main language) and
``ROWS``, a list of ``(id, repo, category, body, diff_hunk)`` tuples. This script
checks them, sorts them by id and writes an RFC 4180 CSV (UTF-8, CRLF record
separators, minimal quoting) with the header
``id,repo,language,category,body,diff_hunk``. The output is byte-stable.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import io
from collections import Counter
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DEFAULT_OUT = ROOT / "data" / "01_raw" / "comment_labels.csv"

HEADER = ("id", "repo", "language", "category", "body", "diff_hunk")
CATEGORIES = (
    "functional_defect",
    "refactoring_design",
    "documentation",
    "style_nit",
    "question_discussion",
    "praise_noise",
)
ROW_MODULES = (
    "rows_python",
    "rows_java",
    "rows_go",
    "rows_rust",
    "rows_typescript",
    "rows_javascript",
    "rows_cpp",
)
# Repositories of the bundled GitHub sample (data/01_raw/github_sample): the labels
# must not overlap with the data the classifier is later applied to in tests.
SAMPLE_REPOS = frozenset(
    {
        "pyshelf/shelfdb",
        "tidewave/tidewave",
        "ferrous-labs/rivet",
        "kettle-io/kettle",
        "northwind-oss/ledger-core",
        "paperkite/paperkite-ui",
        "sprout-js/sprout-router",
        "quarry-rs/quarry",
        "oldguard/legacy-utils",
    }
)


def _load_module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        f"comment_labels_{name}", HERE / f"{name}.py"
    )
    if spec is None or spec.loader is None:  # pragma: no cover - file is missing
        raise ImportError(f"cannot load {name}.py from {HERE}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_rows() -> list[dict[str, str | int]]:
    """All labelled rows, checked and sorted by id."""
    rows: list[dict[str, str | int]] = []
    seen: set[int] = set()
    for name in ROW_MODULES:
        module = _load_module(name)
        repos: dict[str, str] = module.REPOS
        for row_id, repo, category, raw_body, raw_hunk in module.ROWS:
            where = f"{name}.py, id {row_id}"
            if not isinstance(row_id, int) or row_id in seen:
                raise ValueError(f"{where}: id must be a unique integer")
            seen.add(row_id)
            if repo not in repos:
                raise ValueError(f"{where}: repository {repo!r} not in REPOS")
            if repo in SAMPLE_REPOS:
                raise ValueError(f"{where}: {repo!r} belongs to the GitHub sample")
            if category not in CATEGORIES:
                raise ValueError(f"{where}: unknown category {category!r}")
            body = raw_body.rstrip("\n")
            hunk = raw_hunk.rstrip("\n")
            if not body.strip():
                raise ValueError(f"{where}: empty body")
            if hunk and not hunk.startswith("@@ "):
                raise ValueError(f"{where}: diff hunk must start with '@@ '")
            rows.append(
                {
                    "id": row_id,
                    "repo": repo,
                    "language": repos[repo],
                    "category": category,
                    "body": body,
                    "diff_hunk": hunk,
                }
            )
    rows.sort(key=lambda row: row["id"])
    return rows


def render_csv(rows: list[dict[str, str | int]]) -> bytes:
    """The CSV file's bytes for ``rows``."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=HEADER, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def write_csv(path: Path = DEFAULT_OUT) -> int:
    """Write the labelled comments to ``path``; returns the number of rows."""
    rows = load_rows()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render_csv(rows))
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="CSV to write")
    args = parser.parse_args(argv)
    count = write_csv(args.out)
    rows = load_rows()
    print(f"wrote {count} rows to {args.out}")
    for field in ("category", "language"):
        counts = Counter(str(row[field]) for row in rows)
        summary = ", ".join(f"{k}={v}" for k, v in sorted(counts.items()))
        print(f"  {field}: {summary}")
    print(f"  repositories: {len({row['repo'] for row in rows})}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
