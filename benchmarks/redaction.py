"""Redaction: what it catches, what it wrongly flags in ordinary code, how fast.

(1) Catch rate per kind on the planted corpus in tests/curate/redaction_corpus.
(2) Wrong flags: every .py file under src/ and tests/ (the corpus and its test
excluded) and the review comment bodies in data/03_primary/filtered_comments, none
of which holds a real secret (four test modules plant fake ``ghp_`` tokens, which
are right to flag), so the rest are false positives; detect-secrets' own
``scan_file`` with its default plugins and filters runs over the same .py files for
comparison. (3) Records per second through ``Redactor.redact_value`` on synthetic
SFT records built from the real review comments and diff lines, one in 100 with a
planted secret; the baseline, detect-secrets' ``scan_line`` on every line, is timed
on a subsample and extrapolated per record.

    python -m benchmarks.redaction [--records 100000] [--write docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from detect_secrets.core.scan import scan_file, scan_line
from detect_secrets.settings import default_settings

from benchmarks.report import write_section
from prreview.curate.redact import Redactor

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "curate" / "redaction_corpus"
PLANTED_TESTS = ROOT / "tests" / "curate" / "test_redact.py"
SYSTEM = "You are a code reviewer. Point out defects in the diff."


def planted() -> list[dict[str, str]]:
    return [json.loads(x) for x in (CORPUS / "planted.jsonl").read_text().splitlines()]


def catch_rate(redactor: Redactor) -> list[str]:
    caught: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for case in planted():
        result = redactor.redact(case["text"])
        hit = case["secret"] not in result.text and case["placeholder"] in result.text
        caught[case["kind"]][0] += hit
        caught[case["kind"]][1] += 1
    total = sum(c for c, _ in caught.values()), sum(n for _, n in caught.values())
    return [
        "| kind | caught | planted |",
        "|---|---:|---:|",
        *(f"| {kind} | {c} | {n} |" for kind, (c, n) in sorted(caught.items())),
        f"| **all** | **{total[0]}** | **{total[1]}** |",
    ]


def python_files() -> list[Path]:
    return [
        path
        for folder in ("src", "tests")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if CORPUS not in path.parents and path != PLANTED_TESTS
    ]


def comment_bodies() -> list[str]:
    return [
        json.loads(line)["body"]
        for path in sorted((ROOT / "data/03_primary/filtered_comments").glob("*.jsonl"))
        for line in path.read_text().splitlines()
        if line.strip()
    ]


def wrong_flags(redactor: Redactor) -> list[str]:
    rows = []
    files = python_files()
    sources = {
        f"{len(files)} .py files in src/ and tests/": [p.read_text() for p in files],
        "review comment bodies": comment_bodies(),
    }
    for name, texts in sources.items():
        size = sum(len(t.encode()) for t in texts) / 1e6
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update(redactor.redact(text).counts)
        kinds = ", ".join(f"{k} {n}" for k, n in counts.most_common()) or "none"
        total = sum(counts.values())
        rows.append(
            f"| {name} ({len(texts)} texts) | {size:.2f} | {total} | "
            f"{total / size:.1f} | {kinds} |"
        )
    with default_settings():
        found = Counter(s.type for path in files for s in scan_file(str(path)))
    size = sum(p.stat().st_size for p in files) / 1e6
    kinds = ", ".join(f"{k} {n}" for k, n in found.most_common()) or "none"
    total = sum(found.values())
    rows.append(
        f"| same .py files, detect-secrets `scan_file` (default plugins and filters)"
        f" | {size:.2f} | {total} | {total / size:.1f} | {kinds} |"
    )
    return [
        "| text (no real secrets) | MB | replacements | per MB | kinds |",
        "|---|---:|---:|---:|---|",
        *rows,
    ]


def records(count: int, seed: int = 0) -> list[dict[str, Any]]:
    """Synthetic SFT records from real review comments and diff lines."""
    rng = random.Random(seed)
    comments = [
        json.loads(line)
        for path in sorted((ROOT / "data/03_primary/filtered_comments").glob("*.jsonl"))
        for line in path.read_text().splitlines()
        if line.strip()
    ]
    diff_lines = [
        line
        for path in sorted((ROOT / "data/02_intermediate/pull_diffs").glob("*/*.jsonl"))
        for row in path.read_text().splitlines()
        if row.strip()
        for line in json.loads(row)["diff"].splitlines()
    ]
    secrets = [case["text"] for case in planted()]
    out = []
    for index in range(count):
        comment = rng.choice(comments)
        start = rng.randrange(len(diff_lines))
        hunk = diff_lines[start : start + rng.randint(10, 40)]
        if index % 100 == 0:
            hunk.insert(rng.randrange(len(hunk) + 1), rng.choice(secrets))
        out.append(
            {
                "messages": [
                    {"role": "system", "content": SYSTEM},
                    {
                        "role": "user",
                        "content": f"{comment['diff_hunk']}\n" + "\n".join(hunk),
                    },
                    {"role": "assistant", "content": comment["body"]},
                ],
                "metadata": {
                    "source": "critique",
                    "repo": comment["repo"],
                    "pr": comment["pr_number"],
                    "path": comment["path"],
                },
            }
        )
    return out


def throughput(redactor: Redactor, count: int, subsample: int = 300) -> list[str]:
    data = records(count)
    size = sum(len(json.dumps(r)) for r in data) / 1e6
    started = time.perf_counter()
    counts: Counter[str] = Counter()
    for record in data:
        counts.update(redactor.redact_value(record)[1])
    ours = time.perf_counter() - started
    planted_count = (count + 99) // 100
    sample = data[:subsample]
    lines = [
        line
        for record in sample
        for message in record["messages"]
        for line in message["content"].splitlines()
    ]
    with default_settings():
        started = time.perf_counter()
        flagged = sum(1 for line in lines for _ in scan_line(line))
        baseline = (time.perf_counter() - started) / len(sample) * count
    return [
        f"{count} records ({size:.0f} MB of JSON, {len(lines) / len(sample):.0f} "
        f"lines a record), {planted_count} with a planted secret; one thread.",
        "",
        "| path | seconds | records/s | replacements |",
        "|---|---:|---:|---:|",
        f"| `Redactor.redact_value` (regexes, prefilters, detect-secrets "
        f"`KeywordDetector` on flagged lines) | {ours:.1f} | {count / ours:,.0f} "
        f"| {sum(counts.values())} |",
        f"| detect-secrets `scan_line` on every line (baseline; {subsample} records "
        f"timed, extrapolated) | {baseline:.0f} | {count / baseline:,.0f} | "
        f"{flagged} findings on the {subsample} |",
        "",
        "Replacements by kind: "
        + ", ".join(f"{k} {n}" for k, n in counts.most_common())
        + ".",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--write", type=Path, help="update this markdown file")
    args = parser.parse_args()
    redactor = Redactor()
    body = "\n".join(
        [
            "Planted corpus (tests/curate/redaction_corpus/planted.jsonl):",
            "",
            *catch_rate(redactor),
            "",
            "Wrongly flagged in ordinary code and review text:",
            "",
            *wrong_flags(redactor),
            "",
            "Throughput:",
            "",
            *throughput(redactor, args.records),
        ]
    )
    print(body)
    if args.write:
        write_section(args.write, "redaction", "Redaction", body)


if __name__ == "__main__":
    main()
