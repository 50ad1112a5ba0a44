"""The dataset nodes on hand-made records with the bundled tokenizer, and the whole
pipeline on the in-memory catalog; its outputs load with `datasets`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from kedro.io import DataCatalog, MemoryDataset
from kedro.runner import SequentialRunner

from prreview.code.fim import get_fim_format, reassemble
from prreview.curate.split import LeakageError
from prreview.diffs.critique import ReviewContext, critique_messages
from prreview.diffs.render import CommentBlock
from prreview.pipelines.dataset import create_pipeline
from prreview.pipelines.dataset.nodes import (
    DatasetParams,
    clean_fim_examples,
    clean_sft_records,
    fit_sft_lengths,
    import_chat_logs,
    split_sft_records,
)
from prreview.schemas import SFTRecord

CHATLOGS = Path(__file__).parents[2] / "curate" / "chatlogs"
GITHUB_TOKEN = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
WORDS = (
    "parse read write flush close open buffer cursor token span lexer scan "
    "emit yield check bound index slice merge split join trim strip"
).split()


@pytest.fixture(scope="module")
def tokenizer(bundled_model_dir: Path):
    from transformers import AutoTokenizer  # noqa: PLC0415

    return AutoTokenizer.from_pretrained(bundled_model_dir)


def diff_lines(seed: int, count: int = 12, first: int = 1) -> str:
    lines = [
        f"{first + n:>3} +    {WORDS[(seed * 7 + n) % len(WORDS)]}_{seed}(x{n}) "
        f"{WORDS[(seed + n * 3) % len(WORDS)]}"
        for n in range(count)
    ]
    return f"@@ -{first},0 +{first},{count} @@\n" + "\n".join(lines)


def critique(
    repo: str, pr: int, path: str = "a.py", *, seed: int | None = None, body: str = ""
) -> dict[str, Any]:
    seed = pr if seed is None else seed
    context = ReviewContext(
        repo=repo,
        pr_title=f"Change {pr}",
        path=path,
        language="Python",
        rendered_patch=f"--- a/{path}\n+++ b/{path}\n{diff_lines(seed)}",
    )
    block = CommentBlock(
        path=path,
        side="RIGHT",
        line=2,
        body=body or f"`{WORDS[seed % len(WORDS)]}_{seed}` should check its bound.",
    )
    return {
        "messages": critique_messages(context, [block]),
        "metadata": {
            "source": "critique",
            "repo": repo,
            "pr_number": pr,
            "path": path,
            "language": "Python",
            "negative": False,
            "example": f"{repo}#{pr}:{path}:None:positive",
        },
    }


def commit_record(repo: str, sha: str, request: str) -> dict[str, Any]:
    return {
        "messages": [
            {"role": "system", "content": "You plan code changes."},
            {"role": "user", "content": f"Repository: {repo}\n\n{request}"},
            {"role": "assistant", "content": f"Intent: feature\nFiles: {sha}.py"},
        ],
        "metadata": {"source": "commits", "repo": repo, "shas": [sha]},
    }


def test_chat_logs_of_every_shape_are_imported() -> None:
    files = {
        path.name: path.read_text()
        for path in sorted(CHATLOGS.iterdir())
        if path.name not in {"broken.jsonl", "malformed.json"}
    }
    records, counts = import_chat_logs(files, DatasetParams())
    assert len(records) >= 5
    for record in records:
        SFTRecord.model_validate(record)
        assert record["messages"][0]["content"] == "You are a helpful coding assistant."
    assert counts["conversations_in"] >= len(records)
    assert import_chat_logs(files, DatasetParams(sources=["critique"])) == ([], {})


def test_a_malformed_chat_log_names_the_file() -> None:
    text = (CHATLOGS / "malformed.json").read_text()
    with pytest.raises(ValueError, match="malformed.json"):
        import_chat_logs({"malformed.json": text}, DatasetParams())


def test_clean_redacts_checks_and_deduplicates(tokenizer) -> None:
    leaky = critique("o/one", 1, body=f'Do not commit `token = "{GITHUB_TOKEN}"`.')
    same = critique("o/two", 9, seed=2)  # identical diff and answer to PR 2 of o/one
    broken = critique("o/one", 3)
    broken["messages"] = broken["messages"][:2] + [
        {"role": "assistant", "content": "   "}
    ]
    near = critique("o/one", 4, seed=5)
    near["messages"][1]["content"] = near["messages"][1]["content"].replace(
        "Change 4", "Change four"
    )
    records = [leaky, critique("o/one", 2), broken, critique("o/one", 5), near, same]
    commits = [commit_record("o/one", "abc", "Add a lexer for the new token kinds")]
    kept, report = clean_sft_records(records, commits, [], tokenizer, DatasetParams())
    assert GITHUB_TOKEN not in str(kept)
    assert report["redacted"] == {"github_token": 1}
    assert report["qc_dropped"] == {"empty_turn": 1}
    assert report["dedupe"]["exact"] + report["dedupe"]["near"] == 2
    kept_examples = {r["metadata"].get("example") for r in kept}
    assert "o/one#2:a.py:None:positive" in kept_examples, "the smaller key stays"
    assert "o/two#9:a.py:None:positive" not in kept_examples
    assert len(kept) == 4


def test_lengths_trim_uncommented_hunks_or_drop(tokenizer) -> None:
    records = [critique("o/r", n) for n in range(1, 20)]
    long = critique("o/r", 50)
    patch = long["messages"][1]["content"]
    extra = "\n".join(diff_lines(60 + n, 40, first=100 * (n + 1)) for n in range(4))
    long["messages"][1]["content"] = patch + "\n" + extra
    huge_commit = commit_record("o/r", "f00", "word " * 3000)
    params = DatasetParams(lengths={"coverage": 0.9})
    fitted, report, figure = fit_sft_lengths(
        [*records, long, huge_commit], tokenizer, params
    )
    assert report["fitted"] == {"dropped_too_long": 1, "trimmed": 1}
    assert report["stats"]["count"] == 21
    assert report["max_length"] == report["stats"]["max_length_95"]
    trimmed = next(r for r in fitted if r["metadata"]["pr_number"] == 50)
    assert trimmed["metadata"]["trimmed_hunks"] >= 1
    assert len(trimmed["messages"][1]["content"]) < len(long["messages"][1]["content"])
    assert figure.axes


def test_split_keeps_repositories_apart_and_fails_on_a_leak() -> None:
    records = [critique(f"o/r{n % 7}", n) for n in range(1, 43)]
    train, eval_, test, report = split_sft_records(records, DatasetParams())
    groups = [{r["metadata"]["repo"] for r in rows} for rows in (train, eval_, test)]
    assert all(groups) and not (groups[0] & groups[1] or groups[0] & groups[2])
    assert not groups[1] & groups[2]
    assert sum(report[s]["records"] for s in ("train", "eval", "test")) == 42
    assert split_sft_records(records, DatasetParams()) == (train, eval_, test, report)
    copies = [critique(f"o/r{n}", 100, seed=3) for n in range(7)]
    with pytest.raises(LeakageError):
        split_sft_records(records + copies, DatasetParams())


def fim_row(repo: str, path: str, middle: str, start: int = 0) -> dict[str, Any]:
    fmt = get_fim_format("starcoder")
    prefix, suffix = f"def f_{start}():\n    ", f"\n    return {start}\n"
    return {
        "repo": repo,
        "path": path,
        "commit": "c" * 40,
        "language": "Python",
        "prefix": prefix,
        "middle": middle,
        "suffix": suffix,
        "text": fmt.render(prefix, middle, suffix, "psm"),
        "mode": "psm",
        "span_mode": "char",
        "fim_format": "starcoder",
        "window_start": start,
        "window_end": start + len(prefix + middle + suffix),
        "node_type": None,
        "fallback": None,
        "tokens": None,
    }


def test_fim_is_redacted_rendered_again_and_split_by_file(tokenizer) -> None:
    rows = [
        fim_row("o/r", f"m{n}.py", f"x_{n} = compute_{n}(y) + {n}", n)
        for n in range(30)
    ]
    rows.append(fim_row("o/r", "k.py", f'key = "{GITHUB_TOKEN}"', 99))
    rows.append(dict(rows[0]))  # an exact copy
    train, eval_, test, report = clean_fim_examples(rows, tokenizer, DatasetParams())
    everything = train + eval_ + test
    assert GITHUB_TOKEN not in str(everything)
    assert report["redacted"] == {"github_token": 1}
    assert report["dedupe"]["exact"] == 1 and report["split_by"] == "file"
    files = [{r["path"] for r in rows} for rows in (train, eval_, test)]
    assert not (files[0] & files[1] or files[0] & files[2] or files[1] & files[2])
    for row in everything:
        assert reassemble_parts(row) == row["prefix"] + row["middle"] + row["suffix"]


def reassemble_parts(row: dict[str, Any]) -> str:
    from prreview.code.fim import FIMExample  # noqa: PLC0415

    fields = set(FIMExample.__dataclass_fields__)
    return reassemble(FIMExample(**{k: v for k, v in row.items() if k in fields}))


def test_pipeline_on_the_catalog_writes_loadable_splits(tokenizer, tmp_path) -> None:
    critique_rows = [critique(f"o/r{n % 5}", n) for n in range(1, 31)]
    commits = [
        commit_record("o/r1", f"s{n}", f"Add feature {n} to the parser")
        for n in range(5)
    ]
    fim = [fim_row("o/r", f"m{n}.py", f"v_{n} = g_{n}(w)", n) for n in range(12)]
    catalog = DataCatalog(
        {
            "chat_logs": MemoryDataset({}),
            "critique_sft": MemoryDataset(critique_rows),
            "commit_sft": MemoryDataset(commits),
            "fim_examples": MemoryDataset(fim),
            "base_tokenizer": MemoryDataset(tokenizer, copy_mode="assign"),
            "params:dataset": MemoryDataset(DatasetParams()),
        }
    )
    SequentialRunner().run(create_pipeline(), catalog)
    card = catalog.load("dataset_card")
    report = catalog.load("dataset_report")
    assert "# prreview SFT dataset" in card and "| train |" in card
    assert sum(report["splits"].values()) == 35
    assert report["by_source"] == {"commits": 5, "critique": 30}
    from datasets import Dataset  # noqa: PLC0415

    frame = catalog.load("sft_train_parquet")
    path = tmp_path / "train.parquet"
    frame.to_parquet(path)
    loaded = Dataset.from_parquet(str(path))
    assert loaded.num_rows == report["splits"]["train"]
    assert loaded[0]["messages"][0]["role"] == "system"
