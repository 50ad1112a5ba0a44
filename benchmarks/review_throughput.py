"""Review throughput on CPU: files reviewed and comments generated per second by the
bundled SmolLM2-135M-Instruct through ``review_prompts`` and ``LocalChatBackend`` (no
response cache), generating one prompt at a time (baseline) against batches of 4 and
8; and BERTScore (the evaluation's ``BertScorer``, MiniLM layer 4) pairs per second
at batch size 1 (baseline) against 32 and 128. Same run, same prompts and pairs,
greedy decoding, fixed max_tokens; model loading and a warm-up call are not timed.

The prompts are critique records of ``data/05_model_input/sft/test.jsonl`` (else
``critique_sft.jsonl``) read by ``eval_examples``; the BERTScore pairs are the
records' human comment bodies: every text is two of their sentences picked at
random, all texts distinct (bert_score embeds each distinct text once, so repeated
bodies would time only its matching step).

    python -m benchmarks.review_throughput [--prompts 8] [--max-tokens 64]
        [--batch-sizes 1 4 8] [--pairs 512] [--bert-batch-sizes 1 32 128]
        [--write docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.report import write_section
from prreview.llm.backends import LocalChatBackend
from prreview.llm.client import ChatRequest
from prreview.review.evaluation import EvalExample, eval_examples
from prreview.review.inference import GenerationSettings, review_prompts
from prreview.review.metrics import BertScorer, BertScoreSettings

ROOT = Path(__file__).parents[1]
SFT_TEST = ROOT / "data" / "05_model_input" / "sft" / "test.jsonl"
CRITIQUE = ROOT / "data" / "05_model_input" / "critique_sft.jsonl"
BUNDLED = ROOT / "data" / "06_models" / "smollm2-135m-instruct"
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\n+")


def bundled_model() -> Path:
    from prreview.llm.local_model import (  # noqa: PLC0415
        is_materialized,
        materialize_bundled_model,
    )

    return BUNDLED if is_materialized(BUNDLED) else materialize_bundled_model(BUNDLED)


def read_examples(path: Path) -> list[EvalExample]:
    records = [json.loads(line) for line in path.read_text().splitlines() if line]
    examples, _ = eval_examples(records)
    return examples


def sentences_of(bodies: Sequence[str]) -> list[str]:
    """The distinct sentences (or lines) of review comment bodies."""
    found = {part.strip() for body in bodies for part in _SENTENCE_BREAK.split(body)}
    return sorted(part for part in found if len(part) >= 15)


def comment_pairs(bodies: Sequence[str], count: int) -> tuple[list[str], list[str]]:
    """``count`` (candidate, reference) pairs of review-like texts, all distinct:
    each text joins two sentences of the human comments, picked at random.

    bert_score embeds each distinct text once, so pairs that repeat a handful of
    bodies would time the matching step, not the encoder the evaluation pays for.
    """
    sentences = sentences_of(bodies)
    if len(sentences) < 3:
        raise SystemExit("too few comment sentences to make pairs from")
    rng = random.Random(0)
    texts: list[str] = []
    seen: set[str] = set()
    for _ in range(count * 100):
        if len(texts) == 2 * count:
            break
        first, second = rng.sample(sentences, 2)
        text = f"{first} {second}"
        if text not in seen:
            seen.add(text)
            texts.append(text)
    return texts[0::2], texts[1::2]


def padded_prompt_tokens(
    model_dir: Path, examples: Sequence[EvalExample], batch_size: int
) -> tuple[int, int]:
    """Prompt tokens without padding, and as computed when batches of
    ``batch_size`` (in order, as ``LocalChatModel.generate`` cuts them) are padded
    to their longest prompt."""
    from transformers import AutoTokenizer  # noqa: PLC0415

    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    lengths = [
        len(
            tokenizer(
                tokenizer.apply_chat_template(
                    [dict(m) for m in e.prompt.messages],
                    tokenize=False,
                    add_generation_prompt=True,
                ),
                add_special_tokens=False,
            )["input_ids"]
        )
        for e in examples
    ]
    chunks = [
        lengths[start : start + batch_size]
        for start in range(0, len(lengths), batch_size)
    ]
    return sum(lengths), sum(max(chunk) * len(chunk) for chunk in chunks)


def timed_review(
    model_dir: Path, examples: Sequence[EvalExample], batch_size: int, max_tokens: int
) -> dict[str, Any]:
    backend = LocalChatBackend(model_dir, max_batch_size=batch_size, materialize=False)
    warm_up = ChatRequest(messages=examples[0].prompt.messages, max_tokens=2)
    backend.complete_each_sync([warm_up])  # loads the model
    before = backend.usage.completion_tokens
    started = time.perf_counter()
    reviews = review_prompts(
        backend, [e.prompt for e in examples], GenerationSettings(max_tokens)
    )
    seconds = time.perf_counter() - started
    backend.close()
    return {
        "seconds": seconds,
        "files": len(reviews),
        "comments": sum(len(r.comments) for r in reviews),
        "tokens": backend.usage.completion_tokens - before,
        "statuses": Counter(r.status for r in reviews),
        "replies": [r.reply for r in reviews],
    }


def timed_bertscore(
    candidates: list[str], references: list[str], batch_size: int
) -> float:
    scorer = BertScorer(BertScoreSettings(batch_size=batch_size))
    scorer.score(candidates[:4], references[:4])  # loads the encoder
    started = time.perf_counter()
    scorer.score(candidates, references)
    return time.perf_counter() - started


def measure_review(
    examples: Sequence[EvalExample], batch_sizes: Sequence[int], max_tokens: int
) -> tuple[list[tuple[int, float]], str]:
    """Each batch size's files/s relative to the first, and the table."""
    model_dir = bundled_model()
    rows = [(b, timed_review(model_dir, examples, b, max_tokens)) for b in batch_sizes]
    base_size, base = rows[0]
    base_rate = base["files"] / base["seconds"]
    real_tokens, _ = padded_prompt_tokens(model_dir, examples, 1)
    lines = [
        f"{len(examples)} critique prompts ({real_tokens} prompt tokens in all), up "
        f"to {max_tokens} new tokens each, greedy, `review_prompts` over "
        "`LocalChatBackend` (bundled SmolLM2-135M, fp32, no cache) on CPU; only "
        "`max_batch_size` changes.",
        "",
        "| max_batch_size | prompt tokens with padding | seconds | files/s "
        "| generated tokens | tokens/s | comments | comments/s | statuses "
        f"| replies as at batch {base_size} | files/s vs batch {base_size} |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|",
    ]
    for size, m in rows:
        _, padded = padded_prompt_tokens(model_dir, examples, size)
        same = sum(a == b for a, b in zip(m["replies"], base["replies"], strict=True))
        statuses = ", ".join(f"{k} {v}" for k, v in sorted(m["statuses"].items()))
        label = f"{size} (baseline)" if size == base_size else str(size)
        lines.append(
            f"| {label} | {padded} | {m['seconds']:.1f} "
            f"| {m['files'] / m['seconds']:.3f} | {m['tokens']} "
            f"| {m['tokens'] / m['seconds']:.1f} | {m['comments']} "
            f"| {m['comments'] / m['seconds']:.3f} | {statuses} "
            f"| {same}/{m['files']} | {m['files'] / m['seconds'] / base_rate:.2f}x |"
        )
    speedups = [(size, m["files"] / m["seconds"] / base_rate) for size, m in rows]
    return speedups, "\n".join(lines)


def measure_bertscore(
    bodies: Sequence[str], count: int, sizes: Sequence[int]
) -> tuple[list[tuple[int, float]], str]:
    """Each batch size's pairs/s relative to the first, and the table."""
    candidates, references = comment_pairs(bodies, count)
    rows = [(size, timed_bertscore(candidates, references, size)) for size in sizes]
    base_size, base_s = rows[0]
    words = sum(len(text.split()) for text in candidates + references)
    lines = [
        f"{len(candidates)} (candidate, reference) pairs, {2 * len(candidates)} "
        f"distinct texts of {words / (2 * len(candidates)):.0f} words on average, "
        f"each two random sentences of {len(bodies)} human review comments; "
        "`BertScorer` (bundled all-MiniLM-L6-v2, layer 4, no idf) on CPU; only "
        "`batch_size` changes.",
        "",
        f"| batch_size | seconds | pairs/s | vs batch {base_size} |",
        "|---:|---:|---:|---:|",
        *(
            f"| {f'{size} (baseline)' if size == base_size else size} "
            f"| {seconds:.2f} | {len(candidates) / seconds:.0f} "
            f"| {base_s / seconds:.2f}x |"
            for size, seconds in rows
        ),
    ]
    return [(size, base_s / seconds) for size, seconds in rows], "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompts", type=int, default=8)
    parser.add_argument("--max-tokens", type=int, default=64)
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--pairs", type=int, default=512)
    parser.add_argument("--bert-batch-sizes", type=int, nargs="+", default=[1, 32, 128])
    parser.add_argument("--write", type=Path, help="update this markdown file")
    args = parser.parse_args()
    source = SFT_TEST if SFT_TEST.is_file() else CRITIQUE
    examples = read_examples(source)
    bodies = sorted({c.body for e in examples for c in e.human})
    if CRITIQUE.is_file() and source != CRITIQUE:  # more distinct comments to pair
        bodies = sorted(
            {*bodies, *(c.body for e in read_examples(CRITIQUE) for c in e.human)}
        )
    review_rows, review_table = measure_review(
        examples[: args.prompts], args.batch_sizes, args.max_tokens
    )
    bert_rows, bert_table = measure_bertscore(bodies, args.pairs, args.bert_batch_sizes)
    best_review = max(review_rows, key=lambda row: row[1])
    best_bert = max(bert_rows, key=lambda row: row[1])
    note = (
        f"Measured in one run on {source.relative_to(ROOT)}, {os.cpu_count()} CPU "
        "cores: the wall time of `review_prompts` (chat template, batched "
        "generation, parsing and anchor checks) after the model was loaded and "
        "warmed up, and of "
        "`BertScorer.score` (tokenizing, embedding each distinct text, greedy "
        "matching) after the encoder was loaded. Files/s is the review command's "
        "unit of work; tokens/s counts generated tokens only "
        "(`backend.usage.completion_tokens`); prompt tokens with padding is what "
        "the batches computed, each padded on the left to its longest prompt. The "
        "untrained 135M model seldom writes the comment format, so the comment "
        "counts say nothing about a trained adapter; the replies column counts "
        "replies identical to the baseline's (padding can change float rounding). "
        f"Fastest here: generation at batch {best_review[0]} "
        f"({best_review[1]:.2f}x the files/s of batch {review_rows[0][0]}), "
        f"BERTScore at batch {best_bert[0]} ({best_bert[1]:.2f}x the pairs/s of "
        f"batch {bert_rows[0][0]}). Single runs on shared cores are noisy: compare "
        "rows within one run, on an otherwise idle machine."
    )
    body = "\n\n".join(
        ["### Generation", review_table, "### BERTScore", bert_table, note]
    )
    print(body)
    if args.write:
        write_section(
            args.write,
            "review_throughput",
            "Review: files and BERTScore pairs per second "
            "(`benchmarks/review_throughput.py`)",
            body,
        )


if __name__ == "__main__":
    main()
