"""Ingest nodes and the ingest pipeline on an in-memory catalog, against the local
GitHub-compatible server over the bundled sample (real HTTP on 127.0.0.1)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from kedro.io import DataCatalog, MemoryDataset
from kedro.runner import SequentialRunner
from pydantic import ValidationError

from prreview.datasets import GitHubEndpoint
from prreview.github.server import FaultConfig, FaultKind, ServerConfig, serve_in_thread
from prreview.github.store import IngestStore
from prreview.pipelines.ingest import create_pipeline
from prreview.pipelines.ingest.nodes import (
    IngestParams,
    confirm_export,
    discover_repositories,
    normalize_partitions,
)
from prreview.secret import Secret

SAMPLE = Path(__file__).parents[3] / "data" / "01_raw" / "github_sample"
OUTPUTS = (
    "pull_requests",
    "review_comments",
    "issue_comments",
    "linked_issues",
    "pull_diffs",
    "ingest_error_logs",
    "ingest_report",
    "pipeline_errors",
)


def params(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "discovery": {
            "languages": ["Python", "Rust", "Go", "Java", "TypeScript", "JavaScript"],
            "min_stars": 10,
            "explicit": ["kvshelf/shelf", "takedown-org/dmca-tools"],
        },
        "iterations": {"repos_per_iteration": 4, "iterations_per_run": 5},
        "fetch": {"max_prs_per_repo": 60, "page_size": 5},
        "client": {
            "backoff_base_s": 0.01,
            "backoff_max_s": 0.05,
            "timeout_s": 2,
            "secondary_limit_wait_s": 0.05,
            "search_requests_per_minute": 6000,
        },
    }
    for section, values in overrides.items():
        base[section] = {**base.get(section, {}), **values}
    return base


@pytest.fixture
def server() -> Iterator[Any]:
    running = serve_in_thread(ServerConfig(snapshot=SAMPLE))
    try:
        yield running
    finally:
        running.stop()


def endpoint_for(running: Any) -> GitHubEndpoint:
    return GitHubEndpoint(
        base_url=running.base_url, graphql_url=running.graphql_url, token=Secret("t")
    )


def run_ingest(
    endpoint: GitHubEndpoint, store_root: Path, ingest_params: dict[str, Any]
) -> dict[str, Any]:
    catalog = DataCatalog(
        {
            "github_api": MemoryDataset(endpoint, copy_mode="assign"),
            "ingest_store": MemoryDataset(IngestStore(store_root), copy_mode="assign"),
            "params:ingest": MemoryDataset(IngestParams.model_validate(ingest_params)),
            **{name: MemoryDataset() for name in OUTPUTS},
        }
    )
    SequentialRunner().run(create_pipeline(), catalog)
    return {name: catalog.load(name) for name in OUTPUTS}


def records(outputs: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return [row for rows in outputs[name].values() for row in rows]


def test_ingests_the_bundled_sample(server, tmp_path) -> None:
    outputs = run_ingest(endpoint_for(server), tmp_path / "store", params())
    report = outputs["ingest_report"]
    assert report["stopped_because"] == "universe_exhausted"
    assert report["progress"]["failed"] == 0
    keys = set(outputs["pull_requests"])
    assert keys == set(outputs["review_comments"]) == set(outputs["pull_diffs"])
    assert all(key.startswith("iter_000") and "__" in key for key in keys)
    assert "iter_0001/pyshelf__shelfdb" in keys, (
        "explicit seed resolved through its rename"
    )
    assert not any("legacy-utils" in key for key in keys), "archived repos are excluded"
    pulls = records(outputs, "pull_requests")
    comments = records(outputs, "review_comments")
    assert len(pulls) >= 60 and all(pull["merged"] for pull in pulls)
    assert len(comments) >= 400
    assert any(c["in_reply_to_id"] for c in comments)
    assert any(c["line"] is None and c["original_line"] for c in comments)
    assert any(c["side"] == "LEFT" for c in comments)
    assert any(c["author_type"] == "Bot" for c in comments)
    assert records(outputs, "linked_issues")
    assert all(len(c["author"] or "") in (0, 16) for c in comments), (
        "authors are hashed"
    )
    excluded = [e for e in outputs["pipeline_errors"] if e["iteration"] == 0]
    assert [(e["repo"], e["http_status"]) for e in excluded] == [
        ("takedown-org/dmca-tools", 451)
    ]
    assert server.stats.total_requests  # the server really served it


def test_a_second_run_finds_nothing_left_and_writes_nothing(server, tmp_path) -> None:
    endpoint = endpoint_for(server)
    run_ingest(endpoint, tmp_path / "store", params())
    again = run_ingest(endpoint, tmp_path / "store", params())
    assert again["ingest_report"]["stopped_because"] == "universe_exhausted"
    assert again["ingest_report"]["iterations"] == []
    assert again["pull_requests"] == {}


def test_iterations_per_run_limits_one_invocation(server, tmp_path) -> None:
    endpoint = endpoint_for(server)
    first = run_ingest(
        endpoint, tmp_path / "store", params(iterations={"iterations_per_run": 1})
    )
    assert [i["iteration"] for i in first["ingest_report"]["iterations"]] == [1]
    assert first["ingest_report"]["stopped_because"] == "iterations_per_run"
    assert {key.split("/")[0] for key in first["pull_requests"]} == {"iter_0001"}
    second = run_ingest(
        endpoint, tmp_path / "store", params(iterations={"iterations_per_run": 1})
    )
    assert {key.split("/")[0] for key in second["pull_requests"]} == {"iter_0002"}


def test_faults_do_not_change_the_result(tmp_path) -> None:
    clean_server = serve_in_thread(ServerConfig(snapshot=SAMPLE))
    try:
        clean = run_ingest(endpoint_for(clean_server), tmp_path / "clean", params())
    finally:
        clean_server.stop()
    faults = FaultConfig(
        rates={
            FaultKind.RATE_LIMIT_429: 0.03,
            FaultKind.SECONDARY_RATE_LIMIT_403: 0.02,
            FaultKind.PRIMARY_RATE_LIMIT_403: 0.01,
            FaultKind.SERVER_ERROR_500: 0.03,
            FaultKind.BAD_GATEWAY_502: 0.03,
            FaultKind.UNAVAILABLE_503: 0.03,
            FaultKind.SLOW: 0.02,
            FaultKind.TIMEOUT: 0.01,
            FaultKind.DROP_CONNECTION: 0.03,
            FaultKind.TRUNCATED_BODY: 0.03,
            FaultKind.INVALID_JSON: 0.02,
        },
        seed=7,
        retry_after_s=0.05,
        slow_delay_s=0.05,
        timeout_hold_s=5,
    )
    faulty_server = serve_in_thread(ServerConfig(snapshot=SAMPLE, faults=faults))
    try:
        faulty = run_ingest(
            endpoint_for(faulty_server),
            tmp_path / "faulty",
            params(client={"max_retries": 6, "timeout_s": 1}),
        )
        injected = faulty_server.stats.faults
    finally:
        faulty_server.stop()
    assert sum(injected.values()) > 10, injected
    for name in ("pull_requests", "review_comments", "issue_comments", "pull_diffs"):
        assert faulty[name] == clean[name], name
    logged = [e for log in faulty["ingest_error_logs"].values() for e in log]
    assert any(e["final_action"] == "succeeded_after_retry" for e in logged)
    assert all(
        e["retry_count"] >= 1 for e in logged if e["final_action"] != "skipped_pr"
    )


def test_a_repository_that_disappears_is_recorded_failed_and_the_iteration_goes_on(
    server, tmp_path
) -> None:
    store = IngestStore(tmp_path / "store")
    store.extend_universe(
        [{"full_name": "pyshelf/shelfdb"}, {"full_name": "ghost-org/deleted-lib"}]
    )
    outputs = run_ingest(
        endpoint_for(server),
        tmp_path / "store",
        params(iterations={"max_failed_repo_fraction": 0.5}),
    )
    (summary,) = outputs["ingest_report"]["iterations"]
    assert (summary["status"], summary["repos_done"], summary["repos_failed"]) == (
        "done",
        1,
        1,
    )
    (log,) = outputs["ingest_error_logs"].values()
    failure = next(e for e in log if e["final_action"] == "skipped_repo")
    assert failure["repo"] == "ghost-org/deleted-lib"
    assert failure["http_status"] == 404
    assert failure["error_type"] == "repository_unavailable"
    assert list(outputs["pull_requests"]) == ["iter_0001/pyshelf__shelfdb"]


def test_an_iteration_that_keeps_failing_is_retried_once_then_skipped(tmp_path) -> None:
    faults = FaultConfig(rates={FaultKind.UNAVAILABLE_503: 1.0}, seed=1)
    running = serve_in_thread(ServerConfig(snapshot=SAMPLE, faults=faults))
    try:
        store = IngestStore(tmp_path / "store")
        store.extend_universe([{"full_name": "pyshelf/shelfdb"}])
        outputs = run_ingest(
            endpoint_for(running),
            tmp_path / "store",
            params(client={"max_retries": 1}, iterations={"iteration_retries": 1}),
        )
    finally:
        running.stop()
    (summary,) = outputs["ingest_report"]["iterations"]
    assert summary["status"] == "skipped" and summary["failed_attempts"] == 2
    log = outputs["pipeline_errors"]
    assert [e["final_action"] for e in log].count("skipped_repo") == 2
    assert log[-1]["final_action"] == "skipped_iteration"


def test_discover_reuses_a_stored_universe_without_calling_github(tmp_path) -> None:
    store = IngestStore(tmp_path / "store")
    store.extend_universe([{"full_name": "a/b"}])
    nowhere = GitHubEndpoint(
        "http://127.0.0.1:9", "http://127.0.0.1:9/graphql", Secret(None)
    )
    universe = discover_repositories(
        nowhere, store, IngestParams.model_validate(params())
    )
    assert universe == [{"full_name": "a/b"}]


def test_normalize_and_confirm_export_only_pending_iterations(tmp_path) -> None:
    store = IngestStore(tmp_path / "store")
    store.extend_universe([{"full_name": "o/r"}, {"full_name": "o/gone"}])
    iteration = store.open_iteration(2)
    raw = {
        "requested_name": "o/r",
        "canonical_name": "o/r",
        "pull_requests": [],
        "diffs": {},
        "files": {},
        "skipped": [],
    }
    store.complete_repo(iteration, "o/r", raw, [], 0)
    store.fail_repo(iteration, "o/gone", [{"error_type": "x", "iteration": 1}])
    store.finish_iteration(iteration, "done")
    run = {
        "to_export": store.unexported_iterations(),
        "iterations": [],
        "stopped_because": "universe_exhausted",
        "client": {},
    }
    pulls, comments, _, _, diffs, logs, export = normalize_partitions(store, run)
    assert pulls == {"iter_0001/o__r": []} and diffs == {"iter_0001/o__r": []}
    assert (
        list(logs) == ["error_log_iter1"]
        and logs["error_log_iter1"][0]["error_type"] == "x"
    )
    assert export == {
        "iterations": [1],
        "records": {
            "pull_requests": 0,
            "review_comments": 0,
            "issue_comments": 0,
            "linked_issues": 0,
            "pull_diffs": 0,
        },
    }
    report, errors = confirm_export(store, run, export)
    assert store.unexported_iterations() == []
    assert report["exported_iterations"] == [1] and len(errors) == 1


@pytest.mark.parametrize(
    "bad",
    [
        {"iterations": {"repos_per_iteration": 0}},
        {"client": {"concurrency": -1}},
        {"fetch": {"page_size": 500}},
        {"discovery": {"unknown_key": 1}},
    ],
)
def test_invalid_parameters_are_rejected(bad: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        IngestParams.model_validate(params(**bad))
