"""Fetch one repository's merged pull requests with as few API calls as GitHub allows.

GraphQL brings a page of pull requests together with their review threads, comments,
linked issues, commit SHAs and file lists; REST brings each diff (GraphQL has none). For
a page of 20 PRs that is 1 GraphQL call plus 20 diff calls: about 1.05 calls per PR.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

from prreview.github.client import GitHubClient
from prreview.github.errors import DiffTooLarge, PayloadError, RepositoryUnavailable
from prreview.github.queries import PULL_REQUESTS_PAGE, REVIEW_THREADS_PAGE
from prreview.schemas import RecordError

logger = logging.getLogger(__name__)

# The keys of a raw partition that RepositoryFetch.to_json always writes.
_RAW_KEYS = ("requested_name", "canonical_name", "pull_requests", "diffs", "files")


@dataclass(frozen=True)
class FetchOptions:
    max_prs_per_repo: int = 60
    merged_after: str | None = None
    merged_before: str | None = None
    page_size: int = 20
    thread_page_size: int = 50


@dataclass
class RepositoryFetch:
    """Everything fetched for one repository, as raw API payloads (the 01_raw layer)."""

    requested_name: str
    canonical_name: str
    pull_requests: list[dict[str, Any]] = field(default_factory=list)
    diffs: dict[int, str] = field(default_factory=dict)
    files: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    issue_comments: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    truncated: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "requested_name": self.requested_name,
            "canonical_name": self.canonical_name,
            "pull_requests": self.pull_requests,
            "diffs": {str(number): diff for number, diff in self.diffs.items()},
            "files": {str(number): files for number, files in self.files.items()},
            "issue_comments": {
                str(number): comments
                for number, comments in self.issue_comments.items()
            },
            "skipped": self.skipped,
            "truncated": self.truncated,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RepositoryFetch:
        """Read back a raw partition; :class:`RecordError` naming the repository
        when a key :meth:`to_json` always writes is missing."""
        missing = [key for key in _RAW_KEYS if key not in data]
        if missing:
            repo = data.get("canonical_name") or data.get("requested_name")
            raise RecordError(
                f"raw partition of {repo or 'an unnamed repository'} lacks "
                f"{', '.join(map(repr, missing))}"
            )
        return cls(
            requested_name=data["requested_name"],
            canonical_name=data["canonical_name"],
            pull_requests=data["pull_requests"],
            diffs={int(number): diff for number, diff in data["diffs"].items()},
            files={int(number): files for number, files in data["files"].items()},
            issue_comments={
                int(number): comments
                for number, comments in data.get("issue_comments", {}).items()
            },
            skipped=data.get("skipped", []),
            truncated=data.get("truncated", []),
        )


def split_full_name(full_name: str) -> tuple[str, str]:
    owner, sep, name = full_name.partition("/")
    if not sep or not owner or not name or "/" in name:
        raise ValueError(f"not an owner/name repository: {full_name!r}")
    return owner, name


def _in_window(pull: dict[str, Any], options: FetchOptions) -> bool:
    merged_at = pull.get("mergedAt")
    if merged_at is None:
        return False
    if options.merged_after and merged_at < options.merged_after:
        return False
    return not (options.merged_before and merged_at >= options.merged_before)


def _graphql_data(payload: dict[str, Any], full_name: str) -> dict[str, Any]:
    errors = payload.get("errors") or []
    data = payload.get("data") or {}
    repository = data.get("repository")
    if repository is None:
        if any(error.get("type") == "NOT_FOUND" for error in errors):
            raise RepositoryUnavailable(
                f"GraphQL: repository {full_name} not found",
                status=404,
                endpoint="/graphql",
                error_type="repository_unavailable",
            )
        messages = "; ".join(str(error.get("message")) for error in errors)
        raise PayloadError(
            f"GraphQL answer for {full_name} has no repository: "
            f"{messages or 'no data'}",
            endpoint="/graphql",
            error_type="malformed_payload",
        )
    if errors:
        logger.warning("GraphQL partial errors for %s: %s", full_name, errors[:3])
    return repository


async def _remaining_threads(
    client: GitHubClient,
    owner: str,
    name: str,
    pull: dict[str, Any],
    options: FetchOptions,
) -> None:
    """Fetch review threads beyond the first page, in place."""
    threads = pull["reviewThreads"]
    cursor = threads["pageInfo"]["endCursor"]
    while threads["pageInfo"]["hasNextPage"]:
        payload = await client.graphql(
            REVIEW_THREADS_PAGE,
            {
                "owner": owner,
                "name": name,
                "number": pull["number"],
                "cursor": cursor,
                "threadPageSize": options.thread_page_size,
            },
        )
        page = _graphql_data(payload, f"{owner}/{name}")["pullRequest"]["reviewThreads"]
        threads["nodes"].extend(page["nodes"])
        threads["pageInfo"] = page["pageInfo"]
        cursor = page["pageInfo"]["endCursor"]


def _missing(connection: dict[str, Any] | None) -> tuple[int, int]:
    """(nodes received, totalCount) of a GraphQL connection."""
    if not connection:
        return 0, 0
    received = len(connection.get("nodes") or [])
    return received, int(connection.get("totalCount") or received)


async def _complete_connections(
    client: GitHubClient,
    owner: str,
    name: str,
    pull: dict[str, Any],
    result: RepositoryFetch,
) -> None:
    """Nothing is cut silently: conversation comments beyond the query's first page
    come from REST; other connections cut by the query's limits are recorded."""
    number = pull["number"]
    received, total = _missing(pull.get("comments"))
    if total > received:
        result.issue_comments[number] = await client.get_all(
            f"/repos/{owner}/{name}/issues/{number}/comments", kind="issue_comments"
        )
    cut = [
        ("commits", *_missing(pull.get("commits"))),
        ("files", *_missing(pull.get("files"))),
    ]
    for thread in (pull.get("reviewThreads") or {}).get("nodes") or []:
        if thread:
            cut.append(("thread_comments", *_missing(thread.get("comments"))))
    for connection, got, total in cut:
        if total > got:
            logger.warning(
                "%s/%s#%d: %s truncated at %d of %d",
                owner,
                name,
                number,
                connection,
                got,
                total,
            )
            result.truncated.append(
                {
                    "reason": f"truncated_{connection}",
                    "node": f"#{number}: {got} of {total}",
                }
            )


async def _diff_or_files(
    client: GitHubClient, owner: str, name: str, number: int, result: RepositoryFetch
) -> None:
    try:
        result.diffs[number] = await client.get_diff(owner, name, number)
    except DiffTooLarge:
        logger.info(
            "%s/%s#%d: diff too large, fetching per-file patches", owner, name, number
        )
        result.files[number] = await client.get_all(
            f"/repos/{owner}/{name}/pulls/{number}/files", kind="files"
        )


async def _take_page(
    client: GitHubClient,
    owner: str,
    name: str,
    nodes: list[Any],
    options: FetchOptions,
    result: RepositoryFetch,
    diff_tasks: list[asyncio.Task[None]],
) -> bool:
    """Keep the page's PRs that are in the window and start their diffs.

    True once a PR updated before the window is seen: pages come most recently
    updated first, so no later page can hold more.
    """
    for pull in nodes:
        # reviewThreads is null after a partial GraphQL error: the pull request's
        # review comments are lost, so it is skipped like any malformed node.
        if (
            not isinstance(pull, dict)
            or not isinstance(pull.get("number"), int)
            or ("reviewThreads" in pull and pull["reviewThreads"] is None)
        ):
            result.skipped.append(
                {"reason": "malformed_pull_request", "node": repr(pull)[:200]}
            )
            continue
        updated_at = pull.get("updatedAt") or ""
        if options.merged_after and updated_at < options.merged_after:
            return True
        if not _in_window(pull, options):
            continue
        if len(result.pull_requests) >= options.max_prs_per_repo:
            break
        if ((pull.get("reviewThreads") or {}).get("pageInfo") or {}).get("hasNextPage"):
            await _remaining_threads(client, owner, name, pull, options)
        await _complete_connections(client, owner, name, pull, result)
        result.pull_requests.append(pull)
        diff_tasks.append(
            asyncio.create_task(
                _diff_or_files(client, owner, name, pull["number"], result)
            )
        )
    return False


async def fetch_repository(
    client: GitHubClient, full_name: str, options: FetchOptions
) -> RepositoryFetch:
    """Merged PRs in the window (newest first, up to ``max_prs_per_repo``)
    with diffs."""
    owner, name = split_full_name(full_name)
    result = RepositoryFetch(requested_name=full_name, canonical_name=full_name)
    cursor: str | None = None
    diff_tasks: list[asyncio.Task[None]] = []
    try:
        while len(result.pull_requests) < options.max_prs_per_repo:
            payload = await client.graphql(
                PULL_REQUESTS_PAGE,
                {
                    "owner": owner,
                    "name": name,
                    "pageSize": options.page_size,
                    "cursor": cursor,
                    "threadPageSize": options.thread_page_size,
                },
            )
            repository = _graphql_data(payload, full_name)
            result.canonical_name = repository.get("nameWithOwner") or full_name
            connection = repository["pullRequests"]
            reached_window_start = await _take_page(
                client, owner, name, connection["nodes"], options, result, diff_tasks
            )
            page_info = connection["pageInfo"]
            if reached_window_start or not page_info["hasNextPage"]:
                break
            cursor = page_info["endCursor"]
        await asyncio.gather(*diff_tasks)
    except (KeyError, TypeError) as error:
        raise PayloadError(
            f"GraphQL answer for {full_name} lacks an expected field: {error!r}",
            endpoint="/graphql",
            error_type="malformed_payload",
        ) from error
    finally:
        for task in diff_tasks:
            if not task.done():
                task.cancel()
        if diff_tasks:
            await asyncio.gather(*diff_tasks, return_exceptions=True)
    return result
