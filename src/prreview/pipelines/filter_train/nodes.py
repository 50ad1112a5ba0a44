"""Nodes that train the comment classifier; the work is in prreview.comments."""

from __future__ import annotations

import logging
from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from prreview.comments.classifier import CATEGORIES, label_set_hash, train
from prreview.comments.embed import CachedEncoder
from prreview.comments.features import comment_features
from prreview.comments.text import clean_body

logger = logging.getLogger(__name__)

REQUIRED_COLUMNS = ("repo", "category", "body")


class FilterTrainParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    include_diff_hunk: bool = False
    folds: int = Field(5, ge=2)
    seed: int = 0
    min_rows_per_class: int = Field(10, ge=2)


class LabelledDataError(ValueError):
    """The labelled comments cannot train a classifier."""


def prepare_labelled_comments(comment_labels: pd.DataFrame) -> pd.DataFrame:
    """Clean bodies, drop unusable rows with a counted reason, keep known categories."""
    missing = [name for name in REQUIRED_COLUMNS if name not in comment_labels]
    if missing:
        raise LabelledDataError(f"comment_labels lacks columns {missing}")
    frame = comment_labels.copy()
    frame["body"] = frame["body"].map(clean_body)
    hunks = frame["diff_hunk"] if "diff_hunk" in frame else None
    frame["diff_hunk"] = pd.Series(hunks, index=frame.index, dtype=object).fillna("")
    reasons = {
        "empty_body": frame["body"].str.len() == 0,
        "unknown_category": ~frame["category"].isin(CATEGORIES),
        "duplicate_body": frame.duplicated(subset=["body"], keep="first"),
    }
    dropped = pd.Series(False, index=frame.index)
    for reason, mask in reasons.items():
        count = int((mask & ~dropped).sum())
        if count:
            logger.warning("Labelled comments: dropped %d rows (%s)", count, reason)
        dropped |= mask
    kept = frame.loc[~dropped].reset_index(drop=True)
    logger.info("Labelled comments: %d of %d rows kept", len(kept), len(frame))
    return kept


def train_comment_classifier(
    labelled_comments: pd.DataFrame,
    comment_embedder: CachedEncoder,
    filter_train: FilterTrainParams,
) -> tuple[Any, dict[str, Any], dict[str, Any]]:
    """Cross-validate candidates grouped by repository, calibrate the winner."""
    counts = labelled_comments["category"].value_counts()
    small = counts[counts < filter_train.min_rows_per_class]
    if len(small):
        raise LabelledDataError(f"too few labelled rows for {small.to_dict()}")
    features = comment_features(
        comment_embedder,
        labelled_comments["body"].tolist(),
        labelled_comments["diff_hunk"].tolist(),
        filter_train.include_diff_hunk,
    )
    rows = list(
        zip(labelled_comments["body"], labelled_comments["category"], strict=True)
    )
    model, info = train(
        features,
        labelled_comments["category"].tolist(),
        labelled_comments["repo"].tolist(),
        embedding_model=comment_embedder.model_name,
        include_diff_hunk=filter_train.include_diff_hunk,
        label_hash=label_set_hash(rows),
        folds=filter_train.folds,
        seed=filter_train.seed,
    )
    cv = info["cross_validation"]
    metrics = {
        f"cv_macro_f1_{name}": {"value": scores["macro_f1"], "step": 0}
        for name, scores in cv["candidates"].items()
    }
    metrics["cv_macro_f1_majority_baseline"] = {
        "value": cv["majority_baseline"]["macro_f1"],
        "step": 0,
    }
    for label, scores in cv["per_class"].items():
        metrics[f"cv_f1_{label}"] = {"value": scores["f1"], "step": 0}
    logger.info(
        "Comment classifier: %s, CV macro-F1 %.3f (majority baseline %.3f)",
        info["estimator"],
        cv["candidates"][info["estimator"]]["macro_f1"],
        cv["majority_baseline"]["macro_f1"],
    )
    return model, info, metrics
