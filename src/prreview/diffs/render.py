"""Render a file's patch for a prompt, and comments in a strict, parseable form.

The patch rendering puts the number a comment must use in front of every line, so
the model copies a label instead of counting lines. The comment format is what the
model is trained to write; :func:`parse_comments` reads it back for evaluation, and
``parse_comments(render_comments(blocks)) == blocks`` for every valid list.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from prreview.diffs.anchor import Anchor
from prreview.diffs.hunks import DiffLine, Hunk, parse_patch
from prreview.schemas import FilePatch, Side

NO_COMMENTS = "<no_comments/>"
CLOSE = "</comment>"
_SIDES = ("LEFT", "RIGHT")
_OPEN = re.compile(
    r'<comment path=(?P<path>"(?:[^"\\]|\\.)*")'
    r' side="(?P<side>LEFT|RIGHT)"'
    r'(?: start_side="(?P<start_side>LEFT|RIGHT)")?'
    r' lines="(?P<first>[1-9][0-9]{0,8})(?:-(?P<last>[1-9][0-9]{0,8}))?">'
)
# Body lines that could be read as structure get one more leading backslash.
_NEEDS_ESCAPE = re.compile(r"\\*</?comment")
_ESCAPED = re.compile(r"\\+</?comment")
_STRUCTURAL = re.compile(r"</?comment")


class CommentFormatError(ValueError):
    """A comment block is invalid, or text is not in the comment format."""


@dataclass(frozen=True, slots=True)
class CommentBlock:
    """One comment as the model writes it; ``start_side`` defaults to ``side``."""

    path: str
    side: Side
    line: int
    body: str
    start_line: int | None = None
    start_side: Side | None = None

    def __post_init__(self) -> None:
        if self.start_line is not None and self.start_side is None:
            object.__setattr__(self, "start_side", self.side)
        _validate(self)

    @classmethod
    def from_anchor(cls, anchor: Anchor, body: str) -> CommentBlock:
        """The block for an anchored comment's ``body``."""
        return cls(
            path=anchor.path,
            side=anchor.side,
            line=anchor.line,
            body=body,
            start_line=anchor.start_line,
            start_side=anchor.start_side,
        )


def _is_line_number(value: object) -> bool:
    return type(value) is int and 1 <= value < 10**9


def _validate(block: CommentBlock) -> None:
    if not isinstance(block.path, str) or not block.path:
        raise CommentFormatError("a comment needs a non-empty path")
    if block.side not in _SIDES:
        raise CommentFormatError(f"side must be LEFT or RIGHT, not {block.side!r}")
    if not _is_line_number(block.line):
        raise CommentFormatError(f"line must be an int >= 1, not {block.line!r}")
    if not isinstance(block.body, str):
        raise CommentFormatError("body must be a string")
    if block.start_line is None:
        if block.start_side is not None:
            raise CommentFormatError("start_side without start_line")
        return
    if not _is_line_number(block.start_line):
        raise CommentFormatError(f"start_line must be an int >= 1: {block.start_line}")
    if block.start_side not in _SIDES:
        raise CommentFormatError(
            f"start_side must be LEFT or RIGHT: {block.start_side}"
        )
    if block.start_side == block.side and block.start_line >= block.line:
        raise CommentFormatError(
            f"start_line {block.start_line} must be before line {block.line}"
        )


# ------------------------------------------------------------------ patch rendering


def _label(line: DiffLine) -> str:
    if line.kind == "removed":
        return f"L{line.old_line}"
    if line.new_line is not None:
        return str(line.new_line)
    return ""


def render_hunks(hunks: Sequence[Hunk]) -> str:
    """Hunks with a line label in front of each line, headers kept verbatim.

    The label is the RIGHT (new) line number, or ``L<n>`` for a removed line, whose
    LEFT (old) number is the only one it has; markers and text follow unchanged.
    """
    width = max((len(_label(line)) for hunk in hunks for line in hunk.lines), default=0)
    out: list[str] = []
    for hunk in hunks:
        out.append(hunk.header)
        out.extend(f"{_label(line):>{width}} {line.raw}" for line in hunk.lines)
    return "\n".join(out)


# The label render_hunks puts before a line: padding, then the new line number or
# L<old> for a removed line, then one space and the diff line (marker first).
RENDERED_LABEL = re.compile(r"( *)(L?[0-9]+) ")
# A header path: /dev/null, one quoted string as git writes it, or a plain path.
_HEADER_PATH = r'(?:/dev/null|"(?:[^"\\\n]|\\[^\n])*"|[^"\n].*)'
_HEADER = re.compile(rf"--- {_HEADER_PATH}\n\+\+\+ {_HEADER_PATH}")
_NO_PATCH = ("Binary file, no patch", "No textual change")


def unrender_patch(rendered: str) -> str:
    """The GitHub patch a :func:`render_patch` text was made from (labels and file
    header removed), so a prompt alone is enough to check anchors against its
    hunks: ``parse_patch(unrender_patch(render_patch(f)))`` is ``parse_patch(f.patch)``.
    Empty for a binary or unchanged file. Raises :class:`CommentFormatError` on text
    that is not a rendered patch."""
    lines = rendered.split("\n")
    if _HEADER.fullmatch("\n".join(lines[:2])):
        lines = lines[2:]  # a quoted path holds no line break: always two lines
    if not lines or lines in ([""], *([text] for text in _NO_PATCH)):
        return ""
    width = None
    for line in lines:
        if not line.startswith("@@") and (match := RENDERED_LABEL.match(line)):
            width = len(match[1]) + len(match[2])
            break
    patch = []
    for number, line in enumerate(lines, start=1):
        if line.startswith("@@"):
            patch.append(line)
        elif width is not None and len(line) > width and line[width] == " ":
            patch.append(line[width + 1 :])
        else:
            raise CommentFormatError(f"line {number} is not a rendered patch line")
    return "\n".join(patch)


# Characters git's C-style quoting names; others that need quoting go as octal bytes.
_C_ESCAPES = {
    "\a": "\\a",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\v": "\\v",
    "\f": "\\f",
    "\r": "\\r",
    '"': '\\"',
    "\\": "\\\\",
}


def _needs_quoting(char: str) -> bool:
    """A quote, a backslash, a control character or a line separator: anything
    that would make a header ambiguous or split it (``str.splitlines`` too)."""
    return char in _C_ESCAPES or unicodedata.category(char) in ("Cc", "Zl", "Zp")


def _quote(char: str) -> str:
    if char in _C_ESCAPES:
        return _C_ESCAPES[char]
    if not _needs_quoting(char):
        return char
    return "".join(f"\\{byte:03o}" for byte in char.encode("utf-8", "surrogatepass"))


def _header_path(prefix: str, path: str) -> str:
    """``prefix + path`` as git writes it in a ``---``/``+++`` header: as is, or in
    double quotes with C-style escapes when it holds a character that needs them
    (``"a/a\\nb.py"`` for a path with a line break), so the header stays one line."""
    name = prefix + path
    if not any(map(_needs_quoting, name)):
        return name
    return '"' + "".join(map(_quote, name)) + '"'


def render_patch(file: FilePatch, *, header: bool = True) -> str:
    """A file's patch for a prompt (``---``/``+++`` header, then labelled hunks).

    The header quotes a path the way git does when it holds a line break, a quote,
    a backslash or another control character, so the header is always two lines.
    Raises :class:`~prreview.diffs.hunks.HunkParseError` on a malformed patch.
    """
    old = _header_path("a/", file.previous_path or file.path)
    if file.status == "added":
        old = "/dev/null"
    new = "/dev/null" if file.status == "removed" else _header_path("b/", file.path)
    lines = [f"--- {old}", f"+++ {new}"] if header else []
    if file.binary or not file.patch:
        lines.append("Binary file, no patch" if file.binary else "No textual change")
    else:
        lines.append(render_hunks(parse_patch(file.patch)))
    return "\n".join(lines)


# ------------------------------------------------------------------ comment format


def _escape(body: str) -> str:
    return "\n".join(
        "\\" + line if _NEEDS_ESCAPE.match(line) else line for line in body.split("\n")
    )


def _open_tag(block: CommentBlock) -> str:
    path = json.dumps(block.path, ensure_ascii=False)
    lines, start_side = str(block.line), ""
    if block.start_line is not None:
        lines = f"{block.start_line}-{block.line}"
        if block.start_side != block.side:
            start_side = f' start_side="{block.start_side}"'
    return f'<comment path={path} side="{block.side}"{start_side} lines="{lines}">'


def render_comment(block: CommentBlock) -> str:
    """One block: open tag, body (escaped where a line looks like a tag), close tag."""
    return f"{_open_tag(block)}\n{_escape(block.body)}\n{CLOSE}"


def render_comments(blocks: Iterable[CommentBlock]) -> str:
    """Blocks in the given order, a blank line apart; ``NO_COMMENTS`` for none."""
    rendered = [render_comment(block) for block in blocks]
    return "\n\n".join(rendered) if rendered else NO_COMMENTS


def _block(match: re.Match[str], body: list[str], line_no: int) -> CommentBlock:
    try:
        path = json.loads(match["path"])
    except ValueError as error:
        raise CommentFormatError(f"line {line_no}: bad path string: {error}") from None
    first, last = int(match["first"]), match["last"]
    start_side = match["start_side"]
    if start_side is not None and (last is None or start_side == match["side"]):
        raise CommentFormatError(
            f"line {line_no}: start_side only for a range that starts on the other side"
        )
    try:
        return CommentBlock(
            path=path,
            side=match["side"],
            line=first if last is None else int(last),
            body="\n".join(body),
            start_line=None if last is None else first,
            start_side=start_side,
        )
    except CommentFormatError as error:
        raise CommentFormatError(f"line {line_no}: {error}") from None


def _read_body(lines: list[str], start: int) -> tuple[list[str], int]:
    """Body lines from ``start`` up to the close tag, unescaped; the close's index."""
    body = []
    for index in range(start, len(lines)):
        line = lines[index]
        if line == CLOSE:
            return body, index
        if _ESCAPED.match(line):
            body.append(line[1:])
        elif _STRUCTURAL.match(line):
            raise CommentFormatError(
                f"line {index + 1}: {line[:40]!r} inside a comment body "
                f"(a missing {CLOSE}?)"
            )
        else:
            body.append(line)
    raise CommentFormatError(
        f"line {start}: comment opened here is never closed with {CLOSE}"
    )


def parse_comments(text: str) -> list[CommentBlock]:
    """The blocks of a model's output; :class:`CommentFormatError` if malformed.

    Only blank lines may stand between blocks; ``NO_COMMENTS`` alone means none.
    """
    lines = text.split("\n")
    content = [line for line in lines if line.strip()]
    if not content:
        raise CommentFormatError(f"empty output: expected comments or {NO_COMMENTS}")
    if content == [NO_COMMENTS]:
        return []
    blocks = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            index += 1
            continue
        match = _OPEN.fullmatch(line)
        if match is None:
            raise CommentFormatError(
                f"line {index + 1}: expected a '<comment ...>' tag, got {line[:80]!r}"
            )
        body, close = _read_body(lines, index + 1)
        blocks.append(_block(match, body, index + 1))
        index = close + 1
    return blocks
