"""Build the repository universe: search queries plus an explicit list,
in a stable order."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from prreview.github.client import GitHubClient
from prreview.github.errors import GitHubError, PayloadError
from prreview.github.fetch import split_full_name
from prreview.github.store import utc_now
from prreview.schemas import IngestError, Repository

logger = logging.getLogger(__name__)

SEARCH_MAX_RESULTS = 1000  # GitHub returns at most 1,000 results per search query


@dataclass(frozen=True)
class DiscoveryOptions:
    languages: tuple[str, ...] = ()
    min_stars: int = 0
    pushed_after: str | None = None
    licenses: tuple[str, ...] = ()
    include_archived: bool = False
    include_forks: bool = False
    extra_qualifiers: str = ""
    max_results_per_query: int = 200
    explicit: tuple[str, ...] = ()


def search_queries(options: DiscoveryOptions) -> list[str]:
    """One query per (language, license): GitHub search has no OR across qualifiers."""
    common = []
    if options.min_stars:
        common.append(f"stars:>={options.min_stars}")
    if options.pushed_after:
        common.append(f"pushed:>{options.pushed_after}")
    if not options.include_archived:
        common.append("archived:false")
    if not options.include_forks:
        common.append("fork:false")
    if options.extra_qualifiers:
        common.append(options.extra_qualifiers)
    queries = []
    for language in options.languages or (None,):
        for license_key in options.licenses or (None,):
            parts = []
            if language:
                parts.append(f"language:{language}")
            if license_key:
                parts.append(f"license:{license_key}")
            queries.append(" ".join(parts + common))
    return queries


def repository_from_api(item: Any, source: str) -> Repository:
    """A REST repository object (search item or GET /repos) as a universe entry.

    Raises :class:`ValueError` (pydantic's ``ValidationError`` among them) for an
    item of another shape: not an object, no ``owner/name`` full name, a license
    that is not an object, topics that are not a list of strings, and so on.
    """
    if not isinstance(item, dict):
        raise ValueError(f"not a repository object: {type(item).__name__}")
    full_name = item.get("full_name")
    if not isinstance(full_name, str):
        raise ValueError(f"full_name is not a string: {full_name!r}"[:200])
    split_full_name(full_name)
    license_info = item.get("license") or {}
    if not isinstance(license_info, dict):
        raise ValueError(f"license is not an object: {license_info!r}"[:200])
    # The schema checks the rest: "5" stars are 5, but 1.5 or Infinity fail, and
    # topics must be a list (list("abc") would quietly make three topics).
    return Repository(
        full_name=full_name,
        language=item.get("language"),
        stars=item.get("stargazers_count") or 0,
        license=license_info.get("spdx_id") or license_info.get("key"),
        default_branch=item.get("default_branch"),
        pushed_at=item.get("pushed_at"),
        archived=item.get("archived") or False,
        topics=item.get("topics") or [],
        description=item.get("description"),
        source=source,
    )


def _repository(item: Any, source: str, endpoint: str) -> Repository:
    """:func:`repository_from_api`, with a malformed item as a :class:`PayloadError`
    so that discovery records and skips it like any other failed answer."""
    try:
        return repository_from_api(item, source)
    except ValueError as error:
        reason = str(error)
        if isinstance(error, ValidationError):
            reason = "; ".join(
                f"{'.'.join(map(str, problem['loc']))}: {problem['msg']}"
                for problem in error.errors()
            )
        raise PayloadError(
            f"malformed repository from {endpoint}: {reason}"[:500],
            endpoint=endpoint,
            error_type="malformed_payload",
        ) from error


def _full_name(item: Any) -> str | None:
    """The full name a malformed item gives, if any, for its error record."""
    name = item.get("full_name") if isinstance(item, dict) else None
    return name if isinstance(name, str) else None


def _discovery_error(error: GitHubError, repo: str | None) -> dict[str, Any]:
    return IngestError(
        timestamp=utc_now(),
        iteration=0,
        error_type=error.error_type,
        repo=repo,
        api_endpoint=error.endpoint,
        http_status=error.status,
        retry_count=error.retry_count,
        final_action="excluded_from_universe",
        message=str(error),
    ).model_dump()


async def discover(
    client: GitHubClient, options: DiscoveryOptions
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Repositories in universe order (explicit first, then by stars)
    and discovery errors."""
    errors: list[dict[str, Any]] = []
    explicit: list[Repository] = []
    for full_name in options.explicit:
        owner, name = split_full_name(full_name)
        try:
            endpoint = f"/repos/{owner}/{name}"
            item = await client.get_json(endpoint, kind="repo")
            repository = _repository(item, "explicit", endpoint)
            explicit.append(repository)
            if repository.full_name.lower() != full_name.lower():
                logger.info(
                    "Repository %s was renamed to %s", full_name, repository.full_name
                )
        except GitHubError as error:
            logger.warning("Explicit repository %s excluded: %s", full_name, error)
            errors.append(_discovery_error(error, full_name))
    found: list[Repository] = []
    limit = min(options.max_results_per_query, SEARCH_MAX_RESULTS)
    for query in (
        search_queries(options) if options.languages or options.licenses else []
    ):
        try:
            async for item in client.paginate(
                "/search/repositories",
                {"q": query, "sort": "stars", "order": "desc", "per_page": 100},
                kind="search",
                items_key="items",
                max_items=limit,
            ):
                try:
                    found.append(_repository(item, "search", "/search/repositories"))
                except PayloadError as error:  # skip the item, not the query
                    logger.warning("Search result of %r skipped: %s", query, error)
                    errors.append(_discovery_error(error, _full_name(item)))
        except GitHubError as error:
            logger.warning("Search query %r failed: %s", query, error)
            errors.append(_discovery_error(error, None))
    found.sort(key=lambda repo: (-repo.stars, repo.full_name.lower()))
    ordered: list[dict[str, Any]] = []
    seen: set[str] = set()
    for repository in explicit + found:
        key = repository.full_name.lower()
        if key not in seen:
            seen.add(key)
            ordered.append(repository.model_dump(mode="json"))
    logger.info(
        "Discovered %d repositories (%d explicit, %d from %d search queries); "
        "%d excluded",
        len(ordered),
        len(explicit),
        len(found),
        len(search_queries(options)),
        len(errors),
    )
    return ordered, errors
