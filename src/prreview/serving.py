"""Run a local aiohttp server (the GitHub snapshot server, the LLM endpoint) on its own
event loop in a daemon thread, bound to loopback only.

Both servers stand in for real services in the default run and in tests; neither has
real security, so neither may listen beyond this machine.
"""

from __future__ import annotations

import asyncio
import ipaddress
import signal
import socket
import sys
import threading
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Generic, Protocol, Self, TypeVar

from aiohttp import web


def ensure_loopback(host: str) -> None:
    """Refuse anything but a loopback address (names are resolved first)."""
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        except socket.gaierror as exc:
            raise ValueError(f"cannot resolve host {host!r}: {exc}") from exc
        addresses = [
            ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos
        ]
    if not addresses or not all(address.is_loopback for address in addresses):
        raise ValueError(f"refusing to bind to non-loopback address {host!r}")


async def start_site(
    app: web.Application, host: str, port: int, shutdown_timeout_s: float
) -> tuple[web.AppRunner, str]:
    """Serve ``app`` on a loopback address; the runner and ``http://host:port``."""
    ensure_loopback(host)
    runner = web.AppRunner(app, shutdown_timeout=shutdown_timeout_s, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    try:
        await site.start()
    except BaseException:
        await runner.cleanup()
        raise
    bound_host, bound_port = runner.addresses[0][:2]
    if ":" in bound_host:
        bound_host = f"[{bound_host}]"
    return runner, f"http://{bound_host}:{bound_port}"


class Closable(Protocol):
    async def close(self) -> None: ...


StartedT = TypeVar("StartedT", bound=Closable)


class ServerThread(Generic[StartedT]):
    """Starts ``start()`` on a fresh loop in a daemon thread; ``stop()`` closes it.

    A context manager; startup errors are raised in the thread that called
    :meth:`start`.
    """

    def __init__(self, start: Callable[[], Awaitable[StartedT]], name: str) -> None:
        self._start = start
        self._name = name
        self._loop = asyncio.new_event_loop()
        self._started: StartedT | None = None
        self._error: BaseException | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._started = self._loop.run_until_complete(self._start())
        except BaseException as exc:  # reported to the starting thread
            self._error = exc
            self._ready.set()
            self._loop.close()
            return
        self._ready.set()
        try:
            self._loop.run_forever()
        finally:
            self._loop.run_until_complete(self._started.close())
            self._loop.close()

    def start(self, timeout: float = 30.0) -> Self:
        self._thread.start()
        if not self._ready.wait(timeout):
            raise TimeoutError(f"{self._name} did not start in time")
        if self._error is not None:
            raise self._error
        return self

    @property
    def started(self) -> StartedT:
        if self._started is None:
            raise RuntimeError(f"{self._name} is not running")
        return self._started

    def stop(self, timeout: float = 10.0) -> None:
        """Stop serving and join the thread (idempotent)."""
        if self._thread.is_alive() and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class Addressed(Closable, Protocol):
    @property
    def base_url(self) -> str: ...


async def serve_until_signalled(start: Callable[[], Awaitable[Addressed]]) -> None:
    """For ``python -m ...server``: start, print the base URL as the first stdout
    line (the contract with whoever started the process), serve until SIGTERM/SIGINT."""
    server = await start()
    sys.stdout.write(f"{server.base_url}\n")
    sys.stdout.flush()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await server.close()
