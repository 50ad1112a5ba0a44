"""Kill a real `kedro run --pipeline=ingest` with SIGKILL mid-iteration (and
mid-export), resume it, and compare every partition with an uninterrupted run."""

from __future__ import annotations

import gzip
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

SLOW_SERVER = """
github_api:
  type: prreview.datasets.GitHubAPIDataset
  serve_snapshot: data/01_raw/github_sample
  etag_cache: data/01_raw/github_api/etag_cache.sqlite
  server:
    latency_s: 0.03
"""


FAKE_TOKEN = "ghp_CRASHTESTFAKETOKEN0123456789abcdefgh"


def kedro_run(project: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "KEDRO_DISABLE_TELEMETRY": "true", "GITHUB_TOKEN": FAKE_TOKEN}
    return subprocess.Popen(
        [sys.executable, "-m", "kedro", "run", "--pipeline=ingest"],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def done_repos(project: Path) -> int:
    state = project / "data" / "01_raw" / "github_api" / "state.sqlite"
    if not state.exists():
        return 0
    try:
        with sqlite3.connect(state, timeout=1) as db:
            return db.execute(
                "SELECT COUNT(*) FROM repo_status WHERE status = 'done'"
            ).fetchone()[0]
    except sqlite3.Error:
        return 0


def exporting(project: Path) -> bool:
    return any((project / "data" / "02_intermediate").rglob("*.jsonl"))


def kill_when(process: subprocess.Popen[bytes], ready: Callable[[], bool]) -> bool:
    """SIGKILL the run's process group once ``ready()``; False if it finished first."""
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        if ready():
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return True
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGKILL)
    raise AssertionError("the run neither reached the kill point nor finished")


def run_to_completion(project: Path) -> None:
    process = kedro_run(project)
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr.decode()[-3000:]


def snapshot_outputs(project: Path) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for folder in ("data/02_intermediate", "data/01_raw/github_api/raw"):
        for path in sorted((project / folder).rglob("*")):
            if not path.is_file():
                continue
            name = str(path.relative_to(project))
            if name.endswith("ingest_run.json") or name.endswith("ingest_export.json"):
                continue
            data = path.read_bytes()
            files[name] = gzip.decompress(data) if name.endswith(".gz") else data
    return files


def test_killed_runs_resume_to_the_uninterrupted_result(project_copy) -> None:
    reference = project_copy("reference")
    run_to_completion(reference)
    expected = snapshot_outputs(reference)
    assert (reference / "mlflow.db").exists(), "kedro-mlflow tracked the run locally"
    written = [
        path
        for path in reference.rglob("*")
        if path.is_file() and "github_sample" not in path.parts
    ]
    leaks = [path for path in written if FAKE_TOKEN.encode() in path.read_bytes()]
    assert leaks == [], "the token reached a file the run wrote"
    assert any(name.endswith(".jsonl") for name in expected)

    crashed = project_copy("crashed", {"catalog_slow.yml": SLOW_SERVER})
    kill_points = [
        lambda: done_repos(crashed) >= 1,
        lambda: done_repos(crashed) >= 5,
        lambda: exporting(crashed),
    ]
    kills = 0
    for ready in kill_points:
        kills += kill_when(kedro_run(crashed), ready)
    assert kills >= 2, "the kills must land before the runs finish"
    for _ in range(4):  # each run does up to iterations_per_run iterations
        run_to_completion(crashed)
    actual = snapshot_outputs(crashed)

    assert sorted(actual) == sorted(expected)
    different = [name for name in expected if actual[name] != expected[name]]
    assert different == []
    leftovers = [p for p in (crashed / "data").rglob(".tmp-*")]
    assert leftovers == []
