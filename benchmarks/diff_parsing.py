"""Diff parsing throughput: unidiff's PatchSet alone (baseline) against what codediff
does with the same bytes: ``split_diff`` (unidiff for the headers, the patch text
sliced byte for byte into GitHub-style FilePatches) and ``parse_patch`` (typed hunks
with old and new line numbers, which anchoring reads). Same run, same input: the
unified diffs of the PRs that ingest wrote to data/02_intermediate/pull_diffs (run
the main job first), repeated until each measurement takes about a second.

    python -m benchmarks.diff_parsing [--seconds 1.0] [--write docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from unidiff import PatchSet

from benchmarks.report import write_section
from prreview.diffs.hunks import parse_patch
from prreview.diffs.patches import split_diff

ROOT = Path(__file__).parents[1]
PULL_DIFFS = ROOT / "data" / "02_intermediate" / "pull_diffs"


def load_diffs(folder: Path = PULL_DIFFS) -> list[str]:
    diffs = [
        row["diff"]
        for path in sorted(folder.glob("*/*.jsonl"))
        for line in path.read_text().splitlines()
        if (row := json.loads(line)).get("diff")
    ]
    if not diffs:
        raise SystemExit(f"no PR diffs under {folder}: run `make run` first")
    return diffs


def rate(work: Callable[[], object], megabytes: float, seconds: float) -> float:
    """MB/s: the median of five timings of as many repeats as fit in ``seconds``."""
    started = time.perf_counter()
    work()
    once = max(time.perf_counter() - started, 1e-6)
    repeats = max(1, int(seconds / once / 5))
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(repeats):
            work()
        timings.append((time.perf_counter() - started) / repeats)
    return megabytes / statistics.median(timings)


def measure(seconds: float) -> str:
    diffs = load_diffs()
    megabytes = sum(len(d.encode()) for d in diffs) / 1e6
    patches = [f.patch for d in diffs for f in split_diff(d) if f.patch]

    def unidiff_alone() -> None:
        for diff in diffs:
            PatchSet(diff)

    def split_only() -> None:
        for diff in diffs:
            split_diff(diff)

    def hunks_only() -> None:
        for patch in patches:
            parse_patch(patch)

    def split_and_hunks() -> None:
        for diff in diffs:
            for file in split_diff(diff):
                parse_patch(file.patch)

    baseline = rate(unidiff_alone, megabytes, seconds)
    rows = [
        ("unidiff `PatchSet` alone (baseline)", baseline),
        (
            "`split_diff` (unidiff + byte-exact FilePatches)",
            rate(split_only, megabytes, seconds),
        ),
        (
            "`parse_patch` over the per-file patches",
            rate(hunks_only, megabytes, seconds),
        ),
        ("`split_diff` then `parse_patch`", rate(split_and_hunks, megabytes, seconds)),
    ]
    lines = [
        f"{len(diffs)} PR diffs of the bundled sample ({megabytes * 1000:.0f} KB, "
        f"{len(patches)} file patches), median of five timings, 1 CPU core.",
        "",
        "| parser | MB/s | vs unidiff |",
        "|---|---:|---:|",
        *(
            f"| {name} | {value:.2f} | {value / baseline:.2f}x |"
            for name, value in rows
        ),
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1.0)
    parser.add_argument("--write", type=Path, help="update this markdown file")
    args = parser.parse_args()
    table = measure(args.seconds)
    print(table)  # noqa: T201
    if args.write:
        write_section(args.write, "diff_parsing", "Diff parsing", table)


if __name__ == "__main__":
    main()
