"""Recovery of MLflow's SQLite store after a kill during its creation.

The fixture is the real store the long soak left behind: a SIGKILL landed while
MLflow's alembic migrations copied the ``tags`` table, and every later run failed.
"""

from __future__ import annotations

import gzip
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

from prreview.tracking import (
    anchored_sqlite_uri,
    interrupted_creation,
    latest_schema_revision,
    read_store_state,
    set_aside_interrupted_store,
    sqlite_store_path,
)

KILLED = Path(__file__).parent / "fixtures" / "mlflow_killed_during_creation"
URI = "sqlite:///mlflow.db"


def killed_store(folder: Path) -> Path:
    """The soak's half-created store and its journal, as the kill left them."""
    for name in ("mlflow.db", "mlflow.db-journal"):
        data = gzip.decompress((KILLED / f"{name}.gz").read_bytes())
        (folder / name).write_bytes(data)
    return folder / "mlflow.db"


def open_store(folder: Path) -> int:
    """Open the store as a new run would; return how many experiments it has."""
    uri = f"sqlite:///{folder}/mlflow.db"
    try:
        return len(SqlAlchemyStore(uri, str(folder / "artifacts")).search_experiments())
    finally:
        forget_engine(uri)


def forget_engine(uri: str) -> None:
    """MLflow keeps one engine per URI for the process; a restarted run has none."""
    engine = SqlAlchemyStore._engine_map.pop(uri, None)
    if engine is not None:
        engine.dispose()


def fresh_store(folder: Path) -> Path:
    open_store(folder)
    return folder / "mlflow.db"


def test_the_killed_store_breaks_mlflow_until_it_is_set_aside(tmp_path: Path) -> None:
    store = killed_store(tmp_path)
    with pytest.raises(Exception, match="_alembic_tmp_tags already exists"):
        open_store(tmp_path)
    killed_store(tmp_path)  # as it was before MLflow's failed attempt
    aside = set_aside_interrupted_store(URI, tmp_path)
    assert aside is not None and aside.parent == tmp_path
    assert aside.name.startswith("mlflow.db.interrupted-")
    assert aside.with_name(aside.name + "-journal").exists(), "journal moved with it"
    assert not store.exists()
    assert not store.with_name("mlflow.db-journal").exists()
    assert open_store(tmp_path) == 1, "a fresh store with the default experiment"
    assert set_aside_interrupted_store(URI, tmp_path) is None, "sound now"


def test_sound_absent_and_empty_stores_are_left_alone(tmp_path: Path) -> None:
    head = latest_schema_revision()
    assert head
    assert interrupted_creation(tmp_path / "mlflow.db", head) is None
    (tmp_path / "mlflow.db").touch()
    assert interrupted_creation(tmp_path / "mlflow.db", head) is None
    store = fresh_store(tmp_path / "fresh")
    assert interrupted_creation(store, head) is None


def alter(store: Path, *statements: str) -> None:
    with sqlite3.connect(store) as connection:
        for statement in statements:
            connection.execute(statement)
    connection.close()


@pytest.mark.parametrize(
    ("statements", "reason"),
    [
        (["CREATE TABLE _alembic_tmp_runs (x)"], "leftover migration tables"),
        (["DROP TABLE alembic_version"], "no alembic revision recorded"),
        (["DELETE FROM alembic_version"], "no alembic revision recorded"),
        (
            ["UPDATE alembic_version SET version_num = '4465047574b1'"],
            "schema stopped at 4465047574b1",
        ),
    ],
)
def test_each_sign_of_an_interrupted_creation_is_named(
    tmp_path: Path, statements: list[str], reason: str
) -> None:
    store = fresh_store(tmp_path)
    alter(store, *statements)
    assert reason in interrupted_creation(store, latest_schema_revision())


def test_a_store_holding_runs_is_never_moved(tmp_path: Path) -> None:
    store = fresh_store(tmp_path)
    uri = f"sqlite:///{store}"
    SqlAlchemyStore(uri, str(tmp_path / "artifacts")).create_run(
        "0", "someone", 0, [], "a run"
    )
    forget_engine(uri)
    alter(store, "CREATE TABLE _alembic_tmp_tags (x)")
    assert set_aside_interrupted_store(URI, tmp_path) is None
    assert store.exists()


def test_a_store_holding_a_registered_model_is_never_moved(tmp_path: Path) -> None:
    store = fresh_store(tmp_path)
    alter(
        store,
        "INSERT INTO registered_models (name, creation_time) VALUES ('reviewer', 0)",
        "UPDATE alembic_version SET version_num = '4465047574b1'",
    )
    assert read_store_state(store).has_records
    assert set_aside_interrupted_store(URI, tmp_path) is None
    assert store.exists()


def test_a_store_being_written_or_not_sqlite_is_left_to_mlflow(
    tmp_path: Path, caplog
) -> None:
    store = fresh_store(tmp_path)
    alter(store, "CREATE TABLE _alembic_tmp_tags (x)")
    writer = sqlite3.connect(store, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another process in the middle of creating it
    try:
        assert set_aside_interrupted_store(URI, tmp_path) is None
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert "database is locked" in caplog.text
    assert set_aside_interrupted_store(URI, tmp_path) is not None, "once it is free"
    (tmp_path / "mlflow.db").write_bytes(b"not a database, but not ours to move" * 64)
    assert set_aside_interrupted_store(URI, tmp_path) is None


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("sqlite:///mlflow.db", "CWD/mlflow.db"),
        ("sqlite:///runs/a%20b.db", "CWD/runs/a b.db"),
        ("sqlite:////abs/mlflow.db", "/abs/mlflow.db"),
        ("sqlite:///mlflow.db?timeout=20", "CWD/mlflow.db"),
        ("sqlite://", None),
        ("sqlite:///:memory:", None),
        ("file:///tmp/mlruns", None),
        ("http://127.0.0.1:5000", None),
        ("databricks", None),
        (None, None),
    ],
)
def test_only_sqlite_file_stores_are_considered(uri: str | None, expected) -> None:
    path = sqlite_store_path(uri, Path("/cwd"))
    assert (str(path).replace("/cwd", "CWD") if path else None) == expected


def run_session(project: Path, cwd: Path) -> str:
    """Create a session's context in a process of its own, as a restarted run or a
    notebook kernel does; return the tracking URI kedro-mlflow set up."""
    session = (
        "from kedro.framework.session import KedroSession\n"
        "from kedro.framework.startup import bootstrap_project\n"
        f"bootstrap_project({str(project)!r})\n"
        f"with KedroSession.create(project_path={str(project)!r}) as session:\n"
        "    print(session.load_context().mlflow.server.mlflow_tracking_uri)\n"
    )
    environment = {**os.environ, "KEDRO_DISABLE_TELEMETRY": "true"}
    done = subprocess.run(
        [sys.executable, "-c", session],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1]


def test_a_kedro_session_recovers_before_kedro_mlflow_opens_the_store(
    project_copy,
) -> None:
    """The hook runs first (tryfirst), or kedro-mlflow's setup fails on the killed
    store."""
    project = project_copy()
    killed_store(project)
    assert run_session(project, project) == f"sqlite:///{project}/mlflow.db"
    assert len(list(project.glob("mlflow.db.interrupted-*"))) == 2
    assert open_store(project) >= 1


def test_a_session_started_in_a_subfolder_tracks_into_the_project_root(
    project_copy,
) -> None:
    """A notebook kernel starts in notebooks/: the relative store in mlflow.yml is
    still the project's, not a new empty one next to the notebook."""
    project = project_copy()
    notebooks = project / "notebooks"
    notebooks.mkdir()
    assert run_session(project, notebooks) == f"sqlite:///{project}/mlflow.db"
    assert (project / "mlflow.db").is_file()
    assert list(notebooks.iterdir()) == []


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("sqlite:///mlflow.db", "sqlite:////project/mlflow.db"),
        ("sqlite:///runs/store.db", "sqlite:////project/runs/store.db"),
        ("sqlite:////abs/mlflow.db", "sqlite:////abs/mlflow.db"),
        ("sqlite:///:memory:", "sqlite:///:memory:"),
        ("sqlite://", "sqlite://"),
        ("mlruns", "mlruns"),
        ("http://127.0.0.1:5000", "http://127.0.0.1:5000"),
        (None, None),
    ],
)
def test_only_relative_sqlite_uris_are_anchored(uri, expected) -> None:
    assert anchored_sqlite_uri(uri, Path("/project")) == expected
