"""Review a diff with a chat model: the critique prompt in, anchored comments out.

The prompt is :func:`prreview.diffs.critique.prompt_messages`, the one the training
records were built with; the answer is read with
:func:`prreview.diffs.render.parse_comments` and every comment is checked against
the file's hunks (:mod:`prreview.review.anchors`). Any
:class:`~prreview.llm.backends.ChatBackend` generates: the bundled model with or
without a trained adapter, or an OpenAI-compatible endpoint. Nothing is hidden: a
reply that does not parse is a ``parse_failure`` with the parser's message.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from prreview.diffs.critique import SYSTEM_PROMPT, ReviewContext, prompt_messages
from prreview.diffs.hunks import Hunk, HunkParseError, parse_patch
from prreview.diffs.noise import language_of
from prreview.diffs.patches import split_diff
from prreview.diffs.render import (
    CLOSE,
    CommentBlock,
    CommentFormatError,
    parse_comments,
    render_patch,
    unrender_patch,
)
from prreview.llm.backends import ChatBackend
from prreview.llm.client import ChatClientError, ChatRequest, ChatResult
from prreview.review.anchors import check_anchors
from prreview.schemas import FilePatch

Status = Literal["comments", "no_comments", "truncated", "parse_failure", "failed"]
STATUSES: tuple[Status, ...] = (
    "comments",
    "no_comments",
    "truncated",
    "parse_failure",
    "failed",
)


@dataclass(frozen=True)
class ReviewedFile:
    """One file's review: its checked comments and how the reply was read.

    ``truncated``: the reply hit the token limit; the complete comments before the
    cut are kept. ``failed``: the request itself failed (``error`` says why).
    """

    path: str
    status: Status
    comments: tuple[CommentBlock, ...] = ()
    counts: Mapping[str, int] = field(default_factory=dict)
    error: str | None = None
    reply: str = ""

    @classmethod
    def from_dict(cls, row: Mapping[str, Any]) -> ReviewedFile:
        """The inverse of :meth:`to_dict` (plus ``reply`` when the row has it)."""
        return cls(
            path=str(row["path"]),
            status=row["status"],
            comments=tuple(CommentBlock(**c) for c in row.get("comments") or ()),
            counts=dict(row.get("counts") or {}),
            error=row.get("error"),
            reply=str(row.get("reply") or ""),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "status": self.status,
            "comments": [comment_dict(c) for c in self.comments],
            "counts": dict(self.counts),
            "error": self.error,
        }


def comment_dict(block: CommentBlock) -> dict[str, Any]:
    """A comment in GitHub's review-comment fields (no ``None`` values)."""
    fields: dict[str, Any] = {"path": block.path, "side": block.side}
    if block.start_line is not None:
        fields |= {"start_line": block.start_line, "start_side": block.start_side}
    return fields | {"line": block.line, "body": block.body}


def contexts_from_files(
    files: Sequence[FilePatch],
    *,
    repo: str = "",
    pr_title: str = "",
    pr_description: str = "",
    guidelines: str = "",
) -> list[ReviewContext]:
    """One review prompt per file patch; binary and unchanged files have nothing to
    review and are left out. Raises
    :class:`~prreview.diffs.hunks.HunkParseError` on a malformed patch."""
    return [
        ReviewContext(
            repo=repo,
            pr_title=pr_title,
            pr_description=pr_description,
            guidelines=guidelines,
            path=file.path,
            language=language_of(file.path),
            rendered_patch=render_patch(file),
        )
        for file in files
        if file.patch and not file.binary
    ]


def contexts_from_diff(diff: str, **context: str) -> list[ReviewContext]:
    """The prompts of a unified diff (``git diff``, a ``.patch``); ``context`` as
    for :func:`contexts_from_files`. Raises
    :class:`~prreview.diffs.patches.DiffParseError` or
    :class:`~prreview.diffs.hunks.HunkParseError` on a malformed diff."""
    return contexts_from_files(split_diff(diff), **context)


@dataclass(frozen=True)
class ReviewPrompt:
    """What the model is asked about one file, and the hunks to check its answer."""

    path: str
    messages: tuple[Mapping[str, str], ...]
    hunks: tuple[Hunk, ...]


def rendered_hunks(rendered_patch: str) -> tuple[Hunk, ...]:
    """The hunks a prompt showed, read back from its rendered patch."""
    try:
        return parse_patch(unrender_patch(rendered_patch))
    except (CommentFormatError, HunkParseError):
        return ()


def prompt_for(
    context: ReviewContext, system_prompt: str = SYSTEM_PROMPT
) -> ReviewPrompt:
    return ReviewPrompt(
        context.path,
        tuple(prompt_messages(context, system_prompt)),
        rendered_hunks(context.rendered_patch),
    )


def read_review(
    reply: str, finish_reason: str, path: str, hunks: Sequence[Hunk]
) -> ReviewedFile:
    """Parse a reply and check its anchors. A reply cut at the token limit keeps
    the comments completed before the cut; any other malformed reply is a
    ``parse_failure``."""
    status: Status = "comments"
    try:
        blocks = parse_comments(reply.strip())
    except CommentFormatError as error:
        lines = reply.split("\n")
        closes = [index for index, line in enumerate(lines) if line == CLOSE]
        complete = "\n".join(lines[: closes[-1] + 1]) if closes else ""
        if finish_reason != "length" or not complete:
            return ReviewedFile(path, "parse_failure", error=str(error), reply=reply)
        try:
            blocks = parse_comments(complete.strip())
        except CommentFormatError:
            return ReviewedFile(path, "parse_failure", error=str(error), reply=reply)
        status = "truncated"
    checked = check_anchors(blocks, path, hunks)
    if not checked.comments and status == "comments":
        status = "no_comments"
    return ReviewedFile(
        path, status, checked.comments, dict(checked.counts), reply=reply
    )


@dataclass(frozen=True)
class GenerationSettings:
    """How replies are generated: greedy by default, as in evaluation."""

    max_tokens: int = 256
    temperature: float = 0.0
    seed: int | None = None


def review_prompts(
    backend: ChatBackend,
    prompts: Sequence[ReviewPrompt],
    settings: GenerationSettings | None = None,
) -> list[ReviewedFile]:
    """Generate (batched by the backend, cached where it caches) and read each reply."""
    settings = settings or GenerationSettings()
    requests = [
        ChatRequest(
            messages=prompt.messages,
            max_tokens=settings.max_tokens,
            temperature=settings.temperature,
            seed=settings.seed,
        )
        for prompt in prompts
    ]
    reviews = []
    for prompt, outcome in zip(
        prompts, backend.complete_each_sync(requests), strict=True
    ):
        if isinstance(outcome, ChatClientError):
            reviews.append(ReviewedFile(prompt.path, "failed", error=str(outcome)))
        else:
            assert isinstance(outcome, ChatResult)
            reviews.append(
                read_review(
                    outcome.text, outcome.finish_reason, prompt.path, prompt.hunks
                )
            )
    return reviews


def review_counts(reviews: Sequence[ReviewedFile]) -> dict[str, int]:
    """Files per status and comments per repair or drop reason, summed."""
    totals: Counter[str] = Counter({f"files:{status}": 0 for status in STATUSES})
    for review in reviews:
        totals[f"files:{review.status}"] += 1
        totals.update(review.counts)
    return dict(sorted(totals.items()))


def github_review_request(
    reviews: Sequence[ReviewedFile],
    *,
    commit_id: str | None = None,
    body: str = "",
) -> dict[str, Any]:
    """The body of GitHub's "create a review" request
    (``POST /repos/{owner}/{repo}/pulls/{number}/reviews``), ready to post."""
    request: dict[str, Any] = {
        "event": "COMMENT",
        "body": body,
        "comments": [comment_dict(c) for r in reviews for c in r.comments],
    }
    if commit_id:
        request["commit_id"] = commit_id
    return request
