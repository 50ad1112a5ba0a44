"""Summaries: the prompt template, the checks every answer passes, and a run
through a scripted backend and through the OpenAI path with faults on loopback."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from prreview.llm.client import (
    ChatClient,
    ChatClientError,
    ChatRequest,
    ChatResult,
    RetriesExhaustedError,
    RetryPolicy,
    Usage,
)
from prreview.llm.server import FaultConfig, ServerConfig, serve_in_thread
from prreview.llm.summarize import (
    CommentToSummarize,
    PromptTemplateError,
    SummarizeSettings,
    SummaryPrompt,
    check_summary,
    summarize_comments,
)
from tests.llm.test_server import MODEL, EchoBackend

PROMPT = SummaryPrompt(
    system="Rewrite review comments about {language} code.",
    user="Code in {path}:\n{code}\n\nReview comment:\n{comment}\n\nRewrite it briefly.",
)
COMMENT = CommentToSummarize(
    id=7,
    body="Hi @alice! `parse_header` drops the last byte when `len` is odd; "
    "please bound the loop by `len - 1`. See https://example.com/x. Thanks!",
    path="src/wire.rs",
    language="Rust",
    code="for i in 0..len {",
)


class ScriptedBackend:
    """Answers each request with ``answer(request)``: a result or a client error."""

    name = "scripted"
    model = "scripted-model"

    def __init__(self, answer: Callable[[ChatRequest], ChatResult | ChatClientError]):
        self.answer = answer
        self.usage = Usage()
        self.requests: list[ChatRequest] = []

    def complete_each_sync(
        self, requests: Sequence[ChatRequest], concurrency: int | None = None
    ) -> list[ChatResult | ChatClientError]:
        self.requests.extend(requests)
        return [self.answer(r) for r in requests]

    def close(self) -> None:
        pass


def result(text: str, finish_reason: str = "stop") -> ChatResult:
    return ChatResult(text, finish_reason, 10, 5, "scripted-model")


def test_prompt_renders_fields_and_keeps_braces_of_values() -> None:
    item = CommentToSummarize(1, "Use `{}` here", "a.py", "Python", "x = {}")
    system, user = PROMPT.messages(item)
    assert system == {
        "role": "system",
        "content": "Rewrite review comments about Python code.",
    }
    assert user["content"] == (
        "Code in a.py:\nx = {}\n\nReview comment:\nUse `{}` here\n\nRewrite it briefly."
    )
    assert PROMPT.digest == SummaryPrompt(PROMPT.system, PROMPT.user).digest
    assert PROMPT.digest != SummaryPrompt(PROMPT.system, PROMPT.user + "!").digest
    assert "Rewrite it briefly." in PROMPT.fixed_lines


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"system": "s", "user": "no comment field"}, "must contain"),
        ({"system": "s {author}", "user": "{comment}"}, "unknown field"),
        ({"system": "", "user": "{comment}"}, "empty"),
        ({"system": "s", "user": "{comment", "x": 1}, "unknown prompt keys"),
        ({"system": "s", "user": "{comment"}, "invalid prompt template"),
        (["not", "a", "mapping"], "mapping"),
    ],
)
def test_bad_templates_are_refused_with_the_reason(data, message: str) -> None:
    with pytest.raises(PromptTemplateError, match=message):
        SummaryPrompt.from_mapping(data)


def test_the_comment_is_prepared_without_chatter() -> None:
    assert COMMENT.prepared == (
        "`parse_header` drops the last byte when `len` is odd; please bound the "
        "loop by `len - 1`."
    )


SETTINGS = SummarizeSettings()
GOOD = "`parse_header` drops the last byte for odd `len`: bound the loop by `len - 1`."


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (result(GOOD), None),
        (result(f"Critique: {GOOD}"), None),
        (result(f'"{GOOD}"'), None),
        (result(f"{GOOD}\n\nRewrite it briefly."), None),
        (result("Rewrite it briefly."), "echoed_prompt"),
        (result("   "), "empty"),
        (result(GOOD, "length"), "truncated"),
        (result("`parse_header` drops:\n```rust\nfor i in"), "truncated"),
        (result("I'm sorry, I cannot help with `parse_header`."), "refusal"),
        (result(GOOD + " " + GOOD + " " + GOOD), "longer_than_original"),
        (result("The last byte is dropped; bound the loop."), "lost_identifiers"),
        (
            result("`parse_header` is a lovely function, great tests everywhere."),
            "off_topic",
        ),
        (
            result(
                "`parse_header` drops the last byte; use `read_exact` for odd `len`."
            ),
            "invented_identifiers",
        ),
    ],
)
def test_each_check(answer: ChatResult, reason: str | None) -> None:
    text, found = check_summary(answer, COMMENT, SETTINGS, PROMPT.fixed_lines)
    assert found == reason
    assert (text == GOOD) if reason is None else text == ""


def test_identifiers_from_the_code_are_not_invented() -> None:
    answer = result(
        "`parse_header` drops a byte in `for i in 0..len`; bound by `len - 1`."
    )
    text, reason = check_summary(answer, COMMENT, SETTINGS)
    assert reason is None and text.startswith("`parse_header`")


def test_run_keeps_order_falls_back_and_counts() -> None:
    items = [
        COMMENT,
        CommentToSummarize(8, "ok"),  # short: not asked
        CommentToSummarize(9, "`a_b` is unused; delete `a_b` and its import please"),
        CommentToSummarize(10, "@bob https://x.y"),  # nothing left after chatter
    ]

    def answer(request: ChatRequest) -> ChatResult | ChatClientError:
        if "a_b" in request.messages[-1]["content"]:
            return RetriesExhaustedError("gave up", attempts=6, last_cause="http_429")
        return result(GOOD)

    backend = ScriptedBackend(answer)
    progress: list[tuple[int, int]] = []
    run = summarize_comments(
        items,
        backend,
        PROMPT,
        SummarizeSettings(skip_below_chars=5, chunk_size=2),
        lambda done, total: progress.append((done, total)),
    )
    assert [s.id for s in run.summaries] == [7, 8, 9, 10]
    assert [(s.source, s.reason) for s in run.summaries] == [
        ("llm", None),
        ("original", "already_concise"),
        ("original", "request_failed:http_429"),
        ("original", "empty_comment"),
    ]
    assert run.summaries[0].text == GOOD
    assert (
        run.summaries[2].text == "`a_b` is unused; delete `a_b` and its import please"
    )
    assert len(backend.requests) == 2
    assert (
        backend.requests[0].stop == ("\n\n",) and backend.requests[0].temperature == 0
    )
    assert progress == [(2, 4), (4, 4)]
    assert run.counts["source:llm"] == 1 and run.counts["source:original"] == 3
    assert run.counts["reason:request_failed:http_429"] == 1


def test_run_over_http_with_faults_loses_no_item(tmp_path) -> None:
    """The OpenAI path with 429s, 500s, dropped connections and cut bodies: every
    comment gets an answer, and a rerun is served from the cache."""
    faults = FaultConfig(
        rates={
            "rate_limit_429": 0.15,
            "server_error_500": 0.1,
            "drop_connection": 0.05,
            "malformed_json": 0.05,
        },
        seed=3,
        retry_after_s=0.01,
    )
    items = [
        CommentToSummarize(i, f"`name_{i}` shadows the outer `name_{i}` variable here")
        for i in range(24)
    ]
    with serve_in_thread(
        ServerConfig(backend=EchoBackend(), model_name=MODEL, faults=faults)
    ) as server:

        def client() -> ChatClient:
            return ChatClient(
                server.base_url,
                None,
                MODEL,
                cache_path=tmp_path / "cache.sqlite",
                retry=RetryPolicy(max_retries=8, base_delay_s=0.01),
                concurrency=4,
            )

        first = client()
        run = summarize_comments(items, first, PROMPT, SummarizeSettings(max_tokens=64))
        faults_seen = sum(server.stats.as_dict()["faults"].values())
        second = client()
        again = summarize_comments(
            items, second, PROMPT, SummarizeSettings(max_tokens=64)
        )
    assert len(run.summaries) == 24
    assert not any(
        s.reason and s.reason.startswith("request_failed") for s in run.summaries
    )
    assert faults_seen > 0 and sum(first.usage.retries.values()) == faults_seen
    assert second.usage.cache_hits == 24 and second.usage.requests == 0
    assert [s.text for s in again.summaries] == [s.text for s in run.summaries]
