"""Train and apply the review-comment classifier: sentence embeddings in, a
calibrated scikit-learn model out.

Model selection cross-validates a few estimators grouped by repository, so a model
that memorised one project's vocabulary does not win; a majority-class baseline is
scored in the same folds so the gain is visible.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.neighbors import KNeighborsClassifier
from sklearn.svm import LinearSVC

logger = logging.getLogger(__name__)

CATEGORIES = (
    "functional_defect",
    "refactoring_design",
    "documentation",
    "style_nit",
    "question_discussion",
    "praise_noise",
)


def candidate_estimators(seed: int) -> dict[str, BaseEstimator]:
    """Small, fast models that suit a few hundred normalised embeddings."""
    return {
        "logistic_regression": LogisticRegression(
            C=4.0, max_iter=5000, class_weight="balanced", random_state=seed
        ),
        "linear_svm": LinearSVC(C=0.5, class_weight="balanced", random_state=seed),
        "knn_cosine": KNeighborsClassifier(
            n_neighbors=15, metric="cosine", weights="distance"
        ),
    }


@dataclass
class CommentClassifier:
    """What the filter needs at inference: the calibrated model and how its features
    were made."""

    estimator: Any
    classes: list[str]
    embedding_model: str
    include_diff_hunk: bool
    name: str

    def predict(self, features: np.ndarray) -> tuple[list[str], np.ndarray]:
        """Most likely category and its probability for each row."""
        if len(features) == 0:
            return [], np.zeros(0)
        probabilities = self.estimator.predict_proba(features)
        best = probabilities.argmax(axis=1)
        labels = [str(self.estimator.classes_[index]) for index in best]
        return labels, probabilities[np.arange(len(best)), best]


@dataclass
class SelectionResult:
    winner: str
    scores: dict[str, dict[str, float]]
    baseline: dict[str, float]
    per_class: dict[str, dict[str, float]]
    folds: int
    extra: dict[str, Any] = field(default_factory=dict)


def label_set_hash(rows: list[tuple[str, str]]) -> str:
    """Identifies the labelled data a model was trained on (order-independent)."""
    digest = hashlib.sha256()
    for body, category in sorted(rows):
        digest.update(f"{category}\t{body}\n".encode())
    return digest.hexdigest()


def _folds(labels: np.ndarray, groups: np.ndarray, folds: int, seed: int) -> list:
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    return list(splitter.split(np.zeros(len(labels)), labels, groups))


def _cross_val_predict(
    estimator: BaseEstimator, features: np.ndarray, labels: np.ndarray, splits: list
) -> np.ndarray:
    predicted = np.empty(len(labels), dtype=object)
    for train, test in splits:
        model = clone(estimator).fit(features[train], labels[train])
        predicted[test] = model.predict(features[test])
    return predicted


def select_model(
    features: np.ndarray,
    labels: np.ndarray,
    groups: np.ndarray,
    folds: int = 5,
    seed: int = 0,
    candidates: dict[str, BaseEstimator] | None = None,
) -> SelectionResult:
    """Macro-F1 of each candidate (and of the majority class) over the same folds,
    grouped by repository; per-class scores of the winner."""
    candidates = candidates or candidate_estimators(seed)
    splits = _folds(labels, groups, folds, seed)
    scores: dict[str, dict[str, float]] = {}
    predictions: dict[str, np.ndarray] = {}
    for name, estimator in candidates.items():
        predicted = _cross_val_predict(estimator, features, labels, splits)
        predictions[name] = predicted
        per_fold = [
            f1_score(labels[test], predicted[test], average="macro", zero_division=0)
            for _, test in splits
        ]
        scores[name] = {
            "macro_f1": float(f1_score(labels, predicted, average="macro")),
            "macro_f1_fold_std": float(np.std(per_fold)),
            "accuracy": float(np.mean(predicted == labels)),
        }
        logger.info("CV %s: macro-F1 %.3f", name, scores[name]["macro_f1"])
    majority = _cross_val_predict(
        DummyClassifier(strategy="most_frequent"), features, labels, splits
    )
    baseline = {
        "macro_f1": float(f1_score(labels, majority, average="macro", zero_division=0)),
        "accuracy": float(np.mean(majority == labels)),
    }
    winner = max(scores, key=lambda name: scores[name]["macro_f1"])
    classes = sorted(set(labels))
    precision, recall, f1, support = precision_recall_fscore_support(
        labels, predictions[winner], labels=classes, zero_division=0
    )
    per_class = {
        label: {
            "precision": float(p),
            "recall": float(r),
            "f1": float(f),
            "support": int(s),
        }
        for label, p, r, f, s in zip(
            classes, precision, recall, f1, support, strict=True
        )
    }
    return SelectionResult(winner, scores, baseline, per_class, len(splits))


def fit_calibrated(
    estimator: BaseEstimator,
    features: np.ndarray,
    labels: np.ndarray,
    groups: np.ndarray,
    folds: int = 5,
    seed: int = 0,
) -> CalibratedClassifierCV:
    """Sigmoid-calibrated probabilities, calibrated on repository-grouped folds."""
    splits = _folds(labels, groups, folds, seed)
    calibrated = CalibratedClassifierCV(clone(estimator), method="sigmoid", cv=splits)
    return calibrated.fit(features, labels)


def train(
    features: np.ndarray,
    labels: list[str],
    groups: list[str],
    *,
    embedding_model: str,
    include_diff_hunk: bool,
    label_hash: str,
    folds: int = 5,
    seed: int = 0,
) -> tuple[CommentClassifier, dict[str, Any]]:
    """Select, calibrate and describe the classifier; the dict is model_info.json."""
    label_array = np.asarray(labels, dtype=object)
    group_array = np.asarray(groups, dtype=object)
    selection = select_model(features, label_array, group_array, folds, seed)
    estimator = candidate_estimators(seed)[selection.winner]
    calibrated = fit_calibrated(
        estimator, features, label_array, group_array, folds, seed
    )
    classes = [str(label) for label in calibrated.classes_]
    model = CommentClassifier(
        estimator=calibrated,
        classes=classes,
        embedding_model=embedding_model,
        include_diff_hunk=include_diff_hunk,
        name=selection.winner,
    )
    info = {
        "estimator": selection.winner,
        "classes": classes,
        "cross_validation": {
            "folds": selection.folds,
            "grouped_by": "repository",
            "candidates": selection.scores,
            "majority_baseline": selection.baseline,
            "per_class": selection.per_class,
        },
        "calibration": "sigmoid, repository-grouped folds",
        "embedding_model": embedding_model,
        "include_diff_hunk": include_diff_hunk,
        "label_set_hash": label_hash,
        "training_rows": len(labels),
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    return model, info
