"""Slice values read from a critique record's metadata."""

from __future__ import annotations

import pytest

from prreview.review.slices import change_type, example_slices, pr_size


@pytest.mark.parametrize(
    ("changes", "size"),
    [
        (0, "small"),
        (49, "small"),
        (50, "medium"),
        (299, "medium"),
        (300, "large"),
        (10_000, "large"),
        (None, "unknown"),
        (-1, "unknown"),
    ],
)
def test_pr_size_boundaries(changes: int | None, size: str) -> None:
    assert pr_size(changes) == size


@pytest.mark.parametrize(
    ("labels", "title", "kind"),
    [
        (["bug"], "Add retry option", "bug_fix"),
        (["Type: Enhancement"], "Fix crash", "feature"),
        (["documentation"], "", "docs"),
        (["tech debt"], "", "refactor"),
        (["good first issue"], "Fix crash on empty queue", "bug_fix"),
        ([], "feat(api): x", "feature"),
        ([], "feat!: drop python 3.8", "feature"),
        ([], "fix: y", "bug_fix"),
        ([], "docs: z", "docs"),
        ([], "refactor(core): split module", "refactor"),
        ([], "Fix crash on empty queue", "bug_fix"),
        ([], "Add retry option", "feature"),
        ([], "Rename Job.Body to Job.Payload", "refactor"),
        ([], "Docstrings for the client", "docs"),
        ([], "Bump version to 1.2", "other"),
        (["good first issue"], "", "other"),
        ([], "", "unknown"),
    ],
)
def test_change_type(labels: list[str], title: str, kind: str) -> None:
    assert change_type(labels, title) == kind


def test_labels_match_whole_words() -> None:
    assert change_type(["docker"], "Bump version to 1.2") == "other"


def test_example_slices_from_full_metadata() -> None:
    metadata = {
        "pr_changes": 120,
        "language": "Go",
        "pr_labels": ["enhancement"],
        "pr_title": "Retry failed jobs",
    }
    assert example_slices(metadata) == {
        "pr_size": "medium",
        "language": "Go",
        "change_type": "feature",
    }


def test_example_slices_without_the_fields_are_unknown() -> None:
    unknown = {"pr_size": "unknown", "language": "unknown", "change_type": "unknown"}
    assert example_slices({}) == unknown
    assert example_slices({"pr_changes": None, "language": "", "pr_labels": None}) == (
        unknown
    )
    assert example_slices({"pr_changes": "12"})["pr_size"] == "small"
