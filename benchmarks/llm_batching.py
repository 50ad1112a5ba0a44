"""Tokens per second through the local OpenAI-compatible endpoint serving the bundled
SmolLM2-135M-Instruct: requests one at a time (baseline) against the same requests sent
concurrently, which the server's micro-batcher generates together. Same run, same
prompts, greedy decoding, fixed max_tokens.

    python -m benchmarks.llm_batching [--requests 8] [--max-tokens 48]
        [--write docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from benchmarks.report import write_section
from prreview.llm.client import ChatClient, ChatRequest
from prreview.llm.local_model import LocalChatModel, materialize_bundled_model
from prreview.llm.server import ServerConfig, serve_in_thread

ROOT = Path(__file__).parents[1]
MODEL_DIR = ROOT / "data" / "06_models" / "smollm2-135m-instruct"
COMMENTS = [
    "This holds the lock across the await; move the fetch out of the critical section.",
    "Off by one: range(len(items) - 1) skips the last element.",
    "BigDecimal.equals compares scale too; use compareTo for money amounts.",
    "The effect reads onClose from a stale closure; add it to the dependency list.",
    "Concatenating order_by into the SQL string allows injection; whitelist columns.",
    "The retry loop never sleeps after the last attempt fails, so it spins.",
    "next() is not awaited, so errors from later middleware are unhandled.",
    "The cache grows without bound; cap it or use an LRU.",
]


def requests(count: int, max_tokens: int) -> list[ChatRequest]:
    return [
        ChatRequest(
            messages=[
                {"role": "system", "content": "Rewrite the review comment concisely."},
                {"role": "user", "content": COMMENTS[index % len(COMMENTS)]},
            ],
            max_tokens=max_tokens,
        )
        for index in range(count)
    ]


def timed(
    base_url: str, batch: list[ChatRequest], concurrency: int
) -> tuple[float, int]:
    client = ChatClient(
        base_url, None, "SmolLM2-135M-Instruct", concurrency=concurrency
    )
    started = time.perf_counter()
    results = client.complete_many_sync(batch, concurrency=concurrency)
    seconds = time.perf_counter() - started
    client.close()
    return seconds, sum(result.completion_tokens for result in results)


def measure(count: int, max_tokens: int) -> str:
    started = time.perf_counter()
    folder = materialize_bundled_model(MODEL_DIR)
    materialize_s = time.perf_counter() - started
    model = LocalChatModel(folder, max_batch_size=8)
    with serve_in_thread(ServerConfig(backend=model)) as server:
        timed(server.base_url, requests(2, 4), 2)  # warm up
        alone_s, alone_tokens = timed(server.base_url, requests(count, max_tokens), 1)
        together_s, together_tokens = timed(
            server.base_url, requests(count, max_tokens), count
        )
        batches = server.stats.as_dict()
    alone_rate = alone_tokens / alone_s
    together_rate = together_tokens / together_s
    return "\n".join(
        [
            f"{count} chat requests of up to {max_tokens} new tokens, greedy, through "
            "the local endpoint and `ChatClient` on 2 CPU cores (no response cache). "
            f"Materializing the GGUF took {materialize_s:.1f} s on this run "
            "(0 s once the folder exists).",
            "",
            "| client concurrency | seconds | completion tokens | tokens/s "
            "| vs one at a time |",
            "|---:|---:|---:|---:|---:|",
            f"| 1 (baseline) | {alone_s:.1f} | {alone_tokens} | {alone_rate:.1f} "
            "| 1.00x |",
            f"| {count} (micro-batched) | {together_s:.1f} | {together_tokens} | "
            f"{together_rate:.1f} | {together_rate / alone_rate:.2f}x |",
            "",
            f"Server batches in this run: {batches.get('batches')}.",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=8)
    parser.add_argument("--max-tokens", type=int, default=48)
    parser.add_argument("--write", type=Path, default=None)
    args = parser.parse_args()
    body = measure(args.requests, args.max_tokens)
    print(body)
    if args.write:
        write_section(
            args.write,
            "llm_batching",
            "Summarize: the local LLM endpoint (`benchmarks/llm_batching.py`)",
            body,
        )


if __name__ == "__main__":
    main()
