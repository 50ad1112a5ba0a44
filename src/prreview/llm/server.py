"""A local OpenAI-compatible chat server (non-streaming) over a generation backend.

It lets the offline run, the tests and the benchmarks use the very client code that
talks to OpenAI, vLLM, llama.cpp or ollama in production. Requests that arrive within
a short window are generated together (a micro-batcher), because a CPU model answers
eight prompts in a batch about five times faster than one after another. On demand it
injects the failures a client must survive (429 with Retry-After, 500, 503, slow
answers, dropped connections). It only ever binds to loopback addresses.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import logging
import random
import secrets
import sys
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from aiohttp import web

from prreview.llm.local_model import (
    BUNDLED_MODEL_NAME,
    BatchGenerator,
    ContextLengthError,
    GenerationParams,
    GenerationResult,
)
from prreview.serving import (
    ServerThread,
    serve_until_signalled,
    start_site,
)

logger = logging.getLogger(__name__)

ROLES = ("system", "user", "assistant")
MAX_STOP_SEQUENCES = 4
# Accepted for compatibility and ignored: they do not change a greedy local answer.
_IGNORED_PARAMS = frozenset(
    {
        "frequency_penalty",
        "presence_penalty",
        "logit_bias",
        "user",
        "metadata",
        "store",
        "service_tier",
        "parallel_tool_calls",
        "logprobs",
    }
)
_KNOWN_PARAMS = frozenset(
    {
        "model",
        "messages",
        "n",
        "max_tokens",
        "max_completion_tokens",
        "temperature",
        "top_p",
        "stop",
        "seed",
        "stream",
    }
)


# --------------------------------------------------------------------------- config


class FaultKind(StrEnum):
    """Failures the server can inject, one per request at most."""

    RATE_LIMIT_429 = "rate_limit_429"
    SERVER_ERROR_500 = "server_error_500"
    UNAVAILABLE_503 = "unavailable_503"
    SLOW = "slow"
    DROP_CONNECTION = "drop_connection"
    MALFORMED_JSON = "malformed_json"


def _kind(value: FaultKind | str) -> FaultKind:
    try:
        return FaultKind(value)
    except ValueError:
        known = ", ".join(k.value for k in FaultKind)
        raise ValueError(f"unknown fault kind {value!r} (known: {known})") from None


@dataclass(frozen=True)
class FaultConfig:
    """Which failures to inject on chat completions, reproducibly.

    ``rates`` gives each kind a probability per request, drawn from a generator
    seeded with ``seed``. ``schedule`` maps the 1-based index of a chat request to a
    kind and wins over ``rates`` (for tests). ``max_faults`` caps the total.
    """

    rates: Mapping[FaultKind | str, float] = field(default_factory=dict)
    seed: int = 0
    schedule: Mapping[int, FaultKind | str] = field(default_factory=dict)
    max_faults: int | None = None
    retry_after_s: float = 1.0
    slow_delay_s: float = 0.5

    def __post_init__(self) -> None:
        rates = {_kind(k): float(v) for k, v in self.rates.items()}
        if any(not 0.0 <= r <= 1.0 for r in rates.values()):
            raise ValueError("fault rates must be in [0, 1]")
        if sum(rates.values()) > 1.0 + 1e-9:
            raise ValueError("fault rates must add up to at most 1")
        object.__setattr__(self, "rates", rates)
        schedule = {int(i): _kind(k) for i, k in self.schedule.items()}
        object.__setattr__(self, "schedule", schedule)
        if self.retry_after_s < 0 or self.slow_delay_s < 0:
            raise ValueError("fault delays must not be negative")


@dataclass(frozen=True)
class ServerConfig:
    """Everything the server needs. Port 0 picks a free port.

    ``model_name`` is the only model id served (404 for others). ``api_key`` set means
    every request needs ``Authorization: Bearer <key>``. Requests arriving within
    ``batch_window_s`` of the first queued one share a ``generate`` call of at most
    ``max_batch_size`` chats; ``parallel_batches`` calls may run at once (a backend
    that is not one local model, or one standing in for a remote API's latency).
    """

    backend: BatchGenerator
    model_name: str = BUNDLED_MODEL_NAME
    host: str = "127.0.0.1"
    port: int = 0
    api_key: str | None = None
    batch_window_s: float = 0.02
    max_batch_size: int = 8
    parallel_batches: int = 1  # >1 for backends that are not one local model
    default_max_tokens: int = 256
    max_tokens_limit: int = 4096
    faults: FaultConfig = field(default_factory=FaultConfig)  # a dict works too
    shutdown_timeout_s: float = 1.0

    def __post_init__(self) -> None:
        if isinstance(self.faults, Mapping):  # from YAML
            object.__setattr__(self, "faults", FaultConfig(**self.faults))
        if self.max_batch_size < 1:
            raise ValueError("max_batch_size must be at least 1")
        if self.parallel_batches < 1:
            raise ValueError("parallel_batches must be at least 1")
        if self.batch_window_s < 0:
            raise ValueError("batch_window_s must not be negative")

    def __repr__(self) -> str:  # keeps the key out of logs and tracebacks
        key = "***" if self.api_key else None
        return f"ServerConfig(model_name={self.model_name!r}, port={self.port}, " + (
            f"api_key={key!r}, max_batch_size={self.max_batch_size})"
        )


# --------------------------------------------------------------------------- stats


class ServerStats:
    """Counters the tests and benchmarks read; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._statuses: Counter[int] = Counter()
        self._faults: Counter[str] = Counter()
        self._batch_sizes: list[int] = []
        self.requests = 0
        self.prompt_tokens = 0
        self.completion_tokens = 0
        self.generate_s = 0.0

    def record_request(self) -> None:
        with self._lock:
            self.requests += 1

    def record_status(self, status: int) -> None:
        with self._lock:
            self._statuses[status] += 1

    def record_fault(self, kind: FaultKind) -> None:
        with self._lock:
            self._faults[kind.value] += 1

    def record_batch(self, results: Sequence[GenerationResult], seconds: float) -> None:
        with self._lock:
            self._batch_sizes.append(len(results))
            self.prompt_tokens += sum(r.prompt_tokens for r in results)
            self.completion_tokens += sum(r.completion_tokens for r in results)
            self.generate_s += seconds

    @property
    def faults(self) -> dict[str, int]:
        with self._lock:
            return dict(self._faults)

    @property
    def statuses(self) -> dict[int, int]:
        with self._lock:
            return dict(self._statuses)

    @property
    def batches(self) -> int:
        with self._lock:
            return len(self._batch_sizes)

    @property
    def batch_sizes(self) -> list[int]:
        with self._lock:
            return list(self._batch_sizes)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready copy (what GET /_stats returns)."""
        with self._lock:
            return {
                "requests": self.requests,
                "statuses": {str(k): v for k, v in sorted(self._statuses.items())},
                "faults": dict(sorted(self._faults.items())),
                "faults_total": sum(self._faults.values()),
                "batches": len(self._batch_sizes),
                "batched_requests": sum(self._batch_sizes),
                "max_batch": max(self._batch_sizes, default=0),
                "prompt_tokens": self.prompt_tokens,
                "completion_tokens": self.completion_tokens,
                "generate_s": round(self.generate_s, 3),
            }


# ------------------------------------------------------------------------- errors


class ApiError(Exception):
    """An answer in OpenAI's error shape."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type_: str = "invalid_request_error",
        param: str | None = None,
        code: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type_
        self.param = param
        self.code = code
        self.headers = dict(headers or {})

    def response(self) -> web.Response:
        body = {
            "error": {
                "message": self.message,
                "type": self.type,
                "param": self.param,
                "code": self.code,
            }
        }
        return web.json_response(body, status=self.status, headers=self.headers)


def _invalid(message: str, param: str | None, code: str | None) -> ApiError:
    return ApiError(400, message, param=param, code=code)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# ------------------------------------------------------------------- validation


@dataclass(frozen=True)
class ChatCall:
    """A validated chat-completion request."""

    model: str
    messages: tuple[dict[str, str], ...]
    params: GenerationParams


def _validate_messages(raw: Any) -> tuple[dict[str, str], ...]:
    if raw is None:
        raise _invalid(
            "Missing required parameter: 'messages'.",
            "messages",
            "missing_required_parameter",
        )
    if not isinstance(raw, list):
        raise _invalid(
            "Invalid type for 'messages': expected an array.",
            "messages",
            "invalid_type",
        )
    if not raw:
        raise _invalid(
            "Invalid 'messages': empty array. Expected an array with minimum length "
            "1, but got an empty array instead.",
            "messages",
            "empty_array",
        )
    messages = []
    for i, message in enumerate(raw):
        where = f"messages[{i}]"
        if not isinstance(message, dict):
            raise _invalid(
                f"Invalid type for '{where}': expected an object.",
                where,
                "invalid_type",
            )
        for key in ("role", "content"):
            if key not in message:
                raise _invalid(
                    f"Missing required parameter: '{where}.{key}'.",
                    f"{where}.{key}",
                    "missing_required_parameter",
                )
        role, content = message["role"], message["content"]
        if role not in ROLES:
            supported = ", ".join(f"'{r}'" for r in ROLES)
            raise _invalid(
                f"Invalid value: '{role}'. Supported values are: {supported}.",
                f"{where}.role",
                "invalid_value",
            )
        if not isinstance(content, str):
            raise _invalid(
                f"Invalid type for '{where}.content': expected a string.",
                f"{where}.content",
                "invalid_type",
            )
        messages.append({"role": role, "content": content})
    return tuple(messages)


def _number_in(body: dict[str, Any], name: str, low: float, high: float) -> float:
    value = body[name]
    if not _is_number(value):
        raise _invalid(
            f"Invalid type for '{name}': expected a number.", name, "invalid_type"
        )
    if not low <= value <= high:
        raise _invalid(
            f"Invalid '{name}': {value} is not within [{low}, {high}].",
            name,
            "invalid_value",
        )
    return float(value)


def _validate_stop(raw: Any) -> tuple[str, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        return (raw,)
    if (
        isinstance(raw, list)
        and len(raw) <= MAX_STOP_SEQUENCES
        and all(isinstance(s, str) for s in raw)
    ):
        return tuple(raw)
    raise _invalid(
        "Invalid 'stop': expected a string or an array of at most "
        f"{MAX_STOP_SEQUENCES} strings.",
        "stop",
        "invalid_value",
    )


def _validate_max_tokens(body: dict[str, Any], config: ServerConfig) -> int:
    name = "max_completion_tokens" if "max_completion_tokens" in body else "max_tokens"
    value = body.get(name)
    if value is None:
        return config.default_max_tokens
    if not _is_int(value):
        raise _invalid(
            f"Invalid type for '{name}': expected an integer.", name, "invalid_type"
        )
    if value < 1:
        raise _invalid(
            f"Invalid '{name}': integer below minimum value. Expected a value >= 1, "
            f"but got {value} instead.",
            name,
            "integer_below_min_value",
        )
    if value > config.max_tokens_limit:
        raise _invalid(
            f"max_tokens is too large: {value}. This model supports at most "
            f"{config.max_tokens_limit} completion tokens.",
            name,
            "invalid_value",
        )
    return int(value)


def validate_chat_request(body: Any, config: ServerConfig) -> ChatCall:
    """Check a request body the way OpenAI does, raising :class:`ApiError` (400/404)."""
    if not isinstance(body, dict):
        raise _invalid("The request body must be a JSON object.", None, None)
    unknown = sorted(set(body) - _KNOWN_PARAMS - _IGNORED_PARAMS)
    if unknown:
        raise _invalid(
            f"Unrecognized request argument supplied: {unknown[0]}", None, None
        )
    model = body.get("model")
    if model is None:
        raise _invalid("you must provide a model parameter", None, None)
    if not isinstance(model, str):
        raise _invalid(
            "Invalid type for 'model': expected a string.", "model", "invalid_type"
        )
    messages = _validate_messages(body.get("messages"))
    if model != config.model_name:
        raise ApiError(
            404,
            f"The model `{model}` does not exist or you do not have access to it.",
            code="model_not_found",
        )
    n = body.get("n")
    if n is not None and (not _is_int(n) or n != 1):
        raise _invalid(
            "Invalid 'n': only n=1 is supported by this server.", "n", "invalid_value"
        )
    if body.get("stream"):
        raise _invalid(
            "Streaming is not supported by this server; set 'stream' to false.",
            "stream",
            "unsupported_value",
        )
    seed = body.get("seed")
    if seed is not None and not _is_int(seed):
        raise _invalid(
            "Invalid type for 'seed': expected an integer.", "seed", "invalid_type"
        )
    temperature = (
        _number_in(body, "temperature", 0.0, 2.0)
        if body.get("temperature") is not None
        else 0.0
    )
    top_p = _number_in(body, "top_p", 0.0, 1.0) if body.get("top_p") is not None else 1
    return ChatCall(
        model=model,
        messages=messages,
        params=GenerationParams(
            max_tokens=_validate_max_tokens(body, config),
            temperature=temperature,
            top_p=max(top_p, 1e-6),
            stop=_validate_stop(body.get("stop")),
            seed=seed,
        ),
    )


# ------------------------------------------------------------------ micro-batcher


@dataclass
class _Pending:
    messages: tuple[dict[str, str], ...]
    params: GenerationParams
    future: asyncio.Future[GenerationResult]


class MicroBatcher:
    """Collects requests for ``window_s`` after the first one (or until the batch is
    full) and generates them in one backend call on a worker thread.

    ``parallel`` batches run at a time (1 for a local model, which already uses every
    core); requests that arrive meanwhile form the next batch, so under load batches
    fill up without any window at all.
    """

    def __init__(
        self,
        backend: BatchGenerator,
        *,
        window_s: float,
        max_batch_size: int,
        stats: ServerStats,
        parallel: int = 1,
    ) -> None:
        self._backend = backend
        self._window_s = window_s
        self._max = max_batch_size
        self._stats = stats
        self._parallel = parallel
        self._queue: asyncio.Queue[_Pending] = asyncio.Queue()
        self._executor = ThreadPoolExecutor(parallel, thread_name_prefix="llm-generate")
        self._worker: asyncio.Task[None] | None = None
        self._running: set[asyncio.Task[None]] = set()

    async def submit(
        self, messages: tuple[dict[str, str], ...], params: GenerationParams
    ) -> GenerationResult:
        if self._worker is None:
            self._worker = asyncio.get_running_loop().create_task(self._run())
        future: asyncio.Future[GenerationResult] = (
            asyncio.get_running_loop().create_future()
        )
        await self._queue.put(_Pending(messages, params, future))
        return await future

    async def close(self) -> None:
        for task in [self._worker, *self._running]:
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._executor.shutdown(wait=False, cancel_futures=True)

    async def _collect(self) -> list[_Pending]:
        batch = [await self._queue.get()]
        deadline = asyncio.get_running_loop().time() + self._window_s
        while len(batch) < self._max:
            if not self._queue.empty():
                batch.append(self._queue.get_nowait())
                continue
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                break
            try:
                batch.append(await asyncio.wait_for(self._queue.get(), left))
            except TimeoutError:
                break
        return [p for p in batch if not p.future.done()]  # drop abandoned requests

    async def _run(self) -> None:
        slots = asyncio.Semaphore(self._parallel)
        while True:
            await slots.acquire()
            batch = await self._collect()
            if not batch:
                slots.release()
                continue
            task = asyncio.get_running_loop().create_task(self._process(batch))
            self._running.add(task)
            task.add_done_callback(self._running.discard)
            task.add_done_callback(lambda _: slots.release())

    async def _process(self, batch: list[_Pending]) -> None:
        loop = asyncio.get_running_loop()
        try:
            results = await loop.run_in_executor(self._executor, self._generate, batch)
        except Exception as exc:  # retried one by one below
            if len(batch) == 1:
                _settle(batch[0].future, exc)
                return
            logger.warning("Batch of %d failed (%s); retrying singly", len(batch), exc)
            for pending in batch:
                try:
                    (single,) = await loop.run_in_executor(
                        self._executor, self._generate, [pending]
                    )
                except Exception as one_exc:  # sent to its caller
                    _settle(pending.future, one_exc)
                else:
                    _settle(pending.future, single)
            return
        for pending, result in zip(batch, results):
            _settle(pending.future, result)

    def _generate(self, batch: list[_Pending]) -> list[GenerationResult]:
        started = time.perf_counter()
        results = self._backend.generate(
            [p.messages for p in batch], [p.params for p in batch]
        )
        if len(results) != len(batch):
            raise RuntimeError("backend returned a different number of results")
        seconds = time.perf_counter() - started
        self._stats.record_batch(results, seconds)
        logger.debug("Generated a batch of %d in %.2f s", len(batch), seconds)
        return results


def _settle(
    future: asyncio.Future[GenerationResult], outcome: GenerationResult | BaseException
) -> None:
    if future.done():
        return
    if isinstance(outcome, BaseException):
        future.set_exception(outcome)
    else:
        future.set_result(outcome)


# ----------------------------------------------------------------------- the app


class ServerState:
    """Per-app state: config, stats, batcher and the fault generator."""

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self.stats = ServerStats()
        self.batcher: MicroBatcher | None = None
        self.base_url = ""
        self.closing = asyncio.Event()
        self._random = random.Random(config.faults.seed)
        self._chat_index = itertools.count(1)
        self._faults_done = 0
        self._lock = threading.Lock()

    def next_fault(self) -> FaultKind | None:
        """The fault for the next chat request, if any (schedule, then rates)."""
        cfg = self.config.faults
        with self._lock:
            index = next(self._chat_index)
            if cfg.max_faults is not None and self._faults_done >= cfg.max_faults:
                return None
            fault = cfg.schedule.get(index)
            if fault is None and cfg.rates:
                draw = self._random.random()
                for kind, rate in cfg.rates.items():
                    if draw < rate:
                        fault = kind
                        break
                    draw -= rate
            if fault is not None:
                self._faults_done += 1
            return fault


_STATE = web.AppKey("llm_state", ServerState)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _state(request: web.Request) -> ServerState:
    return request.app[_STATE]


class _Dropped(web.Response):
    """Stands for an answer that never went out: the connection was closed."""


def _drop(request: web.Request) -> web.Response:
    if request.transport is not None:
        request.transport.abort()
    return _Dropped(status=204)


def _check_auth(request: web.Request, config: ServerConfig) -> None:
    if config.api_key is None:
        return
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if not header:
        raise ApiError(
            401,
            "You didn't provide an API key. You need to provide your API key in an "
            "Authorization header using Bearer auth (i.e. Authorization: Bearer "
            "YOUR_KEY).",
        )
    if scheme.lower() != "bearer" or not secrets.compare_digest(
        token.strip().encode(), config.api_key.encode()
    ):
        raise ApiError(401, "Incorrect API key provided.", code="invalid_api_key")


@web.middleware
async def openai_middleware(
    request: web.Request, handler: Handler
) -> web.StreamResponse:
    """Auth, OpenAI-shaped errors and status counting for every route."""
    state = _state(request)
    try:
        if not request.path.startswith("/_"):
            _check_auth(request, state.config)
        response = await handler(request)
    except ApiError as error:
        response = error.response()
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        response = ApiError(
            exc.status,
            f"Invalid URL ({request.method} {request.path})"
            if exc.status == 404
            else exc.reason,
        ).response()
    if not isinstance(response, _Dropped):
        state.stats.record_status(response.status)
    return response


async def _inject(request: web.Request, state: ServerState) -> web.Response | None:
    """Apply this request's fault; None lets it go on (possibly late)."""
    fault = state.next_fault()
    if fault is None:
        return None
    cfg = state.config.faults
    state.stats.record_fault(fault)
    logger.info("Injecting %s", fault.value)
    retry = {
        "Retry-After": str(max(0, round(cfg.retry_after_s))),
        "retry-after-ms": str(int(cfg.retry_after_s * 1000)),
    }
    if fault is FaultKind.SLOW:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(state.closing.wait(), cfg.slow_delay_s)
        return None
    if fault is FaultKind.DROP_CONNECTION:
        return _drop(request)
    if fault is FaultKind.MALFORMED_JSON:  # a 200 whose body was cut off
        return web.Response(
            status=200,
            text='{"id": "chatcmpl-cut", "object": "chat.completion", "choi',
            content_type="application/json",
        )
    errors = {
        FaultKind.RATE_LIMIT_429: ApiError(
            429,
            "Rate limit reached for requests. Please try again later.",
            type_="requests",
            code="rate_limit_exceeded",
            headers=retry,
        ),
        FaultKind.SERVER_ERROR_500: ApiError(
            500,
            "The server had an error while processing your request. Sorry about that!",
            type_="server_error",
        ),
        FaultKind.UNAVAILABLE_503: ApiError(
            503,
            "The engine is currently overloaded, please try again later.",
            type_="server_error",
            headers=retry,
        ),
    }
    raise errors[fault]


async def handle_chat_completions(request: web.Request) -> web.StreamResponse:
    state = _state(request)
    state.stats.record_request()
    dropped = await _inject(request, state)
    if dropped is not None:
        return dropped
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ApiError(
            400,
            "We could not parse the JSON body of your request. (HINT: This likely "
            "means you aren't using your HTTP library correctly.)",
        ) from None
    call = validate_chat_request(body, state.config)
    if state.batcher is None:
        raise ApiError(503, "The server is shutting down.", type_="server_error")
    try:
        result = await state.batcher.submit(call.messages, call.params)
    except ContextLengthError as exc:
        raise ApiError(
            400, str(exc), param="messages", code="context_length_exceeded"
        ) from None
    except Exception:
        logger.exception("Generation failed")
        raise ApiError(
            500,
            "The server had an error while processing your request.",
            type_="server_error",
        ) from None
    completion_id = f"chatcmpl-{secrets.token_hex(12)}"
    answer = {
        "id": completion_id,
        "object": "chat.completion",
        "created": int(time.time()),
        "model": state.config.model_name,
        "system_fingerprint": "fp_prreview_local",
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": result.text,
                    "refusal": None,
                },
                "logprobs": None,
                "finish_reason": result.finish_reason,
            }
        ],
        "usage": {
            "prompt_tokens": result.prompt_tokens,
            "completion_tokens": result.completion_tokens,
            "total_tokens": result.prompt_tokens + result.completion_tokens,
        },
    }
    return web.json_response(answer, headers={"x-request-id": completion_id})


def _model_card(state: ServerState) -> dict[str, Any]:
    return {
        "id": state.config.model_name,
        "object": "model",
        "created": 0,
        "owned_by": "prreview",
    }


async def handle_models(request: web.Request) -> web.Response:
    return web.json_response({"object": "list", "data": [_model_card(_state(request))]})


async def handle_model(request: web.Request) -> web.Response:
    state = _state(request)
    name = request.match_info["model"]
    if name != state.config.model_name:
        raise ApiError(
            404,
            f"The model '{name}' does not exist",
            param="model",
            code="model_not_found",
        )
    return web.json_response(_model_card(state))


async def handle_stats(request: web.Request) -> web.Response:
    return web.json_response(_state(request).stats.as_dict())


def create_app(config: ServerConfig) -> web.Application:
    """The aiohttp application (no socket yet)."""
    app = web.Application(middlewares=[openai_middleware])
    state = ServerState(config)
    app[_STATE] = state

    async def on_startup(_app: web.Application) -> None:
        state.batcher = MicroBatcher(
            config.backend,
            window_s=config.batch_window_s,
            max_batch_size=config.max_batch_size,
            stats=state.stats,
            parallel=config.parallel_batches,
        )

    async def on_shutdown(_app: web.Application) -> None:
        state.closing.set()
        if state.batcher is not None:
            await state.batcher.close()
            state.batcher = None

    app.on_startup.append(on_startup)
    app.on_shutdown.append(on_shutdown)
    app.router.add_post("/v1/chat/completions", handle_chat_completions)
    app.router.add_get("/v1/models", handle_models)
    app.router.add_get("/v1/models/{model}", handle_model)
    app.router.add_get("/_stats", handle_stats)
    return app


# ------------------------------------------------------------------ running it


@dataclass
class StartedServer:
    """A server running on the caller's event loop (see :func:`start_server`)."""

    runner: web.AppRunner
    state: ServerState

    @property
    def base_url(self) -> str:
        return self.state.base_url

    @property
    def stats(self) -> ServerStats:
        return self.state.stats

    async def close(self) -> None:
        self.state.closing.set()
        await self.runner.cleanup()


async def start_server(config: ServerConfig) -> StartedServer:
    """Start the server on the running event loop (loopback only)."""
    app = create_app(config)
    runner, base_url = await start_site(
        app, config.host, config.port, config.shutdown_timeout_s
    )
    state = app[_STATE]
    state.base_url = f"{base_url}/v1"
    logger.info("OpenAI-compatible server on %s", state.base_url)
    return StartedServer(runner=runner, state=state)


class RunningServer(ServerThread["StartedServer"]):
    """A server on its own event loop in a daemon thread; a context manager."""

    def __init__(self, config: ServerConfig) -> None:
        super().__init__(lambda: start_server(config), "llm-local-server")
        self.config = config

    @property
    def base_url(self) -> str:
        """Like ``http://127.0.0.1:PORT/v1``: what an OpenAI client takes."""
        return self.started.base_url

    @property
    def stats(self) -> ServerStats:
        return self.started.stats


def serve_in_thread(config: ServerConfig) -> RunningServer:
    """Start a server in a daemon thread and return once it accepts connections."""
    return RunningServer(config).start()


# --------------------------------------------------------------------------- CLI


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m prreview.llm.server",
        description="Serve a local transformers chat model over OpenAI's chat API.",
    )
    p.add_argument("--model-dir", required=True, type=Path, help="model folder")
    p.add_argument(
        "--materialize",
        action="store_true",
        help="first convert the bundled GGUF into --model-dir (skipped when done)",
    )
    p.add_argument("--model-name", default=BUNDLED_MODEL_NAME)
    p.add_argument("--host", default="127.0.0.1", help="loopback address to bind")
    p.add_argument("--port", type=int, default=0, help="port (0: a free one)")
    p.add_argument(
        "--api-key-env",
        default=None,
        help="environment variable holding the only accepted key (none: no auth)",
    )
    p.add_argument("--batch-window-ms", type=float, default=20.0)
    p.add_argument("--max-batch-size", type=int, default=8)
    p.add_argument("--fault", action="append", default=[], metavar="KIND=RATE")
    p.add_argument("--fault-seed", type=int, default=0)
    p.add_argument("--retry-after", type=float, default=1.0)
    p.add_argument("--log-level", default="INFO")
    return p.parse_args(argv)


def config_from_args(args: argparse.Namespace) -> ServerConfig:
    """Load the model and build a :class:`ServerConfig` from the command line."""
    import os  # noqa: PLC0415

    from prreview.llm.local_model import (  # noqa: PLC0415
        LocalChatModel,
        materialize_bundled_model,
    )

    rates: dict[FaultKind | str, float] = {}
    for spec in args.fault:
        kind, _, rate = spec.partition("=")
        rates[_kind(kind.strip())] = float(rate)
    api_key = None
    if args.api_key_env:
        api_key = os.environ.get(args.api_key_env)
        if not api_key:
            raise ValueError(f"environment variable {args.api_key_env} is not set")
    if args.materialize:
        materialize_bundled_model(args.model_dir)
    backend = LocalChatModel(
        args.model_dir, max_batch_size=args.max_batch_size, name=args.model_name
    )
    return ServerConfig(
        backend=backend,
        model_name=args.model_name,
        host=args.host,
        port=args.port,
        api_key=api_key,
        batch_window_s=args.batch_window_ms / 1000,
        max_batch_size=args.max_batch_size,
        faults=FaultConfig(
            rates=rates, seed=args.fault_seed, retry_after_s=args.retry_after
        ),
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        config = config_from_args(args)
        asyncio.run(serve_until_signalled(lambda: start_server(config)))
    except (ValueError, OSError) as exc:
        logger.error("%s", exc)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
