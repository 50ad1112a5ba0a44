"""The project's Kedro datasets: endpoint and local server, store, atomic JSON."""

from __future__ import annotations

import json
import urllib.request

import pytest
from kedro.io import DatasetError

from prreview.datasets import (
    OFFLINE_TOKEN,
    AtomicJSONDataset,
    GitHubAPIDataset,
    IngestStoreDataset,
    JSONLinesDataset,
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
