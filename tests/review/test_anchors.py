"""Generated comments land on a line the diff shows, are repaired, or are dropped."""

from __future__ import annotations

from collections import Counter

from prreview.diffs.hunks import parse_patch
from prreview.diffs.render import CommentBlock
from prreview.review.anchors import MIN_QUOTE, check_anchors, quoted_line, quotes

PATCH = (
    "@@ -10,3 +10,5 @@ def run(queue):\n"
    "     item = queue.pop()\n"
    "-    process(item)\n"
    "+    if item is None:\n"
    "+        return\n"
    "+    process(item)\n"
    '     log.info("done")\n'
    "@@ -40,2 +42,2 @@ def stop(queue):\n"
    "     queue.close()\n"
    "-    return True\n"
    "+    return False"
)
HUNKS = parse_patch(PATCH)


def block(line: int, body: str, side: str = "RIGHT", **fields: object) -> CommentBlock:
    values: dict[str, object] = {"path": "app.py", "side": side, "line": line}
    return CommentBlock(**(values | {"body": body} | fields))


def test_comments_on_shown_lines_are_kept_unchanged() -> None:
    blocks = [
        block(11, "Guard clause."),
        block(11, "Why was this removed?", side="LEFT"),
        block(13, "Whole block.", start_line=11),
        block(43, "Range across sides.", start_line=41, start_side="LEFT"),
    ]
    checked = check_anchors(blocks, "app.py", HUNKS)
    assert checked.comments == tuple(blocks)
    assert checked.counts == Counter({"kept": 4})


def test_a_comment_on_another_path_is_moved_to_the_file() -> None:
    checked = check_anchors(
        [block(43, "Return True?", path="lib/other.py")], "app.py", HUNKS
    )
    assert checked.comments == (block(43, "Return True?"),)
    assert checked.counts == Counter({"repaired:path": 1, "kept": 1})


def test_a_missing_line_moves_to_the_line_its_body_quotes() -> None:
    body = "Is `if item is None:` enough here?"
    checked = check_anchors([block(30, body)], "app.py", HUNKS)
    assert checked.comments == (block(11, body),)
    assert checked.counts == Counter({"repaired:quoted_line": 1, "kept": 1})


def test_a_quoted_removed_line_is_commented_on_the_left_side() -> None:
    body = "Callers relied on `return True`."
    checked = check_anchors([block(99, body, start_line=95)], "app.py", HUNKS)
    assert checked.comments == (block(41, body, side="LEFT"),)
    assert checked.counts == Counter({"repaired:quoted_line": 1, "kept": 1})


def test_a_fenced_quote_also_moves_a_comment() -> None:
    body = "Should this be\n```python\n    return False\n```\nat all?"
    checked = check_anchors([block(5, body, side="LEFT")], "app.py", HUNKS)
    assert checked.comments == (block(43, body),)


def test_a_quote_of_two_lines_is_ambiguous_and_dropped() -> None:
    twice = block(99, "`process(item)` moved down")  # removed 11 and added 13
    two_quotes = block(98, "`queue.close()` then `if item is None`")
    checked = check_anchors([twice, two_quotes], "app.py", HUNKS)
    assert checked.comments == ()
    assert checked.counts == Counter({"dropped:ambiguous_quote": 2, "kept": 0})


def test_a_missing_line_without_a_usable_quote_is_dropped() -> None:
    blocks = [
        block(99, "This looks wrong."),
        block(99, "Call `never_called()` instead."),
        block(99, "Rename `log`."),  # shorter than MIN_QUOTE: ignored
        block(14, "Only on the new side.", side="LEFT"),
    ]
    checked = check_anchors(blocks, "app.py", HUNKS)
    assert checked.comments == ()
    assert checked.counts == Counter({"dropped:line_not_in_diff": 4, "kept": 0})


def test_a_range_starting_outside_the_end_hunk_becomes_one_line() -> None:
    blocks = [
        block(43, "Spans two hunks.", start_line=13),
        block(43, "Old side, other hunk.", start_line=11, start_side="LEFT"),
    ]
    checked = check_anchors(blocks, "app.py", HUNKS)
    assert checked.comments == (
        block(43, "Spans two hunks."),
        block(43, "Old side, other hunk."),
    )
    assert checked.counts == Counter({"repaired:range": 2, "kept": 2})


def test_duplicates_and_empty_bodies_are_dropped() -> None:
    kept = block(12, "Return a value.")
    blocks = [
        kept,
        block(12, "Return a value.  "),  # same text once stripped
        block(12, " \n\t"),
        block(12, "Return a value.", path="other.py"),  # a duplicate once moved
        block(12, "Another remark."),
    ]
    checked = check_anchors(blocks, "app.py", HUNKS)
    assert checked.comments == (kept, block(12, "Another remark."))
    assert checked.counts == Counter(
        {
            "kept": 2,
            "dropped:duplicate": 2,
            "dropped:empty_body": 1,
            "repaired:path": 1,
        }
    )


def test_quotes_skip_short_spans_and_read_fenced_lines() -> None:
    assert MIN_QUOTE == 4
    body = (
        "Use `x` or `if`, and `value` here.\n"
        "```python\n"
        "foo = bar()\n"
        "  baz\n"
        "\n"
        "```\n"
        "Then ` spaced out `."
    )
    assert quotes(body) == ["value", "spaced out", "foo = bar()"]
    assert quotes("No code at all.") == []


def test_quoted_line_tells_none_from_ambiguous() -> None:
    assert quoted_line("`if item is None`", HUNKS) == ("RIGHT", 11)
    assert quoted_line("`return True`", HUNKS) == ("LEFT", 41)
    assert quoted_line("`nothing like it`", HUNKS) is None
    assert quoted_line("`process(item)`", HUNKS) is False
    # one unique quote decides even next to an ambiguous one
    assert quoted_line("`process(item)` vs `return False`", HUNKS) == ("RIGHT", 43)
