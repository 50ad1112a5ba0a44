"""Train a LoRA/QLoRA adapter on SFT chat records with trl's SFTTrainer.

:func:`train_adapter` is the one entry point: it checks everything cheap first (the
base model folder, its chat template, record shapes and lengths, the quantization
against the device) so bad input fails in seconds, then loads a fresh model, trains,
and saves the adapter with its tokenizer. Checkpoints live in
``output_dir/checkpoints`` and a rerun resumes from the newest sound one; a
checkpoint that is incomplete (killed while saving) is moved aside with a warning,
and checkpoints from different data or settings are moved aside, not reused.

Layout of ``output_dir``::

    checkpoints/checkpoint-N/   HF Trainer checkpoints (+ fingerprint.json)
    adapter/                    the final adapter, tokenizer, training_metrics.json
    merged/                     base + adapter in one model (``settings.merge``)

torch, transformers, trl and peft are imported when training starts, so importing
this module (a Kedro node does) stays cheap.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil
import time
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prreview.llm.local_model import is_hub_id
from prreview.train.profiles import TrainSettings
from prreview.train.records import (
    PreparedRecords,
    coverage_length,
    fit_length,
    measure,
)

if TYPE_CHECKING:
    import torch
    from transformers import PreTrainedTokenizerBase, TrainerCallback

    from prreview.train.callbacks import LogMetrics

logger = logging.getLogger(__name__)

CHECKPOINTS = "checkpoints"
ADAPTER = "adapter"
MERGED = "merged"
FINGERPRINT = "fingerprint.json"
METRICS_FILE = "training_metrics.json"
_CHECKPOINT = re.compile(r"^checkpoint-(\d+)$")


class TrainingInputError(ValueError):
    """The inputs cannot train an adapter; raised before any model is loaded."""


@dataclass(frozen=True)
class TrainResult:
    """Where the adapter went and what the run measured.

    ``metrics`` are floats ready for a tracker: ``train_loss`` (mean over this
    session), ``last_train_loss`` (the last logging window), ``eval_loss`` (of the
    saved adapter, the best evaluated; absent without an eval set), ``global_step``,
    ``session_steps``, ``train_tokens`` (real, non-pad tokens this session),
    ``computed_tokens`` (the same with the padding the model also computed),
    ``tokens_per_second`` (over optimizer steps only), ``train_seconds``,
    ``wall_seconds``, ``peak_memory_mb`` (RSS high-water mark on CPU, CUDA max
    allocated on GPU), ``max_length``, ``records_dropped``. ``reused``: the adapter
    of a finished run on the same data and settings was returned as it is.
    """

    adapter_dir: Path
    checkpoint_dir: Path
    merged_dir: Path | None
    resumed_from: Path | None
    stopped_early: bool
    device: str
    metrics: dict[str, float]
    counts: dict[str, int] = field(default_factory=dict)
    reused: bool = False  # a finished run on the same data and settings; nothing ran


def resolve_base_model(base_model: str | Path) -> tuple[str, bool]:
    """``(reference, is_local)``: an existing folder, or a hub id like
    ``Qwen/Qwen2.5-Coder-3B-Instruct``. A path that is neither is an error now,
    not a hub lookup that fails (or downloads) later."""
    path = Path(base_model).expanduser()
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise TrainingInputError(f"base model folder has no config.json: {path}")
        return str(path), True
    if isinstance(base_model, str) and is_hub_id(base_model):
        return base_model, False
    raise TrainingInputError(f"base model folder not found: {path}")


def load_tokenizer(model_ref: str, local: bool) -> PreTrainedTokenizerBase:
    """The base model's tokenizer; it must carry a chat template (the prompt format
    at inference is that template), and gets a pad token if it has none."""
    from transformers import AutoTokenizer  # noqa: PLC0415

    tokenizer = AutoTokenizer.from_pretrained(model_ref, local_files_only=local)
    if not getattr(tokenizer, "chat_template", None):
        raise TrainingInputError(
            f"base model {model_ref} has no chat template; an instruct/chat model "
            "(or a tokenizer with chat_template.jinja) is needed"
        )
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    tokenizer.padding_side = "right"
    return tokenizer


def train_adapter(  # noqa: PLR0915 - one sequence of checked steps
    base_model: str | Path,
    train_records: Iterable[Mapping[str, Any]],
    eval_records: Iterable[Mapping[str, Any]] | None,
    settings: TrainSettings,
    output_dir: str | Path,
    *,
    resume: bool = True,
    callbacks: Sequence[TrainerCallback] | None = None,
    log_metrics: LogMetrics | None = None,
) -> TrainResult:
    """Train (or resume training) a LoRA adapter; see the module docstring.

    ``log_metrics(step, {name: value})`` receives every training and evaluation log
    (loss, learning_rate, grad_norm, eval_loss, tokens_per_second, peak_memory_mb),
    e.g. to forward them to MLflow.
    """
    started = time.perf_counter()
    output_dir = Path(output_dir)
    model_ref, local = resolve_base_model(base_model)
    device = _check_device(settings)
    tokenizer = load_tokenizer(model_ref, local)
    train, evaluation, max_length = _prepare_data(
        train_records, eval_records, tokenizer, settings
    )
    checkpoints = output_dir / CHECKPOINTS
    fingerprint = _fingerprint(model_ref, train, evaluation, settings, max_length)
    if resume and (finished := _finished_run(output_dir, fingerprint, settings)):
        return finished
    resume_from = _prepare_checkpoints(checkpoints, fingerprint, resume)

    from transformers import EarlyStoppingCallback, set_seed  # noqa: PLC0415

    from prreview.train.callbacks import (  # noqa: PLC0415
        RealignScheduleCallback,
        ThroughputCallback,
        peak_memory_mb,
        reset_peak_memory,
    )

    set_seed(settings.seed)
    model = _load_model(model_ref, local, settings, device)
    meter = ThroughputCallback(log_metrics)
    extra: list[TrainerCallback] = [
        meter,
        RealignScheduleCallback(),
        *(callbacks or ()),
    ]
    has_eval = bool(evaluation.examples)
    if has_eval and settings.early_stopping_patience is not None:
        extra.append(
            EarlyStoppingCallback(
                early_stopping_patience=settings.early_stopping_patience,
                early_stopping_threshold=settings.early_stopping_threshold,
            )
        )
    args = sft_config(
        settings, checkpoints, max_length, device=device, has_eval=has_eval
    )
    trainer = _build_trainer(model, tokenizer, train, evaluation, settings, args, extra)
    reset_peak_memory()
    logger.info(
        "training %s (%s, %s) on %d records, %s",
        model_ref,
        settings.profile,
        device,
        len(train.examples),
        f"resuming from {resume_from.name}" if resume_from else "from scratch",
    )
    output = trainer.train(
        resume_from_checkpoint=str(resume_from) if resume_from else None
    )
    state = trainer.state
    metrics: dict[str, float] = {
        "train_loss": float(output.training_loss),
        "global_step": float(state.global_step),
        "session_steps": float(
            0 if meter.start_step is None else state.global_step - meter.start_step
        ),
        "train_tokens": float(meter.tokens),
        "computed_tokens": float(trainer.computed_tokens),
        "tokens_per_second": meter.tokens_per_second,
        "train_seconds": meter.train_seconds,
        "max_length": float(max_length),
        "records_dropped": float(
            train.counts["dropped_too_long"] + evaluation.counts["dropped_too_long"]
        ),
    }
    losses = [entry["loss"] for entry in state.log_history if "loss" in entry]
    if losses:
        metrics["last_train_loss"] = float(losses[-1])
    if has_eval:
        # the best checkpoint was loaded at the end, so its loss is the adapter's
        best = state.best_metric
        if best is None:
            best = trainer.evaluate()["eval_loss"]
        metrics["eval_loss"] = float(best)
    metrics["peak_memory_mb"] = peak_memory_mb()
    stopped_early = _stopped_early(state, trainer.args)

    adapter_dir = output_dir / ADAPTER
    _save_replacing(adapter_dir, trainer.save_model)
    del trainer, model
    _release_memory()
    merged_dir = None
    if settings.merge:
        merged_dir = output_dir / MERGED
        _save_replacing(
            merged_dir,
            lambda target: _merge(model_ref, local, adapter_dir, target, device),
        )
    metrics["wall_seconds"] = time.perf_counter() - started
    counts = {f"train_{key}": value for key, value in train.counts.items()}
    counts |= {f"eval_{key}": value for key, value in evaluation.counts.items()}
    result = TrainResult(
        adapter_dir=adapter_dir,
        checkpoint_dir=checkpoints,
        merged_dir=merged_dir,
        resumed_from=resume_from,
        stopped_early=stopped_early,
        device=device,
        metrics=metrics,
        counts=counts,
    )
    _write_json(
        adapter_dir / METRICS_FILE,
        _result_json(result, settings) | {"fingerprint": fingerprint},
    )
    logger.info(
        "adapter saved to %s: %d steps, train loss %.4f, %.0f tokens/s, peak %.0f MB",
        adapter_dir,
        state.global_step,
        metrics["train_loss"],
        metrics["tokens_per_second"],
        metrics["peak_memory_mb"],
    )
    return result


def _check_device(settings: TrainSettings) -> str:
    """``cuda`` or ``cpu``; quantized profiles need CUDA unless forced on CPU."""
    import torch  # noqa: PLC0415

    if torch.cuda.is_available():
        return "cuda"
    if settings.quantized and not settings.allow_cpu_quantization:
        raise TrainingInputError(
            f"profile {settings.profile!r} loads the base model in "
            f"{settings.quantization} and needs CUDA; use the 'lora' profile on CPU "
            "or set allow_cpu_quantization: true"
        )
    return "cpu"


def _prepare_data(
    train_records: Iterable[Mapping[str, Any]],
    eval_records: Iterable[Mapping[str, Any]] | None,
    tokenizer: PreTrainedTokenizerBase,
    settings: TrainSettings,
) -> tuple[PreparedRecords, PreparedRecords, int]:
    """Convert, measure and length-filter both sets; fail on an unusable train set."""
    train_examples, train_lengths = measure(train_records, tokenizer, "train")
    if not train_examples:
        raise TrainingInputError("the training set is empty")
    max_length = settings.max_length or coverage_length(
        train_lengths, settings.length_coverage
    )
    train = fit_length(train_examples, train_lengths, max_length, "train")
    if not train.examples:
        raise TrainingInputError(
            f"all {len(train_examples)} training records are longer than "
            f"max_length={max_length} tokens (shortest: {min(train_lengths)})"
        )
    if len(train.examples) < settings.min_train_records:
        raise TrainingInputError(
            f"only {len(train.examples)} training records fit (min_train_records="
            f"{settings.min_train_records}); too few to train an adapter"
        )
    eval_examples, eval_lengths = measure(eval_records or (), tokenizer, "eval")
    evaluation = fit_length(eval_examples, eval_lengths, max_length, "eval")
    if not evaluation.examples:
        logger.warning(
            "no evaluation records%s: no eval loss, no early stopping",
            " fit max_length" if eval_examples else "",
        )
    return train, evaluation, max_length


def _fingerprint(
    model_ref: str,
    train: PreparedRecords,
    evaluation: PreparedRecords,
    settings: TrainSettings,
    max_length: int,
) -> str:
    digest = hashlib.sha256()
    payload = {
        "base_model": model_ref,
        "settings": settings.fingerprint_fields(),
        "max_length": max_length,
    }
    digest.update(json.dumps(payload, sort_keys=True, default=str).encode())
    for example in [*train.examples, {"eval": []}, *evaluation.examples]:
        digest.update(json.dumps(example, sort_keys=True).encode())
    return digest.hexdigest()


def checkpoint_problem(path: Path) -> str | None:
    """Why a checkpoint cannot be resumed from (``None`` if it can).

    The Trainer writes weights, optimizer, scheduler, then ``trainer_state.json``;
    a kill in between leaves a folder without the later files, and a torn write
    leaves a zip whose CRC check fails.
    """
    match = _CHECKPOINT.match(path.name)
    state_file = path / "trainer_state.json"
    try:
        step = json.loads(state_file.read_text())["global_step"]
    except (OSError, ValueError, KeyError):
        return "trainer_state.json is missing or unreadable"
    if match is None or int(match.group(1)) != step:
        return f"trainer_state.json says step {step}"
    return _weights_problem(path) or _archives_problem(path)


def _weights_problem(path: Path) -> str | None:
    weights = path / "adapter_model.safetensors"
    if not weights.is_file():
        return "adapter_model.safetensors is missing"
    try:
        from safetensors.torch import load_file  # noqa: PLC0415

        load_file(weights)
    except Exception as error:  # noqa: BLE001 - any failure means unreadable
        return f"adapter weights unreadable ({error})"
    return None


def _archives_problem(path: Path) -> str | None:
    for name in ("optimizer.pt", "scheduler.pt"):
        try:
            with zipfile.ZipFile(path / name) as archive:
                if archive.testzip() is not None:
                    return f"{name} is corrupt"
        except (OSError, zipfile.BadZipFile):
            return f"{name} is missing or corrupt"
    return None


def _prepare_checkpoints(folder: Path, fingerprint: str, resume: bool) -> Path | None:
    """The checkpoint to resume from, after moving aside what must not be used."""
    found = sorted(
        (p for p in folder.glob("checkpoint-*") if _CHECKPOINT.match(p.name)),
        key=lambda p: int(p.name.split("-")[1]),
        reverse=True,
    )
    marker = folder / FINGERPRINT
    previous = marker.read_text().strip() if marker.is_file() else None
    if found and (not resume or previous != fingerprint):
        reason = (
            "resume is off" if not resume else "they come from other data or settings"
        )
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = folder.with_name(f"{folder.name}-superseded-{stamp}")
        count = 1
        while aside.exists():
            count += 1
            aside = folder.with_name(f"{folder.name}-superseded-{stamp}-{count}")
        logger.warning("moving %d checkpoints to %s: %s", len(found), aside, reason)
        folder.rename(aside)
        found = []
    folder.mkdir(parents=True, exist_ok=True)
    marker.write_text(fingerprint + "\n")
    for checkpoint in found:
        problem = checkpoint_problem(checkpoint)
        if problem is None:
            return checkpoint
        aside = checkpoint.with_name(f"corrupt-{checkpoint.name}")
        shutil.rmtree(aside, ignore_errors=True)
        checkpoint.rename(aside)
        logger.warning(
            "skipping checkpoint %s (%s); moved to %s", checkpoint, problem, aside.name
        )
    return None


def _compute_dtype(settings: TrainSettings, device: str) -> torch.dtype:
    import torch  # noqa: PLC0415

    if device != "cuda":
        if settings.compute_dtype not in {"auto", "float32"}:
            logger.info(
                "using float32 on CPU (profile asks %s)", settings.compute_dtype
            )
        return torch.float32
    if settings.compute_dtype == "auto":
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float32
    return getattr(torch, settings.compute_dtype)


def bnb_config(settings: TrainSettings, compute_dtype: torch.dtype) -> Any:
    """The bitsandbytes config of a quantized profile (``None`` for plain LoRA)."""
    from transformers import BitsAndBytesConfig  # noqa: PLC0415

    if settings.quantization == "4bit":
        return BitsAndBytesConfig(
            load_in_4bit=True,
            bnb_4bit_quant_type=settings.bnb_4bit_quant_type,
            bnb_4bit_use_double_quant=settings.bnb_double_quant,
            bnb_4bit_compute_dtype=compute_dtype,
        )
    if settings.quantization == "8bit":
        return BitsAndBytesConfig(load_in_8bit=True)
    return None


def _load_model(
    model_ref: str, local: bool, settings: TrainSettings, device: str
) -> Any:
    """A freshly loaded base model, never one that has generated before: on CPU,
    bitsandbytes repacks 4-bit weights for inference and then trains wrongly."""
    from peft import prepare_model_for_kbit_training  # noqa: PLC0415
    from transformers import AutoModelForCausalLM  # noqa: PLC0415

    dtype = _compute_dtype(settings, device)
    kwargs: dict[str, Any] = {"dtype": dtype, "local_files_only": local}
    if settings.quantized:
        kwargs["quantization_config"] = bnb_config(settings, dtype)
        kwargs["device_map"] = {"": 0 if device == "cuda" else "cpu"}
    model = AutoModelForCausalLM.from_pretrained(model_ref, **kwargs)
    model.config.use_cache = False
    if settings.quantized:
        model = prepare_model_for_kbit_training(
            model,
            use_gradient_checkpointing=settings.gradient_checkpointing,
            gradient_checkpointing_kwargs={"use_reentrant": False},
        )
    return model


def _lora_config(settings: TrainSettings) -> Any:
    from peft import LoraConfig  # noqa: PLC0415

    return LoraConfig(
        r=settings.lora.r,
        lora_alpha=settings.lora.alpha,
        lora_dropout=settings.lora.dropout,
        target_modules=list(settings.lora.target_modules),
        bias=settings.lora.bias,
        task_type="CAUSAL_LM",
    )


def sft_config(
    settings: TrainSettings,
    output_dir: Path,
    max_length: int,
    *,
    device: str,
    has_eval: bool,
) -> Any:
    """trl's SFTConfig for these settings (also used by the benchmark)."""
    import torch  # noqa: PLC0415
    from trl import SFTConfig  # noqa: PLC0415

    dtype = _compute_dtype(settings, device)
    best_at_end = has_eval
    return SFTConfig(
        output_dir=str(output_dir),
        per_device_train_batch_size=settings.batch_size,
        per_device_eval_batch_size=settings.batch_size,
        gradient_accumulation_steps=settings.gradient_accumulation,
        learning_rate=settings.learning_rate,
        lr_scheduler_type=settings.lr_scheduler,
        warmup_steps=settings.warmup_ratio,  # a float below 1 is a ratio
        weight_decay=settings.weight_decay,
        max_grad_norm=settings.max_grad_norm,
        num_train_epochs=settings.epochs,
        max_steps=settings.max_steps,
        # records were length-filtered already; padding-free without packing
        # refuses a max_length it would not enforce
        max_length=None if settings.batching == "padding_free" else max_length,
        packing=settings.batching == "packing",
        packing_strategy="bfd",
        padding_free=settings.batching == "padding_free",
        pad_to_multiple_of=max_length if settings.batching == "fixed" else "auto",
        completion_only_loss=True,
        train_sampling_strategy=(
            "group_by_length" if settings.batching == "grouped" else "random"
        ),
        # transformers 5.23 renamed gradient_checkpointing; trl reads the mirror
        activation_checkpointing=settings.gradient_checkpointing,
        activation_checkpointing_kwargs={"use_reentrant": False},
        eval_strategy="steps" if has_eval else "no",
        eval_steps=settings.eval_steps,
        save_strategy="steps",
        save_steps=settings.eval_steps,
        save_total_limit=settings.save_total_limit,
        load_best_model_at_end=best_at_end,
        restore_callback_states_from_checkpoint=True,  # early-stopping patience
        metric_for_best_model="eval_loss" if best_at_end else None,
        greater_is_better=False if best_at_end else None,
        logging_steps=settings.logging_steps,
        include_num_input_tokens_seen="non_padding",
        report_to="none",
        seed=settings.seed,
        data_seed=settings.seed,
        use_cpu=device != "cuda",
        bf16=device == "cuda" and dtype == torch.bfloat16,
        fp16=device == "cuda" and dtype == torch.float16,
        disable_tqdm=not settings.progress_bar,
        dataloader_num_workers=0,
    )


def real_token_trainer_class() -> type:
    """SFTTrainer that counts real tokens: the attention mask when padded, every
    position of a padding-free row. (The stock "non_padding" count compares ids
    with the pad id, which misses every end-of-turn token when pad == eos.)"""
    from trl import SFTTrainer  # noqa: PLC0415

    class RealTokenSFTTrainer(SFTTrainer):
        computed_tokens = 0  # this session, padding included

        def _track_num_input_tokens(self, inputs: Mapping[str, Any]) -> None:
            computed = int(inputs["input_ids"].numel())
            self.computed_tokens += computed
            if "attention_mask" in inputs:
                computed = int(inputs["attention_mask"].sum())
            self.state.num_input_tokens_seen += computed

        def train(
            self, resume_from_checkpoint: str | None = None, **kwargs: Any
        ) -> Any:
            """Resumed from a checkpoint that already reached ``max_steps`` (killed
            between its last save and the adapter's), take the checkpoint as the
            result: transformers would train one step past ``max_steps``."""
            from transformers import TrainerState  # noqa: PLC0415
            from transformers.trainer_utils import TrainOutput  # noqa: PLC0415

            state_file = Path(resume_from_checkpoint or "") / "trainer_state.json"
            if not resume_from_checkpoint or not state_file.is_file():
                return super().train(resume_from_checkpoint, **kwargs)
            state = TrainerState.load_from_json(str(state_file))
            if not 0 < self.args.max_steps <= state.global_step:
                return super().train(resume_from_checkpoint, **kwargs)
            self._load_from_checkpoint(resume_from_checkpoint)
            self.state = state
            if self.args.load_best_model_at_end and state.best_model_checkpoint:
                self._load_best_model()
            self.control = self.callback_handler.on_train_begin(
                self.args, self.state, self.control
            )
            losses = [e["loss"] for e in state.log_history if "loss" in e]
            loss = sum(losses) / len(losses) if losses else float("nan")
            return TrainOutput(state.global_step, loss, {"train_loss": loss})

    return RealTokenSFTTrainer


def _build_trainer(
    model: Any,
    tokenizer: PreTrainedTokenizerBase,
    train: PreparedRecords,
    evaluation: PreparedRecords,
    settings: TrainSettings,
    args: Any,
    callbacks: list[TrainerCallback],
) -> Any:
    from datasets import Dataset  # noqa: PLC0415

    return real_token_trainer_class()(
        model=model,
        args=args,
        train_dataset=Dataset.from_list(train.examples),
        eval_dataset=Dataset.from_list(evaluation.examples)
        if evaluation.examples
        else None,
        processing_class=tokenizer,
        peft_config=_lora_config(settings),
        callbacks=callbacks,
    )


def _stopped_early(state: Any, args: Any) -> bool:
    if args.max_steps > 0:
        return state.global_step < args.max_steps
    return state.global_step < state.max_steps


def _release_memory() -> None:
    import gc  # noqa: PLC0415

    import torch  # noqa: PLC0415

    gc.collect()
    if torch.cuda.is_available():
        torch.cuda.empty_cache()


def _merge(
    model_ref: str, local: bool, adapter_dir: Path, target: Path, device: str
) -> None:
    """Base + adapter as one model. The base is reloaded unquantized (merging into
    4-bit weights would round the adapter away)."""
    import torch  # noqa: PLC0415
    from peft import PeftModel  # noqa: PLC0415
    from transformers import AutoModelForCausalLM, AutoTokenizer  # noqa: PLC0415

    dtype = torch.bfloat16 if device == "cuda" else torch.float32
    base = AutoModelForCausalLM.from_pretrained(
        model_ref, dtype=dtype, local_files_only=local
    )
    merged = PeftModel.from_pretrained(base, adapter_dir).merge_and_unload()
    merged.save_pretrained(target)
    AutoTokenizer.from_pretrained(adapter_dir).save_pretrained(target)


def _save_replacing(target: Path, save: Any) -> None:
    """Write into a sibling folder, then swap it in: a crash never leaves a
    half-written adapter where a reader expects a complete one."""
    staging = target.with_name(f".{target.name}.partial")
    shutil.rmtree(staging, ignore_errors=True)
    save(str(staging))
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _finished_run(
    output_dir: Path, fingerprint: str, settings: TrainSettings
) -> TrainResult | None:
    """The result of a run that already finished on the same data and settings
    (its adapter and metrics are saved last), so a rerun trains nothing. The
    fingerprint leaves out the step budget (a run may be extended from its
    checkpoints), so the saved settings must match as well."""
    adapter_dir = output_dir / ADAPTER
    try:
        saved = json.loads((adapter_dir / METRICS_FILE).read_text())
    except (OSError, ValueError):
        return None
    merged_dir = output_dir / MERGED if settings.merge else None
    logger.debug("checking %s for a finished run", adapter_dir)
    if (
        saved.get("fingerprint") != fingerprint
        or saved.get("settings")
        != json.loads(json.dumps(asdict(settings), default=str))
        or not (adapter_dir / "adapter_config.json").is_file()
        or (merged_dir is not None and not (merged_dir / "config.json").is_file())
    ):
        return None
    logger.info("%s was trained on the same data and settings; reused", adapter_dir)
    return TrainResult(
        adapter_dir=adapter_dir,
        checkpoint_dir=output_dir / CHECKPOINTS,
        merged_dir=merged_dir,
        resumed_from=None,
        stopped_early=bool(saved.get("stopped_early")),
        device=str(saved.get("device")),
        metrics={k: float(v) for k, v in saved.get("metrics", {}).items()},
        counts={k: int(v) for k, v in saved.get("counts", {}).items()},
        reused=True,
    )


def _result_json(result: TrainResult, settings: TrainSettings) -> dict[str, Any]:
    data = asdict(result)
    data["settings"] = asdict(settings)
    return json.loads(json.dumps(data, default=str))


def _write_json(path: Path, data: Mapping[str, Any]) -> None:
    from prreview.atomic import atomic_write_bytes  # noqa: PLC0415

    atomic_write_bytes(path, json.dumps(data, indent=2, sort_keys=True).encode())
