"""Anchor review comments to the final diff of their pull request.

A training example says "at (path, side, line) a reviewer wrote X", and the model sees
the PR's final patch, so every comment must point at a line that patch shows. Current
comments (``line`` set) are checked against the patch as they are; outdated ones
(``line`` null) are re-found by the text of their ``diff_hunk`` and kept only when that
match is unique: an unresolved comment costs one example, a wrong anchor teaches the
model to point at the wrong line.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from prreview.diffs.hunks import (
    DiffLine,
    Hunk,
    HunkParseError,
    parse_diff_hunk,
    parse_patch,
)
from prreview.schemas import AnchoredComment, FilePatch, Side

logger = logging.getLogger(__name__)

Resolution = Literal["line", "original_line_via_hunk"]
UnresolvedReason = Literal[
    "missing_side",
    "no_line",
    "path_not_in_diff",
    "path_ambiguous",
    "binary_file",
    "no_patch",
    "malformed_patch",
    "line_not_in_diff",
    "start_line_not_in_diff",
    "range_spans_hunks",
    "range_inverted",
    "no_diff_hunk",
    "malformed_diff_hunk",
    "diff_hunk_mismatch",
    "outdated_unmatched",
    "outdated_ambiguous",
    "outdated_range_unmatched",
]

# An outdated match must rest on at least this many non-blank characters of matching
# text (the commented line plus the context lines above it that also match), so a
# lone "}" or blank line that happens to be unique is not taken for the commented one.
MIN_EVIDENCE_CHARS = 8


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a comment lands in the final patch (``start_*`` None for one line)."""

    path: str
    side: Side
    line: int
    start_line: int | None
    start_side: Side | None
    hunk_index: int
    resolution: Resolution


@dataclass(frozen=True, slots=True)
class Unresolved:
    """Why a comment has no place in the final patch."""

    path: str
    reason: UnresolvedReason
    detail: str = ""


AnchorResult = Anchor | Unresolved


@dataclass(frozen=True, slots=True)
class _Found:
    hunk: Hunk
    position: int  # index into hunk.lines


class _FileView:
    """One PR's patches by path, each parsed at most once."""

    def __init__(self, files: Sequence[FilePatch]) -> None:
        self._by_path: dict[str, list[FilePatch]] = {}
        for file in files:
            self._by_path.setdefault(file.path, []).append(file)
        self._parsed: dict[str, tuple[Hunk, ...] | HunkParseError] = {}

    def hunks(self, path: str) -> tuple[Hunk, ...] | Unresolved:
        matches = self._by_path.get(path)
        if not matches:
            return Unresolved(path, "path_not_in_diff")
        if len(matches) > 1:
            return Unresolved(path, "path_ambiguous", f"{len(matches)} patches")
        file = matches[0]
        if file.binary:
            return Unresolved(path, "binary_file")
        if not file.patch:
            return Unresolved(path, "no_patch", f"status {file.status}")
        if path not in self._parsed:
            try:
                self._parsed[path] = parse_patch(file.patch)
            except HunkParseError as error:
                self._parsed[path] = error
        parsed = self._parsed[path]
        if isinstance(parsed, HunkParseError):
            return Unresolved(path, "malformed_patch", str(parsed))
        return parsed


def _find(hunks: tuple[Hunk, ...], side: Side, number: int) -> _Found | None:
    for hunk in hunks:
        for position, line in enumerate(hunk.lines):
            if line.number(side) == number:
                return _Found(hunk, position)
    return None


def _range(
    path: str, end: _Found, start_side: Side, start_line: int, hunks: tuple[Hunk, ...]
) -> _Found | Unresolved:
    """The start of a multi-line range: same hunk as its end, not after it."""
    for position, line in enumerate(end.hunk.lines):
        if line.number(start_side) == start_line:
            if position > end.position:
                return Unresolved(path, "range_inverted", f"{start_side} {start_line}")
            return _Found(end.hunk, position)
    if _find(hunks, start_side, start_line) is not None:
        return Unresolved(path, "range_spans_hunks", f"{start_side} {start_line}")
    return Unresolved(path, "start_line_not_in_diff", f"{start_side} {start_line}")


def _anchor(
    path: str,
    side: Side,
    end: _Found,
    start: _Found | None,
    start_side: Side,
    resolution: Resolution,
) -> Anchor | Unresolved:
    line = end.hunk.lines[end.position].number(side)
    if line is None:  # unreachable: callers only find lines that side shows
        return Unresolved(path, "line_not_in_diff", f"{side} at {end.position}")
    start_line = None
    if start is not None:
        start_line = start.hunk.lines[start.position].number(start_side)
        if start_line == line and start_side == side:
            start_line = None  # a one-line range is a one-line comment
    return Anchor(
        path=path,
        side=side,
        line=line,
        start_line=start_line,
        start_side=None if start_line is None else start_side,
        hunk_index=end.hunk.index,
        resolution=resolution,
    )


def _current(
    comment: AnchoredComment, side: Side, line: int, hunks: tuple[Hunk, ...]
) -> AnchorResult:
    end = _find(hunks, side, line)
    if end is None:
        return Unresolved(comment.path, "line_not_in_diff", f"{side} {line}")
    start_side = comment.start_side or side
    start = None
    if comment.start_line is not None:
        found = _range(comment.path, end, start_side, comment.start_line, hunks)
        if isinstance(found, Unresolved):
            return found
        start = found
    return _anchor(comment.path, side, end, start, start_side, "line")


def _on_side(hunk: Hunk, side: Side) -> list[int]:
    """Positions (into ``hunk.lines``) of the lines ``side`` shows, in file order."""
    return [i for i, line in enumerate(hunk.lines) if line.number(side) is not None]


@dataclass(frozen=True, slots=True)
class _Candidate:
    hunk: Hunk
    shown: list[int]  # positions of the lines the side shows
    at: int  # index into shown of the candidate line

    def above(self, offset: int) -> str | None:
        """The text ``offset`` lines above, None where the final hunk shows none."""
        if self.at - offset < 0:
            return None
        return self.hunk.lines[self.shown[self.at - offset]].text


def _narrow(
    candidates: list[_Candidate], before: tuple[DiffLine, ...]
) -> list[_Candidate]:
    """Rule out candidates whose context above differs from the diff_hunk's.

    Goes up one line at a time while more than one is left. A line the final hunk
    does not show is unknown, not a mismatch, so it ends the narrowing with all
    candidates still in: winning because the others differ would be a guess.
    """
    for offset in range(1, len(before)):
        if len(candidates) <= 1:
            break
        texts = [candidate.above(offset) for candidate in candidates]
        if None in texts:
            break
        expected = before[-1 - offset].text
        candidates = [
            candidate
            for candidate, text in zip(candidates, texts, strict=True)
            if text == expected
        ]
    return candidates


def _evidence(candidate: _Candidate, before: tuple[DiffLine, ...]) -> int:
    """Non-blank characters of the candidate line and the lines above it that match."""
    texts = [candidate.above(0)]
    for offset in range(1, len(before)):
        text = candidate.above(offset)
        if text is None or text != before[-1 - offset].text:
            break
        texts.append(text)
    return sum(len("".join((text or "").split())) for text in texts)


def _unique_match(
    path: str, before: tuple[DiffLine, ...], hunks: tuple[Hunk, ...], side: Side
) -> _Candidate | Unresolved:
    """The one final line with the commented text whose context does not differ."""
    target = before[-1].text
    candidates = []
    for hunk in hunks:
        shown = _on_side(hunk, side)
        candidates.extend(
            _Candidate(hunk, shown, at)
            for at, position in enumerate(shown)
            if hunk.lines[position].text == target
        )
    if not candidates:
        return Unresolved(path, "outdated_unmatched", "text not on that side")
    found = _narrow(candidates, before)
    if len(found) != 1:
        return Unresolved(
            path,
            "outdated_ambiguous",
            f"{len(candidates)} lines with that text, context leaves {len(found)}",
        )
    if _evidence(found[0], before) < MIN_EVIDENCE_CHARS:
        return Unresolved(path, "outdated_ambiguous", "too little matching text")
    return found[0]


def _outdated_start(
    path: str,
    old: Hunk,
    before: tuple[DiffLine, ...],
    match: _Candidate,
    side: Side,
    start_side: Side,
    start_line: int,
) -> _Found | Unresolved:
    """The start of an outdated range: the old range's text, found in the same hunk.

    On the end's side the whole range must match line for line; a start on the
    other side must be the only line with its text before the end.
    """
    unmatched = Unresolved(path, "outdated_range_unmatched", f"start {start_line}")
    old_start = old.find(start_side, start_line)
    if old_start is None:
        return unmatched
    if start_side == side:
        span = len(before) - 1 - before.index(old_start)
        if match.at - span < 0:
            return unmatched
        old_range = [line.text for line in before[-1 - span :]]
        window = match.shown[match.at - span : match.at + 1]
        if old_range != [match.hunk.lines[i].text for i in window]:
            return unmatched
        return _Found(match.hunk, window[0])
    end_position = match.shown[match.at]
    same = [
        position
        for position, line in enumerate(match.hunk.lines[: end_position + 1])
        if line.number(start_side) is not None and line.text == old_start.text
    ]
    if len(same) != 1:
        return unmatched
    return _Found(match.hunk, same[0])


def _outdated(
    comment: AnchoredComment, side: Side, hunks: tuple[Hunk, ...]
) -> AnchorResult:
    path = comment.path
    if not comment.diff_hunk.strip():
        return Unresolved(path, "no_diff_hunk")
    try:
        old = parse_diff_hunk(comment.diff_hunk)
    except HunkParseError as error:
        return Unresolved(path, "malformed_diff_hunk", str(error))
    before = old.side_lines(side)
    if not before or before[-1].number(side) != comment.original_line:
        return Unresolved(
            path,
            "diff_hunk_mismatch",
            f"diff_hunk does not end at {side} {comment.original_line}",
        )
    match = _unique_match(path, before, hunks, side)
    if isinstance(match, Unresolved):
        return match
    end = _Found(match.hunk, match.shown[match.at])
    start_side = comment.start_side or side
    start = None
    if comment.original_start_line is not None:
        found = _outdated_start(
            path, old, before, match, side, start_side, comment.original_start_line
        )
        if isinstance(found, Unresolved):
            return found
        start = found
    return _anchor(path, side, end, start, start_side, "original_line_via_hunk")


def _resolve(comment: AnchoredComment, view: _FileView) -> AnchorResult:
    side = comment.side
    if side is None:
        return Unresolved(comment.path, "missing_side")
    if comment.line is None and comment.original_line is None:
        return Unresolved(comment.path, "no_line", "a file-level comment")
    hunks = view.hunks(comment.path)
    if isinstance(hunks, Unresolved):
        return hunks
    if comment.line is not None:
        return _current(comment, side, comment.line, hunks)
    return _outdated(comment, side, hunks)


def anchor_comments(
    comments: Iterable[AnchoredComment], files: Sequence[FilePatch]
) -> list[AnchorResult]:
    """Anchor each comment of one PR to its final ``files``, parsing each patch once."""
    view = _FileView(files)
    results = [_resolve(comment, view) for comment in comments]
    reasons = Counter(
        result.reason for result in results if isinstance(result, Unresolved)
    )
    if reasons:
        logger.debug("unresolved comments: %s", dict(reasons))
    return results


def anchor_comment(
    comment: AnchoredComment, files: Sequence[FilePatch]
) -> AnchorResult:
    """Anchor one comment; prefer :func:`anchor_comments` for all of a PR's."""
    return anchor_comments([comment], files)[0]
