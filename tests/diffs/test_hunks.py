"""parse_patch / parse_diff_hunk on hand-written patches and on the whole sample."""

from __future__ import annotations

import pytest
from unidiff import PatchSet

from prreview.diffs.hunks import (
    DiffLine,
    HunkParseError,
    parse_diff_hunk,
    parse_hunk_header,
    parse_patch,
)

PATCH = (
    "@@ -10,4 +10,6 @@ def handler(event):\n"
    "     data = load(event)\n"
    "-    return data\n"
    "+    if not data:\n"
    "+        return None\n"
    "+    return data.strip()\n"
    " \n"
    " def other():\n"
    "@@ -40,2 +41,2 @@ class Store:\n"
    "-    size = 1\n"
    "+    size = 2\n"
    "     name = 'x'"
)


def test_numbers_kinds_and_text() -> None:
    first, second = parse_patch(PATCH)
    assert (first.index, first.old_start, first.old_count) == (0, 10, 4)
    assert (first.new_start, first.new_count) == (10, 6)
    assert first.section == "def handler(event):"
    assert first.header == "@@ -10,4 +10,6 @@ def handler(event):"
    assert first.lines[:3] == (
        DiffLine("context", 10, 10, "    data = load(event)"),
        DiffLine("removed", 11, None, "    return data"),
        DiffLine("added", None, 11, "    if not data:"),
    )
    assert first.lines[-1] == DiffLine("context", 13, 15, "def other():")
    assert second.index == 1
    assert [line.raw for line in second.lines] == [
        "-    size = 1",
        "+    size = 2",
        "     name = 'x'",
    ]


def test_side_views_and_lookup() -> None:
    first = parse_patch(PATCH)[0]
    assert [line.new_line for line in first.side_lines("RIGHT")] == list(range(10, 16))
    assert [line.old_line for line in first.side_lines("LEFT")] == [10, 11, 12, 13]
    assert first.find("LEFT", 11) == first.lines[1]
    assert first.find("RIGHT", 11) == first.lines[2]
    assert first.find("RIGHT", 16) is None
    assert first.lines[0].number("LEFT") == 10


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("@@ -1 +0,0 @@", (1, 1, 0, 0, "")),
        ("@@ -0,0 +1 @@", (0, 0, 1, 1, "")),
        ("@@ -3,0 +4,2 @@", (3, 0, 4, 2, "")),
        ("@@ -1,2 +1,3 @@ fn main() {", (1, 2, 1, 3, "fn main() {")),
        ("@@ -1,2 +1,3 @@@@ odd", (1, 2, 1, 3, "@@ odd")),
    ],
)
def test_hunk_headers(header: str, expected: tuple) -> None:
    parsed = parse_hunk_header(header)
    fields = (parsed.old_start, parsed.old_count, parsed.new_start, parsed.new_count)
    assert (*fields, parsed.section) == expected


def test_single_number_headers_of_added_and_removed_files() -> None:
    (removed,) = parse_patch("@@ -1 +0,0 @@\n-gone")
    assert removed.lines == (DiffLine("removed", 1, None, "gone"),)
    (added,) = parse_patch("@@ -0,0 +1 @@\n+new")
    assert added.lines == (DiffLine("added", None, 1, "new"),)


def test_no_newline_markers() -> None:
    patch = (
        "@@ -1,2 +1,2 @@\n"
        " a\n"
        "-b\n"
        "\\ No newline at end of file\n"
        "+b\n"
        "\\ No newline at end of file"
    )
    (hunk,) = parse_patch(patch)
    kinds = [line.kind for line in hunk.lines]
    assert kinds == [
        "context",
        "removed",
        "no_newline_marker",
        "added",
        "no_newline_marker",
    ]
    marker = hunk.lines[2]
    assert (marker.old_line, marker.new_line) == (None, None)
    assert marker.raw == "\\ No newline at end of file"
    assert [line.raw for line in hunk.lines] == patch.split("\n")[1:]


def test_crlf_stays_in_text_and_is_never_a_line_break() -> None:
    (hunk,) = parse_patch("@@ -1,2 +1,2 @@\r\n a\r\n-b\r\n+c\r\r")
    assert hunk.section == "\r"
    assert [line.text for line in hunk.lines] == ["a\r", "b\r", "c\r\r"]
    assert hunk.lines[-1].new_line == 2


@pytest.mark.parametrize("separator", ["\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\r"])
def test_only_newline_breaks_lines(separator: str) -> None:
    (hunk,) = parse_patch(f"@@ -1 +1 @@\n-a{separator}b\n+a{separator}c")
    assert [line.text for line in hunk.lines] == [f"a{separator}b", f"a{separator}c"]


def test_replacement_characters_are_ordinary_text() -> None:
    (hunk,) = parse_patch("@@ -1 +1 @@\n-caf\ufffd\n+caf\ufffd\ufffd")
    assert hunk.lines[1].text == "caf\ufffd\ufffd"


def test_empty_and_binary_patches_have_no_hunks() -> None:
    assert parse_patch("") == ()
    assert parse_patch(None) == ()


def test_one_trailing_newline_is_tolerated() -> None:
    assert parse_patch("@@ -1 +1 @@\n-a\n+b\n") == parse_patch("@@ -1 +1 @@\n-a\n+b")


def test_an_empty_line_is_an_empty_context_line() -> None:
    (hunk,) = parse_patch("@@ -1,3 +1,3 @@\n a\n\n b")
    assert hunk.lines[1] == DiffLine("context", 2, 2, "")


def test_a_hunk_with_no_lines() -> None:
    (hunk,) = parse_patch("@@ -0,0 +0,0 @@")
    assert hunk.lines == ()


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ("diff --git a/x b/x\n@@ -1 +1 @@\n-a\n+b", "must start with '@@ '"),
        ("@@ -a +1 @@\n-a", "not a hunk header"),
        ("@@ -1 +1\n-a\n+b", "not a hunk header"),
        ("@@ -1,1 +1,1 @@\n-a\n+b\n+c", "longer than its header"),
        ("@@ -1,2 +1,2 @@\n a", "ends early"),
        ("@@ -1,2 +1,2 @@\n a\n@@ -5 +5 @@\n-x\n+y", "ends early"),
        ("@@ -0,3 +1,3 @@\n a", "starts at line 0"),
        ("@@ -1 +1 @@\n*a\n+b", "expected a line starting with"),
        ("@@ -1 +1 @@\n\\ No newline at end of file\n-a\n+b", "follows no content"),
        ("@@ -1 +1 @@\n-a\n\\ x\n\\ y\n+b", "follows no content"),
        ("@@ -1 +1 @@\n-a\n+b\n\n", "longer than its header"),
        ("@@ -12345678901 +1 @@\n-a\n+b", "not a hunk header"),
        ("@@ -\u0661 +1 @@\n-a\n+b", "not a hunk header"),
    ],
)
def test_malformed_patches_raise_the_module_error(patch: str, message: str) -> None:
    with pytest.raises(HunkParseError, match=message):
        parse_patch(patch)


def test_errors_name_the_line() -> None:
    with pytest.raises(HunkParseError, match="line 3"):
        parse_patch("@@ -1 +1 @@\n-a\n?b")


def test_hunk_parse_error_is_a_value_error() -> None:
    assert issubclass(HunkParseError, ValueError)


def test_diff_hunk_may_stop_at_the_commented_line() -> None:
    hunk = parse_diff_hunk("@@ -10,6 +10,8 @@ def f():\n     a\n+    b")
    assert hunk.lines[-1] == DiffLine("added", None, 11, "    b")


@pytest.mark.parametrize(
    ("diff_hunk", "message"),
    [
        ("", "holds one hunk"),
        ("@@ -1,3 +1,3 @@", "no line after its header"),
        ("@@ -1 +1 @@\n-a\n+b\n@@ -5 +5 @@\n-c", "holds one hunk"),
        ("@@ -1,3 +1,3 @@\n a\n@@ -5 +5 @@\n-c", "ends early"),
        ("+a\n+b", "must start with"),
    ],
)
def test_malformed_diff_hunks(diff_hunk: str, message: str) -> None:
    with pytest.raises(HunkParseError, match=message):
        parse_diff_hunk(diff_hunk)


# ----------------------------------------------------------------- the bundled sample


def test_every_sample_patch_parses_and_matches_its_counts(sample) -> None:
    files = [file for file in sample.all_files() if file.patch]
    assert len(files) > 100
    for file in files:
        lines = [line for hunk in parse_patch(file.patch) for line in hunk.lines]
        added = sum(line.kind == "added" for line in lines)
        removed = sum(line.kind == "removed" for line in lines)
        assert (added, removed) == (file.additions, file.deletions), file.path


def test_line_numbers_agree_with_unidiff_on_the_sample_diffs(sample) -> None:
    """unidiff reads the same numbers from the full PR diff as we do per file."""
    for diff in sample.diffs.values():
        for ours, theirs in zip(diff.files, PatchSet(diff.diff or ""), strict=True):
            mine = [
                (line.old_line, line.new_line, line.text)
                for hunk in parse_patch(ours.patch)
                for line in hunk.lines
                if line.kind != "no_newline_marker"
            ]
            expected = [
                (line.source_line_no, line.target_line_no, line.value.rstrip("\n"))
                for hunk in theirs
                for line in hunk
                if line.line_type != "\\"
            ]
            assert mine == expected, ours.path


def test_every_sample_diff_hunk_ends_at_its_original_line(sample) -> None:
    for comment in sample.comments:
        last = parse_diff_hunk(comment.diff_hunk).side_lines(comment.side)[-1]
        assert last.number(comment.side) == comment.original_line, comment.id
