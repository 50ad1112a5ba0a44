"""decode_repository: GraphQL nodes to validated records;
malformed PRs skipped with a reason."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from prreview.github.decode import decode_repository
from prreview.schemas import hash_login

DIFF = (
    "diff --git a/app.py b/app.py\n"
    "index 1111111..2222222 100644\n"
    "--- a/app.py\n"
    "+++ b/app.py\n"
    "@@ -1,2 +1,3 @@\n"
    " import os\n"
    "-x = 1\n"
    "+x = 2\n"
    "+y = x\n"
)


def comment(database_id: int, body: str, **extra: Any) -> dict[str, Any]:
    node = {
        "databaseId": database_id,
        "body": body,
        "path": "app.py",
        "diffHunk": "@@ -1,2 +1,3 @@\n import os\n-x = 1\n+x = 2",
        "line": 2,
        "startLine": None,
        "originalLine": 2,
        "originalStartLine": None,
        "outdated": False,
        "createdAt": "2026-01-02T10:00:00Z",
        "updatedAt": "2026-01-02T10:00:00Z",
        "authorAssociation": "MEMBER",
        "author": {"__typename": "User", "login": "reviewer"},
        "replyTo": None,
        "commit": {"oid": "b" * 40},
        "originalCommit": {"oid": "b" * 40},
        "pullRequestReview": {"databaseId": 77},
    }
    node.update(extra)
    return node


def pull(number: int = 5) -> dict[str, Any]:
    return {
        "databaseId": 1000 + number,
        "number": number,
        "title": "Bump x",
        "body": "Fixes #3",
        "state": "MERGED",
        "merged": True,
        "mergedAt": "2026-01-03T00:00:00Z",
        "createdAt": "2026-01-01T00:00:00Z",
        "updatedAt": "2026-01-03T00:00:00Z",
        "closedAt": "2026-01-03T00:00:00Z",
        "additions": 2,
        "deletions": 1,
        "changedFiles": 1,
        "baseRefName": "main",
        "headRefName": "bump-x",
        "baseRefOid": "a" * 40,
        "headRefOid": "b" * 40,
        "mergeCommit": {"oid": "c" * 40},
        "authorAssociation": "CONTRIBUTOR",
        "author": {"__typename": "User", "login": "Author"},
        "labels": {"nodes": [{"name": "bug"}]},
        "closingIssuesReferences": {
            "nodes": [
                {
                    "number": 3,
                    "title": "x is wrong",
                    "body": "it is 1",
                    "state": "CLOSED",
                    "createdAt": "2025-12-01T00:00:00Z",
                    "closedAt": "2026-01-03T00:00:00Z",
                    "author": {"__typename": "User", "login": "reporter"},
                }
            ]
        },
        "commits": {"totalCount": 1, "nodes": [{"commit": {"oid": "b" * 40}}]},
        "files": {
            "totalCount": 1,
            "nodes": [
                {
                    "path": "app.py",
                    "additions": 2,
                    "deletions": 1,
                    "changeType": "MODIFIED",
                }
            ],
        },
        "comments": {
            "totalCount": 1,
            "nodes": [
                {
                    "databaseId": 900,
                    "body": "Coverage 91%",
                    "createdAt": "2026-01-02T00:00:00Z",
                    "authorAssociation": "NONE",
                    "author": {"__typename": "Bot", "login": "codecov"},
                }
            ],
        },
        "reviewThreads": {
            "totalCount": 2,
            "pageInfo": {"hasNextPage": False, "endCursor": None},
            "nodes": [
                {
                    "isResolved": True,
                    "isOutdated": False,
                    "path": "app.py",
                    "diffSide": "RIGHT",
                    "startDiffSide": None,
                    "line": 2,
                    "startLine": None,
                    "originalLine": 2,
                    "originalStartLine": None,
                    "comments": {
                        "totalCount": 2,
                        "nodes": [
                            comment(11, "Why 2? Name the constant."),
                            comment(
                                12,
                                "Done",
                                replyTo={"databaseId": 11},
                                author={"__typename": "User", "login": "Author"},
                            ),
                        ],
                    },
                },
                {
                    "isResolved": False,
                    "isOutdated": True,
                    "path": "app.py",
                    "diffSide": "LEFT",
                    "startDiffSide": "LEFT",
                    "line": None,
                    "startLine": None,
                    "originalLine": 2,
                    "originalStartLine": 1,
                    "comments": {
                        "totalCount": 1,
                        "nodes": [
                            comment(
                                13,
                                "old line",
                                line=None,
                                outdated=True,
                                originalStartLine=1,
                                author=None,
                            ),
                        ],
                    },
                },
            ],
        },
    }


def raw(*pulls: dict[str, Any], diffs=None, files=None) -> dict[str, Any]:
    return {
        "requested_name": "o/r",
        "canonical_name": "o/r",
        "pull_requests": list(pulls),
        "diffs": diffs
        if diffs is not None
        else {str(p["number"]): DIFF for p in pulls},
        "files": files or {},
        "skipped": [],
    }


def test_decodes_every_record_kind() -> None:
    decoded = decode_repository(raw(pull()), iteration=2)
    (record,) = decoded.pull_requests
    assert record.repo == "o/r" and record.number == 5 and record.merged
    assert record.author == hash_login("author") and record.author != "Author"
    assert record.linked_issues == [3] and record.labels == ["bug"]
    assert record.commit_shas == ["b" * 40] and record.merge_commit_sha == "c" * 40
    assert record.review_comment_count == 3 and record.iteration == 2
    by_id = {c.id: c for c in decoded.review_comments}
    assert by_id[11].side == "RIGHT" and by_id[11].line == 2
    assert by_id[11].pull_request_review_id == 77 and by_id[11].thread_resolved
    assert by_id[12].in_reply_to_id == 11 and by_id[12].author == record.author
    outdated = by_id[13]
    assert outdated.line is None and outdated.original_line == 2 and outdated.outdated
    assert outdated.side == "LEFT" and outdated.start_side == "LEFT"
    assert outdated.author is None and outdated.author_type == "Unknown"
    (issue_comment,) = decoded.issue_comments
    assert issue_comment.author_type == "Bot"
    (issue,) = decoded.linked_issues
    assert issue.number == 3 and issue.state == "closed"
    (diff,) = decoded.pull_diffs
    assert diff.source == "diff" and diff.files[0].path == "app.py"


def test_bot_logins_are_bots_whatever_the_typename() -> None:
    node = pull()
    node["reviewThreads"]["nodes"][0]["comments"]["nodes"][0]["author"] = {
        "__typename": "User",
        "login": "dependabot[bot]",
    }
    decoded = decode_repository(raw(node), 1)
    assert decoded.review_comments[0].author_type == "Bot"


def test_falls_back_to_rest_files_when_the_diff_was_too_large() -> None:
    files = {
        "5": [
            {
                "filename": "big.json",
                "status": "modified",
                "additions": 9,
                "deletions": 0,
                "patch": "@@ -1 +1 @@\n-a\n+b",
            },
            {"filename": "blob.bin", "status": "added", "additions": 0, "deletions": 0},
        ]
    }
    decoded = decode_repository(raw(pull(), diffs={}, files=files), 1)
    (diff,) = decoded.pull_diffs
    assert diff.source == "files" and diff.diff is None
    assert [f.binary for f in diff.files] == [False, True]


def test_a_file_without_patch_is_binary_only_when_no_line_changed() -> None:
    files = {
        "5": [
            # GitHub leaves out the patch of a text diff too large to show, too.
            {"filename": "dump.sql", "status": "added", "additions": 48210},
            {"filename": "logo.png", "status": "modified", "changes": 0},
        ]
    }
    decoded = decode_repository(raw(pull(), diffs={}, files=files), 1)
    (diff,) = decoded.pull_diffs
    assert [(f.path, f.binary, f.patch) for f in diff.files] == [
        ("dump.sql", False, None),
        ("logo.png", True, None),
    ]


def test_string_flags_are_read_as_booleans_not_by_truthiness() -> None:
    node = pull()
    node["merged"] = "false"
    thread = node["reviewThreads"]["nodes"][0]
    thread["isResolved"] = "false"
    thread["comments"]["nodes"][0]["outdated"] = "true"
    decoded = decode_repository(raw(node), 1)
    assert decoded.pull_requests[0].merged is False
    first = decoded.review_comments[0]
    assert first.thread_resolved is False and first.outdated is True


@pytest.mark.parametrize(
    "breakage",
    [
        lambda p: p.pop("title"),
        lambda p: p.update(createdAt=None),
        lambda p: p["reviewThreads"]["nodes"][0]["comments"]["nodes"][0].pop(
            "databaseId"
        ),
        lambda p: p["reviewThreads"]["nodes"][0].update(diffSide="MIDDLE"),
        lambda p: p.update(labels={"nodes": [{"nom": "x"}]}),
    ],
)
def test_malformed_pull_requests_are_skipped_with_a_reason(breakage) -> None:
    good, bad = pull(5), pull(6)
    breakage(bad)
    decoded = decode_repository(raw(good, bad), 1)
    assert [p.number for p in decoded.pull_requests] == [5]
    assert {c.pr_number for c in decoded.review_comments} == {5}
    (skipped,) = decoded.skipped
    assert skipped["pr_number"] == 6 and skipped["reason"]


def test_a_malformed_diff_skips_only_its_pull_request() -> None:
    decoded = decode_repository(
        raw(
            pull(5),
            pull(6),
            diffs={"5": DIFF, "6": "diff --git a/x b/x\n@@ -1 +1 @@\n"},
        ),
        1,
    )
    assert [p.number for p in decoded.pull_requests] == [5]
    assert decoded.skipped[0]["reason"] == "DiffParseError"


def test_a_null_pull_request_is_skipped_with_a_reason() -> None:
    decoded = decode_repository(raw(pull(5)) | {"pull_requests": [None, pull(5)]}, 1)
    assert [p.number for p in decoded.pull_requests] == [5]
    (skipped,) = decoded.skipped
    assert skipped["reason"] == "malformed_pull_request"
    assert skipped["pr_number"] is None


def test_decoding_does_not_mutate_the_raw_payload() -> None:
    payload = raw(pull())
    before = copy.deepcopy(payload)
    decode_repository(payload, 1)
    assert payload == before
