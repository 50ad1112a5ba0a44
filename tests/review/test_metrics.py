"""Location matching, precision/recall/F1 arithmetic, and BERTScore."""

from __future__ import annotations

import numpy as np
import pytest

from prreview.diffs.hunks import parse_patch
from prreview.diffs.render import CommentBlock
from prreview.review.metrics import (
    BertScorer,
    LocationCounts,
    hunk_counts,
    location_counts,
    match_comments,
    span,
    span_distance,
)


def c(
    line: int,
    side: str = "RIGHT",
    path: str = "a.py",
    start: int | None = None,
    start_side: str | None = None,
) -> CommentBlock:
    return CommentBlock(path, side, line, "x", start, start_side)


def test_span_is_the_range_on_the_comment_side() -> None:
    assert span(c(5)) == (5, 5)
    assert span(c(7, start=3)) == (3, 7)
    assert span(c(7, start=3, start_side="LEFT")) == (7, 7)


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ((1, 3), (5, 9), 2),
        ((5, 9), (1, 3), 2),
        ((1, 5), (3, 4), 0),
        ((4, 4), (4, 4), 0),
        ((3, 4), (5, 5), 1),
    ],
)
def test_span_distance(a: tuple[int, int], b: tuple[int, int], distance: int) -> None:
    assert span_distance(a, b) == distance


def test_each_human_comment_matches_one_generated_comment() -> None:
    assert match_comments([c(10)], [c(10), c(11)], tolerance=3) == [(0, 0)]
    assert match_comments([c(10), c(11)], [c(10)], tolerance=3) == [(0, 0)]


def test_closest_pairs_are_matched_first() -> None:
    assert match_comments([c(10), c(13)], [c(12)], tolerance=3) == [(1, 0)]
    # g1-h1 (1 line) goes first, which leaves h0 to g0 (2 lines)
    generated, human = [c(10), c(14)], [c(12), c(15)]
    assert match_comments(generated, human, tolerance=3) == [(0, 0), (1, 1)]


def test_tolerance_is_inclusive() -> None:
    assert match_comments([c(10)], [c(13)], tolerance=3) == [(0, 0)]
    assert match_comments([c(10)], [c(14)], tolerance=3) == []
    assert match_comments([c(10)], [c(11)], tolerance=0) == []


def test_another_side_or_path_never_matches() -> None:
    assert match_comments([c(10, side="LEFT")], [c(10)], tolerance=5) == []
    assert match_comments([c(10, path="b.py")], [c(10)], tolerance=5) == []


def test_an_overlapping_range_matches_at_distance_zero() -> None:
    assert match_comments([c(20, start=10)], [c(15)], tolerance=0) == [(0, 0)]
    assert match_comments([c(15)], [c(20, start=16)], tolerance=0) == []


def test_negative_tolerance_is_refused() -> None:
    with pytest.raises(ValueError, match="tolerance"):
        match_comments([c(1)], [c(1)], tolerance=-1)


def test_scores_precision_recall_f1() -> None:
    scores = LocationCounts(matched=2, generated=3, human=4).scores()
    assert scores == pytest.approx({"precision": 2 / 3, "recall": 1 / 2, "f1": 4 / 7})
    assert LocationCounts(1, 1, 1).scores() == {
        "precision": 1.0,
        "recall": 1.0,
        "f1": 1.0,
    }


@pytest.mark.parametrize(
    "counts", [LocationCounts(), LocationCounts(0, 3, 0), LocationCounts(0, 0, 4)]
)
def test_nothing_to_divide_by_scores_zero(counts: LocationCounts) -> None:
    assert counts.scores() == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


def test_location_counts_add_up() -> None:
    assert LocationCounts(1, 2, 3) + LocationCounts(4, 5, 6) == LocationCounts(5, 7, 9)
    parts = [LocationCounts(1, 1, 0), LocationCounts(0, 2, 2), LocationCounts(1, 0, 1)]
    assert sum(parts, LocationCounts()) == LocationCounts(2, 3, 3)


def test_location_counts_count_pairs_and_both_sides() -> None:
    generated = [c(10), c(30), c(50, side="LEFT")]
    human = [c(12), c(50)]
    assert location_counts(generated, human, tolerance=2) == LocationCounts(1, 3, 2)
    assert location_counts(generated, human, tolerance=0) == LocationCounts(0, 3, 2)


def test_hunk_counts_count_commented_hunks() -> None:
    hunks = parse_patch("@@ -1,2 +1,2 @@\n a\n-b\n+c\n@@ -20 +20 @@\n-d\n+e")
    generated = [c(1), c(2), c(2, side="LEFT"), c(99)]  # all in hunk 0, or nowhere
    human = [c(2), c(20, side="LEFT")]  # hunks 0 and 1
    assert hunk_counts(generated, human, hunks) == LocationCounts(1, 1, 2)
    assert hunk_counts([], human, hunks) == LocationCounts(0, 0, 2)


@pytest.fixture(scope="module")
def scorer() -> BertScorer:
    return BertScorer()


def test_bertscore_with_the_bundled_encoder(scorer: BertScorer) -> None:
    same = "Check that item is not None before calling process."
    paraphrase = "You should verify the value is not None before process runs."
    unrelated = "The weather in Paris is sunny today."
    result = scorer.score([same, same, same], [same, paraphrase, unrelated])
    assert set(result) == {"precision", "recall", "f1"}
    f1 = result["f1"]
    assert f1.shape == (3,)
    assert f1[0] > 0.99
    assert f1[2] < f1[1] < f1[0]
    assert scorer.describe() == {"model": "bundled:all-MiniLM-L6-v2", "layer": 4}


def test_bertscore_of_nothing_and_of_unpaired_input(scorer: BertScorer) -> None:
    empty = scorer.score([], [])
    assert {name: len(values) for name, values in empty.items()} == {
        "precision": 0,
        "recall": 0,
        "f1": 0,
    }
    assert all(isinstance(values, np.ndarray) for values in empty.values())
    with pytest.raises(ValueError, match="one reference per candidate"):
        scorer.score(["a", "b"], ["a"])
