"""evaluate nodes: the base model and the candidate (base + the trained adapter)
review the held-out test split; their comments are scored against the human ones
(prreview.review.evaluation), the gate approves or rejects the candidate, and the
report shows it all."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from prreview.comments.classifier import CATEGORIES, CommentClassifier
from prreview.comments.embed import CachedEncoder
from prreview.llm.backends import LocalChatBackend
from prreview.llm.local_model import is_hub_id
from prreview.partitions import Rows
from prreview.review.evaluation import (
    DIFF_MARK,
    EvalExample,
    ModelEvaluation,
    eval_examples,
    evaluate_reviews,
)
from prreview.review.gate import GateSettings, decide
from prreview.review.inference import (
    GenerationSettings,
    ReviewedFile,
    review_counts,
    review_prompts,
)
from prreview.review.metrics import BertScorer, BertScoreSettings
from prreview.review.rank import classifier_scorer, rank_reviews

logger = logging.getLogger(__name__)

MODELS = ("base", "candidate")


class RankParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    top_k: int | None = Field(3, ge=1)  # comments kept per file, best first
    min_score: float = Field(0.0, ge=0.0, le=1.0)
    keep_categories: list[str] = Field(
        default_factory=lambda: [c for c in CATEGORIES if c != "other"]
    )


class GateParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    margins: dict[str, float] = Field(
        default_factory=lambda: dict(GateSettings().margins)
    )
    limits: dict[str, float] = Field(
        default_factory=lambda: dict(GateSettings().limits)
    )


class EvaluateParams(BaseModel):
    """See conf/base/parameters_evaluate.yml and docs/evaluate.md."""

    model_config = ConfigDict(extra="forbid")

    max_examples: int | None = Field(None, ge=1)  # None: the whole test split
    tolerance: int = Field(3, ge=0)  # lines between a generated and a human comment
    max_tokens: int = Field(192, ge=1)
    temperature: float = Field(0.0, ge=0.0)
    max_batch_size: int = Field(4, ge=1)
    cache_path: str | None = "data/07_model_output/review_generation_cache.sqlite"
    bertscore: dict[str, Any] = Field(default_factory=dict)  # BertScoreSettings
    rank: RankParams = Field(default_factory=RankParams)
    gate: GateParams = Field(default_factory=GateParams)
    report_examples: int = Field(3, ge=0)

    def examples(self, sft_test: Rows) -> tuple[list[EvalExample], dict[str, int]]:
        return eval_examples(sft_test, max_examples=self.max_examples)


def _generate(
    name: str,
    sft_test: Rows,
    backend: LocalChatBackend,
    classifier: CommentClassifier,
    embedder: CachedEncoder,
    params: EvaluateParams,
) -> Rows:
    examples, counts = params.examples(sft_test)
    settings = GenerationSettings(params.max_tokens, params.temperature)
    reviews: list[ReviewedFile] = []
    step = params.max_batch_size * 2
    try:
        for start in range(0, len(examples), step):
            chunk = [e.prompt for e in examples[start : start + step]]
            reviews.extend(review_prompts(backend, chunk, settings))
            logger.info(
                "evaluate: %s reviewed %d/%d files", name, len(reviews), len(examples)
            )
    finally:
        backend.close()
    if params.rank.enabled:
        score = classifier_scorer(classifier, embedder, params.rank.keep_categories)
        reviews = rank_reviews(
            reviews, score, top_k=params.rank.top_k, min_score=params.rank.min_score
        )
    totals = review_counts(reviews)
    logger.info(
        "evaluate: %s on %d test files (%s): %d comments kept, %d parse failures",
        name,
        len(examples),
        ", ".join(f"{k} {v}" for k, v in counts.items() if k.startswith("skipped")),
        totals.get("kept", 0),
        totals["files:parse_failure"],
    )
    return [
        {
            "example": e.key,
            "model": name,
            "model_id": backend.model,
            **r.to_dict(),
            "reply": r.reply,
        }
        for e, r in zip(examples, reviews, strict=True)
    ]


def _model_name(base_model: str) -> str:
    """A hub id as it is, a model folder by its name (reports, cache keys)."""
    return base_model if is_hub_id(base_model) else Path(base_model).name


def _backend(
    base_model: str, adapter: str | None, params: EvaluateParams
) -> LocalChatBackend:
    """The model in this process (a saved folder or a hub id), with the adapter
    merged when there is one; replies cached in ``params.cache_path``."""
    return LocalChatBackend(
        base_model,
        model=_model_name(base_model),
        materialize=False,
        adapter_dir=adapter,
        cache_path=params.cache_path,
        max_batch_size=params.max_batch_size,
    )


def generate_base_reviews(
    sft_test: Rows,
    base_model: str,
    comment_classifier: CommentClassifier,
    comment_embedder: CachedEncoder,
    evaluate_params: EvaluateParams,
) -> Rows:
    """The base model's reviews of the test split, one row per file."""
    backend = _backend(base_model, None, evaluate_params)
    return _generate(
        "base", sft_test, backend, comment_classifier, comment_embedder, evaluate_params
    )


def generate_candidate_reviews(
    sft_test: Rows,
    base_model: str,
    review_adapter: str,
    comment_classifier: CommentClassifier,
    comment_embedder: CachedEncoder,
    evaluate_params: EvaluateParams,
) -> Rows:
    """The same with the trained adapter merged into the base model."""
    backend = _backend(base_model, review_adapter, evaluate_params)
    return _generate(
        "candidate",
        sft_test,
        backend,
        comment_classifier,
        comment_embedder,
        evaluate_params,
    )


def _reviews(rows: Rows, examples: Sequence[EvalExample]) -> list[ReviewedFile]:
    by_example = {row["example"]: ReviewedFile.from_dict(row) for row in rows}
    missing = [e.key for e in examples if e.key not in by_example]
    if missing:
        raise ValueError(
            f"{len(missing)} test examples have no generated review (first: "
            f"{missing[0]}); rerun the evaluate pipeline from its first nodes"
        )
    return [by_example[e.key] for e in examples]


def _example_rows(
    evaluations: dict[str, ModelEvaluation], limit: int
) -> list[dict[str, Any]]:
    """A few files to read side by side: human comments, then each model's."""
    base = evaluations["base"].scores
    candidate = evaluations["candidate"].scores
    chosen = sorted(
        range(len(base)),
        key=lambda i: (base[i].example.negative, -len(base[i].example.human), i),
    )[:limit]
    return [
        {
            "example": base[i].example.key,
            "path": base[i].example.prompt.path,
            "diff": base[i]
            .example.prompt.messages[1]["content"]
            .rsplit(DIFF_MARK, 1)[-1],
            "human": [c.body for c in base[i].example.human],
            "human_lines": [c.line for c in base[i].example.human],
            "base": base[i].review.to_dict(),
            "candidate": candidate[i].review.to_dict(),
        }
        for i in chosen
    ]


def _project_relative(path: str) -> str:
    """A path under the working directory as a relative one (portable records)."""
    resolved = Path(path).resolve()
    try:
        return str(resolved.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(resolved)


def score_reviews(
    sft_test: Rows,
    base_reviews: Rows,
    candidate_reviews: Rows,
    review_adapter: str,
    evaluate_params: EvaluateParams,
) -> tuple[dict[str, Any], dict[str, list[dict[str, float]]], dict[str, Any]]:
    """The evaluation (metrics of both models, slices, examples, the gate's
    decision), the metrics for MLflow, and the promotion record of the adapter."""
    review_adapter = _project_relative(review_adapter)
    examples, counts = evaluate_params.examples(sft_test)
    if not examples:
        raise ValueError(
            "the test split has no critique record to evaluate; check the dataset "
            "pipeline's split (dataset_report)"
        )
    scorer = BertScorer(BertScoreSettings(**evaluate_params.bertscore))
    evaluations = {
        "base": evaluate_reviews(
            examples,
            _reviews(base_reviews, examples),
            scorer,
            evaluate_params.tolerance,
        ),
        "candidate": evaluate_reviews(
            examples,
            _reviews(candidate_reviews, examples),
            scorer,
            evaluate_params.tolerance,
        ),
    }
    gate = GateSettings(evaluate_params.gate.margins, evaluate_params.gate.limits)
    decision = decide(
        evaluations["base"].metrics, evaluations["candidate"].metrics, gate
    )
    evaluation = {
        "examples": counts,
        "tolerance": evaluate_params.tolerance,
        "bertscore": scorer.describe()
        if any(e.metrics["bertscore_pairs"] for e in evaluations.values())
        else {"model": scorer.settings.model, "layer": scorer.settings.num_layers},
        "adapter": review_adapter,
        "models": {
            name: {
                "model_id": rows[0]["model_id"] if rows else name,
                "metrics": evaluations[name].metrics,
                "slices": evaluations[name].slices,
                "review_counts": review_counts(
                    [ReviewedFile.from_dict(r) for r in rows]
                ),
            }
            for name, rows in (("base", base_reviews), ("candidate", candidate_reviews))
        },
        "gate": decision.to_dict(),
        "showcase": _example_rows(evaluations, evaluate_params.report_examples),
    }
    history = {
        f"{name}.{metric}": [{"value": float(value), "step": 0}]
        for name, result in evaluations.items()
        for metric, value in result.metrics.items()
    }
    history["gate.approved"] = [{"value": float(decision.approved), "step": 0}]
    promotion = {"adapter": review_adapter, **decision.to_dict()}
    logger.info(
        "evaluate: candidate %s (%s); location F1 within %d lines: base %.3f, "
        "candidate %.3f",
        promotion["status"],
        "; ".join(decision.reasons) or "every margin met",
        evaluate_params.tolerance,
        evaluations["base"].metrics["location_near_f1"],
        evaluations["candidate"].metrics["location_near_f1"],
    )
    return evaluation, history, promotion


def render_evaluation_report(
    evaluation: dict[str, Any],
) -> tuple[str, str, Any, Any]:
    """The markdown report, the same report as a self-contained HTML page, and its
    two figures (saved next to them)."""
    from prreview.review.report import (  # noqa: PLC0415
        figure_png,
        headline_figure,
        render_html,
        render_markdown,
        slices_figure,
    )

    headline, slices = headline_figure(evaluation), slices_figure(evaluation)
    figures = {
        "headline metrics": ("evaluation_headline.png", headline),
        "location F1 per slice": ("evaluation_slices.png", slices),
    }
    markdown = render_markdown(
        evaluation, {name: file_name for name, (file_name, _) in figures.items()}
    )
    page = render_html(
        evaluation, {name: figure_png(figure) for name, (_, figure) in figures.items()}
    )
    return markdown, page, headline, slices
