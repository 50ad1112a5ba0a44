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
    ParquetDataset,
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


def test_json_lines_preview_of_a_missing_file_says_so(tmp_path) -> None:
    dataset = JSONLinesDataset(filepath=str(tmp_path / "missing.jsonl"))
    with pytest.raises(DatasetError, match="no JSON Lines file"):
        dataset.preview()


def test_json_lines_preview_is_a_table_of_the_first_rows(tmp_path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text('{"a": 1, "b": "x"}\n\n{"c": null, "a": 2.5}\n{"a": 3}\n')
    preview = JSONLinesDataset(filepath=str(path)).preview(nrows=2)
    assert preview == {
        "index": [0, 1],
        "columns": ["a", "b", "c"],
        "data": [[1, "x", None], [2.5, None, None]],
    }
    json.dumps(preview, allow_nan=False)  # what the Kedro-Viz API sends
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    assert JSONLinesDataset(filepath=str(empty)).preview()["data"] == []


def test_json_lines_preview_reads_only_the_lines_it_shows(tmp_path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_text('{"a": 1}\n{"a": 2}\nnot json: never read\n')
    assert JSONLinesDataset(filepath=str(path)).preview(nrows=2)["data"] == [[1], [2]]


def test_json_lines_preview_cuts_long_cells_and_flattens_one_level(tmp_path) -> None:
    path = tmp_path / "chat.jsonl"
    record = {
        "diff": "+" * 5000,
        "messages": [
            {"role": "system", "content": "Review."},
            {"role": "user", "content": "hé"},
            {"role": "assistant", "content": "ok"},
            {"role": "user", "content": "again"},
        ],
        "tools": [{"name": "grep"}],
        "meta": {"repo": "o/r", "labels": ["nit"], "deep": {"x": 1}},
        "score": float("nan"),
        "ok": True,
    }
    path.write_text(json.dumps(record) + "\n" + json.dumps([1, 2]) + "\n")
    preview = JSONLinesDataset(filepath=str(path)).preview()
    assert preview["columns"] == [
        "diff",
        "messages.system",
        "messages.user",
        "messages.assistant",
        "messages.user#2",
        "tools",
        "meta.repo",
        "meta.labels",
        "meta.deep",
        "score",
        "ok",
        "value",
    ]
    first, second = (dict(zip(preview["columns"], row)) for row in preview["data"])
    assert len(first["diff"]) == 200 and first["diff"].endswith("\u2026")
    assert first["messages.user"] == "hé" and first["messages.user#2"] == "again"
    assert first["tools"] == '[{"name":"grep"}]'
    assert first["meta.repo"] == "o/r" and first["meta.labels"] == '["nit"]'
    assert first["meta.deep"] == '{"x":1}'
    assert first["score"] == "nan" and first["ok"] is True and first["value"] is None
    assert second["value"] == "[1,2]" and second["diff"] is None
    json.dumps(preview, allow_nan=False)


def test_parquet_preview_is_json_even_with_list_columns(tmp_path) -> None:
    import pandas as pd  # noqa: PLC0415

    path = tmp_path / "train.parquet"
    chat = [
        {"role": "user", "content": "x" * 300},
        {"role": "assistant", "content": "y"},
    ]
    frame = pd.DataFrame(
        {
            "messages": [chat] * 7,
            "metadata": ['{"repo": "o/r"}'] * 7,
            "at": [pd.Timestamp("2026-01-02")] * 7,
        }
    )
    dataset = ParquetDataset(filepath=str(path))
    with pytest.raises(DatasetError, match="no parquet file"):
        dataset.preview()
    dataset.save(frame)
    preview = dataset.preview(nrows=3)
    # What Kedro-Viz's API sends: the stock preview gives numpy arrays here.
    json.dumps(preview, allow_nan=False)
    assert preview["columns"] == [
        "messages.user",
        "messages.assistant",
        "metadata",
        "at",
    ]
    assert len(preview["data"]) == 3
    assert preview["data"][0][0] == "x" * 199 + "\u2026"
    assert preview["data"][0][1:] == ["y", '{"repo": "o/r"}', "2026-01-02 00:00:00"]
    assert dataset.load().shape == (7, 3)


@pytest.mark.parametrize("dataset_type", [JSONLinesDataset, ParquetDataset])
def test_kedro_viz_sees_the_previews_as_tables(dataset_type) -> None:
    import inspect  # noqa: PLC0415

    annotation = inspect.signature(dataset_type.preview).return_annotation
    # Kedro-Viz names the preview type after the return annotation (a string here,
    # with postponed annotations) and shows a table for "TablePreview".
    assert getattr(annotation, "__name__", str(annotation)) == "TablePreview"


def test_kedro_viz_node_metadata_carries_the_table(tmp_path) -> None:
    """What Kedro-Viz's /api/nodes/<id> builds for the metadata panel."""
    from kedro_viz.models.flowchart.node_metadata import (  # noqa: PLC0415
        DataNodeMetadata,
    )
    from kedro_viz.models.flowchart.nodes import GraphNode  # noqa: PLC0415

    path = tmp_path / "sft.jsonl"
    path.write_text("".join(json.dumps({"i": i}) + "\n" for i in range(20)))
    dataset = JSONLinesDataset(
        filepath=str(path),
        metadata={"kedro-viz": {"layer": "model_input", "preview_args": {"nrows": 3}}},
    )
    node = GraphNode.create_data_node(
        dataset_id="sft",
        dataset_name="sft",
        layer="model_input",
        tags=set(),
        dataset=dataset,
        modular_pipelines=set(),
    )
    metadata = DataNodeMetadata(data_node=node)
    assert metadata.preview_type == "TablePreview"
    assert metadata.preview == {
        "index": [0, 1, 2],
        "columns": ["i"],
        "data": [[0], [1], [2]],
    }
