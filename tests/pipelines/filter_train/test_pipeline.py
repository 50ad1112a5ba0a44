"""filter_train on the hand-labelled comments: cleaning, cross-validation, the model."""

from __future__ import annotations

import pandas as pd
import pytest

from prreview.comments.classifier import CATEGORIES
from prreview.pipelines.filter_train.nodes import (
    FilterTrainParams,
    LabelledDataError,
    prepare_labelled_comments,
    train_comment_classifier,
)


@pytest.fixture(scope="module")
def trained(trained_classifier):
    return trained_classifier


def test_classifier_beats_the_majority_baseline_clearly(trained) -> None:
    _, info, _ = trained
    cv = info["cross_validation"]
    best = cv["candidates"][info["estimator"]]["macro_f1"]
    assert best >= cv["majority_baseline"]["macro_f1"] + 0.3, cv
    assert cv["grouped_by"] == "repository" and cv["folds"] == 5


def test_model_info_describes_the_model(trained) -> None:
    model, info, metrics = trained
    assert info["classes"] == sorted(CATEGORIES) == model.classes
    assert set(info["cross_validation"]["per_class"]) == set(CATEGORIES)
    assert info["embedding_model"] == "bundled:all-MiniLM-L6-v2"
    assert len(info["label_set_hash"]) == 64 and info["created_at"]
    assert info["training_rows"] >= 400
    assert metrics["cv_macro_f1_majority_baseline"]["step"] == 0
    assert {f"cv_f1_{c}" for c in CATEGORIES} <= set(metrics)


def test_the_model_sorts_fresh_comments(trained, bundled_encoder) -> None:
    model, _, _ = trained
    texts = [
        "This dereferences `user` before the null check two lines below; it will "
        "throw for anonymous requests.",
        "Thanks, LGTM!",
        "Please add a docstring explaining what `retries` counts.",
    ]
    labels, probabilities = model.predict(bundled_encoder.encode(texts))
    assert labels == ["functional_defect", "praise_noise", "documentation"]
    assert all(0 < p <= 1 for p in probabilities)


def test_prepare_drops_unusable_rows_with_reasons(caplog) -> None:
    frame = pd.DataFrame(
        {
            "repo": ["a/b"] * 5,
            "category": [
                "style_nit",
                "style_nit",
                "nonsense",
                "documentation",
                "style_nit",
            ],
            "body": ["nit: spacing", "nit: spacing", "text", None, "<b>nit</b>: name"],
        }
    )
    kept = prepare_labelled_comments(frame)
    assert kept["body"].tolist() == ["nit: spacing", "nit: name"]
    assert "duplicate_body" in caplog.text and "unknown_category" in caplog.text
    with pytest.raises(LabelledDataError, match="lacks columns"):
        prepare_labelled_comments(frame.drop(columns=["repo"]))


def test_too_few_rows_per_class_is_a_clear_error(bundled_encoder) -> None:
    frame = pd.DataFrame(
        {
            "repo": ["a/b"] * 3,
            "category": ["style_nit"] * 3,
            "body": ["nit one", "nit two", "nit three"],
            "diff_hunk": [""] * 3,
        }
    )
    with pytest.raises(LabelledDataError, match="too few"):
        train_comment_classifier(frame, bundled_encoder, FilterTrainParams())
