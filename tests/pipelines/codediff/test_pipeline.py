"""The codediff nodes on small hand-made PRs, and the pipeline on the in-memory catalog
fed by the real filter over the ingested sample."""

from __future__ import annotations

from typing import Any

import pytest
from kedro.io import DataCatalog, MemoryDataset
from kedro.runner import SequentialRunner
from pydantic import ValidationError

from prreview.diffs.hunks import parse_patch
from prreview.diffs.render import NO_COMMENTS, parse_comments, render_patch
from prreview.pipelines.codediff import create_pipeline
from prreview.pipelines.codediff.nodes import (
    CodediffParams,
    NoiseParams,
    anchor_kept_comments,
    build_codediff_files,
)
from prreview.pipelines.filter.nodes import FilterParams
from prreview.schemas import CodediffFile, FilePatch
from tests.pipelines.filter.test_pipeline import run_filter

REPO = "acme/widgets"
PATCH = "@@ -1,3 +1,4 @@\n def f():\n-    return 1\n+    x = 2\n+    return x\n \n"
TWO_HUNKS = (
    "@@ -1,2 +1,2 @@\n-a = 1\n+a = 2\n b = 1\n"
    "@@ -10,2 +10,2 @@\n c = 1\n-d = 1\n+d = 2\n"
)


def file_patch(path: str, patch: str | None = PATCH, **fields: Any) -> dict:
    return {
        "path": path,
        "previous_path": None,
        "status": "modified",
        "additions": 2,
        "deletions": 1,
        "binary": False,
        "patch": patch,
        **fields,
    }


def pull_diff(pr_number: int, files: list[dict], iteration: int = 1) -> dict:
    return {
        "repo": REPO,
        "pr_number": pr_number,
        "base_sha": "a" * 40,
        "head_sha": "b" * 40,
        "source": "files",
        "diff": None,
        "files": files,
        "iteration": iteration,
    }


def comment(comment_id: int, pr_number: int, path: str, **fields: Any) -> dict:
    return {
        "id": comment_id,
        "repo": REPO,
        "pr_number": pr_number,
        "path": path,
        "line": 3,
        "start_line": None,
        "side": "RIGHT",
        "start_side": None,
        "original_line": 3,
        "original_start_line": None,
        "commit_id": "b" * 40,
        "original_commit_id": "b" * 40,
        "diff_hunk": "@@ -1,3 +1,4 @@\n def f():\n-    return 1\n+    x = 2",
        "body": f"Comment {comment_id} says something useful.",
        "author": "0123456789abcdef",
        "author_association": "MEMBER",
        "outdated": False,
        "created_at": "2024-01-01T00:00:00Z",
        "iteration": 1,
        "category": "functional_defect",
        "probability": 0.9,
        "rule_trail": ["classifier:keep(functional_defect 0.90)"],
        "thread_replies": [],
        **fields,
    }


def run_nodes(
    comments: dict[str, list[dict]],
    diffs: dict[str, list[dict]],
    params: CodediffParams | None = None,
) -> tuple[dict[str, list[dict]], dict[str, Any]]:
    params = params or CodediffParams()
    anchors, counts = anchor_kept_comments(comments, diffs, params)
    return build_codediff_files(anchors, counts, params)


def all_rows(files: dict[str, list[dict]]) -> list[dict]:
    return [row for rows in files.values() for row in rows]


def test_every_kept_comment_is_anchored_or_counted_by_reason() -> None:
    comments = {
        "iter_0001": [
            comment(1, 1, "src/app.py"),  # anchored on "+    x = 2"
            comment(2, 1, "src/app.py", line=2, start_line=1, start_side="LEFT"),
            comment(3, 1, "src/app.py", line=40),  # not shown: unresolved
            comment(4, 1, "poetry.lock"),  # noise file
            comment(5, 2, "src/app.py"),  # PR 2 has no diff
            comment(
                6,
                1,
                "src/other.py",
                line=None,
                original_line=2,
                outdated=True,
                diff_hunk="@@ -1,1 +1,2 @@\n def f():\n+    y = 5",
            ),
        ]
    }
    diffs = {
        "iter_0001/acme__widgets": [
            pull_diff(
                1,
                [
                    file_patch("src/app.py"),
                    file_patch("poetry.lock"),
                    file_patch("src/other.py"),
                    file_patch("logo.png", None, binary=True),
                ],
            )
        ]
    }
    files, report = run_nodes(comments, diffs, CodediffParams(negative_ratio=0))
    rows = all_rows(files)
    assert [(row["path"], row["negative"]) for row in rows] == [("src/app.py", False)]
    row = rows[0]
    CodediffFile.model_validate(row)
    assert [c["id"] for c in row["comments"]] == [2, 1], "sorted by start line, line"
    assert row["comments"][0]["start_side"] == "LEFT"
    assert row["target"].startswith('<comment path="src/app.py" side="RIGHT" ')
    assert [b.line for b in parse_comments(row["target"])] == [2, 3]
    assert row["rendered_patch"] == render_patch(FilePatch(**file_patch("src/app.py")))
    assert row["language"] == "Python" and row["iteration"] == 1
    totals = report["totals"]
    assert totals["comments_in"] == 6 and totals["comments_out"] == 2
    assert totals["comments_not_out"] == {
        "duplicate_comment": 0,
        "pr_diff_missing": 1,
        "outdated_excluded": 0,
        "unresolved": 2,
        "on_noise_file": 1,
    }
    assert report["anchored_by_resolution"] == {"line": 2}
    assert report["unresolved_by_reason"] == {
        "line_not_in_diff": 1,
        "outdated_unmatched": 1,
    }
    assert report["comments_on_noise_files_by_reason"] == {"lock_file": 1}
    assert report["files_by_noise_reason"] == {"binary": 1, "kept": 2, "lock_file": 1}


def test_outdated_comments_can_be_left_out_and_noise_rules_extended() -> None:
    comments = {
        "iter_0001": [
            comment(1, 1, "src/app.py", line=None, outdated=True),
            comment(2, 1, "deps.frozen"),
        ]
    }
    diffs = {"iter_0001/x": [pull_diff(1, [file_patch("src/app.py")])]}
    diffs["iter_0001/x"][0]["files"].append(file_patch("deps.frozen"))
    params = CodediffParams(
        include_outdated=False, noise=NoiseParams(extra_lock_files=["deps.frozen"])
    )
    files, report = run_nodes(comments, diffs, params)
    assert all_rows(files) == [] and set(files) == {"iter_0001"}
    assert report["totals"]["comments_not_out"]["outdated_excluded"] == 1
    assert report["comments_on_noise_files_by_reason"] == {"lock_file": 1}
    with pytest.raises(ValidationError, match="generated marker"):
        NoiseParams(extra_generated_markers=["(unclosed"])
    with pytest.raises(ValidationError):
        CodediffParams(negative_unit="line")


def many_files_pr(pr_number: int) -> dict:
    files = [file_patch("src/app.py"), file_patch("src/broken.py")]
    files += [file_patch(f"src/mod_{n}.py") for n in range(12)]
    files.append(file_patch("src/two.py", TWO_HUNKS))
    return pull_diff(pr_number, files)


def negatives_input() -> tuple[dict, dict]:
    comments = {
        "iter_0001": [
            comment(10 * pr, pr, "src/app.py") for pr in (1, 2, 3)
        ]  # one commented file per PR
        + [comment(10 * pr + 1, pr, "src/broken.py", line=99) for pr in (1, 2, 3)]
        + [comment(40, 4, "src/two.py", line=2, original_line=2)]
    }
    diffs = {
        f"iter_0001/p{pr}": [many_files_pr(pr)] for pr in (1, 2, 3, 4)
    }  # one partition per PR, so their order can be reversed
    return comments, diffs


def test_negatives_are_seeded_per_pr_and_never_commented() -> None:
    comments, diffs = negatives_input()
    params = CodediffParams(negative_ratio=3, seed=7)
    files, report = run_nodes(comments, diffs, params)
    again, _ = run_nodes(comments, dict(reversed(diffs.items())), params)
    assert files == again, "the same seed picks the same files in any order"
    negatives = [row for row in all_rows(files) if row["negative"]]
    assert len(negatives) == 3 * 4 == report["totals"]["negative_rows"]
    for row in negatives:
        CodediffFile.model_validate(row)
        assert row["comments"] == [] and row["target"] == NO_COMMENTS
        assert row["hunk_index"] is None
        commented = "src/two.py" if row["pr_number"] == 4 else "src/app.py"
        assert row["path"] != commented
        if row["pr_number"] != 4:
            assert row["path"] != "src/broken.py", "has an unresolved kept comment"
    picks = {
        pr: {r["path"] for r in negatives if r["pr_number"] == pr} for pr in (1, 2)
    }
    assert picks[1] != picks[2], "the seed is mixed with the PR"
    other, _ = run_nodes(comments, diffs, CodediffParams(negative_ratio=3, seed=8))
    assert other != files


def test_hunk_negatives_render_one_uncommented_hunk() -> None:
    comments, diffs = negatives_input()
    params = CodediffParams(negative_ratio=20, negative_unit="hunk")
    files, _ = run_nodes({"iter_0001": comments["iter_0001"][-1:]}, diffs, params)
    negatives = [row for row in all_rows(files) if row["negative"]]
    assert {(r["path"], r["hunk_index"]) for r in negatives} >= {("src/two.py", 1)}
    assert ("src/two.py", 0) not in {(r["path"], r["hunk_index"]) for r in negatives}
    two = next(r for r in negatives if r["path"] == "src/two.py")
    assert two["rendered_patch"].splitlines()[2] == "@@ -10,2 +10,2 @@"
    assert (
        "L11 -d = 1" in two["rendered_patch"] and "a = 2" not in two["rendered_patch"]
    )


def test_partition_loaders_are_called() -> None:
    comments, diffs = negatives_input()
    lazy = {key: (lambda rows=rows: rows) for key, rows in diffs.items()}
    lazy_comments = {key: (lambda rows=rows: rows) for key, rows in comments.items()}
    assert run_nodes(lazy_comments, lazy) == run_nodes(comments, diffs)


# ------------------------------------------------------------------ the sample


def run_codediff(filtered: dict, pull_diffs: dict) -> dict[str, Any]:
    catalog = DataCatalog(
        {
            "filtered_comments": MemoryDataset(filtered),
            "pull_diffs": MemoryDataset(pull_diffs),
            "params:codediff": MemoryDataset(CodediffParams()),
            "codediff_files": MemoryDataset(),
            "codediff_report": MemoryDataset(),
        }
    )
    SequentialRunner().run(create_pipeline(), catalog)
    return {name: catalog.load(name) for name in ("codediff_files", "codediff_report")}


@pytest.fixture(scope="module")
def sample(ingested_sample, bundled_encoder, trained_classifier) -> dict[str, Any]:
    filtered = run_filter(
        ingested_sample, bundled_encoder, trained_classifier[0], FilterParams()
    )["filtered_comments"]
    return {
        "filtered": filtered,
        "pull_diffs": ingested_sample["pull_diffs"],
        "out": run_codediff(filtered, ingested_sample["pull_diffs"]),
    }


def sample_files(pull_diffs: dict) -> dict[tuple[str, int, str], FilePatch]:
    return {
        (diff["repo"], diff["pr_number"], file["path"]): FilePatch(**file)
        for rows in pull_diffs.values()
        for diff in rows
        for file in diff["files"]
    }


def test_sample_comments_lie_on_lines_of_their_rendered_patch(sample) -> None:
    files = sample_files(sample["pull_diffs"])
    rows = all_rows(sample["out"]["codediff_files"])
    positives = [row for row in rows if not row["negative"]]
    assert len(positives) > 50
    for row in positives:
        CodediffFile.model_validate(row)
        file = files[(row["repo"], row["pr_number"], row["path"])]
        assert row["rendered_patch"] == render_patch(file)
        labels = {
            line.lstrip().split(" ", 1)[0] for line in row["rendered_patch"].split("\n")
        }
        hunks = parse_patch(file.patch)
        for c in row["comments"]:
            assert any(h.find(c["side"], c["line"]) for h in hunks)
            if c["start_line"] is not None:
                assert any(h.find(c["start_side"], c["start_line"]) for h in hunks)
            if c["side"] == "RIGHT":
                assert str(c["line"]) in labels
        blocks = parse_comments(row["target"])
        assert [(b.side, b.line, b.body) for b in blocks] == [
            (c["side"], c["line"], c["body"]) for c in row["comments"]
        ]


def test_sample_report_accounts_for_every_kept_comment(sample) -> None:
    report = sample["out"]["codediff_report"]
    totals = report["totals"]
    kept = sum(len(rows) for rows in sample["filtered"].values())
    assert totals["comments_in"] == kept
    assert kept == totals["comments_out"] + sum(totals["comments_not_out"].values())
    assert totals["comments_out"] == sum(report["anchored_by_resolution"].values())
    assert totals["comments_not_out"]["unresolved"] == sum(
        report["unresolved_by_reason"].values()
    )
    assert totals["rows"] == totals["positive_rows"] + totals["negative_rows"] > 0
    assert totals["rows"] == sum(
        lang["rows"] for lang in report["by_language"].values()
    )
    rows = all_rows(sample["out"]["codediff_files"])
    assert totals["comments_out"] == sum(len(row["comments"]) for row in rows)


def test_sample_negatives_have_no_comments(sample) -> None:
    rows = all_rows(sample["out"]["codediff_files"])
    commented = {(r["repo"], r["pr_number"], r["path"]) for r in rows if r["comments"]}
    negatives = [row for row in rows if row["negative"]]
    assert negatives
    for row in negatives:
        assert row["comments"] == [] and row["target"] == NO_COMMENTS
        assert (row["repo"], row["pr_number"], row["path"]) not in commented


def test_sample_rerun_gives_identical_output(sample) -> None:
    again = run_codediff(sample["filtered"], sample["pull_diffs"])
    assert again == sample["out"]
