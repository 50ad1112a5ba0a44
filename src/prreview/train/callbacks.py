"""Trainer callbacks: real-token throughput, peak memory, and a hook for a tracker.

Kept apart from :mod:`prreview.train.trainer` because importing transformers'
trainer pulls in torch; this module is imported only once training starts.
"""

from __future__ import annotations

import logging
import math
import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch
from transformers import TrainerCallback

logger = logging.getLogger(__name__)

LogMetrics = Callable[[int, dict[str, float]], None]
_PROC_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


def reset_peak_memory() -> None:
    """Start a fresh peak: CUDA's allocator counter, or Linux's RSS high-water mark
    (writing 5 to clear_refs resets VmHWM; elsewhere the process-lifetime peak
    stays, which over-reports and never under-reports)."""
    if torch.cuda.is_available():
        torch.cuda.reset_peak_memory_stats()
        return
    try:
        _CLEAR_REFS.write_text("5")
    except OSError:
        logger.debug("cannot reset the RSS high-water mark; using the process peak")


def peak_memory_mb() -> float:
    """Peak since :func:`reset_peak_memory`: CUDA max allocated, else peak RSS."""
    if torch.cuda.is_available():
        return torch.cuda.max_memory_allocated() / 2**20
    try:
        for line in _PROC_STATUS.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class ThroughputCallback(TrainerCallback):
    """Times optimizer steps only (evaluation and checkpointing excluded) and turns
    the trainer's real-token counter into tokens per second, per logging window and
    for the session; forwards every numeric log to ``log_metrics`` if given."""

    def __init__(self, log_metrics: LogMetrics | None = None) -> None:
        self.log_metrics = log_metrics
        self.train_seconds = 0.0
        self.start_tokens: int | None = None
        self.start_step: int | None = None
        self.tokens = 0
        self._step_started: float | None = None
        self._window_tokens = 0
        self._window_seconds = 0.0

    def on_step_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if self.start_tokens is None:
            self.start_tokens = state.num_input_tokens_seen
            self.start_step = state.global_step
            self._window_tokens = state.num_input_tokens_seen
        self._step_started = time.perf_counter()

    def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if self._step_started is not None:
            self.train_seconds += time.perf_counter() - self._step_started
            self._step_started = None
        self.tokens = state.num_input_tokens_seen - (self.start_tokens or 0)

    @property
    def tokens_per_second(self) -> float:
        return self.tokens / self.train_seconds if self.train_seconds else 0.0

    def on_log(
        self,
        args: Any,
        state: Any,
        control: Any,
        logs: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        logs = logs or {}
        metrics = {
            key: float(value)
            for key, value in logs.items()
            if isinstance(value, int | float) and math.isfinite(float(value))
        }
        if "loss" in logs:  # a training log, not evaluation or the final summary
            tokens = state.num_input_tokens_seen - self._window_tokens
            seconds = self.train_seconds - self._window_seconds
            if seconds > 0:
                metrics["tokens_per_second"] = tokens / seconds
            self._window_tokens = state.num_input_tokens_seen
            self._window_seconds = self.train_seconds
            metrics["peak_memory_mb"] = peak_memory_mb()
        if self.log_metrics is not None and metrics:
            self.log_metrics(state.global_step, metrics)


class RealignScheduleCallback(TrainerCallback):
    """After a resume, set the learning rate from this run's schedule.

    The optimizer state restored from a checkpoint carries the learning rate of the
    interrupted run's schedule (a dry run of 2 steps decays to zero by step 2); the
    scheduler only recomputes it at the next step, so the first resumed step would
    use the old value. LambdaLR schedules (linear, cosine, constant) are realigned.
    """

    def on_train_begin(
        self,
        args: Any,
        state: Any,
        control: Any,
        optimizer: Any = None,
        lr_scheduler: Any = None,
        **kwargs: Any,
    ) -> None:
        lambdas = getattr(lr_scheduler, "lr_lambdas", None)
        if optimizer is None or lambdas is None or state.global_step == 0:
            return
        step = lr_scheduler.last_epoch
        for group, base, schedule in zip(
            optimizer.param_groups, lr_scheduler.base_lrs, lambdas, strict=False
        ):
            group["lr"] = base * schedule(step)
        lr_scheduler._last_lr = [group["lr"] for group in optimizer.param_groups]
