"""``prreview review PATCH``: review a diff from the command line, offline.

Reads a unified diff (a file, ``-`` for stdin, or ``--pr OWNER/REPO#N`` from the
ingested data), asks the model for each file's
review with the prompt the model was trained on, checks every comment against the
diff, and prints JSON: the comments per file with how each reply was read, or
(``--format github``) the body of GitHub's create-review request. The model is the
bundled SmolLM2 (materialized on first use), any saved model folder, with a
trained adapter (``--adapter``), or an OpenAI-compatible endpoint (``--base-url``).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
from pathlib import Path
from typing import Any, TextIO

from prreview.diffs.critique import excerpt
from prreview.diffs.hunks import HunkParseError
from prreview.diffs.patches import DiffParseError

PROJECT_MODEL = Path("data/06_models/smollm2-135m-instruct")
USER_MODEL = Path.home() / ".cache" / "prreview" / "smollm2-135m-instruct"
CLASSIFIER = Path("data/06_models/comment_classifier.pkl")
INGESTED = Path("data/02_intermediate")
GUIDELINES = Path("data/01_raw/repository_guidelines")


def parser() -> argparse.ArgumentParser:
    cli = argparse.ArgumentParser(
        prog="prreview review",
        description="Review a unified diff with the review model; prints JSON.",
    )
    source = cli.add_mutually_exclusive_group(required=True)
    source.add_argument("patch", nargs="?", help="a unified diff file, or - for stdin")
    source.add_argument(
        "--pr", help="OWNER/REPO#N: a pull request the ingest pipeline fetched"
    )
    cli.add_argument(
        "--ingested",
        type=Path,
        default=INGESTED,
        help=f"where ingest wrote its partitions (default {INGESTED})",
    )
    model = cli.add_argument_group("model")
    model.add_argument(
        "--model",
        help="a saved transformers model folder or hub id (default: the bundled "
        f"SmolLM2, materialized in {PROJECT_MODEL} or {USER_MODEL})",
    )
    model.add_argument("--adapter", type=Path, help="a LoRA adapter folder to merge")
    model.add_argument("--base-url", help="an OpenAI-compatible endpoint instead")
    model.add_argument("--api-model", default="gpt-4o-mini", help="with --base-url")
    model.add_argument(
        "--api-key-env", default="OPENAI_API_KEY", help="variable holding the key"
    )
    model.add_argument("--max-tokens", type=int, default=256)
    model.add_argument("--temperature", type=float, default=0.0)
    model.add_argument("--cache", type=Path, help="an SQLite file caching replies")
    context = cli.add_argument_group("what the reviewer is told")
    context.add_argument("--repo", default="", help="owner/name")
    context.add_argument("--title", default="", help="the pull request's title")
    context.add_argument("--description", default="", help="its description")
    context.add_argument("--guidelines", type=Path, help="a contributing guide")
    ranking = cli.add_argument_group("ranking by the filter's classifier")
    ranking.add_argument("--rank", action="store_true")
    ranking.add_argument("--classifier", type=Path, default=CLASSIFIER)
    ranking.add_argument("--top-k", type=int, default=3)
    ranking.add_argument("--min-score", type=float, default=0.0)
    output = cli.add_argument_group("output")
    output.add_argument("--format", choices=("json", "github"), default="json")
    output.add_argument("--commit-id", help="the head SHA, for --format github")
    return cli


def _read_patch(source: str, stdin: TextIO) -> str:
    if source == "-":
        return stdin.read()
    return Path(source).read_text(encoding="utf-8", errors="replace")


def ingested_pull_request(reference: str, ingested: Path) -> tuple[Any, Any]:
    """The newest ingested diff and pull request of ``OWNER/REPO#N``."""
    from prreview.datasets import JSONLinesDataset  # noqa: PLC0415
    from prreview.partitions import latest_records  # noqa: PLC0415
    from prreview.schemas import PullDiff, PullRequest  # noqa: PLC0415

    repo, _, number = reference.partition("#")
    if repo.count("/") != 1 or not number.isdigit():
        raise ValueError(f"--pr wants OWNER/REPO#N, not {reference!r}")
    name = repo.replace("/", "__") + ".jsonl"

    def newest(kind: str, model: type, number_field: str) -> Any:
        partitions = {
            path.parent.name: JSONLinesDataset(str(path)).load
            for path in sorted((ingested / kind).glob(f"*/{name}"))
        }
        found = latest_records(
            model, partitions, lambda r: (r.repo, getattr(r, number_field))
        )
        key = (repo, int(number))
        if key not in found:
            raise FileNotFoundError(f"{reference} is not in {ingested / kind}")
        return found[key]

    pull = newest("pull_requests", PullRequest, "number")
    return newest("pull_diffs", PullDiff, "pr_number"), pull


def _contexts(args: argparse.Namespace, stdin: TextIO) -> tuple[list[Any], str | None]:
    """The review prompts, and the head commit when the PR names it."""
    from prreview.review.inference import (  # noqa: PLC0415
        contexts_from_diff,
        contexts_from_files,
    )

    guidelines = ""
    if args.guidelines:
        guidelines = excerpt(args.guidelines.read_text(encoding="utf-8"), 600)
    if args.pr is None:
        diff = _read_patch(args.patch, stdin)
        if "diff --git " not in diff:
            raise DiffParseError(
                "no 'diff --git' file header (use git diff or git show)"
            )
        contexts = contexts_from_diff(
            diff,
            repo=args.repo,
            pr_title=args.title,
            pr_description=excerpt(args.description, 600),
            guidelines=guidelines,
        )
        return contexts, None
    diff, pull = ingested_pull_request(args.pr, args.ingested)
    guide = GUIDELINES / f"{pull.repo.replace('/', '__')}.md"
    if not guidelines and guide.is_file():
        guidelines = excerpt(guide.read_text(encoding="utf-8"), 600)
    contexts = contexts_from_files(
        diff.files,
        repo=pull.repo,
        pr_title=args.title or pull.title,
        pr_description=excerpt(args.description or pull.body, 600),
        guidelines=guidelines,
    )
    return contexts, diff.head_sha


def _backend(args: argparse.Namespace) -> Any:
    from prreview.llm.backends import LocalChatBackend  # noqa: PLC0415
    from prreview.llm.client import ChatClient  # noqa: PLC0415

    if args.base_url:
        return ChatClient(
            args.base_url,
            os.environ.get(args.api_key_env) or "none",
            args.api_model,
            cache_path=args.cache,
        )
    bundled = args.model is None
    model = args.model or (
        PROJECT_MODEL if (PROJECT_MODEL / "config.json").is_file() else USER_MODEL
    )
    return LocalChatBackend(
        model,
        materialize=bundled,
        adapter_dir=args.adapter,
        cache_path=args.cache,
    )


def load_classifier(path: Path) -> Any:
    """A pickled classifier, or the newest version in a Kedro versioned folder."""
    if path.is_dir():
        versions = sorted(p for p in path.iterdir() if (p / path.name).is_file())
        if not versions:
            raise FileNotFoundError(f"no classifier version in {path}")
        path = versions[-1] / path.name
    with path.open("rb") as handle:
        return pickle.load(handle)  # noqa: S301 - the project's own model file


def run(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    from prreview.review.inference import (  # noqa: PLC0415
        GenerationSettings,
        github_review_request,
        prompt_for,
        review_counts,
        review_prompts,
    )

    contexts, head_sha = _contexts(args, stdin)
    backend = _backend(args)
    try:
        reviews = review_prompts(
            backend,
            [prompt_for(context) for context in contexts],
            GenerationSettings(args.max_tokens, args.temperature),
        )
    finally:
        backend.close()
    if args.rank:
        from prreview.comments.embed import CachedEncoder  # noqa: PLC0415
        from prreview.review.rank import classifier_scorer, rank_reviews  # noqa: PLC0415

        classifier = load_classifier(args.classifier)
        encoder = CachedEncoder(classifier.embedding_model, progress=False)
        keep = [c for c in classifier.classes if c != "other"]
        reviews = rank_reviews(
            reviews,
            classifier_scorer(classifier, encoder, keep),
            top_k=args.top_k,
            min_score=args.min_score,
        )
    if args.format == "github":
        result: dict[str, Any] = github_review_request(
            reviews, commit_id=args.commit_id or head_sha
        )
    else:
        result = {
            "model": backend.model,
            "files": [review.to_dict() for review in reviews],
            "counts": review_counts(reviews),
        }
    json.dump(result, stdout, indent=2, ensure_ascii=False)
    stdout.write("\n")
    return 0


def main(
    argv: list[str] | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
) -> int:
    args = parser().parse_args(argv)
    try:
        return run(args, stdin or sys.stdin, stdout or sys.stdout)
    except (DiffParseError, HunkParseError) as error:
        sys.stderr.write(f"prreview review: not a unified diff: {error}\n")
        return 2
    except (OSError, ValueError) as error:  # a missing file or model, a bad --pr
        sys.stderr.write(f"prreview review: {error}\n")
        return 1
