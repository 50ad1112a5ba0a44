"""critique: records from hand-made examples, the merge across iterations, and
summarize + codediff + critique side by side on the sample with ThreadRunner."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import pytest
from kedro.framework.hooks import _create_hook_manager
from kedro.framework.hooks.markers import hook_impl
from kedro.io import DataCatalog, MemoryDataset
from kedro.pipeline import Pipeline
from kedro.runner import ThreadRunner

from prreview.diffs.critique import SYSTEM_PROMPT, ReviewContext, prompt_messages
from prreview.diffs.render import NO_COMMENTS, parse_comments
from prreview.llm.client import ChatClient, RetryPolicy
from prreview.llm.local_model import GenerationParams, GenerationResult, Message
from prreview.llm.server import ServerConfig, serve_in_thread
from prreview.pipelines.codediff import create_pipeline as codediff_pipeline
from prreview.pipelines.codediff.nodes import CodediffParams
from prreview.pipelines.critique import create_pipeline as critique_pipeline
from prreview.pipelines.critique.nodes import (
    CritiqueParams,
    build_critique_records,
    merge_critique_data,
)
from prreview.pipelines.summarize import create_pipeline as summarize_pipeline
from prreview.pipelines.summarize.nodes import SummarizeParams
from prreview.schemas import SFTRecord
from tests.pipelines.summarize.test_pipeline import conf_prompt

REPO = "acme/widgets"
PATCH_TEXT = "@@ -1,2 +1,2 @@\n 1  def f():\nL2 -    return 1\n 2 +    return 2"


def pull_request(number: int, iteration: int = 1, **fields: Any) -> dict:
    return {
        "repo": REPO,
        "number": number,
        "title": f"Fix f in #{number}",
        "body": "<!-- template: describe -->Makes `f` return 2.\n\n\n\nCloses #1.",
        "state": "closed",
        "merged": True,
        "merged_at": "2024-01-02T00:00:00Z",
        "created_at": "2024-01-01T00:00:00Z",
        "updated_at": "2024-01-02T00:00:00Z",
        "closed_at": "2024-01-02T00:00:00Z",
        "base_ref": "main",
        "head_ref": "fix",
        "base_sha": "a" * 40,
        "head_sha": "b" * 40,
        "merge_commit_sha": "c" * 40,
        "author": "0123456789abcdef",
        "author_type": "User",
        "author_association": "MEMBER",
        "additions": 1,
        "deletions": 1,
        "changed_files": 1,
        "labels": [],
        "linked_issues": [1],
        "commit_shas": ["b" * 40],
        "review_comment_count": 1,
        "issue_comment_count": 0,
        "iteration": iteration,
        **fields,
    }


def example(
    pr_number: int,
    comments: list[dict],
    *,
    path: str = "f.py",
    iteration: int = 1,
    negative: bool = False,
) -> dict:
    return {
        "iteration": iteration,
        "repo": REPO,
        "pr_number": pr_number,
        "path": path,
        "previous_path": None,
        "status": "modified",
        "language": "Python",
        "hunk_index": None,
        "rendered_patch": f"--- a/{path}\n+++ b/{path}\n{PATCH_TEXT}",
        "comments": comments,
        "target": "unused here",
        "negative": negative,
    }


def anchored(comment_id: int, line: int = 2, **fields: Any) -> dict:
    return {
        "id": comment_id,
        "side": "RIGHT",
        "line": line,
        "start_line": None,
        "start_side": None,
        "hunk_index": 0,
        "body": f"Reviewer text {comment_id}",
        "category": "functional_defect",
        "resolution": "line",
        **fields,
    }


def summary(comment_id: int, text: str, source: str = "llm") -> dict:
    return {
        "id": comment_id,
        "iteration": 1,
        "repo": REPO,
        "pr_number": 1,
        "summary": text,
        "source": source,
        "reason": None if source == "llm" else "truncated",
        "original": f"Reviewer text {comment_id}",
        "backend": "local",
        "model": "m",
        "prompt": "abc",
        "prompt_tokens": 1,
        "completion_tokens": 1,
        "cached": False,
    }


def records(partitions: dict[str, list[dict]]) -> list[dict]:
    return [row for rows in partitions.values() for row in rows]


def test_records_answer_with_summaries_at_their_anchors() -> None:
    codediff = {
        "iter_0001": [
            example(1, [anchored(10), anchored(11, line=1, start_line=None)]),
            example(1, [], path="g.py", negative=True),
            example(2, [anchored(12)]),  # PR 2 was never ingested
        ]
    }
    summaries = {"iter_0001": [summary(10, "Return `2` only for odd input.")]}
    prs = {"iter_0001": [pull_request(1)]}
    out, counts = build_critique_records(codediff, summaries, prs, {}, CritiqueParams())
    rows = records(out)
    assert [r["metadata"]["path"] for r in rows] == ["f.py", "g.py"]
    for row in rows:
        SFTRecord.model_validate(row)
    positive, negative = rows
    system, user, assistant = positive["messages"]
    assert system["content"] == SYSTEM_PROMPT
    assert user["content"].startswith(
        f"Repository: {REPO}\n\nPull request: Fix f in #1"
    )
    assert "Makes `f` return 2.\n\nCloses #1." in user["content"]
    assert "template" not in user["content"], "HTML comments of PR templates go"
    assert user["content"].endswith(PATCH_TEXT)
    blocks = parse_comments(assistant["content"])
    assert [(b.line, b.body) for b in blocks] == [
        (2, "Return `2` only for odd input."),
        (1, "Reviewer text 11"),
    ]
    assert positive["metadata"]["comment_sources"] == {"reviewer": 1, "summary_llm": 1}
    assert negative["messages"][-1]["content"] == NO_COMMENTS
    assert counts["skipped:pull_request_missing"] == 1
    assert counts["comment_without_summary"] == 1
    # The prompt at inference is the training prompt without the answer.
    context = ReviewContext(
        repo=REPO,
        pr_title="Fix f in #1",
        pr_description="Makes `f` return 2.\n\nCloses #1.",
        path="f.py",
        language="Python",
        rendered_patch=f"--- a/f.py\n+++ b/f.py\n{PATCH_TEXT}",
    )
    assert prompt_messages(context) == positive["messages"][:2]


def test_reviewer_words_when_summaries_are_off_and_empty_comments_dropped() -> None:
    codediff = {"iter_0001": [example(1, [anchored(10, body="  ")])]}
    summaries = {"iter_0001": [summary(10, "A summary")]}
    prs = {"iter_0001": [pull_request(1)]}
    out, counts = build_critique_records(
        codediff, summaries, prs, {}, CritiqueParams(use_summaries=False)
    )
    assert records(out) == []
    assert counts["comment_empty_body"] == 1
    assert counts["skipped:no_comment_left"] == 1


def test_merge_keeps_the_latest_iteration_and_one_of_identical_records() -> None:
    prs = {"iter_0001": [pull_request(1), pull_request(3)]}
    first, _ = build_critique_records(
        {"iter_0001": [example(1, [anchored(10)]), example(3, [anchored(30)])]},
        {},
        prs,
        {},
        CritiqueParams(),
    )
    later, _ = build_critique_records(
        {"iter_0002": [example(1, [anchored(10, body="Edited")], iteration=2)]},
        {},
        prs,
        {},
        CritiqueParams(),
    )
    # PR 4 is a copy of PR 1's conversation under another number.
    twin, _ = build_critique_records(
        {"iter_0002": [example(4, [anchored(10, body="Edited")], iteration=2)]},
        {},
        {"iter_0001": [pull_request(4, title="Fix f in #1")]},
        {},
        CritiqueParams(),
    )
    data = {
        "iter_0001": first["iter_0001"],
        "iter_0002": later["iter_0002"] + twin["iter_0002"],
    }
    merged, report = merge_critique_data(data, {"records_out": 4})
    assert [r["metadata"]["example"] for r in merged] == [
        "acme/widgets#1:f.py:None:positive",
        "acme/widgets#3:f.py:None:positive",
    ]
    assert "Edited" in merged[0]["messages"][-1]["content"]
    assert report["duplicates_removed"] == {
        "identical_conversation": 1,
        "same_example_older_iteration": 1,
    }
    assert report["totals"] == {
        "records": 2,
        "positives": 2,
        "negatives": 0,
        "comments": 2,
    }
    assert report["by_language"]["Python"]["records"] == 2
    assert set(report["by_iteration"]) == {"1", "2"}
    assert report["build"] == {"records_out": 4}


GUIDELINES = {
    "acme__widgets": (
        "# Contributing\n\n<!-- hidden -->- Keep `f` pure.\n\n\n\n- Test it."
    ),
    "not-a-repo-name": "ignored: no owner__repo",
}


def test_guidelines_of_the_repository_go_into_the_prompt() -> None:
    codediff = {"iter_0001": [example(1, [anchored(10)])]}
    prs = {"iter_0001": [pull_request(1)]}
    out, _ = build_critique_records(codediff, {}, prs, GUIDELINES, CritiqueParams())
    (record,) = records(out)
    user = record["messages"][1]["content"]
    assert (
        "Project guidelines:\n# Contributing\n\n- Keep `f` pure.\n\n- Test it." in user
    )
    assert user.index("Project guidelines") < user.index("File: f.py")
    assert record["metadata"]["guidelines"] is True
    off, _ = build_critique_records(
        codediff, {}, prs, GUIDELINES, CritiqueParams(guidelines_max_chars=0)
    )
    assert "Project guidelines" not in records(off)[0]["messages"][1]["content"]
    assert records(off)[0]["metadata"]["guidelines"] is False


def test_params_forbid_unknown_keys() -> None:
    with pytest.raises(ValueError):
        CritiqueParams(unknown=True)  # type: ignore[call-arg]


# --------------------------------------------------------------- side by side


class Rendezvous:
    """Two parties that must both be in progress at once: the summarizer's first
    generation and the start of the codediff node. Run one after the other, the
    first to arrive gives up after ``timeout_s`` and the overlap is recorded False."""

    def __init__(self, timeout_s: float = 30.0) -> None:
        self.barrier = threading.Barrier(2)
        self.timeout_s = timeout_s
        self.met: list[bool] = []

    def arrive(self) -> None:
        try:
            self.barrier.wait(timeout=self.timeout_s)
            self.met.append(True)
        except threading.BrokenBarrierError:
            self.met.append(False)


class WaitsForCodediff:
    """A summarizer model that answers with the comment itself; its first call
    meets the codediff node at the rendezvous."""

    def __init__(self) -> None:
        self.rendezvous = Rendezvous()
        self.first = True

    def generate(
        self, batch: Sequence[Sequence[Message]], params: Sequence[GenerationParams]
    ) -> list[GenerationResult]:
        if self.first:
            self.first = False
            self.rendezvous.arrive()
        results = []
        for messages in batch:
            user = messages[-1]["content"]
            said = user.split("Review comment:\n", 1)[1].split("\n\n", 1)[0]
            results.append(GenerationResult(said, "stop", 50, 20))
        return results


class NodeWatch:
    """Sends codediff to the rendezvous and keeps what every node returned."""

    def __init__(self, rendezvous: Rendezvous) -> None:
        self.rendezvous = rendezvous
        self.outputs: dict[str, Any] = {}

    @hook_impl
    def before_node_run(self, node) -> None:  # noqa: ANN001
        if node.name == "anchor_kept_comments_node":
            self.rendezvous.arrive()

    @hook_impl
    def after_node_run(self, outputs: dict[str, Any]) -> None:
        self.outputs.update(outputs)


@pytest.fixture(scope="module")
def side_by_side(request) -> dict[str, Any]:
    sample = request.getfixturevalue("sample")
    ingested = request.getfixturevalue("ingested_sample")
    model = WaitsForCodediff()
    with serve_in_thread(ServerConfig(backend=model, model_name="copy")) as server:
        client = ChatClient(
            server.base_url, None, "copy", retry=RetryPolicy(max_retries=2)
        )
        catalog = DataCatalog(
            {
                "filtered_comments": MemoryDataset(sample["filtered"]),
                "pull_diffs": MemoryDataset(ingested["pull_diffs"]),
                "all_pull_requests": MemoryDataset(ingested["pull_requests"]),
                "repository_guidelines": MemoryDataset(GUIDELINES),
                "summarizer": MemoryDataset(client, copy_mode="assign"),
                "summarize_prompt": MemoryDataset(conf_prompt()),
                "params:summarize": MemoryDataset(SummarizeParams()),
                "params:codediff": MemoryDataset(CodediffParams()),
                "params:critique": MemoryDataset(CritiqueParams()),
            }
        )
        hooks = _create_hook_manager()
        watch = NodeWatch(model.rendezvous)
        hooks.register(watch)
        pipeline = Pipeline(
            [summarize_pipeline(), codediff_pipeline(), critique_pipeline()]
        )
        ThreadRunner(max_workers=2).run(pipeline, catalog, hooks)
    return {"model": model, "outputs": watch.outputs, "filtered": sample["filtered"]}


@pytest.fixture(scope="module")
def sample(ingested_sample, bundled_encoder, trained_classifier) -> dict[str, Any]:
    from tests.pipelines.codediff.test_pipeline import sample as codediff_sample

    return codediff_sample.__wrapped__(  # type: ignore[attr-defined]
        ingested_sample, bundled_encoder, trained_classifier
    )


def test_summarize_and_codediff_run_side_by_side(side_by_side) -> None:
    assert side_by_side["model"].rendezvous.met == [True, True]


def test_sample_records_are_valid_and_parse_back(side_by_side) -> None:
    merged = side_by_side["outputs"]["critique_sft"]
    report = side_by_side["outputs"]["critique_report"]
    assert len(merged) == report["totals"]["records"] > 80
    assert report["totals"]["negatives"] > 10
    assert report["duplicates_removed"] == {}
    assert set(report["by_language"]) >= {"Python", "Rust", "Go"}
    for record in merged:
        SFTRecord.model_validate(record)
        answer = record["messages"][-1]["content"]
        if record["metadata"]["negative"]:
            assert answer == NO_COMMENTS
        else:
            blocks = parse_comments(answer)
            assert len(blocks) == len(record["metadata"]["comment_ids"])
            assert {b.path for b in blocks} == {record["metadata"]["path"]}
    summaries = side_by_side["outputs"]["comment_summaries"]
    assert sum(len(rows) for rows in summaries.values()) == sum(
        len(rows) for rows in side_by_side["filtered"].values()
    )
    assert report["comment_sources"].get("summary_llm", 0) > 0


def test_sample_statistics_cover_every_record(side_by_side) -> None:
    merged = side_by_side["outputs"]["critique_sft"]
    report = side_by_side["outputs"]["critique_report"]
    for field in ("by_language", "by_repository", "by_iteration"):
        assert sum(g["records"] for g in report[field].values()) == len(merged)
    assert set(report["by_repository"]) == {r["metadata"]["repo"] for r in merged}
