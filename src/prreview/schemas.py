"""Records that cross pipeline boundaries.

Every stage that writes or reads one of these validates it here, so a field renamed
upstream fails loudly at the boundary instead of silently turning into ``None`` three
stages later. Authors are pseudonymised with :func:`hash_login` before anything is
written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

AuthorType = Literal["User", "Bot", "Organization", "Mannequin", "Unknown"]
Side = Literal["LEFT", "RIGHT"]
FileStatus = Literal["added", "removed", "modified", "renamed", "copied", "changed"]


class RecordError(ValueError):
    """A record failed validation at a pipeline boundary."""


def hash_login(login: str | None) -> str | None:
    """Pseudonymise a GitHub login: stable across runs,
    so "same author" stays comparable."""
    if login is None:
        return None
    return hashlib.sha256(login.strip().lower().encode()).hexdigest()[:16]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Repository(Record):
    full_name: str
    language: str | None = None
    stars: int = 0
    license: str | None = None
    default_branch: str | None = None
    pushed_at: str | None = None
    archived: bool = False
    topics: list[str] = Field(default_factory=list)
    description: str | None = None
    source: Literal["search", "explicit"] = "search"


class PullRequest(Record):
    repo: str
    number: int
    title: str
    body: str
    state: str
    merged: bool
    merged_at: str | None
    created_at: str
    updated_at: str
    closed_at: str | None
    base_ref: str
    head_ref: str
    base_sha: str
    head_sha: str
    merge_commit_sha: str | None
    author: str | None
    author_type: AuthorType
    author_association: str
    additions: int
    deletions: int
    changed_files: int
    labels: list[str]
    linked_issues: list[int]
    commit_shas: list[str]
    review_comment_count: int
    issue_comment_count: int
    iteration: int


class AnchoredComment(Record):
    """Where a review comment sits in its PR's diff, what it says and who wrote it:
    the fields every later stage reads."""

    id: int
    repo: str
    pr_number: int
    path: str
    line: int | None
    start_line: int | None
    side: Side | None
    start_side: Side | None
    original_line: int | None
    original_start_line: int | None
    commit_id: str | None
    original_commit_id: str | None
    diff_hunk: str
    body: str
    author: str | None
    author_association: str
    outdated: bool
    created_at: str
    iteration: int


class ReviewComment(AnchoredComment):
    """A review comment as ingested."""

    author_type: AuthorType
    in_reply_to_id: int | None
    pull_request_review_id: int | None
    thread_resolved: bool
    updated_at: str | None


class ThreadReply(Record):
    id: int
    body: str
    author_is_pr_author: bool


class FilteredComment(AnchoredComment):
    """A review comment kept as a training target, with why it was kept."""

    category: str
    probability: float
    rule_trail: list[str]
    thread_replies: list[ThreadReply]


class IssueComment(Record):
    id: int
    repo: str
    pr_number: int
    body: str
    author: str | None
    author_type: AuthorType
    author_association: str
    created_at: str
    iteration: int


class LinkedIssue(Record):
    repo: str
    number: int
    pr_number: int
    title: str
    body: str
    state: str
    author: str | None
    created_at: str | None
    closed_at: str | None
    iteration: int


class FilePatch(Record):
    path: str
    previous_path: str | None
    status: FileStatus
    additions: int
    deletions: int
    binary: bool
    patch: str | None


class PullDiff(Record):
    repo: str
    pr_number: int
    base_sha: str
    head_sha: str
    source: Literal["diff", "files"]
    diff: str | None
    files: list[FilePatch]
    iteration: int


class CodediffFile(Record):
    """One file of a PR as a review example: its rendered patch and the anchored
    comments (or, for a negative, none) with the target text the model should write.
    Each comment holds id, side, line, start_line, start_side, body, category and
    resolution."""

    iteration: int
    repo: str
    pr_number: int
    path: str
    previous_path: str | None
    status: FileStatus
    language: str
    hunk_index: int | None
    rendered_patch: str
    comments: list[dict[str, int | str | None]]
    target: str
    negative: bool


class CommentSummary(Record):
    """A kept comment rewritten as a short critique; ``source`` says whether the
    model's text is used (``llm``) or the comment's own (``original``, with the
    ``reason``)."""

    id: int
    iteration: int
    repo: str
    pr_number: int
    summary: str = Field(min_length=1)
    source: Literal["llm", "original"]
    reason: str | None
    original: str
    backend: str
    model: str
    prompt: str
    prompt_tokens: int = Field(ge=0)
    completion_tokens: int = Field(ge=0)
    cached: bool


class ChatMessage(Record):
    role: Literal["system", "user", "assistant"]
    content: str = Field(min_length=1)


class SFTRecord(Record):
    """A chat-format training record, the shape TRL's SFTTrainer reads: system, user
    and assistant turns, and where the example came from."""

    messages: list[ChatMessage] = Field(min_length=2)
    metadata: dict[str, Any]

    @model_validator(mode="after")
    def _turns_alternate(self) -> SFTRecord:
        roles = [message.role for message in self.messages]
        body = roles[1:] if roles[0] == "system" else roles
        expected = ["user", "assistant"] * (len(body) // 2 + 1)
        if len(body) < 2 or body != expected[: len(body)] or body[-1] != "assistant":
            raise ValueError(f"turns must alternate user/assistant, got {roles}")
        return self


class IngestError(Record):
    timestamp: str
    iteration: int
    error_type: str
    repo: str | None
    api_endpoint: str | None
    http_status: int | None
    retry_count: int
    final_action: str
    message: str


ModelT = TypeVar("ModelT", bound=Record)


def validate_records(
    model: type[ModelT], rows: Iterable[dict[str, Any]]
) -> list[ModelT]:
    """Validate rows read at a boundary;
    the error names the record and field at fault."""
    records = []
    for index, row in enumerate(rows):
        try:
            records.append(model.model_validate(row))
        except ValidationError as error:
            raise RecordError(
                f"{model.__name__} #{index} is invalid: {error}"
            ) from error
    return records


def dump_records(records: Iterable[Record]) -> list[dict[str, Any]]:
    """Plain dicts for JSON Lines, in field order."""
    return [record.model_dump(mode="json") for record in records]


class FIMRecord(Record):
    """A fill-in-the-middle example: the window ``prefix + middle + suffix`` of a
    file at ``commit``, and ``text``, the same rendered with the model family's FIM
    tokens in ``mode`` (psm or spm)."""

    repo: str
    path: str
    commit: str
    language: str
    prefix: str
    middle: str = Field(min_length=1)
    suffix: str
    text: str
    mode: Literal["psm", "spm"]
    span_mode: Literal["char", "node"]
    fim_format: str
    window_start: int = Field(ge=0)
    window_end: int = Field(ge=0)
    node_type: str | None
    fallback: str | None
    tokens: int | None
