"""Parse a GitHub per-file patch (or a comment's ``diff_hunk``) into typed hunks.

Lines are split on ``"\\n"`` only: a ``"\\r"`` of CRLF content stays in the line's
text, and so do other characters :meth:`str.splitlines` would break on (form feed,
U+2028, ...), because GitHub counts lines by ``"\\n"``. Every malformed input raises
:class:`HunkParseError` naming the problem and the 1-based patch line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from prreview.schemas import Side

LineKind = Literal["context", "added", "removed", "no_newline_marker"]

MARKERS: dict[LineKind, str] = {
    "context": " ",
    "added": "+",
    "removed": "-",
    "no_newline_marker": "\\",
}
_KINDS: dict[str, LineKind] = {marker: kind for kind, marker in MARKERS.items()}

# ASCII digits only, at most 9 of them: int() must never see a Unicode digit or a
# number long enough to hit Python's int-string limit.
_HEADER = re.compile(
    r"@@ -(?P<old_start>[0-9]{1,9})(?:,(?P<old_count>[0-9]{1,9}))?"
    r" \+(?P<new_start>[0-9]{1,9})(?:,(?P<new_count>[0-9]{1,9}))? @@(?P<rest>.*)"
)


class HunkParseError(ValueError):
    """The text is not a well-formed GitHub patch; the message says where and why."""


@dataclass(frozen=True, slots=True)
class DiffLine:
    """One patch line; ``old_line``/``new_line`` are None where the side lacks it."""

    kind: LineKind
    old_line: int | None
    new_line: int | None
    text: str

    @property
    def raw(self) -> str:
        """The line as it stands in the patch (marker + text)."""
        return MARKERS[self.kind] + self.text

    def number(self, side: Side) -> int | None:
        """The line number on ``side`` (RIGHT = new file, LEFT = old file)."""
        return self.new_line if side == "RIGHT" else self.old_line


@dataclass(frozen=True, slots=True)
class Hunk:
    """One ``@@`` hunk: its header fields and lines in patch order."""

    index: int
    old_start: int
    old_count: int
    new_start: int
    new_count: int
    section: str
    header: str
    lines: tuple[DiffLine, ...]

    def side_lines(self, side: Side) -> tuple[DiffLine, ...]:
        """The lines visible on ``side``, in file order (a contiguous file excerpt)."""
        return tuple(line for line in self.lines if line.number(side) is not None)

    def find(self, side: Side, number: int) -> DiffLine | None:
        """The line numbered ``number`` on ``side``, if this hunk shows it."""
        for line in self.lines:
            if line.number(side) == number:
                return line
        return None


@dataclass(frozen=True, slots=True)
class HunkHeader:
    """The fields of an ``@@ -a,b +c,d @@ section`` line."""

    old_start: int
    old_count: int
    new_start: int
    new_count: int
    section: str


def parse_hunk_header(line: str) -> HunkHeader:
    """Header fields; a missing count means 1, as in ``@@ -1 +0,0 @@``."""
    match = _HEADER.fullmatch(line)
    if match is None:
        raise HunkParseError(f"not a hunk header: {line[:80]!r}")
    old_count = int(match["old_count"]) if match["old_count"] is not None else 1
    new_count = int(match["new_count"]) if match["new_count"] is not None else 1
    header = HunkHeader(
        old_start=int(match["old_start"]),
        old_count=old_count,
        new_start=int(match["new_start"]),
        new_count=new_count,
        section=match["rest"].removeprefix(" "),
    )
    for name, start, count in (
        ("old", header.old_start, old_count),
        ("new", header.new_start, new_count),
    ):
        if start == 0 and count:
            raise HunkParseError(
                f"{name} side starts at line 0 but has {count} lines: {line[:80]!r}"
            )
    return header


def _split(patch: str) -> list[str]:
    """Lines on "\\n" only; one trailing newline ends the last line, adds none."""
    lines = patch.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


class _HunkBuilder:
    """Counts a hunk's lines down against its header."""

    def __init__(self, index: int, header_line: str, line_no: int) -> None:
        try:
            self.header = parse_hunk_header(header_line)
        except HunkParseError as error:
            raise HunkParseError(f"line {line_no}: {error}") from None
        self.index = index
        self.header_line = header_line
        self.old = self.header.old_start
        self.new = self.header.new_start
        self.old_left = self.header.old_count
        self.new_left = self.header.new_count
        self.lines: list[DiffLine] = []

    @property
    def complete(self) -> bool:
        return self.old_left == 0 and self.new_left == 0

    def add(self, raw: str, line_no: int) -> None:
        # An empty line is an empty context line whose space was stripped, as git
        # apply reads it; GitHub itself always writes the space.
        kind = _KINDS.get(raw[:1]) if raw else "context"
        if kind is None:
            raise HunkParseError(
                f"line {line_no}: expected a line starting with ' ', '+', '-' or "
                f"'\\' in hunk {self.index}, got {raw[:80]!r}"
            )
        text = raw[1:]
        if kind == "no_newline_marker":
            self._marker(text, line_no)
            return
        takes_old = kind in ("context", "removed")
        takes_new = kind in ("context", "added")
        if (takes_old and self.old_left == 0) or (takes_new and self.new_left == 0):
            raise HunkParseError(
                f"line {line_no}: hunk {self.index} is longer than its header "
                f"{self.header_line[:80]!r} says"
            )
        self.lines.append(
            DiffLine(
                kind=kind,
                old_line=self.old if takes_old else None,
                new_line=self.new if takes_new else None,
                text=text,
            )
        )
        self.old += takes_old
        self.new += takes_new
        self.old_left -= takes_old
        self.new_left -= takes_new

    def _marker(self, text: str, line_no: int) -> None:
        if not self.lines or self.lines[-1].kind == "no_newline_marker":
            raise HunkParseError(
                f"line {line_no}: '\\ No newline' marker follows no content line"
            )
        self.lines.append(DiffLine("no_newline_marker", None, None, text))

    def build(self, line_no: int, *, truncated_ok: bool) -> Hunk:
        if not self.complete and not truncated_ok:
            raise HunkParseError(
                f"line {line_no}: hunk {self.index} ends early: header "
                f"{self.header_line[:80]!r} promises {self.old_left} more old and "
                f"{self.new_left} more new lines"
            )
        return Hunk(
            index=self.index,
            old_start=self.header.old_start,
            old_count=self.header.old_count,
            new_start=self.header.new_start,
            new_count=self.header.new_count,
            section=self.header.section,
            header=self.header_line,
            lines=tuple(self.lines),
        )


def _hunks(lines: list[str], *, truncated_ok: bool) -> Iterator[Hunk]:
    builder: _HunkBuilder | None = None
    for line_no, raw in enumerate(lines, start=1):
        if raw.startswith("@@ "):
            index = 0
            if builder is not None:
                yield builder.build(line_no - 1, truncated_ok=False)
                index = builder.index + 1
            builder = _HunkBuilder(index, raw, line_no)
        elif builder is None:
            raise HunkParseError(
                f"line {line_no}: a patch must start with '@@ ', got {raw[:80]!r}"
            )
        else:
            builder.add(raw, line_no)
    if builder is not None:
        yield builder.build(len(lines), truncated_ok=truncated_ok)


def parse_patch(patch: str | None) -> tuple[Hunk, ...]:
    """All hunks of a FilePatch's ``patch``; ``None`` (binary) and ``""`` give none.

    Line counts must match every header exactly, so a truncated or spliced patch
    fails here instead of shifting every later line number.
    """
    if not patch:
        return ()
    return tuple(_hunks(_split(patch), truncated_ok=False))


def parse_diff_hunk(diff_hunk: str) -> Hunk:
    """A review comment's ``diff_hunk``: one hunk, cut off at the commented line.

    GitHub ends ``diff_hunk`` at the commented line, so the header's counts are an
    upper bound here, not an exact length.
    """
    hunks = tuple(_hunks(_split(diff_hunk), truncated_ok=True))
    if len(hunks) != 1:
        raise HunkParseError(f"a diff_hunk holds one hunk, this one {len(hunks)}")
    if not hunks[0].lines:
        raise HunkParseError("a diff_hunk has no line after its header")
    return hunks[0]
