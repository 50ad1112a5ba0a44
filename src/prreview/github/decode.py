"""Turn raw GraphQL/REST payloads of one repository into validated records.

Decoding is pure and repeatable from the raw partitions, so a change here never needs a
re-crawl. A pull request whose payload is malformed is skipped and reported with its
reason; the rest of the repository still decodes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from prreview.diffs.patches import DiffParseError, split_diff
from prreview.github.fetch import RepositoryFetch
from prreview.schemas import (
    FilePatch,
    IssueComment,
    LinkedIssue,
    PullDiff,
    PullRequest,
    ReviewComment,
    hash_login,
)

logger = logging.getLogger(__name__)

_CHANGE_TYPES = {
    "ADDED": "added",
    "DELETED": "removed",
    "MODIFIED": "modified",
    "RENAMED": "renamed",
    "COPIED": "copied",
    "CHANGED": "changed",
}


@dataclass
class DecodedRepository:
    pull_requests: list[PullRequest] = field(default_factory=list)
    review_comments: list[ReviewComment] = field(default_factory=list)
    issue_comments: list[IssueComment] = field(default_factory=list)
    linked_issues: list[LinkedIssue] = field(default_factory=list)
    pull_diffs: list[PullDiff] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)


def _object(value: Any, what: str) -> dict[str, Any] | None:
    """``value`` as a JSON object, None for null; TypeError for any other shape."""
    if value is None or isinstance(value, dict):
        return value
    raise TypeError(f"{what} is not an object: {type(value).__name__}")


def _list(value: Any, what: str) -> list[Any]:
    """``value`` as a JSON array, [] for null; TypeError for any other shape."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    raise TypeError(f"{what} is not a list: {type(value).__name__}")


def _count(value: Any, what: str) -> int:
    """A line or file count: a finite whole number, 0 for null; ValueError for
    anything else ("1.2k", 1.5, Infinity, true), as ``int()`` would raise for most."""
    if value is None:
        return 0
    if isinstance(value, float) and value.is_integer():
        return int(value)  # finite: inf and nan are not whole
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise ValueError(f"{what} is not a count: {value!r}"[:200])


def _author(node: Any) -> tuple[str | None, str]:
    """(hashed login, author type). A deleted account ("ghost") comes as null."""
    node = _object(node, "author")
    if not node:
        return None, "Unknown"
    login = node.get("login")
    if login is not None and not isinstance(login, str):
        raise TypeError(f"author login is not a string: {login!r}"[:200])
    kind = node.get("__typename") or "User"
    if login and login.endswith("[bot]"):
        kind = "Bot"
    if kind not in ("User", "Bot", "Organization", "Mannequin"):
        kind = "Unknown"
    return hash_login(login), kind


def _nodes(connection: Any) -> list[dict[str, Any]]:
    """The non-null nodes of a GraphQL connection; TypeError when it, or one of
    its nodes, is not an object (a REST-style list, say)."""
    connection = _object(connection, "connection")
    if not connection:
        return []
    nodes = _list(connection.get("nodes"), "connection nodes")
    return [node for node in nodes if _object(node, "node") is not None]


def _oid(node: Any) -> str | None:
    node = _object(node, "commit")
    return node.get("oid") if node else None


def _review_comments(
    repo: str, pull: dict[str, Any], iteration: int
) -> list[ReviewComment]:
    comments = []
    for thread in _nodes(pull.get("reviewThreads")):
        side = thread.get("diffSide")
        start_side = thread.get("startDiffSide")
        for node in _nodes(thread.get("comments")):
            author, author_type = _author(node.get("author"))
            reply_to = _object(node.get("replyTo"), "replyTo") or {}
            review = _object(node.get("pullRequestReview"), "review") or {}
            comments.append(
                ReviewComment(
                    id=node["databaseId"],
                    repo=repo,
                    pr_number=pull["number"],
                    path=node.get("path") or thread["path"],
                    line=node.get("line"),
                    start_line=node.get("startLine"),
                    side=side,
                    start_side=start_side
                    if node.get("startLine") is not None
                    or node.get("originalStartLine") is not None
                    else None,
                    original_line=node.get("originalLine"),
                    original_start_line=node.get("originalStartLine"),
                    commit_id=_oid(node.get("commit")),
                    original_commit_id=_oid(node.get("originalCommit")),
                    diff_hunk=node.get("diffHunk") or "",
                    body=node.get("body") or "",
                    author=author,
                    author_type=author_type,
                    author_association=node.get("authorAssociation") or "NONE",
                    in_reply_to_id=reply_to.get("databaseId"),
                    pull_request_review_id=review.get("databaseId"),
                    # Raw flags: the schema reads "false" as False (bool() would
                    # not) and refuses garbage; null stays False.
                    outdated=node.get("outdated", thread.get("isOutdated")) or False,
                    thread_resolved=thread.get("isResolved") or False,
                    created_at=node["createdAt"],
                    updated_at=node.get("updatedAt"),
                    iteration=iteration,
                )
            )
    return comments


def _pull_request(
    repo: str, pull: dict[str, Any], comments: int, iteration: int
) -> PullRequest:
    author, author_type = _author(pull.get("author"))
    return PullRequest(
        repo=repo,
        number=pull["number"],
        title=pull["title"],
        body=pull.get("body") or "",
        state=str(pull["state"]).lower(),
        merged=pull["merged"],  # validated by the schema: "false" is False
        merged_at=pull.get("mergedAt"),
        created_at=pull["createdAt"],
        updated_at=pull["updatedAt"],
        closed_at=pull.get("closedAt"),
        base_ref=pull["baseRefName"],
        head_ref=pull["headRefName"],
        base_sha=pull["baseRefOid"],
        head_sha=pull["headRefOid"],
        merge_commit_sha=_oid(pull.get("mergeCommit")),
        author=author,
        author_type=author_type,
        author_association=pull.get("authorAssociation") or "NONE",
        additions=_count(pull.get("additions"), "additions"),
        deletions=_count(pull.get("deletions"), "deletions"),
        changed_files=_count(pull.get("changedFiles"), "changedFiles"),
        labels=[label["name"] for label in _nodes(pull.get("labels"))],
        linked_issues=[
            issue["number"] for issue in _nodes(pull.get("closingIssuesReferences"))
        ],
        commit_shas=[
            commit["oid"]
            for node in _nodes(pull.get("commits"))
            if (commit := _object(node.get("commit"), "commit"))
        ],
        review_comment_count=comments,
        issue_comment_count=len(_nodes(pull.get("comments"))),
        iteration=iteration,
    )


def _issue_comments(
    repo: str, pull: dict[str, Any], rest: list[dict[str, Any]] | None, iteration: int
) -> list[IssueComment]:
    """From the GraphQL page, or from REST when the PR had more than the page held."""
    if rest is not None:
        rows = [
            (
                item["id"],
                item.get("body"),
                _author(_rest_actor(item.get("user"))),
                item.get("author_association"),
                item["created_at"],
            )
            for item in map(_rest_item, _list(rest, "REST issue comments"))
        ]
    else:
        rows = [
            (
                node["databaseId"],
                node.get("body"),
                _author(node.get("author")),
                node.get("authorAssociation"),
                node["createdAt"],
            )
            for node in _nodes(pull.get("comments"))
        ]
    return [
        IssueComment(
            id=comment_id,
            repo=repo,
            pr_number=pull["number"],
            body=body or "",
            author=author,
            author_type=author_type,
            author_association=association or "NONE",
            created_at=created_at,
            iteration=iteration,
        )
        for comment_id, body, (author, author_type), association, created_at in rows
    ]


def _rest_item(item: Any) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise TypeError(f"REST item is not an object: {type(item).__name__}")
    return item


def _rest_actor(user: Any) -> dict[str, Any] | None:
    """A REST ``user`` object in the GraphQL actor shape ``_author`` reads."""
    user = _object(user, "REST user")
    if not user:
        return None
    return {"login": user.get("login"), "__typename": user.get("type") or "User"}


def _linked_issues(
    repo: str, pull: dict[str, Any], iteration: int
) -> list[LinkedIssue]:
    result = []
    for node in _nodes(pull.get("closingIssuesReferences")):
        author, _ = _author(node.get("author"))
        result.append(
            LinkedIssue(
                repo=repo,
                number=node["number"],
                pr_number=pull["number"],
                title=node.get("title") or "",
                body=node.get("body") or "",
                state=str(node.get("state") or "").lower(),
                author=author,
                created_at=node.get("createdAt"),
                closed_at=node.get("closedAt"),
                iteration=iteration,
            )
        )
    return result


def _files_from_rest(files: Any) -> list[FilePatch]:
    """GitHub leaves out ``patch`` for binary files and for text diffs too large to
    show; only a binary one changed no lines."""
    patches = []
    for item in map(_rest_item, _list(files, "REST files")):
        additions = _count(item.get("additions"), "additions")
        deletions = _count(item.get("deletions"), "deletions")
        changed = _count(item.get("changes"), "changes") or additions + deletions
        patches.append(
            FilePatch(
                path=item["filename"],
                previous_path=item.get("previous_filename"),
                status=item.get("status", "modified"),
                additions=additions,
                deletions=deletions,
                binary="patch" not in item and not changed,
                patch=item.get("patch"),
            )
        )
    return patches


def _pull_diff(
    repo: str, pull: dict[str, Any], fetched: RepositoryFetch, iteration: int
) -> PullDiff:
    number = pull["number"]
    if number in fetched.diffs:
        diff = fetched.diffs[number]
        if not isinstance(diff, str):
            raise TypeError(f"diff is not text: {type(diff).__name__}")
        return PullDiff(
            repo=repo,
            pr_number=number,
            base_sha=pull["baseRefOid"],
            head_sha=pull["headRefOid"],
            source="diff",
            diff=diff,
            files=split_diff(diff),
            iteration=iteration,
        )
    return PullDiff(
        repo=repo,
        pr_number=number,
        base_sha=pull["baseRefOid"],
        head_sha=pull["headRefOid"],
        source="files",
        diff=None,
        files=_files_from_rest(fetched.files.get(number, [])),
        iteration=iteration,
    )


def decode_repository(raw: dict[str, Any], iteration: int) -> DecodedRepository:
    """Records of one raw partition;
    malformed pull requests are skipped with a reason."""
    fetched = RepositoryFetch.from_json(raw)
    repo = fetched.canonical_name
    decoded = DecodedRepository()
    for pull in fetched.pull_requests:
        if not isinstance(pull, dict):
            logger.warning("%s: skipped a malformed pull request: %r", repo, pull)
            decoded.skipped.append(
                {
                    "repo": repo,
                    "pr_number": None,
                    "reason": "malformed_pull_request",
                    "message": f"not a pull request object: {pull!r}"[:200],
                }
            )
            continue
        number = pull.get("number")
        try:
            comments = _review_comments(repo, pull, iteration)
            record = _pull_request(repo, pull, len(comments), iteration)
            issue_comments = _issue_comments(
                repo, pull, fetched.issue_comments.get(number), iteration
            )
            issues = _linked_issues(repo, pull, iteration)
            diff = _pull_diff(repo, pull, fetched, iteration)
        except (
            KeyError,
            TypeError,
            ValueError,
            ValidationError,
            DiffParseError,
            # Last guard: a shape the helpers' checks still miss costs this pull
            # request, never the repository.
            AttributeError,
            OverflowError,
        ) as error:
            reason = type(error).__name__
            logger.warning("%s#%s skipped: %s %s", repo, number, reason, error)
            decoded.skipped.append(
                {
                    "repo": repo,
                    "pr_number": number,
                    "reason": reason,
                    "message": str(error),
                }
            )
            continue
        decoded.pull_requests.append(record)
        decoded.review_comments.extend(comments)
        decoded.issue_comments.extend(issue_comments)
        decoded.linked_issues.extend(issues)
        decoded.pull_diffs.append(diff)
    return decoded
