"""Iterations over the repository universe, resumable after a crash at any instant.

Iteration *i* owns the next N repositories of the universe. Each repository is fetched,
its raw partition written atomically, then marked done in the state store; a rerun skips
what is done and fetches what is not. A repository that still fails after the client's
retries is recorded as failed and the iteration goes on; an iteration where too many
fail is retried (configurable) and then skipped.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from tqdm.auto import tqdm

from prreview.github.client import GitHubClient, RetryEvent
from prreview.github.errors import BadCredentials, GitHubError
from prreview.github.fetch import FetchOptions, fetch_repository
from prreview.github.store import IngestStore, utc_now
from prreview.schemas import IngestError

logger = logging.getLogger(__name__)

_current_repo: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "current_repo", default=None
)


@dataclass(frozen=True)
class CrawlPlan:
    repos_per_iteration: int = 40
    iterations_per_run: int = 1
    max_total_iterations: int = 50
    pause_between_iterations_s: float = 0.0
    iteration_retries: int = 1
    max_failed_repo_fraction: float = 0.5
    repo_concurrency: int = 4


@dataclass
class IterationSummary:
    iteration: int
    status: str
    failed_attempts: int
    repos_done: int
    repos_failed: int
    pull_requests: int
    errors: int

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class CrawlReport:
    iterations: list[IterationSummary] = field(default_factory=list)
    stopped_because: str = ""
    progress: dict[str, int] = field(default_factory=dict)
    client: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "iterations": [summary.as_dict() for summary in self.iterations],
            "stopped_because": self.stopped_because,
            "progress": self.progress,
            "client": self.client,
        }


class _ErrorCollector:
    """Routes the client's retry events to the repository whose task caused them."""

    def __init__(self, iteration: int) -> None:
        self.iteration = iteration
        self.by_repo: dict[str | None, list[dict[str, Any]]] = {}

    def __call__(self, event: RetryEvent) -> None:
        repo = _current_repo.get()
        self.by_repo.setdefault(repo, []).append(
            _error_record(
                self.iteration,
                event.cause,
                repo,
                event.endpoint,
                event.http_status,
                event.retry_count,
                event.final_action,
                event.message,
            )
        )

    def take(self, repo: str | None) -> list[dict[str, Any]]:
        return self.by_repo.pop(repo, [])


def _error_record(
    iteration: int,
    error_type: str,
    repo: str | None,
    endpoint: str | None,
    status: int | None,
    retry_count: int,
    final_action: str,
    message: str,
) -> dict[str, Any]:
    return IngestError(
        timestamp=utc_now(),
        iteration=iteration,
        error_type=error_type,
        repo=repo,
        api_endpoint=endpoint,
        http_status=status,
        retry_count=retry_count,
        final_action=final_action,
        message=message[:500],
    ).model_dump()


async def _fetch_one(
    client: GitHubClient,
    store: IngestStore,
    iteration: int,
    full_name: str,
    options: FetchOptions,
    collector: _ErrorCollector,
) -> bool:
    _current_repo.set(full_name)
    try:
        fetched = await fetch_repository(client, full_name, options)
    except BadCredentials:
        raise
    except GitHubError as error:
        logger.warning("%s failed: %s", full_name, error)
        errors = collector.take(full_name)
        errors.append(
            _error_record(
                iteration,
                error.error_type,
                full_name,
                error.endpoint,
                error.status,
                error.retry_count,
                "skipped_repo",
                str(error),
            )
        )
        store.fail_repo(iteration, full_name, errors)
        return False
    errors = collector.take(full_name)
    for notes, final_action in (
        (fetched.skipped, "skipped_pr"),
        (fetched.truncated, "kept_truncated"),
    ):
        errors.extend(
            _error_record(
                iteration,
                note["reason"],
                full_name,
                "/graphql",
                None,
                0,
                final_action,
                note.get("node", ""),
            )
            for note in notes
        )
    store.complete_repo(
        iteration, full_name, fetched.to_json(), errors, len(fetched.pull_requests)
    )
    return True


async def _run_attempt(
    client: GitHubClient,
    store: IngestStore,
    iteration: int,
    plan: CrawlPlan,
    options: FetchOptions,
) -> None:
    pending = [
        name for name, status in store.iteration_repos(iteration) if status == "pending"
    ]
    collector = _ErrorCollector(iteration)
    client.set_event_handler(collector)
    gate = asyncio.Semaphore(plan.repo_concurrency)
    bar = tqdm(
        total=len(pending), desc=f"iteration {iteration}", unit="repo", leave=False
    )

    async def worker(full_name: str) -> None:
        async with gate:
            await _fetch_one(client, store, iteration, full_name, options, collector)
            bar.update(1)

    tasks = [asyncio.create_task(worker(name)) for name in pending]
    try:
        await asyncio.gather(*tasks)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        bar.close()
        client.set_event_handler(None)
        leftovers = [error for errors in collector.by_repo.values() for error in errors]
        if leftovers:
            store.add_errors(iteration, leftovers)


def _summarise(store: IngestStore, iteration: int) -> IterationSummary:
    repos = store.iteration_repos(iteration)
    done = sum(1 for _, status in repos if status == "done")
    failed = sum(1 for _, status in repos if status == "failed")
    return IterationSummary(
        iteration=iteration,
        status=store.iteration_status(iteration) or "unknown",
        failed_attempts=store.failed_attempts(iteration),
        repos_done=done,
        repos_failed=failed,
        pull_requests=store.pull_request_count(iteration),
        errors=len(store.errors(iteration)),
    )


async def run_iteration(
    client: GitHubClient,
    store: IngestStore,
    iteration: int,
    plan: CrawlPlan,
    options: FetchOptions,
) -> IterationSummary:
    """Fetch every unfinished repository of the iteration;
    retry it if too many failed."""
    while True:
        await _run_attempt(client, store, iteration, plan, options)
        repos = store.iteration_repos(iteration)
        failed = sum(1 for _, status in repos if status == "failed")
        if not repos or failed / len(repos) <= plan.max_failed_repo_fraction:
            store.finish_iteration(iteration, "done")
            break
        attempt = store.count_failed_attempt(iteration)
        if attempt > plan.iteration_retries:
            logger.error(
                "Iteration %d: %d of %d repositories failed after %d attempts; "
                "skipping it",
                iteration,
                failed,
                len(repos),
                attempt,
            )
            store.add_errors(
                iteration,
                [
                    _error_record(
                        iteration,
                        "iteration_failed",
                        None,
                        None,
                        None,
                        attempt - 1,
                        "skipped_iteration",
                        f"{failed} of {len(repos)} repositories failed",
                    )
                ],
            )
            store.finish_iteration(iteration, "skipped")
            break
        logger.warning(
            "Iteration %d: %d of %d repositories failed; retrying the iteration",
            iteration,
            failed,
            len(repos),
        )
        store.reset_failed(iteration)
    summary = _summarise(store, iteration)
    logger.info(
        "Iteration %d %s: %d repositories done, %d failed, %d pull requests, %d errors",
        iteration,
        summary.status,
        summary.repos_done,
        summary.repos_failed,
        summary.pull_requests,
        summary.errors,
    )
    return summary


async def crawl(
    client: GitHubClient, store: IngestStore, plan: CrawlPlan, options: FetchOptions
) -> CrawlReport:
    """Run up to ``plan.iterations_per_run`` iterations,
    resuming an unfinished one first."""
    report = CrawlReport()
    progress = store.progress()
    logger.info(
        "Ingest plan: %d repositories in the universe, %d done, %d failed, %d left; "
        "%d iterations so far (stop after %d); this run: up to %d iteration(s) of %d",
        progress["universe"],
        progress["done"],
        progress["failed"],
        progress["pending"] + progress["unassigned"],
        progress["iterations"],
        plan.max_total_iterations,
        plan.iterations_per_run,
        plan.repos_per_iteration,
    )
    for run_index in range(plan.iterations_per_run):
        if (
            store.running_iteration() is None
            and store.iteration_count() >= plan.max_total_iterations
        ):
            report.stopped_because = "max_total_iterations"
            break
        iteration = store.open_iteration(plan.repos_per_iteration)
        if iteration is None:
            report.stopped_because = "universe_exhausted"
            break
        if run_index and plan.pause_between_iterations_s > 0:
            logger.info(
                "Pausing %.0fs before iteration %d",
                plan.pause_between_iterations_s,
                iteration,
            )
            await asyncio.sleep(plan.pause_between_iterations_s)
        repos = store.iteration_repos(iteration)
        left = sum(1 for _, status in repos if status == "pending")
        logger.info(
            "Iteration %d: %d repositories, %d to fetch%s",
            iteration,
            len(repos),
            left,
            " (resuming)" if left < len(repos) else "",
        )
        started = time.monotonic()
        report.iterations.append(
            await run_iteration(client, store, iteration, plan, options)
        )
        logger.info("Iteration %d took %.1fs", iteration, time.monotonic() - started)
    else:
        report.stopped_because = "iterations_per_run"
    report.progress = store.progress()
    report.client = client.stats.as_dict()
    return report
