"""Durable ingest state: the repository universe, iterations, per-repository status,
errors, and the raw partitions fetched for each repository.

SQLite (WAL) holds the state; raw partitions are gzip JSON files written atomically
before their repository is marked done, so a kill at any instant leaves either a
finished repository or one that will be fetched again, never a half-written one.
"""

from __future__ import annotations

import gzip
import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prreview.atomic import atomic_write_bytes, remove_stale_temporaries

_SCHEMA = """
CREATE TABLE IF NOT EXISTS universe (
    position INTEGER PRIMARY KEY,
    full_name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    metadata TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS iterations (
    number INTEGER PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('running', 'done', 'skipped')),
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    exported INTEGER NOT NULL DEFAULT 0,
    started_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE TABLE IF NOT EXISTS repo_status (
    iteration INTEGER NOT NULL REFERENCES iterations(number),
    position INTEGER NOT NULL REFERENCES universe(position),
    full_name TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'done', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    pull_requests INTEGER,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (iteration, full_name)
);
CREATE TABLE IF NOT EXISTS errors (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    iteration INTEGER NOT NULL,
    record TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def partition_key(iteration: int, full_name: str) -> str:
    """``iter_0003/owner__repo``: the partition id used by every ingest dataset."""
    owner, _, name = full_name.partition("/")
    return f"iter_{iteration:04d}/{owner}__{name}"


class IngestStore:
    """State and raw partitions under one folder: ``state.sqlite`` and ``raw/``."""

    def __init__(
        self, root: str | Path, scrub: Callable[[Any], Any] | None = None
    ) -> None:
        self.root = Path(root)
        self._scrub = scrub  # applied to raw payloads and errors before they are kept
        self.raw_root = self.root / "raw"
        self.raw_root.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(self.raw_root)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(
            self.root / "state.sqlite", check_same_thread=False, isolation_level=None
        )
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _query(self, sql: str, args: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, tuple(args)).fetchall()

    # -- universe ----------------------------------------------------------------------

    def universe(self) -> list[dict[str, Any]]:
        rows = self._query("SELECT metadata FROM universe ORDER BY position")
        return [json.loads(row[0]) for row in rows]

    def extend_universe(self, repositories: Iterable[dict[str, Any]]) -> int:
        """Append repositories not yet known (case-insensitive);
        existing order never moves."""
        added = 0
        with self._transaction() as db:
            (next_position,) = db.execute(
                "SELECT COALESCE(MAX(position) + 1, 0) FROM universe"
            ).fetchone()
            for repository in repositories:
                cursor = db.execute(
                    "INSERT OR IGNORE INTO universe (position, full_name, metadata) "
                    "VALUES (?, ?, ?)",
                    (next_position, repository["full_name"], json.dumps(repository)),
                )
                if cursor.rowcount:
                    next_position += 1
                    added += 1
        return added

    # -- iterations --------------------------------------------------------------------

    def open_iteration(self, repos_per_iteration: int) -> int | None:
        """The unfinished iteration to resume, or a new one over the next repositories.

        ``None`` when every repository of the universe already belongs to an iteration.
        """
        with self._transaction() as db:
            row = db.execute(
                "SELECT number FROM iterations WHERE status = 'running' "
                "ORDER BY number LIMIT 1"
            ).fetchone()
            if row is not None:
                return int(row[0])
            (assigned_upto,) = db.execute(
                "SELECT COALESCE(MAX(position) + 1, 0) FROM repo_status"
            ).fetchone()
            slice_rows = db.execute(
                "SELECT position, full_name FROM universe WHERE position >= ? "
                "ORDER BY position LIMIT ?",
                (assigned_upto, repos_per_iteration),
            ).fetchall()
            if not slice_rows:
                return None
            (number,) = db.execute(
                "SELECT COALESCE(MAX(number) + 1, 1) FROM iterations"
            ).fetchone()
            now = utc_now()
            db.execute(
                "INSERT INTO iterations (number, status, started_at) "
                "VALUES (?, 'running', ?)",
                (number, now),
            )
            db.executemany(
                "INSERT INTO repo_status "
                "(iteration, position, full_name, status, updated_at) "
                "VALUES (?, ?, ?, 'pending', ?)",
                [(number, position, name, now) for position, name in slice_rows],
            )
            return int(number)

    def running_iteration(self) -> int | None:
        rows = self._query(
            "SELECT number FROM iterations WHERE status = 'running' ORDER BY number"
        )
        return int(rows[0][0]) if rows else None

    def pull_request_count(self, iteration: int) -> int:
        rows = self._query(
            "SELECT COALESCE(SUM(pull_requests), 0) FROM repo_status "
            "WHERE iteration = ?",
            [iteration],
        )
        return int(rows[0][0])

    def iteration_count(self) -> int:
        return int(self._query("SELECT COUNT(*) FROM iterations")[0][0])

    def iteration_status(self, iteration: int) -> str | None:
        rows = self._query(
            "SELECT status FROM iterations WHERE number = ?", [iteration]
        )
        return rows[0][0] if rows else None

    def failed_attempts(self, iteration: int) -> int:
        rows = self._query(
            "SELECT failed_attempts FROM iterations WHERE number = ?", [iteration]
        )
        return int(rows[0][0]) if rows else 0

    def iteration_repos(self, iteration: int) -> list[tuple[str, str]]:
        """(full_name, status) in universe order."""
        return [
            (name, status)
            for name, status in self._query(
                "SELECT full_name, status FROM repo_status WHERE iteration = ? "
                "ORDER BY position",
                [iteration],
            )
        ]

    def count_failed_attempt(self, iteration: int) -> int:
        """One more attempt at the iteration failed (a crash is not a failure);
        returns how many have."""
        with self._transaction() as db:
            db.execute(
                "UPDATE iterations SET failed_attempts = failed_attempts + 1 "
                "WHERE number = ?",
                [iteration],
            )
            (failed,) = db.execute(
                "SELECT failed_attempts FROM iterations WHERE number = ?", [iteration]
            ).fetchone()
        return int(failed)

    def reset_failed(self, iteration: int) -> int:
        with self._transaction() as db:
            cursor = db.execute(
                "UPDATE repo_status SET status = 'pending', updated_at = ? "
                "WHERE iteration = ? AND status = 'failed'",
                (utc_now(), iteration),
            )
        return cursor.rowcount

    def finish_iteration(self, iteration: int, status: str) -> None:
        with self._transaction() as db:
            db.execute(
                "UPDATE iterations SET status = ?, finished_at = ? WHERE number = ?",
                (status, utc_now(), iteration),
            )

    # -- repositories ------------------------------------------------------------------

    def raw_path(self, iteration: int, full_name: str) -> Path:
        return self.raw_root / f"{partition_key(iteration, full_name)}.json.gz"

    def complete_repo(
        self,
        iteration: int,
        full_name: str,
        raw: dict[str, Any],
        errors: list[dict[str, Any]],
        pull_requests: int,
    ) -> None:
        """Write the raw partition, then mark the repository done with its errors."""
        if self._scrub is not None:
            raw, errors = self._scrub(raw), self._scrub(errors)
        payload = json.dumps(raw, sort_keys=True, ensure_ascii=False).encode()
        atomic_write_bytes(
            self.raw_path(iteration, full_name), gzip.compress(payload, mtime=0)
        )
        self._mark_repo(iteration, full_name, "done", errors, pull_requests)

    def fail_repo(
        self, iteration: int, full_name: str, errors: list[dict[str, Any]]
    ) -> None:
        if self._scrub is not None:
            errors = self._scrub(errors)
        self._mark_repo(iteration, full_name, "failed", errors, None)

    def _mark_repo(
        self,
        iteration: int,
        full_name: str,
        status: str,
        errors: list[dict[str, Any]],
        pull_requests: int | None,
    ) -> None:
        with self._transaction() as db:
            db.execute(
                "UPDATE repo_status SET status = ?, attempts = attempts + 1, "
                "pull_requests = ?, updated_at = ? "
                "WHERE iteration = ? AND full_name = ?",
                (status, pull_requests, utc_now(), iteration, full_name),
            )
            db.executemany(
                "INSERT INTO errors (iteration, record) VALUES (?, ?)",
                [(iteration, json.dumps(error, sort_keys=True)) for error in errors],
            )

    def read_raw(self, iteration: int, full_name: str) -> dict[str, Any]:
        return json.loads(
            gzip.decompress(self.raw_path(iteration, full_name).read_bytes())
        )

    def add_errors(self, iteration: int, errors: list[dict[str, Any]]) -> None:
        if self._scrub is not None:
            errors = self._scrub(errors)
        with self._transaction() as db:
            db.executemany(
                "INSERT INTO errors (iteration, record) VALUES (?, ?)",
                [(iteration, json.dumps(error, sort_keys=True)) for error in errors],
            )

    def errors(self, iteration: int | None = None) -> list[dict[str, Any]]:
        if iteration is None:
            rows = self._query("SELECT record FROM errors ORDER BY id")
        else:
            rows = self._query(
                "SELECT record FROM errors WHERE iteration = ? ORDER BY id", [iteration]
            )
        return [json.loads(row[0]) for row in rows]

    # -- export bookkeeping ------------------------------------------------------------

    def unexported_iterations(self) -> list[int]:
        """Finished iterations whose partitions were not confirmed written yet."""
        rows = self._query(
            "SELECT number FROM iterations WHERE status IN ('done', 'skipped') "
            "AND exported = 0 ORDER BY number"
        )
        return [int(row[0]) for row in rows]

    def mark_exported(self, iterations: Iterable[int]) -> None:
        with self._transaction() as db:
            db.executemany(
                "UPDATE iterations SET exported = 1 WHERE number = ?",
                [(number,) for number in iterations],
            )

    def progress(self) -> dict[str, int]:
        """Counts for the start-of-run plan and the final report."""
        (universe,) = self._query("SELECT COUNT(*) FROM universe")[0]
        counts = dict(
            self._query("SELECT status, COUNT(*) FROM repo_status GROUP BY status")
        )
        (assigned,) = self._query("SELECT COUNT(*) FROM repo_status")[0]
        return {
            "universe": int(universe),
            "done": int(counts.get("done", 0)),
            "failed": int(counts.get("failed", 0)),
            "pending": int(counts.get("pending", 0)),
            "unassigned": int(universe) - int(assigned),
            "iterations": self.iteration_count(),
        }
