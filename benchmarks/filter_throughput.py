"""Comments per second through the filter (rules, cached embeddings, classifier) against
a raw ``SentenceTransformer.encode`` of the very texts the filter embeds, in one run,
plus the same filter again with a warm embedding cache.

    python -m benchmarks.filter_throughput [--copies 8] [--write docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd
from sentence_transformers import SentenceTransformer

from benchmarks.report import write_section
from prreview.comments.embed import CachedEncoder, resolve_model
from prreview.github.client import ClientConfig, GitHubClient
from prreview.github.crawl import CrawlPlan, crawl
from prreview.github.decode import decode_repository
from prreview.github.fetch import FetchOptions
from prreview.github.server import ServerConfig, serve_in_thread
from prreview.github.store import IngestStore
from prreview.pipelines.filter.nodes import (
    FilterParams,
    apply_comment_rules,
    classify_comments,
)
from prreview.pipelines.filter_train.nodes import (
    FilterTrainParams,
    prepare_labelled_comments,
    train_comment_classifier,
)
from prreview.schemas import dump_records

ROOT = Path(__file__).parents[1]
SAMPLE = ROOT / "data" / "01_raw" / "github_sample"
LABELS = ROOT / "data" / "01_raw" / "comment_labels.csv"
MODEL = "bundled:all-MiniLM-L6-v2"


def sample_comments(store_root: Path) -> tuple[dict, dict]:
    """The bundled sample's review comments and pull requests, ingested for real."""
    running = serve_in_thread(ServerConfig(snapshot=SAMPLE))
    store = IngestStore(store_root)
    names = [f"{p.stem.replace('__', '/')}" for p in (SAMPLE / "repos").glob("*.json")]
    store.extend_universe([{"full_name": name} for name in sorted(names)])

    async def run() -> None:
        async with GitHubClient(ClientConfig(base_url=running.base_url), "t") as client:
            await crawl(
                client, store, CrawlPlan(repos_per_iteration=100), FetchOptions()
            )

    try:
        asyncio.run(run())
    finally:
        running.stop()
    comments, pulls = {}, {}
    for full_name, status in store.iteration_repos(1):
        if status == "done":
            decoded = decode_repository(store.read_raw(1, full_name), 1)
            comments[full_name] = dump_records(decoded.review_comments)
            pulls[full_name] = dump_records(decoded.pull_requests)
    return comments, pulls


def replicate(comments: dict, pulls: dict, copies: int) -> tuple[dict, dict]:
    """``copies`` iterations of the sample, each body made unique so nothing repeats."""
    many_comments, many_pulls = {}, {}
    for copy in range(copies):
        for name, rows in comments.items():
            key = f"iter_{copy + 1:04d}/{name.replace('/', '__')}"
            many_comments[key] = [
                {
                    **row,
                    "id": row["id"] + copy * 10**8,
                    "iteration": copy + 1,
                    "body": f"{row['body']}\n\n(revision {copy})",
                }
                for row in rows
            ]
            many_pulls[key] = pulls[name]
    return many_comments, many_pulls


def run_filter(comments: dict, pulls: dict, encoder: CachedEncoder, model) -> tuple:
    params = FilterParams()
    started = time.perf_counter()
    candidates, counts = apply_comment_rules(comments, pulls, params)
    kept, report = classify_comments(candidates, counts, encoder, model, params)
    return time.perf_counter() - started, candidates, report


def _candidate_texts(comments: dict, pulls: dict) -> list[str]:
    candidates, _ = apply_comment_rules(comments, pulls, FilterParams())
    return [row["body"] for rows in candidates.values() for row in rows]


def measure(copies: int, repeats: int) -> str:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        comments, pulls = replicate(*sample_comments(tmp / "ingest"), copies)
        training_encoder = CachedEncoder(MODEL, tmp / "train.sqlite", progress=False)
        labelled = prepare_labelled_comments(pd.read_csv(LABELS))
        model, _, _ = train_comment_classifier(
            labelled, training_encoder, FilterTrainParams()
        )
        raw_model = SentenceTransformer(resolve_model(MODEL), device="cpu")
        raw_model.encode(["warm up"])
        texts = _candidate_texts(comments, pulls)
        raw_times, cold_times = [], []
        for repeat in range(repeats):
            # Alternate which goes first so drift on a busy machine hits both.
            encoder = CachedEncoder(
                MODEL, tmp / f"filter-{repeat}.sqlite", progress=False
            )
            encoder.model.encode(["warm up"])  # load and warm up outside the timing
            steps = ["raw", "cold"] if repeat % 2 == 0 else ["cold", "raw"]
            for step in steps:
                if step == "cold":
                    cold, _, report = run_filter(comments, pulls, encoder, model)
                    cold_times.append(cold)
                else:
                    started = time.perf_counter()
                    raw_model.encode(texts, batch_size=64, normalize_embeddings=True)
                    raw_times.append(time.perf_counter() - started)
        raw, cold = statistics.median(raw_times), statistics.median(cold_times)
        warm_encoder = CachedEncoder(MODEL, tmp / "filter-0.sqlite", progress=False)
        warm, _, _ = run_filter(comments, pulls, warm_encoder, model)
    total = report["totals"]["in"]
    embedded = len(texts)
    lines = [
        f"{total} review comments (the sample's {total // copies}, {copies} times with "
        f"unique bodies); the rules leave {embedded} to embed and classify. "
        f"all-MiniLM-L6-v2 on 2 CPU cores, batch 64, same run; median of {repeats} "
        "alternating repeats (the warm rerun: one).",
        "",
        "| run | seconds | comments/s | embedded texts/s | vs raw encode |",
        "|---|---:|---:|---:|---:|",
        f"| raw `SentenceTransformer.encode` of the {embedded} texts | {raw:.2f} | "
        f"- | {embedded / raw:.0f} | 1.00x |",
        f"| filter, cold cache (rules + embed + classify + report) | {cold:.2f} | "
        f"{total / cold:.0f} | {embedded / cold:.0f} | {raw / cold:.2f}x "
        f"(overhead {cold / raw - 1:+.1%}) |",
        f"| filter, warm cache (rerun) | {warm:.2f} | {total / warm:.0f} | "
        f"{embedded / warm:.0f} | {raw / warm:.1f}x |",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--write", type=Path, default=None)
    args = parser.parse_args()
    body = measure(args.copies, args.repeats)
    print(body)
    if args.write:
        write_section(
            args.write,
            "filter_throughput",
            "Filter: comments per second (`benchmarks/filter_throughput.py`)",
            body,
        )


if __name__ == "__main__":
    main()
