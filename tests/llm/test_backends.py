"""The two chat backends behind one interface: ``local`` (in-process generation)
and ``openai`` (ChatClient over real loopback HTTP), each with its cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from prreview.llm.backends import ChatBackend, LocalChatBackend
from prreview.llm.client import (
    ChatClient,
    ChatRequest,
    ChatRequestError,
    ChatResult,
    RetryPolicy,
    cache_key,
)
from prreview.llm.server import FaultConfig, ServerConfig, serve_in_thread
from tests.llm.test_server import MODEL, EchoBackend


def asks(*texts: str, max_tokens: int = 16) -> list[ChatRequest]:
    return [
        ChatRequest(messages=[{"role": "user", "content": t}], max_tokens=max_tokens)
        for t in texts
    ]


def test_local_backend_answers_in_order_and_caches(tmp_path: Path) -> None:
    echo = EchoBackend()
    cache = tmp_path / "cache.sqlite"
    backend = LocalChatBackend(
        tmp_path / "unused", model=MODEL, cache_path=cache, generator=echo
    )
    assert isinstance(backend, ChatBackend)
    first = backend.complete_each_sync(asks("a b", "c d e", "f"))
    assert [r.text for r in first] == ["b a", "e d c", "f"]  # type: ignore[union-attr]
    assert echo.batches == [3]
    assert backend.usage.requests == 3 and backend.usage.completion_tokens == 6

    again = LocalChatBackend(
        tmp_path / "unused", model=MODEL, cache_path=cache, generator=echo
    )
    second = again.complete_each_sync(asks("f", "a b", "new one"))
    assert [r.text for r in second] == ["f", "b a", "eno wen"]  # type: ignore[union-attr]
    assert [r.cached for r in second] == [True, True, False]  # type: ignore[union-attr]
    assert echo.batches == [3, 1], "only the miss is generated"
    assert again.usage.cache_hits == 2


def test_local_backend_isolates_a_failing_row(tmp_path: Path) -> None:
    echo = EchoBackend()
    backend = LocalChatBackend(tmp_path, model=MODEL, generator=echo)
    outcomes = backend.complete_each_sync(asks("one two", "boom", "three"))
    assert isinstance(outcomes[1], ChatRequestError)
    assert [o.text for o in (outcomes[0], outcomes[2])] == ["owt eno", "eerht"]  # type: ignore[union-attr]
    assert echo.batches == [3, 1, 1, 1], "the batch failed, then row by row"
    assert backend.usage.failures == 1


def test_local_backend_without_a_model_says_where_it_looked(tmp_path: Path) -> None:
    backend = LocalChatBackend(tmp_path / "nothing", materialize=False)
    with pytest.raises(FileNotFoundError, match="nothing"):
        backend.complete_each_sync(asks("x"))
    with pytest.raises(ValueError):
        LocalChatBackend(tmp_path, max_batch_size=0)


def test_cache_keys_differ_per_backend() -> None:
    messages = [{"role": "user", "content": "hi"}]
    assert cache_key("m", messages, {}, backend="local") != cache_key(
        "m", messages, {}, backend="openai"
    )


def test_openai_backend_returns_failures_in_place(tmp_path: Path) -> None:
    """Every 3rd request gets a 500 for good (no retries left): the others answer."""
    faults = FaultConfig(schedule={2: "server_error_500"})
    with serve_in_thread(
        ServerConfig(backend=EchoBackend(), model_name=MODEL, faults=faults)
    ) as server:
        client = ChatClient(
            server.base_url,
            None,
            MODEL,
            retry=RetryPolicy(max_retries=0),
            concurrency=1,
        )
        outcomes = client.complete_each_sync(asks("a b", "c d", "e f"))
    assert isinstance(outcomes[0], ChatResult) and outcomes[0].text == "b a"
    assert not isinstance(outcomes[1], ChatResult)
    assert isinstance(outcomes[2], ChatResult) and outcomes[2].text == "f e"
    assert client.usage.failures == 1


@pytest.mark.parametrize(
    "fault", ["rate_limit_429", "server_error_500", "malformed_json", "drop_connection"]
)
def test_openai_backend_retries_each_transient_fault(fault: str) -> None:
    faults = FaultConfig(schedule={1: fault, 2: fault}, retry_after_s=0.01)
    with serve_in_thread(
        ServerConfig(backend=EchoBackend(), model_name=MODEL, faults=faults)
    ) as server:
        client = ChatClient(
            server.base_url, None, MODEL, retry=RetryPolicy(base_delay_s=0.01)
        )
        (result,) = client.complete_each_sync(asks("x y"))
        stats = server.stats.as_dict()
    assert isinstance(result, ChatResult) and result.text == "y x"
    assert result.attempts == 3
    assert sum(client.usage.retries.values()) == 2
    assert sum(stats["faults"].values()) == 2


def test_openai_backend_times_out_slow_answers_and_retries() -> None:
    faults = FaultConfig(schedule={1: "slow"}, slow_delay_s=2.0)
    with serve_in_thread(
        ServerConfig(backend=EchoBackend(), model_name=MODEL, faults=faults)
    ) as server:
        client = ChatClient(
            server.base_url,
            None,
            MODEL,
            timeout_s=0.3,
            retry=RetryPolicy(base_delay_s=0.01),
        )
        (result,) = client.complete_each_sync(asks("slow one"))
    assert isinstance(result, ChatResult) and result.text == "eno wols"
    assert client.usage.retries["timeout"] == 1


@pytest.mark.slow
def test_local_backend_with_the_bundled_model(
    bundled_model_dir: Path, tmp_path: Path
) -> None:
    backend = LocalChatBackend(
        bundled_model_dir, cache_path=tmp_path / "c.sqlite", max_batch_size=4
    )
    outcomes = backend.complete_each_sync(
        asks("Name a colour.", "Say hello.", "Count to three.", max_tokens=8)
    )
    assert all(isinstance(o, ChatResult) and o.text.strip() for o in outcomes)
    assert all(o.completion_tokens <= 8 for o in outcomes)  # type: ignore[union-attr]
    assert backend.usage.requests == 3
