"""Training throughput in real (non-pad) tokens per second, through ``train_adapter``.

CPU (default): the critique SFT records, tokenized with the bundled SmolLM2 chat
template and tokenizer, train a LoRA adapter on a small randomly initialised Llama
(SmolLM2's vocabulary, a few narrow layers: the 135M model runs at about 100 tokens/s
on two cores, too slow to compare three strategies in minutes). Same data, same
batch size, one epoch each, in one run: every record padded to max_length (the
naive fixed-shape setup: the baseline), padding to the longest record of each batch
(the HF Trainer's dynamic padding), padding-free batches, and best-fit-decreasing
packing. Only optimizer steps are timed.

GPU (``--gpu``, CUDA only): the ``qlora_4bit`` profile (or ``--profile``) on a given
base model for a few steps: tokens per second and peak GPU memory.

    python -m benchmarks.train_throughput [--records 16] [--batch-size 8]
        [--write docs/benchmarks.md]
    python -m benchmarks.train_throughput --gpu [--base-model MODEL] [--steps 10]
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.report import write_section
from prreview.train import profile, train_adapter

ROOT = Path(__file__).parents[1]
RECORDS = ROOT / "data" / "05_model_input" / "critique_sft.jsonl"
BUNDLED = ROOT / "data" / "06_models" / "smollm2-135m-instruct"
STRATEGIES = {
    "fixed": "every record padded to max_length (naive baseline)",
    "padded": "padded to the longest in the batch (dynamic padding)",
    "padding_free": "padding-free (a batch is one flattened row)",
    "packing": "packing, best-fit decreasing into max_length rows",
}


def load_records(count: int) -> list[dict[str, Any]]:
    lines = RECORDS.read_text().splitlines()
    return [json.loads(line) for line in lines[:count]]


def bundled_model() -> Path:
    from prreview.llm.local_model import (  # noqa: PLC0415
        is_materialized,
        materialize_bundled_model,
    )

    return BUNDLED if is_materialized(BUNDLED) else materialize_bundled_model(BUNDLED)


def tiny_model(target: Path, hidden: int, layers: int) -> Path:
    """A random Llama that reads SmolLM2's tokens with SmolLM2's chat template."""
    import torch  # noqa: PLC0415
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM  # noqa: PLC0415

    tokenizer = AutoTokenizer.from_pretrained(bundled_model())
    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=hidden,
        intermediate_size=hidden * 2,
        num_hidden_layers=layers,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=4096,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        tie_word_embeddings=True,
    )
    LlamaForCausalLM(config).save_pretrained(target)
    tokenizer.save_pretrained(target)
    return target


def measure_cpu(count: int, batch_size: int, hidden: int, layers: int) -> str:
    records = load_records(count)
    work = Path(tempfile.mkdtemp(prefix="train-throughput-"))
    try:
        model = tiny_model(work / "model", hidden, layers)
        base = {
            "epochs": 1.0,
            "batch_size": batch_size,
            "max_length": 2048,
            "eval_steps": 10**6,  # one checkpoint, at the end
            "min_train_records": 1,
            "progress_bar": False,
            "lora": {"r": 16, "alpha": 32},
        }
        warm = profile("lora", **{**base, "max_steps": 2})
        train_adapter(model, records, None, warm, work / "warmup", resume=False)
        rows = []
        for batching in STRATEGIES:
            settings = profile("lora", batching=batching, **base)
            result = train_adapter(
                model, records, None, settings, work / batching, resume=False
            )
            rows.append((batching, result.metrics))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    measured = dict(rows)
    baseline = measured["fixed"]["tokens_per_second"]
    dynamic = measured["padded"]["tokens_per_second"]
    tokens = measured["fixed"]["train_tokens"]
    lines = [
        f"{count} critique SFT records ({tokens:.0f} real tokens, SmolLM2 tokenizer "
        f"and chat template), LoRA r=16 on all projections of a random Llama with "
        f"SmolLM2's 49k vocabulary, hidden {hidden}, {layers} layers; batch "
        f"{batch_size}, one epoch, max length 2048, fp32 on CPU, `train_adapter` "
        "with only the `batching` setting changed. Real tokens exclude padding; "
        "time counts optimizer steps only.",
        "",
        "| batching | steps | real tokens | computed (with padding) | step seconds "
        "| tokens/s | vs naive | vs dynamic padding | peak RSS MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        *(
            f"| {STRATEGIES[name]} | {m['global_step']:.0f} | {m['train_tokens']:.0f} "
            f"| {m['computed_tokens']:.0f} | {m['train_seconds']:.1f} "
            f"| {m['tokens_per_second']:.0f} "
            f"| {m['tokens_per_second'] / baseline:.2f}x "
            f"| {m['tokens_per_second'] / dynamic:.2f}x | {m['peak_memory_mb']:.0f} |"
            for name, m in rows
        ),
        "",
        "Padding costs what it computes: the naive baseline computed "
        f"{measured['fixed']['computed_tokens'] / tokens:.2f}x the real tokens and "
        "dynamic padding "
        f"{measured['padded']['computed_tokens'] / tokens:.2f}x, the most that "
        "removing padding can gain when every token costs the same (the aim was "
        "1.5x against the naive baseline). Two shared CPU cores make single runs "
        "noisy; compare rows within one run only, on an otherwise idle machine.",
    ]
    return "\n".join(lines)


def measure_gpu(base_model: str, name: str, count: int, steps: int) -> str:
    import torch  # noqa: PLC0415

    if not torch.cuda.is_available():
        raise SystemExit("--gpu needs CUDA; none is available here")
    records = load_records(count)  # max_steps runs as many epochs as it needs
    settings = profile(name, max_steps=steps, max_length=2048, progress_bar=False)
    with tempfile.TemporaryDirectory(prefix="train-throughput-") as work:
        result = train_adapter(base_model, records, None, settings, work, resume=False)
    m = result.metrics
    device = torch.cuda.get_device_name()
    return "\n".join(
        [
            f"`{name}` on {base_model}, {device}: {steps} optimizer steps of batch "
            f"{settings.batch_size} x accumulation {settings.gradient_accumulation}, "
            f"packing into rows of 2048 tokens, gradient checkpointing "
            f"{'on' if settings.gradient_checkpointing else 'off'}.",
            "",
            "| profile | real tokens | step seconds | tokens/s | peak GPU memory MB |",
            "|---|---:|---:|---:|---:|",
            f"| {name} | {m['train_tokens']:.0f} | {m['train_seconds']:.1f} "
            f"| {m['tokens_per_second']:.0f} | {m['peak_memory_mb']:.0f} |",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=16, help="CPU mode")
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--gpu", action="store_true", help="the GPU measurement")
    parser.add_argument("--base-model", default="Qwen/Qwen2.5-Coder-3B-Instruct")
    parser.add_argument("--profile", default="qlora_4bit")
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--write", type=Path, help="update this markdown file")
    args = parser.parse_args()
    if args.gpu:
        table = measure_gpu(args.base_model, args.profile, 10**6, args.steps)
        key, title = "train_throughput_gpu", "Training throughput (GPU, QLoRA)"
    else:
        table = measure_cpu(args.records, args.batch_size, args.hidden, args.layers)
        key, title = "train_throughput", "Training throughput (CPU, LoRA)"
    print(table)
    if args.write:
        write_section(args.write, key, title, table)


if __name__ == "__main__":
    main()
