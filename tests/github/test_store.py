"""IngestStore: universe order, iteration slicing and resume, atomic raw partitions."""

from __future__ import annotations

import gzip
import json

import pytest

from prreview.github.store import IngestStore, partition_key


def repos(*names: str) -> list[dict]:
    return [{"full_name": name} for name in names]


@pytest.fixture
def store(tmp_path) -> IngestStore:
    return IngestStore(tmp_path / "ingest")


def test_universe_keeps_first_order_and_ignores_case_duplicates(store) -> None:
    assert store.extend_universe(repos("a/one", "b/two")) == 2
    assert store.extend_universe(repos("B/TWO", "c/three", "a/one")) == 1
    assert [r["full_name"] for r in store.universe()] == ["a/one", "b/two", "c/three"]


def test_iterations_take_consecutive_slices_and_resume(store) -> None:
    store.extend_universe(repos(*(f"o/r{i}" for i in range(5))))
    first = store.open_iteration(2)
    assert first == 1
    assert store.open_iteration(2) == 1, (
        "an unfinished iteration is resumed, not skipped"
    )
    assert [name for name, _ in store.iteration_repos(1)] == ["o/r0", "o/r1"]
    store.finish_iteration(1, "done")
    assert store.open_iteration(3) == 2
    assert [name for name, _ in store.iteration_repos(2)] == ["o/r2", "o/r3", "o/r4"]
    store.finish_iteration(2, "done")
    assert store.open_iteration(3) is None
    store.extend_universe(repos("o/r5"))
    assert store.open_iteration(3) == 3
    assert [name for name, _ in store.iteration_repos(3)] == ["o/r5"]


def test_complete_repo_writes_the_partition_before_marking_it_done(store) -> None:
    store.extend_universe(repos("o/r"))
    iteration = store.open_iteration(1)
    raw = {"pull_requests": [{"number": 1}], "é": "ü"}
    error = {"error_type": "http_502", "final_action": "succeeded_after_retry"}
    store.complete_repo(iteration, "o/r", raw, [error], 1)
    assert store.iteration_repos(iteration) == [("o/r", "done")]
    assert store.read_raw(iteration, "o/r") == raw
    path = store.raw_path(iteration, "o/r")
    assert path.name == "o__r.json.gz" and path.parent.name == "iter_0001"
    assert json.loads(gzip.decompress(path.read_bytes())) == raw
    assert store.errors(iteration) == [error]
    assert store.pull_request_count(iteration) == 1


def test_failed_repos_can_be_reset_for_an_iteration_retry(store) -> None:
    store.extend_universe(repos("o/a", "o/b"))
    iteration = store.open_iteration(2)
    store.fail_repo(iteration, "o/a", [{"error_type": "http_503"}])
    assert dict(store.iteration_repos(iteration))["o/a"] == "failed"
    assert store.reset_failed(iteration) == 1
    assert dict(store.iteration_repos(iteration)) == {
        "o/a": "pending",
        "o/b": "pending",
    }
    assert store.failed_attempts(iteration) == 0
    assert store.count_failed_attempt(iteration) == 1
    assert store.count_failed_attempt(iteration) == 2
    assert store.failed_attempts(iteration) == 2


def test_export_bookkeeping(store) -> None:
    store.extend_universe(repos("o/a", "o/b"))
    one = store.open_iteration(1)
    store.finish_iteration(one, "done")
    two = store.open_iteration(1)
    assert store.unexported_iterations() == [1], "a running iteration is not exported"
    store.finish_iteration(two, "skipped")
    assert store.unexported_iterations() == [1, 2]
    store.mark_exported([1])
    assert store.unexported_iterations() == [2]


def test_reopening_removes_temporaries_of_a_killed_writer(tmp_path) -> None:
    store = IngestStore(tmp_path / "ingest")
    stale = store.raw_root / "iter_0001" / ".tmp-abc"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"half")
    store.close()
    IngestStore(tmp_path / "ingest")
    assert not stale.exists()


def test_progress_counts(store) -> None:
    store.extend_universe(repos("o/a", "o/b", "o/c"))
    iteration = store.open_iteration(2)
    store.complete_repo(iteration, "o/a", {}, [], 0)
    store.fail_repo(iteration, "o/b", [])
    assert store.progress() == {
        "universe": 3,
        "done": 1,
        "failed": 1,
        "pending": 0,
        "unassigned": 1,
        "iterations": 1,
    }


def test_partition_key() -> None:
    assert partition_key(12, "owner/repo") == "iter_0012/owner__repo"


def test_scrub_runs_on_raw_payloads_and_errors_before_they_are_kept(tmp_path) -> None:
    def scrub(value):
        return json.loads(json.dumps(value).replace("SECRET", "<KEY>"))

    store = IngestStore(tmp_path / "ingest", scrub=scrub)
    store.extend_universe(repos("o/r"))
    iteration = store.open_iteration(1)
    store.complete_repo(
        iteration, "o/r", {"body": "a SECRET"}, [{"message": "SECRET"}], 0
    )
    store.add_errors(iteration, [{"message": "also SECRET"}])
    assert store.read_raw(iteration, "o/r") == {"body": "a <KEY>"}
    assert store.errors(iteration) == [{"message": "<KEY>"}, {"message": "also <KEY>"}]
    assert b"SECRET" not in (tmp_path / "ingest" / "state.sqlite").read_bytes()
