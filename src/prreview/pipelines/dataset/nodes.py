"""dataset nodes: the SFT sources (critique, commits, chat logs) and the FIM examples
go through the same steps, each counted: redaction of secrets and personal data
first (nothing unredacted is written after this point), quality checks, exact and
near-duplicate removal, fitting to a token length, and a split by repository with a
leakage check that fails the run. The work lives in prreview.curate."""

from __future__ import annotations

import json
import logging
from collections import Counter
from functools import partial
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from prreview.code.fim import get_fim_format
from prreview.curate.chatlogs import conversations_to_records, parse_chatlog_text
from prreview.curate.dedupe import deduplicate
from prreview.curate.lengths import histogram_figure, length_stats, trim_critique_record
from prreview.curate.qc import QCLimits, apply_checks, check_chat, check_completion
from prreview.curate.redact import Redactor, RedactSettings, redact_records
from prreview.curate.split import LeakageError, check_leakage, split_by_repository
from prreview.curate.tokens import chat_tokens, text_tokens
from prreview.diffs.critique import review_payload
from prreview.partitions import Rows
from prreview.schemas import FIMRecord, SFTRecord, validate_records

logger = logging.getLogger(__name__)


Source = Literal["critique", "commits", "chat_logs"]
SPLITS = ("train", "eval", "test")


class ChatLogParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    system_prompt: str | None = "You are a helpful coding assistant."
    repo: str | None = None


class QCParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_tokens: int = Field(16, ge=0)
    max_answer_chars: int = Field(20_000, ge=1)


class DedupeParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    threshold: float = Field(0.8, gt=0, le=1)
    num_perm: int = Field(128, ge=16)
    shingle_size: int = Field(3, ge=1)
    seed: int = 0


class LengthParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    coverage: float = Field(0.95, gt=0, le=1)
    max_length: int | None = Field(None, ge=64)
    hard_max_length: int = Field(4096, ge=64)


class SplitParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fractions: dict[str, float] = Field(
        default_factory=lambda: {"train": 0.7, "eval": 0.15, "test": 0.15}
    )
    seed: int = 0
    latest_test: float | None = Field(None, gt=0, lt=1)


class FimDatasetParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_tokens: int = Field(2048, ge=16)
    min_repositories_for_repo_split: int = Field(3, ge=1)


class DatasetParams(BaseModel):
    """docs/dataset.md explains each step and its settings."""

    model_config = ConfigDict(extra="forbid")

    sources: list[Source] = Field(
        default_factory=lambda: ["critique", "commits", "chat_logs"]
    )
    chat_logs: ChatLogParams = Field(default_factory=ChatLogParams)
    redact: bool = True
    redaction: dict[str, Any] = Field(default_factory=dict)  # RedactSettings fields
    qc: QCParams = Field(default_factory=QCParams)
    dedupe: DedupeParams = Field(default_factory=DedupeParams)
    lengths: LengthParams = Field(default_factory=LengthParams)
    split: SplitParams = Field(default_factory=SplitParams)
    fim: FimDatasetParams = Field(default_factory=FimDatasetParams)


# ----------------------------------------------------------------------- helpers


def _turns(record: dict[str, Any], role: str) -> list[str]:
    return [m["content"] for m in record["messages"] if m["role"] == role]


def _dedupe_text(record: dict[str, Any]) -> str:
    """What makes a conversation itself: its last user turn (for critique records
    only the file and diff part) and the answers."""
    users = _turns(record, "user")
    user = review_payload(users[-1]) if users else ""
    return "\n".join([user, *_turns(record, "assistant")])


def _record_key(record: dict[str, Any]) -> str:
    """A stable order for picking which duplicate stays: source, then identity."""
    meta = record["metadata"]
    identity = meta.get("example") or meta.get("conversation") or meta.get("shas")
    return f"{meta.get('source')}|{meta.get('repo')}|{json.dumps(identity)}"


def _repo_of(record: dict[str, Any]) -> str:
    meta = record["metadata"]
    return str(meta.get("repo") or f"{meta.get('source')}:{meta.get('conversation')}")


# ------------------------------------------------------------------------- nodes


def import_chat_logs(
    chat_logs: dict[str, str], dataset_params: DatasetParams
) -> tuple[Rows, dict[str, int]]:
    """SFT records from the exported conversations in data/01_raw/chat_logs."""
    records: Rows = []
    counts: Counter[str] = Counter()
    if "chat_logs" not in dataset_params.sources:
        return records, {}
    for name in sorted(chat_logs):
        conversations = parse_chatlog_text(name, chat_logs[name])
        result = conversations_to_records(
            conversations,
            source_name=name,
            system_prompt=dataset_params.chat_logs.system_prompt,
            repo=dataset_params.chat_logs.repo,
        )
        records.extend(result.records)
        counts.update(result.counts)
    logger.info("chat logs: %d files, %d records", len(chat_logs), len(records))
    return records, dict(sorted(counts.items()))


def clean_sft_records(
    critique_sft: Rows,
    commit_sft: Rows,
    chat_log_records: Rows,
    base_tokenizer: Any,
    dataset_params: DatasetParams,
) -> tuple[Rows, dict[str, Any]]:
    """All SFT sources redacted, then checked (structure, empty turns, an answer
    equal to its prompt, too short, non-text), then without exact and near
    duplicates across sources and iterations."""
    by_source = {
        "critique": critique_sft,
        "commits": commit_sft,
        "chat_logs": chat_log_records,
    }
    records = [
        record for source in dataset_params.sources for record in by_source[source]
    ]
    report: dict[str, Any] = {
        "in_by_source": {s: len(by_source[s]) for s in dataset_params.sources}
    }
    redaction: dict[str, int] = {}
    if dataset_params.redact:
        redactor = Redactor(RedactSettings(**dataset_params.redaction))
        records, counts = redact_records(records, redactor)
        redaction = dict(sorted(counts.items()))
    report["redacted"] = redaction
    limits = QCLimits(min_tokens=dataset_params.qc.min_tokens)
    count_text = partial(text_tokens, base_tokenizer)

    def check(record: dict[str, Any]) -> str | None:
        reason = check_chat(record, limits, count_text)
        answers = _turns(record, "assistant") if reason is None else []
        if any(len(a) > dataset_params.qc.max_answer_chars for a in answers):
            return "answer_too_long"
        return reason

    checked, dropped = apply_checks(records, check, "sft records")
    report["qc_dropped"] = dict(sorted(dropped.items()))
    dedupe = dataset_params.dedupe
    result = deduplicate(
        checked,
        _dedupe_text,
        _record_key,
        threshold=dedupe.threshold,
        num_perm=dedupe.num_perm,
        shingle_size=dedupe.shingle_size,
        seed=dedupe.seed,
    )
    report["dedupe"] = result.counts
    report["dedupe_examples"] = [
        {"dropped": d.key, "duplicate_of": d.duplicate_of, "kind": d.kind}
        for d in result.dropped[:20]
    ]
    validate_records(SFTRecord, result.kept)
    logger.info(
        "dataset: %d SFT records in, %d redactions, %d failed checks, %d exact and "
        "%d near duplicates, %d kept",
        len(records),
        sum(redaction.values()),
        sum(dropped.values()),
        result.exact,
        result.near,
        len(result.kept),
    )
    return result.kept, report


def fit_sft_lengths(
    records: Rows, base_tokenizer: Any, dataset_params: DatasetParams
) -> tuple[Rows, dict[str, Any], Any]:
    """Token lengths with the base model's chat template: percentiles, the length
    covering ``coverage`` of the records (the training max_length), a histogram;
    longer critique records lose uncommented hunks, other long records are
    dropped, all counted."""
    count = partial(chat_tokens, base_tokenizer)
    lengths = [count(r["messages"]) for r in records]
    params = dataset_params.lengths
    stats = length_stats(lengths, coverage=params.coverage)
    max_length = params.max_length or stats["max_length_95"] or params.hard_max_length
    max_length = min(int(max_length), params.hard_max_length)
    fitted: Rows = []
    counts: Counter[str] = Counter()
    for record, length in zip(records, lengths):
        if length <= max_length:
            fitted.append(record)
            continue
        trimmed = None
        if record["metadata"].get("source") == "critique":
            trimmed = trim_critique_record(record, max_length, count)
        if trimmed is None:
            counts["dropped_too_long"] += 1
        else:
            counts["trimmed"] += 1
            fitted.append(dict(trimmed))
    figure = histogram_figure(lengths, max_length, title="SFT record lengths (tokens)")
    report = {
        "stats": stats,
        "max_length": max_length,
        "coverage": params.coverage,
        "fitted": dict(sorted(counts.items())),
    }
    logger.info(
        "dataset: max_length %d tokens covers %.0f%% (p95 %s); %d trimmed, %d dropped",
        max_length,
        params.coverage * 100,
        stats.get("p95"),
        counts["trimmed"],
        counts["dropped_too_long"],
    )
    return fitted, report, figure


def split_sft_records(
    records: Rows, dataset_params: DatasetParams
) -> tuple[Rows, Rows, Rows, dict[str, Any]]:
    """Train, eval and test with no repository in two of them (or, with
    ``latest_test``, no PR); a leak of a repository or a near duplicate fails the
    run."""
    params = dataset_params.split
    kwargs: dict[str, Any] = {}
    if params.latest_test is not None:
        kwargs = {
            "latest_test": params.latest_test,
            "time_of": lambda r: f"{r['metadata'].get('pr_number') or 0:010d}",
            "pr_of": lambda r: (_repo_of(r), r["metadata"].get("pr_number")),
        }
    splits = split_by_repository(
        records, _repo_of, params.fractions, params.seed, **kwargs
    )
    dedupe = dataset_params.dedupe
    leaks = check_leakage(
        splits,
        _repo_of,
        _dedupe_text,
        threshold=dedupe.threshold,
        num_perm=dedupe.num_perm,
        shingle_size=dedupe.shingle_size,
        seed=dedupe.seed,
        pr_of=kwargs.get("pr_of"),
        name_of=_record_key,
    )
    if leaks:
        raise LeakageError(leaks)
    report = {
        split: {
            "records": len(rows),
            "repositories": sorted({_repo_of(r) for r in rows}),
        }
        for split, rows in splits.items()
    }
    logger.info(
        "dataset: split %s",
        ", ".join(f"{k} {len(v)}" for k, v in splits.items()),
    )
    return (
        splits.get("train", []),
        splits.get("eval", []),
        splits.get("test", []),
        report,
    )


def clean_fim_examples(
    fim_examples: Rows, base_tokenizer: Any, dataset_params: DatasetParams
) -> tuple[Rows, Rows, Rows, dict[str, Any]]:
    """FIM examples through the same steps: redaction (of prefix, middle and suffix,
    then rendered again), checks, dedupe, and a split by repository, or by file
    when there are too few repositories to split by."""
    records = validate_records(FIMRecord, fim_examples)
    rows = [r.model_dump(mode="json") for r in records]
    redaction: Counter[str] = Counter()
    if dataset_params.redact:
        redactor = Redactor(RedactSettings(**dataset_params.redaction))
        for row in rows:
            for field in ("prefix", "middle", "suffix"):
                new, counts = redactor.redact_value(row[field])
                row[field] = new
                redaction.update(counts)
            fmt = get_fim_format(row["fim_format"])
            row["text"] = fmt.render(
                row["prefix"], row["middle"], row["suffix"], row["mode"]
            )
    limits = QCLimits(min_tokens=1, max_tokens=dataset_params.fim.max_tokens)
    count_text = partial(text_tokens, base_tokenizer)
    checked, dropped = apply_checks(
        [r for r in rows if r["middle"]],
        lambda r: check_completion(r["text"], limits, count_text),
        "fim examples",
    )
    dedupe = dataset_params.dedupe
    result = deduplicate(
        checked,
        lambda r: r["text"],
        lambda r: f"{r['repo']}|{r['path']}|{r['window_start']}|{r['mode']}",
        threshold=dedupe.threshold,
        num_perm=dedupe.num_perm,
        shingle_size=dedupe.shingle_size,
        seed=dedupe.seed,
    )
    repositories = {r["repo"] for r in result.kept}
    by_repo = len(repositories) >= dataset_params.fim.min_repositories_for_repo_split

    def group_of(row: dict[str, Any]) -> str:
        return row["repo"] if by_repo else f"{row['repo']}:{row['path']}"

    splits = split_by_repository(
        result.kept,
        group_of,
        dataset_params.split.fractions,
        dataset_params.split.seed,
    )
    report = {
        "in": len(rows),
        "redacted": dict(sorted(redaction.items())),
        "qc_dropped": dict(sorted(dropped.items()))
        | {"empty_middle": len(rows) - len([r for r in rows if r["middle"]])},
        "dedupe": result.counts,
        "split_by": "repository" if by_repo else "file",
        "splits": {k: len(v) for k, v in splits.items()},
    }
    logger.info("dataset: FIM %s", report["splits"])
    return splits["train"], splits["eval"], splits["test"], report


def _parquet_frame(records: Rows) -> pd.DataFrame:
    """messages as a list of {role, content}; metadata as a JSON string, because
    each source has its own metadata fields."""
    return pd.DataFrame(
        {
            "messages": [r["messages"] for r in records],
            "metadata": [json.dumps(r["metadata"], sort_keys=True) for r in records],
        }
    )


def to_parquet(
    sft_train: Rows, sft_eval: Rows, sft_test: Rows
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The three splits as Parquet tables that `datasets.load_dataset` reads."""
    return _parquet_frame(sft_train), _parquet_frame(sft_eval), _parquet_frame(sft_test)


def _table(counts: dict[str, Any]) -> list[str]:
    return [f"| {k} | {v} |" for k, v in counts.items()] or ["| (none) | 0 |"]


def _by(records: Rows, field: str) -> dict[str, int]:
    return dict(sorted(Counter(str(r["metadata"].get(field)) for r in records).items()))


def write_dataset_card(
    sft_train: Rows,
    sft_eval: Rows,
    sft_test: Rows,
    chat_log_counts: dict[str, int],
    clean_report: dict[str, Any],
    length_report: dict[str, Any],
    split_report: dict[str, Any],
    fim_report: dict[str, Any],
) -> tuple[str, dict[str, Any]]:
    """A dataset card (sizes per source, split, language and repository; what was
    dropped and why) and the same figures as a JSON report."""
    splits = {"train": sft_train, "eval": sft_eval, "test": sft_test}
    everything = [r for rows in splits.values() for r in rows]
    lines = [
        "# prreview SFT dataset",
        "",
        'Chat-format records (`{"messages": [...], "metadata": {...}}`) for '
        "supervised fine-tuning, written by the `dataset` pipeline. Files: "
        "`train.jsonl`, `eval.jsonl`, `test.jsonl` and the same as Parquet "
        "(`metadata` as a JSON string). Load with "
        '`datasets.load_dataset("json", data_files={...})`.',
        "",
        "## Splits",
        "",
        "| split | records | repositories |",
        "|---|---:|---|",
        *(
            f"| {name} | {len(rows)} | "
            f"{', '.join(split_report[name]['repositories'])} |"
            for name, rows in splits.items()
        ),
        "",
        "## Sources",
        "",
        "| source | records |",
        "|---|---:|",
        *_table(_by(everything, "source")),
        "",
        "## Languages (critique records)",
        "",
        "| language | records |",
        "|---|---:|",
        *_table(
            _by([r for r in everything if r["metadata"].get("language")], "language")
        ),
        "",
        "## What was removed",
        "",
        "| step | count |",
        "|---|---:|",
        *_table(
            {f"quality: {k}": v for k, v in clean_report["qc_dropped"].items()}
            | {
                "exact duplicates": clean_report["dedupe"]["exact"],
                "near duplicates": clean_report["dedupe"]["near"],
                "too long (dropped)": length_report["fitted"].get(
                    "dropped_too_long", 0
                ),
                "too long (trimmed hunks)": length_report["fitted"].get("trimmed", 0),
            }
        ),
        "",
        "## Redactions (secrets and personal data replaced with placeholders)",
        "",
        "| kind | count |",
        "|---|---:|",
        *_table(clean_report["redacted"]),
        "",
        "## Lengths",
        "",
        f"max_length {length_report['max_length']} tokens (covers "
        f"{length_report['coverage']:.0%} of records); "
        + ", ".join(
            f"{k} {v}"
            for k, v in length_report["stats"].items()
            if k.startswith("p") and v is not None
        )
        + ".",
        "",
        "## Fill-in-the-middle",
        "",
        f"Split by {fim_report['split_by']}: "
        + ", ".join(f"{k} {v}" for k, v in fim_report["splits"].items())
        + " (`data/05_model_input/fim/`).",
        "",
    ]
    report = {
        "splits": {k: len(v) for k, v in splits.items()},
        "by_source": _by(everything, "source"),
        "by_repository": _by(everything, "repo"),
        "chat_logs": chat_log_counts,
        "clean": clean_report,
        "lengths": length_report,
        "split": split_report,
        "fim": fim_report,
    }
    return "\n".join(lines), report
