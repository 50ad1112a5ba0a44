"""fim nodes: the files at HEAD of each configured repository (and, if asked, the
files changed in its most recent commits) read through prreview.code.history, kept or
skipped by prreview.code.fim's rules (counted by reason), then cut into seeded FIM
examples that must reassemble to the text they came from."""

from __future__ import annotations

import logging
from collections import Counter
from functools import partial
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from prreview.code.fim import (
    fim_skip_reason,
    get_fim_format,
    make_fim_examples,
    reassemble,
    seed_for,
    spm_probability,
)
from prreview.code.history import (
    BlobReader,
    GitHistoryError,
    head_files,
    iter_commits,
)
from prreview.curate.redact import Redactor, redact_records
from prreview.curate.tokens import text_tokens
from prreview.diffs.noise import language_of
from prreview.partitions import Rows
from prreview.pipelines.commits.nodes import (
    RepositorySpec,
    Tokenizer,
    unique_repositories,
)
from prreview.schemas import FIMRecord

logger = logging.getLogger(__name__)


class FimParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    repositories: list[RepositorySpec] = Field(
        default_factory=lambda: [RepositorySpec(path=".", name="prreview")],
        min_length=1,
    )
    skip_missing: bool = False
    ref: str = "HEAD"
    recent_commits: int = Field(0, ge=0)  # also files changed in the last N commits
    max_files: int = Field(2_000, ge=1)  # per repository, in path order
    max_bytes: int = Field(200_000, ge=1)
    min_chars: int = Field(64, ge=1)
    max_line_chars: int = Field(1_000, ge=1)
    languages: list[str] | None = Field(
        default_factory=lambda: [
            "Python",
            "Rust",
            "Go",
            "Java",
            "JavaScript",
            "TypeScript",
        ]
    )
    examples_per_file: int = Field(2, ge=0)
    max_chars: int = Field(4_096, ge=1)
    max_tokens: int | None = Field(1_024, ge=8)  # None: the character cap only
    psm_rate: float = Field(0.5, ge=0, le=1)
    spm_rate: float = Field(0.5, ge=0, le=1)
    span_mode: Literal["char", "node"] = "node"
    fim_format: str = "starcoder"  # SmolLM2 uses StarCoder's FIM tokens
    append_eot: bool = True
    seed: int = 0

    @model_validator(mode="after")
    def _consistent(self) -> FimParams:
        spm_probability(self.psm_rate, self.spm_rate)  # the rates must sum to 1
        get_fim_format(self.fim_format)  # a known family
        return self


def _head_sha(path: str, ref: str) -> str | None:
    for commit in iter_commits(
        path, refs=[ref], max_commits=1, include_patches=False, with_refs=False
    ):
        return commit.sha
    return None


def _candidates(
    spec: RepositorySpec, params: FimParams, counts: Counter[str]
) -> tuple[str | None, list[tuple[str, str, int, str]]]:
    """(HEAD sha, [(path, blob, size, commit)]): HEAD's files, then those changed in
    recent commits that HEAD does not already hold in that version."""
    files = head_files(spec.path, params.ref, counts)
    if not files:
        return None, []
    head = _head_sha(spec.path, params.ref) or params.ref
    out = [(f.path, f.blob_sha, f.size, head) for f in sorted(files)]
    blobs = {f.blob_sha for f in files}
    if params.recent_commits:
        for commit in iter_commits(
            spec.path,
            refs=[params.ref],
            max_commits=params.recent_commits,
            include_patches=False,
            with_refs=False,
        ):
            for change in commit.files:
                if change.new_blob and change.new_blob not in blobs:
                    blobs.add(change.new_blob)
                    out.append((change.path, change.new_blob, -1, commit.sha))
                    counts["recent_versions"] += 1
    return head, out


def _repository_files(
    spec: RepositorySpec, params: FimParams, counts: Counter[str]
) -> tuple[Rows, dict[str, Any]]:
    head, candidates = _candidates(spec, params, counts)
    entry: dict[str, Any] = {"name": spec.display_name, "path": spec.path}
    entry |= {"head": head, "candidates": len(candidates)}
    rows: Rows = []
    if not candidates:
        counts["repositories_empty"] += 1
        return rows, {**entry, "status": "empty", "files": 0}
    fmt = get_fim_format(params.fim_format)
    with BlobReader(spec.path) as reader:
        for path, blob, size, commit in candidates:
            counts["files_in"] += 1
            if len(rows) >= params.max_files:
                counts["skipped:max_files"] += 1
                continue
            if size > params.max_bytes:  # known from ls-tree: no need to read it
                counts["skipped:too_large"] += 1
                continue
            data = reader.read(blob)
            if data is None:
                counts["skipped:blob_missing"] += 1
                continue
            reason = fim_skip_reason(
                path,
                data,
                max_bytes=params.max_bytes,
                min_chars=params.min_chars,
                max_line_chars=params.max_line_chars,
                languages=params.languages,
                fim_format=fmt,
            )
            if reason is not None:
                counts[f"skipped:{reason}"] += 1
                continue
            rows.append(
                {
                    "repo": spec.display_name,
                    "path": path,
                    "commit": commit,
                    "blob": blob,
                    "language": language_of(path),
                    "text": data.decode("utf-8"),
                }
            )
    return rows, {**entry, "status": "read", "files": len(rows)}


def collect_fim_files(fim_params: FimParams) -> tuple[Rows, dict[str, Any]]:
    """The text of every file kept for FIM, and the files skipped by reason."""
    counts: Counter[str] = Counter()
    rows: Rows = []
    repositories = []
    for spec in unique_repositories(fim_params.repositories):
        try:
            found, entry = _repository_files(spec, fim_params, counts)
        except GitHistoryError as error:
            if not fim_params.skip_missing:
                raise
            logger.warning("Skipping repository %s: %s", spec.path, error)
            counts["repositories_skipped"] += 1
            repositories.append(
                {"name": spec.display_name, "path": spec.path, "status": "skipped"}
                | {"reason": str(error)}
            )
            continue
        rows += found
        repositories.append(entry)
    # redacted before examples are cut from them, so spans fit the redacted text
    rows, redactions = redact_records(rows, Redactor())
    counts.update({f"redacted:{kind}": n for kind, n in redactions.items()})
    counts["files_kept"] = len(rows)
    logger.info(
        "FIM files: %d in, %d kept; skipped: %s",
        counts["files_in"],
        len(rows),
        {k: v for k, v in sorted(counts.items()) if k.startswith("skipped")} or "none",
    )
    return rows, {
        "repositories": repositories,
        "counts": dict(sorted(counts.items())),
    }


def build_fim_examples(
    fim_source_files: Rows,
    fim_file_summary: dict[str, Any],
    base_tokenizer: Tokenizer,
    fim_params: FimParams,
) -> tuple[Rows, dict[str, Any]]:
    """Seeded FIM examples per kept file (each checked to reassemble to its
    window), and the FIM report."""
    count = partial(text_tokens, base_tokenizer) if fim_params.max_tokens else None
    counts: Counter[str] = Counter()
    examples: Rows = []
    for row in fim_source_files:
        made = make_fim_examples(
            row["text"],
            row["path"],
            fim_format=fim_params.fim_format,
            seed=seed_for(str(fim_params.seed), row["repo"], row["path"], row["blob"]),
            examples_per_file=fim_params.examples_per_file,
            max_chars=fim_params.max_chars,
            count_tokens=count,
            max_tokens=fim_params.max_tokens,
            psm_rate=fim_params.psm_rate,
            spm_rate=fim_params.spm_rate,
            span_mode=fim_params.span_mode,
            commit=row["commit"],
            append_eot=fim_params.append_eot,
        )
        counts["files_in"] += 1
        counts["examples_short"] += fim_params.examples_per_file - len(made)
        for example in made:
            window = row["text"][example.window_start : example.window_end]
            if reassemble(example) != window:
                raise ValueError(
                    f"{row['repo']}:{row['path']}: a FIM example does not reassemble"
                )
            record = FIMRecord.model_validate(
                {
                    "repo": row["repo"],
                    "language": row["language"],
                    "tokens": count(example.text) if count else None,
                    **{
                        k: v
                        for k, v in example.as_dict().items()
                        if k in FIMRecord.model_fields
                    },
                }
            )
            counts[f"mode:{record.mode}"] += 1
            counts[f"span_mode:{record.span_mode}"] += 1
            counts[f"node_type:{record.node_type}"] += record.node_type is not None
            counts[f"fallback:{record.fallback}"] += record.fallback is not None
            counts[f"language:{record.language}"] += 1
            examples.append(record.model_dump(mode="json"))
    report = _report(examples, fim_file_summary, counts, fim_params)
    logger.info(
        "FIM: %d files in, %d examples out (%d PSM, %d SPM), %d short of the target",
        counts["files_in"],
        len(examples),
        counts["mode:psm"],
        counts["mode:spm"],
        counts["examples_short"],
    )
    return examples, report


def _by_prefix(counts: Counter[str], prefix: str) -> dict[str, int]:
    return {
        key.removeprefix(prefix): value
        for key, value in sorted(counts.items())
        if key.startswith(prefix) and value
    }


def _report(
    examples: Rows,
    fim_file_summary: dict[str, Any],
    counts: Counter[str],
    fim_params: FimParams,
) -> dict[str, Any]:
    tokens = [e["tokens"] for e in examples if e["tokens"] is not None]
    middles = [len(e["middle"]) for e in examples]
    file_counts = fim_file_summary["counts"]
    return {
        "repositories": fim_file_summary["repositories"],
        "files": {
            "in": file_counts.get("files_in", 0),
            "kept": file_counts.get("files_kept", 0),
            "skipped_by_reason": {
                k.removeprefix("skipped:"): v
                for k, v in file_counts.items()
                if k.startswith("skipped:")
            },
            "other_counts": {
                k: v
                for k, v in file_counts.items()
                if not k.startswith("skipped:") and k not in ("files_in", "files_kept")
            },
        },
        "examples": {
            "out": len(examples),
            "short_of_target": counts["examples_short"],
            "by_mode": _by_prefix(counts, "mode:"),
            "by_span_mode": _by_prefix(counts, "span_mode:"),
            "by_node_type": _by_prefix(counts, "node_type:"),
            "fallbacks": _by_prefix(counts, "fallback:"),
            "by_language": _by_prefix(counts, "language:"),
            "tokens": {
                "max": max(tokens, default=0),
                "mean": round(sum(tokens) / len(tokens), 1) if tokens else None,
            },
            "middle_chars": {
                "max": max(middles, default=0),
                "mean": round(sum(middles) / len(middles), 1) if middles else None,
            },
        },
        "params": fim_params.model_dump(mode="json"),
    }
