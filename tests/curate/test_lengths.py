"""Length statistics, the histogram, and trimming critique records by whole hunks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest
from matplotlib.figure import Figure

from prreview.curate.lengths import (
    histogram_figure,
    length_stats,
    round_up,
    trim_critique_record,
)
from prreview.diffs.critique import ReviewContext, critique_messages
from prreview.diffs.render import CommentBlock, render_patch
from prreview.schemas import FilePatch


def hunk(start: int, name: str) -> str:
    body = "".join(f" context_{name}_{i}\n" for i in range(3))
    return (
        f"@@ -{start},4 +{start},4 @@ def {name}():\n{body}-old_{name}\n+new_{name}\n"
    )


PATCH = "".join(
    hunk(start, name)
    for start, name in [(10, "a"), (40, "b"), (80, "c"), (120, "d"), (160, "e")]
)


def record(blocks: list[CommentBlock]) -> dict:
    file = FilePatch(
        path="m.py",
        previous_path=None,
        status="modified",
        additions=5,
        deletions=5,
        binary=False,
        patch=PATCH,
    )
    context = ReviewContext("o/r", "Rename", "m.py", "Python", render_patch(file))
    return {"messages": critique_messages(context, blocks), "metadata": {"repo": "o/r"}}


def chars(messages: Sequence[Mapping[str, str]]) -> int:
    return sum(len(message["content"]) for message in messages)


def diff_of(rec: Mapping) -> str:
    return rec["messages"][1]["content"].split("Diff:\n", 1)[1]


def test_length_stats_percentiles_and_coverage() -> None:
    counts = list(range(1, 101))  # 1..100
    stats = length_stats(counts)
    assert (stats["count"], stats["min"], stats["max"]) == (100, 1, 100)
    assert stats["mean"] == pytest.approx(50.5)
    assert (stats["p50"], stats["p90"], stats["p95"], stats["p99"]) == (50, 90, 95, 99)
    assert stats["max_length_95"] == 128
    assert length_stats([3000] * 90 + [3601] * 6 + [9000] * 4)["max_length_95"] == 3648
    assert length_stats([], multiple=8)["max_length_95"] is None
    assert round_up(64, 64) == 64 and round_up(65, 8) == 72


def test_histogram_figure_is_a_figure() -> None:
    figure = histogram_figure([10, 20, 20, 500], max_length=64)
    assert isinstance(figure, Figure)
    assert "1 over 64" in figure.axes[0].get_title()


def test_trim_keeps_commented_hunk_and_drops_farthest_first() -> None:
    commented = CommentBlock(path="m.py", side="RIGHT", line=83, body="Why rename?")
    full = record([commented])
    size = chars(full["messages"])
    hunk_size = len(hunk(80, "c")) + 20
    assert trim_critique_record(full, size, chars) is full
    trimmed = trim_critique_record(full, size - 1, chars)
    assert trimmed is not None and trimmed is not full
    assert trimmed["metadata"] == {"repo": "o/r", "trimmed_hunks": 1}
    diff = diff_of(trimmed)
    assert "def a()" in diff and "def e()" not in diff  # e is as far as a, but later
    smaller = trim_critique_record(full, size - 3 * hunk_size, chars)
    assert smaller is not None
    diff = diff_of(smaller)
    assert "def c()" in diff and "def a()" not in diff and "def e()" not in diff
    assert diff.startswith("--- a/m.py\n+++ b/m.py\n@@")
    assert "new_c" in diff and "context_c_2" in diff  # the hunk whole
    assert full["messages"][1]["content"].count("@@ -") == 5  # input untouched


def test_trim_is_none_when_commented_hunks_alone_do_not_fit() -> None:
    blocks = [
        CommentBlock(path="m.py", side="RIGHT", line=13, body="x"),
        CommentBlock(path="m.py", side="LEFT", line=163, body="y"),
    ]
    full = record(blocks)
    assert trim_critique_record(full, chars(full["messages"]) // 2, chars) is None
    fits = trim_critique_record(full, chars(full["messages"]) - 1, chars)
    assert fits is not None
    assert "def a()" in diff_of(fits) and "def e()" in diff_of(fits)


def test_trim_without_comments_keeps_the_first_hunk() -> None:
    full = record([])
    trimmed = trim_critique_record(full, chars(full["messages"]) - 300, chars)
    assert trimmed is not None
    assert "def a()" in diff_of(trimmed) and "def e()" not in diff_of(trimmed)
    assert trim_critique_record(full, 10, chars) is None
