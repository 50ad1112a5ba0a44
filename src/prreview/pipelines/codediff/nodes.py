"""codediff nodes: kept comments anchored to their PR's final diff, then one review
example per commented file (plus uncommented negatives). The work lives in
prreview.diffs; these nodes group by PR, count every comment that does not make it
and sort everything, so the same inputs give the same outputs."""

from __future__ import annotations

import logging
import random
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import replace
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from prreview.diffs.anchor import Anchor, anchor_comments
from prreview.diffs.hunks import parse_patch
from prreview.diffs.negatives import Negative, pick_negatives
from prreview.diffs.noise import NoiseRules, classify_files
from prreview.diffs.render import (
    CommentBlock,
    render_comments,
    render_patch,
)
from prreview.partitions import (
    Partitions,
    Rows,
    iteration_key,
    latest_records,
    partition_rows,
)
from prreview.schemas import (
    CodediffFile,
    FilePatch,
    FilteredComment,
    PullDiff,
    validate_records,
)

logger = logging.getLogger(__name__)

PrKey = tuple[str, int]


class NoiseParams(BaseModel):
    """Overrides of the library's noise rules; ``extra_*`` add to its defaults."""

    model_config = ConfigDict(extra="forbid")

    max_patch_chars: int = Field(60_000, ge=0)
    max_changed_lines: int = Field(1_500, ge=0)
    marker_max_line: int = Field(10, ge=0)
    extra_lock_files: list[str] = Field(default_factory=list)
    extra_generated_names: list[str] = Field(default_factory=list)
    extra_generated_dirs: list[str] = Field(default_factory=list)
    extra_vendored_dirs: list[str] = Field(default_factory=list)
    extra_generated_markers: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _rules_are_valid(self) -> NoiseParams:
        self.rules()  # a bad marker pattern fails when the parameters load
        return self

    def rules(self) -> NoiseRules:
        """The library's rules with these overrides."""
        base = NoiseRules()
        return replace(
            base,
            lock_files=base.lock_files | set(self.extra_lock_files),
            generated_names=base.generated_names + tuple(self.extra_generated_names),
            generated_dirs=base.generated_dirs | set(self.extra_generated_dirs),
            vendored_dirs=base.vendored_dirs | set(self.extra_vendored_dirs),
            generated_markers=base.generated_markers
            + tuple(self.extra_generated_markers),
            marker_max_line=self.marker_max_line,
            max_patch_chars=self.max_patch_chars,
            max_changed_lines=self.max_changed_lines,
        )


class CodediffParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    noise: NoiseParams = Field(default_factory=NoiseParams)
    negative_ratio: float = Field(0.5, ge=0, allow_inf_nan=False)
    negative_unit: Literal["file", "hunk"] = "file"
    seed: int = 0
    include_outdated: bool = True


def _kept_comments(
    filtered_comments: Partitions, counts: Counter[str]
) -> dict[PrKey, list[FilteredComment]]:
    """Kept comments by PR, one per id (a later partition wins), in id order."""
    by_id: dict[int, FilteredComment] = {}
    for partition_id in sorted(filtered_comments):
        for comment in validate_records(
            FilteredComment, partition_rows(filtered_comments[partition_id])
        ):
            counts["comments_in"] += 1
            if comment.id in by_id:
                counts["duplicate_comment"] += 1
            by_id[comment.id] = comment
    by_pr: dict[PrKey, list[FilteredComment]] = defaultdict(list)
    for comment_id in sorted(by_id):
        comment = by_id[comment_id]
        by_pr[(comment.repo, comment.pr_number)].append(comment)
    return by_pr


def _anchored(comment: FilteredComment, anchor: Anchor) -> dict[str, Any]:
    return {
        "id": comment.id,
        "path": anchor.path,
        "side": anchor.side,
        "line": anchor.line,
        "start_line": anchor.start_line,
        "start_side": anchor.start_side,
        "hunk_index": anchor.hunk_index,
        "body": comment.body,
        "category": comment.category,
        "resolution": anchor.resolution,
    }


def _anchor_pr(
    comments: list[FilteredComment],
    diff: PullDiff,
    codediff_params: CodediffParams,
    counts: Counter[str],
) -> dict[str, Any]:
    labels = classify_files(diff.files, codediff_params.noise.rules())
    counts.update(f"file:{label.reason}" for label in labels)
    noise = {label.path: label.reason for label in labels if not label.keep}
    to_anchor = []
    for comment in comments:
        if comment.path in noise:
            counts[f"noise:{noise[comment.path]}"] += 1
        elif comment.line is None and not codediff_params.include_outdated:
            counts["outdated_excluded"] += 1
        else:
            to_anchor.append(comment)
    anchored, unresolved_paths = [], set()
    for comment, result in zip(
        to_anchor, anchor_comments(to_anchor, diff.files), strict=True
    ):
        if isinstance(result, Anchor):
            counts[f"anchored:{result.resolution}"] += 1
            anchored.append(_anchored(comment, result))
        else:
            counts[f"unresolved:{result.reason}"] += 1
            unresolved_paths.add(comment.path)
    return {
        "repo": diff.repo,
        "pr_number": diff.pr_number,
        "iteration": diff.iteration,
        "files": [
            file.model_dump(mode="json")
            for file, label in zip(diff.files, labels, strict=True)
            if label.keep
        ],
        "languages": {label.path: label.language for label in labels if label.keep},
        "comments": anchored,
        "unresolved_paths": sorted(unresolved_paths),
    }


def anchor_kept_comments(
    filtered_comments: Partitions,
    pull_diffs: Partitions,
    codediff_params: CodediffParams,
) -> tuple[Rows, dict[str, Any]]:
    """Per PR with anchored comments: its kept files, languages and anchored comments;
    and the counts (missing PR diff, noise file, unresolved anchor, by reason)."""
    counts: Counter[str] = Counter()
    comments_by_pr = _kept_comments(filtered_comments, counts)
    diffs = latest_records(PullDiff, pull_diffs, lambda d: (d.repo, d.pr_number))
    prs: Rows = []
    for key in sorted(comments_by_pr):
        comments = comments_by_pr[key]
        if key not in diffs:
            counts["pr_diff_missing"] += len(comments)
            continue
        pr = _anchor_pr(comments, diffs[key], codediff_params, counts)
        if pr["comments"]:
            prs.append(pr)
    iterations = {partition_id.split("/", 1)[0] for partition_id in filtered_comments}
    anchor_counts = {
        "counts": dict(sorted(counts.items())),
        "iterations": sorted(iterations),
        "prs_with_comments": len(comments_by_pr),
    }
    logger.info(
        "Anchoring: %d kept comments in, %d anchored in %d PRs",
        counts["comments_in"],
        sum(len(pr["comments"]) for pr in prs),
        len(prs),
    )
    return prs, anchor_counts


def _comment_order(comment: dict[str, Any]) -> tuple[int, int, int]:
    return (comment["start_line"] or comment["line"], comment["line"], comment["id"])


def _block(comment: dict[str, Any]) -> CommentBlock:
    return CommentBlock(
        path=comment["path"],
        side=comment["side"],
        line=comment["line"],
        body=comment["body"],
        start_line=comment["start_line"],
        start_side=comment["start_side"],
    )


def _row(
    pr: dict[str, Any],
    file: FilePatch,
    *,
    rendered: str,
    comments: Rows,
    hunk_index: int | None = None,
) -> dict[str, Any]:
    public = ("id", "side", "line", "start_line", "start_side", "body", "category")
    record = {
        "iteration": pr["iteration"],
        "repo": pr["repo"],
        "pr_number": pr["pr_number"],
        "path": file.path,
        "previous_path": file.previous_path,
        "status": file.status,
        "language": pr["languages"][file.path],
        "hunk_index": hunk_index,
        "rendered_patch": rendered,
        "comments": [
            {**{k: c[k] for k in public}, "resolution": c["resolution"]}
            for c in comments
        ],
        "target": render_comments(_block(c) for c in comments),
        "negative": not comments,
    }
    return CodediffFile.model_validate(record).model_dump(mode="json")


def _render_hunk(file: FilePatch, hunk_index: int) -> str:
    """The file header and one hunk, labelled as in the whole file's rendering."""
    hunk = parse_patch(file.patch)[hunk_index]
    alone = "\n".join([hunk.header, *(line.raw for line in hunk.lines)])
    return render_patch(file.model_copy(update={"patch": alone}))


def _negatives(
    pr: dict[str, Any], files: list[FilePatch], codediff_params: CodediffParams
) -> list[Negative]:
    """Uncommented units of the PR, seeded by PR so the order of PRs does not matter.

    Files with an unresolved kept comment are not offered: a reviewer did comment.
    """
    unresolved = set(pr["unresolved_paths"])
    offered = [file for file in files if file.path not in unresolved]
    if codediff_params.negative_unit == "file":
        commented: set[Any] = {c["path"] for c in pr["comments"]}
    else:
        commented = {(c["path"], c["hunk_index"]) for c in pr["comments"]}
    rng = random.Random(f"{codediff_params.seed}:{pr['repo']}#{pr['pr_number']}")
    return pick_negatives(
        offered,
        sorted(commented),
        codediff_params.negative_ratio,
        rng,
        unit=codediff_params.negative_unit,
    )


def _pr_rows(pr: dict[str, Any], codediff_params: CodediffParams) -> Rows:
    files = validate_records(FilePatch, pr["files"])
    by_path = {file.path: file for file in files}
    comments: dict[str, Rows] = defaultdict(list)
    for comment in pr["comments"]:
        comments[comment["path"]].append(comment)
    rows = [
        _row(
            pr,
            by_path[path],
            rendered=render_patch(by_path[path]),
            comments=sorted(comments[path], key=_comment_order),
        )
        for path in sorted(comments)
    ]
    for negative in _negatives(pr, files, codediff_params):
        file = by_path[negative.path]
        rendered = (
            render_patch(file)
            if negative.hunk_index is None
            else _render_hunk(file, negative.hunk_index)
        )
        rows.append(
            _row(
                pr, file, rendered=rendered, comments=[], hunk_index=negative.hunk_index
            )
        )
    return rows


def _row_order(row: dict[str, Any]) -> tuple[str, int, bool, str, int]:
    hunk = -1 if row["hunk_index"] is None else row["hunk_index"]
    return (row["repo"], row["pr_number"], row["negative"], row["path"], hunk)


def build_codediff_files(
    codediff_anchors: Rows,
    anchor_counts: dict[str, Any],
    codediff_params: CodediffParams,
) -> tuple[dict[str, Rows], dict[str, Any]]:
    """Review examples per iteration (rendered patch, anchored comments and target,
    plus seeded negatives with the no-comments target) and the codediff report."""
    by_iteration: dict[str, Rows] = {key: [] for key in anchor_counts["iterations"]}
    for pr in codediff_anchors:
        by_iteration.setdefault(iteration_key(pr["iteration"]), []).extend(
            _pr_rows(pr, codediff_params)
        )
    files = {
        key: sorted(rows, key=_row_order) for key, rows in sorted(by_iteration.items())
    }
    report = _report(files, anchor_counts, codediff_params)
    logger.info(
        "codediff: %d kept comments in, %d in %d files, %d negatives",
        report["totals"]["comments_in"],
        report["totals"]["comments_out"],
        report["totals"]["positive_rows"],
        report["totals"]["negative_rows"],
    )
    return files, report


def _by_prefix(counts: dict[str, int], prefix: str) -> dict[str, int]:
    return {
        key.removeprefix(prefix): value
        for key, value in sorted(counts.items())
        if key.startswith(prefix)
    }


def _tally(rows: Iterable[dict[str, Any]]) -> dict[str, int]:
    rows = list(rows)
    return {
        "rows": len(rows),
        "positive_rows": sum(not row["negative"] for row in rows),
        "negative_rows": sum(row["negative"] for row in rows),
        "comments": sum(len(row["comments"]) for row in rows),
    }


def _report(
    files: dict[str, Rows],
    anchor_counts: dict[str, Any],
    codediff_params: CodediffParams,
) -> dict[str, Any]:
    counts = anchor_counts["counts"]
    rows = [row for iteration_rows in files.values() for row in iteration_rows]
    tally = _tally(rows)
    unresolved = _by_prefix(counts, "unresolved:")
    noise_comments = _by_prefix(counts, "noise:")
    not_out = {
        "duplicate_comment": counts.get("duplicate_comment", 0),
        "pr_diff_missing": counts.get("pr_diff_missing", 0),
        "outdated_excluded": counts.get("outdated_excluded", 0),
        "unresolved": sum(unresolved.values()),
        "on_noise_file": sum(noise_comments.values()),
    }
    languages = sorted({row["language"] for row in rows})
    return {
        "totals": {
            "comments_in": counts.get("comments_in", 0),
            "comments_out": tally["comments"],
            "comments_not_out": not_out,
            "prs_with_comments": anchor_counts["prs_with_comments"],
            "prs_out": len({(row["repo"], row["pr_number"]) for row in rows}),
            "rows": tally["rows"],
            "positive_rows": tally["positive_rows"],
            "negative_rows": tally["negative_rows"],
        },
        "anchored_by_resolution": _by_prefix(counts, "anchored:"),
        "unresolved_by_reason": unresolved,
        "comments_on_noise_files_by_reason": noise_comments,
        "files_by_noise_reason": _by_prefix(counts, "file:"),
        "negatives": {
            "rows": tally["negative_rows"],
            "unit": codediff_params.negative_unit,
            "ratio": codediff_params.negative_ratio,
            "seed": codediff_params.seed,
        },
        "by_language": {
            language: _tally(row for row in rows if row["language"] == language)
            for language in languages
        },
        "iterations": {key: _tally(value) for key, value in files.items()},
        "params": codediff_params.model_dump(mode="json"),
    }
