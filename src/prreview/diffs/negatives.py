"""Pick uncommented files or hunks as negative examples.

A reviewer often says nothing about a file, and a model trained only on commented
code learns to always find something; negatives teach the empty answer. Selection
depends on nothing but its arguments and the given ``random.Random``, so one seed
always picks the same examples.
"""

from __future__ import annotations

import logging
import math
import random
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Literal

from prreview.diffs.hunks import HunkParseError, parse_patch
from prreview.schemas import FilePatch

logger = logging.getLogger(__name__)

Unit = Literal["file", "hunk"]
Commented = Collection[str | tuple[str, int]]


@dataclass(frozen=True, slots=True)
class Negative:
    """An uncommented file (``hunk_index`` None) or one uncommented hunk of it."""

    path: str
    hunk_index: int | None = None


def _commented_paths(commented: Commented) -> set[str]:
    return {item if isinstance(item, str) else item[0] for item in commented}


def _candidates(
    files: Sequence[FilePatch], commented: Commented, unit: Unit
) -> list[Negative]:
    """Uncommented units in file and hunk order.

    Files without a patch, or with one that does not parse, never count: there is
    nothing to show the model.
    """
    touched = _commented_paths(commented)
    out: list[Negative] = []
    for file in files:
        if file.binary or not file.patch:
            continue
        try:
            hunks = parse_patch(file.patch)
        except HunkParseError as error:
            logger.debug("no negatives from %s: %s", file.path, error)
            continue
        if unit == "file":
            if file.path not in touched:
                out.append(Negative(file.path))
        elif file.path not in commented:  # a bare path marks every hunk
            out.extend(
                Negative(file.path, hunk.index)
                for hunk in hunks
                if (file.path, hunk.index) not in commented
            )
    return out


def _how_many(positives: int, ratio: float, rng: random.Random) -> int:
    """``ratio * positives``, rounded up or down at random so the mean is exact."""
    wanted = ratio * positives
    whole = math.floor(wanted)
    return whole + (rng.random() < wanted - whole)


def pick_negatives(
    files: Sequence[FilePatch],
    commented: Commented,
    ratio: float,
    rng: random.Random,
    *,
    unit: Unit = "file",
) -> list[Negative]:
    """About ``ratio`` negatives per commented unit, sampled without replacement.

    ``files`` are a PR's kept patches; ``commented`` holds paths and/or
    ``(path, hunk_index)`` pairs that received comments. The result keeps file and
    hunk order. A PR with no commented unit gets no negatives.
    """
    if not math.isfinite(ratio) or ratio < 0:
        raise ValueError(f"ratio must be a finite number >= 0, not {ratio}")
    if unit not in ("file", "hunk"):
        raise ValueError(f"unit must be 'file' or 'hunk', not {unit!r}")
    candidates = _candidates(files, commented, unit)
    count = min(len(candidates), _how_many(len(set(commented)), ratio, rng))
    chosen = sorted(rng.sample(range(len(candidates)), count))
    return [candidates[index] for index in chosen]
