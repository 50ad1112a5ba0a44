"""Kedro datasets of the project: where the GitHub API is, where ingest keeps its state,
and JSON Lines files written atomically.

Paths, endpoints and credentials live in the catalog, so nodes stay free of I/O details
and ``conf/prod`` can point the very same pipeline at api.github.com.
"""

from __future__ import annotations

import atexit
import json
import logging
import math
import os
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from kedro.io import AbstractDataset, AbstractVersionedDataset, DatasetError, Version
from kedro.io.core import get_filepath_str
from kedro_datasets._typing import TablePreview
from kedro_datasets.pandas import ParquetDataset as PandasParquetDataset

from prreview.atomic import TMP_PREFIX, atomic_write_bytes
from prreview.github.store import IngestStore
from prreview.secret import Secret

logger = logging.getLogger(__name__)

OFFLINE_TOKEN = "offline-snapshot"  # noqa: S105 - not a secret: only the local server sees it
PREVIEW_CELL_CHARS = 200  # a Kedro-Viz table cell longer than this is cut


@dataclass(frozen=True)
class GitHubEndpoint:
    """What a node needs to reach GitHub: URLs, the token, the ETag cache location."""

    base_url: str
    graphql_url: str
    token: Secret
    etag_cache: str | None = None
    offline_snapshot: str | None = None


class GitHubAPIDataset(AbstractDataset[None, GitHubEndpoint]):
    """Loads a :class:`GitHubEndpoint`.

    With ``serve_snapshot`` set, loading starts the local GitHub-compatible server on
    127.0.0.1 over that snapshot folder and points the endpoint at it; the server stops
    when Kedro releases the dataset or the process exits. The token comes from the
    catalog's ``credentials`` (``token:``) or the ``GITHUB_TOKEN`` environment variable.
    """

    def __init__(
        self,
        base_url: str = "https://api.github.com",
        graphql_url: str | None = None,
        serve_snapshot: str | None = None,
        server: dict[str, Any] | None = None,
        etag_cache: str | None = None,
        credentials: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self._graphql_url = graphql_url
        self._serve_snapshot = serve_snapshot
        self._server_options = dict(server or {})
        self._etag_cache = etag_cache
        token = (credentials or {}).get("token") or os.environ.get("GITHUB_TOKEN")
        self._token = Secret(token)
        self._running: list[Any] = []
        self.metadata = metadata

    def load(self) -> GitHubEndpoint:
        if self._serve_snapshot is None:
            return GitHubEndpoint(
                base_url=self._base_url,
                graphql_url=self._graphql_url or f"{self._base_url}/graphql",
                token=self._token,
                etag_cache=self._etag_cache,
            )
        from prreview.github.server import ServerConfig, serve_in_thread  # noqa: PLC0415

        config = ServerConfig(
            snapshot=Path(self._serve_snapshot), **self._server_options
        )
        running = serve_in_thread(config)
        self._running.append(running)
        atexit.register(running.stop)
        logger.info(
            "Serving GitHub snapshot %s at %s", self._serve_snapshot, running.base_url
        )
        # GitHub's GraphQL needs a token; the local server accepts any, so the offline
        # default works without credentials.
        return GitHubEndpoint(
            base_url=running.base_url,
            graphql_url=running.graphql_url,
            token=self._token or Secret(OFFLINE_TOKEN),
            etag_cache=self._etag_cache,
            offline_snapshot=self._serve_snapshot,
        )

    def save(self, data: None) -> None:
        raise DatasetError("GitHubAPIDataset is read-only")

    def _release(self) -> None:
        while self._running:
            self._running.pop().stop()

    def _describe(self) -> dict[str, Any]:
        return {
            "base_url": self._base_url,
            "serve_snapshot": self._serve_snapshot,
            "etag_cache": self._etag_cache,
            "token": "set" if self._token else "unset",
        }


class IngestStoreDataset(AbstractDataset[None, IngestStore]):
    """Loads the :class:`IngestStore` rooted at ``path`` (state.sqlite and raw
    partitions). With ``redact`` (the default), secrets in raw payloads and error
    records are replaced before anything is written (prreview.curate.redact), so no
    layer of the data ever holds one."""

    def __init__(
        self, path: str, redact: bool = True, metadata: dict[str, Any] | None = None
    ) -> None:
        self._path = path
        self._redact = redact
        self.metadata = metadata

    def load(self) -> IngestStore:
        if not self._redact:
            return IngestStore(self._path)
        from prreview.curate.redact import Redactor  # noqa: PLC0415

        redactor = Redactor()
        return IngestStore(
            self._path, scrub=lambda value: redactor.redact_value(value)[0]
        )

    def save(self, data: None) -> None:
        raise DatasetError("IngestStoreDataset is written through the store it loads")

    def _exists(self) -> bool:
        return (Path(self._path) / "state.sqlite").exists()

    def _describe(self) -> dict[str, Any]:
        return {"path": self._path, "redact": self._redact}


class JSONLinesDataset(AbstractDataset[list[dict[str, Any]], list[dict[str, Any]]]):
    """A list of JSON objects, one per line, saved atomically
    (temp file, fsync, rename)."""

    def __init__(self, filepath: str, metadata: dict[str, Any] | None = None) -> None:
        self._filepath = Path(filepath)
        self.metadata = metadata

    def load(self) -> list[dict[str, Any]]:
        with self._filepath.open(encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]

    def save(self, data: list[dict[str, Any]]) -> None:
        lines = "".join(
            json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n" for row in data
        )
        atomic_write_bytes(self._filepath, lines.encode("utf-8"))

    def _exists(self) -> bool:
        return self._filepath.exists()

    def _describe(self) -> dict[str, Any]:
        return {"filepath": str(self._filepath)}

    def preview(self, nrows: int = 5) -> TablePreview:
        """The first ``nrows`` records as a Kedro-Viz table (pandas' ``split``
        layout), reading only those lines of the file.

        Nested objects are flattened one level (``meta.repo``, a chat's turns as
        ``messages.user``); deeper values become compact JSON, and every cell is cut
        to ``PREVIEW_CELL_CHARS`` characters, so diffs and chats stay readable in a
        table. The return annotation is what
        Kedro-Viz reads to pick its table view.
        """
        if not self._filepath.is_file():
            raise DatasetError(f"no JSON Lines file at {self._filepath} to preview")
        records: list[Any] = []
        with self._filepath.open(encoding="utf-8") as handle:
            for line in handle:
                if len(records) >= nrows:
                    break
                if line.strip():
                    records.append(json.loads(line))
        return _table_preview(records)


class ParquetDataset(PandasParquetDataset):
    """``pandas.ParquetDataset`` whose Kedro-Viz preview is a readable table.

    The stock preview hands Kedro-Viz numpy arrays for list columns (the SFT
    ``messages``), which its API cannot serialize: the node's metadata panel fails
    with HTTP 500. This one reads only the first ``nrows`` rows, as Python objects,
    and shows them like :meth:`JSONLinesDataset.preview` does.
    """

    def preview(self, nrows: int = 5) -> TablePreview:
        """The first ``nrows`` rows as a Kedro-Viz table."""
        import pyarrow.parquet as pq  # noqa: PLC0415

        if not self._exists():
            raise DatasetError(f"no parquet file at {self._filepath} to preview")
        path = get_filepath_str(self._get_load_path(), self._protocol)
        with self._fs.open(path, mode="rb") as handle:
            batches = pq.ParquetFile(handle).iter_batches(
                batch_size=max(nrows, 1), columns=self._load_args.get("columns")
            )
            batch = next(batches, None)
            records = batch.to_pylist()[:nrows] if batch is not None else []
        return _table_preview(records)


def _table_preview(records: list[Any]) -> TablePreview:
    """Records as a Kedro-Viz table: the union of their cells as columns, in the
    order they first appear, None (never NaN: the API answers in strict JSON)
    where a record lacks one."""
    import pandas as pd  # noqa: PLC0415

    cells = [_flatten_for_preview(record) for record in records]
    columns = list(dict.fromkeys(key for row in cells for key in row))
    rows = [[row.get(key) for key in columns] for row in cells]
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    return TablePreview(frame.to_dict(orient="split"))


def _flatten_for_preview(record: Any) -> dict[str, Any]:
    """One JSON record as table cells: one level of nesting spread into
    ``parent.child`` columns (a chat's turns into ``messages.user`` and the like),
    anything deeper as compact JSON, long text cut."""
    if not isinstance(record, dict):
        return {"value": _preview_cell(record)}
    cells: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, dict) and value:
            children = value.items()
        elif _is_chat(value):
            children = _chat_turns(value)
        else:
            cells[str(key)] = _preview_cell(value)
            continue
        for child, inner in children:
            cells[f"{key}.{child}"] = _preview_cell(inner)
    return cells


def _is_chat(value: Any) -> bool:
    """Whether a value is a chat: a non-empty list of ``{role, content}`` turns."""
    return (
        isinstance(value, list)
        and bool(value)
        and all(
            isinstance(turn, dict) and {"role", "content"} <= turn.keys()
            for turn in value
        )
    )


def _chat_turns(chat: list[dict[str, Any]]) -> list[tuple[str, Any]]:
    """A chat's turns by role; a role's second turn is ``user#2`` and so on."""
    seen: dict[str, int] = {}
    turns: list[tuple[str, Any]] = []
    for turn in chat:
        role = str(turn["role"])
        seen[role] = seen.get(role, 0) + 1
        turns.append(
            (role if seen[role] == 1 else f"{role}#{seen[role]}", turn["content"])
        )
    return turns


def _preview_cell(value: Any) -> Any:
    """A JSON scalar as it is (non-finite floats as text), containers as compact
    JSON, anything else (a parquet timestamp, bytes) as text; text longer than
    ``PREVIEW_CELL_CHARS`` ends in an ellipsis."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, list | tuple | dict):
        value = json.dumps(
            value, ensure_ascii=False, separators=(",", ":"), default=str
        )
    elif not isinstance(value, str):
        value = str(value)
    if len(value) > PREVIEW_CELL_CHARS:
        return value[: PREVIEW_CELL_CHARS - 1] + "…"
    return value


class AtomicJSONDataset(AbstractDataset[Any, Any]):
    """One JSON document saved atomically; reports and error logs use it."""

    def __init__(self, filepath: str, metadata: dict[str, Any] | None = None) -> None:
        self._filepath = Path(filepath)
        self.metadata = metadata

    def load(self) -> Any:
        return json.loads(self._filepath.read_text(encoding="utf-8"))

    def save(self, data: Any) -> None:
        text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        atomic_write_bytes(self._filepath, text.encode("utf-8"))

    def _exists(self) -> bool:
        return self._filepath.exists()

    def _describe(self) -> dict[str, Any]:
        return {"filepath": str(self._filepath)}


class SentenceEmbedderDataset(AbstractDataset[None, Any]):
    """Loads a :class:`~prreview.comments.embed.CachedEncoder`: the embedding model
    (``bundled:all-MiniLM-L6-v2``, a folder, or a hub id in prod) with its on-disk
    cache. The model itself loads on first use, so a fully cached run never loads it."""

    def __init__(
        self,
        model: str,
        cache: str | None = None,
        batch_size: int = 64,
        device: str = "cpu",
        metadata: dict[str, Any] | None = None,
    ) -> None:
        self._model = model
        self._cache = cache
        self._batch_size = batch_size
        self._device = device
        self.metadata = metadata

    def load(self) -> Any:
        from prreview.comments.embed import CachedEncoder  # noqa: PLC0415

        return CachedEncoder(
            self._model, self._cache, batch_size=self._batch_size, device=self._device
        )

    def save(self, data: None) -> None:
        raise DatasetError("SentenceEmbedderDataset is read-only")

    def _describe(self) -> dict[str, Any]:
        return {"model": self._model, "cache": self._cache, "device": self._device}


class ChatBackendDataset(AbstractDataset[None, Any]):
    """Loads a :class:`~prreview.llm.backends.ChatBackend` with its response cache.

    ``backend: local`` generates in this process with the model in ``model_dir``
    (materialized from the bundled GGUF when missing; loaded on the first cache miss).
    ``backend: openai`` talks to ``base_url`` (any OpenAI-compatible endpoint; the
    key comes from the catalog's ``credentials`` (``api_key``) or ``OPENAI_API_KEY``).
    With ``serve_model_dir`` set, the ``openai`` backend starts this project's local
    endpoint on 127.0.0.1 over that model folder and points at it: the offline way to
    exercise the HTTP path, faults included (``server:`` takes ServerConfig fields).
    """

    def __init__(  # noqa: PLR0913 - one option each, as in the catalog
        self,
        backend: str = "local",
        model: str | None = None,
        model_dir: str | None = None,
        base_url: str | None = None,
        cache: str | None = None,
        concurrency: int = 8,
        timeout_s: float = 60.0,
        max_retries: int = 5,
        retry_base_delay_s: float = 0.5,
        retry_max_delay_s: float = 30.0,
        max_batch_size: int = 8,
        serve_model_dir: str | None = None,
        server: dict[str, Any] | None = None,
        credentials: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        if backend not in {"local", "openai"}:
            raise DatasetError(f"unknown chat backend {backend!r}: local or openai")
        if backend == "local" and model_dir is None:
            raise DatasetError("the local chat backend needs model_dir")
        self._backend = backend
        self._model = model
        self._model_dir = model_dir
        self._base_url = (credentials or {}).get("base_url") or base_url
        self._cache = cache
        self._concurrency = concurrency
        self._timeout_s = timeout_s
        self._max_retries = max_retries
        self._retry_delays = (retry_base_delay_s, retry_max_delay_s)
        self._max_batch_size = max_batch_size
        self._serve_model_dir = serve_model_dir
        self._server_options = dict(server or {})
        key = (credentials or {}).get("api_key") or os.environ.get("OPENAI_API_KEY")
        self._api_key = Secret(key)
        self._running: list[Any] = []
        self.metadata = metadata

    def load(self) -> Any:
        from prreview.llm.backends import LocalChatBackend  # noqa: PLC0415
        from prreview.llm.client import ChatClient, RetryPolicy  # noqa: PLC0415
        from prreview.llm.local_model import BUNDLED_MODEL_NAME  # noqa: PLC0415

        model = self._model or BUNDLED_MODEL_NAME
        if self._backend == "local":
            return LocalChatBackend(
                self._model_dir or "",
                model=model,
                cache_path=self._cache,
                max_batch_size=self._max_batch_size,
            )
        base_url = self._base_url
        if self._serve_model_dir is not None:
            base_url = self._serve(model)
        return ChatClient(
            base_url,
            self._api_key or Secret("not-needed"),
            model,
            cache_path=self._cache,
            retry=RetryPolicy(
                max_retries=self._max_retries,
                base_delay_s=self._retry_delays[0],
                max_delay_s=self._retry_delays[1],
            ),
            timeout_s=self._timeout_s,
            concurrency=self._concurrency,
        )

    def _serve(self, model: str) -> str:
        from prreview.llm.local_model import (  # noqa: PLC0415
            LocalChatModel,
            materialize_bundled_model,
        )
        from prreview.llm.server import ServerConfig, serve_in_thread  # noqa: PLC0415

        folder = materialize_bundled_model(self._serve_model_dir or "")
        chat_model = LocalChatModel(
            folder, max_batch_size=self._max_batch_size, name=model
        )
        config = ServerConfig(
            backend=chat_model,
            model_name=model,
            max_batch_size=self._max_batch_size,
            **self._server_options,
        )
        running = serve_in_thread(config)
        self._running.append(running)
        atexit.register(running.stop)
        logger.info("Serving %s at %s", model, running.base_url)
        return str(running.base_url)

    def save(self, data: None) -> None:
        raise DatasetError("ChatBackendDataset is read-only")

    def _release(self) -> None:
        while self._running:
            self._running.pop().stop()

    def _describe(self) -> dict[str, Any]:
        return {
            "backend": self._backend,
            "model": self._model,
            "model_dir": self._model_dir,
            "base_url": self._base_url,
            "serve_model_dir": self._serve_model_dir,
            "cache": self._cache,
            "api_key": "set" if self._api_key else "unset",
        }


class TokenizerDataset(AbstractDataset[None, Any]):
    """Loads a transformers tokenizer, only the tokenizer (no weights).

    ``model_dir`` names a transformers folder; when it is missing and
    ``materialize_bundled`` is true, the bundled SmolLM2 is materialized there first
    (about 20 s, once). ``model`` (a hub id or folder, e.g. in conf/prod) is used
    when ``model_dir`` is not set. ``load_args`` go to ``from_pretrained``.
    """

    def __init__(
        self,
        model: str | None = None,
        model_dir: str | None = None,
        materialize_bundled: bool = True,
        load_args: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        if (model is None) == (model_dir is None):
            raise DatasetError("TokenizerDataset needs exactly one of model, model_dir")
        self._model = model
        self._model_dir = model_dir
        self._materialize_bundled = materialize_bundled
        self._load_args = dict(load_args or {})
        self.metadata = metadata

    def load(self) -> Any:
        from transformers import AutoTokenizer  # noqa: PLC0415

        source = _model_source(self._model, self._model_dir, self._materialize_bundled)
        return AutoTokenizer.from_pretrained(source, **self._load_args)

    def save(self, data: None) -> None:
        raise DatasetError("TokenizerDataset is read-only")

    def _describe(self) -> dict[str, Any]:
        return {"model": self._model, "model_dir": self._model_dir}


class TextFolderDataset(AbstractDataset[None, dict[str, str]]):
    """Every file directly in ``path`` whose name ends with ``suffix`` (one, or a
    list) as ``{name: text}``: the stem for one suffix, the whole file name for a
    list. A missing or empty folder is ``{}`` (unlike PartitionedDataset, which
    refuses to load nothing), for optional hand-written inputs such as repository
    guidelines or exported chat logs."""

    def __init__(
        self,
        path: str,
        suffix: str | list[str] = ".md",
        metadata: dict[str, Any] | None = None,
    ) -> None:
        self._path = Path(path)
        self._suffixes = [suffix] if isinstance(suffix, str) else list(suffix)
        self._keep_suffix = not isinstance(suffix, str)
        self.metadata = metadata

    def _key(self, file: Path) -> str:
        if self._keep_suffix:
            return file.name
        return file.name.removesuffix(self._suffixes[0])

    def load(self) -> dict[str, str]:
        if not self._path.is_dir():
            return {}
        return {
            self._key(file): file.read_text(encoding="utf-8-sig")  # BOM allowed
            for file in sorted(self._path.iterdir())
            if file.is_file() and file.name.endswith(tuple(self._suffixes))
        }

    def save(self, data: None) -> None:
        raise DatasetError("TextFolderDataset is read-only")

    def _describe(self) -> dict[str, Any]:
        return {"path": str(self._path), "suffix": self._suffixes}


def _model_source(
    model: str | None, model_dir: str | None, materialize_bundled: bool
) -> str:
    """A hub id or folder (``model``), or ``model_dir`` holding the bundled model,
    materialized there first when missing and allowed."""
    if model_dir is None:
        return str(model)
    from prreview.llm.local_model import (  # noqa: PLC0415
        is_materialized,
        materialize_bundled_model,
    )

    folder = Path(model_dir)
    if not is_materialized(folder):
        if not materialize_bundled:
            raise DatasetError(f"{folder}: no materialized model folder")
        materialize_bundled_model(folder)
    return str(folder)


class BaseModelDataset(AbstractDataset[None, str]):
    """Loads where the base model is: ``model`` (a hub id or a folder, e.g. in
    conf/prod) or ``model_dir``, where the bundled SmolLM2 is materialized from its
    GGUF file the first time (about 20 s) and found ready afterwards."""

    def __init__(
        self,
        model: str | None = None,
        model_dir: str | None = None,
        materialize_bundled: bool = True,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        if (model is None) == (model_dir is None):
            raise DatasetError("BaseModelDataset needs exactly one of model, model_dir")
        self._model = model
        self._model_dir = model_dir
        self._materialize_bundled = materialize_bundled
        self.metadata = metadata

    def load(self) -> str:
        return _model_source(self._model, self._model_dir, self._materialize_bundled)

    def save(self, data: None) -> None:
        raise DatasetError("BaseModelDataset is read-only")

    def _describe(self) -> dict[str, Any]:
        return {"model": self._model, "model_dir": self._model_dir}


class ModelFolderDataset(AbstractVersionedDataset[str, str]):
    """A model folder (an adapter with its tokenizer): saving copies the folder a
    node returns into ``path`` (a new version each run when versioned); loading
    gives the path of the latest (or the pinned) version."""

    def __init__(
        self,
        path: str,
        version: Version | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(filepath=PurePosixPath(path), version=version)
        self.metadata = metadata

    def load(self) -> str:
        folder = Path(self._get_load_path())
        if not folder.is_dir():
            raise DatasetError(f"no model folder at {folder}")
        return str(folder)

    def save(self, data: str) -> None:
        source = Path(data)
        if not source.is_dir():
            raise DatasetError(f"{source} is not a folder")
        target = Path(self._get_save_path())
        staging = target.with_name(f"{TMP_PREFIX}{target.name}")
        shutil.rmtree(staging, ignore_errors=True)
        shutil.copytree(source, staging)
        target.parent.mkdir(parents=True, exist_ok=True)
        previous = target.with_name(f"{TMP_PREFIX}{target.name}.old")
        shutil.rmtree(previous, ignore_errors=True)
        if target.exists():  # unversioned: replace the folder
            target.rename(previous)
        staging.rename(target)  # a reader sees a whole folder, old or new
        shutil.rmtree(previous, ignore_errors=True)

    def _exists(self) -> bool:
        try:
            return Path(self._get_load_path()).is_dir()
        except DatasetError:
            return False

    def _describe(self) -> dict[str, Any]:
        return {"path": str(self._filepath), "version": self._version}
