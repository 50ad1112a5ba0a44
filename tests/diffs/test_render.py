"""Prompt rendering of patches, and the comment format with its parser."""

from __future__ import annotations

import re
from typing import Any

import pytest

from prreview.diffs.anchor import Anchor, anchor_comment
from prreview.diffs.hunks import HunkParseError, parse_patch
from prreview.diffs.render import (
    NO_COMMENTS,
    CommentBlock,
    CommentFormatError,
    parse_comments,
    render_comment,
    render_comments,
    render_hunks,
    render_patch,
    unrender_patch,
)
from prreview.schemas import FilePatch

PATCH = (
    "@@ -8,4 +8,5 @@ def handler(event):\n"
    "     data = load(event)\n"
    "-    return data\n"
    "+    if not data:\n"
    "+        return None\n"
    "     return data\r\n"
    " \n"
    "\\ No newline at end of file"
)


def file_patch(patch: str | None = PATCH, **fields: Any) -> FilePatch:
    values: dict[str, Any] = {
        "path": "app.py",
        "previous_path": None,
        "status": "modified",
        "additions": 2,
        "deletions": 1,
        "binary": False,
        "patch": patch,
    }
    return FilePatch(**(values | fields))


def test_render_patch_labels_every_line() -> None:
    assert render_patch(file_patch()) == (
        "--- a/app.py\n"
        "+++ b/app.py\n"
        "@@ -8,4 +8,5 @@ def handler(event):\n"
        " 8      data = load(event)\n"
        "L9 -    return data\n"
        " 9 +    if not data:\n"
        "10 +        return None\n"
        "11      return data\r\n"
        "12  \n"
        "   \\ No newline at end of file"
    )


@pytest.mark.parametrize(
    ("fields", "header"),
    [
        ({"status": "added"}, "--- /dev/null\n+++ b/app.py"),
        ({"status": "removed"}, "--- a/app.py\n+++ /dev/null"),
        (
            {"status": "renamed", "previous_path": "old.py"},
            "--- a/old.py\n+++ b/app.py",
        ),
    ],
)
def test_file_headers(fields: dict, header: str) -> None:
    assert render_patch(file_patch(**fields)).startswith(header + "\n@@ ")


@pytest.mark.parametrize(
    ("fields", "header"),
    [
        ({"path": "a\nb.py"}, '--- "a/a\\nb.py"\n+++ "b/a\\nb.py"'),
        ({"path": 'say "hi".py'}, '--- "a/say \\"hi\\".py"\n+++ "b/say \\"hi\\".py"'),
        ({"path": "C:\\x.py"}, '--- "a/C:\\\\x.py"\n+++ "b/C:\\\\x.py"'),
        (
            {"path": "t\tab\x01\x7f"},
            '--- "a/t\\tab\\001\\177"\n+++ "b/t\\tab\\001\\177"',
        ),
        (
            {"path": "p\u2028.py"},
            '--- "a/p\\342\\200\\250.py"\n+++ "b/p\\342\\200\\250.py"',
        ),
        ({"path": "caf\u00e9 x.py"}, "--- a/caf\u00e9 x.py\n+++ b/caf\u00e9 x.py"),
        (
            {"path": "x\n@@ -1 +1 @@", "status": "added"},
            '--- /dev/null\n+++ "b/x\\n@@ -1 +1 @@"',
        ),
        (
            {"path": "new.py", "previous_path": "old\n.py", "status": "renamed"},
            '--- "a/old\\n.py"\n+++ b/new.py',
        ),
    ],
    ids=[
        "newline",
        "quote",
        "backslash",
        "controls",
        "line-separator",
        "unicode",
        "hunk-header-lookalike",
        "renamed",
    ],
)
def test_header_paths_are_quoted_as_git_does(fields: dict, header: str) -> None:
    """A path with a line break, a quote, a backslash or a control character is
    written in double quotes with C-style escapes, so the header stays two lines
    and unrender_patch reads the patch back."""
    file = file_patch(**fields)
    rendered = render_patch(file)
    assert rendered.startswith(header + "\n@@ ")
    assert len(rendered.splitlines()) == len(render_patch(file_patch()).splitlines())
    assert unrender_patch(rendered) == file.patch


def test_headerless_binary_and_empty_patches() -> None:
    assert render_patch(file_patch(), header=False).startswith("@@ -8,4")
    binary = file_patch(None, binary=True)
    assert render_patch(binary, header=False) == "Binary file, no patch"
    assert render_patch(file_patch(None), header=False) == "No textual change"
    assert render_patch(file_patch(""), header=False) == "No textual change"


def test_malformed_patch_raises_the_parser_error() -> None:
    with pytest.raises(HunkParseError):
        render_patch(file_patch("@@ -1,9 +1,9 @@\n-a"))


def test_labels_are_aligned_across_hunks() -> None:
    hunks = parse_patch("@@ -9 +9 @@\n-a\n+b\n@@ -120 +120 @@\n-c\n+d")
    assert render_hunks(hunks).split("\n") == [
        "@@ -9 +9 @@",
        "  L9 -a",
        "   9 +b",
        "@@ -120 +120 @@",
        "L120 -c",
        " 120 +d",
    ]


_LABEL = re.compile(r" *(L?)([0-9]+) ([ +-])(.*)", re.DOTALL)


def test_every_sample_label_names_its_line(sample) -> None:
    """Reading a label back gives the line with that number on that side."""
    checked = 0
    for file in sample.all_files():
        if not file.patch:
            continue
        hunks = parse_patch(file.patch)
        body = [line for line in render_hunks(hunks).split("\n") if line[:3] != "@@ "]
        lines = [line for hunk in hunks for line in hunk.lines]
        assert len(body) == len(lines)
        for rendered, line in zip(body, lines, strict=True):
            match = _LABEL.fullmatch(rendered)
            if line.kind == "no_newline_marker":
                assert match is None and rendered.strip() == line.raw
                continue
            assert match is not None, rendered
            side = "LEFT" if match[1] else "RIGHT"
            assert line.number(side) == int(match[2])
            assert match[3] + match[4] == line.raw
            checked += 1
    assert checked > 1_000


def test_sample_anchors_are_visible_in_the_rendered_patch(sample) -> None:
    for comment in sample.comments:
        anchor = anchor_comment(comment, sample.files(comment))
        if not isinstance(anchor, Anchor):
            continue
        (file,) = [f for f in sample.files(comment) if f.path == anchor.path]
        label = f"L{anchor.line}" if anchor.side == "LEFT" else str(anchor.line)
        labels = {line.split()[0] for line in render_patch(file).split("\n")[2:]}
        assert label in labels, comment.id


# ------------------------------------------------------------------ comment format


BLOCKS = [
    CommentBlock("app.py", "RIGHT", 12, "Return early here.", start_line=10),
    CommentBlock("app.py", "LEFT", 9, "Why was this removed?"),
    CommentBlock("src/a b.py", "RIGHT", 5, "Cover the\nempty case.", 3, "LEFT"),
]
RENDERED = (
    '<comment path="app.py" side="RIGHT" lines="10-12">\n'
    "Return early here.\n"
    "</comment>\n"
    "\n"
    '<comment path="app.py" side="LEFT" lines="9">\n'
    "Why was this removed?\n"
    "</comment>\n"
    "\n"
    '<comment path="src/a b.py" side="RIGHT" start_side="LEFT" lines="3-5">\n'
    "Cover the\n"
    "empty case.\n"
    "</comment>"
)


def test_render_comments_format() -> None:
    assert render_comments(BLOCKS) == RENDERED
    assert parse_comments(RENDERED) == BLOCKS


def test_no_comments_has_its_own_line() -> None:
    assert render_comments([]) == NO_COMMENTS
    assert parse_comments(NO_COMMENTS) == []
    assert parse_comments(f"\n{NO_COMMENTS}\n\n") == []
    with pytest.raises(CommentFormatError):
        parse_comments(f"  {NO_COMMENTS}")


def test_bodies_that_look_like_tags_are_escaped() -> None:
    body = "</comment>\n\\</comment>\n<comment x>\n\\n stays\n\r\n"
    block = CommentBlock('we"ird\\path\n', "RIGHT", 1, body)
    rendered = render_comment(block)
    assert rendered.split("\n")[1:4] == [
        "\\</comment>",
        "\\\\</comment>",
        "\\<comment x>",
    ]
    assert rendered.split("\n")[4] == "\\n stays"
    assert parse_comments(rendered) == [block]


@pytest.mark.parametrize("body", ["", "\n", "x\n", "\n\nx", "   ", NO_COMMENTS])
def test_blank_and_odd_bodies_round_trip(body: str) -> None:
    block = CommentBlock("a.py", "RIGHT", 1, body)
    assert parse_comments(render_comments([block, block])) == [block, block]


def test_blank_lines_around_and_between_blocks_are_allowed() -> None:
    padded = "\n\n" + RENDERED.replace("</comment>\n\n", "</comment>\n \n\t\n") + "\n"
    assert parse_comments(padded) == BLOCKS


def test_from_anchor() -> None:
    anchor = Anchor("a.py", "RIGHT", 7, 5, "RIGHT", 0, "line")
    block = CommentBlock.from_anchor(anchor, "Nit.")
    assert block == CommentBlock("a.py", "RIGHT", 7, "Nit.", 5, "RIGHT")
    assert CommentBlock("a.py", "RIGHT", 7, "x", 5) == CommentBlock(
        "a.py", "RIGHT", 7, "x", 5, "RIGHT"
    )


OPEN = '<comment path="a.py" side="RIGHT" lines="3">'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty output"),
        ("  \n", "empty output"),
        ("Looks good to me.", "expected a '<comment"),
        (f"{OPEN}\nbody", "never closed"),
        (f"{OPEN}\nbody\n{OPEN}\nx\n</comment>", "missing </comment>"),
        (f"{OPEN}\nbody\n</comment>  ", "missing </comment>"),
        (f"{OPEN}\nx\n</comment>\ntrailing words", "expected a '<comment"),
        (f"{OPEN}\nx\n</comment>\n{NO_COMMENTS}", "expected a '<comment"),
        ('<comment path="a.py" side="MIDDLE" lines="3">\nx\n</comment>', "expected"),
        ('<comment path="a.py" side="RIGHT" lines="0">\nx\n</comment>', "expected"),
        ('<comment path="a.py" side="RIGHT" lines="5-5">\nx\n</comment>', "before"),
        ('<comment path="a.py" side="RIGHT" lines="7-5">\nx\n</comment>', "before"),
        ('<comment path="" side="RIGHT" lines="3">\nx\n</comment>', "non-empty"),
        ('<comment path="a\\q" side="RIGHT" lines="3">\nx\n</comment>', "bad path"),
        ("<comment path=a.py side=RIGHT lines=3>\nx\n</comment>", "expected"),
        (
            '<comment path="a.py" side="RIGHT" start_side="RIGHT" lines="1-3">\nx\n'
            "</comment>",
            "start_side only",
        ),
        (
            '<comment path="a.py" side="RIGHT" start_side="LEFT" lines="3">\nx\n'
            "</comment>",
            "start_side only",
        ),
        (f"{OPEN}\r\nx\r\n</comment>\r", "expected a '<comment"),
    ],
)
def test_malformed_output_raises_the_format_error(text: str, message: str) -> None:
    with pytest.raises(CommentFormatError, match=re.escape(message)):
        parse_comments(text)


def test_errors_name_the_line() -> None:
    text = f"{OPEN}\nok\n</comment>\n\n{OPEN}\nnever closed"
    with pytest.raises(CommentFormatError, match="line 5: comment opened here"):
        parse_comments(text)


@pytest.mark.parametrize(
    "fields",
    [
        {"path": ""},
        {"side": "UP"},
        {"line": 0},
        {"line": True},
        {"line": 10**9},
        {"start_line": 3, "line": 3},
        {"start_line": 0},
        {"start_side": "LEFT"},
        {"start_line": 1, "start_side": "DOWN"},
        {"body": None},
    ],
)
def test_invalid_blocks_cannot_be_built(fields: dict) -> None:
    values: dict[str, Any] = {"path": "a.py", "side": "RIGHT", "line": 2, "body": "x"}
    with pytest.raises(CommentFormatError):
        CommentBlock(**(values | fields))


def test_format_error_is_a_value_error() -> None:
    assert issubclass(CommentFormatError, ValueError)


# ------------------------------------------------------------------ unrender_patch


NO_NEWLINE = (
    "@@ -1 +1,2 @@\n"
    "-old\n"
    "\\ No newline at end of file\n"
    "+new\n"
    "+last\n"
    "\\ No newline at end of file"
)
WIDE = "@@ -9 +9 @@\n-a\n+b\n@@ -120,2 +120,2 @@\n context\n-c\n+d"


@pytest.mark.parametrize(
    "file",
    [
        file_patch(),
        file_patch(status="added"),
        file_patch(status="renamed", previous_path="old.py"),
        file_patch(NO_NEWLINE),
        file_patch(WIDE),
    ],
    ids=["modified", "added", "renamed", "no_newline_marker", "wide_labels"],
)
def test_unrender_patch_inverts_render_patch(file: FilePatch) -> None:
    for header in (True, False):
        rendered = render_patch(file, header=header)
        assert unrender_patch(rendered) == file.patch
        assert parse_patch(unrender_patch(rendered)) == parse_patch(file.patch)


def test_unrender_patch_of_a_file_without_a_patch_is_empty() -> None:
    assert unrender_patch(render_patch(file_patch(None, binary=True))) == ""
    assert unrender_patch(render_patch(file_patch(""))) == ""
    assert unrender_patch(render_patch(file_patch(None), header=False)) == ""
    assert unrender_patch("") == ""


@pytest.mark.parametrize(
    "text",
    [
        "Looks good to me.",
        "--- a/x.py\n+++ b/x.py\nnot a patch",
        '--- "a/x\n+++ "b/x"\n@@ -1 +1 @@\n1 -a',  # an unclosed quoted path
        "@@ -1 +1 @@\n-a\n+b",  # a patch, but without labels
        "@@ -1,2 +1,2 @@\n1  a\nL2 -b\n2 +c",  # one label misaligned
    ],
)
def test_unrender_patch_refuses_other_text(text: str) -> None:
    with pytest.raises(CommentFormatError, match="not a rendered patch line"):
        unrender_patch(text)
