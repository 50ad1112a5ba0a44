"""GitHubClient over real HTTP on 127.0.0.1 against scripted fault sequences."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
import zlib
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from prreview.github.client import (
    ClientConfig,
    GitHubClient,
    RetryEvent,
    _parse_link_header,
)
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
from tests.github.scripted import ScriptedServer, Step, ok, status

TOKEN = "ghp_TESTTOKENabcdefghijklmnopqrstuvwxyz0123"
FAST = {
    "backoff_base_s": 0.01,
    "backoff_max_s": 0.05,
    "timeout_s": 1.0,
    "secondary_limit_wait_s": 0.05,
    "search_requests_per_minute": 6000.0,
}


def run_with_client(
    scenario: Callable[[ScriptedServer, GitHubClient], Awaitable[Any]],
    setup: Callable[[ScriptedServer], None],
    events: list[RetryEvent] | None = None,
    etag_cache: ETagCache | None = None,
    **config: Any,
) -> tuple[Any, ScriptedServer, GitHubClient]:
    async def main() -> tuple[Any, ScriptedServer, GitHubClient]:
        async with ScriptedServer() as server:
            setup(server)
            client = GitHubClient(
                ClientConfig(base_url=server.url, **{**FAST, **config}),
                TOKEN,
                etag_cache=etag_cache,
                on_event=events.append if events is not None else None,
            )
            async with client:
                result = await scenario(server, client)
            return result, server, client

    return asyncio.run(main())


def get_repo(server: ScriptedServer, client: GitHubClient) -> Awaitable[Any]:
    return client.get_json("/repos/o/r", kind="repo")


def test_sends_auth_user_agent_and_api_version() -> None:
    result, server, _ = run_with_client(
        get_repo, lambda s: s.script("GET", "/repos/o/r", ok({"full_name": "o/r"}))
    )
    assert result == {"full_name": "o/r"}
    headers = server.seen[0].headers
    assert headers["Authorization"] == f"Bearer {TOKEN}"
    assert headers["X-GitHub-Api-Version"] == "2022-11-28"
    assert headers["User-Agent"] == "prreview"


@pytest.mark.parametrize("code", [429, 500, 502, 503, 504])
def test_retries_transient_statuses_then_succeeds(code: int) -> None:
    events: list[RetryEvent] = []
    result, server, client = run_with_client(
        get_repo,
        lambda s: s.script("GET", "/repos/o/r", status(code), ok({"ok": True})),
        events,
    )
    assert result == {"ok": True}
    assert server.hits("/repos/o/r") == 2
    assert client.stats.retries[f"http_{code}"] == 1
    assert [event.final_action for event in events] == ["succeeded_after_retry"]
    assert events[0].http_status == code and events[0].retry_count == 1


def test_gives_up_after_max_retries_with_the_cause() -> None:
    events: list[RetryEvent] = []
    with pytest.raises(GitHubError) as caught:
        run_with_client(
            get_repo,
            lambda s: s.script("GET", "/repos/o/r", status(503)),
            events,
            max_retries=3,
        )
    assert caught.value.retry_count == 3
    assert caught.value.status == 503
    assert caught.value.error_type == "http_503"
    assert events[-1].final_action == "gave_up"


def test_backoff_doubles_and_is_capped() -> None:
    client = GitHubClient(ClientConfig(backoff_base_s=1, backoff_max_s=3, jitter=0))
    assert [client._backoff(n) for n in (1, 2, 3, 4)] == [1, 2, 3, 3]
    jittery = GitHubClient(ClientConfig(backoff_base_s=1, jitter=0.25))
    assert all(0.75 <= jittery._backoff(1) <= 1.25 for _ in range(50))


def test_retry_after_header_sets_the_delay() -> None:
    result, server, client = run_with_client(
        get_repo,
        lambda s: s.script(
            "GET",
            "/repos/o/r",
            status(429, "slow down", **{"Retry-After": "0.05"}),
            ok({"ok": 1}),
        ),
    )
    assert result == {"ok": 1}
    assert client.stats.retries["http_429"] == 1


def test_secondary_rate_limit_pauses_and_retries() -> None:
    events: list[RetryEvent] = []
    message = "You have exceeded a secondary rate limit. Please wait."
    result, server, client = run_with_client(
        get_repo,
        lambda s: s.script(
            "GET",
            "/repos/o/r",
            status(403, message, **{"Retry-After": "0.05"}),
            ok({"ok": 1}),
        ),
        events,
    )
    assert result == {"ok": 1}
    assert client.stats.retries["secondary_rate_limit"] == 1
    assert client.stats.rate_limit_waits == 1
    assert events[0].cause == "secondary_rate_limit"


def test_primary_rate_limit_waits_for_reset() -> None:
    def setup(server: ScriptedServer) -> None:
        reset = str(time.time() + 0.1)
        server.script(
            "GET",
            "/repos/o/r",
            status(
                403,
                "API rate limit exceeded",
                **{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset},
            ),
            ok({"ok": 1}),
        )

    result, server, client = run_with_client(get_repo, setup)
    assert result == {"ok": 1}
    assert client.stats.retries["rate_limit"] == 1


def test_rate_limit_wait_over_the_maximum_fails_fast() -> None:
    def setup(server: ScriptedServer) -> None:
        reset = str(time.time() + 3600)
        server.script(
            "GET",
            "/repos/o/r",
            status(
                403,
                "API rate limit exceeded",
                **{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset},
            ),
        )

    with pytest.raises(RateLimitWaitTooLong):
        run_with_client(get_repo, setup, max_rate_limit_wait_s=1)


def test_paces_before_the_quota_runs_out() -> None:
    def setup(server: ScriptedServer) -> None:
        reset = str(time.time() + 0.1)
        server.script(
            "GET",
            "/repos/o/r",
            ok({"n": 1}, **{"X-RateLimit-Remaining": "2", "X-RateLimit-Reset": reset}),
            ok({"n": 2}, **{"X-RateLimit-Remaining": "4999"}),
        )

    async def twice(server: ScriptedServer, client: GitHubClient) -> list[Any]:
        return [await get_repo(server, client), await get_repo(server, client)]

    result, server, client = run_with_client(twice, setup, rate_limit_reserve=5)
    assert result == [{"n": 1}, {"n": 2}]
    assert client.stats.rate_limit_waits == 1
    assert client.stats.retries == {}


@pytest.mark.parametrize(
    ("step", "cause"),
    [
        (Step(action="hang"), "timeout"),
        (Step(action="drop"), "connection_dropped"),
        (Step(body={"x": "y" * 200}, action="truncate"), "truncated_body"),
        (Step(body=b"{not json"), "invalid_json"),
    ],
)
def test_transport_faults_are_retried(step: Step, cause: str) -> None:
    # aiohttp itself retries an idempotent request once when the connection drops before
    # any response byte, so the fault is played twice to reach the client's own retry.
    result, server, client = run_with_client(
        get_repo,
        lambda s: s.script("GET", "/repos/o/r", step, step, ok({"ok": 1})),
        timeout_s=0.3,
    )
    assert result == {"ok": 1}
    assert client.stats.retries[cause] >= 1
    assert server.hits("/repos/o/r") == 3


def test_persistent_invalid_json_gives_up_as_invalid_json() -> None:
    with pytest.raises(GitHubError) as caught:
        run_with_client(
            get_repo,
            lambda s: s.script("GET", "/repos/o/r", Step(body=b"<html>oops")),
            max_retries=1,
        )
    assert caught.value.error_type == "invalid_json"


@pytest.mark.parametrize("code", [404, 410, 451])
def test_unavailable_repositories_are_not_retried(code: int) -> None:
    with pytest.raises(RepositoryUnavailable) as caught:
        run_with_client(get_repo, lambda s: s.script("GET", "/repos/o/r", status(code)))
    assert caught.value.status == code


def test_bad_credentials() -> None:
    with pytest.raises(BadCredentials):
        run_with_client(
            get_repo,
            lambda s: s.script("GET", "/repos/o/r", status(401, "Bad credentials")),
        )


def test_follows_redirects_of_renamed_repositories() -> None:
    def setup(server: ScriptedServer) -> None:
        server.script(
            "GET", "/repos/old/name", Step(301, {}, {"Location": "/repos/new/name"})
        )
        server.script("GET", "/repos/new/name", ok({"full_name": "new/name"}))

    async def scenario(server: ScriptedServer, client: GitHubClient) -> Any:
        return await client.get_json("/repos/old/name")

    result, server, _ = run_with_client(scenario, setup)
    assert result == {"full_name": "new/name"}


def test_diff_too_large() -> None:
    async def scenario(server: ScriptedServer, client: GitHubClient) -> Any:
        return await client.get_diff("o", "r", 1)

    with pytest.raises(DiffTooLarge):
        run_with_client(
            scenario,
            lambda s: s.script(
                "GET", "/repos/o/r/pulls/1", status(406, "diff too large")
            ),
        )


def test_paginates_with_link_headers_and_stops_at_max_items() -> None:
    def setup(server: ScriptedServer) -> None:
        base = server.url + "/items"
        server.script(
            "GET",
            "/items",
            ok(
                [1, 2], Link=f'<{base}?page=2>; rel="next", <{base}?page=3>; rel="last"'
            ),
            ok([3, 4], Link=f'<{base}?page=3>; rel="next"'),
            ok([5]),
        )

    async def collect(server: ScriptedServer, client: GitHubClient) -> list[int]:
        return [item async for item in client.paginate("/items")]

    result, server, _ = run_with_client(collect, setup)
    assert result == [1, 2, 3, 4, 5]
    assert server.hits("/items") == 3

    async def first_three(server: ScriptedServer, client: GitHubClient) -> list[int]:
        return [item async for item in client.paginate("/items", max_items=3)]

    result, server, _ = run_with_client(first_three, setup)
    assert result == [1, 2, 3]
    assert server.hits("/items") == 2


def test_paginate_rejects_a_page_that_is_not_a_list() -> None:
    async def collect(server: ScriptedServer, client: GitHubClient) -> list[Any]:
        return [item async for item in client.paginate("/items")]

    with pytest.raises(GitHubError, match="expected a list"):
        run_with_client(collect, lambda s: s.script("GET", "/items", ok({"a": 1})))


@pytest.mark.parametrize(
    ("page", "match"),
    [
        ([{"full_name": "o/r"}], "expected an object with 'items'"),
        (7, "expected an object with 'items'"),
        (None, "expected an object with 'items'"),
        ({"items": {"a": 1}}, "expected a list"),
        ({"total_count": 0}, "expected a list"),
    ],
    ids=["list", "number", "null", "items-not-list", "items-missing"],
)
def test_paginate_with_an_items_key_rejects_a_page_of_another_shape(
    page: Any, match: str
) -> None:
    """A search page that is a bare list once raised AttributeError (page.get),
    which discovery does not catch; it is a malformed payload."""

    async def collect(server: ScriptedServer, client: GitHubClient) -> list[Any]:
        return [
            item
            async for item in client.paginate(
                "/search/repositories", kind="search", items_key="items"
            )
        ]

    with pytest.raises(PayloadError, match=match) as raised:
        run_with_client(
            collect, lambda s: s.script("GET", "/search/repositories", ok(page))
        )
    assert raised.value.error_type == "malformed_payload"


def test_conditional_requests_use_the_etag_cache(tmp_path) -> None:
    cache = ETagCache(tmp_path / "etags.sqlite")

    def setup(server: ScriptedServer) -> None:
        server.script(
            "GET", "/repos/o/r", ok({"v": 1}, ETag='"abc"'), Step(304, b"", {})
        )

    async def twice(server: ScriptedServer, client: GitHubClient) -> list[Any]:
        return [await get_repo(server, client), await get_repo(server, client)]

    result, server, client = run_with_client(twice, setup, etag_cache=cache)
    assert result == [{"v": 1}, {"v": 1}]
    assert "If-None-Match" not in server.seen[0].headers
    assert server.seen[1].headers["If-None-Match"] == '"abc"'
    assert client.stats.not_modified == 1
    assert len(cache) == 1


def test_graphql_posts_the_query_and_validates_the_answer() -> None:
    async def scenario(server: ScriptedServer, client: GitHubClient) -> Any:
        return await client.graphql("query { viewer { login } }", {"a": 1})

    result, server, client = run_with_client(
        scenario, lambda s: s.script("POST", "/graphql", ok({"data": {"viewer": None}}))
    )
    assert result == {"data": {"viewer": None}}
    assert b'"variables": {"a": 1}' in server.seen[0].body
    assert client.stats.requests["graphql"] == 1

    with pytest.raises(GitHubError, match="neither data nor errors"):
        run_with_client(scenario, lambda s: s.script("POST", "/graphql", ok({"x": 1})))


def test_search_requests_are_paced() -> None:
    def setup(server: ScriptedServer) -> None:
        server.script("GET", "/search/repositories", ok({"items": []}))

    async def three(server: ScriptedServer, client: GitHubClient) -> float:
        started = time.monotonic()
        for _ in range(3):
            await client.get_json("/search/repositories", {"q": "x"}, kind="search")
        return time.monotonic() - started

    # 600 per minute = one every 0.1 s: three searches need at least two intervals.
    elapsed, _, client = run_with_client(three, setup, search_requests_per_minute=600)
    assert elapsed >= 0.2
    assert client.stats.requests["search"] == 3


def test_token_never_reaches_logs_or_errors(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(GitHubError) as caught:
        run_with_client(
            get_repo,
            lambda s: s.script("GET", "/repos/o/r", status(502)),
            max_retries=2,
        )
    assert TOKEN not in str(caught.value)
    assert TOKEN not in repr(caught.value.args)
    assert all(TOKEN not in record.getMessage() for record in caplog.records)
    assert TOKEN not in caplog.text


def test_secret_masks_itself() -> None:
    secret = Secret(TOKEN)
    assert secret.get() == TOKEN
    assert (
        TOKEN not in repr(secret)
        and TOKEN not in str(secret)
        and TOKEN not in f"{secret}"
    )
    assert not Secret(None) and not Secret("")


def test_link_header_parsing() -> None:
    header = '<https://x/a?page=2>; rel="next", <https://x/a?page=9>; rel="last"'
    assert _parse_link_header(header) == {
        "next": "https://x/a?page=2",
        "last": "https://x/a?page=9",
    }
    assert _parse_link_header(None) == {}
    assert _parse_link_header("garbage; rel=next") == {}


def test_the_etag_cache_keeps_scrubbed_bodies_and_answers_304_with_them(
    tmp_path,
) -> None:
    cache = ETagCache(
        tmp_path / "etags.sqlite", scrub=lambda body: body.replace(b"SECRET", b"KEY")
    )

    def setup(server: ScriptedServer) -> None:
        server.script(
            "GET",
            "/repos/o/r",
            ok({"v": "SECRET"}, ETag='"abc"'),
            Step(304, b"", {}),
        )

    async def twice(server: ScriptedServer, client: GitHubClient) -> list[Any]:
        return [await get_repo(server, client), await get_repo(server, client)]

    result, _, _ = run_with_client(twice, setup, etag_cache=cache)
    assert result == [{"v": "SECRET"}, {"v": "KEY"}], "the live answer is untouched"
    with sqlite3.connect(tmp_path / "etags.sqlite") as db:
        bodies = [
            zlib.decompress(row[0]) for row in db.execute("SELECT body FROM etags")
        ]
    assert bodies == [b'{"v": "KEY"}']
