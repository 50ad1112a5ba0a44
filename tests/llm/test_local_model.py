"""The bundled model: materializing it, and (slow) a real answer through the server."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from prreview.llm.client import ChatClient, ChatRequest
from prreview.llm.local_model import (
    BUNDLED_MODEL_NAME,
    MARKER,
    GenerationParams,
    LocalChatModel,
    bundled_gguf_path,
    is_materialized,
    materialize_bundled_model,
)
from prreview.llm.server import ServerConfig, serve_in_thread

QUESTION = [{"role": "user", "content": "What is the capital of France?"}]


def test_bundled_gguf_is_installed() -> None:
    path = bundled_gguf_path()
    assert path.name == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert path.stat().st_size > 50_000_000


def test_a_complete_folder_is_not_redone(tmp_path: Path) -> None:
    (tmp_path / MARKER).write_text("{}")
    assert is_materialized(tmp_path)
    # Returns at once: with the marker there it must not even import transformers.
    assert materialize_bundled_model(tmp_path, gguf_path=tmp_path / "missing") == (
        tmp_path
    )
    assert not is_materialized(tmp_path / "elsewhere")


def test_generation_params_are_checked() -> None:
    assert GenerationParams(stop=["a"]).stop == ("a",)  # type: ignore[arg-type]
    for bad in ({"max_tokens": 0}, {"temperature": -1.0}, {"top_p": 0.0}):
        with pytest.raises(ValueError):
            GenerationParams(**bad)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def model_dir(bundled_model_dir: Path) -> Path:
    return bundled_model_dir


@pytest.mark.slow
def test_materialized_folder_is_complete(model_dir: Path) -> None:
    marker = json.loads((model_dir / MARKER).read_text())
    assert marker["source"] == bundled_gguf_path().name
    assert (model_dir / "config.json").is_file()
    assert (model_dir / "tokenizer_config.json").is_file()
    config = json.loads((model_dir / "config.json").read_text())
    assert "quantization_config" not in config
    assert materialize_bundled_model(model_dir) == model_dir  # skipped


@pytest.mark.slow
def test_local_model_greedy_batched_and_limits(local_model: LocalChatModel) -> None:
    alone = local_model.generate([QUESTION], GenerationParams(max_tokens=12))[0]
    assert "Paris" in alone.text
    assert alone.prompt_tokens > 5
    assert 0 < alone.completion_tokens <= 13
    other = [{"role": "user", "content": "Name a colour."}]
    batch = local_model.generate(
        [other, QUESTION, QUESTION],
        [
            GenerationParams(max_tokens=12),
            GenerationParams(max_tokens=12),
            GenerationParams(max_tokens=3),
        ],
    )
    assert batch[1].text == alone.text  # left padding leaves greedy output alone
    assert batch[2].finish_reason == "length"
    assert batch[2].completion_tokens == 3
    stopped = local_model.generate(
        [QUESTION], GenerationParams(max_tokens=20, stop=("Paris",))
    )[0]
    assert stopped.finish_reason == "stop"
    assert "Paris" not in stopped.text


@pytest.mark.slow
def test_end_to_end_through_server_and_client(
    local_model: LocalChatModel, tmp_path: Path
) -> None:
    config = ServerConfig(
        backend=local_model, model_name=BUNDLED_MODEL_NAME, batch_window_s=0.2
    )
    with serve_in_thread(config) as server:
        client = ChatClient(
            server.base_url,
            api_key=None,
            model=BUNDLED_MODEL_NAME,
            cache_path=tmp_path / "cache.sqlite",
        )
        requests = [
            ChatRequest(messages=QUESTION, max_tokens=16),
            ChatRequest(
                messages=[
                    {"role": "system", "content": "You review code tersely."},
                    {"role": "user", "content": "Review: `x = x + 1`"},
                ],
                max_tokens=16,
            ),
        ]
        results = asyncio.run(client.complete_many(requests))
        assert all(r.text.strip() for r in results)
        assert all(r.finish_reason in {"stop", "length"} for r in results)
        assert all(
            r.prompt_tokens > 0 and 0 < r.completion_tokens <= 17 for r in results
        )
        assert client.usage.completion_tokens == sum(
            r.completion_tokens for r in results
        )
        assert server.stats.completion_tokens == client.usage.completion_tokens
        assert server.stats.batches == 1  # both arrived within the window
        again = asyncio.run(client.complete_many(requests))
        assert [r.text for r in again] == [r.text for r in results]
        assert server.stats.requests == 2


def test_concurrent_callers_materialize_once(tmp_path: Path, monkeypatch) -> None:
    """summarize and the commits tokenizer may ask at the same moment."""
    import threading  # noqa: PLC0415
    import time  # noqa: PLC0415

    from prreview.llm import local_model  # noqa: PLC0415

    calls: list[Path] = []

    def slow_materialize(target: Path, gguf_path: object) -> Path:
        calls.append(target)
        time.sleep(0.2)
        target.mkdir(parents=True)
        (target / MARKER).write_text("{}")
        return target

    monkeypatch.setattr(local_model, "_materialize", slow_materialize)
    target = tmp_path / "models" / "smollm2"
    threads = [
        threading.Thread(target=materialize_bundled_model, args=(target,))
        for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert calls == [target]
    assert is_materialized(target)
