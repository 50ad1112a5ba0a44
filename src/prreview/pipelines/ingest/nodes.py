"""Ingest nodes. The work happens in :mod:`prreview.github`;
these wire it to the catalog.

``fetch_iterations`` is the one node with side effects by design: a 50-hour crawl must
persist each repository as it finishes (through the ingest store the catalog hands it),
not when the node returns. Everything after it is a pure function of the raw partitions.
"""

from __future__ import annotations

import logging
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from prreview.curate.redact import Redactor, scrub_body
from prreview.datasets import GitHubEndpoint
from prreview.github.client import ClientConfig, GitHubClient
from prreview.github.crawl import CrawlPlan, crawl
from prreview.github.decode import decode_repository
from prreview.github.discover import DiscoveryOptions, discover
from prreview.github.etag_cache import ETagCache
from prreview.github.fetch import FetchOptions
from prreview.github.store import IngestStore, partition_key, utc_now
from prreview.runtime import run_async
from prreview.schemas import dump_records

logger = logging.getLogger(__name__)

Partitions = dict[str, list[dict[str, Any]]]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DiscoveryParams(_Strict):
    languages: list[str] = Field(default_factory=list)
    min_stars: int = Field(0, ge=0)
    pushed_after: str | None = None
    licenses: list[str] = Field(default_factory=list)
    include_archived: bool = False
    include_forks: bool = False
    extra_qualifiers: str = ""
    max_results_per_query: int = Field(200, ge=1, le=1000)
    explicit: list[str] = Field(default_factory=list)
    refresh: bool = False


class IterationParams(_Strict):
    repos_per_iteration: int = Field(40, ge=1)
    iterations_per_run: int = Field(1, ge=1)
    max_total_iterations: int = Field(50, ge=1)
    pause_between_iterations_s: float = Field(0.0, ge=0)
    iteration_retries: int = Field(1, ge=0)
    max_failed_repo_fraction: float = Field(0.5, ge=0, le=1)
    repo_concurrency: int = Field(4, ge=1)


class FetchParams(_Strict):
    max_prs_per_repo: int = Field(60, ge=1)
    merged_after: str | None = None
    merged_before: str | None = None
    page_size: int = Field(20, ge=1, le=100)
    thread_page_size: int = Field(50, ge=1, le=100)


class ClientParams(_Strict):
    concurrency: int = Field(10, ge=1)
    timeout_s: float = Field(30.0, gt=0)
    max_retries: int = Field(3, ge=0)
    backoff_base_s: float = Field(1.0, ge=0)
    backoff_max_s: float = Field(60.0, ge=0)
    jitter: float = Field(0.25, ge=0, le=1)
    retry_statuses: list[int] = Field(default_factory=lambda: [429, 500, 502, 503, 504])
    rate_limit_reserve: int = Field(20, ge=0)
    max_rate_limit_wait_s: float = Field(3900.0, ge=0)
    max_rate_limit_waits: int = Field(5, ge=0)
    secondary_limit_wait_s: float = Field(60.0, ge=0)
    search_requests_per_minute: float = Field(30.0, gt=0)


class IngestParams(_Strict):
    discovery: DiscoveryParams = Field(default_factory=DiscoveryParams)
    iterations: IterationParams = Field(default_factory=IterationParams)
    fetch: FetchParams = Field(default_factory=FetchParams)
    client: ClientParams = Field(default_factory=ClientParams)


def _client(endpoint: GitHubEndpoint, params: ClientParams) -> GitHubClient:
    settings = params.model_dump()
    settings["retry_statuses"] = tuple(settings["retry_statuses"])
    config = ClientConfig(
        base_url=endpoint.base_url, graphql_url=endpoint.graphql_url, **settings
    )
    cache = None
    if endpoint.etag_cache:
        redactor = Redactor()  # the cache keeps bodies: no secret goes to disk
        cache = ETagCache(
            endpoint.etag_cache, scrub=lambda body: scrub_body(body, redactor)
        )
    return GitHubClient(config, endpoint.token, etag_cache=cache)


def discover_repositories(
    github_api: GitHubEndpoint, ingest_store: IngestStore, ingest: IngestParams
) -> list[dict[str, Any]]:
    """The repository universe: discovered once,
    then stable (extended on ``refresh``)."""
    known = ingest_store.universe()
    if known and not ingest.discovery.refresh:
        logger.info("Repository universe: %d repositories (stored)", len(known))
        return known
    settings = ingest.discovery.model_dump(exclude={"refresh"})
    options = DiscoveryOptions(
        **{
            key: tuple(value) if isinstance(value, list) else value
            for key, value in settings.items()
        }
    )

    async def run() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        async with _client(github_api, ingest.client) as client:
            return await discover(client, options)

    found, errors = run_async(run)
    added = ingest_store.extend_universe(found)
    if errors:
        ingest_store.add_errors(0, errors)
    universe = ingest_store.universe()
    logger.info(
        "Repository universe: %d repositories (%d new, %d excluded)",
        len(universe),
        added,
        len(errors),
    )
    return universe


def fetch_iterations(
    github_api: GitHubEndpoint,
    ingest_store: IngestStore,
    repository_universe: list[dict[str, Any]],
    ingest: IngestParams,
) -> dict[str, Any]:
    """Run the next iteration(s);
    returns what was done and which iterations to export."""
    if not repository_universe:
        logger.warning("The repository universe is empty: nothing to ingest")
    plan = CrawlPlan(**ingest.iterations.model_dump())
    options = FetchOptions(**ingest.fetch.model_dump())

    async def run() -> dict[str, Any]:
        async with _client(github_api, ingest.client) as client:
            report = await crawl(client, ingest_store, plan, options)
        return report.as_dict()

    report = run_async(run)
    report["to_export"] = ingest_store.unexported_iterations()
    return report


def normalize_partitions(
    ingest_store: IngestStore, ingest_run: dict[str, Any]
) -> tuple[
    Partitions, Partitions, Partitions, Partitions, Partitions, Partitions, dict
]:
    """Decode the raw partitions of every iteration awaiting export into records."""
    outputs: dict[str, Partitions] = {
        name: {}
        for name in (
            "pull_requests",
            "review_comments",
            "issue_comments",
            "linked_issues",
            "pull_diffs",
        )
    }
    error_logs: Partitions = {}
    counts: dict[str, int] = dict.fromkeys(outputs, 0)
    for iteration in ingest_run["to_export"]:
        decode_errors: list[dict[str, Any]] = []
        for full_name, status in ingest_store.iteration_repos(iteration):
            if status != "done":
                continue
            decoded = decode_repository(
                ingest_store.read_raw(iteration, full_name), iteration
            )
            key = partition_key(iteration, full_name)
            for name, partitions in outputs.items():
                rows = dump_records(getattr(decoded, name))
                partitions[key] = rows
                counts[name] += len(rows)
            decode_errors.extend(
                {
                    "timestamp": utc_now(),
                    "iteration": iteration,
                    "error_type": skipped["reason"],
                    "repo": skipped["repo"],
                    "api_endpoint": None,
                    "http_status": None,
                    "retry_count": 0,
                    "final_action": "skipped_pr_at_decode",
                    "message": skipped["message"][:500],
                }
                for skipped in decoded.skipped
            )
        error_logs[f"error_log_iter{iteration}"] = (
            ingest_store.errors(iteration) + decode_errors
        )
    logger.info(
        "Exported iterations %s: %s",
        ingest_run["to_export"],
        ", ".join(f"{count} {name}" for name, count in counts.items()),
    )
    export = {"iterations": ingest_run["to_export"], "records": counts}
    return (
        outputs["pull_requests"],
        outputs["review_comments"],
        outputs["issue_comments"],
        outputs["linked_issues"],
        outputs["pull_diffs"],
        error_logs,
        export,
    )


def confirm_export(
    ingest_store: IngestStore, ingest_run: dict[str, Any], ingest_export: dict[str, Any]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Mark exported iterations (their partitions are saved by now)
    and report the run."""
    ingest_store.mark_exported(ingest_export["iterations"])
    errors = ingest_store.errors()
    report = {
        "iterations": ingest_run["iterations"],
        "exported_iterations": ingest_export["iterations"],
        "records": ingest_export["records"],
        "stopped_because": ingest_run["stopped_because"],
        "progress": ingest_store.progress(),
        "client": ingest_run["client"],
        "errors": len(errors),
    }
    logger.info(
        "Ingest done: %d repositories of %d done, %d failed; %d errors logged",
        report["progress"]["done"],
        report["progress"]["universe"],
        report["progress"]["failed"],
        len(errors),
    )
    return report, errors
