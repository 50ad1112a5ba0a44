"""Async GitHub API client: one aiohttp session, a concurrency limit, GitHub's rate
limits, retries with backoff and jitter, Link pagination, GraphQL and on-disk
conditional requests.

The same client talks to api.github.com in prod and to the local snapshot server
offline; nothing here knows which.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import aiohttp
from multidict import CIMultiDict

from prreview.github.errors import (
    BadCredentials,
    DiffTooLarge,
    GitHubError,
    PayloadError,
    RateLimitWaitTooLong,
    RepositoryUnavailable,
)
from prreview.github.etag_cache import ETagCache
from prreview.secret import Secret

logger = logging.getLogger(__name__)

DIFF_MEDIA_TYPE = "application/vnd.github.diff"
JSON_MEDIA_TYPE = "application/vnd.github+json"
_UNAVAILABLE_STATUSES = frozenset({404, 410, 451})
_SECONDARY_LIMIT_HINT = "secondary rate limit"


@dataclass(frozen=True)
class ClientConfig:
    """How hard and how fast the client may push. Defaults follow GitHub's guidance."""

    base_url: str = "https://api.github.com"
    graphql_url: str | None = None
    concurrency: int = 10
    timeout_s: float = 30.0
    max_retries: int = 3
    backoff_base_s: float = 1.0
    backoff_max_s: float = 60.0
    jitter: float = 0.25
    retry_statuses: tuple[int, ...] = (429, 500, 502, 503, 504)
    rate_limit_reserve: int = 20
    max_rate_limit_wait_s: float = 3900.0
    max_rate_limit_waits: int = 5
    secondary_limit_wait_s: float = 60.0
    search_requests_per_minute: float = 30.0
    user_agent: str = "prreview"
    api_version: str = "2022-11-28"

    @property
    def resolved_graphql_url(self) -> str:
        return self.graphql_url or self.base_url.rstrip("/") + "/graphql"


@dataclass(frozen=True)
class RetryEvent:
    """One request that needed retries or gave up; what the error logs are made of."""

    endpoint: str
    cause: str
    http_status: int | None
    retry_count: int
    final_action: str
    message: str


@dataclass
class ClientStats:
    requests: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    retries: Counter[str] = field(default_factory=Counter)
    not_modified: int = 0
    rate_limit_waits: int = 0
    rate_limit_wait_s: float = 0.0

    @property
    def total_requests(self) -> int:
        return sum(self.requests.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "requests": dict(self.requests),
            "total_requests": self.total_requests,
            "statuses": {str(k): v for k, v in self.statuses.items()},
            "retries": dict(self.retries),
            "not_modified": self.not_modified,
            "rate_limit_waits": self.rate_limit_waits,
            "rate_limit_wait_s": round(self.rate_limit_wait_s, 3),
        }


@dataclass(frozen=True)
class Response:
    status: int
    url: str
    headers: Mapping[str, str]
    body: bytes
    links: Mapping[str, str]
    from_cache: bool = False
    parsed: Any = field(default=None, repr=False)

    def json(self) -> Any:
        if self.parsed is not None:
            return self.parsed
        return _decode_json(self.body, self.url)

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


@dataclass
class _Quota:
    remaining: int | None = None
    reset_at: float | None = None
    cost: int = 1  # points the last request cost (GraphQL queries cost more than 1)
    in_flight: int = 0  # sent, not answered: the server may not have counted them yet
    announced_reset: float | None = None


class _Retry(Exception):
    """Internal: the attempt failed in a way worth another try."""

    def __init__(self, cause: str, status: int | None, delay_s: float | None = None):
        super().__init__(cause)
        self.cause = cause
        self.status = status
        self.delay_s = delay_s


class _RateLimited(Exception):
    """Internal: wait for the quota (or a secondary limit) and try again."""

    def __init__(self, cause: str, status: int, wait_s: float):
        super().__init__(cause)
        self.cause = cause
        self.status = status
        self.wait_s = wait_s


def _decode_json(body: bytes, url: str) -> Any:
    try:
        return json.loads(body)
    except ValueError as error:
        raise PayloadError(
            f"invalid JSON from {url}: {error}", endpoint=url, error_type="invalid_json"
        ) from error


def _parse_link_header(value: str | None) -> dict[str, str]:
    links: dict[str, str] = {}
    if not value:
        return links
    for part in value.split(","):
        segments = part.split(";")
        url = segments[0].strip()
        if not (url.startswith("<") and url.endswith(">")):
            continue
        for param in segments[1:]:
            key, _, raw = param.strip().partition("=")
            if key == "rel":
                for rel in raw.strip('"').split():
                    links[rel] = url[1:-1]
    return links


def endpoint_of(url: str) -> str:
    """The path of a URL without host and query:
    what error logs call the API endpoint."""
    return urlsplit(url).path or "/"


class GitHubClient:
    """Use as ``async with GitHubClient(config, token) as client``.

    ``on_event`` receives a :class:`RetryEvent` for every request that was retried or
    failed, so callers can keep a per-repository error log without parsing log lines.
    """

    def __init__(
        self,
        config: ClientConfig | None = None,
        token: Secret | str | None = None,
        *,
        etag_cache: ETagCache | None = None,
        on_event: Callable[[RetryEvent], None] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.config = config or ClientConfig()
        self._token = token if isinstance(token, Secret) else Secret(token)
        self._etag_cache = etag_cache
        self._on_event = on_event
        self._rng = rng or random.Random()
        self.stats = ClientStats()
        self._quotas: dict[str, _Quota] = {}
        self._probes: dict[str, asyncio.Lock] = {}
        self._paused_until = 0.0
        self._search_lock = asyncio.Lock()
        self._last_search = float("-inf")
        self._semaphore = asyncio.Semaphore(self.config.concurrency)
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> GitHubClient:
        headers = {
            "Accept": JSON_MEDIA_TYPE,
            "User-Agent": self.config.user_agent,
            "X-GitHub-Api-Version": self.config.api_version,
        }
        if self._token:
            headers["Authorization"] = f"Bearer {self._token.get()}"
        self._session = aiohttp.ClientSession(
            headers=headers,
            timeout=aiohttp.ClientTimeout(total=self.config.timeout_s),
            connector=aiohttp.TCPConnector(limit=self.config.concurrency),
        )
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def set_event_handler(self, on_event: Callable[[RetryEvent], None] | None) -> None:
        self._on_event = on_event

    # -- public API --------------------------------------------------------------------

    def url(self, path: str, params: dict[str, Any] | None = None) -> str:
        url = path if "://" in path else self.config.base_url.rstrip("/") + path
        if params:
            url += ("&" if "?" in url else "?") + urlencode(params)
        return url

    async def get_json(
        self, path: str, params: dict[str, Any] | None = None, *, kind: str = "rest"
    ) -> Any:
        response = await self.get(path, params, kind=kind)
        return response.json()

    async def get(
        self,
        path: str,
        params: dict[str, Any] | None = None,
        *,
        kind: str = "rest",
        accept: str = JSON_MEDIA_TYPE,
    ) -> Response:
        resource = "search" if kind == "search" else "core"
        parse = _decode_json if accept == JSON_MEDIA_TYPE else None
        return await self._request(
            "GET",
            self.url(path, params),
            kind=kind,
            resource=resource,
            accept=accept,
            parse=parse,
        )

    async def get_diff(self, owner: str, name: str, number: int) -> str:
        """The unified diff of a pull request;
        :class:`DiffTooLarge` when GitHub refuses."""
        response = await self.get(
            f"/repos/{owner}/{name}/pulls/{number}", kind="diff", accept=DIFF_MEDIA_TYPE
        )
        return response.text()

    async def paginate(
        self,
        path: str,
        params: dict[str, Any] | None = None,
        *,
        kind: str = "rest",
        items_key: str | None = None,
        max_items: int | None = None,
    ) -> AsyncIterator[Any]:
        """Yield items across pages by following ``Link: rel="next"``."""
        url: str | None = self.url(path, params)
        yielded = 0
        while url is not None:
            response = await self._request(
                "GET",
                url,
                kind=kind,
                resource="search" if kind == "search" else "core",
                accept=JSON_MEDIA_TYPE,
                parse=_decode_json,
            )
            page = response.json()
            if items_key and not isinstance(page, dict):
                raise PayloadError(
                    f"expected an object with {items_key!r} from {endpoint_of(url)}",
                    endpoint=endpoint_of(url),
                    error_type="malformed_payload",
                )
            items = page.get(items_key) if items_key else page
            if not isinstance(items, list):
                raise PayloadError(
                    f"expected a list of items from {endpoint_of(url)}",
                    endpoint=endpoint_of(url),
                    error_type="malformed_payload",
                )
            for item in items:
                yield item
                yielded += 1
                if max_items is not None and yielded >= max_items:
                    return
            url = response.links.get("next")

    async def get_all(
        self, path: str, params: dict[str, Any] | None = None, *, kind: str = "rest"
    ) -> list[Any]:
        """Every item of a paginated list endpoint, 100 per page."""
        return [
            item
            async for item in self.paginate(
                path, {"per_page": 100, **(params or {})}, kind=kind
            )
        ]

    async def graphql(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        """POST a GraphQL document; returns ``{"data": ..., "errors": [...]}``."""
        body = json.dumps({"query": query, "variables": variables}).encode()
        response = await self._request(
            "POST",
            self.config.resolved_graphql_url,
            kind="graphql",
            resource="graphql",
            accept=JSON_MEDIA_TYPE,
            parse=_decode_json,
            body=body,
        )
        payload = response.json()
        if not isinstance(payload, dict) or (
            "data" not in payload and "errors" not in payload
        ):
            raise PayloadError(
                "GraphQL answer has neither data nor errors",
                endpoint="/graphql",
                error_type="malformed_payload",
            )
        return payload

    # -- the request loop --------------------------------------------------------------

    async def _request(
        self,
        method: str,
        url: str,
        *,
        kind: str,
        resource: str,
        accept: str,
        parse: Callable[[bytes, str], Any] | None,
        body: bytes | None = None,
    ) -> Response:
        if self._session is None:
            raise RuntimeError("GitHubClient is used outside 'async with'")
        endpoint = endpoint_of(url)
        cache_key = f"{method} {url} {accept}" if method == "GET" else None
        retries = 0
        rate_waits = 0
        last_cause = ""
        last_status: int | None = None
        while True:
            try:
                response = await self._attempt(
                    method,
                    url,
                    kind=kind,
                    resource=resource,
                    accept=accept,
                    body=body,
                    cache_key=cache_key,
                    parse=parse,
                )
            except _RateLimited as limited:
                rate_waits += 1
                last_cause, last_status = limited.cause, limited.status
                if rate_waits > self.config.max_rate_limit_waits:
                    raise self._give_up(
                        endpoint,
                        last_cause,
                        last_status,
                        retries + rate_waits,
                        RateLimitWaitTooLong,
                    ) from limited
                await self._pause(limited.wait_s, limited.cause)
                self.stats.retries[limited.cause] += 1
                continue
            except _Retry as retry:
                last_cause, last_status = retry.cause, retry.status
                if retries >= self.config.max_retries:
                    raise self._give_up(
                        endpoint, last_cause, last_status, retries, GitHubError
                    ) from retry
                retries += 1
                delay = (
                    retry.delay_s
                    if retry.delay_s is not None
                    else self._backoff(retries)
                )
                self.stats.retries[retry.cause] += 1
                logger.warning(
                    "Retry %d/%d of %s %s after %s (status %s) in %.2fs",
                    retries,
                    self.config.max_retries,
                    method,
                    endpoint,
                    retry.cause,
                    retry.status,
                    delay,
                )
                await asyncio.sleep(delay)
                continue
            if retries or rate_waits:
                self._emit(
                    RetryEvent(
                        endpoint=endpoint,
                        cause=last_cause,
                        http_status=last_status,
                        retry_count=retries + rate_waits,
                        final_action="succeeded_after_retry",
                        message=f"recovered after {retries + rate_waits} retries",
                    )
                )
            return response

    async def _attempt(
        self,
        method: str,
        url: str,
        *,
        kind: str,
        resource: str,
        accept: str,
        body: bytes | None,
        cache_key: str | None,
        parse: Callable[[bytes, str], Any] | None,
    ) -> Response:
        assert self._session is not None
        headers = {"Accept": accept}
        cached = (
            self._etag_cache.get(cache_key) if self._etag_cache and cache_key else None
        )
        if cached is not None:
            headers["If-None-Match"] = cached[0]
        if body is not None:
            headers["Content-Type"] = "application/json"
        if resource == "search":
            await self._pace_search()
        probe = await self._claim_quota(resource)
        quota = self._quotas[resource]
        self.stats.requests[kind] += 1
        quota.in_flight += 1
        try:
            status, response_headers, payload, final_url = await self._send(
                method, url, headers, body
            )
        finally:
            quota.in_flight -= 1
            if probe is not None:
                probe.release()
        self.stats.statuses[status] += 1
        self._update_quota(resource, response_headers)
        links = _parse_link_header(response_headers.get("Link"))
        if status == 304 and cached is not None:
            self.stats.not_modified += 1
            return Response(200, final_url, response_headers, cached[1], links, True)
        self._raise_for_status(status, response_headers, payload, url, accept)
        parsed = None
        if parse is not None:
            try:
                parsed = parse(payload, final_url)
            except PayloadError as error:
                raise _Retry("invalid_json", status) from error
        if kind == "graphql":
            if _graphql_rate_limited(parsed):
                # GitHub answers an exhausted GraphQL quota with 200 and RATE_LIMITED.
                raise _RateLimited(
                    "rate_limit", status, self._seconds_to_reset(response_headers)
                )
            quota.cost = _graphql_cost(parsed, quota.cost)
        etag = response_headers.get("ETag")
        if self._etag_cache is not None and cache_key and etag and status == 200:
            self._etag_cache.put(cache_key, etag, payload)
        return Response(
            status, final_url, response_headers, payload, links, False, parsed
        )

    async def _send(
        self, method: str, url: str, headers: dict[str, str], body: bytes | None
    ) -> tuple[int, CIMultiDict[str], bytes, str]:
        """One HTTP exchange: status, headers, body and final URL; transport
        failures become retryable."""
        assert self._session is not None
        try:
            async with self._semaphore:
                async with self._session.request(
                    method, url, headers=headers, data=body
                ) as raw:
                    payload = await raw.read()
                    return raw.status, CIMultiDict(raw.headers), payload, str(raw.url)
        except TimeoutError as error:
            raise _Retry("timeout", None) from error
        except aiohttp.ClientPayloadError as error:
            raise _Retry("truncated_body", None) from error
        except aiohttp.ServerDisconnectedError as error:
            raise _Retry("connection_dropped", None) from error
        except aiohttp.ClientConnectionError as error:
            raise _Retry("connection_error", None) from error

    def _raise_for_status(
        self,
        status: int,
        headers: Mapping[str, str],
        payload: bytes,
        url: str,
        accept: str,
    ) -> None:
        if status < 300:
            return
        endpoint = endpoint_of(url)
        message = _error_message(payload)
        retry_after = _float_header(headers, "Retry-After")
        if status in (403, 429):
            if _SECONDARY_LIMIT_HINT in message.lower():
                wait = (
                    retry_after
                    if retry_after is not None
                    else (self.config.secondary_limit_wait_s)
                )
                raise _RateLimited("secondary_rate_limit", status, wait)
            if headers.get("X-RateLimit-Remaining") == "0":
                raise _RateLimited(
                    "rate_limit", status, self._seconds_to_reset(headers)
                )
            if status == 429:
                raise _Retry("http_429", status, retry_after)
        if status == 401:
            raise BadCredentials(
                f"401 Bad credentials for {endpoint}",
                status=401,
                endpoint=endpoint,
                error_type="bad_credentials",
            )
        if status in _UNAVAILABLE_STATUSES:
            raise RepositoryUnavailable(
                f"{status} {message or 'unavailable'} for {endpoint}",
                status=status,
                endpoint=endpoint,
                error_type="repository_unavailable",
            )
        if accept == DIFF_MEDIA_TYPE and status in (406, 422):
            raise DiffTooLarge(
                f"{status} {message} for {endpoint}",
                status=status,
                endpoint=endpoint,
                error_type="diff_too_large",
            )
        if status in self.config.retry_statuses:
            raise _Retry(f"http_{status}", status, retry_after)
        raise GitHubError(
            f"{status} {message or 'error'} for {endpoint}",
            status=status,
            endpoint=endpoint,
        )

    # -- pacing ------------------------------------------------------------------------

    def _update_quota(self, resource: str, headers: Mapping[str, str]) -> None:
        remaining = headers.get("X-RateLimit-Remaining")
        reset = headers.get("X-RateLimit-Reset")
        named = headers.get("X-RateLimit-Resource", resource)
        if remaining is None:
            return
        quota = self._quotas.setdefault(named, _Quota())
        try:
            quota.remaining = int(remaining) - quota.in_flight * quota.cost
            quota.reset_at = float(reset) if reset is not None else None
        except ValueError:
            logger.warning("Ignoring malformed rate-limit headers from %s", named)

    def _seconds_to_reset(self, headers: Mapping[str, str]) -> float:
        reset = _float_header(headers, "X-RateLimit-Reset")
        if reset is None:
            return self.config.secondary_limit_wait_s
        return max(0.0, reset - time.time()) + 0.05

    async def _claim_quota(self, resource: str) -> asyncio.Lock | None:
        """Wait until the quota has room, then claim this request's share of it.

        While the quota is unknown (at start, or once a window has reset) one request
        goes alone as a probe, and the lock it holds is returned: its rate-limit headers
        tell the others how much room there is.
        """
        quota = self._quotas.setdefault(resource, _Quota())
        while True:
            await self._wait_for_room(resource, quota)
            if quota.remaining is not None:
                quota.remaining -= quota.cost  # no await since the check: atomic
                return None
            probe = self._probes.setdefault(resource, asyncio.Lock())
            await probe.acquire()
            if quota.remaining is None:
                return probe
            probe.release()  # another request learned the quota meanwhile

    async def _wait_for_room(self, resource: str, quota: _Quota) -> None:
        while True:
            now = time.monotonic()
            if now < self._paused_until:
                await asyncio.sleep(self._paused_until - now)
                continue
            if (
                quota.remaining is None
                or quota.reset_at is None
                or quota.remaining - quota.cost >= self.config.rate_limit_reserve
            ):
                return
            wait = quota.reset_at - time.time()
            if wait <= 0:
                quota.remaining = None  # a new window: probe it
                continue
            if wait > self.config.max_rate_limit_wait_s:
                raise RateLimitWaitTooLong(
                    f"{resource} quota resets in {wait:.0f}s, over the maximum wait",
                    error_type="rate_limit_wait_too_long",
                )
            if quota.announced_reset != quota.reset_at:
                quota.announced_reset = quota.reset_at
                logger.info(
                    "Pacing: %s quota has %d left; waiting %.1fs for its reset",
                    resource,
                    max(quota.remaining, 0),
                    wait,
                )
                self.stats.rate_limit_waits += 1
                self.stats.rate_limit_wait_s += wait
            await asyncio.sleep(wait + 0.05)

    async def _pause(self, wait_s: float, cause: str) -> None:
        if wait_s > self.config.max_rate_limit_wait_s:
            raise RateLimitWaitTooLong(
                f"{cause}: asked to wait {wait_s:.0f}s, over the configured maximum",
                error_type="rate_limit_wait_too_long",
            )
        logger.warning("GitHub %s: pausing all requests for %.1fs", cause, wait_s)
        self.stats.rate_limit_waits += 1
        self.stats.rate_limit_wait_s += wait_s
        self._paused_until = max(self._paused_until, time.monotonic() + wait_s)
        await asyncio.sleep(wait_s)

    async def _pace_search(self) -> None:
        interval = 60.0 / self.config.search_requests_per_minute
        async with self._search_lock:
            wait = self._last_search + interval - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self._last_search = time.monotonic()

    def _backoff(self, retry_number: int) -> float:
        base = min(
            self.config.backoff_max_s,
            self.config.backoff_base_s * 2 ** (retry_number - 1),
        )
        return max(
            0.0, base * (1 + self._rng.uniform(-self.config.jitter, self.config.jitter))
        )

    def _give_up(
        self,
        endpoint: str,
        cause: str,
        status: int | None,
        retry_count: int,
        error_class: type[GitHubError],
    ) -> GitHubError:
        message = f"gave up on {endpoint} after {retry_count} retries: {cause}"
        self._emit(
            RetryEvent(
                endpoint=endpoint,
                cause=cause,
                http_status=status,
                retry_count=retry_count,
                final_action="gave_up",
                message=message,
            )
        )
        return error_class(
            message,
            status=status,
            endpoint=endpoint,
            retry_count=retry_count,
            error_type=cause,
        )

    def _emit(self, event: RetryEvent) -> None:
        if self._on_event is not None:
            self._on_event(event)


def _float_header(headers: Mapping[str, str], name: str) -> float | None:
    value = headers.get(name)
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        return None


def _graphql_cost(payload: Any, default: int) -> int:
    """The points a query cost, from the ``rateLimit { cost }`` the queries ask for."""
    try:
        return max(1, int(payload["data"]["rateLimit"]["cost"]))
    except (KeyError, TypeError, ValueError):
        return default


def _graphql_rate_limited(payload: Any) -> bool:
    if not isinstance(payload, dict):
        return False
    errors = payload.get("errors") or []
    return any(
        isinstance(error, dict) and error.get("type") == "RATE_LIMITED"
        for error in errors
    )


def _error_message(payload: bytes) -> str:
    try:
        data = json.loads(payload)
    except ValueError:
        return payload[:200].decode("utf-8", errors="replace").strip()
    if isinstance(data, dict):
        return str(data.get("message", ""))
    return ""
