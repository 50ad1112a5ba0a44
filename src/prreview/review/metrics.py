"""How close generated review comments come to the human ones: where and what.

Location: a generated comment matches a human comment of the same file and side
when their line spans are at most ``tolerance`` lines apart (0: they overlap);
each human comment matches at most one generated comment, closest pairs first.
Precision is matched / generated, recall matched / human, summed over all files
before dividing (micro-averaged); a ratio with nothing to divide by is 0. At hunk
level the units are the hunks that hold at least one comment.

Meaning: BERTScore between each matched pair's bodies, greedy cosine matching of
contextual token embeddings from one fixed layer of a configurable encoder
(``bert_score``); the bundled all-MiniLM-L6-v2 offline, roberta-large in prod.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from prreview.diffs.hunks import Hunk
from prreview.diffs.render import CommentBlock


@dataclass(frozen=True)
class LocationCounts:
    """Matched, generated and human units (comments or hunks); add them up."""

    matched: int = 0
    generated: int = 0
    human: int = 0

    def __add__(self, other: LocationCounts) -> LocationCounts:
        return LocationCounts(
            self.matched + other.matched,
            self.generated + other.generated,
            self.human + other.human,
        )

    def scores(self) -> dict[str, float]:
        precision = self.matched / self.generated if self.generated else 0.0
        recall = self.matched / self.human if self.human else 0.0
        total = precision + recall
        f1 = 2 * precision * recall / total if total else 0.0
        return {"precision": precision, "recall": recall, "f1": f1}


def span(block: CommentBlock) -> tuple[int, int]:
    """First and last line on the comment's side (a range that starts on the
    other side counts from its end line only)."""
    if block.start_line is not None and block.start_side == block.side:
        return block.start_line, block.line
    return block.line, block.line


def span_distance(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Lines between two spans; 0 when they overlap."""
    return max(0, a[0] - b[1], b[0] - a[1])


def match_comments(
    generated: Sequence[CommentBlock],
    human: Sequence[CommentBlock],
    tolerance: int = 0,
) -> list[tuple[int, int]]:
    """One-to-one (generated index, human index) pairs within ``tolerance`` lines,
    closest first (ties by position, so the result is deterministic)."""
    if tolerance < 0:
        raise ValueError("tolerance must not be negative")
    candidates = sorted(
        (span_distance(span(g), span(h)), gi, hi)
        for gi, g in enumerate(generated)
        for hi, h in enumerate(human)
        if g.path == h.path and g.side == h.side
    )
    used_generated: set[int] = set()
    used_human: set[int] = set()
    pairs = []
    for distance, gi, hi in candidates:
        if distance > tolerance:
            break
        if gi in used_generated or hi in used_human:
            continue
        used_generated.add(gi)
        used_human.add(hi)
        pairs.append((gi, hi))
    return sorted(pairs)


def location_counts(
    generated: Sequence[CommentBlock],
    human: Sequence[CommentBlock],
    tolerance: int = 0,
) -> LocationCounts:
    pairs = match_comments(generated, human, tolerance)
    return LocationCounts(len(pairs), len(generated), len(human))


def _hunk_indices(blocks: Sequence[CommentBlock], hunks: Sequence[Hunk]) -> set[int]:
    found = set()
    for block in blocks:
        for hunk in hunks:
            if hunk.find(block.side, block.line) is not None:
                found.add(hunk.index)
                break
    return found


def hunk_counts(
    generated: Sequence[CommentBlock],
    human: Sequence[CommentBlock],
    hunks: Sequence[Hunk],
) -> LocationCounts:
    """Hunks commented by both, by the model, by the humans."""
    model, people = _hunk_indices(generated, hunks), _hunk_indices(human, hunks)
    return LocationCounts(len(model & people), len(model), len(people))


@dataclass(frozen=True)
class BertScoreSettings:
    """The encoder and layer behind BERTScore. ``num_layers=None`` takes
    bert_score's tuned default, which exists only for the models it lists
    (roberta-large: 17)."""

    model: str = "bundled:all-MiniLM-L6-v2"
    num_layers: int | None = 4  # of MiniLM-L6's 6: the usual ~2/3 depth
    batch_size: int = 32
    idf: bool = False


class BertScorer:
    """BERTScore precision, recall and F1 per (candidate, reference) pair; the
    encoder loads on first use."""

    def __init__(self, settings: BertScoreSettings | None = None) -> None:
        self.settings = settings or BertScoreSettings()
        self._scorer: Any = None

    def _loaded(self) -> Any:
        if self._scorer is None:
            from bert_score import BERTScorer  # noqa: PLC0415

            from prreview.comments.embed import resolve_model  # noqa: PLC0415

            self._scorer = BERTScorer(
                model_type=resolve_model(self.settings.model),
                num_layers=self.settings.num_layers,
                batch_size=self.settings.batch_size,
                idf=self.settings.idf,
                device="cpu" if not _cuda() else None,
            )
        return self._scorer

    @property
    def layer(self) -> int:
        """The layer the numbers come from (loads the encoder)."""
        return int(self._loaded().num_layers)

    def describe(self) -> dict[str, Any]:
        return {"model": self.settings.model, "layer": self.layer}

    def score(
        self, candidates: Sequence[str], references: Sequence[str]
    ) -> dict[str, np.ndarray]:
        if len(candidates) != len(references):
            raise ValueError("need one reference per candidate")
        if not candidates:
            empty = np.zeros(0)
            return {"precision": empty, "recall": empty, "f1": empty}
        precision, recall, f1 = self._loaded().score(
            list(candidates), list(references), batch_size=self.settings.batch_size
        )
        return {
            "precision": precision.numpy(),
            "recall": recall.numpy(),
            "f1": f1.numpy(),
        }


def _cuda() -> bool:
    import torch  # noqa: PLC0415

    return torch.cuda.is_available()
