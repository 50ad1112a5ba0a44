"""The training library on a tiny random model built here (CPU, seconds).

The tiny model gets a byte-level BPE tokenizer of a few hundred tokens trained on the
test records, with SmolLM2's chat template: a 49k vocabulary would make every step
cost what the output layer costs, and the point here is the training code path.
"""

from __future__ import annotations

import json
import logging
import math
from pathlib import Path
from typing import Any

import pytest
import torch

from prreview.train import (
    PROFILES,
    TrainingInputError,
    checkpoint_problem,
    coverage_length,
    profile,
    settings_from_params,
    to_prompt_completion,
    train_adapter,
)
from prreview.train.trainer import ADAPTER, CHECKPOINTS, METRICS_FILE
from tests.conftest import ROOT

BUNDLED = ROOT / "data" / "06_models" / "smollm2-135m-instruct"
CHAT_TEMPLATE = (
    "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + "
    "message['content'] + '<|im_end|>' + '\n'}}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)
WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"]
SYSTEM = "Review the diff."


def record(index: int, word: str) -> dict[str, Any]:
    return {
        "messages": [
            {"role": "system", "content": SYSTEM},
            {"role": "user", "content": f"+ value = {word}()"},
            {
                "role": "assistant",
                "content": f'<comment lines="{index + 1}">rename {word}</comment>',
            },
        ],
        "metadata": {"source": "test", "index": index},
    }


RECORDS = [record(index, word) for index, word in enumerate(WORDS)]


def _chat_template() -> str:
    """SmolLM2's own template when the bundled folder is there (the real format)."""
    path = BUNDLED / "chat_template.jinja"
    return path.read_text() if path.is_file() else CHAT_TEMPLATE


def build_tiny_model(target: Path, *, chat_template: bool = True) -> Path:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    corpus = [m["content"] for item in RECORDS for m in item["messages"]]
    corpus += ["system", "user", "assistant", "You are a helpful AI assistant"]
    backend = Tokenizer(models.BPE())
    backend.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    backend.decoder = decoders.ByteLevel()
    backend.train_from_iterator(
        corpus * 4,
        trainers.BpeTrainer(
            vocab_size=384,
            special_tokens=["<|endoftext|>", "<|im_start|>", "<|im_end|>"],
            initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
            show_progress=False,
        ),
    )
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=backend,
        bos_token="<|im_start|>",
        eos_token="<|im_end|>",
        pad_token="<|im_end|>",
        unk_token="<|endoftext|>",
    )
    if chat_template:
        tokenizer.chat_template = _chat_template()
    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=256,
        initializer_range=0.2,  # logits wide enough for a frozen output layer
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        # not the eos id: Llama zeroes the padding row of the (tied) embedding,
        # and a frozen zero row is an end token the adapter can never learn
        pad_token_id=tokenizer.unk_token_id,
        tie_word_embeddings=True,
    )
    LlamaForCausalLM(config).save_pretrained(target)
    tokenizer.save_pretrained(target)
    return target


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_model(tmp_path_factory.mktemp("tiny") / "model")


def settings(**overrides: Any):
    values: dict[str, Any] = {
        "max_steps": 2,
        "batch_size": 4,
        "learning_rate": 1e-2,
        "warmup_ratio": 0.0,
        "lora": {"r": 8, "alpha": 16, "dropout": 0.0},
        "max_length": 128,
        "eval_steps": 100,
        "min_train_records": 4,
        "progress_bar": False,
        "seed": 0,
    }
    values.update(overrides)
    return profile("lora", **values)


def greedy(model: Any, tokenizer: Any, item: dict[str, Any], tokens: int = 16) -> str:
    prompt = tokenizer.apply_chat_template(
        item["messages"][:2],
        add_generation_prompt=True,
        return_tensors="pt",
        return_dict=True,
    )
    with torch.no_grad():
        out = model.generate(
            **prompt,
            max_new_tokens=tokens,
            do_sample=False,
            eos_token_id=tokenizer.eos_token_id,
            pad_token_id=tokenizer.pad_token_id,
        )
    return tokenizer.decode(
        out[0, prompt["input_ids"].shape[1] :], skip_special_tokens=True
    )


# --- records and settings -------------------------------------------------------


def test_records_become_prompt_and_completion() -> None:
    example = to_prompt_completion(RECORDS[0])
    assert [m["role"] for m in example["prompt"]] == ["system", "user"]
    assert example["completion"] == [RECORDS[0]["messages"][2]]
    multi = {"messages": [*RECORDS[0]["messages"], *RECORDS[1]["messages"][1:]]}
    example = to_prompt_completion(multi)
    assert len(example["prompt"]) == 4  # earlier turns are context
    assert example["completion"][0]["content"].endswith("rename bravo</comment>")


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"metadata": {}}, "no 'messages'"),
        ({"messages": [{"role": "user", "content": "x"}]}, "no assistant"),
        ({"messages": [{"role": "assistant", "content": "x"}]}, "nothing before"),
        (
            {"messages": [{"role": "user", "content": "x"}, {"role": "assistant"}]},
            "content",
        ),
        (
            {
                "messages": [
                    {"role": "user", "content": "x"},
                    {"role": "assistant", "content": " "},
                ]
            },
            "empty",
        ),
        ({"messages": [{"role": "robot", "content": "x"}]}, "bad message"),
    ],
)
def test_malformed_records_are_named(bad: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=f"record 3: .*{message}"):
        to_prompt_completion(bad, 3)


def test_coverage_length_rounds_up() -> None:
    assert coverage_length([10, 20, 30, 40], 0.5) == 24
    assert coverage_length([10, 20, 30, 40], 1.0) == 40
    assert coverage_length(list(range(1, 101)), 0.95) == 96


def test_profiles_hold_the_production_recipe() -> None:
    prod = PROFILES["qlora_4bit"]
    assert prod.quantization == "4bit" and prod.bnb_4bit_quant_type == "nf4"
    assert prod.bnb_double_quant and prod.compute_dtype == "bfloat16"
    assert (prod.lora.r, prod.lora.alpha, prod.lora.dropout) == (32, 64, 0.05)
    assert set(prod.lora.target_modules) == {
        f"{name}_proj" for name in ("q", "k", "v", "o", "gate", "up", "down")
    }
    assert (prod.batch_size, prod.gradient_accumulation) == (1, 24)
    assert prod.learning_rate == 2e-5 and prod.lr_scheduler == "cosine"
    assert (prod.epochs, prod.early_stopping_patience) == (5, 5)
    assert prod.gradient_checkpointing
    assert PROFILES["qlora_8bit"].quantization == "8bit"
    assert PROFILES["lora"].quantization == "none"
    tuned = settings_from_params({"profile": "qlora_4bit", "lora": {"r": 8}})
    assert (tuned.lora.r, tuned.lora.alpha) == (8, 64)
    with pytest.raises(ValueError, match="unknown training profile"):
        profile("full")
    with pytest.raises(ValueError, match="unknown training settings: rank"):
        profile("lora", rank=4)
    with pytest.raises(ValueError, match="batch_size"):
        profile("lora", batch_size=0)


# --- clear errors before any long work ------------------------------------------


def test_bad_inputs_fail_before_training(tiny_model: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(TrainingInputError, match="folder not found"):
        train_adapter(tmp_path / "missing", RECORDS, None, settings(), out)
    (tmp_path / "empty").mkdir()
    with pytest.raises(TrainingInputError, match="no config.json"):
        train_adapter(tmp_path / "empty", RECORDS, None, settings(), out)
    with pytest.raises(TrainingInputError, match="training set is empty"):
        train_adapter(tiny_model, [], RECORDS, settings(), out)
    with pytest.raises(TrainingInputError, match="only 2 training records"):
        train_adapter(tiny_model, RECORDS[:2], None, settings(), out)
    with pytest.raises(TrainingInputError, match="longer than max_length=16"):
        train_adapter(tiny_model, RECORDS, None, settings(max_length=16), out)
    with pytest.raises(ValueError, match="record 1: no assistant"):
        bad = [RECORDS[0], {"messages": RECORDS[1]["messages"][:2]}]
        train_adapter(tiny_model, bad, None, settings(), out)
    plain = build_tiny_model(tmp_path / "plain", chat_template=False)
    with pytest.raises(TrainingInputError, match="no chat template"):
        train_adapter(plain, RECORDS, None, settings(), out)
    if not torch.cuda.is_available():
        with pytest.raises(TrainingInputError, match="needs CUDA"):
            train_adapter(tiny_model, RECORDS, None, profile("qlora_4bit"), out)
    assert not out.exists()  # nothing was started


def test_checkpoint_problem_names_what_is_missing(tmp_path: Path) -> None:
    folder = tmp_path / "checkpoint-3"
    folder.mkdir()
    assert "trainer_state" in checkpoint_problem(folder)
    (folder / "trainer_state.json").write_text(json.dumps({"global_step": 2}))
    assert "step 2" in checkpoint_problem(folder)
    (folder / "trainer_state.json").write_text(json.dumps({"global_step": 3}))
    assert "adapter_model" in checkpoint_problem(folder)


# --- training -------------------------------------------------------------------


def test_two_steps_give_a_finite_loss_and_an_adapter(
    tiny_model: Path, tmp_path: Path
) -> None:
    logged: list[tuple[int, dict[str, float]]] = []
    result = train_adapter(
        tiny_model,
        RECORDS,
        RECORDS[:4],
        settings(),
        tmp_path / "out",
        log_metrics=lambda step, metrics: logged.append((step, metrics)),
    )
    metrics = result.metrics
    assert metrics["global_step"] == 2 and metrics["session_steps"] == 2
    assert math.isfinite(metrics["train_loss"]) and math.isfinite(metrics["eval_loss"])
    assert metrics["train_tokens"] > 0 and metrics["tokens_per_second"] > 0
    assert metrics["peak_memory_mb"] > 0 and metrics["records_dropped"] == 0
    assert result.counts["train_records_kept"] == len(RECORDS)
    assert result.device == "cpu" and result.resumed_from is None
    assert (result.adapter_dir / "adapter_config.json").is_file()
    assert (result.adapter_dir / "adapter_model.safetensors").is_file()
    assert (result.adapter_dir / "tokenizer_config.json").is_file()
    saved = json.loads((result.adapter_dir / METRICS_FILE).read_text())
    assert saved["metrics"]["global_step"] == 2
    assert saved["settings"]["lora"]["r"] == 8
    train_logs = [m for _, m in logged if "loss" in m]
    assert [step for step, m in logged if "loss" in m] == [1, 2]
    assert {"learning_rate", "tokens_per_second", "peak_memory_mb"} <= set(
        train_logs[0]
    )
    assert any("eval_loss" in m for _, m in logged)


@pytest.mark.parametrize(
    ("batching", "computed_vs_real"),
    [("padding_free", "equal"), ("padded", "more"), ("fixed", "max_length")],
)
def test_batching_modes_compute_what_they_promise(
    tiny_model: Path, tmp_path: Path, batching: str, computed_vs_real: str
) -> None:
    varied = [record(index, word * (1 + index % 3)) for index, word in enumerate(WORDS)]
    run = settings(max_steps=1, batch_size=8, max_length=96, batching=batching)
    metrics = train_adapter(tiny_model, varied, None, run, tmp_path / "out").metrics
    real, computed = metrics["train_tokens"], metrics["computed_tokens"]
    assert math.isfinite(metrics["train_loss"]) and real > 0
    if computed_vs_real == "equal":
        assert computed == real
    elif computed_vs_real == "more":
        assert real < computed < len(varied) * 96
    else:  # every record padded to max_length
        assert computed == len(varied) * 96


def test_long_records_are_dropped_and_counted(tiny_model: Path, tmp_path: Path) -> None:
    long = record(8, "x" * 400)
    result = train_adapter(
        tiny_model,
        [*RECORDS, long],
        [long],
        settings(max_steps=1, max_length=64),
        tmp_path / "out",
    )
    assert result.counts["train_dropped_too_long"] == 1
    assert result.counts["eval_dropped_too_long"] == 1
    assert result.metrics["records_dropped"] == 2
    assert "eval_loss" not in result.metrics  # nothing left to evaluate


def test_a_small_set_is_learned_and_the_adapter_reloads(
    tiny_model: Path, tmp_path: Path
) -> None:
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    losses: list[float] = []
    result = train_adapter(
        tiny_model,
        RECORDS,
        None,
        settings(max_steps=40, batch_size=8, lora={"r": 16, "alpha": 32}, merge=True),
        tmp_path / "out",
        log_metrics=lambda step, m: losses.append(m["loss"]) if "loss" in m else None,
    )
    assert len(losses) == 40
    assert losses[-1] < 0.25 * losses[0], losses
    tokenizer = AutoTokenizer.from_pretrained(result.adapter_dir)
    base = AutoModelForCausalLM.from_pretrained(tiny_model)
    adapted = PeftModel.from_pretrained(base, result.adapter_dir).eval()
    answers = [greedy(adapted, tokenizer, item) for item in RECORDS[:3]]
    expected = [item["messages"][2]["content"] for item in RECORDS[:3]]
    assert answers == expected
    assert result.merged_dir is not None
    merged = AutoModelForCausalLM.from_pretrained(result.merged_dir).eval()
    assert [greedy(merged, tokenizer, item) for item in RECORDS[:3]] == answers


def test_an_interrupted_run_resumes_from_its_checkpoint(
    tiny_model: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    out = tmp_path / "out"
    every_step = {"eval_steps": 1, "save_total_limit": 3, "batch_size": 2}
    first = train_adapter(tiny_model, RECORDS, None, settings(**every_step), out)
    assert first.metrics["global_step"] == 2
    checkpoints = out / CHECKPOINTS
    assert {p.name for p in checkpoints.glob("checkpoint-*")} == {
        "checkpoint-1",
        "checkpoint-2",
    }
    # killed while writing checkpoint 2: its optimizer state is torn
    optimizer = checkpoints / "checkpoint-2" / "optimizer.pt"
    optimizer.write_bytes(optimizer.read_bytes()[:100])
    with caplog.at_level(logging.WARNING, logger="prreview.train.trainer"):
        second = train_adapter(
            tiny_model, RECORDS, None, settings(max_steps=4, **every_step), out
        )
    assert "skipping checkpoint" in caplog.text and "optimizer.pt" in caplog.text
    assert (checkpoints / "corrupt-checkpoint-2").is_dir()
    assert second.resumed_from == checkpoints / "checkpoint-1"
    assert second.metrics["global_step"] == 4
    assert second.metrics["session_steps"] == 3

    # the same four steps in one go end at the same loss and weights
    straight = train_adapter(
        tiny_model,
        RECORDS,
        None,
        settings(max_steps=4, **every_step),
        tmp_path / "straight",
    )
    assert second.metrics["last_train_loss"] == pytest.approx(
        straight.metrics["last_train_loss"], rel=1e-4
    )

    # other data: the old checkpoints are moved aside, training starts over
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="prreview.train.trainer"):
        third = train_adapter(
            tiny_model, RECORDS[:6], None, settings(max_steps=1, **every_step), out
        )
    assert third.resumed_from is None and third.metrics["global_step"] == 1
    assert "other data or settings" in caplog.text
    assert list(out.glob(f"{CHECKPOINTS}-superseded-*"))
    assert (out / ADAPTER / "adapter_model.safetensors").is_file()


def test_killed_after_the_last_checkpoint_the_checkpoint_is_the_result(
    tiny_model: Path, tmp_path: Path
) -> None:
    from safetensors.torch import load_file

    out = tmp_path / "out"
    run = settings(eval_steps=1, save_total_limit=3, batch_size=2)
    first = train_adapter(tiny_model, RECORDS, None, run, out)
    weights = load_file(first.adapter_dir / "adapter_model.safetensors")
    for path in (out / ADAPTER).iterdir():  # killed before the adapter was saved
        path.unlink()
    (out / ADAPTER).rmdir()
    again = train_adapter(tiny_model, RECORDS, None, run, out)
    assert again.resumed_from == out / CHECKPOINTS / "checkpoint-2"
    assert again.metrics["global_step"] == 2 and again.metrics["session_steps"] == 0
    reloaded = load_file(again.adapter_dir / "adapter_model.safetensors")
    assert reloaded.keys() == weights.keys()
    assert all(torch.equal(reloaded[name], weights[name]) for name in weights)


# --- the GPU path and the bundled model ---------------------------------------------

needs_cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")


def test_4bit_forced_on_cpu_trains_a_fresh_model(
    tiny_model: Path, tmp_path: Path
) -> None:
    """The QLoRA code path (bitsandbytes NF4, kbit preparation) without a GPU."""
    if torch.cuda.is_available():
        pytest.skip("covered by the GPU test")
    values = {
        "max_steps": 2,
        "batch_size": 4,
        "gradient_accumulation": 1,
        "learning_rate": 1e-3,
        "max_length": 128,
        "min_train_records": 4,
        "progress_bar": False,
        "allow_cpu_quantization": True,
        "gradient_checkpointing": False,
    }
    result = train_adapter(
        tiny_model, RECORDS, None, profile("qlora_4bit", **values), tmp_path / "out"
    )
    assert result.device == "cpu" and result.metrics["global_step"] == 2
    assert math.isfinite(result.metrics["train_loss"])
    config = json.loads((result.adapter_dir / "adapter_config.json").read_text())
    assert config["r"] == 32 and config["lora_alpha"] == 64


@pytest.mark.gpu
@needs_cuda
@pytest.mark.parametrize("name", ["qlora_4bit", "qlora_8bit"])
def test_quantized_profiles_train_on_gpu(
    name: str, tiny_model: Path, tmp_path: Path
) -> None:
    values = {
        "max_steps": 3,
        "batch_size": 4,
        "gradient_accumulation": 1,
        "learning_rate": 1e-3,
        "max_length": 128,
        "min_train_records": 4,
        "progress_bar": False,
        "merge": True,
    }
    result = train_adapter(
        tiny_model, RECORDS, RECORDS[:4], profile(name, **values), tmp_path / "out"
    )
    assert result.device == "cuda"
    assert math.isfinite(result.metrics["train_loss"])
    assert result.metrics["peak_memory_mb"] > 0
    assert result.merged_dir is not None
    assert (result.merged_dir / "config.json").is_file()


@pytest.mark.slow
def test_bundled_model_trains_two_steps(
    tmp_path: Path, bundled_model_dir: Path
) -> None:
    from tests.pipelines.dataset.test_pipeline import critique  # noqa: PLC0415

    base = bundled_model_dir
    records = [critique("o/r", number) for number in range(1, 9)]
    result = train_adapter(
        base,
        records[:8],
        None,
        profile(
            "lora",
            max_steps=2,
            batch_size=2,
            max_length=1024,
            min_train_records=4,
            progress_bar=False,
        ),
        tmp_path / "out",
    )
    assert result.metrics["global_step"] == 2
    assert math.isfinite(result.metrics["train_loss"])
    assert (result.adapter_dir / "adapter_model.safetensors").is_file()
