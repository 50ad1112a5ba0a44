"""Anchoring review comments to the final patch: hand-written cases and the sample."""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

import pytest

from prreview.diffs.anchor import (
    Anchor,
    Unresolved,
    anchor_comment,
    anchor_comments,
)
from prreview.diffs.hunks import parse_diff_hunk, parse_patch
from prreview.schemas import FilePatch, FilteredComment, ReviewComment

logger = logging.getLogger(__name__)

PATCH = (
    "@@ -10,4 +10,6 @@ def handler(event):\n"
    "     data = load(event)\n"
    "-    return data\n"
    "+    if not data:\n"
    "+        return None\n"
    "+    return data.strip()\n"
    " \n"
    " def other():\n"
    "@@ -40,3 +41,3 @@ class Store:\n"
    "     name = 'x'\n"
    "-    size = 1\n"
    "+    size = 2\n"
    "     kind = 'y'"
)


def file_patch(
    path: str = "app.py", patch: str | None = PATCH, **fields: Any
) -> FilePatch:
    values: dict[str, Any] = {
        "path": path,
        "previous_path": None,
        "status": "modified",
        "additions": 4,
        "deletions": 2,
        "binary": False,
        "patch": patch,
    }
    return FilePatch(**(values | fields))


def comment(**fields: Any) -> ReviewComment:
    values: dict[str, Any] = {
        "id": 1,
        "repo": "o/r",
        "pr_number": 1,
        "path": "app.py",
        "line": 12,
        "start_line": None,
        "side": "RIGHT",
        "start_side": None,
        "original_line": 12,
        "original_start_line": None,
        "commit_id": "c2",
        "original_commit_id": "c1",
        "diff_hunk": "@@ -10,5 +10,6 @@\n     data = load(event)\n-    return data",
        "body": "Why?",
        "author": None,
        "author_type": "User",
        "author_association": "MEMBER",
        "in_reply_to_id": None,
        "pull_request_review_id": None,
        "outdated": False,
        "thread_resolved": False,
        "created_at": "2026-01-01T00:00:00Z",
        "updated_at": None,
        "iteration": 1,
    }
    return ReviewComment(**(values | fields))


def outdated(diff_hunk: str, original_line: int, **fields: Any) -> ReviewComment:
    return comment(
        line=None,
        outdated=True,
        diff_hunk=diff_hunk,
        original_line=original_line,
        **fields,
    )


# ---------------------------------------------------------------- current comments


@pytest.mark.parametrize(
    ("side", "line", "hunk_index"),
    [
        ("RIGHT", 12, 0),  # added
        ("RIGHT", 10, 0),  # context, new number
        ("LEFT", 11, 0),  # removed
        ("LEFT", 12, 0),  # context, old number
        ("RIGHT", 42, 1),
        ("LEFT", 41, 1),
    ],
)
def test_current_comments_land_on_their_line(
    side: str, line: int, hunk_index: int
) -> None:
    result = anchor_comment(comment(side=side, line=line), [file_patch()])
    assert result == Anchor("app.py", side, line, None, None, hunk_index, "line")


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"line": 99}, "line_not_in_diff"),
        ({"line": 16}, "line_not_in_diff"),  # past the hunk end
        ({"side": "LEFT", "line": 15}, "line_not_in_diff"),  # only a RIGHT number
        ({"path": "other.py"}, "path_not_in_diff"),
        ({"side": None}, "missing_side"),
        ({"line": None, "original_line": None}, "no_line"),
    ],
)
def test_current_comments_that_do_not_land(fields: dict, reason: str) -> None:
    result = anchor_comment(comment(**fields), [file_patch()])
    assert isinstance(result, Unresolved)
    assert (result.reason, result.path) == (reason, fields.get("path", "app.py"))


@pytest.mark.parametrize(
    ("patch", "reason"),
    [
        (file_patch(binary=True, patch=None), "binary_file"),
        (file_patch(patch=None, status="renamed"), "no_patch"),
        (file_patch(patch="@@ -1 +1 @@\n-a"), "malformed_patch"),
    ],
)
def test_files_without_a_usable_patch(patch: FilePatch, reason: str) -> None:
    result = anchor_comment(comment(), [patch])
    assert isinstance(result, Unresolved) and result.reason == reason


def test_a_path_listed_twice_is_not_guessed() -> None:
    result = anchor_comment(comment(), [file_patch(), file_patch()])
    assert isinstance(result, Unresolved) and result.reason == "path_ambiguous"


def test_renamed_files_are_found_by_their_new_path() -> None:
    renamed = file_patch(
        path="new/app.py", previous_path="old/app.py", status="renamed"
    )
    found = anchor_comment(comment(path="new/app.py"), [renamed])
    assert isinstance(found, Anchor) and found.path == "new/app.py"
    missing = anchor_comment(comment(path="old/app.py"), [renamed])
    assert isinstance(missing, Unresolved) and missing.reason == "path_not_in_diff"


def test_multi_line_comment_in_one_hunk() -> None:
    result = anchor_comment(comment(start_line=10, line=13), [file_patch()])
    assert result == Anchor("app.py", "RIGHT", 13, 10, "RIGHT", 0, "line")


def test_multi_line_comment_starting_on_the_left() -> None:
    result = anchor_comment(
        comment(start_line=11, start_side="LEFT", line=13), [file_patch()]
    )
    assert result == Anchor("app.py", "RIGHT", 13, 11, "LEFT", 0, "line")


def test_a_range_of_one_line_is_a_one_line_anchor() -> None:
    result = anchor_comment(comment(start_line=12, line=12), [file_patch()])
    assert result == Anchor("app.py", "RIGHT", 12, None, None, 0, "line")


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"start_line": 12, "line": 42}, "range_spans_hunks"),
        ({"start_line": 5, "line": 12}, "start_line_not_in_diff"),
        ({"start_line": 14, "line": 12}, "range_inverted"),
        ({"start_line": 13, "start_side": "LEFT", "line": 11}, "range_inverted"),
    ],
)
def test_bad_ranges(fields: dict, reason: str) -> None:
    result = anchor_comment(comment(**fields), [file_patch()])
    assert isinstance(result, Unresolved) and result.reason == reason


def test_filtered_comments_anchor_too() -> None:
    fields = comment().model_dump(
        exclude={
            "author_type",
            "in_reply_to_id",
            "pull_request_review_id",
            "thread_resolved",
            "updated_at",
        }
    )
    kept = FilteredComment(
        **fields, category="bug", probability=0.9, rule_trail=[], thread_replies=[]
    )
    assert isinstance(anchor_comment(kept, [file_patch()]), Anchor)


def test_anchor_comments_keeps_order() -> None:
    comments = [comment(line=12), comment(path="x"), comment(line=42)]
    results = anchor_comments(comments, [file_patch()])
    assert [type(result) for result in results] == [Anchor, Unresolved, Anchor]
    assert [getattr(result, "line", None) for result in results] == [12, None, 42]


# ---------------------------------------------------------------- outdated comments

# The first review saw `return data.strip()` at new line 13; a later push added two
# imports above it, so the final patch shows it at new line 15.
OLD_HUNK = (
    "@@ -10,5 +10,6 @@ def handler(event):\n"
    "     data = load(event)\n"
    "-    return data\n"
    "+    if not data:\n"
    "+        return None\n"
    "+    return data.strip()"
)
FINAL = (
    "@@ -7,7 +7,11 @@ import os\n"
    " import sys\n"
    "+import json\n"
    "+import re\n"
    " \n"
    " def handler(event):\n"
    "     data = load(event)\n"
    "-    return data\n"
    "+    if not data:\n"
    "+        return None\n"
    "+    return data.strip()\n"
    " \n"
    " def other():"
)


def via_hunk(line: int, start_line: int | None = None, **fields: Any) -> Anchor:
    start_side = fields.pop("start_side", None if start_line is None else "RIGHT")
    values = {"path": "app.py", "side": "RIGHT", "hunk_index": 0} | fields
    return Anchor(
        line=line,
        start_line=start_line,
        start_side=start_side,
        resolution="original_line_via_hunk",
        **values,
    )


def test_outdated_comment_is_found_by_its_text() -> None:
    result = anchor_comment(outdated(OLD_HUNK, 13), [file_patch(patch=FINAL)])
    assert result == via_hunk(15)


def test_outdated_comment_on_a_removed_line() -> None:
    old_hunk = "@@ -10,5 +10,6 @@\n     data = load(event)\n-    return data"
    result = anchor_comment(
        outdated(old_hunk, 11, side="LEFT"), [file_patch(patch=FINAL)]
    )
    assert result == via_hunk(11, side="LEFT")


def test_outdated_text_gone_from_that_side() -> None:
    gone = FINAL.replace("+    return data.strip()", "+    return data.lower()")
    result = anchor_comment(outdated(OLD_HUNK, 13), [file_patch(patch=gone)])
    assert isinstance(result, Unresolved) and result.reason == "outdated_unmatched"
    # the old text is still in the patch, but only on the LEFT
    left_only = FINAL.replace("+    return data.strip()", "-    return data.strip()")
    left_only = left_only.replace("@@ -7,7 +7,11", "@@ -7,8 +7,10")
    result = anchor_comment(outdated(OLD_HUNK, 13), [file_patch(patch=left_only)])
    assert isinstance(result, Unresolved) and result.reason == "outdated_unmatched"


DUPLICATED = (
    "@@ -1,2 +1,4 @@\n"
    " def a(data):\n"
    "+    if not data:\n"
    "+        return None\n"
    "     return data.strip()\n"
    "@@ -20,2 +22,4 @@\n"
    " def b(data):\n"
    "+    if not data:\n"
    "+        return None\n"
    "     return data.strip()"
)


def test_the_same_text_twice_with_the_same_context_stays_unresolved() -> None:
    result = anchor_comment(outdated(OLD_HUNK, 13), [file_patch(patch=DUPLICATED)])
    assert isinstance(result, Unresolved) and result.reason == "outdated_ambiguous"


def test_context_above_picks_between_equal_lines() -> None:
    first = "+    if not data:\n+        return None\n     return"
    final = DUPLICATED.replace(
        first, "+    log(data)\n+    data = data or ''\n     return", 1
    )
    result = anchor_comment(outdated(OLD_HUNK, 13), [file_patch(patch=final)])
    assert result == via_hunk(25, hunk_index=1)


def test_missing_context_is_not_a_mismatch() -> None:
    """A candidate at the top of its hunk is unknown above: no winner by elimination."""
    final = (
        "@@ -5,1 +5,1 @@\n"
        "-    pass\n"
        "+    return data.strip()\n"
        "@@ -20,2 +20,4 @@\n"
        " def b(data):\n"
        "+    if not data:\n"
        "+        return None\n"
        "     return data.strip()"
    )
    result = anchor_comment(outdated(OLD_HUNK, 13), [file_patch(patch=final)])
    assert isinstance(result, Unresolved) and result.reason == "outdated_ambiguous"


def test_a_unique_but_trivial_line_needs_matching_context() -> None:
    old_hunk = "@@ -1,2 +1,3 @@\n def f():\n+    x()\n+}"
    alone = "@@ -1,2 +1,2 @@\n-def g():\n-  y\n+def h():\n+}"
    result = anchor_comment(outdated(old_hunk, 3), [file_patch(patch=alone)])
    assert isinstance(result, Unresolved) and result.reason == "outdated_ambiguous"
    with_context = "@@ -1,2 +1,3 @@\n-def g():\n-  y\n+def f():\n+    x()\n+}"
    result = anchor_comment(outdated(old_hunk, 3), [file_patch(patch=with_context)])
    assert result == via_hunk(3)


@pytest.mark.parametrize(
    ("diff_hunk", "original_line", "reason"),
    [
        ("", 13, "no_diff_hunk"),
        ("@@ -1 +1 @@\n?x", 13, "malformed_diff_hunk"),
        (OLD_HUNK, 12, "diff_hunk_mismatch"),  # the hunk ends at 13, not 12
        (
            OLD_HUNK.replace("+    return data.strip()", "-    gone"),
            13,
            "diff_hunk_mismatch",
        ),
    ],
)
def test_outdated_comments_with_a_bad_diff_hunk(
    diff_hunk: str, original_line: int, reason: str
) -> None:
    result = anchor_comment(
        outdated(diff_hunk, original_line), [file_patch(patch=FINAL)]
    )
    assert isinstance(result, Unresolved) and result.reason == reason


def test_outdated_range_moves_with_its_end() -> None:
    result = anchor_comment(
        outdated(OLD_HUNK, 13, original_start_line=11), [file_patch(patch=FINAL)]
    )
    assert result == via_hunk(15, start_line=13)


def test_outdated_range_whose_text_changed_stays_unresolved() -> None:
    final = FINAL.replace("+        return None", "+        return []")
    result = anchor_comment(
        outdated(OLD_HUNK, 13, original_start_line=11), [file_patch(patch=final)]
    )
    assert isinstance(result, Unresolved)
    assert result.reason == "outdated_range_unmatched"


def test_outdated_range_starting_on_the_left() -> None:
    result = anchor_comment(
        outdated(OLD_HUNK, 13, original_start_line=11, start_side="LEFT"),
        [file_patch(patch=FINAL)],
    )
    assert result == via_hunk(15, start_line=11, start_side="LEFT")


@pytest.mark.parametrize("start", [3, 99])
def test_outdated_range_starting_outside_its_diff_hunk(start: int) -> None:
    result = anchor_comment(
        outdated(OLD_HUNK, 13, original_start_line=start), [file_patch(patch=FINAL)]
    )
    assert isinstance(result, Unresolved)
    assert result.reason == "outdated_range_unmatched"


def test_a_current_line_wins_over_the_outdated_flag() -> None:
    result = anchor_comment(comment(outdated=True), [file_patch()])
    assert isinstance(result, Anchor) and result.resolution == "line"


# ----------------------------------------------------------------- the bundled sample


def _line_text(files: list[FilePatch], anchor: Anchor) -> str:
    (file,) = [file for file in files if file.path == anchor.path]
    line = parse_patch(file.patch)[anchor.hunk_index].find(anchor.side, anchor.line)
    assert line is not None
    return line.text


def test_every_current_sample_comment_anchors_on_its_line(sample) -> None:
    current = [c for c in sample.comments if c.line is not None]
    assert len(current) > 300
    for c in current:
        result = anchor_comment(c, sample.files(c))
        assert isinstance(result, Anchor), (c.id, result)
        assert result.resolution == "line"
        assert (result.path, result.side, result.line) == (c.path, c.side, c.line)
        assert result.start_line == c.start_line


def test_outdated_sample_comments(sample, record_property) -> None:
    """How many outdated comments of the sample re-anchor, and never on other text.

    The sample's outdated comments sit on lines a later push rewrote or removed, so
    their text is no longer on their side of the final patch: none anchors.
    """
    old = [c for c in sample.comments if c.line is None]
    results = [anchor_comment(c, sample.files(c)) for c in old]
    anchored = [
        (c, r) for c, r in zip(old, results, strict=True) if isinstance(r, Anchor)
    ]
    reasons = Counter(r.reason for r in results if isinstance(r, Unresolved))
    record_property("outdated_anchored", len(anchored))
    record_property("outdated_unresolved", dict(reasons))
    logger.info("outdated: %d anchored, unresolved %s", len(anchored), dict(reasons))
    for c, result in anchored:
        expected = parse_diff_hunk(c.diff_hunk).side_lines(c.side)[-1].text
        assert _line_text(sample.files(c), result) == expected, c.id
    assert len(old) == 145
    assert (len(anchored), dict(reasons)) == (0, {"outdated_unmatched": 145})


def test_current_sample_comments_reanchor_by_text_on_the_same_line(sample) -> None:
    """Drop ``line`` from every current comment: the hunk route finds the same place.

    Their diff_hunk was taken on the final commit, so a text match that is unique
    must be the comment's own line; a different line would be a wrong anchor.
    """
    same = 0
    for c in sample.comments:
        if c.line is None:
            continue
        by_line = anchor_comment(c, sample.files(c))
        as_outdated = c.model_copy(
            update={
                "line": None,
                "start_line": None,
                "original_start_line": c.start_line,
                "outdated": True,
            }
        )
        by_text = anchor_comment(as_outdated, sample.files(c))
        if isinstance(by_text, Anchor):
            assert isinstance(by_line, Anchor)
            assert (by_text.line, by_text.start_line, by_text.hunk_index) == (
                by_line.line,
                by_line.start_line,
                by_line.hunk_index,
            ), c.id
            same += 1
    assert same == 376
