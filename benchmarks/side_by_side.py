"""summarize and codediff side by side: the same kept comments through summarize,
codediff and critique with Kedro's SequentialRunner (one node after the other) and
with ThreadRunner (independent nodes at once), against each of summarize and
codediff alone. The summarizer talks to an OpenAI-compatible endpoint on 127.0.0.1
that answers each request after a fixed latency, as a remote API does; its cache is
off so every run pays the same. Inputs are what the main job wrote in data/ (kept
comments, PR diffs and PRs: run `make run` first).

    python -m benchmarks.side_by_side [--latency 0.05] [--concurrency 8]
        [--repeats 3] [--write docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import time
from pathlib import Path

import yaml
from kedro.io import DataCatalog, MemoryDataset
from kedro.pipeline import Pipeline
from kedro.runner import AbstractRunner, SequentialRunner, ThreadRunner

from benchmarks.report import write_section
from benchmarks.summarize_throughput import FixedLatency
from prreview.datasets import TextFolderDataset
from prreview.llm.client import ChatClient
from prreview.llm.server import RunningServer, ServerConfig, serve_in_thread
from prreview.pipelines.codediff import create_pipeline as codediff_pipeline
from prreview.pipelines.codediff.nodes import CodediffParams
from prreview.pipelines.critique import create_pipeline as critique_pipeline
from prreview.pipelines.critique.nodes import CritiqueParams
from prreview.pipelines.summarize import create_pipeline as summarize_pipeline
from prreview.pipelines.summarize.nodes import SummarizeParams

ROOT = Path(__file__).parents[1]
DATA = ROOT / "data"


def partitions(folder: Path) -> dict[str, list[dict]]:
    found = {
        path.stem: [json.loads(line) for line in path.read_text().splitlines()]
        for path in sorted(folder.glob("*.jsonl"))
    }
    found |= {
        f"{path.parent.name}/{path.stem}": [
            json.loads(line) for line in path.read_text().splitlines()
        ]
        for path in sorted(folder.glob("*/*.jsonl"))
    }
    if not found:
        raise SystemExit(f"nothing under {folder}: run `make run` first")
    return found


def inputs() -> dict[str, object]:
    conf = ROOT / "conf" / "base"
    return {
        "filtered_comments": partitions(DATA / "03_primary" / "filtered_comments"),
        "pull_diffs": partitions(DATA / "02_intermediate" / "pull_diffs"),
        "all_pull_requests": partitions(DATA / "02_intermediate" / "pull_requests"),
        "repository_guidelines": TextFolderDataset(
            str(DATA / "01_raw" / "repository_guidelines")
        ).load(),
        "summarize_prompt": yaml.safe_load(
            (conf / "prompts" / "summarize_comment.yml").read_text()
        ),
        "params:summarize": SummarizeParams(),
        "params:codediff": CodediffParams(),
        "params:critique": CritiqueParams(),
    }


def timed(
    pipeline: Pipeline,
    runner: AbstractRunner,
    server: RunningServer,
    data: dict[str, object],
    concurrency: int,
) -> float:
    client = ChatClient(server.base_url, None, "latency", concurrency=concurrency)
    catalog = DataCatalog(
        {name: MemoryDataset(value, copy_mode="assign") for name, value in data.items()}
        | {"summarizer": MemoryDataset(client, copy_mode="assign")}
    )
    started = time.perf_counter()
    runner.run(pipeline, catalog)
    return time.perf_counter() - started


def measure(latency_s: float, concurrency: int, repeats: int) -> str:
    data = inputs()
    summarize, codediff, critique = (
        summarize_pipeline(),
        codediff_pipeline(),
        critique_pipeline(),
    )
    both = Pipeline([summarize, codediff, critique])
    config = ServerConfig(
        backend=FixedLatency(latency_s),
        model_name="latency",
        batch_window_s=0.0,
        max_batch_size=1,
        parallel_batches=concurrency,
    )
    cases = [
        ("summarize alone", summarize, SequentialRunner),
        ("codediff alone", codediff, SequentialRunner),
        ("critique alone (after both)", None, SequentialRunner),
        ("all three, SequentialRunner (baseline)", both, SequentialRunner),
        ("all three, ThreadRunner", both, ThreadRunner),
    ]
    seconds: dict[str, list[float]] = {name: [] for name, _, _ in cases}
    with serve_in_thread(config) as server:
        for _ in range(repeats):
            for name, pipeline, runner in cases:
                if pipeline is None:  # critique needs the two outputs first
                    catalog_data = dict(data)
                    prepared = _outputs(Pipeline([summarize, codediff]), server, data)
                    catalog_data.update(prepared)
                    seconds[name].append(
                        timed(critique, runner(), server, catalog_data, concurrency)
                    )
                    continue
                seconds[name].append(
                    timed(pipeline, runner(), server, data, concurrency)
                )
    median = {name: statistics.median(values) for name, values in seconds.items()}
    baseline = median["all three, SequentialRunner (baseline)"]
    slower = max(median["summarize alone"], median["codediff alone"])
    floor = slower + median["critique alone (after both)"]
    comments = sum(len(rows) for rows in data["filtered_comments"].values())  # type: ignore[union-attr]
    lines = [
        f"{comments} kept comments of the bundled sample; summarizer endpoint on "
        f"127.0.0.1 answering each request after {latency_s * 1000:.0f} ms, "
        f"{concurrency} in flight, no cache; median of {repeats} runs, 2 CPU cores. "
        f"The floor for running side by side is the slower of summarize and codediff "
        f"plus critique: {floor:.2f} s.",
        "",
        "| run | seconds | vs sequential |",
        "|---|---:|---:|",
        *(
            f"| {name} | {value:.2f} | {baseline / value:.2f}x |"
            for name, value in median.items()
        ),
        "",
        f"ThreadRunner takes {median['all three, ThreadRunner'] / floor:.2f}x the "
        f"floor and {median['all three, ThreadRunner'] / baseline:.2f}x the "
        "sequential time. codediff is a small share of the work here, so there is "
        "little to overlap; the saving grows with its share.",
    ]
    return "\n".join(lines)


def _outputs(
    pipeline: Pipeline, server: RunningServer, data: dict[str, object]
) -> dict[str, object]:
    client = ChatClient(server.base_url, None, "latency", concurrency=8)
    catalog = DataCatalog(
        {name: MemoryDataset(value, copy_mode="assign") for name, value in data.items()}
        | {
            "summarizer": MemoryDataset(client, copy_mode="assign"),
            "comment_summaries": MemoryDataset(copy_mode="assign"),
            "codediff_files": MemoryDataset(copy_mode="assign"),
        }
    )
    SequentialRunner().run(pipeline, catalog)
    return {
        "comment_summaries": catalog.load("comment_summaries"),
        "codediff_files": catalog.load("codediff_files"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--write", type=Path, help="update this markdown file")
    args = parser.parse_args()
    logging.disable(logging.INFO)
    table = measure(args.latency, args.concurrency, args.repeats)
    print(table)  # noqa: T201
    if args.write:
        write_section(
            args.write, "side_by_side", "summarize and codediff side by side", table
        )


if __name__ == "__main__":
    main()
