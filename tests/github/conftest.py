"""Fixtures for the GitHub layer: a tiny snapshot folder and the local server over it.

``tiny_snapshot`` writes a small but complete snapshot (docs/github_snapshot_format.md)
with every case the server distinguishes: merged / closed / open pulls, review threads
with replies, outdated and multi-line comments, a bot, a linked issue, a rename, blocked
and deleted repositories. ``github_server`` runs the server over it in a thread;
``start_github_server`` does the same with config overrides.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from prreview.github.server import RunningServer, ServerConfig, serve_in_thread

TOKEN = "test-token"
API = "https://api.github.com"


def user(login: str, uid: int, kind: str = "User") -> dict[str, Any]:
    return {
        "login": login,
        "id": uid,
        "node_id": f"U_{uid}",
        "type": kind,
        "html_url": f"https://github.com/{login}",
        "avatar_url": f"https://avatars.githubusercontent.com/u/{uid}?v=4",
        "site_admin": False,
    }


def repository(
    owner: str,
    name: str,
    rid: int,
    *,
    language: str | None = "Python",
    stars: int = 10,
    license_key: str | None = "mit",
    topics: tuple[str, ...] = (),
    description: str | None = None,
    pushed_at: str = "2026-09-01T12:00:00Z",
    updated_at: str = "2026-09-02T12:00:00Z",
    archived: bool = False,
    fork: bool = False,
) -> dict[str, Any]:
    full = f"{owner}/{name}"
    license_obj = (
        {
            "key": license_key,
            "name": license_key.upper(),
            "spdx_id": license_key.upper(),
            "url": f"{API}/licenses/{license_key}",
            "node_id": f"MDc6TGljZW5zZ{rid}",
        }
        if license_key
        else None
    )
    return {
        "id": rid,
        "node_id": f"R_{rid}",
        "name": name,
        "full_name": full,
        "owner": user(owner, 1000 + rid, "Organization"),
        "private": False,
        "html_url": f"https://github.com/{full}",
        "url": f"{API}/repos/{full}",
        "pulls_url": f"{API}/repos/{full}/pulls{{/number}}",
        "description": description,
        "fork": fork,
        "created_at": "2024-01-01T00:00:00Z",
        "updated_at": updated_at,
        "pushed_at": pushed_at,
        "size": 100,
        "stargazers_count": stars,
        "watchers_count": stars,
        "language": language,
        "forks_count": stars // 10,
        "archived": archived,
        "disabled": False,
        "open_issues_count": 1,
        "license": license_obj,
        "topics": list(topics),
        "default_branch": "main",
        "visibility": "public",
    }


def pull(
    full: str,
    number: int,
    *,
    state: str = "closed",
    merged: bool = True,
    title: str = "A change",
    body: str | None = "",
    author: dict[str, Any] | None = None,
    created_at: str = "2026-01-01T00:00:00Z",
    updated_at: str = "2026-01-02T00:00:00Z",
    labels: tuple[str, ...] = (),
    counts: tuple[int, int, int] = (0, 0, 1),
) -> dict[str, Any]:
    closed_at = None if state == "open" else "2026-01-02T00:00:00Z"
    return {
        "url": f"{API}/repos/{full}/pulls/{number}",
        "id": 50_000 + number,
        "node_id": f"PR_{number}",
        "html_url": f"https://github.com/{full}/pull/{number}",
        "diff_url": f"https://github.com/{full}/pull/{number}.diff",
        "patch_url": f"https://github.com/{full}/pull/{number}.patch",
        "number": number,
        "state": state,
        "locked": False,
        "title": title,
        "user": author or user("alice", 1),
        "body": body,
        "labels": [
            {"id": 900 + i, "node_id": f"LA_{i}", "name": name, "color": "d73a4a"}
            for i, name in enumerate(labels)
        ],
        "created_at": created_at,
        "updated_at": updated_at,
        "closed_at": closed_at,
        "merged_at": "2026-01-02T00:00:00Z" if merged else None,
        "merge_commit_sha": f"merge{number:035d}",
        "head": {"ref": f"feature-{number}", "sha": f"head{number:036d}", "label": "x"},
        "base": {"ref": "main", "sha": f"base{number:036d}", "label": "y"},
        "author_association": "CONTRIBUTOR",
        "draft": False,
        "merged": merged,
        "comments": counts[0],
        "review_comments": counts[1],
        "commits": 1,
        "additions": 3,
        "deletions": 1,
        "changed_files": counts[2],
    }


def review_comment(
    cid: int,
    *,
    path: str = "src/app.py",
    line: int | None = 10,
    original_line: int = 10,
    side: str = "RIGHT",
    start_line: int | None = None,
    start_side: str | None = None,
    reply_to: int | None = None,
    author: dict[str, Any] | None = None,
    body: str = "Looks off.",
    created_at: str = "2026-01-01T10:00:00Z",
) -> dict[str, Any]:
    comment: dict[str, Any] = {
        "id": cid,
        "node_id": f"PRRC_{cid}",
        "pull_request_review_id": 7000 + cid,
        "diff_hunk": "@@ -1,3 +1,4 @@\n def f():\n-    return 1\n+    return 2",
        "path": path,
        "position": None if line is None else 3,
        "original_position": 3,
        "commit_id": "head" + "0" * 36,
        "original_commit_id": "c1" + "0" * 38,
        "user": author or user("bob", 2),
        "body": body,
        "created_at": created_at,
        "updated_at": created_at,
        "author_association": "MEMBER",
        "start_line": start_line,
        "original_start_line": start_line,
        "start_side": start_side,
        "line": line,
        "original_line": original_line,
        "side": side,
        "subject_type": "line",
        "html_url": f"https://github.com/acme/widgets/pull/1#discussion_r{cid}",
    }
    if reply_to is not None:
        comment["in_reply_to_id"] = reply_to
    return comment


def issue_comment(cid: int, body: str, author: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": cid,
        "node_id": f"IC_{cid}",
        "user": author,
        "body": body,
        "created_at": f"2026-01-01T1{cid % 10}:00:00Z",
        "updated_at": f"2026-01-01T1{cid % 10}:00:00Z",
        "author_association": "NONE",
        "html_url": f"https://github.com/acme/widgets/pull/1#issuecomment-{cid}",
    }


def commit(sha: str, message: str, author: dict[str, Any]) -> dict[str, Any]:
    person = {"name": author["login"], "email": "a@example.com"}
    return {
        "sha": sha,
        "node_id": f"C_{sha[:8]}",
        "commit": {
            "message": message,
            "author": {**person, "date": "2026-01-01T09:00:00Z"},
            "committer": {**person, "date": "2026-01-01T09:30:00Z"},
        },
        "author": author,
        "parents": [{"sha": "base" + "0" * 36}],
    }


def file_entry(name: str, status: str, **extra: Any) -> dict[str, Any]:
    entry = {
        "sha": "f" * 40,
        "filename": name,
        "status": status,
        "additions": 2,
        "deletions": 1,
        "changes": 3,
        "patch": "@@ -1 +1,2 @@\n-a\n+b\n+c",
    }
    entry.update(extra)
    return entry


DIFF_1 = """diff --git a/src/app.py b/src/app.py
index 1111111..2222222 100644
--- a/src/app.py
+++ b/src/app.py
@@ -1,3 +1,4 @@
 def f():
-    return 1
+    return 2
+
"""


def _big_diff(lines: int) -> str:
    body = "".join(f"+line {i}\n" for i in range(lines))
    return f"diff --git a/big.txt b/big.txt\n--- /dev/null\n+++ b/big.txt\n{body}"


def widgets_repo() -> dict[str, Any]:
    full = "acme/widgets"
    bot = user("lint-bot[bot]", 99, "Bot")
    alice, bob, carol = user("alice", 1), user("bob", 2), user("carol", 3)
    pr1 = {
        "pull": pull(
            full,
            1,
            title="Fix the return value",
            body="Fixes #3. Also closes other/repo#9.",
            labels=("bug", "easy"),
            counts=(2, 5, 4),
            updated_at="2026-01-05T00:00:00Z",
        ),
        "files": [
            file_entry("src/app.py", "modified"),
            file_entry("src/new.py", "added"),
            file_entry("src/old.py", "removed"),
            file_entry("src/b.py", "renamed", previous_filename="src/a.py"),
        ],
        "commits": [
            commit("c1" + "0" * 38, "First try\n\nDetails", alice),
            commit("head" + "0" * 36, "Address review", alice),
        ],
        "review_comments": [
            review_comment(101, body="Why 2?"),
            review_comment(
                102,
                reply_to=101,
                author=alice,
                body="Spec says so.",
                created_at="2026-01-01T11:00:00Z",
            ),
            review_comment(
                103,
                line=None,
                original_line=5,
                body="Outdated remark",
                author=carol,
                created_at="2026-01-01T10:30:00Z",
            ),
            review_comment(
                104,
                path="src/new.py",
                line=6,
                original_line=6,
                start_line=3,
                start_side="LEFT",
                side="LEFT",
                author=bot,
                body="Style: line too long",
                created_at="2026-01-01T10:40:00Z",
            ),
            review_comment(
                105,
                reply_to=102,
                author=bob,
                body="OK then.",
                created_at="2026-01-01T12:00:00Z",
            ),
        ],
        "issue_comments": [
            issue_comment(201, "Thanks!", bob),
            issue_comment(202, "Coverage report", bot),
        ],
        "diff": DIFF_1,
    }
    pr2 = {
        "pull": pull(
            full,
            2,
            merged=False,
            title="Rejected idea",
            updated_at="2026-01-03T00:00:00Z",
            created_at="2026-01-02T00:00:00Z",
        ),
        "diff": DIFF_1,
    }
    pr4 = {
        "pull": pull(
            full,
            4,
            state="open",
            merged=False,
            title="Work in progress",
            updated_at="2026-01-10T00:00:00Z",
            created_at="2026-01-04T00:00:00Z",
        ),
        "diff": DIFF_1,
    }
    # Many review threads (for nested pagination) and a diff over the test line limit.
    pr5_comments = [
        review_comment(
            500 + i,
            path=f"src/m{i}.py",
            line=i + 1,
            original_line=i + 1,
            body=f"Thread {i}",
            created_at=f"2026-02-01T10:{i:02d}:00Z",
        )
        for i in range(7)
    ]
    pr5 = {
        "pull": pull(
            full,
            5,
            title="Big refactor",
            created_at="2026-02-01T00:00:00Z",
            updated_at="2026-01-04T00:00:00Z",
            counts=(0, 7, 1),
        ),
        "files": [file_entry("big.txt", "added")],
        "review_comments": pr5_comments,
        "diff": _big_diff(60),
    }
    issue3 = {
        "id": 3003,
        "node_id": "I_3",
        "number": 3,
        "title": "Wrong return value",
        "body": "f() returns 1",
        "state": "closed",
        "user": carol,
        "labels": [{"id": 1, "name": "bug", "color": "d73a4a"}],
        "created_at": "2025-12-01T00:00:00Z",
        "updated_at": "2026-01-02T00:00:00Z",
        "closed_at": "2026-01-02T00:00:00Z",
        "comments": 0,
        "author_association": "NONE",
        "html_url": "https://github.com/acme/widgets/issues/3",
    }
    return {
        "repository": repository(
            "acme",
            "widgets",
            1,
            stars=120,
            topics=("cli", "widgets"),
            description="Widgets for the command line",
        ),
        "pulls": [pr1, pr2, pr4, pr5],
        "issues": [issue3],
    }


def write_snapshot(
    root: Path,
    repos: list[dict[str, Any]],
    *,
    renamed: dict[str, str] | None = None,
    unavailable: dict[str, int] | None = None,
) -> Path:
    """Write a snapshot folder from repo files' contents (``{"repository": ...}``)."""
    (root / "repos").mkdir(parents=True, exist_ok=True)
    names = []
    for data in repos:
        full = data["repository"]["full_name"]
        names.append(full)
        owner, name = full.split("/")
        (root / "repos" / f"{owner}__{name}.json").write_text(
            json.dumps(data, indent=1), encoding="utf-8"
        )
    index = {
        "format": 1,
        "generated_by": "tests/github/conftest.py",
        "snapshot_time": "2026-10-01T00:00:00Z",
        "repositories": names,
        "renamed": renamed or {},
        "unavailable": unavailable or {},
    }
    (root / "index.json").write_text(json.dumps(index, indent=1), encoding="utf-8")
    return root


def tiny_repos() -> list[dict[str, Any]]:
    return [
        widgets_repo(),
        {
            "repository": repository(
                "beta",
                "gadgets",
                2,
                language="Rust",
                stars=50,
                license_key="apache-2.0",
                archived=True,
                pushed_at="2025-01-01T00:00:00Z",
                updated_at="2025-01-02T00:00:00Z",
                description="Gadgets in Rust",
            ),
            "pulls": [],
        },
        {
            "repository": repository(
                "gamma", "forked", 3, stars=500, fork=True, description="A fork"
            ),
            "pulls": [],
        },
        {
            "repository": repository(
                "delta",
                "tools",
                4,
                language="Go",
                stars=5,
                license_key=None,
                description="Developer tools for widgets",
                topics=("devtools",),
                updated_at="2026-09-05T00:00:00Z",
            ),
            "pulls": [],
        },
        {
            "repository": repository(
                "epsilon", "pylib", 5, stars=300, description="Python helpers"
            ),
            "pulls": [],
        },
    ]


@pytest.fixture
def tiny_snapshot(tmp_path: Path) -> Path:
    """A small snapshot folder covering every case the server distinguishes."""
    return write_snapshot(
        tmp_path / "snapshot",
        tiny_repos(),
        renamed={"acme/old-widgets": "acme/widgets"},
        unavailable={"evil/blocked": 451, "gone/away": 410, "ghost/missing": 404},
    )


@pytest.fixture
def start_github_server(
    tiny_snapshot: Path,
) -> Iterator[Callable[..., RunningServer]]:
    """Start servers over ``tiny_snapshot`` with config overrides; all stop after."""
    running: list[RunningServer] = []

    def start(**overrides: Any) -> RunningServer:
        options: dict[str, Any] = {
            "snapshot": tiny_snapshot,
            "expected_token": TOKEN,
            "shutdown_timeout_s": 0.2,
        }
        options.update(overrides)
        server = serve_in_thread(ServerConfig(**options))
        running.append(server)
        return server

    yield start
    for server in running:
        server.stop()


@pytest.fixture
def github_server(start_github_server: Callable[..., RunningServer]) -> RunningServer:
    """The server over ``tiny_snapshot`` with GitHub's defaults and token ``TOKEN``."""
    return start_github_server()
