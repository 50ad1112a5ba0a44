"""A scripted HTTP server on 127.0.0.1 for client tests: each route plays a list of
steps (a status, a dropped connection, a truncated body, a hang), the last step
repeating.

The snapshot server (prreview.github.server) covers GitHub's behaviour as a whole; this
one pins exact sequences ("502, then 200") that a client test needs to assert on.
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class Step:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    action: str = "respond"  # respond | drop | truncate | hang
    delay_s: float = 0.0

    def payload(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body).encode()


def ok(body: Any, **headers: str) -> Step:
    return Step(200, body, dict(headers))


def status(code: int, message: str = "", **headers: str) -> Step:
    return Step(code, {"message": message}, dict(headers))


@dataclass
class Seen:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes


class ScriptedServer:
    def __init__(self) -> None:
        self.routes: dict[str, list[Step]] = defaultdict(list)
        self.seen: list[Seen] = []
        self.url = ""
        self._runner: web.AppRunner | None = None

    def script(self, method: str, path: str, *steps: Step) -> None:
        self.routes[f"{method} {path}"].extend(steps)

    def hits(self, path: str) -> int:
        return sum(1 for seen in self.seen if seen.path == path)

    async def __aenter__(self) -> ScriptedServer:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._runner is not None
        await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        self.seen.append(
            Seen(
                request.method,
                request.path,
                request.query_string,
                dict(request.headers),
                body,
            )
        )
        steps = self.routes.get(f"{request.method} {request.path}")
        if not steps:
            return web.json_response({"message": "Not Found"}, status=404)
        step = steps.pop(0) if len(steps) > 1 else steps[0]
        if step.delay_s or step.action == "hang":
            await asyncio.sleep(step.delay_s or 3600)
        payload = step.payload()
        if step.action == "drop":
            assert request.transport is not None
            request.transport.abort()
            return web.Response(status=500)
        if step.action == "truncate":
            response = web.StreamResponse(status=step.status, headers=step.headers)
            response.content_length = len(payload) + 100
            await response.prepare(request)
            await response.write(payload[: len(payload) // 2])
            assert request.transport is not None
            request.transport.close()
            return response
        headers = {"Content-Type": "application/json", **step.headers}
        return web.Response(status=step.status, body=payload, headers=headers)
