"""Training profiles as data: LoRA, quantization and trainer settings in one record.

A profile is a named :class:`TrainSettings`; parameters files pick one by name and
override single fields (``settings_from_params``), so the production recipe (QLoRA,
r=32, alpha=64, accumulation 24, lr 2e-5, 5 epochs with early stopping) lives here
once and the CPU default differs from it only where CPU time demands it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

ALL_PROJECTIONS = (
    "q_proj",
    "k_proj",
    "v_proj",
    "o_proj",
    "gate_proj",
    "up_proj",
    "down_proj",
)

Quantization = Literal["none", "4bit", "8bit"]
Batching = Literal["packing", "padding_free", "grouped", "padded", "fixed"]
ComputeDtype = Literal["auto", "bfloat16", "float16", "float32"]


@dataclass(frozen=True)
class LoraSettings:
    """The adapter: rank, scale, dropout and which linear layers get one."""

    r: int = 16
    alpha: int = 32
    dropout: float = 0.05
    target_modules: tuple[str, ...] = ALL_PROJECTIONS
    bias: Literal["none", "all", "lora_only"] = "none"

    def __post_init__(self) -> None:
        if self.r < 1 or self.alpha < 1:
            raise ValueError("LoRA r and alpha must be at least 1")
        if not 0 <= self.dropout < 1:
            raise ValueError("LoRA dropout must be in [0, 1)")
        if not self.target_modules:
            raise ValueError("LoRA needs at least one target module")
        object.__setattr__(self, "target_modules", tuple(self.target_modules))


@dataclass(frozen=True)
class TrainSettings:
    """Everything that decides how an adapter is trained.

    ``max_steps > 0`` caps the run (the dry-run switch) and overrides ``epochs``.
    ``max_length=None`` takes the length that covers 95% of the training records
    (``length_coverage``). Records longer than ``max_length`` are dropped and counted,
    never truncated: a cut answer would teach the model to stop mid-comment.
    ``batching``: ``packing`` (best-fit-decreasing bins of ``max_length`` tokens, no
    padding), ``padding_free`` (a batch is one flattened row), ``grouped`` (padded,
    batches of similar length; the HF sampler groups only sets of at least
    4 x batch_size records), ``padded`` (pad to the
    longest record of a random batch: the plain Trainer behaviour), ``fixed`` (pad every
    record to ``max_length``: fixed shapes, as a tokenizer called with
    ``padding="max_length"`` gives the naive Trainer setup). Packing and
    padding-free attend within a row through a block-diagonal mask, which costs
    (row length)^2 with SDPA on CPU; see docs/benchmarks.md for which wins where.
    """

    profile: str = "lora"
    quantization: Quantization = "none"
    bnb_4bit_quant_type: Literal["nf4", "fp4"] = "nf4"
    bnb_double_quant: bool = True
    compute_dtype: ComputeDtype = "auto"  # auto: bf16 on CUDA when supported, else fp32
    allow_cpu_quantization: bool = False  # 4/8-bit on CPU trains, slowly; opt in
    lora: LoraSettings = field(default_factory=LoraSettings)
    batch_size: int = 4
    gradient_accumulation: int = 1
    learning_rate: float = 2e-4
    lr_scheduler: str = "cosine"
    warmup_ratio: float = 0.1
    weight_decay: float = 0.0
    max_grad_norm: float = 1.0
    epochs: float = 1.0
    max_steps: int = -1
    max_length: int | None = 1024
    length_coverage: float = 0.95
    batching: Batching = "packing"
    gradient_checkpointing: bool = False
    eval_steps: int = 50  # also the checkpoint interval (early stopping needs both)
    save_total_limit: int = 2
    early_stopping_patience: int | None = 5  # evaluations without improvement
    early_stopping_threshold: float = 0.002
    logging_steps: int = 1
    min_train_records: int = 8
    seed: int = 42
    merge: bool = False  # also save base + adapter merged into one model
    progress_bar: bool = True

    def __post_init__(self) -> None:
        if isinstance(self.lora, Mapping):
            object.__setattr__(self, "lora", LoraSettings(**self.lora))
        positive = {
            "batch_size": self.batch_size,
            "gradient_accumulation": self.gradient_accumulation,
            "eval_steps": self.eval_steps,
            "logging_steps": self.logging_steps,
            "min_train_records": self.min_train_records,
        }
        for name, value in positive.items():
            if value < 1:
                raise ValueError(f"{name} must be at least 1, got {value}")
        if self.learning_rate <= 0:
            raise ValueError("learning_rate must be positive")
        if not 0 <= self.warmup_ratio < 1:
            raise ValueError("warmup_ratio must be in [0, 1)")
        if self.max_steps <= 0 and self.epochs <= 0:
            raise ValueError("set epochs > 0 or max_steps > 0")
        if self.max_length is not None and self.max_length < 16:
            raise ValueError("max_length must be at least 16 tokens (or null)")
        if not 0 < self.length_coverage <= 1:
            raise ValueError("length_coverage must be in (0, 1]")

    @property
    def quantized(self) -> bool:
        return self.quantization != "none"

    def fingerprint_fields(self) -> dict[str, Any]:
        """What a checkpoint depends on: a resumed run must agree on these.

        Step budget, evaluation cadence and early stopping may change between an
        interrupted run and its resumption; the model, data shape and optimizer not.
        """
        data = dataclasses.asdict(self)
        for name in (
            "profile",
            "epochs",
            "max_steps",
            "eval_steps",
            "save_total_limit",
            "early_stopping_patience",
            "early_stopping_threshold",
            "logging_steps",
            "min_train_records",
            "merge",
            "progress_bar",
            "allow_cpu_quantization",
            "warmup_ratio",
        ):
            data.pop(name)
        return data


PROD_LORA = LoraSettings(r=32, alpha=64, dropout=0.05, target_modules=ALL_PROJECTIONS)

_QLORA = TrainSettings(
    profile="qlora_4bit",
    quantization="4bit",
    bnb_4bit_quant_type="nf4",
    bnb_double_quant=True,
    compute_dtype="bfloat16",
    lora=PROD_LORA,
    batch_size=1,
    gradient_accumulation=24,
    learning_rate=2e-5,
    lr_scheduler="cosine",
    warmup_ratio=0.1,
    epochs=5.0,
    max_length=None,  # the training set's 95% coverage
    batching="packing",
    gradient_checkpointing=True,
    eval_steps=50,
    early_stopping_patience=5,
    early_stopping_threshold=0.002,
    logging_steps=5,
)

PROFILES: dict[str, TrainSettings] = {
    "qlora_4bit": _QLORA,
    "qlora_8bit": replace(_QLORA, profile="qlora_8bit", quantization="8bit"),
    # The CPU default: same code path, no quantization, a smaller adapter and a
    # learning rate that moves a 135M model within the few steps a CPU allows.
    # Padding-free rather than packing: steps stay whole records, and it measured
    # no slower (docs/benchmarks.md).
    "lora": TrainSettings(batching="padding_free"),
}


def profile(name: str, **overrides: Any) -> TrainSettings:
    """A named profile with some fields replaced (``lora`` may be a mapping of its
    fields, merged into the profile's adapter settings)."""
    try:
        base = PROFILES[name]
    except KeyError:
        raise ValueError(
            f"unknown training profile {name!r}; known: {', '.join(PROFILES)}"
        ) from None
    lora = overrides.pop("lora", None)
    if isinstance(lora, Mapping):
        overrides["lora"] = replace(base.lora, **lora)
    elif lora is not None:
        overrides["lora"] = lora
    known = {item.name for item in dataclasses.fields(TrainSettings)}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise ValueError(f"unknown training settings: {', '.join(unknown)}")
    return replace(base, **overrides)


def settings_from_params(params: Mapping[str, Any]) -> TrainSettings:
    """Settings from a parameters mapping: ``{"profile": "lora", ...overrides}``."""
    values = dict(params)
    return profile(values.pop("profile", "lora"), **values)
