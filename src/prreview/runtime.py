"""Run a coroutine to completion from synchronous code,
even inside a running event loop.

Kedro nodes are synchronous (``--async`` only threads dataset I/O), and notebooks
already run a loop; a fresh loop in a worker thread serves both.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

T = TypeVar("T")


def run_async(make_coroutine: Callable[[], Awaitable[T]]) -> T:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(_await(make_coroutine))
    result: dict[str, Any] = {}

    def target() -> None:
        try:
            result["value"] = asyncio.run(_await(make_coroutine))
        except BaseException as error:  # re-raised in the caller's thread
            result["error"] = error

    worker = threading.Thread(target=target, name="prreview-async")
    worker.start()
    worker.join()
    if "error" in result:
        raise result["error"]
    return result["value"]


async def _await(make_coroutine: Callable[[], Awaitable[T]]) -> T:
    return await make_coroutine()
