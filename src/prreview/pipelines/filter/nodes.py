"""Filter nodes: rules first, then the learned classifier. The checks live in
prreview.comments; these nodes group by iteration and count every drop."""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from prreview.comments.classifier import CATEGORIES, CommentClassifier
from prreview.comments.embed import CachedEncoder
from prreview.comments.features import comment_features
from prreview.comments.rules import RuleSettings, apply_rules, view_of
from prreview.comments.text import clean_body
from prreview.partitions import Rows
from prreview.schemas import FilteredComment

logger = logging.getLogger(__name__)

REQUIRED_FIELDS = ("id", "repo", "pr_number", "path", "created_at", "iteration")


class RuleParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_chars: int = Field(12, ge=0)
    max_chars: int = Field(5000, ge=1)
    bot_logins: list[str] = Field(default_factory=list)
    keep_replies: bool = False
    drop_pr_author_comments: bool = True
    english_only: bool = False


class FilterParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rules: RuleParams = Field(default_factory=RuleParams)
    keep_categories: list[str] = Field(
        default_factory=lambda: [
            "functional_defect",
            "refactoring_design",
            "documentation",
            "style_nit",
        ]
    )
    min_probability: float = Field(0.5, ge=0, le=1)


class EmbeddingMismatchError(ValueError):
    """The classifier was trained on another embedding model than the one configured."""


def _iteration_of(partition_id: str) -> str:
    return partition_id.split("/", 1)[0]


def _pr_authors(pull_requests: dict[str, Rows]) -> dict[tuple[str, int], str | None]:
    return {
        (row.get("repo"), row.get("number")): row.get("author")
        for rows in pull_requests.values()
        for row in rows
    }


def apply_comment_rules(
    review_comments: dict[str, Rows],
    pull_requests: dict[str, Rows],
    filter_params: FilterParams,
) -> tuple[dict[str, Rows], dict[str, Any]]:
    """Candidates per iteration (rule survivors with their thread replies) and the
    rule counts. Malformed records are dropped with a reason, never silently."""
    settings = RuleSettings(**filter_params.rules.model_dump())
    authors = _pr_authors(pull_requests)
    candidates: dict[str, Rows] = defaultdict(list)
    replies: dict[int, Rows] = defaultdict(list)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for partition_id in sorted(review_comments):
        iteration = _iteration_of(partition_id)
        for row in review_comments[partition_id]:
            counts[iteration]["in"] += 1
            if not isinstance(row, dict) or any(
                row.get(name) is None for name in REQUIRED_FIELDS
            ):
                counts[iteration]["drop:malformed_record"] += 1
                continue
            text = clean_body(row.get("body"))
            pr_author = authors.get((row["repo"], row["pr_number"]))
            decision = apply_rules(view_of(row, text, pr_author), settings)
            if row.get("in_reply_to_id") is not None and text:
                replies[row["in_reply_to_id"]].append(
                    {
                        "id": row["id"],
                        "body": text,
                        "author_is_pr_author": pr_author is not None
                        and row.get("author") == pr_author,
                    }
                )
            if not decision.keep:
                counts[iteration][f"drop:{decision.reason}"] += 1
                continue
            counts[iteration]["candidates"] += 1
            candidates[iteration].append(
                {**row, "body": text, "rule_trail": list(decision.trail)}
            )
    for rows in candidates.values():
        for row in rows:
            row["thread_replies"] = sorted(replies.get(row["id"], []), key=_by_id)
    report = {iteration: dict(counter) for iteration, counter in sorted(counts.items())}
    logger.info(
        "Rules: %d comments in, %d candidates",
        sum(c["in"] for c in counts.values()),
        sum(c["candidates"] for c in counts.values()),
    )
    return dict(candidates), report


def _by_id(reply: dict[str, Any]) -> int:
    return reply["id"]


def _filtered(row: dict[str, Any], category: str, probability: float) -> dict:
    fields = set(FilteredComment.model_fields)
    record = {key: value for key, value in row.items() if key in fields}
    record.update(
        category=category,
        probability=round(float(probability), 4),
        rule_trail=[
            *row["rule_trail"],
            f"classifier:keep({category} {probability:.2f})",
        ],
    )
    return FilteredComment.model_validate(record).model_dump(mode="json")


def classify_comments(
    comment_candidates: dict[str, Rows],
    rule_counts: dict[str, Any],
    comment_embedder: CachedEncoder,
    comment_classifier: CommentClassifier,
    filter_params: FilterParams,
) -> tuple[dict[str, Rows], dict[str, Any]]:
    """Kept comments per iteration with category, probability and rule trail, and the
    filter report (counts in, out, per drop reason, per category)."""
    if comment_classifier.embedding_model != comment_embedder.model_name:
        raise EmbeddingMismatchError(
            f"the classifier was trained on {comment_classifier.embedding_model!r} but "
            f"the filter embeds with {comment_embedder.model_name!r}; retrain it with "
            "`kedro run --pipelines=filter_train`"
        )
    unknown = set(filter_params.keep_categories) - set(CATEGORIES)
    if unknown:
        raise ValueError(
            f"filter_params.keep_categories has unknown categories {unknown}"
        )
    ordered = [
        (it, row) for it in sorted(comment_candidates) for row in comment_candidates[it]
    ]
    features = comment_features(
        comment_embedder,
        [row["body"] for _, row in ordered],
        [row.get("diff_hunk") or "" for _, row in ordered],
        comment_classifier.include_diff_hunk,
    )
    labels, probabilities = comment_classifier.predict(features)
    kept: dict[str, Rows] = {iteration: [] for iteration in rule_counts}
    counts = {iteration: Counter(values) for iteration, values in rule_counts.items()}
    predicted: Counter[str] = Counter()
    for (iteration, row), label, probability in zip(
        ordered, labels, probabilities, strict=True
    ):
        predicted[label] += 1
        if label not in filter_params.keep_categories:
            counts[iteration][f"drop:category_{label}"] += 1
        elif probability < filter_params.min_probability:
            counts[iteration]["drop:low_probability"] += 1
        else:
            counts[iteration]["out"] += 1
            counts[iteration][f"kept:{label}"] += 1
            kept[iteration].append(_filtered(row, label, probability))
    report = _report(counts, predicted, filter_params, comment_classifier)
    logger.info(
        "Filter: %d comments in, %d kept (%s)",
        report["totals"]["in"],
        report["totals"]["out"],
        ", ".join(f"{k} {v}" for k, v in sorted(report["kept_by_category"].items())),
    )
    return kept, report


def _report(
    counts: dict[str, Counter[str]],
    predicted: Counter[str],
    filter_params: FilterParams,
    classifier: CommentClassifier,
) -> dict[str, Any]:
    total: Counter[str] = Counter()
    for counter in counts.values():
        total.update(counter)
    return {
        "iterations": {iteration: dict(c) for iteration, c in sorted(counts.items())},
        "totals": {
            "in": total["in"],
            "candidates": total["candidates"],
            "out": total["out"],
        },
        "dropped_by_reason": {
            key.removeprefix("drop:"): value
            for key, value in sorted(total.items())
            if key.startswith("drop:")
        },
        "kept_by_category": {
            key.removeprefix("kept:"): value
            for key, value in sorted(total.items())
            if key.startswith("kept:")
        },
        "predicted_by_category": dict(sorted(predicted.items())),
        "keep_categories": filter_params.keep_categories,
        "min_probability": filter_params.min_probability,
        "classifier": classifier.name,
        "embedding_model": classifier.embedding_model,
    }
