"""A training run killed mid-epoch resumes from its last checkpoint, in the same order.

A child process trains the tiny model of ``test_lora`` with a checkpoint after every
step, logging after each optimizer step which records that step trained on (read off
the token ids the model embedded, not assumed from the sampler). The test SIGKILLs it
mid-epoch, at whatever point it happens to be (inside a step or halfway through
writing a checkpoint), resumes in this process, and compares step by step with a run
that was never interrupted.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import torch

from prreview.train import checkpoint_problem, train_adapter
from prreview.train.trainer import ADAPTER, CHECKPOINTS
from tests.conftest import ROOT
from tests.train.test_lora import WORDS, build_tiny_model, record, settings

if TYPE_CHECKING:
    from transformers import TrainerCallback

RECORD_COUNT = 24
BATCH_SIZE = 2
STEPS_PER_EPOCH = RECORD_COUNT // BATCH_SIZE  # 12
MAX_STEPS = 14  # crosses into the second epoch, so its reshuffle is checked too
KILL_AFTER_STEP = 3
RECORDS = [record(index, WORDS[index % len(WORDS)]) for index in range(RECORD_COUNT)]
RUN = settings(
    max_steps=MAX_STEPS,
    batch_size=BATCH_SIZE,
    eval_steps=1,  # a checkpoint after every step
    save_total_limit=MAX_STEPS + 1,  # none rotated away
)
_RECORD_TAG = re.compile(r'lines="(\d+)"')  # record(index, ...) writes index + 1
_HANG_GUARD_SECONDS = 300.0  # only ends a hung child; no assertion is timed


def batch_logger(log: Path) -> TrainerCallback:
    """A callback that appends JSON lines to ``log``: ``{"step", "records"}`` after
    each optimizer step (the record indices of its batch, in batch order) and
    ``{"saved"}`` after each finished checkpoint."""
    from transformers import TrainerCallback  # noqa: PLC0415

    class BatchLogger(TrainerCallback):
        def __init__(self) -> None:
            self.rows: list[list[int]] = []
            self.tokenizer: Any = None
            self.hook: Any = None

        def on_train_begin(
            self,
            args: Any,
            state: Any,
            control: Any,
            model: Any = None,
            processing_class: Any = None,
            **kwargs: Any,
        ) -> None:
            # callbacks never see the batch; the input embedding sees every row the
            # model trains on (there is no evaluation set, so nothing else)
            self.tokenizer = processing_class
            self.hook = model.get_input_embeddings().register_forward_pre_hook(
                self._embedded
            )

        def _embedded(self, module: Any, inputs: tuple[Any, ...]) -> None:
            self.rows.extend(inputs[0].tolist())

        def on_step_begin(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
            self.rows = []

        def on_step_end(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
            records = [
                int(tag) - 1
                for row in self.rows
                for tag in _RECORD_TAG.findall(self.tokenizer.decode(row))
            ]
            _append(log, {"step": state.global_step, "records": records})

        def on_save(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
            _append(log, {"saved": state.global_step})

        def on_train_end(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
            if self.hook is not None:
                self.hook.remove()

    return BatchLogger()


def _append(log: Path, entry: dict[str, Any]) -> None:
    with log.open("a") as stream:
        stream.write(json.dumps(entry) + "\n")
        stream.flush()


def _read_log(log: Path) -> list[dict[str, Any]]:
    """The complete lines of ``log`` (a kill may leave the last one torn)."""
    if not log.is_file():
        return []
    *complete, _torn_or_empty = log.read_text().split("\n")
    return [json.loads(line) for line in complete]


def _steps(entries: list[dict[str, Any]]) -> dict[int, list[int]]:
    return {e["step"]: e["records"] for e in entries if "step" in e}


def train_logged(model: str, output_dir: str, log: str) -> Any:
    """One run of the test's settings with a :func:`batch_logger` (the child's body)."""
    return train_adapter(
        model, RECORDS, None, RUN, output_dir, callbacks=[batch_logger(Path(log))]
    )


def _start_child(
    model: Path, output_dir: Path, log: Path, stderr: Path
) -> subprocess.Popen[bytes]:
    code = (
        "import sys\n"
        "from tests.train.test_kill_resume import train_logged\n"
        "train_logged(*sys.argv[1:])\n"
    )
    env = os.environ | {
        "KEDRO_DISABLE_TELEMETRY": "true",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    }
    with stderr.open("wb") as errors:  # a file, not a pipe that could fill up
        return subprocess.Popen(
            [sys.executable, "-c", code, str(model), str(output_dir), str(log)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )


def _kill_after_step(
    child: subprocess.Popen[bytes], log: Path, step: int, stderr: Path
) -> None:
    """SIGKILL ``child`` as soon as its log shows ``step`` trained (checkpoints up
    to ``step - 1`` are complete by then); wherever it has got to is where it dies:
    inside a step, or halfway through writing a checkpoint."""
    guard = time.monotonic() + _HANG_GUARD_SECONDS
    try:
        while max(_steps(_read_log(log)), default=0) < step:
            if child.poll() is not None:
                errors = stderr.read_text()
                pytest.fail(
                    f"the child ended (rc {child.returncode}) before step {step}:\n"
                    + errors[-3000:]
                )
            if time.monotonic() > guard:
                pytest.fail(f"the child did not reach step {step}")
            time.sleep(0.01)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()
    # a child that finished all its steps first means the steps got too short to
    # be caught: raise MAX_STEPS and RECORD_COUNT, do not sleep inside training
    assert child.returncode == -signal.SIGKILL, "the child finished before the kill"


def test_a_killed_run_resumes_at_its_last_checkpoint_in_the_same_order(
    tmp_path: Path,
) -> None:
    from safetensors.torch import load_file  # noqa: PLC0415

    model = build_tiny_model(tmp_path / "model")
    out, killed_log = tmp_path / "out", tmp_path / "killed.jsonl"
    stderr = tmp_path / "child.stderr"
    child = _start_child(model, out, killed_log, stderr)
    _kill_after_step(child, killed_log, KILL_AFTER_STEP, stderr)
    killed = _read_log(killed_log)
    trained_before_kill = max(_steps(killed))
    saved_before_kill = max(e["saved"] for e in killed if "saved" in e)

    # the newest sound checkpoint, found before the resume moves torn ones aside
    checkpoints = out / CHECKPOINTS
    found = {
        int(path.name.split("-")[1]): path for path in checkpoints.glob("checkpoint-*")
    }
    sound = [step for step, path in found.items() if checkpoint_problem(path) is None]
    last = max(sound)
    torn = sorted(step for step in found if step > last)
    # every checkpoint the child reported finished is sound, and it died mid-epoch
    assert saved_before_kill <= last <= trained_before_kill
    assert sorted(sound) == list(range(1, last + 1))
    assert 0 < last < STEPS_PER_EPOCH, (last, STEPS_PER_EPOCH)
    assert not (out / ADAPTER).exists()

    resumed_log = tmp_path / "resumed.jsonl"
    resumed = train_logged(str(model), str(out), str(resumed_log))
    assert resumed.resumed_from == checkpoints / f"checkpoint-{last}"
    for step in torn:  # a checkpoint the kill cut short is moved aside
        assert (checkpoints / f"corrupt-checkpoint-{step}").is_dir()
    assert resumed.metrics["global_step"] == MAX_STEPS
    assert resumed.metrics["session_steps"] == MAX_STEPS - last
    resumed_steps = _steps(_read_log(resumed_log))
    assert list(resumed_steps) == list(range(last + 1, MAX_STEPS + 1))

    straight_log = tmp_path / "straight.jsonl"
    straight = train_logged(str(model), str(tmp_path / "straight"), str(straight_log))
    reference = _steps(_read_log(straight_log))
    assert list(reference) == list(range(1, MAX_STEPS + 1))
    # an epoch shows every record once: the batches are read right
    first_epoch = [i for step in range(1, STEPS_PER_EPOCH + 1) for i in reference[step]]
    assert sorted(first_epoch) == list(range(RECORD_COUNT))
    # the killed run, its resumption and the straight run trained the same batches
    assert _steps(killed) == {step: reference[step] for step in _steps(killed)}
    assert resumed_steps == {step: reference[step] for step in resumed_steps}

    weights = load_file(straight.adapter_dir / "adapter_model.safetensors")
    again = load_file(resumed.adapter_dir / "adapter_model.safetensors")
    assert again.keys() == weights.keys()
    if resumed.device == "cpu":
        # bit-identical: the checkpoint restores weights, optimizer, scheduler and
        # RNG states, dropout is 0 and CPU kernels are deterministic
        assert all(torch.equal(again[name], weights[name]) for name in weights)
    else:
        # CUDA kernels need not be bitwise reproducible between runs (bf16, split-K
        # reductions); a margin of bf16 rounding, not checked on a GPU yet
        assert all(
            torch.allclose(again[name], weights[name], rtol=2e-2, atol=1e-3)
            for name in weights
        )
