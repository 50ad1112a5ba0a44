"""The fim nodes on temporary git repositories (good, binary, non-UTF-8, vendored,
huge, broken and sentinel-holding files), the pipeline on an in-memory catalog, and a
real `kedro run --pipeline fim` in a project copy."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from kedro.io import DataCatalog, MemoryDataset
from kedro.runner import SequentialRunner
from pydantic import ValidationError

from prreview.code.fim import reassemble_text
from prreview.code.history import GitHistoryError
from prreview.datasets import TokenizerDataset
from prreview.pipelines.fim import create_pipeline
from prreview.pipelines.fim.nodes import (
    FimParams,
    build_fim_examples,
    collect_fim_files,
)
from prreview.schemas import FIMRecord
from tests.code.conftest import commit, make_repo

ROOT = Path(__file__).parents[3]

GOOD = "".join(
    f"def f{i}(x):\n    if x > {i}:\n        return x - {i}\n    return x\n\n\n"
    for i in range(30)
)


@pytest.fixture(scope="module")
def tokenizer(bundled_model_dir: Path) -> Any:
    return TokenizerDataset(model_dir=str(bundled_model_dir)).load()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    path = make_repo(tmp_path, "code")
    commit(
        path,
        {
            "src/app.py": GOOD,
            "src/lib.rs": "pub fn add(a: u32, b: u32) -> u32 {\n    a + b\n}\n" * 3,
            "src/broken.py": "def oops(:\n    return [1, 2\n" * 5,
            "src/blob.py": b"\x00\x01binary" * 20,
            "src/latin.py": "# caf\xe9\n".encode("latin-1") * 20,
            "vendor/dep.py": GOOD,
            "src/empty.py": "\n\n",
            "src/tiny.py": "x = 1\n",
            "src/huge.py": "y = 1\n" * 5_000,
            "src/fim.py": "s = '<fim_prefix>'\n" * 10,
            "README.md": "# Code\n" * 20,
        },
        "feat: initial code",
    )
    return path


def params(path: Path | str, **overrides: Any) -> FimParams:
    base: dict[str, Any] = {"repositories": [{"path": str(path), "name": "code"}]}
    return FimParams.model_validate({**base, "max_bytes": 20_000, **overrides})


def test_files_are_kept_or_skipped_by_reason(repo: Path) -> None:
    files, summary = collect_fim_files(params(repo))
    assert [f["path"] for f in files] == ["src/app.py", "src/broken.py", "src/lib.rs"]
    assert summary["counts"] == {
        "files_in": 11,
        "files_kept": 3,
        "skipped:binary": 1,
        "skipped:empty": 1,
        "skipped:fim_tokens": 1,
        "skipped:language": 1,  # README.md
        "skipped:too_large": 1,
        "skipped:too_small": 1,
        "skipped:undecodable": 1,
        "skipped:vendored": 1,
    }
    assert {f["commit"] for f in files} == {summary["repositories"][0]["head"]}


def test_examples_reassemble_validate_and_fit_the_budget(repo, tokenizer) -> None:
    p = params(repo, examples_per_file=3, max_tokens=128)
    files, summary = collect_fim_files(p)
    examples, report = build_fim_examples(files, summary, tokenizer, p)
    texts = {(f["path"]): f["text"] for f in files}
    assert len(examples) == report["examples"]["out"] > 0
    for example in examples:
        FIMRecord.model_validate(example)
        window = texts[example["path"]][example["window_start"] : example["window_end"]]
        assert example["prefix"] + example["middle"] + example["suffix"] == window
        assert reassemble_text(example["text"], "starcoder", example["mode"]) == window
        assert example["text"].startswith("<fim_prefix>")
        assert example["text"].endswith("<|endoftext|>")
        assert example["tokens"] <= 128
    assert report["files"]["skipped_by_reason"]["binary"] == 1
    assert set(report["examples"]["by_mode"]) <= {"psm", "spm"}
    assert report["examples"]["by_span_mode"].get("node", 0) > 0


def test_examples_are_deterministic_for_a_seed(repo, tokenizer) -> None:
    files, summary = collect_fim_files(params(repo))
    first, _ = build_fim_examples(files, summary, tokenizer, params(repo))
    again, _ = build_fim_examples(files, summary, tokenizer, params(repo))
    other, _ = build_fim_examples(files, summary, tokenizer, params(repo, seed=1))
    assert first == again and first != other


def test_rates_and_char_spans(repo, tokenizer) -> None:
    p = params(repo, psm_rate=1.0, spm_rate=0.0, span_mode="char", max_tokens=None)
    files, summary = collect_fim_files(p)
    examples, report = build_fim_examples(files, summary, tokenizer, p)
    assert {e["mode"] for e in examples} == {"psm"}
    assert {e["span_mode"] for e in examples} == {"char"}
    assert all(e["tokens"] is None for e in examples)
    assert report["examples"]["by_mode"] == {"psm": len(examples)}


def test_recent_commits_add_older_versions(repo: Path) -> None:
    new = "pub fn sub(a: u32, b: u32) -> u32 {\n    a - b\n}\n" * 3
    head = commit(repo, {"src/lib.rs": new}, "Subtract instead")
    files, summary = collect_fim_files(params(repo, recent_commits=2))
    versions = [(f["commit"], f["text"]) for f in files if f["path"] == "src/lib.rs"]
    assert versions[0] == (head, new) and len(versions) == 2
    assert versions[1][0] != head and "add" in versions[1][1]
    # the root commit's src/app.py is the same blob as HEAD's: not read twice
    assert summary["counts"]["recent_versions"] == 1


def test_bad_repositories(tmp_path: Path) -> None:
    with pytest.raises(GitHistoryError, match="missing"):
        collect_fim_files(params(tmp_path / "missing"))
    (tmp_path / "plain").mkdir()
    with pytest.raises(GitHistoryError, match="not a git repository"):
        collect_fim_files(params(tmp_path / "plain"))
    files, summary = collect_fim_files(params(tmp_path / "missing", skip_missing=True))
    assert files == [] and summary["counts"]["repositories_skipped"] == 1
    files, summary = collect_fim_files(params(make_repo(tmp_path, "empty")))
    assert files == [] and summary["repositories"][0]["status"] == "empty"


def test_parameters_file_holds_the_defaults_and_bad_values_fail() -> None:
    conf = yaml.safe_load((ROOT / "conf/base/parameters_fim.yml").read_text())
    assert FimParams.model_validate(conf["fim"]) == FimParams()
    with pytest.raises(ValidationError, match="psm_rate"):
        FimParams(psm_rate=0.7, spm_rate=0.5)
    with pytest.raises(ValidationError, match="unknown FIM format"):
        FimParams(fim_format="nope")
    with pytest.raises(ValidationError, match="extra"):
        FimParams(unknown=1)


def test_pipeline_on_an_in_memory_catalog(repo, tokenizer) -> None:
    catalog = DataCatalog(
        {
            "params:fim": MemoryDataset(params(repo)),
            "base_tokenizer": MemoryDataset(tokenizer, copy_mode="assign"),
            "fim_examples": MemoryDataset(),
            "fim_report": MemoryDataset(),
        }
    )
    SequentialRunner().run(create_pipeline(), catalog)
    examples = catalog.load("fim_examples")
    report = catalog.load("fim_report")
    assert report["files"]["kept"] == 3 and report["examples"]["out"] == len(examples)
    json.dumps(report)


def test_kedro_run_fim_in_a_project_copy(
    project_copy, repo, tokenizer, bundled_model_dir
) -> None:
    local = {
        "parameters_fim.yml": yaml.safe_dump(
            {"fim": {"repositories": [{"path": str(repo)}], "max_bytes": 20000}}
        ),
        "catalog_tokenizer.yml": yaml.safe_dump(
            {
                "base_tokenizer": {
                    "type": "prreview.datasets.TokenizerDataset",
                    "model_dir": str(bundled_model_dir),
                }
            }
        ),
    }
    project = project_copy(local_conf=local)
    env = {**os.environ, "KEDRO_DISABLE_TELEMETRY": "true", "HF_HUB_OFFLINE": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "kedro", "run", "--pipeline", "fim"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = (project / "data/05_model_input/fim_examples.jsonl").read_text()
    examples = [json.loads(line) for line in lines.splitlines()]
    assert {e["path"] for e in examples} == {
        "src/app.py",
        "src/broken.py",
        "src/lib.rs",
    }
    reports = list((project / "data/08_reporting/fim_report.json").iterdir())
    assert len(reports) == 1, "versioned"


def test_file_text_is_redacted_before_examples_are_cut(tmp_path: Path) -> None:
    secret = "AKIAIOSFODNN7EXAMPLE"
    path = make_repo(tmp_path, "leaky")
    commit(path, {"src/app.py": GOOD + f'\nKEY_ID = "{secret}"\n'}, "feat: app")
    files, summary = collect_fim_files(params(path))
    (file,) = files
    assert secret not in json.dumps(file) and "<KEY>" in file["text"]
    assert summary["counts"]["redacted:aws_access_key_id"] == 1
