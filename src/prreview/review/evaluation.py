"""Score a model's reviews of held-out critique records against the human ones.

A critique record holds everything needed: its system and user turns are the
prompt (exactly what training showed), its user turn's rendered patch gives the
hunks, and its answer holds the human comments in the strict format. The numbers:
location precision, recall and F1 (exact, within ``tolerance`` lines, per hunk),
BERTScore of the matched pairs, parse failures, comments per file, silence on
negative examples, and the same per slice (PR size, language, change type) and
recall per human comment category.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from prreview.diffs.render import CommentBlock, CommentFormatError, parse_comments
from prreview.review.inference import ReviewedFile, ReviewPrompt, rendered_hunks
from prreview.review.metrics import (
    BertScorer,
    LocationCounts,
    hunk_counts,
    location_counts,
    match_comments,
)
from prreview.review.slices import SLICES, UNKNOWN, example_slices

DIFF_MARK = "\n\nDiff:\n"  # prreview.diffs.critique.user_turn puts the diff last


class EvalRecordError(ValueError):
    """A record cannot be evaluated; the message names it and says why."""


@dataclass(frozen=True)
class EvalExample:
    key: str
    prompt: ReviewPrompt
    human: tuple[CommentBlock, ...]
    human_categories: tuple[str, ...]
    negative: bool
    slices: dict[str, str] = field(default_factory=dict)


def eval_example(record: Mapping[str, Any]) -> EvalExample:
    """The prompt, hunks and human comments of one critique SFT record."""
    metadata = record.get("metadata") or {}
    key = str(metadata.get("example") or "?")
    messages = record.get("messages") or []
    roles = [m.get("role") for m in messages if isinstance(m, Mapping)]
    if roles != ["system", "user", "assistant"]:
        raise EvalRecordError(f"{key}: expected system, user, assistant, got {roles}")
    user = str(messages[1].get("content") or "")
    if DIFF_MARK not in user:
        raise EvalRecordError(f"{key}: the user turn has no diff")
    hunks = rendered_hunks(user.rsplit(DIFF_MARK, 1)[1])
    if not hunks:
        raise EvalRecordError(f"{key}: the user turn's diff has no hunks")
    try:
        human = tuple(parse_comments(str(messages[2].get("content") or "")))
    except CommentFormatError as error:
        raise EvalRecordError(f"{key}: the answer is not in the format: {error}")
    path = str(metadata.get("path") or (human[0].path if human else ""))
    if not path:
        raise EvalRecordError(f"{key}: no path in the metadata or the answer")
    categories = [str(c) for c in metadata.get("comment_categories") or []]
    categories += [UNKNOWN] * (len(human) - len(categories))
    return EvalExample(
        key=key,
        prompt=ReviewPrompt(path, tuple(dict(m) for m in messages[:2]), hunks),
        human=human,
        human_categories=tuple(categories[: len(human)]),
        negative=not human,
        slices=example_slices(metadata),
    )


def _sample_order(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def eval_examples(
    records: Iterable[Mapping[str, Any]],
    *,
    max_examples: int | None = None,
    sources: Sequence[str] = ("critique",),
) -> tuple[list[EvalExample], dict[str, int]]:
    """Evaluable examples (a fixed pseudo-random sample of ``max_examples``) and
    counts of what was left out and why."""
    counts: Counter[str] = Counter()
    examples = []
    for record in records:
        counts["records_in"] += 1
        source = (record.get("metadata") or {}).get("source")
        if source not in sources:
            counts[f"skipped:source_{source}"] += 1
            continue
        try:
            examples.append(eval_example(record))
        except EvalRecordError:
            counts["skipped:unreadable_record"] += 1
    examples.sort(key=lambda example: _sample_order(example.key))
    if max_examples is not None and len(examples) > max_examples:
        counts["skipped:over_max_examples"] += len(examples) - max_examples
        examples = examples[:max_examples]
    counts["examples"] = len(examples)
    return examples, dict(sorted(counts.items()))


@dataclass(frozen=True)
class ExampleScore:
    example: EvalExample
    review: ReviewedFile
    exact: LocationCounts
    near: LocationCounts
    hunk: LocationCounts
    pairs: tuple[tuple[int, int], ...]  # (generated, human) within the tolerance


def score_example(
    example: EvalExample, review: ReviewedFile, tolerance: int
) -> ExampleScore:
    generated, human = review.comments, example.human
    return ExampleScore(
        example=example,
        review=review,
        exact=location_counts(generated, human, 0),
        near=location_counts(generated, human, tolerance),
        hunk=hunk_counts(generated, human, example.prompt.hunks),
        pairs=tuple(match_comments(generated, human, tolerance)),
    )


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def _prefixed(prefix: str, scores: Mapping[str, float]) -> dict[str, float]:
    return {f"{prefix}_{name}": value for name, value in scores.items()}


def _location(scores: Sequence[ExampleScore]) -> dict[str, float]:
    totals = {
        kind: sum((getattr(s, kind) for s in scores), LocationCounts())
        for kind in ("exact", "near", "hunk")
    }
    return (
        _prefixed("location_exact", totals["exact"].scores())
        | _prefixed("location_near", totals["near"].scores())
        | _prefixed("hunk", totals["hunk"].scores())
    )


def _mean(values: Sequence[float]) -> float:
    return float(sum(values) / len(values)) if values else 0.0


@dataclass(frozen=True)
class ModelEvaluation:
    """One model's numbers: headline metrics, slices, and per-pair BERTScores."""

    metrics: dict[str, float]
    slices: dict[str, dict[str, dict[str, float]]]
    scores: tuple[ExampleScore, ...]
    pair_f1: dict[tuple[int, int, int], float]  # (example index, generated, human)


def evaluate_reviews(
    examples: Sequence[EvalExample],
    reviews: Sequence[ReviewedFile],
    scorer: BertScorer,
    tolerance: int = 3,
) -> ModelEvaluation:
    """All metrics of one model's reviews (one per example, in order)."""
    if len(examples) != len(reviews):
        raise ValueError("need one review per example")
    scores = [
        score_example(e, r, tolerance) for e, r in zip(examples, reviews, strict=True)
    ]
    pair_keys = [(i, g, h) for i, s in enumerate(scores) for g, h in s.pairs]
    bert = scorer.score(
        [s.review.comments[g].body for s in scores for g, _ in s.pairs],
        [s.example.human[h].body for s in scores for _, h in s.pairs],
    )
    pair_f1 = dict(zip(pair_keys, bert["f1"].tolist(), strict=True))
    files = len(scores)
    statuses = Counter(s.review.status for s in scores)
    negatives = [s for s in scores if s.example.negative]
    generated = sum(len(s.review.comments) for s in scores)
    metrics = {
        "files": float(files),
        "human_comments": float(sum(len(s.example.human) for s in scores)),
        "generated_comments": float(generated),
        "comments_per_file": _ratio(generated, files),
        "parse_failure_rate": _ratio(statuses["parse_failure"], files),
        "truncated_rate": _ratio(statuses["truncated"], files),
        "failed_rate": _ratio(statuses["failed"], files),
        "negatives": float(len(negatives)),
        # said nothing: a reply that does not parse is not silence
        "negative_silence_rate": _ratio(
            sum(s.review.status == "no_comments" for s in negatives), len(negatives)
        ),
        **_location(scores),
        "bertscore_pairs": float(len(pair_keys)),
        **{f"bertscore_{k}": _mean(v.tolist()) for k, v in bert.items()},
    }
    return ModelEvaluation(metrics, _slices(scores, pair_f1), tuple(scores), pair_f1)


def _slices(
    scores: Sequence[ExampleScore], pair_f1: Mapping[tuple[int, int, int], float]
) -> dict[str, dict[str, dict[str, float]]]:
    tables: dict[str, dict[str, dict[str, float]]] = {}
    for name in SLICES:
        groups: dict[str, list[int]] = defaultdict(list)
        for index, score in enumerate(scores):
            groups[score.example.slices.get(name, UNKNOWN)].append(index)
        tables[name] = {
            value: {
                "files": float(len(members)),
                **_location([scores[i] for i in members]),
                "bertscore_f1": _mean(
                    [pair_f1[(i, g, h)] for i in members for g, h in scores[i].pairs]
                ),
            }
            for value, members in sorted(groups.items())
        }
    human: Counter[str] = Counter()
    found: Counter[str] = Counter()
    for score in scores:
        matched = {h for _, h in score.pairs}
        for index, category in enumerate(score.example.human_categories):
            human[category] += 1
            found[category] += index in matched
    tables["comment_category"] = {
        category: {
            "human_comments": float(human[category]),
            "location_near_recall": _ratio(found[category], human[category]),
        }
        for category in sorted(human)
    }
    return tables
