"""Keep a generated comment only where the diff shows its line.

A model can name a line the diff does not show, a range that crosses hunks, or
another file. A comment whose line is missing is moved when its body quotes one
diff line's text unambiguously (in backticks or a code fence), and dropped
otherwise; a range whose start is not in the end's hunk becomes a single-line
comment. Every repair and drop is counted by reason.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from prreview.diffs.hunks import DiffLine, Hunk
from prreview.diffs.render import CommentBlock
from prreview.schemas import Side

_INLINE_CODE = re.compile(r"`([^`\n]+)`")
_FENCE = re.compile(r"```[^\n]*\n(.*?)```", re.DOTALL)
MIN_QUOTE = 4  # shorter quotes (`x`, `if`) match too many lines to mean one


@dataclass(frozen=True)
class CheckedComments:
    """The comments that survived, and what happened to the others."""

    comments: tuple[CommentBlock, ...]
    counts: Counter[str]


def _hunk_of(hunks: Sequence[Hunk], side: Side, line: int) -> Hunk | None:
    for hunk in hunks:
        if hunk.find(side, line) is not None:
            return hunk
    return None


def quotes(body: str) -> list[str]:
    """Code the comment quotes: inline spans and the lines of fenced blocks."""
    found = [span.strip() for span in _INLINE_CODE.findall(_FENCE.sub("", body))]
    for block in _FENCE.findall(body):
        found.extend(line.strip() for line in block.splitlines())
    return [quote for quote in found if len(quote) >= MIN_QUOTE]


def _position(line: DiffLine) -> tuple[Side, int]:
    if line.kind == "removed":
        return "LEFT", line.old_line or 0
    return "RIGHT", line.new_line or 0


def quoted_line(body: str, hunks: Sequence[Hunk]) -> tuple[Side, int] | None | bool:
    """The one diff line the body's quotes point at; ``None`` when no quote matches
    a line, ``False`` when they match several (ambiguous)."""
    unique: set[tuple[Side, int]] = set()
    matched_any = False
    for quote in quotes(body):
        lines = {
            _position(line)
            for hunk in hunks
            for line in hunk.lines
            if line.kind != "no_newline_marker" and quote in line.text
        }
        matched_any = matched_any or bool(lines)
        if len(lines) == 1:
            unique |= lines
    if len(unique) == 1:
        return next(iter(unique))
    return False if matched_any else None


def _checked(
    block: CommentBlock, path: str, hunks: Sequence[Hunk], counts: Counter[str]
) -> CommentBlock | None:
    """The block on a line the diff shows (repaired if it must be), or None."""
    if block.path != path:
        block = replace(block, path=path)
        counts["repaired:path"] += 1
    hunk = _hunk_of(hunks, block.side, block.line)
    if hunk is None:
        target = quoted_line(block.body, hunks)
        if not target:
            reason = "ambiguous_quote" if target is False else "line_not_in_diff"
            counts[f"dropped:{reason}"] += 1
            return None
        side, line = target
        counts["repaired:quoted_line"] += 1
        return CommentBlock(path=path, side=side, line=line, body=block.body)
    start_side = block.start_side or block.side
    if block.start_line is not None and hunk.find(start_side, block.start_line) is None:
        counts["repaired:range"] += 1
        return replace(block, start_line=None, start_side=None)
    return block


def check_anchors(
    blocks: Sequence[CommentBlock], path: str, hunks: Sequence[Hunk]
) -> CheckedComments:
    """Comments of one file's review, each on a line of ``hunks`` or dropped.

    The prompt shows one file, so a comment naming another path is moved to it.
    Duplicates (same anchor and text) and empty bodies are dropped.
    """
    counts: Counter[str] = Counter()
    kept: list[CommentBlock] = []
    seen: set[tuple[object, ...]] = set()
    for block in blocks:
        if not block.body.strip():
            counts["dropped:empty_body"] += 1
            continue
        checked = _checked(block, path, hunks, counts)
        if checked is None:
            continue
        key = (checked.side, checked.line, checked.start_line, checked.body.strip())
        if key in seen:
            counts["dropped:duplicate"] += 1
            continue
        seen.add(key)
        kept.append(checked)
    counts["kept"] += len(kept)
    return CheckedComments(tuple(kept), counts)
