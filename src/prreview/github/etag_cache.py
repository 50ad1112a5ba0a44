"""On-disk cache of conditional-request validators.

GitHub answers ``If-None-Match`` with 304 when a resource has not changed, and a 304
costs no quota. Keeping the ETag and the body on disk makes re-fetching an unchanged
repository free across runs and crashes. SQLite gives atomic writes; bodies are
zlib-compressed.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import zlib
from collections.abc import Callable
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS etags (
    key TEXT PRIMARY KEY,
    etag TEXT NOT NULL,
    body BLOB NOT NULL,
    stored_at REAL NOT NULL
)
"""


class ETagCache:
    """Maps a request key (method, URL, media type) to its last ETag and body.

    ``scrub`` rewrites a body before it is stored (the ingest pipeline replaces
    secrets there, so a 304 answered from the cache is as clean as the raw store)."""

    def __init__(
        self, path: str | Path, scrub: Callable[[bytes], bytes] | None = None
    ) -> None:
        self.path = Path(path)
        self._scrub = scrub
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(
            self.path, check_same_thread=False, isolation_level=None
        )
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(_SCHEMA)

    def get(self, key: str) -> tuple[str, bytes] | None:
        with self._lock:
            row = self._db.execute(
                "SELECT etag, body FROM etags WHERE key = ?", (key,)
            ).fetchone()
        if row is None:
            return None
        return row[0], zlib.decompress(row[1])

    def put(self, key: str, etag: str, body: bytes) -> None:
        if self._scrub is not None:
            body = self._scrub(body)
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO etags (key, etag, body, stored_at) "
                "VALUES (?, ?, ?, ?)",
                (key, etag, zlib.compress(body, 6), time.time()),
            )

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM etags").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._db.close()
