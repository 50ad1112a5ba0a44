"""A local GitHub-compatible API server (REST + GraphQL) over a snapshot folder.

It stands in for api.github.com in the offline run, in tests, in benchmarks and in
fault-injection soaks, so it reproduces the parts of GitHub's behaviour a client must
cope with: Link-header pagination, per-resource rate limits with their headers, ETag /
304, renamed (301) and unavailable (404/410/451) repositories, the 406 for oversized
diffs, and on demand the failures of a real network (429, secondary limits, 5xx, slow
responses, timeouts, dropped connections, truncated or invalid bodies).

It only ever binds to loopback addresses.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import itertools
import json
import logging
import math
import random
import re
import sys
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from prreview.github.graphql_api import GraphQLApi, GraphQLRequestError, RateLimitInfo
from prreview.github.snapshot import (
    JSON,
    LookupKind,
    PullRecord,
    RepoRecord,
    Snapshot,
    SnapshotError,
    load_snapshot,
)
from prreview.serving import (
    ServerThread,
    serve_until_signalled,
    start_site,
)

logger = logging.getLogger(__name__)

GITHUB_API = "https://api.github.com"
DOCS = "https://docs.github.com/rest"
RATE_DOCS = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
DEFAULT_PER_PAGE = 30
MAX_PER_PAGE = 100
SEARCH_RESULT_LIMIT = 1000
MAX_FILES = 3000
MAX_COMMITS = 250

# Keys GitHub leaves out of pull requests in list responses (present on GET /pulls/{n}).
_PULL_DETAIL_ONLY = frozenset(
    {
        "merged",
        "mergeable",
        "rebaseable",
        "mergeable_state",
        "merged_by",
        "comments",
        "review_comments",
        "maintainer_can_modify",
        "commits",
        "additions",
        "deletions",
        "changed_files",
    }
)
_DIFF_MEDIA_TYPES = ("application/vnd.github.diff", "application/vnd.github.v3.diff")
_INTERNAL_PREFIX = "/_"

# Per-request values the middleware shares with handlers (same task, same context).
_IDENTITY: ContextVar[Identity | None] = ContextVar("github_identity", default=None)
_CHARGED: ContextVar[Bucket | None] = ContextVar("github_charged", default=None)


# --------------------------------------------------------------------------- config


class FaultKind(StrEnum):
    """Failures the server can inject, one per request at most."""

    RATE_LIMIT_429 = "rate_limit_429"
    SECONDARY_RATE_LIMIT_403 = "secondary_rate_limit_403"
    PRIMARY_RATE_LIMIT_403 = "primary_rate_limit_403"
    SERVER_ERROR_500 = "server_error_500"
    BAD_GATEWAY_502 = "bad_gateway_502"
    UNAVAILABLE_503 = "unavailable_503"
    SLOW = "slow"
    TIMEOUT = "timeout"
    DROP_CONNECTION = "drop_connection"
    TRUNCATED_BODY = "truncated_body"
    INVALID_JSON = "invalid_json"


def _kind(value: FaultKind | str) -> FaultKind:
    try:
        return FaultKind(value)
    except ValueError:
        known = ", ".join(k.value for k in FaultKind)
        raise ValueError(f"unknown fault kind {value!r} (known: {known})") from None


@dataclass(frozen=True)
class FaultConfig:
    """Which failures to inject and when.

    ``rates`` gives each kind a probability per request (drawn from a generator seeded
    with ``seed``, so a soak is reproducible). For tests, ``schedule`` maps the 1-based
    index of an eligible request to a kind and ``every`` injects a kind on every Nth
    eligible request; both take precedence over ``rates``. ``endpoints`` limits
    injection to some endpoint kinds (see :data:`ENDPOINT_KINDS`); ``max_faults`` caps
    the total.
    """

    rates: Mapping[FaultKind | str, float] = field(default_factory=dict)
    seed: int = 0
    schedule: Mapping[int, FaultKind | str] = field(default_factory=dict)
    every: Mapping[FaultKind | str, int] = field(default_factory=dict)
    endpoints: frozenset[str] | None = None
    max_faults: int | None = None
    retry_after_s: float = 1.0
    slow_delay_s: float = 0.5
    timeout_hold_s: float = 120.0

    def __post_init__(self) -> None:
        rates = {_kind(k): float(v) for k, v in self.rates.items()}
        for kind, rate in rates.items():
            if not 0.0 <= rate <= 1.0:
                raise ValueError(f"fault rate for {kind} must be in [0, 1], got {rate}")
        if sum(rates.values()) > 1.0 + 1e-9:
            raise ValueError("fault rates must add up to at most 1")
        every = {_kind(k): int(v) for k, v in self.every.items()}
        if any(n < 1 for n in every.values()):
            raise ValueError("'every' intervals must be >= 1")
        schedule = {int(i): _kind(k) for i, k in self.schedule.items()}
        object.__setattr__(self, "rates", rates)
        object.__setattr__(self, "every", every)
        object.__setattr__(self, "schedule", schedule)
        if self.endpoints is not None:
            object.__setattr__(self, "endpoints", frozenset(self.endpoints))
            unknown = set(self.endpoints) - set(ENDPOINT_KINDS)
            if unknown:
                raise ValueError(f"unknown endpoint kinds {sorted(unknown)}")

    @classmethod
    def uniform(
        cls,
        rate: float,
        *,
        kinds: Iterable[FaultKind | str] | None = None,
        seed: int = 0,
        **kwargs: Any,
    ) -> FaultConfig:
        """Spread a total fault ``rate`` evenly over ``kinds`` (default: all)."""
        chosen = [_kind(k) for k in (kinds if kinds is not None else FaultKind)]
        if not chosen:
            return cls(seed=seed, **kwargs)
        return cls(rates={k: rate / len(chosen) for k in chosen}, seed=seed, **kwargs)

    @property
    def enabled(self) -> bool:
        return bool(self.schedule or self.every or any(self.rates.values()))


@dataclass(frozen=True)
class ServerConfig:
    """Everything the server needs; defaults are GitHub's (quotas, windows, limits).

    ``snapshot`` is a folder or an already loaded :class:`Snapshot`. Port 0 picks a free
    port. Quotas are per client identity (token, or anonymous) and resource; windows are
    in seconds so tests can use short ones. ``graphql_fixed_cost`` charges a fixed
    number of points per query instead of GitHub's formula (never less than
    ``graphql_min_cost``).
    """

    snapshot: str | Path | Snapshot
    host: str = "127.0.0.1"
    port: int = 0
    expected_token: str | None = None
    core_limit: int = 5000
    core_limit_unauthenticated: int = 60
    core_window_s: float = 3600.0
    search_limit: int = 30
    search_limit_unauthenticated: int = 10
    search_window_s: float = 60.0
    graphql_limit: int = 5000
    # GitHub has no anonymous GraphQL; this applies with graphql_requires_auth=False.
    graphql_limit_unauthenticated: int = 1000
    graphql_window_s: float = 3600.0
    graphql_min_cost: int = 1
    graphql_fixed_cost: int | None = None
    graphql_requires_auth: bool = True
    # GitHub answers an exhausted GraphQL quota with 200 and a RATE_LIMITED error.
    graphql_rate_limited_status: int = 200
    rate_limited_status: int = 403
    max_diff_lines: int = 20_000
    max_diff_files: int = 300
    latency_s: float = 0.0
    latency_jitter_s: float = 0.0
    latency_seed: int = 0
    faults: FaultConfig = field(default_factory=FaultConfig)  # a dict works too
    rewrite_urls: bool = True
    shutdown_timeout_s: float = 1.0

    def __post_init__(self) -> None:
        if isinstance(self.faults, Mapping):  # from YAML (a Kedro catalog's options)
            object.__setattr__(self, "faults", FaultConfig(**self.faults))
        if self.rate_limited_status not in (403, 429):
            raise ValueError("rate_limited_status must be 403 or 429")
        if self.graphql_rate_limited_status not in (200, 403, 429):
            raise ValueError("graphql_rate_limited_status must be 200, 403 or 429")
        if min(self.core_window_s, self.search_window_s, self.graphql_window_s) <= 0:
            raise ValueError("rate-limit windows must be positive")
        if self.latency_s < 0 or self.latency_jitter_s < 0:
            raise ValueError("latency must not be negative")


# Endpoint kinds, used for stats, fault targeting and rate-limit resources.
ENDPOINT_KINDS: dict[str, str] = {
    "search_repositories": "search",
    "repository": "core",
    "pulls": "core",
    "pull": "core",
    "pull_diff": "core",
    "pull_comments": "core",
    "pull_files": "core",
    "pull_commits": "core",
    "issue": "core",
    "issue_comments": "core",
    "graphql": "graphql",
    "rate_limit": "core",
    "unknown": "core",
}


# --------------------------------------------------------------------------- stats


class ServerStats:
    """Counters of requests, responses and injected faults; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: Counter[str] = Counter()
        self._faults: Counter[str] = Counter()
        self._statuses: Counter[int] = Counter()
        self._rate_limited: Counter[str] = Counter()
        self._not_modified = 0
        self._graphql_points = 0

    def record_request(self, kind: str) -> None:
        with self._lock:
            self._requests[kind] += 1

    def record_fault(self, kind: FaultKind) -> None:
        with self._lock:
            self._faults[kind.value] += 1

    def record_status(self, status: int) -> None:
        with self._lock:
            self._statuses[status] += 1
            if status == 304:
                self._not_modified += 1

    def record_rate_limited(self, resource: str) -> None:
        with self._lock:
            self._rate_limited[resource] += 1

    def record_graphql_points(self, points: int) -> None:
        with self._lock:
            self._graphql_points += points

    @property
    def requests(self) -> dict[str, int]:
        with self._lock:
            return dict(self._requests)

    @property
    def faults(self) -> dict[str, int]:
        with self._lock:
            return dict(self._faults)

    @property
    def statuses(self) -> dict[int, int]:
        with self._lock:
            return dict(self._statuses)

    @property
    def total_requests(self) -> int:
        with self._lock:
            return sum(self._requests.values())

    @property
    def total_faults(self) -> int:
        with self._lock:
            return sum(self._faults.values())

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready copy (what GET /_stats returns)."""
        with self._lock:
            return {
                "requests_total": sum(self._requests.values()),
                "requests": dict(sorted(self._requests.items())),
                "faults_total": sum(self._faults.values()),
                "faults": dict(sorted(self._faults.items())),
                "statuses": {str(k): v for k, v in sorted(self._statuses.items())},
                "not_modified": self._not_modified,
                "rate_limited": dict(sorted(self._rate_limited.items())),
                "graphql_points": self._graphql_points,
            }

    def reset(self) -> None:
        with self._lock:
            self._requests.clear()
            self._faults.clear()
            self._statuses.clear()
            self._rate_limited.clear()
            self._not_modified = 0
            self._graphql_points = 0


# ------------------------------------------------------------------------ rate limits


@dataclass(frozen=True)
class Identity:
    """Who is calling: a token (hashed) or an anonymous client."""

    key: str
    authenticated: bool
    user_id: int
    remote: str


@dataclass
class Bucket:
    """One quota window of one identity and resource."""

    limit: int
    used: int
    reset_at: float
    resource: str

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)

    @property
    def reset_epoch(self) -> int:
        return math.ceil(self.reset_at)

    def headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Used": str(self.used),
            "X-RateLimit-Reset": str(self.reset_epoch),
            "X-RateLimit-Resource": self.resource,
        }


class RateLimiter:
    """Fixed windows per identity and resource, started by the first request, as on
    GitHub: the quota resets ``window`` seconds after the window opened."""

    def __init__(self, config: ServerConfig, clock: Callable[[], float] = time.time):
        self._config = config
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[tuple[str, str], Bucket] = {}

    def _limits(self, resource: str, authenticated: bool) -> tuple[int, float]:
        c = self._config
        if resource == "search":
            limit = c.search_limit if authenticated else c.search_limit_unauthenticated
            return limit, c.search_window_s
        if resource == "graphql":
            limit = (
                c.graphql_limit if authenticated else c.graphql_limit_unauthenticated
            )
            return limit, c.graphql_window_s
        limit = c.core_limit if authenticated else c.core_limit_unauthenticated
        return limit, c.core_window_s

    def bucket(self, identity: Identity, resource: str) -> Bucket:
        """The current window (a copy), opening a new one when the last has expired."""
        with self._lock:
            return Bucket(**vars(self._current(identity, resource)))

    def _current(self, identity: Identity, resource: str) -> Bucket:
        now = self._clock()
        key = (identity.key, resource)
        bucket = self._buckets.get(key)
        if bucket is None or now >= bucket.reset_at:
            limit, window = self._limits(resource, identity.authenticated)
            bucket = Bucket(
                limit=limit, used=0, reset_at=now + window, resource=resource
            )
            self._buckets[key] = bucket
        return bucket

    def charge(
        self, identity: Identity, resource: str, cost: int
    ) -> tuple[bool, Bucket]:
        """Take ``cost`` from the quota if it is there; the bucket after the attempt."""
        with self._lock:
            bucket = self._current(identity, resource)
            ok = bucket.remaining >= cost and bucket.remaining > 0
            if ok:
                bucket.used += cost
            return ok, Bucket(**vars(bucket))

    def reset(self) -> None:
        with self._lock:
            self._buckets.clear()


# --------------------------------------------------------------------------- faults


class FaultInjector:
    """Decides which fault, if any, hits each eligible request (deterministically)."""

    def __init__(self, config: FaultConfig) -> None:
        self.config = config
        self._rng = random.Random(config.seed)
        self._count = 0
        self._injected = 0
        self._lock = threading.Lock()

    def pick(self, endpoint: str) -> FaultKind | None:
        cfg = self.config
        if not cfg.enabled:
            return None
        if cfg.endpoints is not None and endpoint not in cfg.endpoints:
            return None
        with self._lock:
            self._count += 1
            if cfg.max_faults is not None and self._injected >= cfg.max_faults:
                return None
            fault = self._choose(self._count)
            if fault is not None:
                self._injected += 1
            return fault

    def _choose(self, n: int) -> FaultKind | None:
        cfg = self.config
        if n in cfg.schedule:
            return FaultKind(cfg.schedule[n])
        for kind in FaultKind:
            interval = cfg.every.get(kind)
            if interval and n % interval == 0:
                return kind
        if not cfg.rates:
            return None
        draw = self._rng.random()
        acc = 0.0
        for kind in FaultKind:
            acc += float(cfg.rates.get(kind, 0.0))
            if draw < acc:
                return kind
        return None


# --------------------------------------------------------------------------- helpers


class ApiError(Exception):
    """An error answer, raised from deep inside a handler."""

    def __init__(
        self, status: int, body: JSON, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(f"{status} {body.get('message', '')}")
        self.status = status
        self.body = body
        self.headers = dict(headers or {})


def _not_found(doc: str = DOCS) -> ApiError:
    return ApiError(
        404, {"message": "Not Found", "documentation_url": doc, "status": "404"}
    )


def _int_param(request: web.Request, name: str, default: int) -> int:
    try:
        return int(request.query.get(name, default))
    except ValueError:
        return default


def _per_page(request: web.Request) -> int:
    """GitHub's per_page: 30 when absent or not positive, at most 100."""
    per_page = _int_param(request, "per_page", DEFAULT_PER_PAGE)
    return DEFAULT_PER_PAGE if per_page <= 0 else min(per_page, MAX_PER_PAGE)


@dataclass(frozen=True)
class Page:
    """One page of a list, with its Link header."""

    items: list[Any]
    link: str | None


def paginate(
    request: web.Request, base_url: str, items: Sequence[Any], cap: int | None = None
) -> Page:
    """GitHub's page/per_page pagination with rel=prev/next/last/first Link header."""
    per_page = _per_page(request)
    page = max(1, _int_param(request, "page", 1))
    total = len(items) if cap is None else min(len(items), cap)
    last = max(1, math.ceil(total / per_page))
    start = (page - 1) * per_page
    chunk = list(items[start : min(start + per_page, total)])

    def url(n: int) -> str:
        params = [(k, v) for k, v in request.query.items() if k != "page"]
        params.append(("page", str(n)))
        return f"{base_url}{request.path}?{urlencode(params)}"

    rels: list[tuple[str, int]] = []
    if page > 1:
        rels.append(("prev", min(page - 1, last)))
    if page < last:
        rels.append(("next", page + 1))
        rels.append(("last", last))
    if page > 1:
        rels.append(("first", 1))
    link = ", ".join(f'<{url(n)}>; rel="{rel}"' for rel, n in rels) or None
    return Page(chunk, link)


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest() + '"'


def _etag_matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    if header.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(t.strip().removeprefix("W/") == wanted for t in header.split(","))


def _wants_diff(request: web.Request) -> bool:
    accept = request.headers.get("Accept", "").lower()
    return any(
        part.split(";")[0].strip() in _DIFF_MEDIA_TYPES for part in accept.split(",")
    )


_TOKEN_RE = re.compile(r"""(-?)(\w+):("[^"]*"|\S+)|"([^"]*)"|(\S+)""")


@dataclass(frozen=True)
class SearchQuery:
    """A parsed repository search: qualifiers and free-text words."""

    qualifiers: tuple[tuple[str, str, bool], ...]
    words: tuple[tuple[str, bool], ...]

    @classmethod
    def parse(cls, q: str) -> SearchQuery:
        qualifiers: list[tuple[str, str, bool]] = []
        words: list[tuple[str, bool]] = []
        for m in _TOKEN_RE.finditer(q):
            neg, key, value, quoted, word = m.groups()
            if key is not None:
                qualifiers.append((key.lower(), value.strip('"'), neg == "-"))
            elif quoted is not None:
                words.append((quoted.lower(), False))
            elif word and word.upper() not in ("AND", "OR", "NOT"):
                negated = word.startswith("-") and len(word) > 1
                words.append(
                    (word.lstrip("-").lower() if negated else word.lower(), negated)
                )
        return cls(tuple(qualifiers), tuple(words))


def _compare(actual: Any, expr: str, numeric: bool) -> bool:
    """GitHub's range syntax: >N, >=N, <N, <=N, N..M, N..*, *..M and N."""
    if actual is None:
        return False

    def conv(text: str) -> Any:
        return float(text) if numeric else text

    value: Any = float(actual) if numeric else str(actual)

    def cut(v: Any, bound: str) -> Any:
        # Dates compare at the precision given: "2026-01-01" against a day.
        return v if numeric else v[: len(bound)]

    try:
        if ".." in expr:
            low, high = expr.split("..", 1)
            return (low == "*" or cut(value, low) >= conv(low)) and (
                high == "*" or cut(value, high) <= conv(high)
            )
        for op in (">=", "<=", ">", "<"):
            if expr.startswith(op):
                bound = expr[len(op) :]
                v, b = cut(value, bound), conv(bound)
                return {">=": v >= b, "<=": v <= b, ">": v > b, "<": v < b}[op]
        return cut(value, expr) == conv(expr)
    except ValueError:
        return False


def _matches_qualifier(repo: JSON, key: str, value: str) -> bool | None:
    """Whether ``repo`` satisfies ``key:value``; None when the qualifier is unknown."""
    v = value.lower()
    license_info = repo.get("license") or {}
    checks: dict[str, Callable[[], bool]] = {
        "language": lambda: str(repo.get("language") or "").lower() == v,
        "stars": lambda: _compare(repo.get("stargazers_count"), value, True),
        "forks": lambda: _compare(repo.get("forks_count"), value, True),
        "size": lambda: _compare(repo.get("size"), value, True),
        "topics": lambda: _compare(len(repo.get("topics") or []), value, True),
        "pushed": lambda: _compare(repo.get("pushed_at"), value, False),
        "created": lambda: _compare(repo.get("created_at"), value, False),
        "updated": lambda: _compare(repo.get("updated_at"), value, False),
        "license": lambda: (
            v
            in {
                str(license_info.get("key") or "").lower(),
                str(license_info.get("spdx_id") or "").lower(),
            }
        ),
        "archived": lambda: bool(repo.get("archived")) == (v == "true"),
        "topic": lambda: v in {str(t).lower() for t in repo.get("topics") or []},
        "user": lambda: str((repo.get("owner") or {}).get("login", "")).lower() == v,
        "org": lambda: str((repo.get("owner") or {}).get("login", "")).lower() == v,
        "repo": lambda: str(repo.get("full_name", "")).lower() == v,
        "is": lambda: {
            "public": not repo.get("private"),
            "private": bool(repo.get("private")),
            "archived": bool(repo.get("archived")),
            "fork": bool(repo.get("fork")),
        }.get(v, False),
    }
    check = checks.get(key)
    return None if check is None else check()


def _text_fields(repo: JSON, where: set[str]) -> list[str]:
    fields: list[str] = []
    if "name" in where:
        fields.append(str(repo.get("name") or "").lower())
    if "description" in where:
        fields.append(str(repo.get("description") or "").lower())
    if "topics" in where:
        fields.extend(str(t).lower() for t in repo.get("topics") or [])
    return fields


def search_repositories(repos: Iterable[JSON], q: str) -> list[JSON]:
    """Repositories matching a GitHub search string (before sorting)."""
    query = SearchQuery.parse(q)
    fork_mode = "false"
    where = {"name", "description", "topics"}
    qualifiers: list[tuple[str, str, bool]] = []
    words = list(query.words)
    for key, value, negated in query.qualifiers:
        if key == "fork":
            fork_mode = value.lower()
        elif key == "in":
            where = {p.strip().lower() for p in value.split(",")} or where
        elif key in ("sort", "order"):
            continue
        else:
            qualifiers.append((key, value, negated))
    out: list[JSON] = []
    for repo in repos:
        is_fork = bool(repo.get("fork"))
        if (fork_mode == "false" and is_fork) or (fork_mode == "only" and not is_fork):
            continue
        ok = True
        for key, value, negated in qualifiers:
            result = _matches_qualifier(repo, key, value)
            if result is None:  # unknown qualifiers are plain text on GitHub
                words.append((f"{key}:{value}".lower(), negated))
                continue
            if result == negated:
                ok = False
                break
        if not ok:
            continue
        fields = _text_fields(repo, where)
        if all(any(w in f for f in fields) != neg for w, neg in words):
            out.append(repo)
    return out


def _issue_view_of_pull(record: PullRecord) -> JSON:
    """GET /issues/{n} on a pull request number answers the PR as an issue."""
    pull = record.pull
    issue = {
        k: pull.get(k)
        for k in (
            "id",
            "node_id",
            "number",
            "title",
            "body",
            "state",
            "locked",
            "user",
            "labels",
            "created_at",
            "updated_at",
            "closed_at",
            "author_association",
            "draft",
        )
        if k in pull
    }
    issue["comments"] = len(record.issue_comments)
    url = str(pull.get("url") or "")
    issue["pull_request"] = {
        "url": url,
        "html_url": pull.get("html_url"),
        "diff_url": pull.get("diff_url"),
        "patch_url": pull.get("patch_url"),
        "merged_at": pull.get("merged_at"),
    }
    if url:
        issue["url"] = url.replace("/pulls/", "/issues/")
    return issue


# --------------------------------------------------------------------------- the app


_STATE_KEY = web.AppKey("github_server_state", object)


@dataclass
class ServerState:
    """What the handlers share: snapshot, APIs, counters and the bound address."""

    config: ServerConfig
    snapshot: Snapshot
    graphql: GraphQLApi
    stats: ServerStats
    limiter: RateLimiter
    faults: FaultInjector
    closing: asyncio.Event
    base_url: str = ""
    latency_rng: random.Random = field(default_factory=random.Random)
    request_ids: itertools.count[int] = field(
        default_factory=lambda: itertools.count(1)
    )

    def json_body(self, data: Any) -> bytes:
        text = json.dumps(data, ensure_ascii=False)
        if self.config.rewrite_urls and self.base_url:
            text = text.replace(f'"{GITHUB_API}/', f'"{self.base_url}/')
            text = text.replace(f'"{GITHUB_API}"', f'"{self.base_url}"')
        return text.encode()

    def json_response(
        self,
        data: Any,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
    ) -> web.Response:
        response = web.Response(
            body=self.json_body(data),
            status=status,
            content_type="application/json",
            charset="utf-8",
        )
        response.headers.update(headers or {})
        return response

    def error_response(self, error: ApiError) -> web.Response:
        return self.json_response(error.body, error.status, error.headers)


def _state(request: web.Request) -> ServerState:
    state = request.app[_STATE_KEY]
    assert isinstance(state, ServerState)
    return state


def _current_identity() -> Identity:
    identity = _IDENTITY.get()
    if identity is None:  # pragma: no cover - handlers only run behind the middleware
        raise RuntimeError("no identity: handler called outside the middleware")
    return identity


def _endpoint_kind(request: web.Request) -> str:
    route = request.match_info.route
    name = getattr(route, "name", None) or "unknown"
    if name == "pull" and _wants_diff(request):
        return "pull_diff"
    return name if name in ENDPOINT_KINDS else "unknown"


def _anonymous(request: web.Request) -> Identity:
    remote = request.remote or "127.0.0.1"
    return Identity(key=f"anon:{remote}", authenticated=False, user_id=0, remote=remote)


def _identity(request: web.Request, config: ServerConfig) -> Identity | ApiError:
    """Who calls, from the Authorization header; an ApiError (401) for a bad one."""
    header = request.headers.get("Authorization", "").strip()
    if not header:
        return _anonymous(request)
    remote = request.remote or "127.0.0.1"
    scheme, _, token = header.partition(" ")
    token = token.strip()
    bad = ApiError(
        401, {"message": "Bad credentials", "documentation_url": DOCS, "status": "401"}
    )
    if scheme.lower() not in ("bearer", "token") or not token:
        return bad
    if config.expected_token is not None and token != config.expected_token:
        return bad
    digest = hashlib.sha256(token.encode()).hexdigest()
    return Identity(
        key=f"token:{digest[:16]}",
        authenticated=True,
        user_id=int(digest[:6], 16) + 1,
        remote=remote,
    )


def _rate_limited(
    state: ServerState, identity: Identity, bucket: Bucket, resource: str
) -> web.Response:
    state.stats.record_rate_limited(resource)
    who = f"user ID {identity.user_id}" if identity.authenticated else identity.remote
    headers = {**bucket.headers(), "X-RateLimit-Remaining": "0"}
    if resource == "graphql":
        body: JSON = {
            "errors": [
                {
                    "type": "RATE_LIMITED",
                    "code": "graphql_rate_limit",
                    "message": f"API rate limit exceeded for {who}.",
                }
            ]
        }
        status = state.config.graphql_rate_limited_status
    else:
        message = f"API rate limit exceeded for {who}."
        if not identity.authenticated:
            message += (
                " (But here's the good news: Authenticated requests get a higher rate "
                "limit. Check out the documentation for more details.)"
            )
        body = {"message": message, "documentation_url": RATE_DOCS}
        status = state.config.rate_limited_status
    return state.json_response(body, status, headers)


_SECONDARY_MESSAGE = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you "
    "try again. If you reach out to GitHub Support for help, please include the "
    "request ID {request_id}."
)


async def _hold(state: ServerState, seconds: float) -> None:
    """Sleep, but wake up at once when the server shuts down."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(state.closing.wait(), timeout=seconds)


class _Dropped(web.Response):
    """Stands for an answer that never went out: the connection was closed."""


def _drop(request: web.Request) -> web.Response:
    """Close the connection without an answer (the response object is never sent)."""
    transport = request.transport
    if transport is not None:
        transport.abort()
    return _Dropped(status=204)


@dataclass(frozen=True)
class _Call:
    """One API request on its way through the middleware."""

    state: ServerState
    request: web.Request
    kind: str
    resource: str
    request_id: str
    identity: Identity

    @property
    def bucket(self) -> Bucket:
        return self.state.limiter.bucket(self.identity, self.resource)


def _secondary_limit(call: _Call, status: int) -> web.Response:
    body = {
        "message": _SECONDARY_MESSAGE.format(request_id=call.request_id),
        "documentation_url": f"{RATE_DOCS}#about-secondary-rate-limits",
    }
    headers = {**call.bucket.headers(), "Retry-After": _retry_after(call)}
    return call.state.json_response(body, status, headers)


def _primary_limit(call: _Call) -> web.Response:
    bucket = call.bucket
    exhausted = Bucket(
        limit=bucket.limit,
        used=bucket.limit,
        reset_at=time.time() + call.state.config.faults.retry_after_s,
        resource=call.resource,
    )
    response = _rate_limited(call.state, call.identity, exhausted, call.resource)
    response.set_status(call.state.config.rate_limited_status)
    return response


def _retry_after(call: _Call) -> str:
    return str(max(0, math.ceil(call.state.config.faults.retry_after_s)))


def _immediate_fault(call: _Call, fault: FaultKind) -> web.Response | None:
    """Faults that replace the answer; None for those that act on the real one."""
    state = call.state
    builders: dict[FaultKind, Callable[[], web.Response]] = {
        FaultKind.RATE_LIMIT_429: lambda: _secondary_limit(call, 429),
        FaultKind.SECONDARY_RATE_LIMIT_403: lambda: _secondary_limit(call, 403),
        FaultKind.PRIMARY_RATE_LIMIT_403: lambda: _primary_limit(call),
        FaultKind.SERVER_ERROR_500: lambda: state.json_response(
            {"message": "Server Error"}, 500, call.bucket.headers()
        ),
        FaultKind.BAD_GATEWAY_502: lambda: web.Response(
            status=502,
            text="<html><body><h1>502 Bad Gateway</h1></body></html>",
            content_type="text/html",
        ),
        FaultKind.UNAVAILABLE_503: lambda: state.json_response(
            {"message": "Service Unavailable"},
            503,
            {**call.bucket.headers(), "Retry-After": _retry_after(call)},
        ),
        FaultKind.DROP_CONNECTION: lambda: _drop(call.request),
    }
    builder = builders.get(fault)
    return builder() if builder is not None else None


async def _early_fault(call: _Call, fault: FaultKind) -> web.StreamResponse | None:
    """Apply a fault that happens before the handler; None lets the request go on."""
    cfg = call.state.config.faults
    if fault is FaultKind.SLOW:
        await _hold(call.state, cfg.slow_delay_s)
        return None
    if fault is FaultKind.TIMEOUT:
        await _hold(call.state, cfg.timeout_hold_s)
        return _drop(call.request)
    return _immediate_fault(call, fault)


_LATE_FAULTS = frozenset({FaultKind.TRUNCATED_BODY, FaultKind.INVALID_JSON})


async def _send_truncated(
    request: web.Request, response: web.Response
) -> web.StreamResponse:
    """Announce the full Content-Length, send half the bytes, then hang up."""
    body = _body_bytes(response)
    stream = web.StreamResponse(status=response.status, headers=response.headers)
    stream.content_length = len(body)
    await stream.prepare(request)
    await stream.write(body[: len(body) // 2])
    transport = request.transport
    if transport is not None:
        transport.close()
    return stream


def _body_bytes(response: web.Response) -> bytes:
    body = response.body
    return bytes(body) if isinstance(body, bytes | bytearray | memoryview) else b""


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def github_middleware(
    request: web.Request, handler: Handler
) -> web.StreamResponse:
    """Latency, auth, faults, rate limits, ETags and errors around every API handler."""
    if request.path.startswith(_INTERNAL_PREFIX):
        return await handler(request)
    state = _state(request)
    config = state.config
    kind = _endpoint_kind(request)
    state.stats.record_request(kind)
    request_id = f"{next(state.request_ids):08X}:LOCAL"

    if config.latency_s or config.latency_jitter_s:
        delay = config.latency_s + state.latency_rng.uniform(0, config.latency_jitter_s)
        await asyncio.sleep(delay)

    identity = _identity(request, config)
    if isinstance(identity, ApiError):  # rejected: show the anonymous quota, uncharged
        response: web.StreamResponse = state.error_response(identity)
        anonymous = _anonymous(request)
        response.headers.update(
            state.limiter.bucket(anonymous, ENDPOINT_KINDS[kind]).headers()
        )
    else:
        call = _Call(state, request, kind, ENDPOINT_KINDS[kind], request_id, identity)
        response = await _answer(call, handler)
    if not response.prepared:
        response.headers.setdefault("X-GitHub-Request-Id", request_id)
        response.headers.setdefault("X-GitHub-Media-Type", "github.v3; format=json")
    if not isinstance(response, _Dropped):
        state.stats.record_status(response.status)
    return response


async def _answer(call: _Call, handler: Handler) -> web.StreamResponse:
    state, request = call.state, call.request
    fault = state.faults.pick(call.kind)
    early = await _before_handler(call, fault)
    if early is not None:
        return early
    _IDENTITY.set(call.identity)
    _CHARGED.set(None)
    response = await _run_handler(state, request, handler)
    finished = _charge(call, response)
    if finished is not response or fault is None:
        return finished
    if fault is FaultKind.TRUNCATED_BODY:
        state.stats.record_fault(fault)
        return await _send_truncated(request, response)
    if fault is FaultKind.INVALID_JSON and response.content_type == "application/json":
        state.stats.record_fault(fault)
        broken = web.Response(
            body=_body_bytes(response)[: max(1, len(_body_bytes(response)) // 2)]
            + b"\x00<!-- invalid",
            status=200,
            content_type="application/json",
            charset="utf-8",
        )
        broken.headers.update(
            {k: v for k, v in response.headers.items() if k.startswith("X-RateLimit")}
        )
        return broken
    return response


async def _before_handler(
    call: _Call, fault: FaultKind | None
) -> web.StreamResponse | None:
    """GraphQL's auth requirement, early faults, an exhausted quota, in that order."""
    state = call.state
    if (
        call.resource == "graphql"
        and not call.identity.authenticated
        and state.config.graphql_requires_auth
    ):
        return state.json_response(
            {
                "message": "This endpoint requires you to be authenticated.",
                "documentation_url": "https://docs.github.com/graphql/guides/"
                "forming-calls-with-graphql#authenticating-with-graphql",
            },
            401,
            call.bucket.headers(),
        )
    if fault is not None and fault not in _LATE_FAULTS:
        state.stats.record_fault(fault)
        logger.debug("Injecting %s on %s", fault, call.request.path)
        early = await _early_fault(call, fault)
        if early is not None:
            return early
    bucket = call.bucket
    if bucket.remaining <= 0 and call.kind != "rate_limit":
        return _rate_limited(state, call.identity, bucket, call.resource)
    return None


async def _run_handler(
    state: ServerState, request: web.Request, handler: Handler
) -> web.Response:
    """The handler's answer, with errors turned into GitHub's JSON error bodies."""
    try:
        response = await handler(request)
    except ApiError as exc:
        return state.error_response(exc)
    except web.HTTPException as exc:  # unknown route or method: GitHub says 404
        status = 404 if exc.status in (404, 405) else exc.status
        message = "Not Found" if status == 404 else exc.reason
        return state.json_response(
            {"message": message, "documentation_url": DOCS, "status": str(status)},
            status,
        )
    assert isinstance(response, web.Response)
    return response


def _charge(call: _Call, response: web.Response) -> web.Response:
    """Charge the quota (not for 304s nor GET /rate_limit) and add the headers.

    Returns the response to send: ``response`` itself, a 304, or a rate-limit error.
    """
    state, request = call.state, call.request
    charged = _CHARGED.get()
    if charged is not None:  # GraphQL charges its own points
        bucket = charged
    elif call.kind == "rate_limit":
        bucket = state.limiter.bucket(call.identity, "core")
    else:
        bucket = call.bucket
        if request.method in ("GET", "HEAD") and response.status == 200:
            etag = _etag(_body_bytes(response))
            response.headers["ETag"] = etag
            if _etag_matches(request.headers.get("If-None-Match"), etag):
                not_modified = web.Response(status=304)
                not_modified.headers["ETag"] = etag
                not_modified.headers.update(bucket.headers())
                return not_modified
        ok, bucket = state.limiter.charge(call.identity, call.resource, 1)
        if not ok:
            return _rate_limited(state, call.identity, bucket, call.resource)
    for name, value in bucket.headers().items():  # a rate-limit answer keeps its own
        response.headers.setdefault(name, value)
    return response


# ----------------------------------------------------------------- REST handlers


def _repo(request: web.Request) -> RepoRecord:
    """The repository of the path, or the 301/404/410/451 GitHub would answer."""
    state = _state(request)
    owner, name = request.match_info["owner"], request.match_info["repo"]
    found = state.snapshot.lookup(f"{owner}/{name}")
    if found.kind is LookupKind.FOUND:
        assert found.repo is not None
        return found.repo
    if found.kind is LookupKind.RENAMED:
        assert found.new_full_name is not None
        prefix = f"/repos/{owner}/{name}"
        location = f"{state.base_url}/repos/{found.new_full_name}"
        location += request.path[len(prefix) :]
        if request.query_string:
            location += f"?{request.query_string}"
        raise ApiError(
            301,
            {
                "message": "Moved Permanently",
                "url": location,
                "documentation_url": f"{DOCS}/guides/"
                "best-practices-for-using-the-rest-api#follow-redirects",
            },
            {"Location": location},
        )
    if found.kind is LookupKind.UNAVAILABLE:
        raise _unavailable(state, found.status or 404)
    raise _not_found(f"{DOCS}/repos/repos#get-a-repository")


def _unavailable(state: ServerState, status: int) -> ApiError:
    if status == 451:
        return ApiError(
            451,
            {
                "message": "Repository access blocked",
                "block": {
                    "reason": "dmca",
                    "created_at": state.snapshot.snapshot_time,
                    "html_url": "https://github.com/github/dmca/blob/master/README.md",
                },
            },
        )
    if status == 403:
        return ApiError(
            403,
            {
                "message": "Repository access blocked",
                "block": {"reason": "tos", "created_at": state.snapshot.snapshot_time},
            },
        )
    if status == 410:
        return ApiError(
            410, {"message": "Gone", "documentation_url": DOCS, "status": "410"}
        )
    return _not_found()


def _number(request: web.Request) -> int:
    try:
        return int(request.match_info["number"])
    except ValueError:
        raise _not_found() from None


def _pull(request: web.Request) -> tuple[RepoRecord, PullRecord]:
    repo = _repo(request)
    record = repo.pulls.get(_number(request))
    if record is None:
        raise _not_found(f"{DOCS}/pulls/pulls#get-a-pull-request")
    return repo, record


def _page_response(
    request: web.Request, items: Sequence[Any], cap: int | None = None
) -> web.Response:
    state = _state(request)
    page = paginate(request, state.base_url, items, cap)
    headers = {"Link": page.link} if page.link else {}
    return state.json_response(page.items, headers=headers)


async def handle_search_repositories(request: web.Request) -> web.Response:
    state = _state(request)
    q = request.query.get("q", "").strip()
    if not q:
        raise ApiError(
            422,
            {
                "message": "Validation Failed",
                "errors": [{"resource": "Search", "field": "q", "code": "missing"}],
                "documentation_url": f"{DOCS}/search/search#search-repositories",
                "status": "422",
            },
        )
    if len(q) > 256:
        raise ApiError(
            422,
            {
                "message": "Validation Failed",
                "errors": [
                    {
                        "message": "The search is longer than 256 characters.",
                        "resource": "Search",
                        "field": "q",
                        "code": "invalid",
                    }
                ],
                "documentation_url": f"{DOCS}/search/search#search-repositories",
                "status": "422",
            },
        )
    repos = [r.repository for r in state.snapshot.repos.values()]
    found = search_repositories(repos, q)
    sort = request.query.get("sort", "")
    ascending = request.query.get("order", "desc").lower() == "asc"
    sort_keys: dict[str, Callable[[JSON], Any]] = {
        "stars": lambda r: int(r.get("stargazers_count") or 0),
        "forks": lambda r: int(r.get("forks_count") or 0),
        "updated": lambda r: str(r.get("updated_at") or ""),
        "help-wanted-issues": lambda r: int(r.get("open_issues_count") or 0),
    }
    found.sort(key=lambda r: str(r.get("full_name", "")).lower())
    if sort in sort_keys:
        found.sort(key=sort_keys[sort], reverse=not ascending)
    else:  # best match: an approximation that favours popular repositories
        found.sort(key=sort_keys["stars"], reverse=True)
    per_page = _per_page(request)
    page_number = max(1, _int_param(request, "page", 1))
    if (page_number - 1) * per_page >= SEARCH_RESULT_LIMIT:
        raise ApiError(
            422,
            {
                "message": "Only the first 1000 search results are available",
                "documentation_url": f"{DOCS}/search/search",
                "status": "422",
            },
        )
    page = paginate(request, state.base_url, found, SEARCH_RESULT_LIMIT)
    body = {
        "total_count": len(found),
        "incomplete_results": False,
        "items": [{**r, "score": 1.0} for r in page.items],
    }
    return state.json_response(body, headers={"Link": page.link} if page.link else {})


async def handle_repository(request: web.Request) -> web.Response:
    return _state(request).json_response(_repo(request).repository)


async def handle_pulls(request: web.Request) -> web.Response:
    repo = _repo(request)
    state_filter = request.query.get("state", "open")
    if state_filter not in ("open", "closed", "all"):
        raise ApiError(
            422,
            {
                "message": "Validation Failed",
                "errors": [
                    {"resource": "PullRequest", "field": "state", "code": "invalid"}
                ],
                "documentation_url": f"{DOCS}/pulls/pulls#list-pull-requests",
                "status": "422",
            },
        )
    base = request.query.get("base")
    pulls = [
        r.pull
        for r in repo.pulls.values()
        if state_filter in ("all", r.pull.get("state"))
        and (base is None or (r.pull.get("base") or {}).get("ref") == base)
    ]
    sort = request.query.get("sort", "created")
    direction = request.query.get(
        "direction", "desc" if sort in ("created", "") else "asc"
    )
    keys: dict[str, Callable[[JSON], Any]] = {
        "created": lambda p: (str(p.get("created_at") or ""), p["number"]),
        "updated": lambda p: (str(p.get("updated_at") or ""), p["number"]),
        "popularity": lambda p: (int(p.get("comments") or 0), p["number"]),
        "long-running": lambda p: (str(p.get("created_at") or ""), p["number"]),
    }
    pulls.sort(key=keys.get(sort, keys["created"]), reverse=direction == "desc")
    summaries = [
        {k: v for k, v in p.items() if k not in _PULL_DETAIL_ONLY} for p in pulls
    ]
    return _page_response(request, summaries)


async def handle_pull(request: web.Request) -> web.Response:
    state = _state(request)
    _, record = _pull(request)
    if not _wants_diff(request):
        return state.json_response(record.pull)
    config = state.config
    too_large: str | None = None
    if record.diff_line_count > config.max_diff_lines:
        too_large = (
            f"Sorry, the diff exceeded the maximum number of lines "
            f"({config.max_diff_lines})"
        )
    elif len(record.files) > config.max_diff_files:
        too_large = (
            f"Sorry, the diff exceeded the maximum number of files "
            f"({config.max_diff_files}). Consider using 'List pull requests files' API "
            "or locally cloning the repository instead."
        )
    if too_large is not None:
        raise ApiError(
            406,
            {
                "message": too_large,
                "errors": [
                    {"resource": "PullRequest", "field": "diff", "code": "too_large"}
                ],
                "documentation_url": f"{DOCS}/pulls/pulls#list-pull-requests-files",
                "status": "406",
            },
        )
    response = web.Response(
        text=record.diff, content_type="text/plain", charset="utf-8"
    )
    response.headers["X-GitHub-Media-Type"] = "github.v3; param=diff"
    return response


async def handle_pull_comments(request: web.Request) -> web.Response:
    _, record = _pull(request)
    return _page_response(request, record.review_comments)


async def handle_pull_files(request: web.Request) -> web.Response:
    _, record = _pull(request)
    return _page_response(request, record.files, MAX_FILES)


async def handle_pull_commits(request: web.Request) -> web.Response:
    _, record = _pull(request)
    return _page_response(request, record.commits, MAX_COMMITS)


async def handle_issue(request: web.Request) -> web.Response:
    state = _state(request)
    repo = _repo(request)
    number = _number(request)
    if number in repo.issues:
        return state.json_response(repo.issues[number])
    record = repo.pulls.get(number)
    if record is None:
        raise _not_found(f"{DOCS}/issues/issues#get-an-issue")
    return state.json_response(_issue_view_of_pull(record))


async def handle_issue_comments(request: web.Request) -> web.Response:
    repo = _repo(request)
    number = _number(request)
    record = repo.pulls.get(number)
    if record is not None:
        return _page_response(request, record.issue_comments)
    if number in repo.issues:
        return _page_response(request, [])
    raise _not_found(f"{DOCS}/issues/comments#list-issue-comments")


async def handle_rate_limit(request: web.Request) -> web.Response:
    state = _state(request)
    identity = _current_identity()
    resources = {
        name: state.limiter.bucket(identity, name)
        for name in ("core", "search", "graphql")
    }
    body = {
        "resources": {
            name: {
                "limit": b.limit,
                "used": b.used,
                "remaining": b.remaining,
                "reset": b.reset_epoch,
            }
            for name, b in resources.items()
        },
    }
    body["rate"] = body["resources"]["core"]
    return state.json_response(body)


async def handle_graphql(request: web.Request) -> web.Response:
    state = _state(request)
    config = state.config
    identity = _current_identity()
    try:
        payload = json.loads(await request.read() or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ApiError(
            400,
            {
                "message": "Problems parsing JSON",
                "documentation_url": "https://docs.github.com/graphql",
            },
        ) from None
    try:
        plan = state.graphql.plan(payload)
    except GraphQLRequestError as exc:
        _, bucket = state.limiter.charge(identity, "graphql", config.graphql_min_cost)
        _CHARGED.set(bucket)
        return state.json_response(exc.payload(), exc.status)
    cost = plan.cost
    if config.graphql_fixed_cost is not None:
        cost = max(config.graphql_min_cost, config.graphql_fixed_cost)
    ok, bucket = state.limiter.charge(identity, "graphql", cost)
    _CHARGED.set(bucket)
    if not ok:
        return _rate_limited(state, identity, bucket, "graphql")
    state.stats.record_graphql_points(cost)
    rate = RateLimitInfo(
        cost=cost,
        limit=bucket.limit,
        remaining=bucket.remaining,
        used=bucket.used,
        reset_at=datetime.fromtimestamp(bucket.reset_epoch, UTC)
        .isoformat()
        .replace("+00:00", "Z"),
        node_count=plan.node_count,
    )
    return state.json_response(state.graphql.execute(plan, rate))


async def handle_stats(request: web.Request) -> web.Response:
    return web.json_response(_state(request).stats.as_dict())


async def handle_stats_reset(request: web.Request) -> web.Response:
    _state(request).stats.reset()
    return web.json_response({"reset": True})


async def handle_rate_limits_reset(request: web.Request) -> web.Response:
    _state(request).limiter.reset()
    return web.json_response({"reset": True})


def create_app(
    config: ServerConfig, snapshot: Snapshot | None = None
) -> web.Application:
    """The aiohttp application; ``snapshot`` overrides ``config.snapshot`` if given."""
    if snapshot is None:
        snapshot = (
            config.snapshot
            if isinstance(config.snapshot, Snapshot)
            else load_snapshot(config.snapshot)
        )
    app = web.Application(middlewares=[github_middleware])
    state = ServerState(
        config=config,
        snapshot=snapshot,
        graphql=GraphQLApi(snapshot, min_cost=config.graphql_min_cost),
        stats=ServerStats(),
        limiter=RateLimiter(config),
        faults=FaultInjector(config.faults),
        closing=asyncio.Event(),
        latency_rng=random.Random(config.latency_seed),
    )
    _ = state.graphql.schema  # build it now, not on the first request
    app[_STATE_KEY] = state
    repo = "/repos/{owner}/{repo}"
    r = app.router
    r.add_get(
        "/search/repositories", handle_search_repositories, name="search_repositories"
    )
    r.add_get(repo, handle_repository, name="repository")
    r.add_get(f"{repo}/pulls", handle_pulls, name="pulls")
    r.add_get(f"{repo}/pulls/{{number}}", handle_pull, name="pull")
    r.add_get(
        f"{repo}/pulls/{{number}}/comments", handle_pull_comments, name="pull_comments"
    )
    r.add_get(f"{repo}/pulls/{{number}}/files", handle_pull_files, name="pull_files")
    r.add_get(
        f"{repo}/pulls/{{number}}/commits", handle_pull_commits, name="pull_commits"
    )
    r.add_get(f"{repo}/issues/{{number}}", handle_issue, name="issue")
    r.add_get(
        f"{repo}/issues/{{number}}/comments",
        handle_issue_comments,
        name="issue_comments",
    )
    r.add_post("/graphql", handle_graphql, name="graphql")
    r.add_get("/rate_limit", handle_rate_limit, name="rate_limit")
    r.add_get("/_stats", handle_stats)
    r.add_post("/_stats/reset", handle_stats_reset)
    r.add_post("/_rate_limit/reset", handle_rate_limits_reset)

    async def on_shutdown(_app: web.Application) -> None:
        state.closing.set()

    app.on_shutdown.append(on_shutdown)
    return app


def app_state(app: web.Application) -> ServerState:
    """The shared state of an app made by :func:`create_app`."""
    state = app[_STATE_KEY]
    assert isinstance(state, ServerState)
    return state


# --------------------------------------------------------------------------- running


@dataclass
class StartedServer:
    """A server running on the caller's event loop (see :func:`start_server`)."""

    runner: web.AppRunner
    state: ServerState

    @property
    def base_url(self) -> str:
        return self.state.base_url

    @property
    def graphql_url(self) -> str:
        return f"{self.base_url}/graphql"

    @property
    def stats(self) -> ServerStats:
        return self.state.stats

    async def close(self) -> None:
        self.state.closing.set()
        await self.runner.cleanup()


async def start_server(config: ServerConfig) -> StartedServer:
    """Start the server on the running event loop (loopback only)."""
    app = create_app(config)
    runner, base_url = await start_site(
        app, config.host, config.port, config.shutdown_timeout_s
    )
    state = app_state(app)
    state.base_url = base_url
    logger.info("GitHub-compatible server on %s", state.base_url)
    return StartedServer(runner=runner, state=state)


class RunningServer(ServerThread["StartedServer"]):
    """A server on its own event loop in a daemon thread; a context manager."""

    def __init__(self, config: ServerConfig) -> None:
        super().__init__(lambda: start_server(config), "github-local-server")
        self.config = config

    @property
    def base_url(self) -> str:
        """Like ``http://127.0.0.1:PORT``."""
        return self.started.base_url

    @property
    def graphql_url(self) -> str:
        return self.started.graphql_url

    @property
    def state(self) -> ServerState:
        return self.started.state

    def reset_rate_limits(self) -> None:
        self.started.state.limiter.reset()

    @property
    def stats(self) -> ServerStats:
        return self.started.stats


def serve_in_thread(config: ServerConfig) -> RunningServer:
    """Start a server in a daemon thread and return once it accepts connections."""
    return RunningServer(config).start()


# --------------------------------------------------------------------------- CLI


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m prreview.github.server",
        description="Serve a GitHub snapshot folder over a GitHub-compatible API.",
    )
    p.add_argument("--snapshot", required=True, type=Path, help="snapshot folder")
    p.add_argument("--host", default="127.0.0.1", help="loopback address to bind")
    p.add_argument("--port", type=int, default=0, help="port (0: a free one)")
    p.add_argument("--token", default=None, help="the only token accepted")
    p.add_argument("--core-limit", type=int, default=5000)
    p.add_argument("--search-limit", type=int, default=30)
    p.add_argument("--graphql-limit", type=int, default=5000)
    p.add_argument(
        "--allow-anonymous-graphql",
        action="store_true",
        help="serve GraphQL without a token (GitHub answers 401)",
    )
    p.add_argument("--max-diff-lines", type=int, default=20_000)
    p.add_argument("--latency", type=float, default=0.0, help="seconds per request")
    p.add_argument("--latency-jitter", type=float, default=0.0, help="extra 0..N s")
    p.add_argument(
        "--fault-rate", type=float, default=0.0, help="total fault probability"
    )
    p.add_argument(
        "--fault-kinds",
        default=None,
        help="comma-separated kinds for --fault-rate (default: all): "
        + ", ".join(k.value for k in FaultKind),
    )
    p.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="KIND=RATE",
        help="per-kind rate",
    )
    p.add_argument("--fault-seed", type=int, default=0)
    p.add_argument("--retry-after", type=float, default=1.0)
    p.add_argument("--timeout-hold", type=float, default=120.0)
    p.add_argument("--log-level", default="INFO")
    return p.parse_args(argv)


def config_from_args(args: argparse.Namespace) -> ServerConfig:
    """Build a :class:`ServerConfig` from the command line."""
    rates: dict[FaultKind | str, float] = {}
    if args.fault_rate:
        kinds = (
            [k.strip() for k in args.fault_kinds.split(",") if k.strip()]
            if args.fault_kinds
            else list(FaultKind)
        )
        rates.update(FaultConfig.uniform(args.fault_rate, kinds=kinds).rates)
    for spec in args.fault:
        kind, _, rate = spec.partition("=")
        rates[_kind(kind.strip())] = float(rate)
    faults = FaultConfig(
        rates=rates,
        seed=args.fault_seed,
        retry_after_s=args.retry_after,
        timeout_hold_s=args.timeout_hold,
    )
    return ServerConfig(
        snapshot=args.snapshot,
        host=args.host,
        port=args.port,
        expected_token=args.token,
        core_limit=args.core_limit,
        search_limit=args.search_limit,
        graphql_limit=args.graphql_limit,
        graphql_requires_auth=not args.allow_anonymous_graphql,
        graphql_limit_unauthenticated=args.graphql_limit,
        max_diff_lines=args.max_diff_lines,
        latency_s=args.latency,
        latency_jitter_s=args.latency_jitter,
        faults=faults,
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        config = config_from_args(args)
        asyncio.run(serve_until_signalled(lambda: start_server(config)))
    except (ValueError, OSError, SnapshotError) as exc:
        logger.error("%s", exc)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
