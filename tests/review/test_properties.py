"""Property-based tests for reading a model's review: any reply, cut anywhere, is
read without raising into a known status, every kept comment sits on a line the
hunks show, and comments rendered on shown lines read back exactly."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prreview.diffs.hunks import Hunk, parse_patch
from prreview.diffs.render import (
    CLOSE,
    NO_COMMENTS,
    CommentBlock,
    CommentFormatError,
    render_comment,
    render_comments,
    render_patch,
    unrender_patch,
)
from prreview.review.inference import STATUSES, ReviewedFile, read_review
from prreview.schemas import FilePatch
from tests.diffs.test_properties import BODY, LINE_TEXT, TEXT, patches

SETTINGS = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

SIDES = ("LEFT", "RIGHT")
FINISH = st.sampled_from(["stop", "length"])
PATH = st.text(
    st.one_of(st.sampled_from('"\\/ .-\u00e9\U0001f980<>'), st.characters()),
    min_size=1,
    max_size=12,
)

# Near misses of the comment format: mostly well formed, so that replies parse and
# comments get checked, with paths quoted wrong, sides that are not LEFT/RIGHT,
# line numbers 0, huge or reversed, bodies that look like tags, blocks left open.


def _mostly(good: st.SearchStrategy, odd: st.SearchStrategy) -> st.SearchStrategy:
    """``good`` three times in four (one_of would pick each half the time)."""
    return st.integers(0, 3).flatmap(lambda pick: good if pick else odd)


NUMBER = _mostly(st.integers(1, 60), st.sampled_from([0, -1, 10**9 - 1, 10**9, 10**12]))
LINES = _mostly(
    NUMBER.map(str),
    st.one_of(st.builds("{}-{}".format, NUMBER, NUMBER), st.text(max_size=3)),
)
SIDE_TEXT = _mostly(st.sampled_from(SIDES), st.sampled_from(["right", "", "MIDDLE"]))
PATH_TEXT = _mostly(
    PATH.map(lambda path: json.dumps(path, ensure_ascii=False)),
    PATH.map('"{}"'.format),
)
OPEN = st.builds(
    '<comment path={} side="{}"{} lines="{}">'.format,
    PATH_TEXT,
    SIDE_TEXT,
    _mostly(st.just(""), SIDE_TEXT.map(' start_side="{}"'.format)),
    LINES,
)
TAGS = st.sampled_from(
    [CLOSE, "\\" + CLOSE, "<comment", '<comment path="a">', NO_COMMENTS, "", " "]
)


@st.composite
def written(draw: st.DrawFn, body_line: st.SearchStrategy) -> str:
    """A well-formed block, on a line the hunks may or may not show."""
    line = draw(_mostly(st.integers(1, 60), st.just(10**9 - 1)))
    side = draw(st.sampled_from(SIDES))
    start_side = draw(st.sampled_from([None, *SIDES]))
    high = line - 1 if start_side == side else 60
    start_line = draw(st.integers(1, high)) if start_side and high else None
    body = "\n".join(draw(st.lists(body_line, min_size=1, max_size=4)))
    return render_comment(
        CommentBlock(
            draw(PATH),
            side,
            line,
            body,
            start_line,
            start_side if start_line else None,
        )
    )


@st.composite
def replies(draw: st.DrawFn, hunks: tuple[Hunk, ...]) -> str:
    """Blocks well formed or near misses, with stray lines between, cut anywhere;
    bodies may quote the hunks' lines, so some comments get moved there."""
    texts = [line.text.strip() for hunk in hunks for line in hunk.lines]
    quote = st.sampled_from(texts).map("Why `{}`?".format)
    body_line = _mostly(st.one_of(LINE_TEXT, quote), TAGS)
    near_miss = st.builds(
        lambda tag, body, close: "\n".join([tag, *body, *([CLOSE] if close else [])]),
        OPEN,
        st.lists(body_line, max_size=4),
        st.booleans(),
    )
    odd = st.one_of(near_miss, TAGS, LINE_TEXT)
    pieces = draw(st.lists(_mostly(written(body_line), odd), min_size=1, max_size=4))
    text = draw(_mostly(st.just("\n\n"), st.just("\n"))).join(pieces)
    cut = draw(_mostly(st.just(len(text)), st.integers(0, len(text))))
    return text[:cut]


def _check(
    review: ReviewedFile, reply: str, finish: str, path: str, hunks: tuple[Hunk, ...]
) -> None:
    assert review.status in STATUSES and review.status != "failed"
    assert (review.path, review.reply) == (path, reply)
    if review.status == "parse_failure":
        assert review.comments == () and review.error
        return
    assert review.error is None
    assert review.counts["kept"] == len(review.comments)
    assert review.status != "comments" or review.comments
    assert review.status != "no_comments" or not review.comments
    assert review.status != "truncated" or finish == "length"
    keys = set()
    for comment in review.comments:
        assert comment.path == path and comment.body.strip()
        (hunk,) = [h for h in hunks if h.find(comment.side, comment.line) is not None]
        if comment.start_line is not None:
            assert hunk.find(comment.start_side, comment.start_line) is not None
        keys.add((comment.side, comment.line, comment.start_line, comment.body.strip()))
    assert len(keys) == len(review.comments)


@SETTINGS
@given(st.data(), patches(), PATH, FINISH)
def test_any_reply_is_read_into_comments_on_shown_lines(
    data: st.DataObject, case: tuple[str, list], path: str, finish: str
) -> None:
    hunks = parse_patch(case[0])
    reply = data.draw(_mostly(replies(hunks), TEXT), label="reply")
    review = read_review(reply, finish, path, hunks)
    _check(review, reply, finish, path, hunks)


@st.composite
def shown_blocks(
    draw: st.DrawFn, hunks: tuple[Hunk, ...], path: str
) -> list[CommentBlock]:
    """Distinct comments on lines the hunks show; a range stays in one hunk."""
    shown = [
        (hunk, side, number)
        for hunk in hunks
        for line in hunk.lines
        for side in SIDES
        if (number := line.number(side)) is not None
    ]
    blocks: dict[tuple[object, ...], CommentBlock] = {}
    for hunk, side, line in draw(st.lists(st.sampled_from(shown), max_size=5)):
        starts = [
            (start_side, number)
            for other in hunk.lines
            for start_side in SIDES
            if (number := other.number(start_side)) is not None
            and (start_side != side or number < line)
        ]
        start_side, start_line = draw(st.sampled_from([(None, None), *starts]))
        body = draw(BODY.filter(str.strip))
        block = CommentBlock(path, side, line, body, start_line, start_side)
        blocks.setdefault((side, line, start_line, body.strip()), block)
    return list(blocks.values())


@SETTINGS
@given(st.data(), patches(), PATH, FINISH)
def test_comments_on_shown_lines_read_back_exactly(
    data: st.DataObject, case: tuple[str, list], path: str, finish: str
) -> None:
    hunks = parse_patch(case[0])
    blocks = data.draw(shown_blocks(hunks, path), label="blocks")
    review = read_review(render_comments(blocks), finish, path, hunks)
    assert review.comments == tuple(blocks)
    assert review.status == ("comments" if blocks else "no_comments")
    assert review.counts == {"kept": len(blocks)}


@SETTINGS
@given(
    patches(),
    st.one_of(PATH, st.sampled_from(["a\nb.py", "x\n@@ -1 +1 @@", 'q"\\\r.py'])),
    st.sampled_from(["added", "removed", "modified", "renamed"]),
    st.booleans(),
)
def test_unrender_patch_inverts_render_patch(
    case: tuple[str, list], path: str, status: str, header: bool
) -> None:
    file = FilePatch(
        path=path,
        previous_path="old.py" if status == "renamed" else None,
        status=status,
        additions=0,
        deletions=0,
        binary=False,
        patch=case[0],
    )
    rendered = render_patch(file, header=header)
    assert parse_patch(unrender_patch(rendered)) == parse_patch(file.patch)


def _rendered(patch: str, path: str = "f.py") -> str:
    return render_patch(
        FilePatch(
            path=path,
            previous_path=None,
            status="modified",
            additions=0,
            deletions=0,
            binary=False,
            patch=patch,
        )
    )


def test_a_path_with_a_line_break_unrenders() -> None:
    """Git allows one; render_patch quotes it, so the header stays two lines."""
    patch = "@@ -1 +1 @@\n-a\n+b"
    rendered = _rendered(patch, "a\nb.py")
    assert parse_patch(unrender_patch(rendered)) == parse_patch(patch)


SPLICED = (
    patches()
    .map(lambda case: _rendered(case[0]))
    .flatmap(
        lambda text: st.tuples(st.integers(0, len(text)), TEXT).map(
            lambda cut: text[: cut[0]] + cut[1] + text[cut[0] :]
        )
    )
)


@SETTINGS
@given(st.one_of(TEXT, SPLICED))
def test_unrender_patch_raises_nothing_but_its_error(text: str) -> None:
    try:
        unrender_patch(text)
    except CommentFormatError:
        pass
