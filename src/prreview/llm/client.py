"""A retrying, caching client for any OpenAI-compatible chat endpoint.

It wraps the ``openai`` package's ``AsyncOpenAI`` with its own retries turned off, so
that every retry is counted by cause, logged and bounded here: 429 and 5xx answers,
timeouts and dropped connections are retried with exponential backoff and jitter,
honouring ``Retry-After``. Answers are kept in an SQLite cache keyed by the request,
so rerunning a pipeline costs no tokens. The API key is held in :class:`Secret`
and never logged or put into an exception message.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import random
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import httpx
import openai

from prreview.runtime import run_async
from prreview.secret import Secret

logger = logging.getLogger(__name__)

_RETRYABLE_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504})


# ------------------------------------------------------------------------- types


@dataclass(frozen=True)
class ChatRequest:
    """One chat completion to make; ``model`` falls back to the client's."""

    messages: Sequence[Mapping[str, str]]
    model: str | None = None
    max_tokens: int | None = None
    temperature: float | None = 0.0
    top_p: float | None = None
    stop: Sequence[str] | None = None
    seed: int | None = None

    def params(self) -> dict[str, Any]:
        """The optional request fields that are set (also part of the cache key)."""
        fields = {
            "max_tokens": self.max_tokens,
            "temperature": self.temperature,
            "top_p": self.top_p,
            "stop": list(self.stop) if self.stop is not None else None,
            "seed": self.seed,
        }
        return {k: v for k, v in fields.items() if v is not None}

    def key(self, default_model: str, backend: str) -> str:
        """The cache key of this request sent to ``backend``."""
        return cache_key(
            self.model or default_model,
            [dict(m) for m in self.messages],
            self.params(),
            backend=backend,
        )


@dataclass(frozen=True)
class ChatResult:
    """An answer; ``cached`` answers cost no request and no tokens this run."""

    text: str
    finish_reason: str
    prompt_tokens: int
    completion_tokens: int
    model: str
    cached: bool = False
    attempts: int = 1


@dataclass
class Usage:
    """What a client spent: requests, tokens, retries by cause, cache hits."""

    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cache_hits: int = 0
    failures: int = 0
    retries: Counter[str] = field(default_factory=Counter)

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def as_dict(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.total_tokens,
            "cache_hits": self.cache_hits,
            "failures": self.failures,
            "retries": dict(sorted(self.retries.items())),
        }


@dataclass(frozen=True)
class RetryPolicy:
    """Backoff is ``base_delay_s * 2**retry`` capped at ``max_delay_s``, times a random
    factor in ``[1, 1 + jitter]``; a server's Retry-After (capped at
    ``max_retry_after_s``) replaces it when longer."""

    max_retries: int = 5
    base_delay_s: float = 0.5
    max_delay_s: float = 30.0
    jitter: float = 0.25
    max_retry_after_s: float = 120.0

    def backoff(self, retry: int, rng: random.Random) -> float:
        delay = min(self.max_delay_s, self.base_delay_s * 2**retry)
        return delay * (1 + rng.uniform(0, self.jitter))


class ChatClientError(Exception):
    """A chat request failed; the message never holds the API key."""


class ChatRequestError(ChatClientError):
    """The server refused the request (4xx other than 408/409/429): not retried."""

    def __init__(self, message: str, status: int | None) -> None:
        super().__init__(message)
        self.status = status


class RetriesExhaustedError(ChatClientError):
    """Every attempt failed with a retryable error."""

    def __init__(self, message: str, *, attempts: int, last_cause: str) -> None:
        super().__init__(message)
        self.attempts = attempts
        self.last_cause = last_cause


# ------------------------------------------------------------------------- cache


_CACHED_FIELDS = (
    "text",
    "finish_reason",
    "prompt_tokens",
    "completion_tokens",
    "model",
)


class ResponseCache:
    """Answers by request key in one SQLite file; safe across threads."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False)
        with self._lock, self._db:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS responses ("
                "key TEXT PRIMARY KEY, response TEXT NOT NULL, created REAL NOT NULL)"
            )

    def get(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute(
                "SELECT response FROM responses WHERE key = ?", (key,)
            ).fetchone()
        return json.loads(row[0]) if row else None

    def put(self, key: str, response: Mapping[str, Any]) -> None:
        with self._lock, self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO responses VALUES (?, ?, ?)",
                (key, json.dumps(response, sort_keys=True), time.time()),
            )

    def result(self, key: str) -> ChatResult | None:
        """The cached answer as a result that cost nothing this run, if any."""
        hit = self.get(key)
        return None if hit is None else ChatResult(**hit, cached=True, attempts=0)

    def store(self, key: str, result: ChatResult) -> None:
        self.put(key, {name: getattr(result, name) for name in _CACHED_FIELDS})

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM responses").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()


def cache_key(
    model: str,
    messages: Sequence[Mapping[str, str]],
    params: dict,
    *,
    backend: str = "openai",
) -> str:
    """sha256 over the backend, the model, the messages and the sampling parameters:
    the same prompt answered by another backend or model is another answer."""
    payload = {
        "backend": backend,
        "model": model,
        "messages": [dict(m) for m in messages],
        "params": params,
    }
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()


# ------------------------------------------------------------------------ client


def _retry_after(exc: BaseException) -> float | None:
    response = getattr(exc, "response", None)
    if response is None:
        return None
    headers = response.headers
    try:
        if "retry-after-ms" in headers:
            return float(headers["retry-after-ms"]) / 1000
        value = headers.get("retry-after")
        if value is None:
            return None
        try:
            return float(value)
        except ValueError:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


class MalformedResponseError(ValueError):
    """A 200 answer without the fields of a chat completion."""


def _answer(response: Any) -> dict[str, Any]:
    """The fields kept of a completion; a body that lacks them is malformed."""
    try:
        choice = response.choices[0]
        usage = response.usage
        return {
            "text": choice.message.content or "",
            "finish_reason": str(choice.finish_reason),
            "prompt_tokens": int(usage.prompt_tokens) if usage else 0,
            "completion_tokens": int(usage.completion_tokens) if usage else 0,
            "model": str(response.model),
        }
    except (AttributeError, IndexError, TypeError, ValueError) as exc:
        raise MalformedResponseError(f"not a chat completion: {exc}") from None


def _cause(exc: BaseException) -> str | None:
    """A short retry cause, or None when the error is not worth retrying."""
    if isinstance(
        exc,
        json.JSONDecodeError
        | MalformedResponseError
        | openai.APIResponseValidationError,
    ):
        return "malformed_response"
    if isinstance(exc, openai.APITimeoutError):
        return "timeout"
    if isinstance(exc, openai.APIConnectionError):
        return "connection"
    if isinstance(exc, openai.APIStatusError):
        if exc.status_code in _RETRYABLE_STATUSES or exc.status_code >= 500:
            return f"http_{exc.status_code}"
        return None
    return None


class ChatClient:
    """Chat completions against one OpenAI-compatible base URL.

    Make one per endpoint and reuse it; each :meth:`complete_many` call opens its own
    HTTP connection pool on the running loop, so the sync wrapper works from any
    thread or loop.
    """

    name = "openai"

    def __init__(
        self,
        base_url: str | None,
        api_key: str | Secret | None,
        model: str,
        *,
        cache_path: str | Path | None = None,
        retry: RetryPolicy | None = None,
        timeout_s: float = 60.0,
        concurrency: int = 8,
        seed: int | None = None,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.base_url = base_url
        self.model = model
        self._api_key = api_key if isinstance(api_key, Secret) else None
        if isinstance(api_key, str):
            self._api_key = Secret(api_key)
        self.retry = retry or RetryPolicy()
        self.timeout_s = timeout_s
        self.concurrency = concurrency
        self.cache = ResponseCache(cache_path) if cache_path is not None else None
        self.usage = Usage()
        self._rng = random.Random(seed)
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return (
            f"ChatClient(base_url={self.base_url!r}, model={self.model!r}, "
            f"api_key={self._api_key!r})"
        )

    def _scrub(self, text: str) -> str:
        secret = self._api_key.get() if self._api_key else ""
        return text.replace(secret, "***") if secret else text

    def _openai(self) -> openai.AsyncOpenAI:
        key = self._api_key.get() if self._api_key else "not-needed"
        return openai.AsyncOpenAI(
            base_url=self.base_url,
            api_key=key,
            max_retries=0,  # retries happen (and are counted) here
            timeout=httpx.Timeout(self.timeout_s, connect=min(10.0, self.timeout_s)),
        )

    async def complete_each(
        self, requests: Sequence[ChatRequest], concurrency: int | None = None
    ) -> list[ChatResult | ChatClientError]:
        """Answer all ``requests`` in order, at most ``concurrency`` in flight; a
        request that fails for good gives its :class:`ChatClientError` in its place,
        so one bad item does not cost the others."""
        limit = asyncio.Semaphore(concurrency or self.concurrency)
        async with self._openai() as api:

            async def one(request: ChatRequest) -> ChatResult:
                async with limit:
                    return await self._complete(api, request)

            outcomes = await asyncio.gather(
                *(one(r) for r in requests), return_exceptions=True
            )
        for outcome in outcomes:
            if isinstance(outcome, BaseException) and not isinstance(
                outcome, ChatClientError
            ):
                raise outcome
        return list(outcomes)  # type: ignore[arg-type]

    async def complete_many(
        self, requests: Sequence[ChatRequest], concurrency: int | None = None
    ) -> list[ChatResult]:
        """Answer all ``requests`` in order, at most ``concurrency`` in flight.

        Raises the first :class:`ChatClientError` after the others have finished,
        so their answers are cached for the rerun.
        """
        outcomes = await self.complete_each(requests, concurrency)
        for outcome in outcomes:
            if isinstance(outcome, ChatClientError):
                raise outcome
        return outcomes  # type: ignore[return-value]

    async def complete(self, request: ChatRequest) -> ChatResult:
        (result,) = await self.complete_many([request])
        return result

    def complete_many_sync(
        self, requests: Sequence[ChatRequest], concurrency: int | None = None
    ) -> list[ChatResult]:
        """:meth:`complete_many` from synchronous code, even inside a running loop
        (a Kedro node, a notebook)."""
        return run_async(lambda: self.complete_many(requests, concurrency))

    def complete_each_sync(
        self, requests: Sequence[ChatRequest], concurrency: int | None = None
    ) -> list[ChatResult | ChatClientError]:
        """:meth:`complete_each` from synchronous code (the :class:`ChatBackend`
        call the summarizer makes)."""
        return run_async(lambda: self.complete_each(requests, concurrency))

    def close(self) -> None:
        if self.cache is not None:
            self.cache.close()

    async def _complete(
        self, api: openai.AsyncOpenAI, request: ChatRequest
    ) -> ChatResult:
        model = request.model or self.model
        messages = [dict(m) for m in request.messages]
        params = request.params()
        key = request.key(self.model, self.name)
        if self.cache is not None and (hit := self.cache.result(key)) is not None:
            with self._lock:
                self.usage.cache_hits += 1
            return hit
        attempt = 0
        while True:
            attempt += 1
            try:
                with self._lock:
                    self.usage.requests += 1
                response = await api.chat.completions.create(
                    model=model,
                    messages=messages,  # type: ignore[arg-type]
                    **params,
                )
                answer = _answer(response)
            except (
                openai.APIError,
                json.JSONDecodeError,
                MalformedResponseError,
            ) as exc:
                cause = _cause(exc)
                status = getattr(exc, "status_code", None)
                if cause is None:
                    with self._lock:
                        self.usage.failures += 1
                    raise ChatRequestError(
                        self._scrub(f"chat request refused ({status}): {exc}"),
                        status,
                    ) from None
                if attempt > self.retry.max_retries:
                    with self._lock:
                        self.usage.failures += 1
                    raise RetriesExhaustedError(
                        f"chat request failed after {attempt} attempts (last: {cause})",
                        attempts=attempt,
                        last_cause=cause,
                    ) from None
                delay = self.retry.backoff(attempt - 1, self._rng)
                hinted = _retry_after(exc)
                if hinted is not None:
                    delay = max(delay, min(hinted, self.retry.max_retry_after_s))
                with self._lock:
                    self.usage.retries[cause] += 1
                logger.warning(
                    "Chat request failed (%s), retry %d/%d in %.2f s",
                    cause,
                    attempt,
                    self.retry.max_retries,
                    delay,
                )
                await asyncio.sleep(delay)
                continue
            return self._record(key, answer, attempt)

    def _record(self, key: str, answer: dict[str, Any], attempts: int) -> ChatResult:
        result = ChatResult(**answer, attempts=attempts)
        with self._lock:
            self.usage.prompt_tokens += result.prompt_tokens
            self.usage.completion_tokens += result.completion_tokens
        if self.cache is not None:
            self.cache.store(key, result)
        return result
