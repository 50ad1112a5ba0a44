"""Property-based tests: the parsers fail only with their own errors, generated
patches parse back exactly, and comments survive render -> parse unchanged."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prreview.diffs.anchor import Anchor, Unresolved, anchor_comments
from prreview.diffs.hunks import (
    HunkParseError,
    parse_diff_hunk,
    parse_patch,
)
from prreview.diffs.render import (
    CommentBlock,
    CommentFormatError,
    parse_comments,
    render_comments,
    render_patch,
)
from prreview.schemas import FilePatch, ReviewComment

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

# Text with the characters that matter here: line breaks of every kind, markers,
# replacement characters, and the rest of Unicode.
TRICKY = st.sampled_from(
    ["\n", "\r", "\r\n", "\x0b", "\x0c", "\x85", "\u2028", "\ufffd", "@@ ", "\\"]
)
TEXT = st.lists(st.one_of(st.text(max_size=8), TRICKY), max_size=12).map("".join)
LINE_TEXT = TEXT.map(lambda text: text.replace("\n", ""))

# Patch-like text: a header first, so the parser gets past its first check.
HEADER = st.builds(
    "@@ -{} +{} @@{}".format,
    st.sampled_from(["0,0", "1", "1,2", "3,0", "2,1", "99999999999", "x"]),
    st.sampled_from(["0,0", "1", "1,2", "4,2", "2,1", "-1"]),
    st.sampled_from(["", " def f():", "\r"]),
)
BODY_LINE = st.builds(
    "{}{}".format, st.sampled_from([" ", "+", "-", "\\", "", "?"]), TEXT
)
PATCHY = st.tuples(
    HEADER, st.lists(st.one_of(HEADER, BODY_LINE, BODY_LINE), max_size=10)
).map(lambda parts: "\n".join([parts[0], *parts[1]]))


@SETTINGS
@given(st.one_of(TEXT, PATCHY))
def test_parse_patch_raises_nothing_but_its_error(text: str) -> None:
    try:
        hunks = parse_patch(text)
    except HunkParseError:
        return
    for hunk in hunks:
        olds = [line.old_line for line in hunk.lines if line.old_line is not None]
        news = [line.new_line for line in hunk.lines if line.new_line is not None]
        assert olds == list(range(hunk.old_start, hunk.old_start + hunk.old_count))
        assert news == list(range(hunk.new_start, hunk.new_start + hunk.new_count))


@SETTINGS
@given(st.one_of(TEXT, PATCHY))
def test_parse_diff_hunk_raises_nothing_but_its_error(text: str) -> None:
    try:
        parse_diff_hunk(text)
    except HunkParseError:
        pass


KIND = st.sampled_from(["context", "added", "removed"])
HUNK_LINES = st.lists(st.tuples(KIND, LINE_TEXT), min_size=1, max_size=8)


@st.composite
def patches(draw: st.DrawFn) -> tuple[str, list[list[tuple[str, str]]]]:
    """A valid patch with exact headers, and the lines it was built from."""
    hunks = draw(st.lists(HUNK_LINES, min_size=1, max_size=4))
    old = new = draw(st.integers(1, 50))
    out = []
    for lines in hunks:
        old_count = sum(kind != "added" for kind, _ in lines)
        new_count = sum(kind != "removed" for kind, _ in lines)
        old_start = old if old_count else old - 1
        new_start = new if new_count else new - 1
        out.append(f"@@ -{old_start},{old_count} +{new_start},{new_count} @@")
        marker = {"context": " ", "added": "+", "removed": "-"}
        out.extend(marker[kind] + text for kind, text in lines)
        if draw(st.booleans()):
            out.append("\\ No newline at end of file")
        gap = draw(st.integers(1, 5))
        old, new = old + old_count + gap, new + new_count + gap
    return "\n".join(out), hunks


@SETTINGS
@given(patches())
def test_generated_patches_parse_back_exactly(case: tuple[str, list]) -> None:
    patch, built = case
    hunks = parse_patch(patch)
    assert len(hunks) == len(built)
    for hunk, lines in zip(hunks, built, strict=True):
        content = [line for line in hunk.lines if line.kind != "no_newline_marker"]
        assert [(line.kind, line.text) for line in content] == lines
    raw = [
        line for hunk in hunks for line in [hunk.header, *(x.raw for x in hunk.lines)]
    ]
    assert "\n".join(raw) == patch


def _comment(**fields: Any) -> ReviewComment:
    values: dict[str, Any] = {
        "id": 1,
        "repo": "o/r",
        "pr_number": 1,
        "path": "f.py",
        "line": None,
        "start_line": None,
        "side": "RIGHT",
        "start_side": None,
        "original_line": None,
        "original_start_line": None,
        "commit_id": None,
        "original_commit_id": None,
        "diff_hunk": "",
        "body": "b",
        "author": None,
        "author_type": "User",
        "author_association": "NONE",
        "in_reply_to_id": None,
        "pull_request_review_id": None,
        "outdated": False,
        "thread_resolved": False,
        "created_at": "2026-01-01T00:00:00Z",
        "updated_at": None,
        "iteration": 1,
    }
    return ReviewComment(**(values | fields))


@SETTINGS
@given(patches())
def test_every_shown_line_anchors_and_renders(case: tuple[str, list]) -> None:
    """Each line of a patch anchors as a current comment, and re-found through its
    own diff_hunk either lands on that very line or stays unresolved."""
    patch, _ = case
    file = FilePatch(
        path="f.py",
        previous_path=None,
        status="modified",
        additions=0,
        deletions=0,
        binary=False,
        patch=patch,
    )
    assert render_patch(file).count("\n@@ ") == len(parse_patch(patch))
    comments, expected = [], []
    for hunk in parse_patch(patch):
        for position, line in enumerate(hunk.lines):
            for side in ("LEFT", "RIGHT"):
                number = line.number(side)
                if number is None:
                    continue
                prefix = [hunk.header, *(x.raw for x in hunk.lines[: position + 1])]
                common = {"side": side, "original_line": number}
                comments.append(_comment(line=number, **common))
                comments.append(_comment(diff_hunk="\n".join(prefix), **common))
                expected.append((side, number, hunk.index))
    results = anchor_comments(comments, [file])
    for index, (side, number, hunk_index) in enumerate(expected):
        current, by_text = results[2 * index], results[2 * index + 1]
        assert current == Anchor("f.py", side, number, None, None, hunk_index, "line")
        if isinstance(by_text, Unresolved):
            assert by_text.reason == "outdated_ambiguous"
        else:
            assert (by_text.side, by_text.line) == (side, number)


SIDE = st.sampled_from(["LEFT", "RIGHT"])
BODY = st.lists(
    st.one_of(
        LINE_TEXT,
        st.sampled_from(
            ["</comment>", "\\</comment>", "<comment", "<no_comments/>", "\r", ""]
        ),
    ),
    max_size=6,
).map("\n".join)


@st.composite
def blocks(draw: st.DrawFn) -> CommentBlock:
    line = draw(st.integers(1, 10**6))
    side = draw(SIDE)
    start_line = start_side = None
    if draw(st.booleans()):
        start_side = draw(SIDE)
        high = line - 1 if start_side == side else 10**6
        if high >= 1:
            start_line = draw(st.integers(1, high))
        else:
            start_side = None
    return CommentBlock(
        path=draw(st.one_of(st.text(min_size=1, max_size=20), TEXT.filter(bool))),
        side=side,
        line=line,
        body=draw(st.one_of(BODY, TEXT)),
        start_line=start_line,
        start_side=start_side,
    )


@SETTINGS
@given(st.lists(blocks(), max_size=5))
def test_render_then_parse_returns_the_same_comments(items: list[CommentBlock]) -> None:
    assert parse_comments(render_comments(items)) == items


@SETTINGS
@given(
    st.one_of(
        TEXT,
        st.lists(blocks(), min_size=1, max_size=3)
        .map(render_comments)
        .flatmap(
            lambda text: st.tuples(st.integers(0, len(text)), TEXT).map(
                lambda cut: text[: cut[0]] + cut[1] + text[cut[0] :]
            )
        ),
    )
)
def test_parse_comments_raises_nothing_but_its_error(text: str) -> None:
    try:
        parsed = parse_comments(text)
    except CommentFormatError:
        return
    assert parse_comments(render_comments(parsed)) == parsed
