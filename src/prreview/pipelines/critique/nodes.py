"""critique nodes: each codediff example becomes a training conversation whose
answer holds the summarized comments at their anchors (prreview.diffs.critique), one
partition per iteration; the merge keeps one record per example across iterations."""

from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter, defaultdict
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from prreview.diffs.critique import (
    FORMAT_VERSION,
    SYSTEM_PROMPT,
    ReviewContext,
    critique_messages,
    example_key,
    excerpt,
)
from prreview.diffs.render import CommentBlock
from prreview.partitions import Partitions, Rows, latest_records, partition_rows
from prreview.schemas import (
    CodediffFile,
    CommentSummary,
    PullRequest,
    SFTRecord,
    validate_records,
)

logger = logging.getLogger(__name__)

PrKey = tuple[str, int]


class CritiqueParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    system_prompt: str | None = None  # None: prreview.diffs.critique.SYSTEM_PROMPT
    description_max_chars: int = Field(600, ge=0)
    guidelines_max_chars: int = Field(600, ge=0)  # 0: no guidelines in the prompt
    use_summaries: bool = True  # False: the reviewers' own words, as anchored


def _summaries_by_id(comment_summaries: Partitions) -> dict[int, CommentSummary]:
    by_id: dict[int, CommentSummary] = {}
    for partition_id in sorted(comment_summaries):
        rows = partition_rows(comment_summaries[partition_id])
        for summary in validate_records(CommentSummary, rows):
            by_id[summary.id] = summary
    return by_id


def _blocks(
    row: CodediffFile,
    summaries: dict[int, CommentSummary],
    params: CritiqueParams,
    counts: Counter[str],
) -> tuple[list[CommentBlock], Counter[str], list[str]]:
    """The answer's blocks, where their text came from, and each one's category."""
    blocks: list[CommentBlock] = []
    sources: Counter[str] = Counter()
    categories: list[str] = []
    for comment in row.comments:
        summary = summaries.get(int(comment["id"] or 0))
        if params.use_summaries and summary is not None:
            body, source = summary.summary, f"summary_{summary.source}"
        else:
            body, source = str(comment.get("body") or ""), "reviewer"
            if params.use_summaries:
                counts["comment_without_summary"] += 1
        if not body.strip():
            counts["comment_empty_body"] += 1
            continue
        blocks.append(
            CommentBlock(
                path=row.path,
                side=comment["side"],  # type: ignore[arg-type]
                line=int(comment["line"] or 0),
                body=body.strip(),
                start_line=comment.get("start_line"),  # type: ignore[arg-type]
                start_side=comment.get("start_side"),  # type: ignore[arg-type]
            )
        )
        sources[source] += 1
        categories.append(str(comment.get("category") or "unknown"))
    return blocks, sources, categories


def _guideline_excerpts(
    repository_guidelines: dict[str, str], max_chars: int
) -> dict[str, str]:
    """Excerpts by repository; files are named ``<owner>__<repo>.md``."""
    excerpts = {}
    for name, text in repository_guidelines.items():
        owner, _, repo = name.partition("__")
        if owner and repo and (trimmed := excerpt(text, max_chars)):
            excerpts[f"{owner}/{repo}"] = trimmed
    return excerpts


def build_critique_records(
    codediff_files: Partitions,
    comment_summaries: Partitions,
    all_pull_requests: Partitions,
    repository_guidelines: dict[str, str],
    critique_params: CritiqueParams,
) -> tuple[dict[str, Rows], dict[str, Any]]:
    """Chat SFT records per iteration: system prompt, the PR file's diff (with the
    repository's guidelines where it has them) as the user turn, the summarized
    comments at their anchors (or no comments) as the answer. Examples whose PR is
    unknown or whose comments all lost their text are counted and left out."""
    pull_requests = latest_records(
        PullRequest, all_pull_requests, lambda pr: (pr.repo, pr.number)
    )
    guidelines = _guideline_excerpts(
        repository_guidelines, critique_params.guidelines_max_chars
    )
    summaries = _summaries_by_id(comment_summaries)
    system_prompt = critique_params.system_prompt or SYSTEM_PROMPT
    counts: Counter[str] = Counter()
    partitions: dict[str, Rows] = {}
    for partition_id in sorted(codediff_files):
        records: Rows = []
        rows = partition_rows(codediff_files[partition_id])
        for row in validate_records(CodediffFile, rows):
            counts["examples_in"] += 1
            pr = pull_requests.get((row.repo, row.pr_number))
            if pr is None:
                counts["skipped:pull_request_missing"] += 1
                continue
            blocks, sources, categories = _blocks(
                row, summaries, critique_params, counts
            )
            if not row.negative and not blocks:
                counts["skipped:no_comment_left"] += 1
                continue
            context = ReviewContext(
                repo=row.repo,
                pr_title=pr.title,
                pr_description=excerpt(pr.body, critique_params.description_max_chars),
                guidelines=guidelines.get(row.repo, ""),
                path=row.path,
                language=row.language,
                rendered_patch=row.rendered_patch,
            )
            records.append(
                {
                    "messages": critique_messages(context, blocks, system_prompt),
                    "metadata": {
                        "source": "critique",
                        "format_version": FORMAT_VERSION,
                        "example": example_key(
                            row.repo,
                            row.pr_number,
                            row.path,
                            row.hunk_index,
                            row.negative,
                        ),
                        "repo": row.repo,
                        "pr_number": row.pr_number,
                        "path": row.path,
                        "language": row.language,
                        "iteration": row.iteration,
                        "negative": row.negative,
                        "hunk_index": row.hunk_index,
                        "comment_ids": [int(c["id"] or 0) for c in row.comments],
                        "comment_sources": dict(sorted(sources.items())),
                        "comment_categories": categories,  # one per answer block
                        "pr_title": pr.title,
                        "pr_labels": list(pr.labels),
                        "pr_changes": pr.additions + pr.deletions,
                        "guidelines": bool(context.guidelines),
                    },
                }
            )
            counts["records_out"] += 1
        validate_records(SFTRecord, records)
        partitions[partition_id] = records
    logger.info(
        "critique: %d examples in, %d records out (%d PRs unknown, %d without a "
        "comment left)",
        counts["examples_in"],
        counts["records_out"],
        counts["skipped:pull_request_missing"],
        counts["skipped:no_comment_left"],
    )
    return partitions, dict(sorted(counts.items()))


def _content_hash(record: dict[str, Any]) -> str:
    blob = json.dumps(record["messages"], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()


def _tally(records: Rows) -> dict[str, int]:
    negatives = sum(bool(r["metadata"]["negative"]) for r in records)
    return {
        "records": len(records),
        "positives": len(records) - negatives,
        "negatives": negatives,
        "comments": sum(
            sum(r["metadata"]["comment_sources"].values()) for r in records
        ),
    }


def _grouped(records: Rows, field: str) -> dict[str, dict[str, int]]:
    groups: dict[str, Rows] = defaultdict(list)
    for record in records:
        groups[str(record["metadata"][field])].append(record)
    return {key: _tally(groups[key]) for key in sorted(groups)}


def merge_critique_data(
    critique_data: Partitions, build_counts: dict[str, Any]
) -> tuple[Rows, dict[str, Any]]:
    """One dataset from every iteration: an example seen in several iterations
    keeps its latest record, and records with identical conversations are kept
    once; the report says how many of each went and what is left."""
    latest: dict[str, dict[str, Any]] = {}
    duplicates: Counter[str] = Counter()
    for partition_id in sorted(critique_data):
        rows = partition_rows(critique_data[partition_id])
        for record in validate_records(SFTRecord, rows):
            row = record.model_dump(mode="json")
            key = row["metadata"]["example"]
            if key in latest:
                duplicates["same_example_older_iteration"] += 1
            latest[key] = row
    merged: Rows = []
    seen: set[str] = set()
    for key in sorted(latest):
        digest = _content_hash(latest[key])
        if digest in seen:
            duplicates["identical_conversation"] += 1
            continue
        seen.add(digest)
        merged.append(latest[key])
    sources: Counter[str] = Counter()
    for record in merged:
        sources.update(record["metadata"]["comment_sources"])
    report = {
        "totals": _tally(merged),
        "duplicates_removed": dict(sorted(duplicates.items())),
        "comment_sources": dict(sorted(sources.items())),
        "by_language": _grouped(merged, "language"),
        "by_repository": _grouped(merged, "repo"),
        "by_iteration": _grouped(merged, "iteration"),
        "build": build_counts,
        "format_version": FORMAT_VERSION,
    }
    logger.info(
        "critique: %d records merged (%d positive, %d negative), %d duplicates out",
        report["totals"]["records"],
        report["totals"]["positives"],
        report["totals"]["negatives"],
        sum(duplicates.values()),
    )
    return merged, report
