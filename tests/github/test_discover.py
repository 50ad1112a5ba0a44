"""discover and repository_from_api on malformed REST repository objects: a bad
item is skipped with an error record, and discovery goes on with the rest."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from prreview.github.client import ClientConfig, GitHubClient
from prreview.github.discover import DiscoveryOptions, discover, repository_from_api
from prreview.schemas import IngestError
from tests.github.scripted import ScriptedServer, ok

FAST = {"backoff_base_s": 0.01, "timeout_s": 1.0, "search_requests_per_minute": 6e3}


def item(full_name: str, stars: int = 10, **fields: Any) -> dict[str, Any]:
    return {
        "full_name": full_name,
        "language": "Python",
        "stargazers_count": stars,
        "license": {"key": "mit", "spdx_id": "MIT"},
        "default_branch": "main",
        "pushed_at": "2026-01-01T00:00:00Z",
        "archived": False,
        "topics": ["cli"],
        "description": "A tool",
        **fields,
    }


MALFORMED = [
    pytest.param({"language": "Python"}, id="no-full-name"),
    pytest.param(item("o/r", license="MIT"), id="license-str"),
    pytest.param(item("o/r", topics=5), id="topics-int"),
    pytest.param(item("o/r", topics="cli"), id="topics-str"),
    pytest.param(item("o/r", stargazers_count=float("inf")), id="stars-infinite"),
    pytest.param(item(7), id="full-name-int"),
    pytest.param(item("no-slash"), id="full-name-not-owner-name"),
    pytest.param(["o/r"], id="not-an-object"),
]


def test_a_well_formed_item_is_read() -> None:
    repository = repository_from_api(item("o/r", stars=42), "search")
    assert (repository.full_name, repository.stars, repository.license) == (
        "o/r",
        42,
        "MIT",
    )
    assert repository.topics == ["cli"] and repository.source == "search"
    bare = repository_from_api({"full_name": "o/r", "license": None}, "explicit")
    assert (bare.stars, bare.license, bare.topics, bare.archived) == (
        0,
        None,
        [],
        False,
    )


@pytest.mark.parametrize("bad", MALFORMED)
def test_repository_from_api_raises_value_error_on_a_malformed_item(bad: Any) -> None:
    with pytest.raises(ValueError):
        repository_from_api(bad, "search")


def run_discover(
    options: DiscoveryOptions, **routes: Any
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    async def main() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        async with ScriptedServer() as server:
            for path, body in routes.items():
                server.script("GET", path, ok(body))
            config = ClientConfig(base_url=server.url, **FAST)
            async with GitHubClient(config, "t") as client:
                return await discover(client, options)

    return asyncio.run(main())


@pytest.mark.parametrize("bad", MALFORMED)
def test_a_malformed_search_item_is_skipped_with_an_error_record(bad: Any) -> None:
    page = {"total_count": 3, "items": [item("o/a", 30), bad, item("o/b", 20)]}
    universe, errors = run_discover(
        DiscoveryOptions(languages=("Python",)), **{"/search/repositories": page}
    )
    assert [repo["full_name"] for repo in universe] == ["o/a", "o/b"]
    (error,) = errors
    IngestError.model_validate(error)
    assert error["error_type"] == "malformed_payload"
    assert error["api_endpoint"] == "/search/repositories"
    assert error["final_action"] == "excluded_from_universe"
    assert error["message"].startswith("malformed repository from")
    full_name = bad.get("full_name") if isinstance(bad, dict) else None
    assert error["repo"] == (full_name if isinstance(full_name, str) else None)


def test_a_malformed_explicit_repository_is_excluded_with_an_error_record() -> None:
    universe, errors = run_discover(
        DiscoveryOptions(explicit=("o/bad", "o/good")),
        **{"/repos/o/bad": item("o/bad", topics=5), "/repos/o/good": item("o/good")},
    )
    assert [repo["full_name"] for repo in universe] == ["o/good"]
    (error,) = errors
    assert (error["repo"], error["error_type"], error["api_endpoint"]) == (
        "o/bad",
        "malformed_payload",
        "/repos/o/bad",
    )
    assert "topics" in error["message"]


def test_a_search_page_of_the_wrong_shape_is_recorded_not_raised() -> None:
    """paginate raises PayloadError for a bare list, which discover records."""
    universe, errors = run_discover(
        DiscoveryOptions(languages=("Python",), explicit=("o/good",)),
        **{"/search/repositories": [item("o/a")], "/repos/o/good": item("o/good")},
    )
    assert [repo["full_name"] for repo in universe] == ["o/good"]
    (error,) = errors
    assert (error["repo"], error["error_type"]) == (None, "malformed_payload")
