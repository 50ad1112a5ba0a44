"""One interface over the two ways the project gets chat answers.

``openai`` is :class:`~prreview.llm.client.ChatClient`: any OpenAI-compatible endpoint
(OpenAI, vLLM, llama.cpp, ollama, this project's local server). ``local`` is
:class:`LocalChatBackend`: the bundled SmolLM2-135M-Instruct generating in this process,
in batches, with no server in between. Both answer a list of
:class:`~prreview.llm.client.ChatRequest` with a list of results in the same order, a
:class:`~prreview.llm.client.ChatClientError` in place of an item that failed for good,
and both keep every answer in the same kind of on-disk cache, keyed by backend, model,
messages and sampling parameters, so a rerun pays for nothing twice.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

from prreview.llm.client import (
    ChatClient,
    ChatClientError,
    ChatRequest,
    ChatRequestError,
    ChatResult,
    ResponseCache,
    Usage,
)
from prreview.llm.local_model import (
    BUNDLED_MODEL_NAME,
    BatchGenerator,
    ContextLengthError,
    GenerationParams,
    GenerationResult,
    LocalChatModel,
    adapter_fingerprint,
    is_hub_id,
    is_materialized,
    materialize_bundled_model,
)

logger = logging.getLogger(__name__)

Outcome = ChatResult | ChatClientError


@runtime_checkable
class ChatBackend(Protocol):
    """What the summarizer (and anything else that needs answers) talks to."""

    name: str
    model: str
    usage: Usage

    def complete_each_sync(
        self, requests: Sequence[ChatRequest], concurrency: int | None = None
    ) -> list[Outcome]: ...

    def close(self) -> None: ...


class LocalChatBackend:
    """The bundled model (or any saved transformers chat model) in this process.

    The model loads on the first request the cache cannot answer, so a fully cached
    rerun never loads it. ``adapter_dir`` merges a trained LoRA adapter into the model
    (its fingerprint joins the model name, so the cache tells them apart). With
    ``materialize`` set and ``model_dir`` empty, the bundled
    GGUF is converted into ``model_dir`` first (once; see
    :func:`~prreview.llm.local_model.materialize_bundled_model`). A ready
    ``generator`` (anything with LocalChatModel's ``generate``) can be handed in.
    """

    name = "local"

    def __init__(
        self,
        model_dir: str | Path,
        *,
        model: str = BUNDLED_MODEL_NAME,
        cache_path: str | Path | None = None,
        max_batch_size: int = 8,
        materialize: bool = True,
        num_threads: int | None = None,
        generator: BatchGenerator | None = None,
        adapter_dir: str | Path | None = None,
    ) -> None:
        if max_batch_size < 1:
            raise ValueError("max_batch_size must be at least 1")
        self.model_dir = Path(model_dir)
        self.adapter_dir = Path(adapter_dir) if adapter_dir is not None else None
        # the adapter's weights are part of the model's name, so of every cache key
        self.model = (
            model
            if self.adapter_dir is None
            else f"{model}+adapter:{adapter_fingerprint(self.adapter_dir)}"
        )
        self.max_batch_size = max_batch_size
        self.materialize = materialize
        self.num_threads = num_threads
        self.cache = ResponseCache(cache_path) if cache_path is not None else None
        self.usage = Usage()
        self._chat_model: BatchGenerator | None = generator
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return (
            f"LocalChatBackend(model_dir={str(self.model_dir)!r}, model={self.model!r})"
        )

    def _loaded(self) -> BatchGenerator:
        with self._lock:
            if self._chat_model is None:
                if self.materialize and not is_materialized(self.model_dir):
                    materialize_bundled_model(self.model_dir)
                elif not (self.model_dir / "config.json").is_file() and not is_hub_id(
                    self.model_dir
                ):
                    raise FileNotFoundError(
                        f"no model in {self.model_dir}; run with materialize "
                        "enabled or point model_dir at a saved model or a hub id"
                    )
                self._chat_model = LocalChatModel(
                    self.model_dir,
                    max_batch_size=self.max_batch_size,
                    name=self.model,
                    num_threads=self.num_threads,
                    adapter=self.adapter_dir,
                )
            return self._chat_model

    def complete_each_sync(
        self, requests: Sequence[ChatRequest], concurrency: int | None = None
    ) -> list[Outcome]:
        """Answers in order; cache hits first, then the misses in batches.

        ``concurrency`` is accepted for the common interface; in-process generation
        batches instead (``max_batch_size``).
        """
        outcomes: list[Outcome | None] = [None] * len(requests)
        misses: list[tuple[int, str, ChatRequest]] = []
        for index, request in enumerate(requests):
            key = request.key(self.model, self.name)
            hit = self.cache.result(key) if self.cache is not None else None
            if hit is not None:
                self.usage.cache_hits += 1
                outcomes[index] = hit
            else:
                misses.append((index, key, request))
        if misses:
            chat_model = self._loaded()
            for index, key, outcome in zip(
                [i for i, _, _ in misses],
                [k for _, k, _ in misses],
                self._generate([r for _, _, r in misses], chat_model),
            ):
                if isinstance(outcome, ChatResult) and self.cache is not None:
                    self.cache.store(key, outcome)
                outcomes[index] = outcome
        return [o for o in outcomes if o is not None]

    def _generate(
        self, requests: list[ChatRequest], chat_model: BatchGenerator
    ) -> list[Outcome]:
        """One ``generate`` over all rows; if it fails, row by row so only the bad
        row fails (an over-long prompt, typically)."""
        params = [_generation_params(r) for r in requests]
        messages = [list(r.messages) for r in requests]
        self.usage.requests += len(requests)
        try:
            results = chat_model.generate(messages, params)
        except (ContextLengthError, RuntimeError, ValueError) as exc:
            logger.warning("Batch generation failed (%s); retrying row by row", exc)
            outcomes: list[Outcome] = []
            for one_messages, one_params in zip(messages, params):
                try:
                    (result,) = chat_model.generate([one_messages], [one_params])
                except (ContextLengthError, RuntimeError, ValueError) as row_exc:
                    self.usage.failures += 1
                    outcomes.append(ChatRequestError(str(row_exc), status=400))
                    continue
                outcomes.append(self._result(result))
            return outcomes
        return [self._result(result) for result in results]

    def _result(self, result: GenerationResult) -> ChatResult:
        self.usage.prompt_tokens += result.prompt_tokens
        self.usage.completion_tokens += result.completion_tokens
        return ChatResult(
            text=result.text,
            finish_reason=result.finish_reason,
            prompt_tokens=result.prompt_tokens,
            completion_tokens=result.completion_tokens,
            model=self.model,
        )

    def close(self) -> None:
        if self.cache is not None:
            self.cache.close()


def _generation_params(request: ChatRequest) -> GenerationParams:
    return GenerationParams(
        max_tokens=request.max_tokens or 256,
        temperature=request.temperature or 0.0,
        top_p=request.top_p or 1.0,
        stop=tuple(request.stop or ()),
        seed=request.seed,
    )


__all__ = ["ChatBackend", "ChatClient", "LocalChatBackend", "Outcome"]
