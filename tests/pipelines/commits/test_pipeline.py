"""The commits nodes on small temporary git repositories with known commits and
hand-made PR rows, the pipeline on an in-memory catalog, and a real
`kedro run --pipeline commits` in a project copy."""

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

from prreview.code.history import GitHistoryError
from prreview.datasets import TokenizerDataset
from prreview.pipelines.commits import create_pipeline
from prreview.pipelines.commits.nodes import (
    CommitsParams,
    IntentParams,
    build_chronological_windows,
    build_commit_chunks,
    build_commit_sft,
    classify_intent,
    extract_identifier_changes,
    merge_pull_requests,
    read_commit_history,
)
from prreview.schemas import SFTRecord
from tests.code.conftest import commit, git, git_env, make_repo

ROOT = Path(__file__).parents[3]
PR_REPO = "acme/widgets"

APP_V1 = '''"""App."""


def handler(request):
    return {"ok": True}


class User:
    def name(self):
        return "a"
'''
APP_V2 = '''"""App."""


def handler(request):
    return {"ok": request is not None}


def create_user(name):
    return name
'''


@pytest.fixture(scope="module")
def tokenizer(bundled_model_dir: Path) -> Any:
    return TokenizerDataset(model_dir=str(bundled_model_dir)).load()


@pytest.fixture
def repo(tmp_path: Path) -> dict[str, Any]:
    """Four commits: add files, change/remove/add definitions (+ a binary, a file
    that does not parse, a README), a squash-merged PR, and a docs-only change."""
    path = make_repo(tmp_path, "widgets")
    shas = {
        "init": commit(
            path,
            {"src/api/app.py": APP_V1, "README.md": "# Widgets\n"},
            "feat: initial app",
            "2024-01-01T10:00:00+00:00",
        ),
        "change": commit(
            path,
            {
                "src/api/app.py": APP_V2,
                "src/models/user.rs": "pub struct User { id: u32 }\n",
                "logo.png": b"\x89PNG\r\n\x1a\n\0\0\0binary",
                "src/broken.py": "def oops(:\n    return\n",
            },
            "Fix the handler for missing requests",
            "2024-01-02T10:00:00+00:00",
        ),
        "squash": commit(
            path,
            {"tests/test_app.py": "def test_handler():\n    assert True\n"},
            "Add a test for the handler (#7)",
            "2024-01-03T10:00:00+00:00",
        ),
        "docs": commit(
            path,
            {"docs/usage.md": "How to use it.\n" * 3},
            "Usage notes for operators",
            "2024-01-04T10:00:00+00:00",
        ),
    }
    return {"path": path, "shas": shas}


def params(path: Path | str, **overrides: Any) -> CommitsParams:
    base: dict[str, Any] = {"repositories": [{"path": str(path), "name": PR_REPO}]}
    return CommitsParams.model_validate({**base, **overrides})


def pr_row(number: int, **fields: Any) -> dict[str, Any]:
    row = {
        "repo": PR_REPO,
        "number": number,
        "title": f"Pull request number {number}",
        "body": "",
        "state": "closed",
        "merged": True,
        "merged_at": "2024-01-05T00:00:00Z",
        "created_at": "2024-01-01T00:00:00Z",
        "updated_at": "2024-01-05T00:00:00Z",
        "closed_at": "2024-01-05T00:00:00Z",
        "base_ref": "main",
        "head_ref": "topic",
        "base_sha": "0" * 40,
        "head_sha": "1" * 40,
        "merge_commit_sha": None,
        "author": None,
        "author_type": "User",
        "author_association": "MEMBER",
        "additions": 1,
        "deletions": 0,
        "changed_files": 1,
        "labels": [],
        "linked_issues": [],
        "commit_shas": [],
        "review_comment_count": 0,
        "issue_comment_count": 0,
        "iteration": 1,
    }
    return {**row, **fields}


def issue_row(number: int, pr_number: int) -> dict[str, Any]:
    return {
        "repo": PR_REPO,
        "number": number,
        "pr_number": pr_number,
        "title": "Handler crashes without a request",
        "body": "Calling the handler with None raises.",
        "state": "closed",
        "author": None,
        "created_at": None,
        "closed_at": None,
        "iteration": 1,
    }


def run_history(p: CommitsParams) -> tuple[dict, dict, dict, dict]:
    history, summary = read_commit_history(p)
    identifiers, id_summary = extract_identifier_changes(history, summary, p)
    return history, summary, identifiers, id_summary


# ---------------------------------------------------------------------- history


def test_missing_path_is_a_clear_error_or_a_counted_skip(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(GitHistoryError, match="nowhere"):
        read_commit_history(params(missing))
    history, summary = read_commit_history(params(missing, skip_missing=True))
    assert history == {} and summary["skipped"] == 1
    assert "nowhere" in summary["repositories"][0]["reason"]


def test_a_folder_that_is_not_a_repository_is_named(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    with pytest.raises(GitHistoryError, match="plain: not a git repository"):
        read_commit_history(params(tmp_path / "plain"))


def test_an_empty_repository_gives_nothing_downstream(tmp_path, tokenizer) -> None:
    p = params(make_repo(tmp_path, "empty"))
    history, summary, identifiers, _ = run_history(p)
    assert summary["empty"] == 1 and history == {"acme__widgets": []}
    changes, merge = merge_pull_requests(history, identifiers, {}, {}, p)
    assert changes == [] and merge["pull_requests_matched"] == 0
    chunks, _ = build_commit_chunks(history, tokenizer, p)
    windows, _ = build_chronological_windows(chunks, tokenizer, p)
    assert chunks == [] and all(rows == [] for rows in windows.values())


def test_two_repositories_with_one_name_are_refused(tmp_path: Path) -> None:
    a, b = make_repo(tmp_path / "a", "same"), make_repo(tmp_path / "b", "same")
    p = CommitsParams(repositories=[{"path": str(a)}, {"path": str(b)}])
    with pytest.raises(ValueError, match="give one of them a `name`"):
        read_commit_history(p)


# ------------------------------------------------------------------ identifiers


def test_identifier_changes_per_commit_and_file(repo) -> None:
    _, _, identifiers, summary = run_history(params(repo["path"]))
    by_sha = {row["sha"]: row for row in identifiers["acme__widgets"]}
    init = {f["path"]: f for f in by_sha[repo["shas"]["init"]]["files"]}
    assert {d["name"] for d in init["src/api/app.py"]["added"]} == {
        "handler",
        "User",
        "User.name",
    }
    change = {f["path"]: f for f in by_sha[repo["shas"]["change"]]["files"]}
    app = change["src/api/app.py"]
    assert [d["name"] for d in app["added"]] == ["create_user"]
    assert {d["name"] for d in app["removed"]} == {"User", "User.name"}
    assert [d["name"] for d in app["modified"]] == ["handler"]
    assert [(d["name"], d["kind"]) for d in change["src/models/user.rs"]["added"]] == [
        ("User", "struct")
    ]
    assert change["src/broken.py"]["has_errors"], "a file that does not parse counts"
    counts = summary["counts"]
    assert counts["files_with_parse_errors"] == 1
    # README.md, logo.png, docs/usage.md: no grammar
    assert counts["skipped:unsupported_language"] == 3
    assert repo["shas"]["docs"] not in by_sha


def test_per_commit_file_cap_is_counted(repo) -> None:
    p = params(repo["path"], identifiers={"max_files_per_commit": 1})
    _, _, _, summary = run_history(p)
    assert summary["counts"]["skipped:max_files_per_commit"] == 2


# ------------------------------------------------------- merge, intent and SFT


def test_prs_match_by_sha_and_squash_number(repo) -> None:
    p = params(repo["path"])
    history, _, identifiers, _ = run_history(p)
    shas = repo["shas"]
    pulls = {
        "iter_0001/acme__widgets": [
            pr_row(
                3,
                title="Handle a missing request",
                body="The handler must not crash.",
                labels=["type: bug"],
                linked_issues=[2],
                commit_shas=[shas["change"]],
                head_sha=shas["change"],
            ),
            pr_row(7, title="Test the handler"),  # squash title "(#7)"
            pr_row(9, commit_shas=["f" * 40]),  # not in this history
        ]
    }
    issues = {"iter_0001/acme__widgets": [issue_row(2, 3)]}
    changes, summary = merge_pull_requests(history, identifiers, pulls, issues, p)
    assert summary["pull_requests_in"] == 3
    assert summary["pull_requests_matched"] == 2
    assert summary["pull_requests_with_identifier_data"] == 2
    assert summary["matched_by"] == {"commit_shas": 1, "head_sha": 1, "pr_number": 1}
    by_kind = [
        (c["kind"], c["pull_request"] and c["pull_request"]["number"]) for c in changes
    ]
    assert by_kind == [
        ("commit", None),
        ("pull_request", 3),
        ("pull_request", 7),
        ("commit", None),
    ], "in commit-time order, matched commits folded into their PR"
    pr3 = changes[1]
    assert pr3["request"]["title"] == "Handle a missing request"
    assert pr3["request"]["issues"][0]["title"].startswith("Handler crashes")
    assert (pr3["intent"], pr3["intent_source"]) == ("bug_fix", "label")
    assert pr3["layers"] == {
        "models": ["src/models/user.rs"],
        "api": ["src/api/app.py"],
        "other": ["logo.png", "src/broken.py"],
    }
    assert [(d["path"], d["name"]) for d in pr3["identifiers"]["added"]] == [
        ("src/api/app.py", "create_user"),
        ("src/broken.py", "oops"),  # what the error-tolerant tree still holds
        ("src/models/user.rs", "User"),
    ]

    records, sft_summary = build_commit_sft(changes, p)
    assert sft_summary["records"] == 4
    for record in records:
        SFTRecord.model_validate(record)
        assert record["metadata"]["source"] == "commits"
    user, answer = (m["content"] for m in records[1]["messages"][1:])
    assert "Handle a missing request" in user and "issue #2" in user
    assert answer.startswith("Intent: bug fix")
    assert "api:\n  - src/api/app.py (modified)" in answer
    assert "add:\n  - src/api/app.py: function create_user" in answer
    assert "remove:\n  - src/api/app.py: class User" in answer
    docs = records[-1]
    assert docs["metadata"]["intent"] == "docs", "docs-only change, by its paths"


def test_merge_commits_are_detected_and_left_out_unless_matched(tmp_path) -> None:
    path = make_repo(tmp_path, "merges")
    commit(path, {"a.py": "def a():\n    return 1\n"}, "feat: add a")
    git(path, "checkout", "-q", "-b", "topic")
    topic = commit(path, {"b.py": "def b():\n    return 2\n"}, "feat: add b")
    git(path, "checkout", "-q", "main")
    git(
        path,
        "merge",
        "-q",
        "--no-ff",
        "topic",
        "-m",
        "Merge pull request #5 from someone/topic",
        env=git_env("2024-01-02T00:00:00+00:00"),
    )
    p = params(path)
    history, _, identifiers, id_summary = run_history(p)
    merges = [row for row in history["acme__widgets"] if row["is_merge"]]
    assert len(merges) == 1 and merges[0]["pr_number"] == 5
    assert id_summary["counts"]["skipped_commits:merge"] == 1
    changes, _ = merge_pull_requests(history, identifiers, {}, {}, p)
    records, summary = build_commit_sft(changes, p)
    assert summary["counts"]["skipped:merge_commit"] == 1 and len(records) == 2
    pulls = {"iter_0001/x": [pr_row(5, commit_shas=[topic])]}
    changes, merge = merge_pull_requests(history, identifiers, pulls, {}, p)
    pr = next(c for c in changes if c["kind"] == "pull_request")
    assert merge["matched_by"] == {"commit_shas": 1, "pr_number": 1}
    assert [f["path"] for f in pr["files"]] == ["b.py"], "the PR's own commits"
    assert [d["name"] for d in pr["identifiers"]["added"]] == ["b"]


@pytest.mark.parametrize(
    ("title", "labels", "layers", "expected"),
    [
        ("feat(api): add users", [], ["api"], ("feature", "prefix")),
        ("fix!: crash on start", [], ["api"], ("bug_fix", "prefix")),
        ("Handle empty input", ["kind/bug"], ["api"], ("bug_fix", "label")),
        ("Rename the store module", [], ["database"], ("refactor", "keyword")),
        ("Fix typo in the docs", [], ["docs"], ("bug_fix", "keyword")),
        ("Usage notes", [], ["docs"], ("docs", "paths")),
        ("Pipeline settings", [], ["config", "ci"], ("chore", "paths")),
        ("Widgets everywhere", [], ["api", "tests"], ("feature", "default")),
    ],
)
def test_intent(title, labels, layers, expected) -> None:
    assert classify_intent(title, labels, layers, IntentParams()) == expected


@pytest.mark.parametrize(
    ("path", "layer"),
    [
        ("src/app/handlers/users.py", "api"),
        ("pkg/server.go", "api"),
        ("app/models/user.rb", "models"),
        ("src/schemas.py", "models"),
        ("db/migrations/0001_init.sql", "database"),
        ("src/services/billing.ts", "domain"),
        ("tests/test_users.py", "tests"),
        ("src/user_test.go", "tests"),
        ("web/button.spec.tsx", "tests"),
        ("docs/index.md", "docs"),
        ("pyproject.toml", "config"),
        (".github/workflows/ci.yml", "ci"),
        ("src/prreview/code/fim.py", "other"),
    ],
)
def test_default_layers(path: str, layer: str) -> None:
    assert CommitsParams().layer_of(path) == layer


def test_parameters_file_holds_the_defaults_and_bad_values_fail() -> None:
    conf = yaml.safe_load((ROOT / "conf/base/parameters_commits.yml").read_text())
    assert CommitsParams.model_validate(conf["commits"]) == CommitsParams()
    with pytest.raises(ValidationError, match="overlap_tokens"):
        CommitsParams(
            windows={"context_tokens": 8, "target_tokens": 8, "overlap_tokens": 16}
        )
    with pytest.raises(ValidationError, match="sum to 1"):
        CommitsParams(
            windows={"splits": {"train": 0.9, "validation": 0.1, "test": 0.1}}
        )
    with pytest.raises(ValidationError, match="bad pattern"):
        CommitsParams(layers=[{"layer": "api", "patterns": ["("]}])
    with pytest.raises(ValidationError, match="extra"):
        CommitsParams(unknown=1)


# ------------------------------------------------------------ chunks, windows


def test_chunks_stay_within_bounds_and_split_at_hunks(tmp_path, tokenizer) -> None:
    path = make_repo(tmp_path, "big")
    lines = [f"def f{i}(x):\n    return x + {i}\n\n\n" for i in range(200)]
    commit(path, {"big.py": "".join(lines), "tiny.py": "x = 1\n"}, "feat: big file")
    changed = [
        line.replace("x + ", "x * ") if i % 20 == 0 else line
        for i, line in enumerate(lines)
    ]
    commit(path, {"big.py": "".join(changed), "data/x.json": "{}\n"}, "Scale f")
    p = params(path, chunks={"min_tokens": 75, "max_tokens": 128})
    history, _ = read_commit_history(p)
    chunks, summary = build_commit_chunks(history, tokenizer, p)
    counts = summary["counts"]
    assert counts["skipped:too_few_tokens"] == 1, "tiny.py is trivial"
    assert counts["skipped:excluded_path"] == 1, "data files are not code"
    assert all(75 <= c["tokens"] <= 128 for c in chunks)
    second = [c for c in chunks if c["subject"] == "Scale f"]
    assert len(second) > 1 and all("@@ -" in c["text"] for c in second)
    assert all(c["text"].startswith("commit ") for c in chunks)
    assert [c["committed_at"] for c in chunks] == sorted(
        c["committed_at"] for c in chunks
    )


def test_windows_are_chronological_and_split_by_period(tmp_path, tokenizer) -> None:
    path = make_repo(tmp_path, "timeline")
    for day in range(1, 21):
        body = "".join(f"def f{day}_{i}():\n    return {i}\n\n" for i in range(12))
        commit(
            path,
            {f"m{day}.py": body},
            f"feat: m{day}",
            f"2024-01-{day:02d}T00:00:00+00:00",
        )
    p = params(
        path,
        chunks={"min_tokens": 8, "max_tokens": 256},
        windows={
            "context_tokens": 32,
            "target_tokens": 8,
            "overlap_tokens": 8,
            "splits": {"train": 0.6, "validation": 0.2, "test": 0.2},
            "split_at": "commit",  # no commit straddles two splits
        },
    )
    history, _ = read_commit_history(p)
    chunks, _ = build_commit_chunks(history, tokenizer, p)
    windows, summary = build_chronological_windows(chunks, tokenizer, p)
    assert all(windows[s] for s in ("train", "validation", "test"))
    for rows in windows.values():
        assert all(
            len(r["context_ids"]) == 32 and len(r["target_ids"]) == 8 for r in rows
        )
        assert [r["start_time"] for r in rows] == sorted(r["start_time"] for r in rows)
    periods = summary["splits"]
    assert periods["train"]["to"] < periods["validation"]["from"]
    assert periods["validation"]["to"] < periods["test"]["from"]
    tokens = {s: periods[s]["tokens"] for s in periods}
    assert tokens["train"] / sum(tokens.values()) == pytest.approx(0.6, abs=0.06)
    first, second = windows["train"][0], windows["train"][1]
    assert first["target_ids"] == second["context_ids"][:8], "8 tokens of overlap"
    again, _ = build_chronological_windows(chunks, tokenizer, p)
    assert again == windows
    by_chunk = p.model_copy(
        update={"windows": p.windows.model_copy(update={"split_at": "chunk"})}
    )
    _, summary = build_chronological_windows(chunks, tokenizer, by_chunk)
    periods = summary["splits"]
    assert periods["train"]["to"] <= periods["validation"]["from"]
    assert periods["validation"]["to"] <= periods["test"]["from"]


# ----------------------------------------------------------- pipeline, kedro run


def test_pipeline_on_an_in_memory_catalog(repo, tokenizer) -> None:
    outputs = (
        "commit_history",
        "commit_repository_stats",
        "commit_identifiers",
        "commit_changes",
        "commit_sft",
        "commit_chunks",
        "commit_windows",
        "commits_report",
    )
    catalog = DataCatalog(
        {
            "params:commits": MemoryDataset(params(repo["path"])),
            "base_tokenizer": MemoryDataset(tokenizer, copy_mode="assign"),
            "all_pull_requests": MemoryDataset({"iter_0001/x": [pr_row(7)]}),
            "linked_issues": MemoryDataset({}),
            **{name: MemoryDataset() for name in outputs},
        }
    )
    SequentialRunner().run(create_pipeline(), catalog)
    report = catalog.load("commits_report")
    assert report["history"]["commits"] == 4
    assert report["pull_requests"]["pull_requests_matched"] == 1
    assert report["sft"]["records"] == len(catalog.load("commit_sft")) == 4
    stats = catalog.load("commit_repository_stats")["repositories"]["acme__widgets"]
    assert stats["commits"] == 4 and stats["authors"] == 1
    json.dumps(report)


def test_kedro_run_commits_in_a_project_copy(
    project_copy, repo, tokenizer, bundled_model_dir
) -> None:
    local = {
        "parameters_commits.yml": yaml.safe_dump(
            {
                "commits": {
                    "repositories": [{"path": str(repo["path"]), "name": PR_REPO}]
                }
            }
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
    pulls = project / "data/02_intermediate/pull_requests/iter_0001"
    pulls.mkdir(parents=True)
    (pulls / "acme__widgets.jsonl").write_text(
        json.dumps(pr_row(3, commit_shas=[repo["shas"]["change"]])) + "\n"
    )
    issues = project / "data/02_intermediate/linked_issues/iter_0001"
    issues.mkdir(parents=True)
    (issues / "acme__widgets.jsonl").write_text(json.dumps(issue_row(2, 3)) + "\n")
    env = {**os.environ, "KEDRO_DISABLE_TELEMETRY": "true", "HF_HUB_OFFLINE": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "kedro", "run", "--pipeline", "commits"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    sft = [
        json.loads(line)
        for line in (project / "data/05_model_input/commit_sft.jsonl").open()
    ]
    assert len(sft) == 4 and {r["metadata"]["kind"] for r in sft} == {
        "commit",
        "pull_request",
    }
    reports = list((project / "data/08_reporting/commits_report.json").iterdir())
    assert len(reports) == 1, "versioned"
    report = json.loads((reports[0] / "commits_report.json").read_text())
    assert report["pull_requests"]["pull_requests_matched"] == 1
    splits = project / "data/05_model_input/commit_windows"
    assert {p.stem for p in splits.iterdir()} == {"train", "validation", "test"}


def test_secrets_in_messages_and_patches_are_redacted_before_anything_is_kept(
    tmp_path: Path,
) -> None:
    secret = "ghp_FAKEfake0123456789FAKEfake0123456789"
    path = make_repo(tmp_path, "leaky")
    commit(
        path,
        {"src/config.py": f'TOKEN = "{secret}"\n'},
        f"Add the deploy token {secret}",
        "2024-01-01T10:00:00+00:00",
    )
    history, summary = read_commit_history(params(path))
    (rows,) = history.values()
    assert secret not in json.dumps(rows)
    assert "<KEY>" in rows[0]["message"]
    assert "<KEY>" in rows[0]["files"][0]["patch"]
    # the subject, the whole message and the patch line each held it
    assert summary["redactions"]["github_token"] == 3
