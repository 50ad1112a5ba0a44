"""train nodes: the SFT splits and the base model go to prreview.train, which
trains (or resumes) the adapter in a working folder; the node hands the adapter
folder to the catalog (versioned, and logged to MLflow) with the run's metrics."""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from prreview.partitions import Rows
from prreview.train import settings_from_params, train_adapter

if TYPE_CHECKING:
    from prreview.train import TrainSettings

logger = logging.getLogger(__name__)


class TrainParams(BaseModel):
    """A profile (``lora``, ``qlora_4bit``, ``qlora_8bit``) and its overrides; see
    docs/train.md for every field."""

    model_config = ConfigDict(extra="forbid")

    profile: str = "lora"
    overrides: dict[str, Any] = Field(default_factory=dict)
    max_length_from_dataset: bool = True  # the dataset's 95% coverage length
    workdir: str = "data/06_models/train_run"  # checkpoints: a rerun resumes here
    resume: bool = True

    def settings(self, max_length: int | None) -> TrainSettings:
        overrides = dict(self.overrides)
        if (
            self.max_length_from_dataset
            and max_length
            and "max_length" not in overrides
        ):
            overrides["max_length"] = int(max_length)
        return settings_from_params({"profile": self.profile, **overrides})


def train_review_adapter(
    sft_train: Rows,
    sft_eval: Rows,
    base_model: str,
    dataset_report: dict[str, Any],
    train_params: TrainParams,
) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """The adapter folder, a report (settings, counts, final metrics, where it
    resumed from) and the per-step metric history for MLflow."""
    max_length = dataset_report.get("lengths", {}).get("max_length")
    settings = train_params.settings(max_length)
    history: dict[str, list[dict[str, float]]] = defaultdict(list)

    def log_metrics(step: int, values: dict[str, float]) -> None:
        for name, value in values.items():
            history[name].append({"value": float(value), "step": int(step)})

    logger.info(
        "train: %d train and %d eval records, base %s, profile %s",
        len(sft_train),
        len(sft_eval),
        base_model,
        settings.profile,
    )
    result = train_adapter(
        base_model,
        sft_train,
        sft_eval or None,
        settings,
        train_params.workdir,
        resume=train_params.resume,
        log_metrics=log_metrics,
    )
    report = {
        "base_model": base_model,
        "profile": settings.profile,
        "device": result.device,
        "resumed_from": str(result.resumed_from) if result.resumed_from else None,
        "reused": result.reused,
        "stopped_early": result.stopped_early,
        "metrics": result.metrics,
        "counts": result.counts,
        "max_length": settings.max_length,
        "adapter_dir": str(result.adapter_dir),
    }
    final = {f"final_{k}": v for k, v in result.metrics.items()}
    metrics = {
        **{name: points for name, points in history.items() if points},
        **{name: {"value": float(v), "step": 0} for name, v in final.items()},
    }
    logger.info(
        "train: %s steps, train loss %s, eval loss %s, %.0f tokens/s",
        result.metrics.get("global_step"),
        result.metrics.get("train_loss"),
        result.metrics.get("eval_loss"),
        result.metrics.get("tokens_per_second", 0.0),
    )
    return str(result.adapter_dir), report, metrics


def log_adapter(review_adapter: str) -> str:
    """The saved adapter version, passed on to be logged as an MLflow artifact."""
    return review_adapter
