"""Ranking keeps each file's best comments: top k, above a score, counted."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from prreview.comments.classifier import CommentClassifier
from prreview.diffs.render import CommentBlock
from prreview.review.inference import ReviewedFile
from prreview.review.rank import classifier_scorer, rank_reviews


def c(body: str, line: int = 1) -> CommentBlock:
    return CommentBlock("a.py", "RIGHT", line, body)


SHORT, LONG, MIDDLE, TINY = "s" * 30, "l" * 80, "m" * 50, "t" * 10
REVIEWS = [
    ReviewedFile("a.py", "comments", (c(SHORT), c(LONG, 2), c(MIDDLE, 3)), {"kept": 3}),
    ReviewedFile("b.py", "comments", (c(TINY),), {"kept": 1, "repaired:path": 1}),
    ReviewedFile("c.py", "no_comments", (), {"kept": 0}),
]


class LengthScorer:
    """Score = len(body) / 100; remembers what it was asked."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def __call__(self, bodies: Sequence[str]) -> np.ndarray:
        self.calls.append(list(bodies))
        return np.array([len(body) / 100 for body in bodies])


def test_top_k_keeps_the_best_of_each_file_in_score_order() -> None:
    scorer = LengthScorer()
    a, b, c_ = rank_reviews(REVIEWS, scorer, top_k=2)
    assert scorer.calls == [[SHORT, LONG, MIDDLE, TINY]], "one batch, in order"
    assert a.comments == (c(LONG, 2), c(MIDDLE, 3))
    assert a.counts == {"kept": 2, "dropped:rank_score": 0, "dropped:rank_top_k": 1}
    assert (b.status, b.comments) == ("comments", (c(TINY),))
    assert b.counts == {
        "kept": 1,
        "repaired:path": 1,
        "dropped:rank_score": 0,
        "dropped:rank_top_k": 0,
    }
    assert (c_.status, c_.comments) == ("no_comments", ())


def test_without_limits_every_comment_stays_best_first() -> None:
    (a, *_) = rank_reviews(REVIEWS, LengthScorer())
    assert a.comments == (c(LONG, 2), c(MIDDLE, 3), c(SHORT))
    assert a.counts["kept"] == 3


def test_min_score_drops_and_an_emptied_file_is_silent() -> None:
    a, b, _ = rank_reviews(REVIEWS, LengthScorer(), min_score=0.5)
    assert a.comments == (c(LONG, 2), c(MIDDLE, 3)), "0.5 itself stays"
    assert a.counts == {"kept": 2, "dropped:rank_score": 1, "dropped:rank_top_k": 0}
    assert b.status == "no_comments"
    assert b.comments == ()
    assert b.counts["dropped:rank_score"] == 1
    assert b.counts["kept"] == 0


def test_both_cuts_are_counted_apart() -> None:
    (a, *_) = rank_reviews(REVIEWS, LengthScorer(), top_k=1, min_score=0.4)
    assert a.comments == (c(LONG, 2),)
    assert a.counts == {"kept": 1, "dropped:rank_score": 1, "dropped:rank_top_k": 1}


def test_equal_scores_keep_the_model_order() -> None:
    review = ReviewedFile("a.py", "comments", (c("one"), c("two", 2), c("six", 3)))
    (ranked,) = rank_reviews([review], LengthScorer(), top_k=2)
    assert ranked.comments == (c("one"), c("two", 2))


def test_a_truncated_file_keeps_its_status_when_emptied() -> None:
    review = ReviewedFile("a.py", "truncated", (c(TINY),))
    (ranked,) = rank_reviews([review], LengthScorer(), min_score=0.9)
    assert (ranked.status, ranked.comments) == ("truncated", ())


CLASSES = ["documentation", "functional_defect", "style_nit"]
DIMENSION = 4


class FakeEncoder:
    """Deterministic vectors: one axis per vowel count, plus the length."""

    dimension = DIMENSION

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return np.array(
            [[t.count("a"), t.count("e"), t.count("o"), len(t) / 10] for t in texts],
            dtype=np.float32,
        )


@pytest.fixture(scope="module")
def classifier() -> CommentClassifier:
    rng = np.random.default_rng(0)
    features = rng.normal(size=(30, DIMENSION))
    labels = np.array(CLASSES * 10)
    estimator = LogisticRegression(max_iter=1000).fit(features, labels)
    return CommentClassifier(
        estimator=estimator,
        classes=list(CLASSES),
        embedding_model="fake",
        include_diff_hunk=False,
        name="logistic_regression",
    )


def test_classifier_scorer_refuses_unknown_categories(
    classifier: CommentClassifier,
) -> None:
    with pytest.raises(ValueError, match=r"\['praise_noise'\]"):
        classifier_scorer(classifier, FakeEncoder(), ["style_nit", "praise_noise"])


def test_classifier_scorer_sums_the_kept_categories(
    classifier: CommentClassifier,
) -> None:
    bodies = ["a real bug here", "typo", "one more example of a doc"]
    score = classifier_scorer(classifier, FakeEncoder(), ["style_nit", "documentation"])
    probabilities = classifier.estimator.predict_proba(FakeEncoder().encode(bodies))
    expected = probabilities[:, 2] + probabilities[:, 0]
    np.testing.assert_allclose(score(bodies), expected)
    everything = classifier_scorer(classifier, FakeEncoder(), CLASSES)
    np.testing.assert_allclose(everything(bodies), np.ones(3))
    assert score([]).shape == (0,)
