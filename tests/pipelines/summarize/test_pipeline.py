"""The summarize node on hand-made partitions with a scripted backend, and the
prompt file in conf through the real template loader."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from prreview.llm.client import ChatResult, RetriesExhaustedError
from prreview.llm.summarize import SummaryPrompt
from prreview.pipelines.summarize.nodes import SummarizeParams, summarize_kept_comments
from prreview.schemas import CommentSummary
from tests.conftest import ROOT
from tests.llm.test_summarize import ScriptedBackend
from tests.pipelines.codediff.test_pipeline import comment

PROMPT_FILE = ROOT / "conf" / "base" / "prompts" / "summarize_comment.yml"


def conf_prompt() -> dict:
    return yaml.safe_load(PROMPT_FILE.read_text())


def test_the_conf_prompt_is_a_valid_template() -> None:
    prompt = SummaryPrompt.from_mapping(conf_prompt())
    assert "{comment}" in prompt.user and prompt.fixed_lines


def echo_comment(request) -> ChatResult:
    """Answers with the comment as the prompt shows it (a faithful summarizer)."""
    user = request.messages[-1]["content"]
    said = user.split("Review comment:\n", 1)[1].split("\n\n", 1)[0]
    if "explode" in said:
        return RetriesExhaustedError("no", attempts=6, last_cause="timeout")
    return ChatResult(said, "stop", 30, 10, "scripted-model")


def test_node_writes_one_summary_per_kept_comment_per_iteration() -> None:
    body = "Hi @x, `total` can overflow here; use `checked_add` and return an error."
    partitions = {
        "iter_0001": [
            comment(1, 5, "a.py", body=body),
            comment(2, 5, "a.py", body="Please explode `now` with the old value."),
        ],
        "iter_0002": [
            comment(3, 6, "b.rs", body="Short.", iteration=2),
            comment(1, 5, "a.py", body=body, iteration=2),  # seen again later
        ],
    }
    lazy = {key: (lambda rows=rows: rows) for key, rows in partitions.items()}
    backend = ScriptedBackend(echo_comment)
    summaries, report, metrics = summarize_kept_comments(
        lazy, backend, conf_prompt(), SummarizeParams(skip_below_chars=10)
    )
    assert sorted(summaries) == ["iter_0001", "iter_0002"]
    rows = {row["id"]: row for part in summaries.values() for row in part}
    assert sorted(rows) == [1, 2, 3]
    for part in summaries.values():
        for row in part:
            CommentSummary.model_validate(row)
    assert rows[1]["iteration"] == 2 and rows[1]["source"] == "llm"
    assert rows[1]["summary"].startswith("`total` can overflow")
    assert rows[2]["reason"] == "request_failed:timeout"
    assert rows[2]["summary"] == "Please explode `now` with the old value."
    assert rows[3]["reason"] == "already_concise"
    assert {row["backend"] for row in rows.values()} == {"scripted"}
    assert report["counts"]["source:llm"] == 1 and report["comments"] == 3
    assert report["prompt"] == SummaryPrompt.from_mapping(conf_prompt()).digest
    assert metrics["summarize_llm_share"]["value"] == pytest.approx(1 / 3)
    # The code context the model sees: the last lines of the hunk, no header.
    shown = backend.requests[0].messages[-1]["content"]
    assert "+    x = 2" in shown and "@@" not in shown


def test_params_are_checked() -> None:
    with pytest.raises(ValidationError):
        SummarizeParams(unknown=1)  # type: ignore[call-arg]
    with pytest.raises(ValidationError):
        SummarizeParams(max_tokens=0)
    assert SummarizeParams().settings().stop == ("\n\n",)


def test_base_parameters_load_into_the_model() -> None:
    data = yaml.safe_load(
        (Path(ROOT) / "conf/base/parameters_summarize.yml").read_text()
    )
    assert SummarizeParams(**data["summarize"]).max_tokens > 0
