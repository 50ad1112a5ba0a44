"""The project's Kedro datasets: endpoint and local server, store, atomic JSON."""

from __future__ import annotations

import json
import urllib.request

import pytest
from kedro.io import DatasetError

from prreview.datasets import (
    OFFLINE_TOKEN,
    AtomicJSONDataset,
    ChatBackendDataset,
    GitHubAPIDataset,
    IngestStoreDataset,
    JSONLinesDataset,
    TextFolderDataset,
)
from prreview.github.store import IngestStore
from tests.conftest import SAMPLE

TOKEN = "ghp_DATASETTESTTOKEN0123456789abcdefghij"


def test_endpoint_for_real_github_takes_the_token_from_credentials() -> None:
    dataset = GitHubAPIDataset(credentials={"token": TOKEN}, etag_cache="x.sqlite")
    endpoint = dataset.load()
    assert endpoint.base_url == "https://api.github.com"
    assert endpoint.graphql_url == "https://api.github.com/graphql"
    assert endpoint.token.get() == TOKEN and endpoint.etag_cache == "x.sqlite"
    assert TOKEN not in repr(endpoint) and TOKEN not in str(dataset)
    assert dataset._describe()["token"] == "set"


def test_token_falls_back_to_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    assert GitHubAPIDataset(credentials={"token": None}).load().token.get() == TOKEN
    monkeypatch.delenv("GITHUB_TOKEN")
    assert not GitHubAPIDataset().load().token


def test_serving_a_snapshot_starts_and_stops_a_loopback_server(monkeypatch) -> None:
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    dataset = GitHubAPIDataset(
        serve_snapshot=str(SAMPLE),
        server={"latency_s": 0.0, "faults": {"rates": {"server_error_500": 0.0}}},
    )
    endpoint = dataset.load()
    assert endpoint.base_url.startswith("http://127.0.0.1:")
    assert endpoint.token.get() == OFFLINE_TOKEN, "GraphQL needs a token, any will do"
    with urllib.request.urlopen(
        f"{endpoint.base_url}/repos/tidewave/tidewave"
    ) as answer:
        assert json.load(answer)["full_name"] == "tidewave/tidewave"
    dataset.release()
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{endpoint.base_url}/rate_limit", timeout=2)


def test_endpoint_dataset_is_read_only() -> None:
    with pytest.raises(DatasetError):
        GitHubAPIDataset().save(None)


def test_ingest_store_dataset(tmp_path) -> None:
    dataset = IngestStoreDataset(path=str(tmp_path / "store"))
    assert not dataset.exists()
    store = dataset.load()
    assert isinstance(store, IngestStore) and dataset.exists()
    with pytest.raises(DatasetError):
        dataset.save(None)


def test_json_lines_round_trip_and_atomic_replace(tmp_path) -> None:
    dataset = JSONLinesDataset(filepath=str(tmp_path / "part" / "x.jsonl"))
    rows = [{"b": 1, "a": "é"}, {"c": None}]
    dataset.save(rows)
    assert dataset.load() == rows
    assert (tmp_path / "part" / "x.jsonl").read_text(encoding="utf-8").splitlines() == [
        '{"a": "é", "b": 1}',
        '{"c": null}',
    ]
    dataset.save([])
    assert dataset.load() == []
    assert sorted(p.name for p in (tmp_path / "part").iterdir()) == ["x.jsonl"]


def test_atomic_json_round_trip(tmp_path) -> None:
    dataset = AtomicJSONDataset(filepath=str(tmp_path / "report.json"))
    assert not dataset.exists()
    dataset.save({"b": [1, 2], "a": "x"})
    assert dataset.load() == {"a": "x", "b": [1, 2]}


def test_chat_backend_dataset_local_loads_lazily(tmp_path) -> None:
    from prreview.llm.backends import LocalChatBackend  # noqa: PLC0415

    dataset = ChatBackendDataset(
        backend="local", model_dir=str(tmp_path / "model"), cache=str(tmp_path / "c.db")
    )
    backend = dataset.load()
    assert isinstance(backend, LocalChatBackend)
    assert not (tmp_path / "model").exists(), "nothing is materialized before a miss"
    with pytest.raises(DatasetError):
        dataset.save(None)


@pytest.mark.parametrize(
    "options",
    [{"backend": "anthropic"}, {"backend": "local"}],
)
def test_chat_backend_dataset_refuses_bad_options(options) -> None:
    with pytest.raises(DatasetError):
        ChatBackendDataset(**options)


def test_chat_backend_dataset_openai_keeps_the_key_secret(monkeypatch) -> None:
    key = "sk-DATASETTEST0123456789"
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    dataset = ChatBackendDataset(
        backend="openai",
        model="gpt-4o-mini",
        base_url="https://api.openai.com/v1",
        credentials={"api_key": key, "base_url": "http://127.0.0.1:9/v1"},
    )
    client = dataset.load()
    assert client.base_url == "http://127.0.0.1:9/v1", "credentials' base_url wins"
    assert key not in repr(client) and key not in str(dataset._describe())
    monkeypatch.setenv("OPENAI_API_KEY", key)
    from_env = ChatBackendDataset(backend="openai", model="m").load()
    assert key not in repr(from_env)


@pytest.mark.slow
def test_chat_backend_dataset_serves_the_local_model(bundled_model_dir) -> None:
    from prreview.llm.client import ChatRequest  # noqa: PLC0415

    dataset = ChatBackendDataset(
        backend="openai", serve_model_dir=str(bundled_model_dir), max_batch_size=2
    )
    client = dataset.load()
    assert client.base_url.startswith("http://127.0.0.1:")
    (answer,) = client.complete_each_sync(
        [ChatRequest(messages=[{"role": "user", "content": "Hi"}], max_tokens=4)]
    )
    assert answer.completion_tokens <= 4
    dataset.release()
    assert dataset._running == []


def test_text_folder_dataset(tmp_path) -> None:
    assert TextFolderDataset(str(tmp_path / "missing")).load() == {}
    (tmp_path / "a__b.md").write_text("# A")
    (tmp_path / "notes.txt").write_text("not markdown")
    (tmp_path / "dir.md").mkdir()
    assert TextFolderDataset(str(tmp_path)).load() == {"a__b": "# A"}
    with pytest.raises(DatasetError):
        TextFolderDataset(str(tmp_path)).save(None)
    (tmp_path / "c.jsonl").write_text("{}")
    both = TextFolderDataset(str(tmp_path), suffix=[".md", ".jsonl"]).load()
    assert both == {"a__b.md": "# A", "c.jsonl": "{}"}


def test_text_folder_dataset_drops_a_utf8_byte_order_mark(tmp_path) -> None:
    (tmp_path / "log.json").write_text("[]", encoding="utf-8-sig")
    assert TextFolderDataset(str(tmp_path), suffix=".json").load() == {"log": "[]"}
