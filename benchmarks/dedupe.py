"""Dedupe throughput and recall on a synthetic corpus built from real texts.

Records are made of three word windows (20 to 60 words each, at random offsets)
cut from the word stream of the project's real review comments
(data/03_primary/filtered_comments) and PR file patches
(data/02_intermediate/pull_diffs), so vocabulary and punctuation are real while the
record count can reach 100k+. Planted duplicates: a share of the records are copies
of another record with about one word in fifty replaced (near, at least one word)
or with whitespace changed (exact). Keys are shuffled, so a copy is as likely to
sort before its original as after.

Same run, same corpus: exact-hash dedupe alone (the baseline, which misses every
near copy), ``deduplicate`` with MinHash LSH, and naive all-pairs Jaccard over the
same word shingles on a subsample, extrapolated quadratically to the full corpus
(what LSH avoids). Recall counts a planted near copy as caught when it or its
original is dropped as a near duplicate of the other.

    python -m benchmarks.dedupe [--records 100000] [--near-rate 0.1]
        [--exact-rate 0.05] [--write docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import time
from pathlib import Path

from benchmarks.report import write_section
from prreview.curate.dedupe import DedupeResult, deduplicate

ROOT = Path(__file__).parents[1]
COMMENTS = ROOT / "data" / "03_primary" / "filtered_comments"
DIFFS = ROOT / "data" / "02_intermediate" / "pull_diffs"
Record = dict[str, str]


def real_texts() -> list[str]:
    """Review comment bodies and per-file patches (run the main job first)."""
    texts = []
    for path in sorted(COMMENTS.glob("*.jsonl")):
        for line in path.read_text().splitlines():
            texts.append(json.loads(line)["body"])
    for path in sorted(DIFFS.glob("*/*.jsonl")):
        for line in path.read_text().splitlines():
            texts.extend(f["patch"] for f in json.loads(line)["files"] if f["patch"])
    if not texts:
        raise SystemExit("no texts: run `kedro run` on the sample first")
    return texts


def _window(words: list[str], rng: random.Random) -> str:
    start, size = rng.randrange(len(words)), rng.randint(20, 60)
    return " ".join(itertools.islice(itertools.cycle(words[start:] + words), size))


def _near_copy(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    for position in rng.sample(range(len(words)), max(1, len(words) // 50)):
        words[position] = f"changed{rng.randrange(10**6)}"
    return " ".join(words)


def corpus(
    count: int, near_rate: float, exact_rate: float, seed: int = 0
) -> tuple[list[Record], list[tuple[str, str]]]:
    """Records and the planted (original key, near copy key) pairs."""
    rng = random.Random(seed)
    words = " ".join(real_texts()).split()
    keys = [f"{index:08d}" for index in range(count)]
    rng.shuffle(keys)
    originals = int(count * (1 - near_rate - exact_rate))
    records = [
        {"key": keys[index], "text": "\n".join(_window(words, rng) for _ in range(3))}
        for index in range(originals)
    ]
    planted = []
    for index in range(originals, count):
        source = records[rng.randrange(originals)]
        if index < originals + int(count * near_rate):
            text = _near_copy(source["text"], rng)
            planted.append((source["key"], keys[index]))
        else:
            text = source["text"].replace(" ", "  ", 3) + "\n"
        records.append({"key": keys[index], "text": text})
    rng.shuffle(records)
    return records, planted


def recall(result: DedupeResult[Record], planted: list[tuple[str, str]]) -> float:
    near = {d.key: d.duplicate_of for d in result.dropped if d.kind == "near"}
    caught = sum(1 for a, b in planted if b in near or near.get(a) == b)
    return caught / len(planted) if planted else 1.0


def timed(records: list[Record], **options: object) -> tuple[float, DedupeResult]:
    started = time.perf_counter()
    result = deduplicate(records, lambda r: r["text"], lambda r: r["key"], **options)
    return time.perf_counter() - started, result


def pairwise_seconds(records: list[Record], sample: int, shingle: int) -> float:
    """All-pairs Jaccard over ``sample`` records, extrapolated to all of them."""
    sets = []
    started = time.perf_counter()
    for record in records[:sample]:
        words = record["text"].lower().split()
        sets.append({tuple(words[i : i + shingle]) for i in range(len(words))})
    for first, second in itertools.combinations(sets, 2):
        _ = len(first & second) / len(first | second) >= 0.8
    seconds = time.perf_counter() - started
    return seconds * (len(records) / sample) ** 2


def measure(count: int, near_rate: float, exact_rate: float) -> str:
    records, planted = corpus(count, near_rate, exact_rate)
    originals = int(count * (1 - near_rate - exact_rate))
    exact_s, exact = timed(records, near=False)
    rows = [("exact hash only (baseline)", exact_s, exact)]
    for num_perm in (128, 64):
        seconds, result = timed(records, num_perm=num_perm, threshold=0.8)
        rows.append((f"exact + MinHash LSH, {num_perm} perms, 0.8", seconds, result))
    sample = 1500
    naive = pairwise_seconds(records, sample, 3)
    lines = [
        f"{count:,} records ({len(planted):,} planted near copies, "
        f"{count - originals - len(planted):,} planted exact copies) of three 20-60 "
        "word windows of real review comments and patches; word 3-shingles, one "
        "process. The naive row is timed on a sample and scaled by (n/sample)^2.",
        "",
        "| path | seconds | records/s | exact dropped | near dropped "
        "| planted near recall | vs exact only |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, seconds, result in rows:
        lines.append(
            f"| {name} | {seconds:.1f} | {count / seconds:,.0f} | {result.exact:,} "
            f"| {result.near:,} | {recall(result, planted):.1%} "
            f"| {exact_s / seconds:.2f}x |"
        )
    lines.append(
        f"| naive all-pairs Jaccard ({sample:,}-record sample, extrapolated) "
        f"| {naive:,.0f} | {count / naive:,.1f} | - | - | - "
        f"| {exact_s / naive:.5f}x |"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--near-rate", type=float, default=0.1)
    parser.add_argument("--exact-rate", type=float, default=0.05)
    parser.add_argument("--write", type=Path, help="update this markdown file")
    args = parser.parse_args()
    table = measure(args.records, args.near_rate, args.exact_rate)
    print(table)
    if args.write:
        write_section(args.write, "dedupe", "Dedupe throughput", table)


if __name__ == "__main__":
    main()
