"""Load a GitHub snapshot folder (see docs/github_snapshot_format.md) into memory.

The local GitHub-compatible server answers every request from these indexes, so loading
validates the folder once, up front, and fails with a :class:`SnapshotError` that names
the file and the problem instead of serving half a snapshot.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

SUPPORTED_FORMAT = 1
UNAVAILABLE_STATUSES = frozenset({403, 404, 410, 451})

JSON = dict[str, Any]

# GitHub's closing keywords ("Fixes #12", "closes: #3", "Resolves owner/repo#4").
_CLOSING_RE = re.compile(
    r"\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\b:?\s+"
    r"(?:(?P<repo>[\w.-]+/[\w.-]+))?#(?P<number>\d+)\b",
    re.IGNORECASE,
)


class SnapshotError(Exception):
    """A snapshot folder is missing, unreadable or inconsistent."""


@dataclass(frozen=True)
class ReviewThread:
    """A review thread: GitHub's REST API has none, so it is a root comment plus the
    replies whose ``in_reply_to_id`` chain leads to it (what GraphQL calls a thread)."""

    root: JSON
    replies: tuple[JSON, ...]

    @property
    def comments(self) -> tuple[JSON, ...]:
        return (self.root, *self.replies)

    @property
    def is_outdated(self) -> bool:
        return self.root.get("line") is None

    @property
    def root_id(self) -> int:
        return int(self.root["id"])


@dataclass(frozen=True)
class PullRecord:
    """One pull request with everything the REST API spreads over several endpoints."""

    pull: JSON
    files: tuple[JSON, ...]
    commits: tuple[JSON, ...]
    review_comments: tuple[JSON, ...]
    issue_comments: tuple[JSON, ...]
    diff: str
    threads: tuple[ReviewThread, ...]
    closing_issue_numbers: tuple[int, ...]
    diff_line_count: int

    @property
    def number(self) -> int:
        return int(self.pull["number"])

    @property
    def merged(self) -> bool:
        return bool(self.pull.get("merged")) or self.pull.get("merged_at") is not None

    @property
    def graphql_state(self) -> str:
        """OPEN, CLOSED or MERGED, as GraphQL's PullRequestState names it."""
        if self.merged:
            return "MERGED"
        return "OPEN" if self.pull.get("state") == "open" else "CLOSED"


@dataclass(frozen=True)
class RepoRecord:
    """A repository and its pull requests and issues, indexed by number."""

    repository: JSON
    pulls: Mapping[int, PullRecord]
    issues: Mapping[int, JSON]
    source: Path

    @property
    def full_name(self) -> str:
        return str(self.repository["full_name"])

    @property
    def owner(self) -> str:
        return self.full_name.split("/", 1)[0]

    @property
    def name(self) -> str:
        return self.full_name.split("/", 1)[1]


class LookupKind(Enum):
    """What a repository name resolves to."""

    FOUND = "found"
    RENAMED = "renamed"
    UNAVAILABLE = "unavailable"
    MISSING = "missing"


@dataclass(frozen=True)
class RepoLookup:
    """The result of resolving ``owner/name``: the repo, its new name, or a status."""

    kind: LookupKind
    repo: RepoRecord | None = None
    new_full_name: str | None = None
    status: int | None = None


@dataclass(frozen=True)
class Snapshot:
    """All repositories of a snapshot, keyed by lower-cased ``owner/name``."""

    root: Path
    snapshot_time: str | None
    repos: Mapping[str, RepoRecord]
    renamed: Mapping[str, str] = field(default_factory=dict)
    unavailable: Mapping[str, int] = field(default_factory=dict)

    def lookup(self, full_name: str) -> RepoLookup:
        """Resolve a name the way GitHub does: case-insensitively, following renames."""
        key = full_name.lower()
        if key in self.unavailable:
            return RepoLookup(LookupKind.UNAVAILABLE, status=self.unavailable[key])
        if key in self.repos:
            return RepoLookup(LookupKind.FOUND, repo=self.repos[key])
        if key in self.renamed:
            target = self.repos.get(self.renamed[key].lower())
            if target is not None:
                return RepoLookup(
                    LookupKind.RENAMED, repo=target, new_full_name=target.full_name
                )
        return RepoLookup(LookupKind.MISSING)

    def repo(self, full_name: str) -> RepoRecord | None:
        """The repository under its current name, or None."""
        return self.repos.get(full_name.lower())


def _read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise SnapshotError(f"{path}: file not found") from exc
    except OSError as exc:
        raise SnapshotError(f"{path}: cannot read ({exc})") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SnapshotError(f"{path}: invalid JSON ({exc})") from exc


def _require(cond: bool, path: Path, message: str) -> None:
    if not cond:
        raise SnapshotError(f"{path}: {message}")


def _sorted_by_time(items: Iterable[JSON]) -> tuple[JSON, ...]:
    return tuple(
        sorted(items, key=lambda c: (str(c.get("created_at") or ""), int(c["id"])))
    )


def build_threads(review_comments: Iterable[JSON]) -> tuple[ReviewThread, ...]:
    """Group review comments into threads, oldest root first.

    Replies point at their parent with ``in_reply_to_id``; GitHub points them at the
    root, but a chain is followed too. A reply whose root is missing starts its own
    thread so no comment is lost.
    """
    comments = _sorted_by_time(review_comments)
    by_id = {int(c["id"]): c for c in comments}

    def root_of(comment: JSON) -> int:
        seen: set[int] = set()
        current = comment
        while current.get("in_reply_to_id") is not None:
            parent_id = int(current["in_reply_to_id"])
            if parent_id not in by_id or parent_id in seen:
                break
            seen.add(parent_id)
            current = by_id[parent_id]
        return int(current["id"])

    roots: dict[int, list[JSON]] = {}
    for comment in comments:
        rid = root_of(comment)
        roots.setdefault(rid, [])
        if rid != int(comment["id"]):
            roots[rid].append(comment)
    return tuple(
        ReviewThread(root=by_id[rid], replies=tuple(replies))
        for rid, replies in roots.items()
    )


def closing_issue_numbers(
    body: str | None, full_name: str, issue_numbers: Iterable[int]
) -> tuple[int, ...]:
    """Issues of the same repository a PR body closes with GitHub's keywords."""
    known = set(issue_numbers)
    found: list[int] = []
    for match in _CLOSING_RE.finditer(body or ""):
        repo = match.group("repo")
        if repo is not None and repo.lower() != full_name.lower():
            continue
        number = int(match.group("number"))
        if number in known and number not in found:
            found.append(number)
    return tuple(found)


def _check_objects(items: Any, path: Path, what: str, keys: Iterable[str]) -> None:
    _require(isinstance(items, list), path, f"{what} must be a list")
    for i, item in enumerate(items):
        _require(isinstance(item, dict), path, f"{what}[{i}] must be an object")
        for key in keys:
            _require(key in item, path, f"{what}[{i}] lacks '{key}'")


def _load_pull(
    entry: Any, path: Path, index: int, full_name: str, issue_numbers: Iterable[int]
) -> PullRecord:
    where = f"pulls[{index}]"
    _require(isinstance(entry, dict), path, f"{where} must be an object")
    pull = entry.get("pull")
    _require(isinstance(pull, dict), path, f"{where}.pull must be an object")
    for key in ("number", "state", "title", "updated_at", "created_at"):
        _require(key in pull, path, f"{where}.pull lacks '{key}'")
    parts: dict[str, Any] = {}
    for part, keys in (
        ("files", ("filename", "status")),
        ("commits", ("sha",)),
        ("review_comments", ("id", "path", "body")),
        ("issue_comments", ("id", "body")),
    ):
        items = entry.get(part, [])
        _check_objects(items, path, f"{where}.{part}", keys)
        parts[part] = tuple(items)
    diff = entry.get("diff", "")
    _require(isinstance(diff, str), path, f"{where}.diff must be a string")
    review_comments = _sorted_by_time(parts["review_comments"])
    return PullRecord(
        pull=pull,
        files=parts["files"],
        commits=parts["commits"],
        review_comments=review_comments,
        issue_comments=_sorted_by_time(parts["issue_comments"]),
        diff=diff,
        threads=build_threads(review_comments),
        closing_issue_numbers=closing_issue_numbers(
            pull.get("body"), full_name, issue_numbers
        ),
        diff_line_count=len(diff.splitlines()),
    )


def _load_repo(root: Path, full_name: str) -> RepoRecord:
    owner, name = full_name.split("/", 1)
    path = root / "repos" / f"{owner}__{name}.json"
    data = _read_json(path)
    _require(isinstance(data, dict), path, "top level must be an object")
    repository = data.get("repository")
    _require(isinstance(repository, dict), path, "'repository' must be an object")
    for key in ("id", "full_name", "name", "owner"):
        _require(key in repository, path, f"repository lacks '{key}'")
    _require(
        str(repository["full_name"]).lower() == full_name.lower(),
        path,
        f"repository.full_name {repository['full_name']!r} is not {full_name!r}",
    )
    pulls_raw = data.get("pulls", [])
    _require(isinstance(pulls_raw, list), path, "'pulls' must be a list")
    issues_raw = data.get("issues", [])
    _check_objects(issues_raw, path, "issues", ("number", "title", "state"))

    issues: dict[int, JSON] = {}
    for issue in issues_raw:
        number = int(issue["number"])
        _require(number not in issues, path, f"issue #{number} appears twice")
        issues[number] = issue
    pulls: dict[int, PullRecord] = {}
    for i, entry in enumerate(pulls_raw):
        record = _load_pull(entry, path, i, full_name, issues.keys())
        number = record.number
        _require(number not in pulls, path, f"pull #{number} appears twice")
        _require(number not in issues, path, f"#{number} is both a pull and an issue")
        pulls[number] = record
    return RepoRecord(
        repository=repository,
        pulls=dict(sorted(pulls.items())),
        issues=dict(sorted(issues.items())),
        source=path,
    )


def _full_name_ok(value: Any) -> bool:
    return isinstance(value, str) and value.count("/") == 1 and all(value.split("/"))


def load_snapshot(path: str | Path) -> Snapshot:
    """Read and validate a snapshot folder; :class:`SnapshotError` on any problem."""
    root = Path(path)
    if not root.is_dir():
        raise SnapshotError(f"{root}: snapshot folder not found")
    index_path = root / "index.json"
    index = _read_json(index_path)
    _require(isinstance(index, dict), index_path, "top level must be an object")
    fmt = index.get("format", SUPPORTED_FORMAT)
    _require(
        fmt == SUPPORTED_FORMAT,
        index_path,
        f"unsupported format {fmt!r} (expected {SUPPORTED_FORMAT})",
    )
    names = index.get("repositories")
    _require(isinstance(names, list), index_path, "'repositories' must be a list")
    repos: dict[str, RepoRecord] = {}
    for full_name in names:
        _require(
            _full_name_ok(full_name), index_path, f"bad repository name {full_name!r}"
        )
        key = full_name.lower()
        _require(key not in repos, index_path, f"{full_name} is listed twice")
        repos[key] = _load_repo(root, full_name)

    renamed_raw = index.get("renamed", {}) or {}
    _require(isinstance(renamed_raw, dict), index_path, "'renamed' must be an object")
    renamed: dict[str, str] = {}
    for old, new in renamed_raw.items():
        _require(
            _full_name_ok(old) and _full_name_ok(new),
            index_path,
            f"bad rename {old!r} -> {new!r}",
        )
        _require(
            new.lower() in repos,
            index_path,
            f"rename target {new} is not in 'repositories'",
        )
        _require(
            old.lower() not in repos,
            index_path,
            f"renamed name {old} is also a current repository",
        )
        renamed[old.lower()] = repos[new.lower()].full_name

    unavailable_raw = index.get("unavailable", {}) or {}
    _require(
        isinstance(unavailable_raw, dict), index_path, "'unavailable' must be an object"
    )
    unavailable: dict[str, int] = {}
    for name, status in unavailable_raw.items():
        _require(_full_name_ok(name), index_path, f"bad repository name {name!r}")
        _require(
            isinstance(status, int) and status in UNAVAILABLE_STATUSES,
            index_path,
            f"unavailable status for {name} must be one of "
            f"{sorted(UNAVAILABLE_STATUSES)}, got {status!r}",
        )
        unavailable[name.lower()] = status

    snapshot_time = index.get("snapshot_time")
    logger.info(
        "Loaded snapshot %s: %d repositories, %d pull requests",
        root,
        len(repos),
        sum(len(r.pulls) for r in repos.values()),
    )
    return Snapshot(
        root=root,
        snapshot_time=str(snapshot_time) if snapshot_time is not None else None,
        repos=repos,
        renamed=renamed,
        unavailable=unavailable,
    )
