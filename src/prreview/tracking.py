"""MLflow's SQLite store: anchored at the project root, and recovered from a run
killed while it was being created.

A relative ``sqlite:///mlflow.db`` in mlflow.yml is left relative by kedro-mlflow,
and SQLAlchemy resolves it against the working directory: a notebook kernel started
in notebooks/ would track into an empty notebooks/mlflow.db. It is made absolute
under the project root instead.

MLflow builds ``mlflow.db`` with alembic migrations, some of which copy a table
through ``_alembic_tmp_<name>``. A SIGKILL in the middle leaves a database that
every later run refuses (``table _alembic_tmp_tags already exists`` or
"out-of-date database schema"), so one unlucky kill would stop the project for
good. Such a database holds no runs yet, so it is moved aside, never deleted,
and MLflow creates a fresh one.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from mlflow.store.db.utils import _get_latest_schema_revision

logger = logging.getLogger(__name__)

SQLITE_SIDE_FILES = ("-journal", "-wal", "-shm")
SQLITE = "sqlite:///"
# Tables whose rows are a user's work: a store with any of them is never moved.
RECORD_TABLES = ("runs", "registered_models", "logged_models", "trace_info")


def anchored_sqlite_uri(uri: Any, project_path: Path) -> Any:
    """``sqlite:///relative.db`` as an absolute URI under ``project_path``; any other
    value (absolute paths, in-memory, servers, None) unchanged."""
    if not isinstance(uri, str) or not uri.startswith(SQLITE):
        return uri
    path = uri[len(SQLITE) :]
    if not path or path.startswith(("/", ":memory:")):
        return uri
    return SQLITE + str(project_path.resolve() / path)


def sqlite_store_path(tracking_uri: str | None, cwd: Path) -> Path | None:
    """The file behind a ``sqlite:///`` tracking URI (relative to ``cwd``, as
    SQLAlchemy reads it), or None for any other store."""
    if not tracking_uri or not tracking_uri.startswith(SQLITE):
        return None
    path = unquote(tracking_uri[len(SQLITE) :].partition("?")[0])
    if not path or path == ":memory:":
        return None
    return Path(path) if path.startswith("/") else cwd / path


def latest_schema_revision() -> str | None:
    """The alembic head MLflow migrates to, or None when it cannot be read."""
    try:
        return _get_latest_schema_revision()
    except Exception:  # noqa: BLE001 - without it the leftover-table check still runs
        return None


@dataclass(frozen=True)
class StoreState:
    """What an existing SQLite store holds, as far as recovery needs to know."""

    tables: frozenset[str]
    has_records: bool
    revisions: tuple[str, ...]


def read_store_state(path: Path) -> StoreState:
    """Tables, whether it holds any work (runs, registered or logged models,
    traces), and the alembic revisions of the store.

    Read under a write lock taken without waiting: a store another process is
    creating right now raises ``sqlite3.OperationalError`` ("database is locked")
    instead of being judged half-way. A normal connection, not read-only: SQLite
    rolls back a hot journal left by the kill, and the decision is taken on that."""
    with closing(sqlite3.connect(path, timeout=0, isolation_level=None)) as connection:
        connection.execute("BEGIN IMMEDIATE")
        try:
            query = "SELECT name FROM sqlite_master WHERE type = 'table'"
            tables = frozenset(name for (name,) in connection.execute(query))
            has_records = any(
                connection.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone()
                for table in RECORD_TABLES  # fixed names, never input
                if table in tables
            )
            revisions: tuple[str, ...] = ()
            if "alembic_version" in tables:
                query = "SELECT version_num FROM alembic_version"
                revisions = tuple(version for (version,) in connection.execute(query))
        finally:
            connection.execute("ROLLBACK")
    return StoreState(tables, has_records, revisions)


def interruption_reason(state: StoreState, head_revision: str | None) -> str | None:
    """Why a store in ``state`` looks like an interrupted creation, or None when it is
    sound, empty, or holds work (such a store is never touched)."""
    if not state.tables or state.has_records:
        return None
    leftovers = sorted(t for t in state.tables if t.startswith("_alembic_tmp_"))
    if leftovers:
        return f"leftover migration tables {', '.join(leftovers)}"
    if not state.revisions:
        return "no alembic revision recorded"
    if head_revision is not None and state.revisions != (head_revision,):
        stopped_at = ", ".join(state.revisions)
        return f"schema stopped at {stopped_at}, head is {head_revision}"
    return None


def interrupted_creation(path: Path, head_revision: str | None) -> str | None:
    """The reason to set the store at ``path`` aside, or None to leave it alone:
    absent, sound, holding work, busy, or not readable as SQLite (MLflow's own
    error then says what is wrong; nothing is moved on a guess)."""
    if not path.is_file() or path.stat().st_size == 0:
        return None
    try:
        state = read_store_state(path)
    except sqlite3.DatabaseError as error:
        logger.warning("Left MLflow store %s as it is: %s", path, error)
        return None
    return interruption_reason(state, head_revision)


def set_aside_interrupted_store(
    tracking_uri: str | None, cwd: Path, head_revision: str | None = None
) -> Path | None:
    """Move an interrupted SQLite store that holds no work (and its journal) aside,
    so MLflow creates a fresh one; return where it went, or None if nothing moved."""
    path = sqlite_store_path(tracking_uri, cwd)
    if path is None:
        return None
    reason = interrupted_creation(path, head_revision or latest_schema_revision())
    if reason is None:
        return None
    aside = path.with_name(f"{path.name}.interrupted-{time.strftime('%Y%m%dT%H%M%S')}")
    for suffix in SQLITE_SIDE_FILES:
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.replace(aside.with_name(aside.name + suffix))
    path.replace(aside)
    logger.warning(
        "MLflow store %s was left half-created by an interrupted run (%s); it holds no "
        "runs or models, so it was moved to %s and MLflow will create a fresh one",
        path,
        reason,
        aside,
    )
    return aside
