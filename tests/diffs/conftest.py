"""The ingested bundled sample as validated records, for the codediff tests."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from prreview.schemas import FilePatch, PullDiff, ReviewComment, validate_records


@dataclass(frozen=True)
class Sample:
    diffs: dict[tuple[str, int], PullDiff]
    comments: list[ReviewComment]

    def files(self, comment: ReviewComment) -> list[FilePatch]:
        return self.diffs[(comment.repo, comment.pr_number)].files

    def all_files(self) -> list[FilePatch]:
        return [file for diff in self.diffs.values() for file in diff.files]


@pytest.fixture(scope="session")
def sample(ingested_sample: dict) -> Sample:
    """Pull diffs and review comments the ingest pipeline makes of the sample."""

    def rows(name: str) -> list[dict]:
        return [row for part in ingested_sample[name].values() for row in part]

    diffs = validate_records(PullDiff, rows("pull_diffs"))
    return Sample(
        diffs={(diff.repo, diff.pr_number): diff for diff in diffs},
        comments=validate_records(ReviewComment, rows("review_comments")),
    )
