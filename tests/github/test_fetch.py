"""fetch_repository and discover against the local server over the bundled sample, and
against scripted malformed GraphQL answers."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from prreview.github.client import ClientConfig, GitHubClient
from prreview.github.decode import decode_repository
from prreview.github.discover import DiscoveryOptions, discover, search_queries
from prreview.github.errors import PayloadError, RepositoryUnavailable
from prreview.github.fetch import (
    FetchOptions,
    RepositoryFetch,
    fetch_repository,
    split_full_name,
)
from prreview.github.server import ServerConfig, serve_in_thread
from prreview.schemas import RecordError
from tests.github.scripted import ScriptedServer, ok
from tests.github.test_decode import DIFF, pull

SAMPLE = Path(__file__).parents[2] / "data" / "01_raw" / "github_sample"
FAST = {"backoff_base_s": 0.01, "search_requests_per_minute": 6000.0}


def against_sample(
    scenario: Callable[[GitHubClient], Awaitable[Any]],
    client_config: dict[str, Any] | None = None,
    **server: Any,
) -> tuple[Any, dict[str, Any], GitHubClient]:
    running = serve_in_thread(ServerConfig(snapshot=SAMPLE, **server))
    try:

        async def main() -> tuple[Any, GitHubClient]:
            config = ClientConfig(
                base_url=running.base_url, **{**FAST, **(client_config or {})}
            )
            client = GitHubClient(config, "t")
            async with client:
                return await scenario(client), client

        result, client = asyncio.run(main())
        return result, running.stats.as_dict(), client
    finally:
        running.stop()


def test_fetches_merged_pull_requests_with_diffs() -> None:
    fetched, stats, client = against_sample(
        lambda c: fetch_repository(c, "tidewave/tidewave", FetchOptions(page_size=4))
    )
    numbers = [pull["number"] for pull in fetched.pull_requests]
    assert len(numbers) == 10 and all(pull["merged"] for pull in fetched.pull_requests)
    assert set(fetched.diffs) == set(numbers)
    assert all(diff.startswith("diff --git") for diff in fetched.diffs.values())
    assert client.stats.requests["graphql"] == 3  # pages of 4, 4 and 2
    assert client.stats.requests["diff"] == 10


def test_renamed_repository_resolves_to_its_canonical_name() -> None:
    fetched, _, _ = against_sample(
        lambda c: fetch_repository(c, "kvshelf/shelf", FetchOptions())
    )
    assert fetched.canonical_name == "pyshelf/shelfdb"
    assert fetched.requested_name == "kvshelf/shelf"


def test_review_threads_beyond_the_first_page_are_fetched() -> None:
    small, _, client = against_sample(
        lambda c: fetch_repository(
            c, "ferrous-labs/rivet", FetchOptions(thread_page_size=2)
        )
    )
    large, _, _ = against_sample(
        lambda c: fetch_repository(c, "ferrous-labs/rivet", FetchOptions())
    )
    assert client.stats.requests["graphql"] > 1
    threads = [len(p["reviewThreads"]["nodes"]) for p in small.pull_requests]
    assert threads == [len(p["reviewThreads"]["nodes"]) for p in large.pull_requests]
    assert max(threads) > 2


def test_max_prs_and_merged_window() -> None:
    limited, _, _ = against_sample(
        lambda c: fetch_repository(
            c, "quarry-rs/quarry", FetchOptions(max_prs_per_repo=3)
        )
    )
    assert len(limited.pull_requests) == 3 and len(limited.diffs) == 3
    everything, _, _ = against_sample(
        lambda c: fetch_repository(c, "quarry-rs/quarry", FetchOptions())
    )
    merged = sorted(p["mergedAt"] for p in everything.pull_requests)
    cutoff = merged[5]
    windowed, _, _ = against_sample(
        lambda c: fetch_repository(
            c, "quarry-rs/quarry", FetchOptions(merged_after=cutoff)
        )
    )
    assert sorted(p["mergedAt"] for p in windowed.pull_requests) == merged[5:]


def test_too_large_diffs_fall_back_to_per_file_patches() -> None:
    fetched, _, client = against_sample(
        lambda c: fetch_repository(c, "kettle-io/kettle", FetchOptions()),
        max_diff_lines=5,
    )
    assert fetched.files and client.stats.requests["files"] >= 1
    decoded = decode_repository(fetched.to_json(), 1)
    sources = {diff.source for diff in decoded.pull_diffs}
    assert "files" in sources
    assert all(diff.files for diff in decoded.pull_diffs if diff.source == "files")


def test_a_small_quota_is_paced_without_a_single_refusal() -> None:
    async def two_repositories(client: GitHubClient) -> list[Any]:
        return [
            await fetch_repository(client, name, FetchOptions(page_size=5))
            for name in ("tidewave/tidewave", "paperkite/paperkite-ui")
        ]

    fetched, stats, client = against_sample(
        two_repositories,
        client_config={"rate_limit_reserve": 1},
        core_limit=8,
        core_window_s=0.5,
        graphql_limit=30,
        graphql_window_s=0.5,
    )
    assert sum(len(f.pull_requests) for f in fetched) == 20
    assert stats["rate_limited"] == {}
    assert client.stats.rate_limit_waits >= 2


def test_unavailable_repository() -> None:
    with pytest.raises(RepositoryUnavailable):
        against_sample(
            lambda c: fetch_repository(c, "ghost-org/deleted-lib", FetchOptions())
        )


def test_discovery_orders_by_stars_and_applies_qualifiers() -> None:
    options = DiscoveryOptions(
        languages=("Python", "Rust"),
        min_stars=10,
        explicit=("kvshelf/shelf", "takedown-org/dmca-tools"),
    )
    (universe, errors), stats, client = against_sample(lambda c: discover(c, options))
    names = [repo["full_name"] for repo in universe]
    assert names[0] == "pyshelf/shelfdb", "explicit seeds first, renamed to canonical"
    assert names.count("pyshelf/shelfdb") == 1, "the search hit is deduplicated"
    searched = universe[1:]
    assert [r["stars"] for r in searched] == sorted(
        (r["stars"] for r in searched), reverse=True
    )
    assert {r["language"] for r in universe} == {"Python", "Rust"}
    assert "oldguard/legacy-utils" not in names, "archived repositories are excluded"
    assert [(e["repo"], e["http_status"]) for e in errors] == [
        ("takedown-org/dmca-tools", 451)
    ]
    assert client.stats.requests["search"] == 2


def test_search_queries_combine_qualifiers() -> None:
    queries = search_queries(
        DiscoveryOptions(
            languages=("Go",),
            licenses=("mit", "apache-2.0"),
            min_stars=50,
            pushed_after="2025-01-01",
        )
    )
    assert queries == [
        "language:Go license:mit stars:>=50 pushed:>2025-01-01 archived:false "
        "fork:false",
        "language:Go license:apache-2.0 stars:>=50 pushed:>2025-01-01 archived:false "
        "fork:false",
    ]


def graphql_answer(data: Any, errors: Any = None) -> dict[str, Any]:
    answer: dict[str, Any] = {"data": data}
    if errors:
        answer["errors"] = errors
    return answer


def one_page_answer(nodes: list[Any], errors: Any = None) -> dict[str, Any]:
    """A GraphQL answer with the repository's only page of pull request nodes."""
    return graphql_answer(
        {
            "repository": {
                "nameWithOwner": "o/r",
                "pullRequests": {
                    "nodes": nodes,
                    "pageInfo": {"hasNextPage": False, "endCursor": None},
                },
            }
        },
        errors,
    )


def scripted_fetch(answer: dict[str, Any]) -> Any:
    async def main() -> Any:
        async with ScriptedServer() as server:
            server.script("POST", "/graphql", ok(answer))
            client = GitHubClient(ClientConfig(base_url=server.url, **FAST), "t")
            async with client:
                return await fetch_repository(client, "o/r", FetchOptions())

    return asyncio.run(main())


@pytest.mark.parametrize(
    "repository",
    [
        {"nameWithOwner": "o/r"},
        {"nameWithOwner": "o/r", "pullRequests": {"nodes": []}},
        {"nameWithOwner": "o/r", "pullRequests": None},
    ],
)
def test_graphql_answers_missing_fields_are_payload_errors(repository) -> None:
    with pytest.raises(PayloadError) as caught:
        scripted_fetch(graphql_answer({"repository": repository}))
    assert caught.value.error_type == "malformed_payload"


def test_graphql_null_repository_with_an_error_is_a_payload_error() -> None:
    with pytest.raises(PayloadError, match="boom"):
        scripted_fetch(graphql_answer(None, [{"type": "INTERNAL", "message": "boom"}]))


def test_graphql_not_found_is_unavailable() -> None:
    with pytest.raises(RepositoryUnavailable):
        scripted_fetch(
            graphql_answer(
                {"repository": None}, [{"type": "NOT_FOUND", "message": "x"}]
            )
        )


def test_null_and_numberless_pull_request_nodes_are_skipped_and_reported() -> None:
    answer = one_page_answer([None, {"title": "no number"}])
    fetched = scripted_fetch(answer)
    assert fetched.pull_requests == []
    assert [s["reason"] for s in fetched.skipped] == ["malformed_pull_request"] * 2


def test_a_pull_request_with_null_review_threads_is_skipped_and_reported() -> None:
    node = pull(5)
    node["reviewThreads"] = None  # what GitHub sends after a partial error
    answer = one_page_answer(
        [node], [{"type": "SERVICE_UNAVAILABLE", "message": "timeout"}]
    )
    fetched = scripted_fetch(answer)
    assert fetched.pull_requests == [] and fetched.diffs == {}
    assert [s["reason"] for s in fetched.skipped] == ["malformed_pull_request"]


def test_a_raw_partition_without_a_required_key_names_the_repository() -> None:
    partition = RepositoryFetch("o/r", "o/r").to_json()
    del partition["diffs"]
    with pytest.raises(RecordError, match="raw partition of o/r lacks 'diffs'"):
        RepositoryFetch.from_json(partition)


@pytest.mark.parametrize("bad", ["noslash", "a/b/c", "/x", "x/"])
def test_split_full_name_rejects_malformed_names(bad: str) -> None:
    with pytest.raises(ValueError, match="owner/name"):
        split_full_name(bad)


def test_connections_cut_by_the_query_are_completed_or_recorded() -> None:
    node = pull(5)
    node["comments"]["totalCount"] = 3  # the page held 1 of 3 conversation comments
    node["commits"]["totalCount"] = 150
    rest_comments = [
        {
            "id": 900 + index,
            "body": f"comment {index}",
            "user": {"login": "someone", "type": "User"},
            "author_association": "NONE",
            "created_at": "2026-01-02T00:00:00Z",
        }
        for index in range(3)
    ]
    answer = one_page_answer([node])

    async def main() -> Any:
        async with ScriptedServer() as server:
            server.script("POST", "/graphql", ok(answer))
            server.script("GET", "/repos/o/r/pulls/5", ok(DIFF))
            server.script("GET", "/repos/o/r/issues/5/comments", ok(rest_comments))
            client = GitHubClient(ClientConfig(base_url=server.url, **FAST), "t")
            async with client:
                return await fetch_repository(client, "o/r", FetchOptions())

    fetched = asyncio.run(main())
    assert [c["id"] for c in fetched.issue_comments[5]] == [900, 901, 902]
    assert fetched.truncated == [
        {"reason": "truncated_commits", "node": "#5: 1 of 150"}
    ]
    decoded = decode_repository(fetched.to_json(), 1)
    assert [c.body for c in decoded.issue_comments] == [
        "comment 0",
        "comment 1",
        "comment 2",
    ]
    assert decoded.pull_requests[0].issue_comment_count == 1
