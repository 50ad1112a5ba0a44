"""API requests per ingested PR and PRs per second: prreview's client against the way
the original scripts fetched (sequential REST: list pulls, then comments, issue
comments, files, commits, diff and linked issues per PR), in one run against the local
GitHub-compatible server with simulated latency, plus a run where a small quota is the
limit.

    python -m benchmarks.ingest_requests [--latency 0.02] [--write docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import asyncio
import copy as copy_module
import json
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.report import write_section
from prreview.github.client import ClientConfig, GitHubClient
from prreview.github.crawl import CrawlPlan, crawl
from prreview.github.fetch import FetchOptions
from prreview.github.server import ServerConfig, serve_in_thread
from prreview.github.store import IngestStore

ROOT = Path(__file__).parents[1]
SAMPLE = ROOT / "data" / "01_raw" / "github_sample"
TOKEN = "benchmark-token"
CLOSES = re.compile(r"(?i)\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\s+#(\d+)")


@dataclass
class Result:
    name: str
    requests: int
    pull_requests: int
    seconds: float
    rate_limited: int = 0

    @property
    def per_pr(self) -> float:
        return self.requests / self.pull_requests

    @property
    def prs_per_s(self) -> float:
        return self.pull_requests / self.seconds


def repositories(snapshot: Path) -> list[str]:
    index = json.loads((snapshot / "index.json").read_text())
    names = []
    for name in index["repositories"]:
        repo = json.loads(
            (snapshot / "repos" / f"{name.replace('/', '__')}.json").read_text()
        )
        if not repo["repository"]["archived"]:
            names.append(name)
    return names


def scaled_snapshot(factor: int, target: Path) -> Path:
    """The sample with every repository's pull requests repeated ``factor`` times
    (renumbered), so a repository has 60 merged PRs as in the prod default."""
    shutil.copytree(SAMPLE, target)
    for path in (target / "repos").glob("*.json"):
        repo = json.loads(path.read_text())
        pulls = []
        for copy in range(factor):
            for original in repo["pulls"]:
                pull = copy_module.deepcopy(original)
                shift = copy * 1000
                pull["pull"]["number"] += shift
                pull["pull"]["id"] += shift
                for comment in pull["review_comments"] + pull["issue_comments"]:
                    comment["id"] += copy * 10_000_000
                    if comment.get("in_reply_to_id"):
                        comment["in_reply_to_id"] += copy * 10_000_000
                pulls.append(pull)
        repo["pulls"] = pulls
        path.write_text(json.dumps(repo))
    return target


async def prreview_fetch(
    base_url: str, snapshot: Path, store_root: Path, reserve: int
) -> Result:
    config = ClientConfig(base_url=base_url, concurrency=10, rate_limit_reserve=reserve)
    store = IngestStore(store_root)
    store.extend_universe([{"full_name": name} for name in repositories(snapshot)])
    plan = CrawlPlan(repos_per_iteration=40, iterations_per_run=1, repo_concurrency=4)
    started = time.perf_counter()
    async with GitHubClient(config, TOKEN) as client:
        report = await crawl(client, store, plan, FetchOptions(max_prs_per_repo=60))
    seconds = time.perf_counter() - started
    pulls = sum(summary.pull_requests for summary in report.iterations)
    return Result(
        "prreview (GraphQL pages + REST diff, concurrent)",
        client.stats.total_requests,
        pulls,
        seconds,
    )


async def baseline_fetch(base_url: str, snapshot: Path) -> Result:
    """Sequential REST, one call after another, as the original scripts did."""
    config = ClientConfig(base_url=base_url, concurrency=1)
    pulls = 0
    started = time.perf_counter()
    async with GitHubClient(config, TOKEN) as client:
        for full_name in repositories(snapshot):
            prefix = f"/repos/{full_name}"
            merged = [
                pull
                async for pull in client.paginate(
                    f"{prefix}/pulls", {"state": "closed", "per_page": 100}
                )
                if pull.get("merged_at")
            ][:60]
            for pull in merged:
                number = pull["number"]
                for endpoint in (
                    "pulls/{}/comments",
                    "issues/{}/comments",
                    "pulls/{}/files",
                    "pulls/{}/commits",
                ):
                    await client.get_all(f"{prefix}/{endpoint.format(number)}")
                await client.get_diff(*full_name.split("/"), number)
                for issue in CLOSES.findall(pull.get("body") or ""):
                    await client.get_json(f"{prefix}/issues/{issue}")
                pulls += 1
    seconds = time.perf_counter() - started
    return Result(
        "baseline (sequential REST, 5+ calls per PR)",
        client.stats.total_requests,
        pulls,
        seconds,
    )


def _run_pair(snapshot: Path, latency: float, store_root: Path) -> list[Result]:
    running = serve_in_thread(ServerConfig(snapshot=snapshot, latency_s=latency))
    try:
        baseline = asyncio.run(baseline_fetch(running.base_url, snapshot))
        ours = asyncio.run(prreview_fetch(running.base_url, snapshot, store_root, 20))
    finally:
        running.stop()
    return [baseline, ours]


def _run_quota_bound(
    snapshot: Path, latency: float, store_root: Path, quota: int, window: float
) -> Result:
    limited = ServerConfig(
        snapshot=snapshot,
        latency_s=latency,
        core_limit=quota,
        core_window_s=window,
        graphql_limit=quota,
        graphql_window_s=window,
    )
    running = serve_in_thread(limited)
    try:
        paced = asyncio.run(prreview_fetch(running.base_url, snapshot, store_root, 2))
        paced.rate_limited = sum(running.stats.as_dict()["rate_limited"].values())
    finally:
        running.stop()
    paced.name = (
        f"prreview, quota {quota} requests + {quota} GraphQL points per {window:.0f} s"
    )
    return paced


def measure(latency: float, quota: int = 150, window: float = 3.0) -> str:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        scaled = scaled_snapshot(6, tmp / "scaled")
        rows = [
            (
                "sample (10 merged PRs per repository)",
                _run_pair(SAMPLE, latency, tmp / "a"),
            ),
            (
                "sample x6 (60 merged PRs per repository, the prod default)",
                _run_pair(scaled, latency, tmp / "b"),
            ),
        ]
        paced = _run_quota_bound(scaled, latency, tmp / "c", quota, window)
    return table(rows, paced, quota / window, latency)


def table(
    rows: list[tuple[str, list[Result]]],
    paced: Result,
    quota_rate: float,
    latency: float,
) -> str:
    lines = [
        f"Local GitHub-compatible server, {latency * 1000:.0f} ms simulated latency "
        "per request; baseline and prreview measured in the same run on the same "
        "machine.",
        "",
        "| data | fetcher | requests | PRs | requests/PR | PRs/s | PRs/s vs baseline |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for label, (baseline, ours) in rows:
        for result in (baseline, ours):
            lines.append(
                f"| {label} | {result.name} | {result.requests} | "
                f"{result.pull_requests} | {result.per_pr:.2f} | "
                f"{result.prs_per_s:.1f} | "
                f"{result.prs_per_s / baseline.prs_per_s:.1f}x |"
            )
    ceiling = quota_rate / paced.per_pr  # the fastest any client could go under it
    ours = rows[-1][1][1]
    baseline = rows[-1][1][0]
    lines += [
        "",
        "When the quota is the limit (sample x6):",
        "",
        "| run | requests | PRs | requests/PR | PRs/s | quota's ceiling PRs/s "
        "| share of ceiling | rate-limited answers |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        f"| {paced.name} | {paced.requests} | {paced.pull_requests} | "
        f"{paced.per_pr:.2f} | {paced.prs_per_s:.1f} | {ceiling:.1f} | "
        f"{paced.prs_per_s / ceiling:.0%} | {paced.rate_limited} |",
        "",
        f"At GitHub's 5,000 REST requests/hour per token, {ours.per_pr:.2f} "
        f"requests/PR is about {5000 / ours.per_pr:,.0f} PRs/hour (baseline: "
        f"{5000 / baseline.per_pr:,.0f}).",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.02)
    parser.add_argument("--write", type=Path, default=None)
    args = parser.parse_args()
    body = measure(args.latency)
    print(body)
    if args.write:
        write_section(args.write, "ingest_requests", "Ingest: requests per PR", body)


if __name__ == "__main__":
    main()
