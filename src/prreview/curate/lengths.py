"""Record lengths: statistics, the training ``max_length``, a histogram, trimming.

Percentiles are nearest-rank (numpy's ``inverted_cdf``): each is a length some record
actually has, and ``p95`` is the smallest length at least 95% of records fit in.
``max_length_95`` is that length rounded up to a multiple of 64 (the default
``multiple``): sequence lengths that are multiples of 64 keep GPU kernels on their
fast paths and padding to them costs at most 63 tokens. The original project chose
3600 tokens the same way, by eye.

A critique record that is too long is trimmed where it does least harm: whole hunks
of its diff that no comment points at are removed, the farthest from a commented
hunk first. Hunk headers carry absolute line numbers and every diff line keeps its
label, so the remaining hunks and the comments' ``lines=`` stay valid. A hunk is
never cut in the middle; if the record still does not fit, it is dropped.
"""

from __future__ import annotations

import copy
import logging
import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from prreview.diffs.render import CommentBlock, CommentFormatError, parse_comments

logger = logging.getLogger(__name__)

PERCENTILES = (50, 90, 95, 99)
DIFF_MARKER = "Diff:\n"
_LABEL = re.compile(r"\s*(L?)(\d+) ")

MessagesCounter = Callable[[Sequence[Mapping[str, str]]], int]


def round_up(value: float, multiple: int) -> int:
    """The smallest multiple of ``multiple`` that is >= ``value``."""
    return int(math.ceil(value / multiple) * multiple)


def length_stats(
    counts: Sequence[int], *, coverage: float = 0.95, multiple: int = 64
) -> dict[str, float | int | None]:
    """count, min, max, mean, p50/p90/p95/p99 and ``max_length_95``, the length
    covering ``coverage`` of the records rounded up to ``multiple``."""
    if len(counts) == 0:
        empty: dict[str, float | int | None] = {"count": 0}
        keys = ["min", "max", "mean", *(f"p{p}" for p in PERCENTILES), "max_length_95"]
        return empty | dict.fromkeys(keys)
    values = np.asarray(counts, dtype=np.int64)
    stats: dict[str, float | int | None] = {
        "count": int(values.size),
        "min": int(values.min()),
        "max": int(values.max()),
        "mean": float(values.mean()),
    }
    for p in PERCENTILES:
        stats[f"p{p}"] = int(np.percentile(values, p, method="inverted_cdf"))
    covering = int(np.percentile(values, coverage * 100, method="inverted_cdf"))
    stats["max_length_95"] = round_up(covering, multiple)
    return stats


def histogram_figure(
    counts: Sequence[int], max_length: int | None = None, *, title: str = "Lengths"
) -> Figure:
    """A histogram of lengths with the cut-off marked, drawn off-screen (no pyplot,
    so no global figure state and nothing left open)."""
    figure = Figure(figsize=(8, 4.5), layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    values = np.asarray(counts, dtype=np.int64)
    if values.size:
        axes.hist(values, bins=min(60, max(10, int(np.sqrt(values.size)))))
    if max_length is not None:
        over = int((values > max_length).sum())
        axes.axvline(max_length, color="tab:red", linestyle="--")
        axes.set_title(f"{title}: {values.size} records, {over} over {max_length}")
    else:
        axes.set_title(f"{title}: {values.size} records")
    axes.set_xlabel("tokens")
    axes.set_ylabel("records")
    return figure


def _split_diff(diff: str) -> tuple[list[str], list[list[str]]]:
    """Lines before the first hunk header, and the hunks (header + lines)."""
    header: list[str] = []
    hunks: list[list[str]] = []
    for line in diff.split("\n"):
        if line.startswith("@@"):
            hunks.append([line])
        elif hunks:
            hunks[-1].append(line)
        else:
            header.append(line)
    return header, hunks


def _labels(hunk: list[str]) -> set[tuple[str, int]]:
    labels = set()
    for line in hunk[1:]:
        match = _LABEL.match(line)
        if match:
            labels.add(("LEFT" if match[1] else "RIGHT", int(match[2])))
    return labels


def _points_at(block: CommentBlock, labels: set[tuple[str, int]]) -> bool:
    if (block.side, block.line) in labels:
        return True
    if block.start_line is None:
        return False
    if block.start_side == block.side:
        return any(
            side == block.side and block.start_line <= line <= block.line
            for side, line in labels
        )
    return (block.start_side, block.start_line) in labels


def _drop_order(hunk_count: int, commented: set[int]) -> list[int]:
    """Uncommented hunks, farthest from a commented one first (later first on ties);
    without comments every hunk but the first."""
    anchors = sorted(commented) or [0]
    candidates = [h for h in range(hunk_count) if h not in anchors]
    distance = {h: min(abs(h - a) for a in anchors) for h in candidates}
    return sorted(candidates, key=lambda h: (-distance[h], -h))


def trim_critique_record(
    record: Mapping[str, Any], max_tokens: int, count_tokens: MessagesCounter
) -> Mapping[str, Any] | None:
    """The record if it fits in ``max_tokens``; else a copy with uncommented hunks
    removed (``metadata.trimmed_hunks`` says how many) that fits; else None.

    ``count_tokens`` counts a messages list (e.g. the tokenizer's chat template).
    """
    messages = record["messages"]
    if count_tokens(messages) <= max_tokens:
        return record
    user = next(
        (i for i in range(len(messages) - 1, -1, -1) if messages[i]["role"] == "user"),
        None,
    )
    if user is None or DIFF_MARKER not in messages[user]["content"]:
        return None
    content = messages[user]["content"]
    cut = content.rindex(DIFF_MARKER) + len(DIFF_MARKER)
    header, hunks = _split_diff(content[cut:])
    try:
        blocks = parse_comments(messages[-1]["content"])
    except CommentFormatError:
        logger.debug("answer is not in the comment format: not trimmed")
        return None
    commented = {
        index
        for index, hunk in enumerate(hunks)
        if any(_points_at(block, _labels(hunk)) for block in blocks)
    }
    kept = set(range(len(hunks)))
    trimmed = [dict(message) for message in messages]
    for dropped, index in enumerate(_drop_order(len(hunks), commented), start=1):
        kept.discard(index)
        lines = header + [line for h in sorted(kept) for line in hunks[h]]
        trimmed[user]["content"] = content[:cut] + "\n".join(lines)
        if count_tokens(trimmed) <= max_tokens:
            result = dict(record)
            result["messages"] = trimmed
            result["metadata"] = copy.deepcopy(dict(record.get("metadata") or {}))
            result["metadata"]["trimmed_hunks"] = dropped
            return result
    return None
