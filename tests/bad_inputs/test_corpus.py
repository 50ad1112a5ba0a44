"""Every case of the bad-input corpus fed to the component that reads it in the
project, with the outcome cases.yml promises: ``handled`` (returns normally),
``skipped`` (returns, every dropped or repaired item counted by reason) or ``error``
(raises that exact type, the message naming the input or the problem).

A case whose component does not yet behave as a user would want keeps the wanted
outcome and an ``xfail`` reason; it runs as a strict xfail, so fixing the component
turns it into a failure until the mark is removed.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from prreview.code.history import read_history
from prreview.comments.rules import RuleSettings, apply_rules, view_of
from prreview.comments.text import clean_body
from prreview.curate.chatlogs import load_chatlog
from prreview.diffs.anchor import Unresolved, anchor_comment
from prreview.diffs.hunks import parse_patch
from prreview.diffs.patches import split_diff
from prreview.github.client import ClientConfig, GitHubClient
from prreview.github.decode import decode_repository
from prreview.github.fetch import FetchOptions, fetch_repository
from prreview.pipelines.filter.nodes import FilterParams, apply_comment_rules
from prreview.review.inference import contexts_from_diff, read_review
from prreview.schemas import FilePatch, ReviewComment
from tests.bad_inputs.repos import BUILDERS
from tests.github.scripted import ScriptedServer, Step, ok

CORPUS = Path(__file__).parent
CASES: list[dict[str, Any]] = yaml.safe_load((CORPUS / "cases.yml").read_text())
GROUPS = ("payloads", "diffs", "comments", "chat_logs", "git_repos")
OUTCOMES = ("handled", "skipped", "error")

# The file of the diff the corpus comments and model replies are about.
PAGER_PATCH = (
    "@@ -10,3 +10,3 @@ def pages(total, size):\n"
    "     if size <= 0:\n"
    "         raise ValueError(size)\n"
    "-    return total // size\n"
    "+    return -(-total // size)"
)
PAGER_DIFF = (
    "diff --git a/pager.py b/pager.py\n"
    "index 4f1c2aa..9b0d3e1 100644\n"
    "--- a/pager.py\n"
    "+++ b/pager.py\n" + PAGER_PATCH + "\n"
)
# Counts the chat-log importer keeps that are tallies, not skips or repairs.
_CHATLOG_TALLIES = {
    "conversations_in",
    "conversations_out",
    "turn_merged",
    "system_replaced",
}


@dataclass
class Outcome:
    """What a component returned, reduced to what cases check: values by name,
    skipped or repaired items by reason, and the messages that came with them."""

    returned: dict[str, Any]
    skipped: dict[str, int] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)


def group_of(case: Mapping[str, Any]) -> str:
    return "git_repos" if "repo" in case else case["file"].split("/", 1)[0]


def _text(path: Path) -> str:
    """File text as the project reads a downloaded diff or a patch file: UTF-8,
    undecodable bytes replaced (GitHubClient ``Response.text``, the review CLI)."""
    return path.read_bytes().decode("utf-8", errors="replace")


def _nonzero(counts: Mapping[str, int]) -> dict[str, int]:
    return {reason: count for reason, count in counts.items() if count}


# ---------------------------------------------------------------- components


def _fetch(path: Path, args: Mapping[str, Any]) -> Outcome:
    """The file is GitHub's answer to the pull-request page query; each pull
    request it names gets a small valid diff."""
    body = path.read_bytes()
    headers = {"Content-Type": args.get("content_type", "application/json")}
    numbers = set(re.findall(rb'"number": (\d+)', body))

    async def main() -> Any:
        async with ScriptedServer() as server:
            server.script(
                "POST", "/graphql", Step(args.get("status", 200), body, headers)
            )
            for number in numbers:
                route = f"/repos/acme/widgets/pulls/{number.decode()}"
                server.script("GET", route, ok(PAGER_DIFF))
            config = ClientConfig(base_url=server.url, max_retries=0, timeout_s=2.0)
            async with GitHubClient(config, "token") as client:
                return await fetch_repository(client, "acme/widgets", FetchOptions())

    fetched = asyncio.run(main())
    return Outcome(
        {"pull_requests": len(fetched.pull_requests), "diffs": len(fetched.diffs)},
        dict(Counter(skip["reason"] for skip in fetched.skipped)),
        [skip["node"] for skip in fetched.skipped],
    )


def _decode(path: Path, args: Mapping[str, Any]) -> Outcome:
    decoded = decode_repository(json.loads(path.read_text()), iteration=1)
    return Outcome(
        {
            "pull_requests": len(decoded.pull_requests),
            "review_comments": len(decoded.review_comments),
            "pull_diffs": len(decoded.pull_diffs),
            "merged": [pull.merged for pull in decoded.pull_requests],
            "authors": [pull.author for pull in decoded.pull_requests],
            "comment_author_types": [c.author_type for c in decoded.review_comments],
            "files": [
                {"path": f.path, "binary": f.binary, "patch": f.patch is not None}
                for diff in decoded.pull_diffs
                for f in diff.files
            ],
        },
        dict(Counter(skip["reason"] for skip in decoded.skipped)),
        [skip["message"] for skip in decoded.skipped],
    )


def _split_diff(path: Path, args: Mapping[str, Any]) -> Outcome:
    files = split_diff(_text(path))
    return Outcome(
        {
            "files": [
                {
                    "path": f.path,
                    "status": f.status,
                    "binary": f.binary,
                    "patch": f.patch is not None,
                    "additions": f.additions,
                    "deletions": f.deletions,
                }
                for f in files
            ],
            "patch_texts": [f.patch for f in files],
        }
    )


def _parse_patch(path: Path, args: Mapping[str, Any]) -> Outcome:
    hunks = parse_patch(_text(path))
    return Outcome(
        {
            "hunks": len(hunks),
            "lines": [[line.kind, line.text] for hunk in hunks for line in hunk.lines],
        }
    )


def _contexts_from_diff(path: Path, args: Mapping[str, Any]) -> Outcome:
    contexts = contexts_from_diff(_text(path))
    return Outcome({"paths": [context.path for context in contexts]})


def _apply_rules(path: Path, args: Mapping[str, Any]) -> Outcome:
    """The filter pipeline's path for one comment row: clean the body, run the rules
    with the default settings."""
    row = json.loads(path.read_text(encoding="utf-8"))
    text = clean_body(row.get("body"))
    decision = apply_rules(view_of(row, text, args.get("pr_author")), RuleSettings())
    skipped = {} if decision.keep else {decision.reason: 1}
    return Outcome({"keep": decision.keep, "text": text}, skipped)


def _apply_comment_rules(path: Path, args: Mapping[str, Any]) -> Outcome:
    rows = json.loads(path.read_text(encoding="utf-8"))
    candidates, report = apply_comment_rules(
        {"1/acme__widgets": rows}, {}, FilterParams()
    )
    counts = report["1"]
    return Outcome(
        {"in": counts["in"], "candidates": len(candidates.get("1", []))},
        {
            k.removeprefix("drop:"): v
            for k, v in counts.items()
            if k.startswith("drop:")
        },
    )


def _anchor_comment(path: Path, args: Mapping[str, Any]) -> Outcome:
    data = json.loads(path.read_text(encoding="utf-8"))
    comment = ReviewComment.model_validate(data["comment"])
    files = [FilePatch.model_validate(file) for file in data["files"]]
    result = anchor_comment(comment, files)
    if isinstance(result, Unresolved):
        return Outcome({"path": result.path}, {result.reason: 1}, [result.detail])
    return Outcome({"path": result.path, "line": result.line, "side": result.side})


def _read_review(path: Path, args: Mapping[str, Any]) -> Outcome:
    reply = path.read_text(encoding="utf-8")
    reviewed = read_review(
        reply, args.get("finish_reason", "stop"), "pager.py", parse_patch(PAGER_PATCH)
    )
    skipped = {
        reason.removeprefix("dropped:"): count
        for reason, count in reviewed.counts.items()
        if reason.startswith("dropped:") and count
    }
    if reviewed.status == "parse_failure":
        skipped["parse_failure"] = 1
    return Outcome(
        {
            "status": reviewed.status,
            "lines": [comment.line for comment in reviewed.comments],
        },
        skipped,
        [reviewed.error or ""],
    )


def _load_chatlog(path: Path, args: Mapping[str, Any]) -> Outcome:
    result = load_chatlog(path)
    counts = {k: v for k, v in result.counts.items() if k not in _CHATLOG_TALLIES}
    return Outcome(
        {
            "records": len(result.records),
            "conversations_in": result.counts["conversations_in"],
        },
        _nonzero(counts),
    )


def _read_history(repo: Path, args: Mapping[str, Any]) -> Outcome:
    history = read_history(repo, refs=args.get("refs"))
    return Outcome(
        {
            "commits": len(history.commits),
            "is_shallow": history.is_shallow,
            "subjects": [commit.subject for commit in history.commits],
            "merges": [
                [commit.is_merge, commit.merge_kind, commit.pr_number]
                for commit in history.commits
            ],
            "files": [
                [
                    [f.path, f.change_type, f.binary, f.patch is not None]
                    for f in commit.files
                ]
                for commit in history.commits
            ],
        },
        _nonzero(history.counts),
    )


COMPONENTS: dict[str, Callable[[Path, Mapping[str, Any]], Outcome]] = {
    "prreview.github.fetch.fetch_repository": _fetch,
    "prreview.github.decode.decode_repository": _decode,
    "prreview.diffs.patches.split_diff": _split_diff,
    "prreview.diffs.hunks.parse_patch": _parse_patch,
    "prreview.review.inference.contexts_from_diff": _contexts_from_diff,
    "prreview.comments.rules.apply_rules": _apply_rules,
    "prreview.pipelines.filter.nodes.apply_comment_rules": _apply_comment_rules,
    "prreview.diffs.anchor.anchor_comment": _anchor_comment,
    "prreview.review.inference.read_review": _read_review,
    "prreview.curate.chatlogs.load_chatlog": _load_chatlog,
    "prreview.code.history.read_history": _read_history,
}


# --------------------------------------------------------------------- tests


def _exception_type(dotted: str) -> type[BaseException]:
    """``KeyError`` (a builtin) or ``package.module.Error``."""
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module or "builtins"), name)


def _param(case: dict[str, Any]) -> Any:
    marks = []
    if "xfail" in case:
        marks.append(pytest.mark.xfail(reason=case["xfail"], strict=True))
    return pytest.param(case, id=case["id"], marks=marks)


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_bad_input_gets_its_expected_outcome(
    case: dict[str, Any], tmp_path: Path
) -> None:
    if "repo" in case:
        source = BUILDERS[case["repo"]](tmp_path)
    else:
        source = CORPUS / case["file"]
    run = COMPONENTS[case["component"]]
    args = case.get("args") or {}
    expect = case["expect"]
    if expect["outcome"] == "error":
        error_type = _exception_type(expect["type"])
        with pytest.raises(Exception) as caught:
            run(source, args)
        assert type(caught.value) is error_type, repr(caught.value)
        message = str(caught.value)
        for part in _as_list(expect["match"]):
            assert part in message, message
        return
    outcome = run(source, args)
    assert outcome.skipped == (expect.get("reasons") or {})
    for name, value in (expect.get("returns") or {}).items():
        assert outcome.returned[name] == value, name
    for part in _as_list(expect.get("match", [])):
        assert any(part in message for message in outcome.messages), outcome.messages


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def test_cases_are_well_formed() -> None:
    ids = [case["id"] for case in CASES]
    assert len(ids) == len(set(ids)), "case ids are unique"
    for case in CASES:
        assert ("file" in case) != ("repo" in case), case["id"]
        assert case["component"] in COMPONENTS, case["id"]
        assert case["id"].startswith(group_of(case) + "/"), case["id"]
        expect = case["expect"]
        assert expect["outcome"] in OUTCOMES, case["id"]
        assert set(expect) <= {"outcome", "type", "match", "reasons", "returns"}
        if expect["outcome"] == "error":
            assert {"type", "match"} <= set(expect), case["id"]
            _exception_type(expect["type"])
        elif expect["outcome"] == "skipped":
            assert expect.get("reasons"), f"{case['id']}: a skip names its reasons"
        else:
            assert not expect.get("reasons"), f"{case['id']}: handled skips nothing"


def test_corpus_spans_every_group_with_enough_cases() -> None:
    by_group = Counter(group_of(case) for case in CASES)
    assert set(by_group) == set(GROUPS)
    assert sum(by_group.values()) >= 25
    assert min(by_group.values()) >= 5, by_group


def test_every_corpus_file_and_repository_builder_is_used() -> None:
    files = {
        path.relative_to(CORPUS).as_posix()
        for group in GROUPS[:-1]
        for path in (CORPUS / group).rglob("*")
        if path.is_file()
    }
    referenced = {case["file"] for case in CASES if "file" in case}
    orphans, missing = sorted(files - referenced), sorted(referenced - files)
    assert files == referenced, f"orphans: {orphans}, missing: {missing}"
    assert {case["repo"] for case in CASES if "repo" in case} == set(BUILDERS)
