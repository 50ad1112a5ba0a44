"""GitHub's GraphQL API over a REST snapshot, executed with graphql-core.

The schema (``schema.graphql``) uses GitHub's names, and queries go through the real
parse / validate / execute pipeline, so any query over that subset behaves as on GitHub:
REST objects are mapped to GraphQL fields (review threads are a root comment plus its
replies), connections paginate with opaque cursors, ``first``/``last`` above 100 are
rejected before execution and the rate-limit cost follows GitHub's published formula.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    build_schema,
    execute,
    get_named_type,
    get_operation_ast,
    parse,
    validate,
)
from graphql.execution.values import get_argument_values, get_variable_values

from prreview.github.snapshot import (
    JSON,
    LookupKind,
    PullRecord,
    RepoRecord,
    ReviewThread,
    Snapshot,
)

logger = logging.getLogger(__name__)

SCHEMA_PATH = Path(__file__).with_name("schema.graphql")
MAX_PAGE_SIZE = 100
MAX_NODE_LIMIT = 500_000
DOCUMENT_CACHE_SIZE = 64
HTML_BASE = "https://github.com"

_ASSOCIATIONS = frozenset(
    {
        "COLLABORATOR",
        "CONTRIBUTOR",
        "FIRST_TIMER",
        "FIRST_TIME_CONTRIBUTOR",
        "MANNEQUIN",
        "MEMBER",
        "NONE",
        "OWNER",
    }
)
_CHANGE_TYPES = {
    "added": "ADDED",
    "removed": "DELETED",
    "deleted": "DELETED",
    "modified": "MODIFIED",
    "renamed": "RENAMED",
    "copied": "COPIED",
    "changed": "CHANGED",
    "unchanged": "CHANGED",
}


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class RateLimitInfo:
    """What ``Query.rateLimit`` answers: the quota after charging this query."""

    cost: int
    limit: int
    remaining: int
    used: int
    reset_at: str
    node_count: int = 0


@dataclass(frozen=True)
class QueryPlan:
    """A parsed, validated query with its variables and GitHub cost, ready to run."""

    document: DocumentNode
    operation_name: str | None
    variables: dict[str, Any]
    cost: int
    node_count: int


class GraphQLRequestError(Exception):
    """A query rejected before execution; ``errors`` are GitHub-shaped error objects."""

    def __init__(self, errors: list[dict[str, Any]], status: int = 200) -> None:
        super().__init__(errors[0].get("message", "GraphQL error") if errors else "")
        self.errors = errors
        self.status = status

    def payload(self) -> dict[str, Any]:
        if self.status != 200 and len(self.errors) == 1:
            return {"message": self.errors[0]["message"]}
        return {"errors": self.errors}


def format_error(error: GraphQLError) -> dict[str, Any]:
    """GitHub puts ``type`` at the top level of an error, beside message and path."""
    out: dict[str, Any] = {}
    extensions = dict(error.extensions or {})
    if "type" in extensions:
        out["type"] = extensions.pop("type")
    if error.path is not None:
        out["path"] = list(error.path)
    if error.locations:
        out["locations"] = [
            {"line": loc.line, "column": loc.column} for loc in error.locations
        ]
    out["message"] = error.message
    if extensions:
        out["extensions"] = extensions
    return out


def _error(
    message: str, kind: str, nodes: Any = None, path: Any = None
) -> GraphQLError:
    return GraphQLError(message, nodes=nodes, path=path, extensions={"type": kind})


# --------------------------------------------------------------------------- sources


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def encode_cursor(index: int) -> str:
    """Opaque cursor for the item at ``index`` of a connection."""
    return _b64(f"cursor:v2:{index}")


def decode_cursor(cursor: str) -> int:
    """Position encoded by :func:`encode_cursor`; GraphQLError for anything else."""
    try:
        text = base64.b64decode(cursor.encode(), validate=True).decode()
        prefix, _, number = text.rpartition(":")
        if prefix != "cursor:v2":
            raise ValueError(text)
        return int(number)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise _error(
            f"`{cursor}` does not appear to be a valid cursor.",
            "INVALID_CURSOR_ARGUMENTS",
        ) from None


@dataclass(frozen=True)
class Edge:
    cursor: str
    node: Any


@dataclass(frozen=True)
class Connection:
    """Relay connection as GitHub serves it; field names are GraphQL's."""

    edges: list[Edge]
    nodes: list[Any]
    pageInfo: dict[str, Any]
    totalCount: int


def paginate(items: Sequence[Any], args: Mapping[str, Any]) -> Connection:
    """Slice ``items`` by first/after/last/before (Relay semantics, offset cursors)."""
    total = len(items)
    start, end = 0, total
    if args.get("after") is not None:
        start = max(start, decode_cursor(args["after"]) + 1)
    if args.get("before") is not None:
        end = min(end, decode_cursor(args["before"]))
    if args.get("first") is not None:
        end = min(end, start + max(0, int(args["first"])))
    if args.get("last") is not None:
        start = max(start, end - max(0, int(args["last"])))
    start = min(start, total)
    end = max(start, end)
    edges = [Edge(encode_cursor(i), items[i]) for i in range(start, end)]
    page_info = {
        "hasNextPage": end < total,
        "hasPreviousPage": start > 0,
        "startCursor": edges[0].cursor if edges else None,
        "endCursor": edges[-1].cursor if edges else None,
    }
    return Connection(
        edges=edges, nodes=[e.node for e in edges], pageInfo=page_info, totalCount=total
    )


def _node_id(prefix: str, value: Any) -> str:
    return f"{prefix}_{_b64(str(value)).rstrip('=')}"


def _html(path: str) -> str:
    return f"{HTML_BASE}/{path}"


def _association(value: Any) -> str:
    text = str(value or "NONE").upper()
    return text if text in _ASSOCIATIONS else "NONE"


@dataclass(frozen=True)
class ActorSrc:
    """A REST user object seen as a GraphQL Actor (User, Bot or Organization)."""

    data: JSON

    @property
    def typename(self) -> str:
        kind = str(self.data.get("type") or "User")
        return kind if kind in ("Bot", "Organization") else "User"

    @property
    def login(self) -> str:
        login = str(self.data.get("login") or "")
        # GraphQL names a bot by its app slug; REST appends "[bot]".
        if self.typename == "Bot" and login.endswith("[bot]"):
            return login[: -len("[bot]")]
        return login

    @property
    def url(self) -> str:
        if self.typename == "Bot":
            return _html(f"apps/{self.login}")
        return str(self.data.get("html_url") or _html(self.login))


def _actor(data: Any) -> ActorSrc | None:
    return ActorSrc(data) if isinstance(data, dict) and data.get("login") else None


@dataclass(frozen=True)
class RepoSrc:
    record: RepoRecord
    typename: str = "Repository"

    @property
    def data(self) -> JSON:
        return self.record.repository


@dataclass(frozen=True)
class PullSrc:
    repo: RepoRecord
    record: PullRecord
    typename: str = "PullRequest"

    @property
    def data(self) -> JSON:
        return self.record.pull


@dataclass(frozen=True)
class IssueSrc:
    repo: RepoRecord
    data: JSON
    pull: PullRecord | None = None
    typename: str = "Issue"


@dataclass(frozen=True)
class IssueCommentSrc:
    data: JSON
    typename: str = "IssueComment"


@dataclass(frozen=True)
class ThreadSrc:
    repo: RepoRecord
    pull: PullRecord
    thread: ReviewThread
    typename: str = "PullRequestReviewThread"


@dataclass(frozen=True)
class ReviewCommentSrc:
    repo: RepoRecord
    pull: PullRecord
    data: JSON
    typename: str = "PullRequestReviewComment"


@dataclass(frozen=True)
class CommitSrc:
    repo: RepoRecord
    oid: str
    data: JSON | None
    typename: str = "Commit"


@dataclass(frozen=True)
class PullCommitSrc:
    repo: RepoRecord
    pull: PullRecord
    data: JSON
    typename: str = "PullRequestCommit"


@dataclass(frozen=True)
class FileSrc:
    data: JSON
    typename: str = "PullRequestChangedFile"


@dataclass(frozen=True)
class LabelSrc:
    data: JSON
    typename: str = "Label"


@dataclass
class ExecutionContext:
    """Per-request state the resolvers read."""

    api: GraphQLApi
    rate: RateLimitInfo | None


# --------------------------------------------------------------------------- resolvers

Resolver = Callable[..., Any]


def _src(fn: Callable[[Any], Any]) -> Resolver:
    """A resolver that only needs its source object."""

    def resolve(src: Any, _info: GraphQLResolveInfo, **_args: Any) -> Any:
        return fn(src)

    return resolve


def _key(name: str, default: Any = None) -> Resolver:
    """A resolver reading one key of the source's REST object."""
    return _src(lambda s: s.data.get(name, default))


def _ctx(info: GraphQLResolveInfo) -> ExecutionContext:
    ctx: ExecutionContext = info.context
    return ctx


def _sort(
    items: list[Any], order_by: Mapping[str, Any] | None, default: str
) -> list[Any]:
    field_name = (order_by or {}).get("field", default)
    descending = (order_by or {}).get("direction", "ASC") == "DESC"
    keys: dict[str, Callable[[Any], Any]] = {
        "CREATED_AT": lambda s: (str(s.data.get("created_at") or ""), s.data["number"]),
        "UPDATED_AT": lambda s: (str(s.data.get("updated_at") or ""), s.data["number"]),
        "COMMENTS": lambda s: (int(s.data.get("comments") or 0), s.data["number"]),
    }
    return sorted(items, key=keys[field_name], reverse=descending)


def _resolve_repository(_src: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
    owner, name = args["owner"], args["name"]
    snapshot = _ctx(info).api.snapshot
    found = snapshot.lookup(f"{owner}/{name}")
    if found.kind is LookupKind.FOUND or (
        found.kind is LookupKind.RENAMED and args.get("followRenames", True)
    ):
        assert found.repo is not None
        return RepoSrc(found.repo)
    raise _error(
        f"Could not resolve to a Repository with the name '{owner}/{name}'.",
        "NOT_FOUND",
    )


def _resolve_rate_limit(_src: Any, info: GraphQLResolveInfo, **_args: Any) -> Any:
    rate = _ctx(info).rate
    if rate is None:
        return None
    return {
        "cost": rate.cost,
        "limit": rate.limit,
        "nodeCount": rate.node_count,
        "remaining": rate.remaining,
        "resetAt": rate.reset_at,
        "used": rate.used,
    }


def _pull_src(repo: RepoRecord, number: int) -> PullSrc | None:
    record = repo.pulls.get(number)
    return PullSrc(repo, record) if record is not None else None


def _repo_pull(src: RepoSrc, _info: GraphQLResolveInfo, **args: Any) -> Any:
    found = _pull_src(src.record, args["number"])
    if found is None:
        raise _error(
            f"Could not resolve to a PullRequest with the number of {args['number']}.",
            "NOT_FOUND",
        )
    return found


def _repo_pulls(src: RepoSrc, _info: GraphQLResolveInfo, **args: Any) -> Any:
    states = set(args.get("states") or ())
    labels = set(args.get("labels") or ())
    items = [
        PullSrc(src.record, r)
        for r in src.record.pulls.values()
        if (not states or r.graphql_state in states)
        and (not labels or labels & {lb.get("name") for lb in r.pull.get("labels", [])})
        and args.get("headRefName") in (None, (r.pull.get("head") or {}).get("ref"))
        and args.get("baseRefName") in (None, (r.pull.get("base") or {}).get("ref"))
    ]
    return paginate(_sort(items, args.get("orderBy"), "CREATED_AT"), args)


def _repo_issue(src: RepoSrc, _info: GraphQLResolveInfo, **args: Any) -> Any:
    data = src.record.issues.get(args["number"])
    if data is None:
        raise _error(
            f"Could not resolve to an Issue with the number of {args['number']}.",
            "NOT_FOUND",
        )
    return IssueSrc(src.record, data)


def _repo_issue_or_pull(src: RepoSrc, _info: GraphQLResolveInfo, **args: Any) -> Any:
    number = args["number"]
    pull = _pull_src(src.record, number)
    if pull is not None:
        return pull
    if number in src.record.issues:
        return IssueSrc(src.record, src.record.issues[number])
    raise _error(
        f"Could not resolve to an issue or pull request with the number of {number}.",
        "NOT_FOUND",
    )


def _repo_issues(src: RepoSrc, _info: GraphQLResolveInfo, **args: Any) -> Any:
    states = set(args.get("states") or ())
    labels = set(args.get("labels") or ())
    items = [
        IssueSrc(src.record, data)
        for data in src.record.issues.values()
        if (not states or str(data.get("state", "")).upper() in states)
        and (not labels or labels & {lb.get("name") for lb in data.get("labels", [])})
    ]
    return paginate(_sort(items, args.get("orderBy"), "CREATED_AT"), args)


def _repo_topics(src: RepoSrc, _info: GraphQLResolveInfo, **args: Any) -> Any:
    topics = [
        {
            "id": _node_id("RT", f"{src.record.full_name}:{t}"),
            "topic": {"id": _node_id("T", t), "name": t},
        }
        for t in src.data.get("topics") or []
    ]
    return paginate(topics, args)


def _language(src: RepoSrc) -> Any:
    name = src.data.get("language")
    return {"id": _node_id("L", name), "name": name} if name else None


def _license(src: RepoSrc) -> Any:
    lic = src.data.get("license")
    if not isinstance(lic, dict) or not lic.get("key"):
        return None
    return {
        "id": lic.get("node_id") or _node_id("LI", lic["key"]),
        "key": lic["key"],
        "name": lic.get("name") or lic["key"],
        "spdxId": lic.get("spdx_id"),
    }


def _default_branch(src: RepoSrc) -> Any:
    name = src.data.get("default_branch")
    if not name:
        return None
    return {
        "id": _node_id("REF", f"{src.record.full_name}:{name}"),
        "name": name,
        "prefix": "refs/heads/",
    }


def _commit(repo: RepoRecord, oid: Any, api: GraphQLApi) -> CommitSrc | None:
    if not oid:
        return None
    return CommitSrc(repo, str(oid), api.commit_index(repo).get(str(oid)))


def _pull_merge_commit(src: PullSrc, info: GraphQLResolveInfo, **_args: Any) -> Any:
    if not src.record.merged:
        return None
    return _commit(src.repo, src.data.get("merge_commit_sha"), _ctx(info).api)


def _pull_labels(src: Any, _info: GraphQLResolveInfo, **args: Any) -> Any:
    return paginate([LabelSrc(lb) for lb in src.data.get("labels") or []], args)


def _pull_closing(src: PullSrc, _info: GraphQLResolveInfo, **args: Any) -> Any:
    items = [
        IssueSrc(src.repo, src.repo.issues[n]) for n in src.record.closing_issue_numbers
    ]
    return paginate(items, args)


def _pull_commits(src: PullSrc, _info: GraphQLResolveInfo, **args: Any) -> Any:
    items = [PullCommitSrc(src.repo, src.record, c) for c in src.record.commits]
    return paginate(items, args)


def _pull_files(src: PullSrc, _info: GraphQLResolveInfo, **args: Any) -> Any:
    return paginate([FileSrc(f) for f in src.record.files], args)


def _pull_comments(src: PullSrc, _info: GraphQLResolveInfo, **args: Any) -> Any:
    return paginate([IssueCommentSrc(c) for c in src.record.issue_comments], args)


def _pull_threads(src: PullSrc, _info: GraphQLResolveInfo, **args: Any) -> Any:
    items = [ThreadSrc(src.repo, src.record, t) for t in src.record.threads]
    return paginate(items, args)


def _issue_comments(src: IssueSrc, _info: GraphQLResolveInfo, **args: Any) -> Any:
    comments = src.pull.issue_comments if src.pull is not None else ()
    return paginate([IssueCommentSrc(c) for c in comments], args)


def _thread_comments(src: ThreadSrc, _info: GraphQLResolveInfo, **args: Any) -> Any:
    comments = list(src.thread.comments)[max(0, int(args.get("skip") or 0)) :]
    items = [ReviewCommentSrc(src.repo, src.pull, c) for c in comments]
    return paginate(items, args)


def _comment_outdated(data: JSON) -> bool:
    return data.get("line") is None and str(data.get("subject_type")) != "file"


def _reply_to(src: ReviewCommentSrc) -> Any:
    parent_id = src.data.get("in_reply_to_id")
    if parent_id is None:
        return None
    for comment in src.pull.review_comments:
        if comment.get("id") == parent_id:
            return ReviewCommentSrc(src.repo, src.pull, comment)
    return ReviewCommentSrc(src.repo, src.pull, {"id": parent_id})


def _review(src: ReviewCommentSrc) -> Any:
    review_id = src.data.get("pull_request_review_id")
    if review_id is None:
        return None
    return {"databaseId": review_id, "id": _node_id("PRR", review_id)}


def _subject_type(data: JSON) -> str:
    return "FILE" if str(data.get("subject_type")) == "file" else "LINE"


def _side(value: Any, default: str | None) -> str | None:
    text = str(value).upper() if value else default
    return text if text in ("LEFT", "RIGHT") else default


def _commit_actor(kind: str) -> Callable[[CommitSrc], Any]:
    def resolve(src: CommitSrc) -> Any:
        if src.data is None:
            return None
        person = (src.data.get("commit") or {}).get(kind) or {}
        user = _actor(src.data.get(kind))
        return {
            "date": person.get("date"),
            "email": person.get("email"),
            "name": person.get("name"),
            "user": user if user is not None and user.typename == "User" else None,
        }

    return resolve


def _commit_field(kind: str, key: str) -> Callable[[CommitSrc], Any]:
    def resolve(src: CommitSrc) -> Any:
        if src.data is None:
            return None
        return ((src.data.get("commit") or {}).get(kind) or {}).get(key)

    return resolve


def _commit_message(src: CommitSrc) -> str:
    if src.data is None:
        return ""
    return str((src.data.get("commit") or {}).get("message") or "")


def _actor_fields() -> dict[str, Resolver]:
    return {
        "avatarUrl": _src(
            lambda s: (
                s.data.get("avatar_url")
                or f"https://avatars.githubusercontent.com/u/{s.data.get('id', 0)}?v=4"
            )
        ),
        "databaseId": _key("id"),
        "id": _src(lambda s: s.data.get("node_id") or _node_id("U", s.data.get("id"))),
        "login": _src(lambda s: s.login),
        "name": _key("name"),
        "resourcePath": _src(lambda s: s.url.removeprefix(HTML_BASE)),
        "url": _src(lambda s: s.url),
    }


def _rest_node_id(prefix: str) -> Resolver:
    return _src(lambda s: s.data.get("node_id") or _node_id(prefix, s.data.get("id")))


RESOLVERS: dict[str, dict[str, Resolver]] = {
    "Query": {"repository": _resolve_repository, "rateLimit": _resolve_rate_limit},
    "User": _actor_fields(),
    "Bot": {k: v for k, v in _actor_fields().items() if k != "name"},
    "Organization": _actor_fields(),
    "Repository": {
        "createdAt": _key("created_at"),
        "databaseId": _key("id"),
        "defaultBranchRef": _src(_default_branch),
        "description": _key("description"),
        "forkCount": _key("forks_count", 0),
        "id": _rest_node_id("R"),
        "isArchived": _key("archived", False),
        "isDisabled": _key("disabled", False),
        "isFork": _key("fork", False),
        "isPrivate": _key("private", False),
        "issue": _repo_issue,
        "issueOrPullRequest": _repo_issue_or_pull,
        "issues": _repo_issues,
        "licenseInfo": _src(_license),
        "name": _src(lambda s: s.record.name),
        "nameWithOwner": _src(lambda s: s.record.full_name),
        "owner": _src(lambda s: ActorSrc(s.data["owner"])),
        "primaryLanguage": _src(_language),
        "pullRequest": _repo_pull,
        "pullRequests": _repo_pulls,
        "pushedAt": _key("pushed_at"),
        "repositoryTopics": _repo_topics,
        "stargazerCount": _key("stargazers_count", 0),
        "updatedAt": _key("updated_at"),
        "url": _src(lambda s: s.data.get("html_url") or _html(s.record.full_name)),
        "visibility": _src(lambda s: str(s.data.get("visibility") or "public").upper()),
    },
    "Label": {
        "color": _key("color", ""),
        "description": _key("description"),
        "id": _rest_node_id("LA"),
        "name": _key("name"),
    },
    "PullRequest": {
        "additions": _key("additions", 0),
        "author": _src(lambda s: _actor(s.data.get("user"))),
        "authorAssociation": _src(
            lambda s: _association(s.data.get("author_association"))
        ),
        "baseRefName": _src(lambda s: (s.data.get("base") or {}).get("ref", "")),
        "baseRefOid": _src(lambda s: (s.data.get("base") or {}).get("sha", "")),
        "body": _src(lambda s: s.data.get("body") or ""),
        "changedFiles": _key("changed_files", 0),
        "closed": _src(lambda s: s.data.get("state") == "closed"),
        "closedAt": _key("closed_at"),
        "closingIssuesReferences": _pull_closing,
        "comments": _pull_comments,
        "commits": _pull_commits,
        "createdAt": _key("created_at"),
        "databaseId": _key("id"),
        "deletions": _key("deletions", 0),
        "files": _pull_files,
        "headRefName": _src(lambda s: (s.data.get("head") or {}).get("ref", "")),
        "headRefOid": _src(lambda s: (s.data.get("head") or {}).get("sha", "")),
        "id": _rest_node_id("PR"),
        "isDraft": _key("draft", False),
        "labels": _pull_labels,
        "locked": _key("locked", False),
        "mergeCommit": _pull_merge_commit,
        "merged": _src(lambda s: s.record.merged),
        "mergedAt": _key("merged_at"),
        "number": _key("number"),
        "permalink": _src(
            lambda s: (
                s.data.get("html_url")
                or _html(f"{s.repo.full_name}/pull/{s.record.number}")
            )
        ),
        "repository": _src(lambda s: RepoSrc(s.repo)),
        "reviewThreads": _pull_threads,
        "state": _src(lambda s: s.record.graphql_state),
        "title": _key("title", ""),
        "updatedAt": _key("updated_at"),
        "url": _src(
            lambda s: (
                s.data.get("html_url")
                or _html(f"{s.repo.full_name}/pull/{s.record.number}")
            )
        ),
    },
    "Issue": {
        "author": _src(lambda s: _actor(s.data.get("user"))),
        "authorAssociation": _src(
            lambda s: _association(s.data.get("author_association"))
        ),
        "body": _src(lambda s: s.data.get("body") or ""),
        "closed": _src(lambda s: s.data.get("state") == "closed"),
        "closedAt": _key("closed_at"),
        "comments": _issue_comments,
        "createdAt": _key("created_at"),
        "databaseId": _key("id"),
        "id": _rest_node_id("I"),
        "labels": _pull_labels,
        "number": _key("number"),
        "repository": _src(lambda s: RepoSrc(s.repo)),
        "state": _src(lambda s: "OPEN" if s.data.get("state") == "open" else "CLOSED"),
        "title": _key("title", ""),
        "updatedAt": _key("updated_at"),
        "url": _src(
            lambda s: (
                s.data.get("html_url")
                or _html(f"{s.repo.full_name}/issues/{s.data.get('number')}")
            )
        ),
    },
    "IssueComment": {
        "author": _src(lambda s: _actor(s.data.get("user"))),
        "authorAssociation": _src(
            lambda s: _association(s.data.get("author_association"))
        ),
        "body": _src(lambda s: s.data.get("body") or ""),
        "createdAt": _key("created_at"),
        "databaseId": _key("id"),
        "id": _rest_node_id("IC"),
        "updatedAt": _key("updated_at"),
        "url": _key("html_url", ""),
    },
    "PullRequestReviewThread": {
        "comments": _thread_comments,
        "diffSide": _src(lambda s: _side(s.thread.root.get("side"), "RIGHT")),
        "id": _src(lambda s: _node_id("PRRT", s.thread.root_id)),
        "isCollapsed": _src(lambda _s: False),
        "isOutdated": _src(lambda s: _comment_outdated(s.thread.root)),
        # REST does not expose resolution; a snapshot may record it on the root comment.
        "isResolved": _src(lambda s: bool(s.thread.root.get("is_resolved", False))),
        "line": _src(lambda s: s.thread.root.get("line")),
        "originalLine": _src(lambda s: s.thread.root.get("original_line")),
        "originalStartLine": _src(lambda s: s.thread.root.get("original_start_line")),
        "path": _src(lambda s: s.thread.root.get("path", "")),
        "pullRequest": _src(lambda s: PullSrc(s.repo, s.pull)),
        "repository": _src(lambda s: RepoSrc(s.repo)),
        "startDiffSide": _src(lambda s: _side(s.thread.root.get("start_side"), None)),
        "startLine": _src(lambda s: s.thread.root.get("start_line")),
        "subjectType": _src(lambda s: _subject_type(s.thread.root)),
    },
    "PullRequestReviewComment": {
        "author": _src(lambda s: _actor(s.data.get("user"))),
        "authorAssociation": _src(
            lambda s: _association(s.data.get("author_association"))
        ),
        "body": _src(lambda s: s.data.get("body") or ""),
        "commit": lambda s, info, **_: _commit(
            s.repo, s.data.get("commit_id"), _ctx(info).api
        ),
        "createdAt": _key("created_at"),
        "databaseId": _key("id"),
        "diffHunk": _key("diff_hunk", ""),
        "id": _rest_node_id("PRRC"),
        "line": _key("line"),
        "originalCommit": lambda s, info, **_: _commit(
            s.repo, s.data.get("original_commit_id"), _ctx(info).api
        ),
        "originalLine": _key("original_line"),
        "originalPosition": _key("original_position", 0),
        "originalStartLine": _key("original_start_line"),
        "outdated": _src(lambda s: _comment_outdated(s.data)),
        "path": _key("path", ""),
        "position": _key("position"),
        "pullRequest": _src(lambda s: PullSrc(s.repo, s.pull)),
        "pullRequestReview": _src(_review),
        "replyTo": _src(_reply_to),
        "startLine": _key("start_line"),
        "subjectType": _src(lambda s: _subject_type(s.data)),
        "updatedAt": _key("updated_at"),
        "url": _key("html_url", ""),
    },
    "Commit": {
        "abbreviatedOid": _src(lambda s: s.oid[:7]),
        "author": _src(_commit_actor("author")),
        "authoredDate": _src(_commit_field("author", "date")),
        "committedDate": _src(_commit_field("committer", "date")),
        "committer": _src(_commit_actor("committer")),
        "id": _src(lambda s: (s.data or {}).get("node_id") or _node_id("C", s.oid)),
        "message": _src(_commit_message),
        "messageHeadline": _src(lambda s: _commit_message(s).split("\n", 1)[0]),
        "oid": _src(lambda s: s.oid),
        "url": _src(lambda s: _html(f"{s.repo.full_name}/commit/{s.oid}")),
    },
    "PullRequestCommit": {
        "commit": lambda s, info, **_: _commit(s.repo, s.data["sha"], _ctx(info).api),
        "id": _src(lambda s: _node_id("PURC", f"{s.pull.number}:{s.data['sha']}")),
        "pullRequest": _src(lambda s: PullSrc(s.repo, s.pull)),
        "url": _src(
            lambda s: _html(
                f"{s.repo.full_name}/pull/{s.pull.number}/commits/{s.data['sha']}"
            )
        ),
    },
    "PullRequestChangedFile": {
        "additions": _key("additions", 0),
        "changeType": _src(
            lambda s: _CHANGE_TYPES.get(str(s.data.get("status")), "MODIFIED")
        ),
        "deletions": _key("deletions", 0),
        "path": _key("filename"),
    },
}


def _resolve_type(src: Any, _info: GraphQLResolveInfo, _abstract: Any) -> str | None:
    return getattr(src, "typename", None)


def load_schema(path: Path = SCHEMA_PATH) -> GraphQLSchema:
    """Build the schema from SDL and attach the resolvers; fail if a field has none."""
    schema = build_schema(path.read_text(encoding="utf-8"))
    for type_name, fields in RESOLVERS.items():
        gql_type = schema.get_type(type_name)
        if not isinstance(gql_type, GraphQLObjectType):
            raise ValueError(f"{type_name} is not an object type of the schema")
        missing = set(gql_type.fields) - set(fields)
        extra = set(fields) - set(gql_type.fields)
        if missing or extra:
            raise ValueError(
                f"resolvers of {type_name} do not match the schema: "
                f"missing {sorted(missing)}, unknown {sorted(extra)}"
            )
        for field_name, resolver in fields.items():
            gql_type.fields[field_name].resolve = resolver
    for gql_type in schema.type_map.values():
        if isinstance(gql_type, GraphQLInterfaceType | GraphQLUnionType):
            gql_type.resolve_type = _resolve_type
    return schema


# --------------------------------------------------------------------------- cost


@dataclass
class _CostWalk:
    """GitHub's static query analysis: page-size limits, node limit and point cost."""

    schema: GraphQLSchema
    fragments: Mapping[str, FragmentDefinitionNode]
    variables: Mapping[str, Any]
    requests: int = 0
    nodes: int = 0
    errors: list[GraphQLError] = field(default_factory=list)

    def walk(
        self,
        selection_set: SelectionSetNode | None,
        parent: Any,
        multiplier: int,
        path: list[str],
        seen: frozenset[str] = frozenset(),
    ) -> None:
        if selection_set is None:
            return
        for sel in selection_set.selections:
            if isinstance(sel, FieldNode):
                self._field(sel, parent, multiplier, path, seen)
            elif isinstance(sel, InlineFragmentNode):
                cond = sel.type_condition
                target = self.schema.get_type(cond.name.value) if cond else parent
                self.walk(sel.selection_set, target, multiplier, path, seen)
            elif isinstance(sel, FragmentSpreadNode):
                name = sel.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in seen:
                    continue
                target = self.schema.get_type(fragment.type_condition.name.value)
                self.walk(
                    fragment.selection_set, target, multiplier, path, seen | {name}
                )

    def _field(
        self,
        node: FieldNode,
        parent: Any,
        multiplier: int,
        path: list[str],
        seen: frozenset[str],
    ) -> None:
        name = node.name.value
        fields = getattr(parent, "fields", None)
        if name.startswith("__") or not fields or name not in fields:
            return
        field_def = fields[name]
        named = get_named_type(field_def.type)
        here = [*path, node.alias.value if node.alias else name]
        child_multiplier = multiplier
        if named.name.endswith("Connection"):
            args = get_argument_values(field_def, node, dict(self.variables))
            size = self._page_size(name, args, node, here)
            self.requests += multiplier
            child_multiplier = multiplier * size
            self.nodes += child_multiplier
        self.walk(node.selection_set, named, child_multiplier, here, seen)

    def _page_size(
        self, name: str, args: Mapping[str, Any], node: FieldNode, path: list[str]
    ) -> int:
        first, last = args.get("first"), args.get("last")
        if first is None and last is None:
            self.errors.append(
                _error(
                    "You must provide a `first` or `last` value to properly paginate "
                    f"the `{name}` connection.",
                    "MISSING_PAGINATION_BOUNDARIES",
                    nodes=[node],
                    path=path,
                )
            )
            return 0
        for arg, value in (("first", first), ("last", last)):
            if value is None:
                continue
            if value > MAX_PAGE_SIZE:
                self.errors.append(
                    _error(
                        f"Requesting {value} records on the `{name}` connection "
                        f"exceeds the `{arg}` limit of {MAX_PAGE_SIZE} records.",
                        "EXCESSIVE_PAGINATION",
                        nodes=[node],
                        path=[*path, arg],
                    )
                )
            elif value < 0:
                self.errors.append(
                    _error(
                        f"`{arg}` on the `{name}` connection cannot be less than zero.",
                        "INVALID_PAGINATION",
                        nodes=[node],
                        path=[*path, arg],
                    )
                )
        return max(0, min(int(first if first is not None else last), MAX_PAGE_SIZE))


def github_cost(requests: int, minimum: int = 1) -> int:
    """GitHub's point cost: connection requests / 100, rounded, at least ``minimum``."""
    return max(minimum, math.floor(requests / 100 + 0.5))


# --------------------------------------------------------------------------- API


def _fail(message: str, status: int = 200, **extra: str) -> GraphQLRequestError:
    return GraphQLRequestError([{**extra, "message": message}], status)


def _variables(raw: Any) -> dict[str, Any]:
    """Variables as an object; GitHub also accepts them as a JSON string."""
    if raw is None or raw == "":
        return {}
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError:
            raise _fail("Variables are invalid JSON.", status=400) from None
    if not isinstance(raw, dict):
        raise _fail("Variables are invalid JSON.", status=400)
    return raw


class GraphQLApi:
    """Plans and runs GraphQL queries against a snapshot."""

    def __init__(self, snapshot: Snapshot, *, min_cost: int = 1) -> None:
        self.snapshot = snapshot
        self.min_cost = min_cost
        self._commit_indexes: dict[str, dict[str, JSON]] = {}
        self._documents: dict[str, DocumentNode] = {}

    @cached_property
    def schema(self) -> GraphQLSchema:
        return load_schema()

    def commit_index(self, repo: RepoRecord) -> dict[str, JSON]:
        """Every commit of a repository's pull requests, by SHA (built on first use)."""
        key = repo.full_name.lower()
        index = self._commit_indexes.get(key)
        if index is None:
            index = {
                str(c["sha"]): c for pull in repo.pulls.values() for c in pull.commits
            }
            self._commit_indexes[key] = index
        return index

    def plan(self, payload: Any) -> QueryPlan:
        """Parse, validate and price a request body (GraphQLRequestError if invalid)."""
        if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
            raise _fail("A query attribute must be specified and must be a string.")
        variables = _variables(payload.get("variables"))
        operation_name = payload.get("operationName") or None
        document = self._document(payload["query"])
        operation = get_operation_ast(document, operation_name)
        if operation is None:
            raise _fail(
                f"No operation named '{operation_name}'"
                if operation_name
                else "An operation name is required"
            )
        if operation.operation is not OperationType.QUERY:
            raise _fail(f"Schema is not configured for {operation.operation.value}s")
        coerced = get_variable_values(
            self.schema, operation.variable_definitions or (), variables
        )
        if isinstance(coerced, list):
            raise GraphQLRequestError([format_error(e) for e in coerced])
        walk = self._analyze(document, operation, coerced)
        if walk.errors:
            raise GraphQLRequestError([format_error(e) for e in walk.errors])
        if walk.nodes > MAX_NODE_LIMIT:
            raise _fail(
                f"This query requests up to {walk.nodes:,} possible nodes which "
                f"exceeds the maximum limit of {MAX_NODE_LIMIT:,}.",
                type="MAX_NODE_LIMIT_EXCEEDED",
            )
        return QueryPlan(
            document=document,
            operation_name=operation_name,
            variables=variables,
            cost=github_cost(walk.requests, self.min_cost),
            node_count=walk.nodes,
        )

    def _document(self, query: str) -> DocumentNode:
        """Parse and validate; valid documents are kept, as clients resend a few."""
        document = self._documents.get(query)
        if document is not None:
            return document
        try:
            document = parse(query)
        except GraphQLError as exc:
            raise GraphQLRequestError([format_error(exc)]) from None
        errors = validate(self.schema, document)
        if errors:
            raise GraphQLRequestError([format_error(e) for e in errors])
        if len(self._documents) >= DOCUMENT_CACHE_SIZE:
            self._documents.pop(next(iter(self._documents)))
        self._documents[query] = document
        return document

    def _analyze(
        self,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: Mapping[str, Any],
    ) -> _CostWalk:
        fragments = {
            d.name.value: d
            for d in document.definitions
            if isinstance(d, FragmentDefinitionNode)
        }
        walk = _CostWalk(self.schema, fragments, variables)
        walk.walk(operation.selection_set, self.schema.query_type, 1, [])
        return walk

    def execute(self, plan: QueryPlan, rate: RateLimitInfo | None) -> dict[str, Any]:
        """Run a planned query; the result is the JSON body GitHub would send."""
        result = execute(
            self.schema,
            plan.document,
            context_value=ExecutionContext(api=self, rate=rate),
            variable_values=plan.variables,
            operation_name=plan.operation_name,
        )
        if not isinstance(result, ExecutionResult):  # pragma: no cover
            raise RuntimeError("resolvers must be synchronous")
        body: dict[str, Any] = {"data": result.data}
        if result.errors:
            body["errors"] = [format_error(e) for e in result.errors]
        return body

    def run(self, payload: Any, rate: RateLimitInfo | None = None) -> dict[str, Any]:
        """Plan and execute in one step (tests, scripts); errors become the body."""
        try:
            plan = self.plan(payload)
        except GraphQLRequestError as exc:
            return exc.payload()
        return self.execute(plan, rate)
