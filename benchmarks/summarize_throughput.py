"""Summarize throughput against the ideal an endpoint allows: with a per-request
latency L and at most C requests in flight, N comments cannot take less than
N * L / C. The endpoint is this project's OpenAI-compatible server on 127.0.0.1 with
a model that answers after exactly L seconds (a remote API's latency, not local
compute), so the numbers show what the client and the summarizer add. Same run:
one request at a time (baseline), the raw client at concurrency C, and
``summarize_comments`` (chunks, checks, fallbacks) at concurrency C.

    python -m benchmarks.summarize_throughput [--comments 96] [--latency 0.1]
        [--concurrency 8] [--write docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.report import write_section
from prreview.llm.client import ChatClient, ChatRequest
from prreview.llm.local_model import GenerationParams, GenerationResult, Message
from prreview.llm.server import RunningServer, ServerConfig, serve_in_thread
from prreview.llm.summarize import (
    CommentToSummarize,
    SummarizeSettings,
    SummaryPrompt,
    summarize_comments,
)

PROMPT = SummaryPrompt(
    system="Rewrite review comments in one sentence.",
    user="Review comment:\n{comment}\n\nRewrite it.",
)


class FixedLatency:
    """Answers every batch after ``latency_s``, echoing the comment."""

    def __init__(self, latency_s: float) -> None:
        self.latency_s = latency_s
        self.calls = 0
        self._lock = threading.Lock()

    def generate(
        self, batch: Sequence[Sequence[Message]], params: Sequence[GenerationParams]
    ) -> list[GenerationResult]:
        with self._lock:
            self.calls += 1
        time.sleep(self.latency_s)
        answers = []
        for messages in batch:
            said = messages[-1]["content"].split("Review comment:\n", 1)[-1]
            answers.append(GenerationResult(said.split("\n\n")[0], "stop", 40, 20))
        return answers


def comments(count: int) -> list[CommentToSummarize]:
    return [
        CommentToSummarize(
            index,
            f"`value_{index}` is read after `close()` on line {index}; "
            "move the read before closing the handle so it cannot fail.",
        )
        for index in range(count)
    ]


def client(server: RunningServer, concurrency: int) -> ChatClient:
    return ChatClient(server.base_url, None, "latency", concurrency=concurrency)


def timed_client(server: RunningServer, count: int, concurrency: int) -> float:
    requests = [
        ChatRequest(messages=PROMPT.messages(item), max_tokens=64)
        for item in comments(count)
    ]
    started = time.perf_counter()
    client(server, concurrency).complete_each_sync(requests)
    return time.perf_counter() - started


def timed_summarize(
    server: RunningServer, count: int, concurrency: int, chunk_size: int
) -> float:
    settings = SummarizeSettings(chunk_size=chunk_size, concurrency=concurrency)
    started = time.perf_counter()
    run = summarize_comments(
        comments(count), client(server, concurrency), PROMPT, settings
    )
    seconds = time.perf_counter() - started
    assert run.counts["source:llm"] == count, run.counts  # noqa: S101 - a sanity check
    return seconds


def measure(count: int, latency_s: float, concurrency: int) -> str:
    config = ServerConfig(
        backend=FixedLatency(latency_s),
        model_name="latency",
        batch_window_s=0.0,
        max_batch_size=1,
        parallel_batches=concurrency,  # every request waits its own latency
    )
    ideal = count * latency_s / concurrency
    with serve_in_thread(config) as server:
        timed_client(server, concurrency, concurrency)  # warm up
        rows = [
            ("one at a time (baseline)", timed_client(server, count, 1)),
            (
                f"`ChatClient`, {concurrency} in flight",
                timed_client(server, count, concurrency),
            ),
            (
                f"`summarize_comments`, chunks of 32, {concurrency} in flight",
                timed_summarize(server, count, concurrency, 32),
            ),
            (
                f"`summarize_comments`, one chunk, {concurrency} in flight",
                timed_summarize(server, count, concurrency, count),
            ),
        ]
    baseline = rows[0][1]
    lines = [
        f"{count} comments, an endpoint answering each request after "
        f"{latency_s * 1000:.0f} ms (local server on 127.0.0.1, requests answered "
        f"independently), at most {concurrency} requests in flight: the "
        f"ideal is {count} x {latency_s} s / {concurrency} = {ideal:.2f} s.",
        "",
        "| path | seconds | comments/s | of ideal | vs one at a time |",
        "|---|---:|---:|---:|---:|",
        *(
            f"| {name} | {seconds:.2f} | {count / seconds:.1f} | "
            f"{ideal / seconds:.0%} | {baseline / seconds:.1f}x |"
            for name, seconds in rows
        ),
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=96)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--write", type=Path, help="update this markdown file")
    args = parser.parse_args()
    table = measure(args.comments, args.latency, args.concurrency)
    print(table)  # noqa: T201
    if args.write:
        write_section(args.write, "summarize_throughput", "Summarize throughput", table)


if __name__ == "__main__":
    main()
