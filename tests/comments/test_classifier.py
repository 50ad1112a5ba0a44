"""Model selection grouped by repository, calibration, and prediction."""

from __future__ import annotations

import numpy as np

from prreview.comments.classifier import label_set_hash, select_model, train


def separable(rng: np.random.Generator, per_class: int = 30, dims: int = 16):
    centers = rng.normal(size=(3, dims)) * 3
    features, labels, groups = [], [], []
    for index, center in enumerate(centers):
        for row in range(per_class):
            features.append(center + rng.normal(size=dims))
            labels.append(f"class_{index}")
            groups.append(f"repo_{row % 6}")
    return np.asarray(features), np.asarray(labels, dtype=object), np.asarray(groups)


def test_selection_beats_the_majority_baseline_on_learnable_data() -> None:
    features, labels, groups = separable(np.random.default_rng(0))
    result = select_model(features, labels, groups, folds=3)
    best = result.scores[result.winner]["macro_f1"]
    assert best > 0.9 and best > result.baseline["macro_f1"] + 0.5
    assert set(result.per_class) == {"class_0", "class_1", "class_2"}
    assert result.folds == 3


def test_train_returns_a_calibrated_model_and_its_description() -> None:
    features, labels, groups = separable(np.random.default_rng(1))
    model, info = train(
        features,
        list(labels),
        list(groups),
        embedding_model="m",
        include_diff_hunk=False,
        label_hash="h",
        folds=3,
    )
    predicted, probability = model.predict(features[:5])
    assert predicted == ["class_0"] * 5
    assert ((probability > 0.5) & (probability <= 1)).all()
    assert info["classes"] == ["class_0", "class_1", "class_2"]
    assert info["cross_validation"]["grouped_by"] == "repository"
    assert info["label_set_hash"] == "h" and info["embedding_model"] == "m"
    empty_labels, empty_probabilities = model.predict(np.zeros((0, 16)))
    assert empty_labels == [] and empty_probabilities.size == 0


def test_label_set_hash_ignores_row_order() -> None:
    rows = [("a", "x"), ("b", "y")]
    assert label_set_hash(rows) == label_set_hash(rows[::-1])
    assert label_set_hash(rows) != label_set_hash([("a", "x"), ("b", "x")])
