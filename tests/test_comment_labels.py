"""The hand-labelled review comments (data/01_raw/comment_labels.csv) are usable.

The comment-worthiness classifier is trained on this file and cross-validated grouped
by repository, so besides the format (header, ids, categories, bodies, diff hunks) the
tests check that there are enough repositories, that each one mixes several
categories, and that none of them belongs to the bundled GitHub sample the classifier
is later applied to. The last test re-runs ``scripts/comment_labels/write_labels.py``
and requires byte-identical output.
"""

from __future__ import annotations

import csv
import importlib.util
import json
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "data" / "01_raw" / "comment_labels.csv"
WRITER = ROOT / "scripts" / "comment_labels" / "write_labels.py"
SAMPLE_INDEX = ROOT / "data" / "01_raw" / "github_sample" / "index.json"

HEADER = ["id", "repo", "language", "category", "body", "diff_hunk"]
CATEGORIES = {
    "functional_defect",
    "refactoring_design",
    "documentation",
    "style_nit",
    "question_discussion",
    "praise_noise",
}
SAMPLE_REPOS = {
    "pyshelf/shelfdb",
    "tidewave/tidewave",
    "ferrous-labs/rivet",
    "kettle-io/kettle",
    "northwind-oss/ledger-core",
    "paperkite/paperkite-ui",
    "sprout-js/sprout-router",
    "quarry-rs/quarry",
    "oldguard/legacy-utils",
}


@cache
def _rows() -> tuple[dict[str, str], ...]:
    with LABELS.open(encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


def test_header() -> None:
    with LABELS.open(encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == HEADER
    assert all(None not in row and len(row) == len(HEADER) for row in _rows())


def test_ids_are_unique_sorted_integers() -> None:
    ids = [int(row["id"]) for row in _rows()]
    assert len(ids) == len(set(ids))
    assert ids == sorted(ids)


def test_enough_rows() -> None:
    assert len(_rows()) >= 400


def test_every_category_is_well_represented() -> None:
    counts = Counter(row["category"] for row in _rows())
    assert set(counts) == CATEGORIES
    assert min(counts.values()) >= 60, counts


def test_repositories_mix_categories() -> None:
    categories: dict[str, set[str]] = defaultdict(set)
    languages: dict[str, set[str]] = defaultdict(set)
    for row in _rows():
        categories[row["repo"]].add(row["category"])
        languages[row["repo"]].add(row["language"])
    assert len(categories) >= 20
    few = {repo: cats for repo, cats in categories.items() if len(cats) < 3}
    assert not few
    assert all(len(langs) == 1 and "" not in langs for langs in languages.values())


def test_bodies_are_not_empty() -> None:
    assert all(row["body"].strip() for row in _rows())


def test_no_repository_of_the_github_sample() -> None:
    sample = set(SAMPLE_REPOS)
    if SAMPLE_INDEX.exists():
        index = json.loads(SAMPLE_INDEX.read_text(encoding="utf-8"))
        sample |= set(index["repositories"])
    assert not {row["repo"] for row in _rows()} & sample


def test_diff_hunks_start_with_a_hunk_header() -> None:
    hunks = [row["diff_hunk"] for row in _rows() if row["diff_hunk"]]
    assert hunks
    assert all(hunk.startswith("@@ ") for hunk in hunks)


def test_csv_matches_the_writer(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("comment_labels_writer", WRITER)
    assert spec is not None and spec.loader is not None
    writer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(writer)
    out = tmp_path / "comment_labels.csv"
    count = writer.write_csv(out)
    assert count == len(_rows())
    assert out.read_bytes() == LABELS.read_bytes()
