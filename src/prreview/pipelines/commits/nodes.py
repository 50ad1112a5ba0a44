"""commits nodes: local git history read by prreview.code.history, definitions
compared by prreview.code.identifiers, then merged with the ingested PRs by SHA into
change records (request -> files by layer -> identifiers), chat SFT records, semantic
chunks and chronological token windows. Every drop is counted by reason."""

from __future__ import annotations

import logging
import random
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, model_validator

from prreview.code.history import (
    BlobReader,
    Commit,
    FileChange,
    GitHistoryError,
    read_history,
    repository_stats,
)
from prreview.code.identifiers import (
    UnsupportedLanguageError,
    diff_definitions,
    language_for_path,
)
from prreview.curate.redact import Redactor, redact_records
from prreview.diffs.noise import NoiseRules, path_noise_reason
from prreview.partitions import Partitions, Rows, latest_records, partition_rows
from prreview.schemas import LinkedIssue, PullRequest, SFTRecord

logger = logging.getLogger(__name__)

Intent = Literal["feature", "bug_fix", "refactor", "docs", "tests", "chore"]
Split = Literal["train", "validation", "test"]
SPLITS: tuple[Split, ...] = ("train", "validation", "test")
OTHER_LAYER = "other"

SYSTEM_PROMPT = (
    "You plan code changes. Given a change request for a repository, say what kind "
    "of change it is, list the files to modify grouped by architectural layer, and "
    "the identifiers (functions, classes, types) to add, remove or modify."
)


class Tokenizer(Protocol):
    """The part of a transformers tokenizer the nodes use."""

    eos_token_id: int | None

    def __call__(self, text: list[str], **kwargs: Any) -> Any: ...


# --------------------------------------------------------------------- parameters


class RepositorySpec(BaseModel):
    """One local repository; ``refs`` default to every local branch."""

    model_config = ConfigDict(extra="forbid")

    path: str = Field(min_length=1)
    refs: list[str] | None = None
    name: str | None = None

    @property
    def display_name(self) -> str:
        """The configured name, else the folder's name."""
        return self.name or Path(self.path).expanduser().resolve().name or "repository"

    @property
    def partition(self) -> str:
        """A file-safe partition id (``owner/name`` -> ``owner__name``)."""
        return re.sub(r"[^A-Za-z0-9._-]+", "__", self.display_name.replace("/", "__"))


class HistoryParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_commits: int | None = Field(1000, ge=1)  # per repository, newest first
    max_patch_bytes: int = Field(256 * 1024, ge=0)
    since: str | None = None
    with_refs: bool = True


class IdentifierParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_files_per_commit: int = Field(50, ge=0)
    max_file_bytes: int = Field(300_000, ge=1)
    include_merges: bool = False  # a merge's first-parent diff repeats its branch


class LayerRule(BaseModel):
    """Paths matching any pattern (a regex searched in the lower-cased path) belong
    to ``layer``; the first matching rule wins."""

    model_config = ConfigDict(extra="forbid")

    layer: str = Field(min_length=1)
    patterns: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _patterns_compile(self) -> LayerRule:
        for pattern in self.patterns:
            try:
                re.compile(pattern)
            except re.error as error:
                raise ValueError(
                    f"layer {self.layer}: bad pattern {pattern!r}: {error}"
                )
        return self


DEFAULT_LAYERS: list[dict[str, Any]] = [
    {
        "layer": "ci",
        "patterns": [
            r"^\.github/",
            r"^\.gitlab-ci",
            r"^\.circleci/",
            r"(^|/)jenkinsfile$",
            r"^\.pre-commit-config",
            r"^\.travis\.yml$",
            r"(^|/)azure-pipelines",
        ],
    },
    {
        "layer": "tests",
        "patterns": [
            r"(^|/)(tests?|__tests__|specs?|testing)/",
            r"(^|/)test_[^/]*$",
            r"_test\.[a-z]+$",
            r"\.(test|spec)\.[a-z]+$",
            r"(^|/)[^/]*tests?\.java$",
            r"(^|/)conftest\.py$",
        ],
    },
    {
        "layer": "docs",
        "patterns": [
            r"^docs?/",
            r"\.(md|rst|adoc|txt)$",
            r"(^|/)(readme|changelog|contributing|license|authors)[^/]*$",
        ],
    },
    {
        "layer": "config",
        "patterns": [
            r"^(conf|config|configs|settings|deploy|k8s|helm)/",
            r"\.(ya?ml|toml|ini|cfg|conf|env|properties)$",
            r"(^|/)(setup\.py|package\.json|cargo\.toml|go\.mod|go\.sum|pom\.xml)$",
            r"(^|/)(build\.gradle|dockerfile|makefile|tsconfig[^/]*\.json)$",
            r"(^|/)settings\.py$",
            r"^\.[^/]+$",
        ],
    },
    {
        "layer": "database",
        "patterns": [
            r"(^|/)(db|database|migrations?|repositor(y|ies)|quer(y|ies)|sql|dao)"
            r"(/|\.|_)",
            r"(^|/)(store|storage|persistence)(/|\.[a-z]+$)",
            r"\.sql$",
        ],
    },
    {
        "layer": "models",
        "patterns": [
            r"(^|/)(models?|schemas?|entit(y|ies)|dtos?|types)(/|\.[a-z]+$)",
            r"\.(proto|graphql|avsc)$",
        ],
    },
    {
        "layer": "api",
        "patterns": [
            r"(^|/)(api|apis|handlers?|routes?|routers?|controllers?|views?|endpoints?)"
            r"(/|\.[a-z]+$)",
            r"(^|/)(server|http|rest|grpc|cli|web)(/|\.[a-z]+$)",
        ],
    },
    {
        "layer": "domain",
        "patterns": [
            r"(^|/)(domain|services?|core|usecases?|use_cases|logic|business)"
            r"(/|\.[a-z]+$)",
        ],
    },
]


class IntentParams(BaseModel):
    """Where the intent comes from, in order: a conventional-commit prefix of the
    title, a PR label containing a key of ``labels``, the earliest whole-word
    ``keywords`` match in the title, the layers touched, else ``default``."""

    model_config = ConfigDict(extra="forbid")

    prefixes: dict[str, Intent] = Field(
        default_factory=lambda: {
            "feat": "feature",
            "feature": "feature",
            "fix": "bug_fix",
            "bugfix": "bug_fix",
            "hotfix": "bug_fix",
            "refactor": "refactor",
            "perf": "refactor",
            "style": "refactor",
            "docs": "docs",
            "doc": "docs",
            "test": "tests",
            "tests": "tests",
            "chore": "chore",
            "build": "chore",
            "ci": "chore",
            "deps": "chore",
            "revert": "chore",
            "release": "chore",
        }
    )
    labels: dict[str, Intent] = Field(
        default_factory=lambda: {
            "bug": "bug_fix",
            "fix": "bug_fix",
            "regression": "bug_fix",
            "feature": "feature",
            "enhancement": "feature",
            "refactor": "refactor",
            "cleanup": "refactor",
            "documentation": "docs",
            "docs": "docs",
            "test": "tests",
            "dependencies": "chore",
            "chore": "chore",
            "ci": "chore",
            "build": "chore",
        }
    )
    keywords: dict[Intent, list[str]] = Field(
        default_factory=lambda: {
            "bug_fix": ["fix", "fixes", "fixed", "bug", "crash", "regression", "typo"],
            "feature": ["add", "adds", "added", "implement", "introduce", "support"],
            "refactor": ["refactor", "rename", "move", "extract", "simplify", "clean"],
            "docs": ["docs", "doc", "document", "readme", "docstring"],
            "tests": ["test", "tests"],
            "chore": ["bump", "release", "upgrade", "pin", "ci", "lint", "format"],
        }
    )
    default: Intent = "feature"


class SFTParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    system_prompt: str | None = None  # None: SYSTEM_PROMPT
    max_request_chars: int = Field(4_000, ge=100)
    max_issue_chars: int = Field(2_000, ge=0)
    min_request_chars: int = Field(8, ge=1)
    max_files: int = Field(40, ge=1)  # changes touching more files are skipped
    max_identifiers: int = Field(60, ge=1)  # listed per section; the rest counted
    include_unmatched_commits: bool = True


class ChunkParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_tokens: int = Field(32, ge=1)
    max_tokens: int = Field(1024, ge=16)
    max_changed_lines: int = Field(2_000, ge=1)  # bigger file changes are skipped
    # Data and assets, not code: regexes searched in the lower-cased path.
    exclude_patterns: list[str] = Field(
        default_factory=lambda: [
            r"\.(json|jsonl|csv|tsv|svg|ipynb|lock|min\.js|map|snap)$",
            r"(^|/)data/",
        ]
    )

    @model_validator(mode="after")
    def _ordered(self) -> ChunkParams:
        if self.min_tokens > self.max_tokens:
            raise ValueError("chunks.min_tokens must not exceed chunks.max_tokens")
        return self


class WindowParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    context_tokens: int = Field(256, ge=1)
    target_tokens: int = Field(64, ge=1)
    overlap_tokens: int = Field(64, ge=0)
    splits: dict[Split, float] = Field(
        default_factory=lambda: {"train": 0.85, "validation": 0.10, "test": 0.05}
    )
    split_at: Literal["chunk", "commit"] = "chunk"
    shuffle_train: bool = False  # within the train split only, never across time
    seed: int = 0

    @model_validator(mode="after")
    def _consistent(self) -> WindowParams:
        if self.overlap_tokens >= self.context_tokens + self.target_tokens:
            raise ValueError("windows.overlap_tokens must be below context + target")
        if set(self.splits) != set(SPLITS) or any(v < 0 for v in self.splits.values()):
            raise ValueError("windows.splits needs train, validation, test >= 0")
        if abs(sum(self.splits.values()) - 1.0) > 1e-6:
            raise ValueError("windows.splits must sum to 1")
        return self


class CommitsParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    repositories: list[RepositorySpec] = Field(
        default_factory=lambda: [RepositorySpec(path=".", name="prreview")],
        min_length=1,
    )
    skip_missing: bool = False
    history: HistoryParams = Field(default_factory=HistoryParams)
    identifiers: IdentifierParams = Field(default_factory=IdentifierParams)
    layers: list[LayerRule] = Field(
        default_factory=lambda: [LayerRule(**rule) for rule in DEFAULT_LAYERS]
    )
    intent: IntentParams = Field(default_factory=IntentParams)
    sft: SFTParams = Field(default_factory=SFTParams)
    chunks: ChunkParams = Field(default_factory=ChunkParams)
    windows: WindowParams = Field(default_factory=WindowParams)

    @cached_property
    def _compiled_layers(self) -> list[tuple[str, list[re.Pattern[str]]]]:
        return [
            (rule.layer, [re.compile(p) for p in rule.patterns]) for rule in self.layers
        ]

    def layer_of(self, path: str) -> str:
        """The first layer whose rule matches the lower-cased path, else ``other``."""
        lowered = path.lower()
        for layer, patterns in self._compiled_layers:
            if any(pattern.search(lowered) for pattern in patterns):
                return layer
        return OTHER_LAYER

    def layer_order(self) -> list[str]:
        """Layers in rule order, ``other`` last."""
        return list(dict.fromkeys([rule.layer for rule in self.layers] + [OTHER_LAYER]))


# ------------------------------------------------------------------------ history


def unique_repositories(
    repositories: Sequence[RepositorySpec],
) -> list[RepositorySpec]:
    seen: dict[str, str] = {}
    for spec in repositories:
        if spec.partition in seen:
            raise ValueError(
                f"repositories {seen[spec.partition]!r} and {spec.path!r} share the "
                f"name {spec.display_name!r}; give one of them a `name`"
            )
        seen[spec.partition] = spec.path
    return list(repositories)


def read_commit_history(
    commits_params: CommitsParams,
) -> tuple[dict[str, Rows], dict[str, Any]]:
    """Every commit of each configured repository (per repository), and a summary.
    Messages and patches are redacted here, before anything is written: a secret
    ever committed to a repository stays in its history."""
    history: dict[str, Rows] = {}
    redactor = Redactor()
    redactions: Counter[str] = Counter()
    repositories: list[dict[str, Any]] = []
    options = commits_params.history
    for spec in unique_repositories(commits_params.repositories):
        entry: dict[str, Any] = {
            "name": spec.display_name,
            "partition": spec.partition,
            "path": str(Path(spec.path).expanduser().resolve()),
            "refs": spec.refs,
        }
        try:
            result = read_history(
                spec.path,
                refs=spec.refs,
                max_commits=options.max_commits,
                max_patch_bytes=options.max_patch_bytes,
                since=options.since,
                with_refs=options.with_refs,
            )
        except GitHistoryError as error:
            if not commits_params.skip_missing:
                raise
            logger.warning("Skipping repository %s: %s", spec.path, error)
            repositories.append({**entry, "status": "skipped", "reason": str(error)})
            continue
        rows, found = redact_records(
            [
                {"repo": spec.display_name, **commit.as_dict()}
                for commit in result.commits
            ],
            redactor,
        )
        redactions.update(found)
        history[spec.partition] = rows
        repositories.append(
            {
                **entry,
                "status": "read" if rows else "empty",
                "commits": len(rows),
                "merge_commits": sum(commit.is_merge for commit in result.commits),
                "file_changes": sum(len(commit.files) for commit in result.commits),
                "is_shallow": result.is_shallow,
                "shallow_roots": list(result.shallow_roots),
                "counts": dict(sorted(result.counts.items())),
            }
        )
    summary = {
        "repositories": repositories,
        "read": sum(r["status"] == "read" for r in repositories),
        "empty": sum(r["status"] == "empty" for r in repositories),
        "skipped": sum(r["status"] == "skipped" for r in repositories),
        "commits": sum(len(rows) for rows in history.values()),
        "redactions": dict(sorted(redactions.items())),
    }
    logger.info(
        "History: %d repositories configured, %d read, %d empty, %d skipped; "
        "%d commits",
        len(repositories),
        summary["read"],
        summary["empty"],
        summary["skipped"],
        summary["commits"],
    )
    return history, summary


def _commit_of(row: dict[str, Any]) -> Commit:
    fields = {name: row[name] for name in Commit.__dataclass_fields__ if name in row}
    return Commit(
        **{
            **fields,
            "parents": tuple(row["parents"]),
            "branches": tuple(row["branches"]),
            "tags": tuple(row["tags"]),
            "files": tuple(FileChange(**change) for change in row["files"]),
        }
    )


def _history_rows(commit_history: Partitions) -> dict[str, Rows]:
    return {key: partition_rows(commit_history[key]) for key in sorted(commit_history)}


def summarize_repositories(
    commit_history: Partitions, history_summary: dict[str, Any]
) -> dict[str, Any]:
    """Per repository: ownership, change frequency, complexity and collaboration."""
    stats: dict[str, Any] = {}
    for key, rows in _history_rows(commit_history).items():
        result = repository_stats(_commit_of(row) for row in rows).as_dict()
        stats[key] = result
        logger.info(
            "Stats %s: %d commits, %d authors, %d files changed",
            key,
            result["commits"],
            result["authors"],
            len(result["change_frequency"]),
        )
    return {"read": history_summary["repositories"], "repositories": stats}


# -------------------------------------------------------------------- identifiers


def _definition(d: Any) -> dict[str, Any]:
    return {"name": d.name, "kind": d.kind, "visibility": d.visibility}


def _file_identifiers(
    blobs: BlobReader,
    change: dict[str, Any],
    language: str,
    max_bytes: int,
    counts: Counter[str],
) -> dict[str, Any] | None:
    before = (
        None
        if change["change_type"] == "added" or change["old_blob"] is None
        else blobs.read(change["old_blob"])
    )
    after = (
        None
        if change["change_type"] == "deleted" or change["new_blob"] is None
        else blobs.read(change["new_blob"])
    )
    if before is None and after is None:
        counts["skipped:blob_missing"] += 1
        return None
    if any(b"\0" in side for side in (before, after) if side is not None):
        counts["skipped:binary"] += 1
        return None
    result = diff_definitions(before, after, language, max_bytes=max_bytes)
    if result.skipped_reason is not None:
        counts[f"skipped:{result.skipped_reason}"] += 1
        return None
    counts["files_parsed"] += 1
    counts["files_with_parse_errors"] += result.has_errors
    if result.is_empty:
        counts["files_without_definition_changes"] += 1
        return None
    return {
        "path": change["path"],
        "previous_path": change["previous_path"],
        "change_type": change["change_type"],
        "language": result.language,
        "has_errors": result.has_errors,
        "added": [_definition(d) for d in result.added],
        "removed": [_definition(d) for d in result.removed],
        "modified": [
            {**_definition(c.after), "visibility_before": c.before.visibility}
            for c in result.modified
        ],
    }


def _commit_identifiers(
    blobs: BlobReader,
    row: dict[str, Any],
    params: IdentifierParams,
    counts: Counter[str],
) -> list[dict[str, Any]]:
    files = []
    parsed = 0
    for change in row["files"]:
        language = language_for_path(change["path"])
        if language is None:
            counts["skipped:unsupported_language"] += 1
            continue
        if change["binary"]:
            counts["skipped:binary"] += 1
            continue
        if parsed >= params.max_files_per_commit:
            counts["skipped:max_files_per_commit"] += 1
            continue
        parsed += 1
        try:
            found = _file_identifiers(
                blobs, change, language, params.max_file_bytes, counts
            )
        except UnsupportedLanguageError:  # pragma: no cover - language_for_path agrees
            counts["skipped:unsupported_language"] += 1
            continue
        if found is not None:
            files.append(found)
    return files


def extract_identifier_changes(
    commit_history: Partitions,
    history_summary: dict[str, Any],
    commits_params: CommitsParams,
) -> tuple[dict[str, Rows], dict[str, Any]]:
    """Definitions added, removed and modified per commit and file (tree-sitter),
    per repository, and the files skipped by reason."""
    paths = {
        r["partition"]: r["path"]
        for r in history_summary["repositories"]
        if r["status"] != "skipped"
    }
    counts: Counter[str] = Counter()
    out: dict[str, Rows] = {}
    for key, rows in _history_rows(commit_history).items():
        out[key] = []
        if not rows:
            continue
        with BlobReader(paths[key]) as blobs:
            for row in rows:
                counts["commits_in"] += 1
                if row["is_merge"] and not commits_params.identifiers.include_merges:
                    counts["skipped_commits:merge"] += 1
                    continue
                files = _commit_identifiers(
                    blobs, row, commits_params.identifiers, counts
                )
                if files:
                    counts["commits_with_identifiers"] += 1
                    out[key].append(
                        {"repo": row["repo"], "sha": row["sha"], "files": files}
                    )
    logger.info(
        "Identifiers: %d commits in, %d with definition changes; %d files parsed "
        "(%d with parse errors); skips: %s",
        counts["commits_in"],
        counts["commits_with_identifiers"],
        counts["files_parsed"],
        counts["files_with_parse_errors"],
        {k: v for k, v in sorted(counts.items()) if k.startswith("skipped")} or "none",
    )
    return out, {"counts": dict(sorted(counts.items()))}


# -------------------------------------------------------- merge with pull requests


_CONVENTIONAL = re.compile(r"^\s*([A-Za-z]+)(\([^)]*\))?!?:\s")


def classify_intent(
    title: str,
    labels: Iterable[str],
    layers: Iterable[str],
    params: IntentParams,
) -> tuple[Intent, str]:
    """The change's intent and where it came from (prefix, label, keyword, paths,
    default)."""
    match = _CONVENTIONAL.match(title)
    if match and match.group(1).lower() in params.prefixes:
        return params.prefixes[match.group(1).lower()], "prefix"
    for label in labels:
        lowered = label.lower()
        for key, intent in params.labels.items():
            if re.search(rf"\b{re.escape(key)}", lowered):
                return intent, "label"
    words = [w.lower() for w in re.findall(r"[A-Za-z]+", title)]
    for word in words:
        for intent, keywords in params.keywords.items():
            if word in keywords:
                return intent, "keyword"
    touched = set(layers)
    for layer, intent in (("docs", "docs"), ("tests", "tests")):
        if touched == {layer}:
            return intent, "paths"  # type: ignore[return-value]
    if touched and touched <= {"config", "ci"}:
        return "chore", "paths"
    return params.default, "default"


def _net_identifiers(
    commits: Sequence[dict[str, Any]],
) -> dict[str, list[dict[str, Any]]]:
    """Identifier changes over consecutive commits, netted: added then modified is
    added, added then removed is nothing, removed then added is modified."""
    state: dict[tuple[str, str, str], tuple[str, dict[str, Any]]] = {}
    for entry in commits:
        for file in entry["files"]:
            for op in ("added", "removed", "modified"):
                for d in file[op]:
                    key = (file["path"], d["name"], d["kind"])
                    item = {"path": file["path"], **d}
                    previous = state.get(key, (None, None))[0]
                    if previous == "added" and op == "removed":
                        state.pop(key)
                    elif previous == "added":
                        state[key] = ("added", item)
                    elif previous == "removed" and op == "added":
                        state[key] = ("modified", item)
                    else:
                        state[key] = (op, item)
    result: dict[str, list[dict[str, Any]]] = {
        "added": [],
        "removed": [],
        "modified": [],
    }
    for key in sorted(state):
        op, item = state[key]
        result[op].append(item)
    return result


def _files_of(
    commits: Sequence[dict[str, Any]], params: CommitsParams
) -> list[dict[str, Any]]:
    by_path: dict[str, dict[str, Any]] = {}
    for commit in commits:  # oldest first: later changes win
        for change in commit["files"]:
            path = change["path"]
            entry = by_path.get(path) or {
                "path": path,
                "previous_path": change["previous_path"],
                "layer": params.layer_of(path),
                "additions": 0,
                "deletions": 0,
            }
            entry["change_type"] = change["change_type"]
            entry["additions"] += change["additions"]
            entry["deletions"] += change["deletions"]
            by_path[path] = entry
    return [by_path[path] for path in sorted(by_path)]


def _trim(text: str, limit: int) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit].rstrip() + "\n[...]"


def _change_record(
    repo: str,
    commits: list[dict[str, Any]],
    identifiers: dict[str, dict[str, Any]],
    params: CommitsParams,
    pr: PullRequest | None = None,
    issues: Sequence[LinkedIssue] = (),
    matched_by: Sequence[str] = (),
) -> dict[str, Any]:
    commits = sorted(commits, key=lambda c: (c["committed_at"], c["sha"]))
    plain = [c for c in commits if not c["is_merge"]] or commits
    files = _files_of(plain, params)
    with_ids = [identifiers[c["sha"]] for c in plain if c["sha"] in identifiers]
    if pr is not None:
        title, body, labels = pr.title, pr.body or "", list(pr.labels)
    else:
        title = commits[-1]["subject"]
        body = commits[-1]["message"].removeprefix(title).strip()
        labels = []
    layers: dict[str, list[str]] = {}
    for layer in params.layer_order():
        paths = [f["path"] for f in files if f["layer"] == layer]
        if paths:
            layers[layer] = paths
    intent, source = classify_intent(title, labels, layers, params.intent)
    return {
        "kind": "pull_request" if pr is not None else "commit",
        "repo": repo,
        "shas": [c["sha"] for c in commits],
        "committed_at": commits[-1]["committed_at"],
        "is_merge": all(c["is_merge"] for c in commits),
        "request": {
            "title": title,
            "body": body,
            "issues": [
                {"number": i.number, "title": i.title, "body": i.body} for i in issues
            ],
        },
        "pull_request": None
        if pr is None
        else {
            "repo": pr.repo,
            "number": pr.number,
            "labels": labels,
            "matched_by": sorted(set(matched_by)),
        },
        "intent": intent,
        "intent_source": source,
        "files": files,
        "layers": layers,
        "identifiers": _net_identifiers(with_ids),
        "has_identifier_data": bool(with_ids),
    }


def _pr_index(pull_requests: dict[Any, PullRequest]) -> dict[str, list[tuple]]:
    index: dict[str, list[tuple]] = defaultdict(list)
    for key in sorted(pull_requests):
        pr = pull_requests[key]
        shas = [
            (pr.merge_commit_sha, "merge_commit_sha"),
            (pr.head_sha, "head_sha"),
            *((sha, "commit_shas") for sha in pr.commit_shas),
        ]
        for sha, how in shas:
            if sha:
                index[sha].append((key, how))
    return index


def merge_pull_requests(
    commit_history: Partitions,
    commit_identifiers: Partitions,
    all_pull_requests: Partitions,
    linked_issues: Partitions,
    commits_params: CommitsParams,
) -> tuple[Rows, dict[str, Any]]:
    """Change records: one per ingested PR matched by SHA (its commits together,
    with its title, body and linked issues) and one per other commit; and the
    match statistics."""
    pull_requests = latest_records(
        PullRequest, all_pull_requests, lambda p: (p.repo, p.number)
    )
    issues_by_pr: dict[tuple[str, int], list[LinkedIssue]] = defaultdict(list)
    for issue in latest_records(
        LinkedIssue, linked_issues, lambda i: (i.repo, i.pr_number, i.number)
    ).values():
        issues_by_pr[(issue.repo, issue.pr_number)].append(issue)
    history = _history_rows(commit_history)
    identifiers = {
        row["sha"]: row
        for key in sorted(commit_identifiers)
        for row in partition_rows(commit_identifiers[key])
    }
    index = _pr_index(pull_requests)
    groups: dict[tuple[str, tuple[str, int]], list[tuple[dict, str]]] = defaultdict(
        list
    )
    matched_shas: set[str] = set()
    counts: Counter[str] = Counter()
    for rows in history.values():
        for row in rows:
            counts["commits_in"] += 1
            hits = list(index.get(row["sha"], ()))
            if row["pr_number"] is not None:
                key = (row["repo"], row["pr_number"])
                if key in pull_requests:
                    hits.append((key, "pr_number"))
            for key, how in hits:
                groups[(row["repo"], key)].append((row, how))
                counts[f"matched_by:{how}"] += 1
                matched_shas.add(row["sha"])
    records: Rows = []
    matched_prs = set()
    for (repo, key), hits in sorted(groups.items()):
        commits = list({row["sha"]: row for row, _ in hits}.values())
        record = _change_record(
            repo,
            commits,
            identifiers,
            commits_params,
            pull_requests[key],
            sorted(issues_by_pr.get(key, []), key=lambda i: i.number),
            [how for _, how in hits],
        )
        matched_prs.add(key)
        counts["prs_with_identifier_data"] += record["has_identifier_data"]
        counts["prs_with_linked_issue"] += bool(record["request"]["issues"])
        records.append(record)
    for rows in history.values():
        for row in rows:
            if row["sha"] not in matched_shas:
                records.append(
                    _change_record(row["repo"], [row], identifiers, commits_params)
                )
    records.sort(key=lambda r: (r["committed_at"], r["repo"], r["shas"][-1]))
    summary = {
        "pull_requests_in": len(pull_requests),
        "pull_requests_matched": len(matched_prs),
        "pull_requests_with_identifier_data": counts["prs_with_identifier_data"],
        "pull_requests_with_linked_issue": counts["prs_with_linked_issue"],
        "linked_issues_in": sum(len(v) for v in issues_by_pr.values()),
        "commits_in": counts["commits_in"],
        "commits_matched": len(matched_shas),
        "matched_by": {
            k.removeprefix("matched_by:"): v
            for k, v in sorted(counts.items())
            if k.startswith("matched_by:")
        },
        "change_records": len(records),
    }
    logger.info(
        "Merge: %d PRs in, %d matched by SHA (%d with identifier data); "
        "%d commits in, %d in matched PRs; %d change records",
        summary["pull_requests_in"],
        summary["pull_requests_matched"],
        summary["pull_requests_with_identifier_data"],
        summary["commits_in"],
        summary["commits_matched"],
        len(records),
    )
    return records, summary


# ------------------------------------------------------------------- SFT records

_INTENT_TEXT = {
    "feature": "feature",
    "bug_fix": "bug fix",
    "refactor": "refactor",
    "docs": "docs",
    "tests": "tests",
    "chore": "chore",
}


def _user_turn(record: dict[str, Any], sft: SFTParams) -> str:
    request = record["request"]
    parts = [f"Repository: {record['repo']}", "", "Change request:", request["title"]]
    if request["body"].strip():
        parts += ["", _trim(request["body"], sft.max_request_chars)]
    for issue in request["issues"]:
        parts += ["", f"Problem statement (issue #{issue['number']}): {issue['title']}"]
        if issue["body"].strip() and sft.max_issue_chars:
            parts.append(_trim(issue["body"], sft.max_issue_chars))
    return "\n".join(parts)


def _listed(items: list[str], limit: int) -> list[str]:
    lines = [f"  - {item}" for item in items[:limit]]
    if len(items) > limit:
        lines.append(f"  - ... and {len(items) - limit} more")
    return lines


def _assistant_turn(record: dict[str, Any], sft: SFTParams) -> str:
    lines = [f"Intent: {_INTENT_TEXT[record['intent']]}", "", "Files to modify:"]
    by_path = {f["path"]: f for f in record["files"]}
    for layer, paths in record["layers"].items():
        lines.append(f"{layer}:")
        lines += _listed(
            [f"{p} ({by_path[p]['change_type']})" for p in paths], sft.max_files
        )
    lines += ["", "Identifiers:"]
    identifiers = record["identifiers"]
    if not any(identifiers.values()):
        lines.append("  none in a supported language")
    for op, label in (("added", "add"), ("modified", "modify"), ("removed", "remove")):
        if identifiers[op]:
            lines.append(f"{label}:")
            lines += _listed(
                [f"{d['path']}: {d['kind']} {d['name']}" for d in identifiers[op]],
                sft.max_identifiers,
            )
    return "\n".join(lines)


def _skip_reason(record: dict[str, Any], sft: SFTParams) -> str | None:
    if record["kind"] == "commit" and not sft.include_unmatched_commits:
        return "unmatched_commit"
    if record["kind"] == "commit" and record["is_merge"]:
        return "merge_commit"
    if not record["files"]:
        return "no_files"
    if len(record["request"]["title"].strip()) < sft.min_request_chars:
        return "request_too_short"
    if len(record["files"]) > sft.max_files:
        return "too_many_files"
    return None


def build_commit_sft(
    commit_changes: Rows, commits_params: CommitsParams
) -> tuple[Rows, dict[str, Any]]:
    """Chat SFT records: change request -> intent, files by layer, identifiers."""
    sft = commits_params.sft
    system = sft.system_prompt or SYSTEM_PROMPT
    counts: Counter[str] = Counter()
    records: Rows = []
    for record in commit_changes:
        counts["changes_in"] += 1
        reason = _skip_reason(record, sft)
        if reason is not None:
            counts[f"skipped:{reason}"] += 1
            continue
        pr = record["pull_request"]
        identifiers = record["identifiers"]
        sft_record = SFTRecord.model_validate(
            {
                "messages": [
                    {"role": "system", "content": system},
                    {"role": "user", "content": _user_turn(record, sft)},
                    {"role": "assistant", "content": _assistant_turn(record, sft)},
                ],
                "metadata": {
                    "source": "commits",
                    "kind": record["kind"],
                    "repo": record["repo"],
                    "shas": record["shas"],
                    "committed_at": record["committed_at"],
                    "pr": None if pr is None else pr["number"],
                    "pr_repo": None if pr is None else pr["repo"],
                    "intent": record["intent"],
                    "intent_source": record["intent_source"],
                    "layers": list(record["layers"]),
                    "files": len(record["files"]),
                    "identifiers": sum(len(v) for v in identifiers.values()),
                },
            }
        )
        counts[f"intent:{record['intent']}"] += 1
        counts[f"kind:{record['kind']}"] += 1
        counts["with_identifiers"] += bool(any(identifiers.values()))
        records.append(sft_record.model_dump(mode="json"))
    logger.info(
        "Commit SFT: %d change records in, %d records out; skipped: %s",
        counts["changes_in"],
        len(records),
        {k: v for k, v in sorted(counts.items()) if k.startswith("skipped")} or "none",
    )
    return records, {"records": len(records), "counts": dict(sorted(counts.items()))}


# ------------------------------------------------------------------------ chunks

_HUNK_START = re.compile(r"^@@ -", re.MULTILINE)


def _encode(tokenizer: Tokenizer, texts: list[str]) -> list[list[int]]:
    if not texts:
        return []
    return list(tokenizer(texts, add_special_tokens=False, verbose=False)["input_ids"])


def _hunks(patch: str) -> list[str]:
    starts = [m.start() for m in _HUNK_START.finditer(patch)] or [0]
    ends = starts[1:] + [len(patch)]
    return [patch[a:b].rstrip("\n") + "\n" for a, b in zip(starts, ends, strict=True)]


def _trivial(patch: str) -> bool:
    changed = [
        line[1:].strip()
        for line in patch.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    return not any(changed)


def _pack(
    pieces: list[str],
    sizes: list[int],
    budget: int,
    tokenizer: Tokenizer,
    counts: Counter[str],
) -> list[str]:
    """Greedy runs of whole pieces (hunks) within the token budget; a hunk over it
    is packed the same way by lines, and a single line over it is dropped."""
    parts: list[str] = []
    current: list[str] = []
    used = 0
    for piece, size in zip(pieces, sizes, strict=True):
        if size > budget:
            if current:
                parts.append("".join(current))
                current, used = [], 0
            lines = piece.splitlines(keepends=True)
            if len(lines) == 1:
                counts["lines_over_max_tokens"] += 1
                continue
            counts["hunks_split_at_lines"] += 1
            line_sizes = [len(ids) for ids in _encode(tokenizer, lines)]
            parts.extend(_pack(lines, line_sizes, budget, tokenizer, counts))
            continue
        if used + size > budget and current:
            parts.append("".join(current))
            current, used = [], 0
        current.append(piece)
        used += size
    if current:
        parts.append("".join(current))
    return parts


def _chunk_header(row: dict[str, Any], change: dict[str, Any]) -> str:
    old = "/dev/null" if change["change_type"] == "added" else change["previous_path"]
    new = "/dev/null" if change["change_type"] == "deleted" else change["path"]
    return (
        f"commit {row['sha'][:12]} {row['committed_at']}\n{row['subject']}\n\n"
        f"--- {old or change['path']}\n+++ {new}\n"
    )


def _chunk_skip_reason(
    change: dict[str, Any],
    rules: NoiseRules,
    excluded: list[re.Pattern[str]],
    params: ChunkParams,
) -> str | None:
    """Why a file change gives no chunk; None keeps it."""
    patch = change["patch"]
    if not patch:
        return "binary" if change["binary"] else "no_text_change"
    noise = path_noise_reason(change["path"], rules)
    if noise is not None:
        return str(noise)
    if any(pattern.search(change["path"].lower()) for pattern in excluded):
        return "excluded_path"
    if change["additions"] + change["deletions"] > params.max_changed_lines:
        return "too_many_changed_lines"
    if _trivial(patch):
        return "whitespace_only"
    return None


def build_commit_chunks(
    commit_history: Partitions, base_tokenizer: Tokenizer, commits_params: CommitsParams
) -> tuple[Rows, dict[str, Any]]:
    """One chunk per file change (commit header + diff), split at hunk boundaries
    to fit ``max_tokens``, trivial and too-small ones dropped; oldest first."""
    params = commits_params.chunks
    rules = NoiseRules()
    excluded = [re.compile(pattern) for pattern in params.exclude_patterns]
    counts: Counter[str] = Counter()
    candidates: list[tuple[dict, dict, str]] = []
    for rows in _history_rows(commit_history).values():
        for row in rows:
            if row["is_merge"]:
                counts["skipped_commits:merge"] += 1
                continue
            for change in row["files"]:
                counts["file_changes_in"] += 1
                patch = change["patch"]
                reason = _chunk_skip_reason(change, rules, excluded, params)
                if reason is not None:
                    counts[f"skipped:{reason}"] += 1
                    continue
                candidates.append((row, change, patch))
    chunks: Rows = []
    for row, change, patch in candidates:
        header = _chunk_header(row, change)
        hunks = _hunks(patch)
        header_size, *sizes = map(len, _encode(base_tokenizer, [header, *hunks]))
        budget = max(params.max_tokens - header_size - 2, 8)
        parts = _pack(hunks, sizes, budget, base_tokenizer, counts)
        texts = [header + part for part in parts]
        for index, (text, ids) in enumerate(
            zip(texts, _encode(base_tokenizer, texts), strict=True)
        ):
            if len(ids) < params.min_tokens:
                counts["skipped:too_few_tokens"] += 1
                continue
            if len(ids) > params.max_tokens:
                counts["over_max_tokens"] += 1
            chunks.append(
                {
                    "id": f"{row['sha'][:12]}:{change['path']}:{index}",
                    "repo": row["repo"],
                    "sha": row["sha"],
                    "committed_at": row["committed_at"],
                    "subject": row["subject"],
                    "path": change["path"],
                    "previous_path": change["previous_path"],
                    "change_type": change["change_type"],
                    "part": index,
                    "parts": len(texts),
                    "tokens": len(ids),
                    "text": text,
                }
            )
    chunks.sort(key=lambda c: (c["committed_at"], c["repo"], c["sha"], c["path"]))
    counts["chunks_out"] = len(chunks)
    counts["split_file_changes"] = sum(c["part"] == 1 for c in chunks)
    tokens = [c["tokens"] for c in chunks]
    summary = {
        "counts": dict(sorted(counts.items())),
        "tokens": {
            "total": sum(tokens),
            "min": min(tokens, default=0),
            "max": max(tokens, default=0),
            "mean": round(sum(tokens) / len(tokens), 1) if tokens else 0,
        },
    }
    logger.info(
        "Chunks: %d file changes in, %d chunks out (%d tokens); skipped: %s",
        counts["file_changes_in"],
        len(chunks),
        sum(tokens),
        {k: v for k, v in sorted(counts.items()) if k.startswith("skipped")} or "none",
    )
    return chunks, summary


# ----------------------------------------------------------------------- windows


def _split_chunks(
    chunks: Rows, splits: dict[Split, float], split_at: Literal["chunk", "commit"]
) -> dict[Split, Rows]:
    """Consecutive periods in time order, by token position. ``commit`` keeps each
    commit's chunks in one split (a big last commit can leave a split empty);
    ``chunk`` lets a commit straddle two splits."""
    total = sum(c["tokens"] for c in chunks) or 1
    train_end = splits["train"] * total
    validation_end = train_end + splits["validation"] * total
    out: dict[Split, Rows] = {split: [] for split in SPLITS}
    position = 0
    commit: tuple[str, str] | None = None
    split: Split = "train"
    for chunk in chunks:
        if split_at == "chunk" or (chunk["repo"], chunk["sha"]) != commit:
            commit = (chunk["repo"], chunk["sha"])
            if position >= validation_end:
                split = "test"
            elif position >= train_end:
                split = "validation"
        out[split].append(chunk)
        position += chunk["tokens"]
    return out


def _windows(
    split: Split,
    chunks: Rows,
    tokenizer: Tokenizer,
    params: WindowParams,
    counts: Counter[str],
) -> Rows:
    stream: list[int] = []
    owner: list[int] = []
    separator = [] if tokenizer.eos_token_id is None else [tokenizer.eos_token_id]
    for index, ids in enumerate(_encode(tokenizer, [c["text"] for c in chunks])):
        piece = ids + separator
        stream += piece
        owner += [index] * len(piece)
    length = params.context_tokens + params.target_tokens
    if len(stream) < length:
        counts[f"{split}:too_short"] += bool(stream)
        return []
    stride = length - params.overlap_tokens
    starts = list(range(0, len(stream) - length + 1, stride))
    if starts[-1] + length < len(stream):
        starts.append(len(stream) - length)  # the tail, with a larger overlap
    rows = []
    for number, start in enumerate(starts):
        first, last = chunks[owner[start]], chunks[owner[start + length - 1]]
        rows.append(
            {
                "split": split,
                "index": number,
                "context_ids": stream[start : start + params.context_tokens],
                "target_ids": stream[start + params.context_tokens : start + length],
                "start_time": first["committed_at"],
                "end_time": last["committed_at"],
                "first_chunk": first["id"],
                "last_chunk": last["id"],
                "repos": sorted(
                    {chunks[i]["repo"] for i in set(owner[start : start + length])}
                ),
            }
        )
    counts[f"{split}:tokens"] = len(stream)
    return rows


def build_chronological_windows(
    commit_chunks: Rows, base_tokenizer: Tokenizer, commits_params: CommitsParams
) -> tuple[dict[str, Rows], dict[str, Any]]:
    """Context and target token windows over the chunks in commit-time order, split
    train/validation/test as consecutive periods (no window crosses a split)."""
    params = commits_params.windows
    chunks = sorted(
        commit_chunks, key=lambda c: (c["committed_at"], c["repo"], c["sha"], c["id"])
    )
    counts: Counter[str] = Counter()
    out: dict[str, Rows] = {}
    periods: dict[str, Any] = {}
    for split, rows in _split_chunks(chunks, params.splits, params.split_at).items():
        windows = _windows(split, rows, base_tokenizer, params, counts)
        if split == "train" and params.shuffle_train:
            random.Random(params.seed).shuffle(windows)
        out[split] = windows
        periods[split] = {
            "chunks": len(rows),
            "windows": len(windows),
            "tokens": counts.get(f"{split}:tokens", 0),
            "from": rows[0]["committed_at"] if rows else None,
            "to": rows[-1]["committed_at"] if rows else None,
        }
        if not windows:
            logger.warning("Windows: the %s split is empty (too little history)", split)
    summary = {
        "context_tokens": params.context_tokens,
        "target_tokens": params.target_tokens,
        "overlap_tokens": params.overlap_tokens,
        "splits": periods,
        "counts": dict(sorted(counts.items())),
    }
    logger.info(
        "Windows: %d chunks in; %s windows out (train/validation/test)",
        len(chunks),
        "/".join(str(periods[s]["windows"]) for s in SPLITS),
    )
    return out, summary


# ------------------------------------------------------------------------ report


def build_commits_report(  # noqa: PLR0913 - one summary per upstream node
    history_summary: dict[str, Any],
    identifier_summary: dict[str, Any],
    merge_summary: dict[str, Any],
    sft_summary: dict[str, Any],
    chunk_summary: dict[str, Any],
    window_summary: dict[str, Any],
    commits_params: CommitsParams,
) -> dict[str, Any]:
    """The commits report: what was read, parsed, matched, written and skipped."""
    return {
        "history": history_summary,
        "identifiers": identifier_summary,
        "pull_requests": merge_summary,
        "sft": sft_summary,
        "chunks": chunk_summary,
        "windows": window_summary,
        "params": commits_params.model_dump(mode="json"),
    }
