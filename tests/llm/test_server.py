"""The OpenAI-compatible server over real loopback HTTP, with a tiny fake backend."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import aiohttp
import httpx
import pytest

from prreview.llm.local_model import GenerationParams, GenerationResult, Message
from prreview.llm.server import (
    FaultConfig,
    FaultKind,
    RunningServer,
    ServerConfig,
    ServerState,
    serve_in_thread,
)
from prreview.serving import ensure_loopback

MODEL = "echo-model"


class EchoBackend:
    """Answers with the last message reversed; deterministic and instant-ish.

    ``delay_s`` per call makes concurrent requests pile up so batching shows; a
    message "boom" fails the whole batch (the server then retries rows singly).
    """

    def __init__(self, delay_s: float = 0.0) -> None:
        self.delay_s = delay_s
        self.batches: list[int] = []
        self.params: list[GenerationParams] = []
        self._lock = threading.Lock()

    def generate(
        self, batch: Sequence[Sequence[Message]], params: Sequence[GenerationParams]
    ) -> list[GenerationResult]:
        with self._lock:
            self.batches.append(len(batch))
            self.params.extend(params)
        if any(m[-1]["content"] == "boom" for m in batch):
            raise RuntimeError("backend exploded")
        time.sleep(self.delay_s)
        results = []
        for messages, p in zip(batch, params):
            words = messages[-1]["content"][::-1].split()
            kept = words[: p.max_tokens]
            results.append(
                GenerationResult(
                    text=" ".join(kept),
                    finish_reason="length" if len(words) > p.max_tokens else "stop",
                    prompt_tokens=sum(len(m["content"].split()) for m in messages),
                    completion_tokens=len(kept),
                )
            )
        return results


def chat_body(content: str = "hello world", **extra: Any) -> dict[str, Any]:
    return {"model": MODEL, "messages": [{"role": "user", "content": content}], **extra}


@pytest.fixture
def start() -> Iterator[Callable[..., RunningServer]]:
    servers: list[RunningServer] = []

    def make(backend: Any = None, **kwargs: Any) -> RunningServer:
        config = ServerConfig(
            backend=backend or EchoBackend(), model_name=MODEL, **kwargs
        )
        server = serve_in_thread(config)
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


def post(server: RunningServer, body: Any, **kwargs: Any) -> httpx.Response:
    return httpx.post(f"{server.base_url}/chat/completions", json=body, **kwargs)


def assert_error_shape(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert set(error) == {"message", "type", "param", "code"}
    assert isinstance(error["message"], str) and error["message"]
    return error


def test_chat_completion_has_openai_shape(start: Callable[..., RunningServer]) -> None:
    server = start()
    assert server.base_url.startswith("http://127.0.0.1:")
    assert server.base_url.endswith("/v1")
    response = post(server, chat_body("abc def", max_tokens=5))
    assert response.status_code == 200
    data = response.json()
    assert data["id"].startswith("chatcmpl-")
    assert data["object"] == "chat.completion"
    assert isinstance(data["created"], int)
    assert data["model"] == MODEL
    (choice,) = data["choices"]
    assert choice["index"] == 0
    assert choice["message"]["role"] == "assistant"
    assert choice["message"]["content"] == "fed cba"
    assert choice["finish_reason"] == "stop"
    assert data["usage"] == {
        "prompt_tokens": 2,
        "completion_tokens": 2,
        "total_tokens": 4,
    }


def test_parameters_reach_the_backend(start: Callable[..., RunningServer]) -> None:
    backend = EchoBackend()
    server = start(backend)
    body = chat_body(max_tokens=1, temperature=0.7, top_p=0.9, stop=["x"], seed=3)
    data = post(server, body).json()
    assert data["choices"][0]["finish_reason"] == "length"
    assert backend.params[-1] == GenerationParams(
        max_tokens=1, temperature=0.7, top_p=0.9, stop=("x",), seed=3
    )
    post(server, chat_body(stop="y", max_completion_tokens=7))
    assert backend.params[-1].stop == ("y",)
    assert backend.params[-1].max_tokens == 7
    post(server, chat_body())
    assert backend.params[-1] == GenerationParams(max_tokens=256)


BAD_MESSAGES = [{"role": "user", "content": "hi"}]


@pytest.mark.parametrize(
    ("body", "status", "param", "code"),
    [
        ({"messages": BAD_MESSAGES}, 400, None, None),
        ({"model": MODEL}, 400, "messages", "missing_required_parameter"),
        ({"model": MODEL, "messages": []}, 400, "messages", "empty_array"),
        ({"model": MODEL, "messages": "hi"}, 400, "messages", "invalid_type"),
        (
            {"model": MODEL, "messages": [{"role": "tool", "content": "x"}]},
            400,
            "messages[0].role",
            "invalid_value",
        ),
        (
            {"model": MODEL, "messages": [{"role": "user", "content": ["x"]}]},
            400,
            "messages[0].content",
            "invalid_type",
        ),
        (
            {"model": MODEL, "messages": [{"role": "user"}]},
            400,
            "messages[0].content",
            "missing_required_parameter",
        ),
        (chat_body(n=2), 400, "n", "invalid_value"),
        (chat_body(max_tokens=0), 400, "max_tokens", "integer_below_min_value"),
        (chat_body(max_tokens="5"), 400, "max_tokens", "invalid_type"),
        (chat_body(max_tokens=True), 400, "max_tokens", "invalid_type"),
        (chat_body(max_tokens=10**6), 400, "max_tokens", "invalid_value"),
        (chat_body(temperature=2.5), 400, "temperature", "invalid_value"),
        (chat_body(top_p=-0.1), 400, "top_p", "invalid_value"),
        (chat_body(stop=["a"] * 5), 400, "stop", "invalid_value"),
        (chat_body(stream=True), 400, "stream", "unsupported_value"),
        (chat_body(seed=1.5), 400, "seed", "invalid_type"),
        (chat_body(frobnicate=1), 400, None, None),
        ({**chat_body(), "model": "gpt-4o"}, 404, None, "model_not_found"),
        ([1, 2], 400, None, None),
    ],
)
def test_request_validation(
    start: Callable[..., RunningServer],
    body: Any,
    status: int,
    param: str | None,
    code: str | None,
) -> None:
    server = start()
    error = assert_error_shape(post(server, body), status)
    assert error["param"] == param
    assert error["code"] == code
    assert error["type"] == "invalid_request_error"


def test_invalid_json_and_unknown_routes(start: Callable[..., RunningServer]) -> None:
    server = start()
    response = httpx.post(
        f"{server.base_url}/chat/completions",
        content=b"{not json",
        headers={"Content-Type": "application/json"},
    )
    assert "parse the JSON" in assert_error_shape(response, 400)["message"]
    assert_error_shape(httpx.get(f"{server.base_url}/nothing"), 404)
    assert_error_shape(httpx.get(f"{server.base_url}/chat/completions"), 405)


def test_models_endpoint(start: Callable[..., RunningServer]) -> None:
    server = start()
    data = httpx.get(f"{server.base_url}/models").json()
    assert data["object"] == "list"
    assert [m["id"] for m in data["data"]] == [MODEL]
    assert httpx.get(f"{server.base_url}/models/{MODEL}").json()["id"] == MODEL
    error = assert_error_shape(httpx.get(f"{server.base_url}/models/other"), 404)
    assert error["code"] == "model_not_found"


def test_api_key_is_checked(start: Callable[..., RunningServer]) -> None:
    server = start(api_key="sk-local-test")
    missing = assert_error_shape(post(server, chat_body()), 401)
    assert "didn't provide an API key" in missing["message"]
    wrong = post(server, chat_body(), headers={"Authorization": "Bearer sk-nope"})
    error = assert_error_shape(wrong, 401)
    assert error["code"] == "invalid_api_key"
    assert "sk-nope" not in wrong.text and "sk-local-test" not in wrong.text
    assert_error_shape(httpx.get(f"{server.base_url}/models"), 401)
    good = {"Authorization": "Bearer sk-local-test"}
    assert post(server, chat_body(), headers=good).status_code == 200
    assert "sk-local-test" not in repr(server.config)


async def _concurrent(server: RunningServer, bodies: list[dict[str, Any]]) -> list:
    async with aiohttp.ClientSession() as session:

        async def one(body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
            async with session.post(
                f"{server.base_url}/chat/completions", json=body
            ) as response:
                return response.status, await response.json()

        return await asyncio.gather(*(one(b) for b in bodies))


def test_concurrent_requests_are_batched(start: Callable[..., RunningServer]) -> None:
    backend = EchoBackend(delay_s=0.1)
    server = start(backend, batch_window_s=0.05, max_batch_size=4)
    bodies = [chat_body(f"request {i}") for i in range(10)]
    answers = asyncio.run(_concurrent(server, bodies))
    assert [status for status, _ in answers] == [200] * 10
    texts = [data["choices"][0]["message"]["content"] for _, data in answers]
    assert texts == [f"{i} tseuqer" for i in range(10)]  # each got its own answer
    stats = server.stats.as_dict()
    assert stats["requests"] == 10
    assert stats["batched_requests"] == 10
    assert server.stats.batches < 10
    assert max(server.stats.batch_sizes) > 1
    assert max(server.stats.batch_sizes) <= 4
    assert stats["completion_tokens"] == 20


def test_a_failing_row_does_not_sink_its_batch(
    start: Callable[..., RunningServer],
) -> None:
    backend = EchoBackend(delay_s=0.05)
    server = start(backend, batch_window_s=0.05)
    bodies = [chat_body("fine one"), chat_body("boom"), chat_body("fine two")]
    answers = asyncio.run(_concurrent(server, bodies))
    assert [status for status, _ in answers] == [200, 500, 200]
    assert answers[1][1]["error"]["type"] == "server_error"
    assert "exploded" not in str(answers[1][1])  # internals stay in the log


@pytest.mark.parametrize(
    ("kind", "status", "retry_after"),
    [
        (FaultKind.RATE_LIMIT_429, 429, True),
        (FaultKind.SERVER_ERROR_500, 500, False),
        (FaultKind.UNAVAILABLE_503, 503, True),
    ],
)
def test_error_faults(
    start: Callable[..., RunningServer],
    kind: FaultKind,
    status: int,
    retry_after: bool,
) -> None:
    server = start(faults=FaultConfig(schedule={1: kind}, retry_after_s=2.5))
    response = post(server, chat_body())
    error = assert_error_shape(response, status)
    if retry_after:
        assert response.headers["Retry-After"] == "2"
        assert response.headers["retry-after-ms"] == "2500"
    if status == 429:
        assert error["code"] == "rate_limit_exceeded"
    assert post(server, chat_body()).status_code == 200
    assert server.stats.faults == {kind.value: 1}
    assert server.stats.statuses == {status: 1, 200: 1}


def test_slow_fault_delays_but_answers(start: Callable[..., RunningServer]) -> None:
    server = start(faults=FaultConfig(schedule={1: "slow"}, slow_delay_s=0.4))
    began = time.perf_counter()
    assert post(server, chat_body()).status_code == 200
    assert time.perf_counter() - began >= 0.4
    assert server.stats.faults == {"slow": 1}


def test_dropped_connection(start: Callable[..., RunningServer]) -> None:
    server = start(faults=FaultConfig(schedule={1: "drop_connection"}))
    with pytest.raises(httpx.TransportError):
        post(server, chat_body())
    assert post(server, chat_body()).status_code == 200
    assert server.stats.faults == {"drop_connection": 1}


def test_fault_rates_are_seeded_and_capped() -> None:
    def draws(seed: int, max_faults: int | None = None) -> list[FaultKind | None]:
        faults = FaultConfig(
            rates={"server_error_500": 0.3, "slow": 0.2},
            seed=seed,
            max_faults=max_faults,
        )
        state = ServerState(ServerConfig(backend=EchoBackend(), faults=faults))
        return [state.next_fault() for _ in range(200)]

    first = draws(7)
    assert first == draws(7)
    assert first != draws(8)
    share = sum(f is not None for f in first) / len(first)
    assert 0.35 < share < 0.65
    assert sum(f is not None for f in draws(7, max_faults=3)) == 3
    with pytest.raises(ValueError, match="unknown fault kind"):
        FaultConfig(rates={"gremlins": 0.1})
    with pytest.raises(ValueError, match="at most 1"):
        FaultConfig(rates={"slow": 0.7, "server_error_500": 0.7})


def test_only_loopback() -> None:
    ensure_loopback("127.0.0.1")
    ensure_loopback("::1")
    with pytest.raises(ValueError, match="non-loopback"):
        ensure_loopback("0.0.0.0")
    with pytest.raises(ValueError, match="non-loopback"):
        serve_in_thread(ServerConfig(backend=EchoBackend(), host="8.8.8.8"))


def test_stats_endpoint(start: Callable[..., RunningServer]) -> None:
    server = start()
    post(server, chat_body())
    root = server.base_url.removesuffix("/v1")
    stats = httpx.get(f"{root}/_stats").json()
    assert stats["requests"] == 1
    assert stats["batches"] == 1


class CountsOverlap:
    """Sleeps per call and records the most calls in progress at once."""

    def __init__(self, delay_s: float) -> None:
        self.delay_s = delay_s
        self.running = 0
        self.most = 0
        self._lock = threading.Lock()

    def generate(
        self, batch: Sequence[Sequence[Message]], params: Sequence[GenerationParams]
    ) -> list[GenerationResult]:
        with self._lock:
            self.running += 1
            self.most = max(self.most, self.running)
        time.sleep(self.delay_s)
        with self._lock:
            self.running -= 1
        return [GenerationResult("ok", "stop", 1, 1) for _ in batch]


@pytest.mark.parametrize("parallel", [1, 3])
def test_parallel_batches_bound_the_calls_in_progress(parallel: int) -> None:
    backend = CountsOverlap(0.2)
    config = ServerConfig(
        backend=backend, model_name=MODEL, max_batch_size=1, parallel_batches=parallel
    )
    with serve_in_thread(config) as server:

        async def send_all() -> list[int]:
            async with aiohttp.ClientSession() as session:

                async def one() -> int:
                    async with session.post(
                        f"{server.base_url}/chat/completions", json=chat_body()
                    ) as response:
                        return response.status

                return await asyncio.gather(*(one() for _ in range(6)))

        assert asyncio.run(send_all()) == [200] * 6
    assert backend.most == parallel
    with pytest.raises(ValueError):
        ServerConfig(backend=backend, parallel_batches=0)
