"""summarize nodes: every kept comment goes to the chat model configured as
``summarizer`` with the prompt from conf; the work lives in prreview.llm.summarize."""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from prreview.diffs.noise import language_of
from prreview.llm.backends import ChatBackend
from prreview.llm.summarize import (
    CommentToSummarize,
    SummarizeSettings,
    SummaryPrompt,
    summarize_comments,
)
from prreview.partitions import Partitions, Rows, iteration_key, partition_rows
from prreview.schemas import CommentSummary, FilteredComment, validate_records

logger = logging.getLogger(__name__)


class SummarizeParams(BaseModel):
    """Request settings and the checks every answer must pass (docs/summarize.md)."""

    model_config = ConfigDict(extra="forbid")

    max_tokens: int = Field(64, ge=1)
    temperature: float = Field(0.0, ge=0)
    stop: list[str] = Field(default_factory=lambda: ["\n\n"])
    concurrency: int | None = Field(None, ge=1)
    chunk_size: int = Field(32, ge=1)
    skip_below_chars: int = Field(0, ge=0)
    code_context_lines: int = Field(4, ge=0)
    max_length_ratio: float = Field(1.5, gt=0)
    min_length_allowance: int = Field(160, ge=0)
    min_word_overlap: float = Field(0.5, ge=0, le=1)

    def settings(self) -> SummarizeSettings:
        fields = self.model_dump(exclude={"code_context_lines"})
        fields["stop"] = tuple(fields["stop"])
        return SummarizeSettings(**fields)


def _kept_by_id(filtered_comments: Partitions) -> list[FilteredComment]:
    """One comment per id (a later partition wins), in id order."""
    by_id: dict[int, FilteredComment] = {}
    for partition_id in sorted(filtered_comments):
        rows = partition_rows(filtered_comments[partition_id])
        for comment in validate_records(FilteredComment, rows):
            by_id[comment.id] = comment
    return [by_id[key] for key in sorted(by_id)]


def _item(comment: FilteredComment, context_lines: int) -> CommentToSummarize:
    hunk_lines = (comment.diff_hunk or "").splitlines()[1:]  # without the @@ header
    code = "\n".join(hunk_lines[-context_lines:]) if context_lines else ""
    return CommentToSummarize(
        id=comment.id,
        body=comment.body,
        path=comment.path,
        language=language_of(comment.path),
        code=code,
        repo=comment.repo,
    )


def _log_progress(done: int, total: int) -> None:
    logger.info("summarize: %d/%d comments", done, total)


def summarize_kept_comments(
    filtered_comments: Partitions,
    summarizer: ChatBackend,
    summarize_prompt: dict[str, Any],
    summarize_params: SummarizeParams,
) -> tuple[dict[str, Rows], dict[str, Any], dict[str, Any]]:
    """A critique for every kept comment, per iteration, with the run's report and
    metrics. Cached answers cost nothing, so every run rewrites every partition."""
    prompt = SummaryPrompt.from_mapping(summarize_prompt)
    comments = _kept_by_id(filtered_comments)
    items = [_item(c, summarize_params.code_context_lines) for c in comments]
    started = time.perf_counter()
    run = summarize_comments(
        items, summarizer, prompt, summarize_params.settings(), _log_progress
    )
    seconds = time.perf_counter() - started
    partitions: dict[str, Rows] = defaultdict(list)
    for comment, summary in zip(comments, run.summaries):
        partitions[iteration_key(comment.iteration)].append(
            {
                "id": comment.id,
                "iteration": comment.iteration,
                "repo": comment.repo,
                "pr_number": comment.pr_number,
                "summary": summary.text,
                "source": summary.source,
                "reason": summary.reason,
                "original": summary.original,
                "backend": summarizer.name,
                "model": summarizer.model,
                "prompt": prompt.digest,
                "prompt_tokens": summary.prompt_tokens,
                "completion_tokens": summary.completion_tokens,
                "cached": summary.cached,
            }
        )
    for rows in partitions.values():
        validate_records(CommentSummary, rows)
    usage = summarizer.usage.as_dict()
    counts = dict(sorted(run.counts.items()))
    logger.info(
        "summarize: %d comments in, %d summarized by %s, %d kept their text; "
        "%d tokens, %d cache hits, %.1f s",
        len(items),
        counts.get("source:llm", 0),
        summarizer.model,
        counts.get("source:original", 0),
        usage["total_tokens"],
        usage["cache_hits"],
        seconds,
    )
    report = {
        "backend": summarizer.name,
        "model": summarizer.model,
        "prompt": prompt.digest,
        "comments": len(items),
        "counts": counts,
        "usage": usage,
        "seconds": round(seconds, 3),
        "params": summarize_params.model_dump(mode="json"),
    }
    llm_share = counts.get("source:llm", 0) / len(items) if items else 0.0
    metrics = {
        "summarize_comments": {"value": len(items), "step": 0},
        "summarize_llm_share": {"value": llm_share, "step": 0},
        "summarize_total_tokens": {"value": usage["total_tokens"], "step": 0},
        "summarize_cache_hits": {"value": usage["cache_hits"], "step": 0},
        "summarize_failures": {"value": usage["failures"], "step": 0},
    }
    return dict(sorted(partitions.items())), report, metrics
