"""The local GitHub-compatible server, over real HTTP on 127.0.0.1 (no patching)."""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from prreview.github.graphql_api import (
    GraphQLApi,
    decode_cursor,
    encode_cursor,
    github_cost,
    load_schema,
)
from prreview.github.queries import PULL_REQUESTS_PAGE, REVIEW_THREADS_PAGE
from prreview.github.server import (
    FaultConfig,
    FaultKind,
    RunningServer,
    ServerConfig,
    search_repositories,
    serve_in_thread,
    start_server,
)
from prreview.github.snapshot import (
    LookupKind,
    SnapshotError,
    closing_issue_numbers,
    load_snapshot,
)
from prreview.serving import ensure_loopback

from .conftest import TOKEN, tiny_repos, widgets_repo, write_snapshot

Start = Callable[..., RunningServer]


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def call(
    server: RunningServer | str,
    path: str,
    *,
    method: str = "GET",
    token: str | None = TOKEN,
    headers: dict[str, str] | None = None,
    body: Any = None,
    timeout: float = 5.0,
) -> Reply:
    base_url = server if isinstance(server, str) else server.base_url
    host, port = base_url.removeprefix("http://").rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    all_headers = dict(headers or {})
    if token is not None:
        all_headers.setdefault("Authorization", f"Bearer {token}")
    payload = json.dumps(body).encode() if body is not None else None
    try:
        conn.request(method, path, body=payload, headers=all_headers)
        response = conn.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        conn.close()


def graphql(
    server: RunningServer,
    query: str,
    variables: dict[str, Any] | None = None,
    **kw: Any,
) -> Reply:
    return call(
        server,
        "/graphql",
        method="POST",
        body={"query": query, "variables": variables or {}},
        **kw,
    )


def page_vars(**extra: Any) -> dict[str, Any]:
    return {
        "owner": "acme",
        "name": "widgets",
        "pageSize": 20,
        "threadPageSize": 50,
        "cursor": None,
        **extra,
    }


def links(reply: Reply) -> dict[str, str]:
    out = {}
    for part in (reply.headers.get("Link") or "").split(", "):
        if part:
            url, rel = part.split("; ")
            out[rel.removeprefix('rel="').removesuffix('"')] = url.strip("<>")
    return out


# --------------------------------------------------------------------------- snapshot


def test_snapshot_indexes_threads_and_closing_issues(tiny_snapshot: Path) -> None:
    snap = load_snapshot(tiny_snapshot)
    repo = snap.repo("ACME/Widgets")
    assert repo is not None and repo.full_name == "acme/widgets"
    pr1 = repo.pulls[1]
    roots = [t.root_id for t in pr1.threads]
    assert roots == [101, 103, 104]
    assert [c["id"] for c in pr1.threads[0].replies] == [102, 105]  # chain to root
    assert pr1.threads[1].is_outdated
    assert pr1.closing_issue_numbers == (3,)  # other/repo#9 is another repository
    assert pr1.graphql_state == "MERGED"
    assert repo.pulls[2].graphql_state == "CLOSED"
    assert repo.pulls[4].graphql_state == "OPEN"
    assert snap.lookup("acme/OLD-widgets").kind is LookupKind.RENAMED
    assert snap.lookup("evil/blocked").status == 451
    assert snap.lookup("nobody/here").kind is LookupKind.MISSING


def test_closing_keywords() -> None:
    body = "Fixes #1, resolves: #2 and closed acme/w#3; mentions #4; fix o/x#5"
    assert closing_issue_numbers(body, "acme/w", [1, 2, 3, 4, 5]) == (1, 2, 3)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda root: (root / "index.json").unlink(), "index.json: file not found"),
        (
            lambda root: (root / "index.json").write_text("{nope"),
            "invalid JSON",
        ),
        (
            lambda root: (root / "repos" / "beta__gadgets.json").unlink(),
            "beta__gadgets.json: file not found",
        ),
        (
            lambda root: _edit_index(root, format=2),
            "unsupported format",
        ),
        (
            lambda root: _edit_index(root, renamed={"a/b": "no/such"}),
            "rename target no/such",
        ),
        (
            lambda root: _edit_index(root, unavailable={"a/b": 500}),
            "unavailable status for a/b",
        ),
        (
            lambda root: _edit_index(root, repositories=["acme/widgets", "bad"]),
            "bad repository name",
        ),
        (
            lambda root: _edit_repo(
                root, "acme__widgets.json", lambda d: d["pulls"].append(d["pulls"][0])
            ),
            "pull #1 appears twice",
        ),
        (
            lambda root: _edit_repo(
                root,
                "acme__widgets.json",
                lambda d: d["repository"].update(full_name="acme/other"),
            ),
            "is not 'acme/widgets'",
        ),
        (
            lambda root: _edit_repo(
                root, "acme__widgets.json", lambda d: d["pulls"][0].update(files={})
            ),
            "pulls[0].files must be a list",
        ),
    ],
)
def test_snapshot_errors_name_the_problem(
    tiny_snapshot: Path, mutate: Callable[[Path], Any], message: str
) -> None:
    mutate(tiny_snapshot)
    with pytest.raises(SnapshotError, match=message.replace("[", r"\[")):
        load_snapshot(tiny_snapshot)


def test_snapshot_folder_missing(tmp_path: Path) -> None:
    with pytest.raises(SnapshotError, match="snapshot folder not found"):
        load_snapshot(tmp_path / "nope")


def _edit_index(root: Path, **changes: Any) -> None:
    index = json.loads((root / "index.json").read_text())
    index.update(changes)
    (root / "index.json").write_text(json.dumps(index))


def _edit_repo(root: Path, name: str, change: Callable[[dict[str, Any]], Any]) -> None:
    path = root / "repos" / name
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


# --------------------------------------------------------------------------- REST


def test_repository_case_insensitive_with_local_urls(
    github_server: RunningServer,
) -> None:
    reply = call(github_server, "/repos/ACME/Widgets")
    assert reply.status == 200
    repo = reply.json()
    assert repo["full_name"] == "acme/widgets"
    assert repo["url"] == f"{github_server.base_url}/repos/acme/widgets"
    assert repo["html_url"] == "https://github.com/acme/widgets"
    assert reply.headers["Content-Type"].startswith("application/json")


def test_pull_list_states_sorting_and_link_pagination(
    github_server: RunningServer,
) -> None:
    assert [
        p["number"] for p in call(github_server, "/repos/acme/widgets/pulls").json()
    ] == [4]
    closed = call(github_server, "/repos/acme/widgets/pulls?state=closed").json()
    assert [p["number"] for p in closed] == [5, 2, 1]  # created desc by default
    assert "merged" not in closed[0] and "additions" not in closed[0]
    assert closed[0]["merged_at"] is not None

    first = call(github_server, "/repos/acme/widgets/pulls?state=all&per_page=3")
    assert [p["number"] for p in first.json()] == [5, 4, 2]
    rels = links(first)
    assert set(rels) == {"next", "last"}
    base = github_server.base_url
    assert (
        rels["next"] == f"{base}/repos/acme/widgets/pulls?state=all&per_page=3&page=2"
    )
    assert rels["last"].endswith("page=2")
    second = call(github_server, rels["next"].removeprefix(base))
    assert [p["number"] for p in second.json()] == [1]
    assert set(links(second)) == {"prev", "first"}

    by_update = call(
        github_server, "/repos/acme/widgets/pulls?state=all&sort=updated"
    ).json()
    assert [p["number"] for p in by_update] == [2, 5, 1, 4]  # asc unless told
    desc = call(
        github_server,
        "/repos/acme/widgets/pulls?state=all&sort=updated&direction=desc",
    ).json()
    assert [p["number"] for p in desc] == [4, 1, 5, 2]
    assert call(github_server, "/repos/acme/widgets/pulls?state=bad").status == 422
    beyond = call(github_server, "/repos/acme/widgets/pulls?state=all&page=9")
    assert beyond.status == 200 and beyond.json() == []


def test_middle_page_has_all_four_links(github_server: RunningServer) -> None:
    reply = call(
        github_server, "/repos/acme/widgets/pulls/5/comments?per_page=2&page=2"
    )
    assert [c["id"] for c in reply.json()] == [502, 503]
    rels = links(reply)
    assert list(rels) == ["prev", "next", "last", "first"]
    assert rels["last"].endswith("page=4") and rels["first"].endswith("page=1")


def test_pull_detail_and_subresources(github_server: RunningServer) -> None:
    pr = call(github_server, "/repos/acme/widgets/pulls/1").json()
    assert pr["merged"] is True and pr["number"] == 1
    comments = call(github_server, "/repos/acme/widgets/pulls/1/comments").json()
    assert [c["id"] for c in comments] == [101, 103, 104, 102, 105]
    files = call(github_server, "/repos/acme/widgets/pulls/1/files").json()
    assert [f["status"] for f in files] == ["modified", "added", "removed", "renamed"]
    commits = call(github_server, "/repos/acme/widgets/pulls/1/commits").json()
    assert len(commits) == 2
    clamped = call(github_server, "/repos/acme/widgets/pulls/5/comments?per_page=500")
    assert len(clamped.json()) == 7 and "Link" not in clamped.headers
    assert call(github_server, "/repos/acme/widgets/pulls/3").status == 404  # an issue
    assert call(github_server, "/repos/acme/widgets/pulls/x").status == 404


def test_issues_and_issue_comments(github_server: RunningServer) -> None:
    issue = call(github_server, "/repos/acme/widgets/issues/3").json()
    assert issue["title"] == "Wrong return value" and "pull_request" not in issue
    as_issue = call(github_server, "/repos/acme/widgets/issues/1").json()
    assert as_issue["number"] == 1 and "pull_request" in as_issue
    assert as_issue["url"] == f"{github_server.base_url}/repos/acme/widgets/issues/1"
    comments = call(github_server, "/repos/acme/widgets/issues/1/comments").json()
    assert [c["id"] for c in comments] == [201, 202]
    assert call(github_server, "/repos/acme/widgets/issues/3/comments").json() == []
    assert call(github_server, "/repos/acme/widgets/issues/99").status == 404
    assert call(github_server, "/repos/acme/widgets/issues/99/comments").status == 404


def test_diff_media_types_and_too_large(start_github_server: Start) -> None:
    server = start_github_server(max_diff_lines=50)
    for media in ("application/vnd.github.diff", "application/vnd.github.v3.diff"):
        reply = call(server, "/repos/acme/widgets/pulls/1", headers={"Accept": media})
        assert reply.status == 200
        assert reply.body.decode().startswith("diff --git a/src/app.py")
        assert reply.headers["Content-Type"].startswith("text/plain")
        assert reply.headers["ETag"]
    big = call(
        server,
        "/repos/acme/widgets/pulls/5",
        headers={"Accept": "application/vnd.github.diff"},
    )
    assert big.status == 406
    assert big.json()["message"] == (
        "Sorry, the diff exceeded the maximum number of lines (50)"
    )
    assert big.json()["errors"][0]["code"] == "too_large"
    assert call(server, "/repos/acme/widgets/pulls/5").status == 200  # JSON still fine
    assert call(server, "/repos/acme/widgets/pulls/5/files").status == 200
    assert server.stats.requests["pull_diff"] == 3


def test_renamed_unavailable_and_unknown(github_server: RunningServer) -> None:
    moved = call(github_server, "/repos/acme/old-widgets/pulls?state=all&page=2")
    assert moved.status == 301
    assert moved.headers["Location"] == (
        f"{github_server.base_url}/repos/acme/widgets/pulls?state=all&page=2"
    )
    assert moved.json()["message"] == "Moved Permanently"
    blocked = call(github_server, "/repos/evil/blocked/pulls/1")
    assert blocked.status == 451
    assert blocked.json()["message"] == "Repository access blocked"
    assert blocked.json()["block"]["reason"] == "dmca"
    gone = call(github_server, "/repos/gone/away")
    assert (gone.status, gone.json()["message"]) == (410, "Gone")
    for path in ("/repos/ghost/missing", "/repos/no/such/pulls", "/nothing/here"):
        reply = call(github_server, path)
        assert (reply.status, reply.json()["message"]) == (404, "Not Found")
    assert call(github_server, "/graphql").status == 404  # GET on a POST route


def test_search_qualifiers_and_sorting(github_server: RunningServer) -> None:
    def names(q: str, **params: str) -> list[str]:
        query = "&".join(
            f"{k}={v.replace(' ', '+')}" for k, v in {"q": q, **params}.items()
        )
        reply = call(github_server, f"/search/repositories?{query}")
        assert reply.status == 200, reply.body
        body = reply.json()
        assert body["incomplete_results"] is False
        assert body["total_count"] == len(body["items"])
        return [item["full_name"] for item in body["items"]]

    assert names("language:python+stars:%3E%3D100", sort="stars") == [
        "epsilon/pylib",
        "acme/widgets",
    ]  # the fork (500 stars) is left out, as GitHub does by default
    assert names("language:Python fork:true", sort="stars")[0] == "gamma/forked"
    assert names("fork:only") == ["gamma/forked"]
    assert names("stars:>120") == ["epsilon/pylib"]
    assert names("stars:50..120", sort="stars", order="asc") == [
        "beta/gadgets",
        "acme/widgets",
    ]
    assert "beta/gadgets" not in names("pushed:>2026-01-01")
    assert names("pushed:<2026-01-01") == ["beta/gadgets"]
    assert names("license:apache-2.0") == ["beta/gadgets"]
    assert "beta/gadgets" not in names("archived:false stars:>1")
    assert names("archived:true") == ["beta/gadgets"]
    assert names("widgets", sort="stars") == ["acme/widgets", "delta/tools"]
    assert names("cli") == ["acme/widgets"]  # a topic
    assert names("widgets -language:go") == ["acme/widgets"]
    assert names("stars:>=1", sort="updated") == [
        "delta/tools",
        "acme/widgets",
        "epsilon/pylib",
        "beta/gadgets",
    ]
    paged = call(
        github_server, "/search/repositories?q=stars:>=1&sort=stars&per_page=1"
    )
    assert paged.json()["total_count"] == 4 and len(paged.json()["items"]) == 1
    assert links(paged)["last"].endswith("page=4")
    assert paged.headers["X-RateLimit-Resource"] == "search"
    assert call(github_server, "/search/repositories").status == 422
    too_far = call(github_server, "/search/repositories?q=a&per_page=100&page=11")
    assert too_far.status == 422


def test_search_parser_directly() -> None:
    repos = [r["repository"] for r in tiny_repos()]
    found = search_repositories(repos, 'in:description "command line"')
    assert [r["full_name"] for r in found] == ["acme/widgets"]
    assert search_repositories(repos, "topic:devtools")[0]["full_name"] == "delta/tools"
    assert search_repositories(repos, "unknown:thing") == []


# --------------------------------------------------------------------------- limits


def test_rate_limit_headers_and_rate_limit_endpoint(
    github_server: RunningServer,
) -> None:
    first = call(github_server, "/repos/acme/widgets")
    second = call(github_server, "/repos/acme/widgets/pulls")
    for reply, used in ((first, 1), (second, 2)):
        assert reply.headers["X-RateLimit-Limit"] == "5000"
        assert reply.headers["X-RateLimit-Used"] == str(used)
        assert reply.headers["X-RateLimit-Remaining"] == str(5000 - used)
        assert reply.headers["X-RateLimit-Resource"] == "core"
        assert int(reply.headers["X-RateLimit-Reset"]) > time.time()
    status = call(github_server, "/rate_limit").json()
    assert status["resources"]["core"]["used"] == 2  # /rate_limit itself is free
    assert status["resources"]["search"]["limit"] == 30
    assert status["resources"]["graphql"]["limit"] == 5000
    assert status["rate"] == status["resources"]["core"]
    anonymous = call(github_server, "/repos/acme/widgets", token=None)
    assert anonymous.headers["X-RateLimit-Limit"] == "60"
    anon_search = call(github_server, "/search/repositories?q=a", token=None)
    assert anon_search.headers["X-RateLimit-Limit"] == "10"


@pytest.mark.parametrize("status", [403, 429])
def test_quota_exhaustion_and_reset(start_github_server: Start, status: int) -> None:
    server = start_github_server(
        core_limit=2, core_window_s=0.4, rate_limited_status=status
    )
    assert call(server, "/repos/acme/widgets").status == 200
    assert call(server, "/repos/acme/widgets").status == 200
    blocked = call(server, "/repos/acme/widgets")
    assert blocked.status == status
    assert blocked.headers["X-RateLimit-Remaining"] == "0"
    assert "API rate limit exceeded" in blocked.json()["message"]
    assert call(server, "/repos/acme/widgets/pulls").status == status
    assert server.stats.as_dict()["rate_limited"] == {"core": 2}
    time.sleep(0.45)
    again = call(server, "/repos/acme/widgets")
    assert again.status == 200
    assert again.headers["X-RateLimit-Used"] == "1"


def test_search_quota_is_separate(start_github_server: Start) -> None:
    server = start_github_server(search_limit=1)
    assert call(server, "/search/repositories?q=cli").status == 200
    limited = call(server, "/search/repositories?q=cli")
    assert limited.status == 403 and limited.headers["X-RateLimit-Resource"] == "search"
    assert call(server, "/repos/acme/widgets").status == 200  # core unaffected
    server.reset_rate_limits()
    assert call(server, "/search/repositories?q=cli").status == 200


def test_etag_and_conditional_requests_are_free(github_server: RunningServer) -> None:
    first = call(github_server, "/repos/acme/widgets/pulls/1")
    etag = first.headers["ETag"]
    assert etag.startswith('"') and etag.endswith('"') and len(etag) == 66
    for header in (etag, f"W/{etag}", f'"other", {etag}'):
        again = call(
            github_server,
            "/repos/acme/widgets/pulls/1",
            headers={"If-None-Match": header},
        )
        assert again.status == 304 and again.body == b""
        assert again.headers["ETag"] == etag
        assert again.headers["X-RateLimit-Used"] == "1"  # not counted
    changed = call(
        github_server, "/repos/acme/widgets/pulls/1", headers={"If-None-Match": '"x"'}
    )
    assert changed.status == 200 and changed.headers["X-RateLimit-Used"] == "2"
    other = call(github_server, "/repos/acme/widgets/pulls/2")
    assert other.headers["ETag"] != etag
    assert github_server.stats.as_dict()["not_modified"] == 3


def test_auth(github_server: RunningServer) -> None:
    for header in ("Bearer wrong", "token wrong", "Basic abc", "Bearer"):
        reply = call(
            github_server, "/repos/acme/widgets", headers={"Authorization": header}
        )
        assert reply.status == 401, header
        assert reply.json()["message"] == "Bad credentials"
        assert reply.headers["X-RateLimit-Limit"] == "60"
        assert reply.headers["X-RateLimit-Used"] == "0"
    ok = call(
        github_server,
        "/repos/acme/widgets",
        headers={"Authorization": f"token {TOKEN}"},
    )
    assert ok.status == 200
    anonymous = graphql(github_server, "{ rateLimit { cost } }", token=None)
    assert anonymous.status == 401
    assert "requires you to be authenticated" in anonymous.json()["message"]


def test_any_token_accepted_without_expected_token(start_github_server: Start) -> None:
    server = start_github_server(expected_token=None, graphql_requires_auth=False)
    assert call(server, "/repos/acme/widgets", token="whatever").status == 200
    anonymous = graphql(server, "{ rateLimit { limit } }", token=None)
    assert anonymous.status == 200
    assert anonymous.json()["data"]["rateLimit"]["limit"] == 1000


# --------------------------------------------------------------------------- GraphQL


def test_pull_requests_page_matches_github_shape(github_server: RunningServer) -> None:
    reply = graphql(github_server, PULL_REQUESTS_PAGE, page_vars())
    assert reply.status == 200
    body = reply.json()
    assert "errors" not in body
    rate = body["data"]["rateLimit"]
    # 1 + 20 x (labels, closing issues, commits, files, comments, threads) + 20 x 50.
    assert rate["cost"] == github_cost(1 + 20 * 6 + 20 * 50) == 11
    assert rate["remaining"] == 5000 - 11
    assert reply.headers["X-RateLimit-Resource"] == "graphql"
    assert reply.headers["X-RateLimit-Used"] == "11"
    repo = body["data"]["repository"]
    assert repo["nameWithOwner"] == "acme/widgets"
    prs = repo["pullRequests"]
    assert prs["totalCount"] == 2  # merged only
    assert [p["number"] for p in prs["nodes"]] == [1, 5]  # UPDATED_AT DESC
    assert prs["pageInfo"]["hasNextPage"] is False
    pr1 = prs["nodes"][0]
    assert pr1["state"] == "MERGED" and pr1["merged"] is True
    assert pr1["databaseId"] == 50001
    assert pr1["mergeCommit"] == {"oid": "merge" + "0" * 34 + "1"}
    assert pr1["author"] == {"__typename": "User", "login": "alice"}
    assert [n["name"] for n in pr1["labels"]["nodes"]] == ["bug", "easy"]
    closing = pr1["closingIssuesReferences"]["nodes"]
    assert [(i["number"], i["state"]) for i in closing] == [(3, "CLOSED")]
    assert pr1["commits"]["totalCount"] == 2
    assert [f["changeType"] for f in pr1["files"]["nodes"]] == [
        "MODIFIED",
        "ADDED",
        "DELETED",
        "RENAMED",
    ]
    comments = pr1["comments"]["nodes"]
    assert [c["author"]["__typename"] for c in comments] == ["User", "Bot"]
    assert comments[1]["author"]["login"] == "lint-bot"  # GraphQL drops "[bot]"

    threads = pr1["reviewThreads"]
    assert threads["totalCount"] == 3
    first, outdated, multi = threads["nodes"]
    assert [c["databaseId"] for c in first["comments"]["nodes"]] == [101, 102, 105]
    assert first["comments"]["nodes"][1]["replyTo"] == {"databaseId": 101}
    assert first["comments"]["nodes"][0]["replyTo"] is None
    assert first["comments"]["nodes"][0]["pullRequestReview"] == {"databaseId": 7101}
    assert first["comments"]["nodes"][0]["originalCommit"]["oid"].startswith("c1")
    assert (first["isOutdated"], first["line"], first["diffSide"]) == (
        False,
        10,
        "RIGHT",
    )
    assert outdated["isOutdated"] is True and outdated["line"] is None
    assert outdated["originalLine"] == 5
    assert outdated["comments"]["nodes"][0]["outdated"] is True
    assert (multi["startLine"], multi["line"], multi["startDiffSide"]) == (3, 6, "LEFT")
    assert multi["diffSide"] == "LEFT"
    assert multi["comments"]["nodes"][0]["author"]["__typename"] == "Bot"
    assert first["isResolved"] is False


def test_pull_request_pages_and_nested_thread_pages(
    github_server: RunningServer,
) -> None:
    first = graphql(
        github_server, PULL_REQUESTS_PAGE, page_vars(pageSize=1, threadPageSize=3)
    ).json()["data"]["repository"]["pullRequests"]
    assert [p["number"] for p in first["nodes"]] == [1]
    assert first["pageInfo"]["hasNextPage"] is True
    second = graphql(
        github_server,
        PULL_REQUESTS_PAGE,
        page_vars(pageSize=1, threadPageSize=3, cursor=first["pageInfo"]["endCursor"]),
    ).json()["data"]["repository"]["pullRequests"]
    assert [p["number"] for p in second["nodes"]] == [5]
    assert second["pageInfo"]["hasNextPage"] is False

    threads = second["nodes"][0]["reviewThreads"]
    assert threads["totalCount"] == 7 and threads["pageInfo"]["hasNextPage"]
    bodies = [t["comments"]["nodes"][0]["body"] for t in threads["nodes"]]
    cursor = threads["pageInfo"]["endCursor"]
    pages = 1
    while cursor is not None:
        reply = graphql(
            github_server,
            REVIEW_THREADS_PAGE,
            {
                "owner": "acme",
                "name": "widgets",
                "number": 5,
                "cursor": cursor,
                "threadPageSize": 3,
            },
        ).json()
        assert "errors" not in reply
        page = reply["data"]["repository"]["pullRequest"]["reviewThreads"]
        bodies += [t["comments"]["nodes"][0]["body"] for t in page["nodes"]]
        cursor = (
            page["pageInfo"]["endCursor"] if page["pageInfo"]["hasNextPage"] else None
        )
        pages += 1
    assert pages == 3
    assert bodies == [f"Thread {i}" for i in range(7)]


def test_graphql_follows_renames_and_reports_not_found(
    github_server: RunningServer,
) -> None:
    query = '{ repository(owner: "acme", name: "old-widgets") { nameWithOwner } }'
    data = graphql(github_server, query).json()
    assert data["data"]["repository"]["nameWithOwner"] == "acme/widgets"
    for owner, name in (("evil", "blocked"), ("no", "such")):
        body = graphql(
            github_server,
            f'{{ repository(owner: "{owner}", name: "{name}") {{ name }} }}',
        ).json()
        assert body["data"] == {"repository": None}
        assert body["errors"][0]["type"] == "NOT_FOUND"
        assert body["errors"][0]["path"] == ["repository"]
        assert f"'{owner}/{name}'" in body["errors"][0]["message"]
    missing_pr = graphql(
        github_server,
        REVIEW_THREADS_PAGE,
        {"owner": "acme", "name": "widgets", "number": 99, "threadPageSize": 5},
    ).json()
    assert missing_pr["data"]["repository"]["pullRequest"] is None
    assert missing_pr["errors"][0]["type"] == "NOT_FOUND"
    assert missing_pr["errors"][0]["path"] == ["repository", "pullRequest"]
    assert missing_pr["data"]["rateLimit"]["cost"] == 1


@pytest.mark.parametrize(
    ("query", "variables", "expected"),
    [
        ("{ repository(owner: 1) {", {}, "Syntax Error"),
        ('{ repository(owner: "a", name: "b") { nope } }', {}, "Cannot query field"),
        (REVIEW_THREADS_PAGE, {"owner": "acme"}, "was not provided"),
        (
            '{ repository(owner: "acme", name: "widgets") '
            "{ pullRequests(first: 101) { totalCount } } }",
            {},
            "Requesting 101 records on the `pullRequests` connection exceeds the "
            "`first` limit of 100 records.",
        ),
        (
            PULL_REQUESTS_PAGE,
            page_vars(threadPageSize=500),
            "Requesting 500 records on the `reviewThreads` connection",
        ),
        (
            '{ repository(owner: "acme", name: "widgets") '
            "{ pullRequests { totalCount } } }",
            {},
            "You must provide a `first` or `last` value",
        ),
        ("mutation { x }", {}, "Schema is not configured for mutations"),
    ],
)
def test_graphql_rejects_bad_queries_before_execution(
    github_server: RunningServer, query: str, variables: dict[str, Any], expected: str
) -> None:
    reply = graphql(github_server, query, variables)
    assert reply.status == 200
    body = reply.json()
    assert "data" not in body
    assert any(expected in e["message"] for e in body["errors"]), body


def test_graphql_error_types_and_bad_bodies(github_server: RunningServer) -> None:
    too_many = graphql(
        github_server,
        '{ repository(owner: "acme", name: "widgets") '
        "{ pullRequests(last: 200) { totalCount } } }",
    ).json()
    assert too_many["errors"][0]["type"] == "EXCESSIVE_PAGINATION"
    bad_cursor = graphql(
        github_server,
        REVIEW_THREADS_PAGE,
        {
            "owner": "acme",
            "name": "widgets",
            "number": 5,
            "threadPageSize": 5,
            "cursor": "not-a-cursor",
        },
    ).json()
    assert bad_cursor["errors"][0]["type"] == "INVALID_CURSOR_ARGUMENTS"
    raw = call(
        github_server,
        "/graphql",
        method="POST",
        headers={"Content-Type": "application/json"},
        body=None,
    )
    assert raw.status == 200 and "query attribute" in raw.json()["errors"][0]["message"]
    host, port = github_server.base_url.removeprefix("http://").rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    conn.request("POST", "/graphql", b"{oops", {"Authorization": f"Bearer {TOKEN}"})
    response = conn.getresponse()
    assert response.status == 400
    assert json.loads(response.read())["message"] == "Problems parsing JSON"
    conn.close()


def test_graphql_other_queries_over_the_subset(github_server: RunningServer) -> None:
    query = """
    query($n: Int!) {
      repository(owner: "acme", name: "widgets") {
        databaseId stargazerCount isArchived visibility
        primaryLanguage { name } licenseInfo { spdxId key }
        defaultBranchRef { name }
        owner { __typename login }
        repositoryTopics(first: 5) { nodes { topic { name } } }
        issue(number: 3) { title state author { login } }
        issueOrPullRequest(number: $n) { __typename ... on PullRequest { title } }
        open: pullRequests(states: [OPEN], first: 5) { totalCount nodes { number } }
        all: pullRequests(last: 2, orderBy: {field: CREATED_AT, direction: ASC}) {
          edges { cursor node { number } } pageInfo { hasPreviousPage startCursor }
        }
        issues(first: 5, states: CLOSED) { nodes { number } }
        pullRequest(number: 1) {
          commits(first: 1) {
            nodes { commit { message messageHeadline author { name } } }
          }
          reviewThreads(first: 1) { nodes { comments(first: 1, skip: 1) {
            nodes { databaseId } } } }
        }
      }
    }
    """
    body = graphql(github_server, query, {"n": 1}).json()
    assert "errors" not in body, body
    repo = body["data"]["repository"]
    assert repo["stargazerCount"] == 120 and repo["visibility"] == "PUBLIC"
    assert repo["primaryLanguage"] == {"name": "Python"}
    assert repo["licenseInfo"] == {"spdxId": "MIT", "key": "mit"}
    assert repo["owner"] == {"__typename": "Organization", "login": "acme"}
    assert [n["topic"]["name"] for n in repo["repositoryTopics"]["nodes"]] == [
        "cli",
        "widgets",
    ]
    assert repo["issue"]["state"] == "CLOSED"
    assert repo["issueOrPullRequest"] == {
        "__typename": "PullRequest",
        "title": "Fix the return value",
    }
    assert repo["open"] == {"totalCount": 1, "nodes": [{"number": 4}]}
    assert [e["node"]["number"] for e in repo["all"]["edges"]] == [4, 5]
    assert repo["all"]["pageInfo"]["hasPreviousPage"] is True
    assert repo["issues"]["nodes"] == [{"number": 3}]
    commit = repo["pullRequest"]["commits"]["nodes"][0]["commit"]
    assert commit["messageHeadline"] == "First try"
    assert commit["author"]["name"] == "alice"
    skipped = repo["pullRequest"]["reviewThreads"]["nodes"][0]["comments"]["nodes"]
    assert skipped == [{"databaseId": 102}]


def test_graphql_quota_and_fixed_cost(start_github_server: Start) -> None:
    server = start_github_server(graphql_limit=12)
    first = graphql(server, PULL_REQUESTS_PAGE, page_vars())
    assert first.json()["data"]["rateLimit"]["remaining"] == 1
    limited = graphql(server, PULL_REQUESTS_PAGE, page_vars())
    assert limited.status == 200  # GitHub's documented behaviour for GraphQL
    assert limited.headers["X-RateLimit-Remaining"] == "0"
    assert limited.json()["errors"][0]["type"] == "RATE_LIMITED"
    assert "API rate limit exceeded" in limited.json()["errors"][0]["message"]
    assert server.stats.as_dict()["graphql_points"] == 11

    fixed = start_github_server(
        graphql_fixed_cost=5, graphql_limit=9, graphql_rate_limited_status=403
    )
    reply = graphql(fixed, PULL_REQUESTS_PAGE, page_vars()).json()
    assert reply["data"]["rateLimit"]["cost"] == 5
    refused = graphql(fixed, PULL_REQUESTS_PAGE, page_vars())
    assert refused.status == 403 and refused.headers["X-RateLimit-Remaining"] == "0"


def test_graphql_api_without_http(tiny_snapshot: Path) -> None:
    api = GraphQLApi(load_snapshot(tiny_snapshot))
    body = api.run(
        {
            "query": PULL_REQUESTS_PAGE,
            "variables": json.dumps(page_vars(pageSize=1)),
            "operationName": "PullRequestsPage",
        }
    )
    assert body["data"]["rateLimit"] is None  # no quota without a server
    assert body["data"]["repository"]["pullRequests"]["nodes"][0]["number"] == 1
    assert decode_cursor(encode_cursor(41)) == 41
    assert api.run({"query": "{ rateLimit { cost } }", "operationName": "X"})["errors"][
        0
    ]["message"].startswith("No operation named")
    assert load_schema().get_type("PatchStatus") is not None


# --------------------------------------------------------------------------- faults


def _faulty(start: Start, kind: FaultKind, **extra: Any) -> RunningServer:
    return start(faults=FaultConfig(schedule={2: kind}, **extra))


@pytest.mark.parametrize(
    ("kind", "status", "message"),
    [
        (FaultKind.RATE_LIMIT_429, 429, "secondary rate limit"),
        (FaultKind.SECONDARY_RATE_LIMIT_403, 403, "secondary rate limit"),
        (FaultKind.PRIMARY_RATE_LIMIT_403, 403, "API rate limit exceeded"),
        (FaultKind.SERVER_ERROR_500, 500, "Server Error"),
        (FaultKind.UNAVAILABLE_503, 503, "Service Unavailable"),
    ],
)
def test_status_faults_on_schedule(
    start_github_server: Start, kind: FaultKind, status: int, message: str
) -> None:
    server = _faulty(start_github_server, kind, retry_after_s=2)
    assert call(server, "/repos/acme/widgets").status == 200
    faulty = call(server, "/repos/acme/widgets")
    assert faulty.status == status
    assert message in faulty.json()["message"]
    if kind is FaultKind.PRIMARY_RATE_LIMIT_403:
        assert faulty.headers["X-RateLimit-Remaining"] == "0"
        assert 0 < int(faulty.headers["X-RateLimit-Reset"]) - time.time() <= 3
    elif kind is not FaultKind.SERVER_ERROR_500:
        assert faulty.headers["Retry-After"] == "2"
    assert call(server, "/repos/acme/widgets").status == 200
    assert server.stats.faults == {kind.value: 1}


def test_bad_gateway_is_html(start_github_server: Start) -> None:
    server = _faulty(start_github_server, FaultKind.BAD_GATEWAY_502)
    call(server, "/repos/acme/widgets")
    reply = call(server, "/repos/acme/widgets")
    assert reply.status == 502 and reply.headers["Content-Type"].startswith("text/html")


def test_slow_timeout_and_latency(start_github_server: Start) -> None:
    server = start_github_server(
        faults=FaultConfig(
            schedule={1: FaultKind.SLOW, 2: FaultKind.TIMEOUT},
            slow_delay_s=0.3,
            timeout_hold_s=30,
        )
    )
    started = time.monotonic()
    assert call(server, "/repos/acme/widgets").status == 200
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    with pytest.raises((TimeoutError, socket.timeout)):
        call(server, "/repos/acme/widgets", timeout=0.3)
    assert time.monotonic() - started < 2
    assert server.stats.faults == {"slow": 1, "timeout": 1}

    slow = start_github_server(latency_s=0.15, latency_jitter_s=0.05)
    started = time.monotonic()
    call(slow, "/repos/acme/widgets")
    assert 0.15 <= time.monotonic() - started < 1.5


def test_dropped_truncated_and_invalid_json(start_github_server: Start) -> None:
    server = start_github_server(
        faults=FaultConfig(
            schedule={
                1: FaultKind.DROP_CONNECTION,
                2: FaultKind.TRUNCATED_BODY,
                3: FaultKind.INVALID_JSON,
            }
        )
    )
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        call(server, "/repos/acme/widgets")
    with pytest.raises(http.client.IncompleteRead):
        call(server, "/repos/acme/widgets/pulls/1")
    broken = call(server, "/repos/acme/widgets")
    assert broken.status == 200
    with pytest.raises(json.JSONDecodeError):
        broken.json()
    assert call(server, "/repos/acme/widgets").json()["name"] == "widgets"
    assert server.stats.faults == {
        "drop_connection": 1,
        "truncated_body": 1,
        "invalid_json": 1,
    }


def test_every_nth_endpoint_filter_and_cap(start_github_server: Start) -> None:
    server = start_github_server(
        faults=FaultConfig(
            every={FaultKind.SERVER_ERROR_500: 2},
            endpoints=frozenset({"repository"}),
            max_faults=2,
        )
    )
    statuses = [call(server, "/repos/acme/widgets").status for _ in range(6)]
    assert statuses == [200, 500, 200, 500, 200, 200]
    assert call(server, "/repos/acme/widgets/pulls").status == 200
    stats = call(server, "/_stats").json()
    assert stats["faults"] == {"server_error_500": 2}
    assert stats["requests"] == {"pulls": 1, "repository": 6}
    assert stats["statuses"] == {"200": 5, "500": 2}
    reset = call(server, "/_stats/reset", method="POST")
    assert reset.status == 200
    assert call(server, "/_stats").json()["requests_total"] == 0


def test_random_faults_are_reproducible(start_github_server: Start) -> None:
    def run() -> list[int]:
        server = start_github_server(
            faults=FaultConfig.uniform(
                0.5,
                kinds=[FaultKind.SERVER_ERROR_500, FaultKind.UNAVAILABLE_503],
                seed=7,
            )
        )
        return [call(server, "/repos/acme/widgets").status for _ in range(20)]

    first, second = run(), run()
    assert first == second
    assert {500, 503, 200} <= set(first)


def test_fault_config_validation() -> None:
    with pytest.raises(ValueError, match="unknown fault kind"):
        FaultConfig(rates={"meteor": 0.1})
    with pytest.raises(ValueError, match="in \\[0, 1\\]"):
        FaultConfig(rates={FaultKind.SLOW: 1.5})
    with pytest.raises(ValueError, match="at most 1"):
        FaultConfig(rates={FaultKind.SLOW: 0.6, FaultKind.TIMEOUT: 0.6})
    with pytest.raises(ValueError, match="endpoint kinds"):
        FaultConfig(endpoints=frozenset({"nope"}))
    assert not FaultConfig().enabled
    assert FaultConfig.uniform(0.22).rates[FaultKind.SLOW] == pytest.approx(0.02)


def test_graphql_faults_and_stats(start_github_server: Start) -> None:
    server = start_github_server(
        faults=FaultConfig(
            schedule={1: FaultKind.PRIMARY_RATE_LIMIT_403},
            endpoints=frozenset({"graphql"}),
        )
    )
    reply = graphql(server, PULL_REQUESTS_PAGE, page_vars())
    assert reply.status == 403 and reply.headers["X-RateLimit-Remaining"] == "0"
    assert reply.headers["X-RateLimit-Resource"] == "graphql"
    assert graphql(server, PULL_REQUESTS_PAGE, page_vars()).status == 200
    assert server.stats.requests == {"graphql": 2}


# --------------------------------------------------------------------------- running


def test_loopback_only(tiny_snapshot: Path) -> None:
    for host in ("0.0.0.0", "8.8.8.8", "::"):
        with pytest.raises(ValueError, match="non-loopback"):
            ensure_loopback(host)
    ensure_loopback("127.0.0.1")
    ensure_loopback("127.0.0.2")
    ensure_loopback("localhost")
    with pytest.raises(ValueError, match="non-loopback"):
        serve_in_thread(ServerConfig(snapshot=tiny_snapshot, host="0.0.0.0"))


def test_running_server_lifecycle(tiny_snapshot: Path) -> None:
    snapshot = load_snapshot(tiny_snapshot)
    with serve_in_thread(ServerConfig(snapshot=snapshot, port=0)) as server:
        assert server.base_url.startswith("http://127.0.0.1:")
        assert server.graphql_url == f"{server.base_url}/graphql"
        assert call(server, "/repos/acme/widgets", token=None).status == 200
        assert server.stats.total_requests == 1
    server.stop()  # idempotent
    with pytest.raises(OSError):
        call(server, "/repos/acme/widgets", timeout=1)


def test_bad_snapshot_fails_at_start(tmp_path: Path) -> None:
    with pytest.raises(SnapshotError):
        serve_in_thread(ServerConfig(snapshot=tmp_path / "missing"))


def test_async_start_with_aiohttp_client(tiny_snapshot: Path) -> None:
    async def scenario() -> None:
        server = await start_server(
            ServerConfig(
                snapshot=tiny_snapshot,
                faults=FaultConfig(schedule={2: FaultKind.TRUNCATED_BODY}),
            )
        )
        try:
            async with aiohttp.ClientSession() as session:
                url = f"{server.base_url}/repos/acme/widgets/pulls/1"
                headers = {"Accept": "application/vnd.github.diff"}
                async with session.get(url, headers=headers) as response:
                    assert response.status == 200
                    assert (await response.text()).startswith("diff --git")
                with pytest.raises(aiohttp.ClientPayloadError):
                    async with session.get(url) as response:
                        await response.read()
        finally:
            await server.close()

    asyncio.run(scenario())


def test_command_line_serves_until_sigterm(tiny_snapshot: Path) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "prreview.github.server",
            "--snapshot",
            str(tiny_snapshot),
            "--token",
            TOKEN,
            "--fault",
            "slow=0",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        base_url = proc.stdout.readline().strip()
        assert base_url.startswith("http://127.0.0.1:")
        assert call(base_url, "/repos/acme/widgets").status == 200
        assert call(base_url, "/repos/acme/widgets", token="wrong").status == 401
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_command_line_refuses_public_address(tiny_snapshot: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "prreview.github.server",
            "--snapshot",
            str(tiny_snapshot),
            "--host",
            "0.0.0.0",
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert "non-loopback" in result.stderr


def test_extra_repo_snapshot_builder(tmp_path: Path) -> None:
    root = write_snapshot(tmp_path / "one", [widgets_repo()])
    assert list(load_snapshot(root).repos) == ["acme/widgets"]


SAMPLE = Path(__file__).resolve().parents[2] / "data" / "01_raw" / "github_sample"


@pytest.mark.skipif(not (SAMPLE / "index.json").exists(), reason="no bundled sample")
def test_bundled_sample_answers_both_documents() -> None:
    snapshot = load_snapshot(SAMPLE)
    with serve_in_thread(ServerConfig(snapshot=snapshot, expected_token=TOKEN)) as srv:
        for repo in snapshot.repos.values():
            owner, name = repo.full_name.split("/")
            body = graphql(
                srv, PULL_REQUESTS_PAGE, page_vars(owner=owner, name=name, pageSize=5)
            ).json()
            assert "errors" not in body, body["errors"]
            nodes = body["data"]["repository"]["pullRequests"]["nodes"]
            assert all(p["state"] == "MERGED" for p in nodes)
            if nodes:
                threads = graphql(
                    srv,
                    REVIEW_THREADS_PAGE,
                    {
                        "owner": owner,
                        "name": name,
                        "number": nodes[0]["number"],
                        "threadPageSize": 2,
                    },
                ).json()
                assert "errors" not in threads
                diff = call(
                    srv,
                    f"/repos/{repo.full_name}/pulls/{nodes[0]['number']}",
                    headers={"Accept": "application/vnd.github.diff"},
                )
                assert diff.status == 200 and diff.body.startswith(b"diff --git")
        for old in snapshot.renamed:
            assert call(srv, f"/repos/{old}").status == 301
        for gone, status in snapshot.unavailable.items():
            assert call(srv, f"/repos/{gone}").status == status


def test_config_accepts_plain_mappings_from_yaml(tiny_snapshot: Path) -> None:
    config = ServerConfig(
        snapshot=str(tiny_snapshot),
        faults={"rates": {"slow": 0.1}, "endpoints": ["graphql"], "seed": 3},  # type: ignore[arg-type]
    )
    assert isinstance(config.faults, FaultConfig)
    assert config.faults.rates == {FaultKind.SLOW: 0.1}
    assert config.faults.endpoints == frozenset({"graphql"})
    with pytest.raises(ValueError, match="rate_limited_status"):
        ServerConfig(snapshot=tiny_snapshot, rate_limited_status=500)
