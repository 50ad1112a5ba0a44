"""ChatClient against the local server: retries, Retry-After, cache, key hygiene."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from prreview.llm.client import (
    ChatClient,
    ChatRequest,
    ChatRequestError,
    RetriesExhaustedError,
    RetryPolicy,
    cache_key,
)
from prreview.llm.server import (
    FaultConfig,
    RunningServer,
    ServerConfig,
    serve_in_thread,
)
from prreview.secret import Secret
from tests.llm.test_server import MODEL, EchoBackend

FAST = RetryPolicy(max_retries=3, base_delay_s=0.01, max_delay_s=0.05)
KEY = "sk-test-0123456789abcdef"


@pytest.fixture
def start() -> Iterator[Callable[..., RunningServer]]:
    servers: list[RunningServer] = []

    def make(**kwargs: Any) -> RunningServer:
        kwargs.setdefault("backend", EchoBackend())
        server = serve_in_thread(ServerConfig(model_name=MODEL, **kwargs))
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


def client_for(server: RunningServer, **kwargs: Any) -> ChatClient:
    kwargs.setdefault("retry", FAST)
    kwargs.setdefault("api_key", None)
    return ChatClient(server.base_url, model=MODEL, seed=0, **kwargs)


def asks(*contents: str, **params: Any) -> list[ChatRequest]:
    return [
        ChatRequest(messages=[{"role": "user", "content": c}], **params)
        for c in contents
    ]


def test_complete_many_keeps_order_and_counts_usage(
    start: Callable[..., RunningServer],
) -> None:
    server = start(backend=EchoBackend(delay_s=0.05), batch_window_s=0.1)
    client = client_for(server)
    results = asyncio.run(
        client.complete_many(asks(*(f"ab {i}" for i in range(6))), concurrency=3)
    )
    assert [r.text for r in results] == [f"{i} ba" for i in range(6)]
    assert all(r.finish_reason == "stop" and not r.cached for r in results)
    assert client.usage.requests == 6
    assert client.usage.prompt_tokens == 12
    assert client.usage.completion_tokens == 12
    assert client.usage.retries == {}
    assert server.stats.batches < 6  # the semaphore let three through at once


@pytest.mark.parametrize(
    ("fault", "cause"),
    [
        ("rate_limit_429", "http_429"),
        ("server_error_500", "http_500"),
        ("unavailable_503", "http_503"),
        ("drop_connection", "connection"),
    ],
)
def test_retries_each_fault_kind(
    start: Callable[..., RunningServer], fault: str, cause: str
) -> None:
    server = start(faults=FaultConfig(schedule={1: fault}, retry_after_s=0.05))
    client = client_for(server)
    (result,) = asyncio.run(client.complete_many(asks("x y")))
    assert result.text == "y x"
    assert result.attempts == 2
    assert client.usage.retries == {cause: 1}
    assert client.usage.requests == 2
    assert server.stats.faults == {fault: 1}


def test_timeouts_are_retried(start: Callable[..., RunningServer]) -> None:
    server = start(faults=FaultConfig(schedule={1: "slow"}, slow_delay_s=1.0))
    client = client_for(server, timeout_s=0.3)
    (result,) = asyncio.run(client.complete_many(asks("a")))
    assert result.attempts == 2
    assert client.usage.retries == {"timeout": 1}


def test_retry_after_is_honoured(start: Callable[..., RunningServer]) -> None:
    server = start(
        faults=FaultConfig(schedule={1: "rate_limit_429"}, retry_after_s=0.6)
    )
    client = client_for(server)
    began = time.perf_counter()
    asyncio.run(client.complete_many(asks("a")))
    assert time.perf_counter() - began >= 0.6
    assert client.usage.retries == {"http_429": 1}


def test_exhausted_retries_raise_a_clear_error(
    start: Callable[..., RunningServer],
) -> None:
    schedule = dict.fromkeys(range(1, 10), "server_error_500")
    server = start(faults=FaultConfig(schedule=schedule))
    client = client_for(server, retry=RetryPolicy(max_retries=2, base_delay_s=0.01))
    with pytest.raises(RetriesExhaustedError, match="after 3 attempts") as caught:
        asyncio.run(client.complete_many(asks("a")))
    assert caught.value.attempts == 3
    assert caught.value.last_cause == "http_500"
    assert client.usage.failures == 1
    assert client.usage.retries == {"http_500": 2}


def test_client_errors_are_not_retried(start: Callable[..., RunningServer]) -> None:
    server = start()
    client = client_for(server)
    with pytest.raises(ChatRequestError, match="400") as caught:
        asyncio.run(client.complete_many(asks("a", max_tokens=0)))
    assert caught.value.status == 400
    assert client.usage.requests == 1
    assert client.usage.retries == {}


def test_other_answers_survive_one_failure(
    start: Callable[..., RunningServer], tmp_path: Path
) -> None:
    server = start()
    client = client_for(server, cache_path=tmp_path / "cache.sqlite")
    requests = [*asks("good one"), *asks("bad", max_tokens=0), *asks("good two")]
    with pytest.raises(ChatRequestError):
        asyncio.run(client.complete_many(requests))
    assert client.cache is not None and len(client.cache) == 2


def test_cache_makes_a_rerun_free(
    start: Callable[..., RunningServer], tmp_path: Path
) -> None:
    server = start()
    cache = tmp_path / "llm" / "cache.sqlite"
    requests = asks("one two", "three four", max_tokens=8)
    first = asyncio.run(client_for(server, cache_path=cache).complete_many(requests))
    assert server.stats.requests == 2
    again = client_for(server, cache_path=cache)  # a new process, same file
    second = asyncio.run(again.complete_many(requests))
    assert server.stats.requests == 2  # the server saw nothing new
    assert [r.text for r in second] == [r.text for r in first]
    assert all(r.cached and r.attempts == 0 for r in second)
    assert again.usage.cache_hits == 2
    assert again.usage.requests == 0
    asyncio.run(again.complete_many(asks("one two", max_tokens=9)))
    assert server.stats.requests == 3  # other parameters, other answer


def test_cache_key_covers_model_messages_and_params() -> None:
    messages = [{"role": "user", "content": "hi"}]
    base = cache_key("m", messages, {"max_tokens": 5})
    assert base == cache_key("m", [dict(messages[0])], {"max_tokens": 5})
    assert base != cache_key("other", messages, {"max_tokens": 5})
    assert base != cache_key("m", [{"role": "user", "content": "ho"}], {})
    assert base != cache_key("m", messages, {"max_tokens": 6})


def test_key_never_shows_in_logs_errors_or_reprs(
    start: Callable[..., RunningServer], caplog: pytest.LogCaptureFixture
) -> None:
    server = start(
        api_key=KEY,
        faults=FaultConfig(schedule={1: "unavailable_503"}, retry_after_s=0),
    )
    caplog.set_level(logging.DEBUG)
    good = client_for(server, api_key=KEY)
    asyncio.run(good.complete_many(asks("a")))
    assert good.usage.retries == {"http_503": 1}
    wrong_key = KEY[::-1]
    bad = client_for(server, api_key=Secret(wrong_key))
    with pytest.raises(ChatRequestError) as caught:
        asyncio.run(bad.complete_many(asks("a")))
    assert caught.value.status == 401
    shown = " ".join(
        [caplog.text, str(caught.value), repr(caught.value), repr(good), repr(bad)]
    )
    assert "Chat request failed (http_503)" in caplog.text
    assert KEY not in shown and wrong_key not in shown
    assert "**" in repr(good)


def test_sync_wrapper_works_inside_a_running_loop(
    start: Callable[..., RunningServer],
) -> None:
    server = start()
    client = client_for(server)
    assert [r.text for r in client.complete_many_sync(asks("a b"))] == ["b a"]

    async def inside_a_loop() -> list[str]:
        return [r.text for r in client.complete_many_sync(asks("c d"))]

    assert asyncio.run(inside_a_loop()) == ["d c"]
