"""Negative examples: uncommented files or hunks, picked reproducibly per seed."""

from __future__ import annotations

import random
from statistics import mean
from typing import Any

import pytest

from prreview.diffs.negatives import Negative, pick_negatives
from prreview.schemas import FilePatch

TWO_HUNKS = "@@ -1 +1 @@\n-a\n+b\n@@ -9 +9 @@\n-c\n+d"


def file_patch(path: str, patch: str | None = TWO_HUNKS, **fields: Any) -> FilePatch:
    values: dict[str, Any] = {
        "path": path,
        "previous_path": None,
        "status": "modified",
        "additions": 2,
        "deletions": 2,
        "binary": False,
        "patch": patch,
    }
    return FilePatch(**(values | fields))


FILES = [file_patch(f"f{i}.py") for i in range(10)]


def test_same_seed_same_picks() -> None:
    picks = [pick_negatives(FILES, {"f0.py"}, 3, random.Random(7)) for _ in range(3)]
    assert picks[0] == picks[1] == picks[2]
    assert len(picks[0]) == 3


def test_seeds_change_the_picks() -> None:
    picks = {
        tuple(pick_negatives(FILES, {"f0.py"}, 3, random.Random(seed)))
        for seed in range(20)
    }
    assert len(picks) > 1


def test_commented_files_are_never_negatives() -> None:
    commented = {"f0.py", ("f1.py", 1)}
    picked = pick_negatives(FILES, commented, 100, random.Random(1))
    assert [negative.path for negative in picked] == [f"f{i}.py" for i in range(2, 10)]
    assert all(negative.hunk_index is None for negative in picked)


def test_hunk_negatives_skip_commented_hunks() -> None:
    files = FILES[:3]
    commented = {("f0.py", 0), "f1.py"}
    picked = pick_negatives(files, commented, 100, random.Random(1), unit="hunk")
    assert picked == [Negative("f0.py", 1), Negative("f2.py", 0), Negative("f2.py", 1)]


def test_binaries_empty_and_malformed_patches_are_never_picked() -> None:
    files = [
        file_patch("logo.png", None, binary=True),
        file_patch("moved.py", None, status="renamed"),
        file_patch("broken.py", "@@ -1,3 +1,3 @@\n-a"),
        file_patch("ok.py"),
    ]
    by_file = pick_negatives(files, {"x.py"}, 100, random.Random(0))
    assert by_file == [Negative("ok.py")]
    by_hunk = pick_negatives(files, {"x.py"}, 100, random.Random(0), unit="hunk")
    assert by_hunk == [Negative("ok.py", 0), Negative("ok.py", 1)]


def test_no_commented_unit_or_zero_ratio_gives_nothing() -> None:
    assert pick_negatives(FILES, set(), 5, random.Random(0)) == []
    assert pick_negatives(FILES, {"f0.py"}, 0, random.Random(0)) == []


def test_fractional_ratios_are_right_on_average() -> None:
    rng = random.Random(3)
    counts = [len(pick_negatives(FILES, {"f0.py"}, 0.3, rng)) for _ in range(2_000)]
    assert set(counts) == {0, 1}
    assert mean(counts) == pytest.approx(0.3, abs=0.04)


def test_results_keep_input_order() -> None:
    picked = pick_negatives(FILES, {"f0.py", "f1.py"}, 2, random.Random(11))
    assert picked == sorted(picked, key=lambda negative: negative.path)


@pytest.mark.parametrize(
    ("ratio", "unit"),
    [(-1, "file"), (float("nan"), "file"), (float("inf"), "file"), (1, "line")],
)
def test_bad_arguments(ratio: float, unit: Any) -> None:
    with pytest.raises(ValueError):
        pick_negatives(FILES, {"f0.py"}, ratio, random.Random(0), unit=unit)
