"""The evaluate pipeline on the in-memory catalog with a tiny model built here.

The candidate adapter is trained until it has memorised the test records' answers,
so the numbers are known: the candidate comments exactly where the humans did and
says what they said, the untrained base does not, and the gate approves it; with a
margin no model can meet, the gate rejects it and says why.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from kedro.io import DataCatalog, MemoryDataset
from kedro.runner import SequentialRunner

from prreview.diffs.render import CommentBlock, render_comments, render_patch
from prreview.pipelines.evaluate import create_pipeline
from prreview.pipelines.evaluate.nodes import EvaluateParams, score_reviews
from prreview.review.report import render_markdown
from prreview.schemas import FilePatch
from prreview.train import profile, train_adapter
from tests.train.test_lora import build_tiny_model

SYSTEM = "Review."


def critique_record(index: int, body: str | None) -> dict[str, Any]:
    """A short critique record: a one-hunk patch, a comment on its new line 1 (or
    none), with the metadata the critique pipeline writes."""
    path = f"m{index}.py"
    patch = FilePatch(
        path=path,
        previous_path=None,
        status="modified",
        additions=1,
        deletions=1,
        binary=False,
        patch=f"@@ -1 +1 @@\n-v = {index}\n+w = {index}",
    )
    blocks = [CommentBlock(path, "RIGHT", 1, body)] if body else []
    return {
        "messages": [
            {"role": "system", "content": SYSTEM},
            {
                "role": "user",
                "content": f"File: {path}\n\nDiff:\n{render_patch(patch)}",
            },
            {"role": "assistant", "content": render_comments(blocks)},
        ],
        "metadata": {
            "source": "critique",
            "example": f"o/r#{index}:{path}",
            "path": path,
            "language": "Python",
            "negative": not blocks,
            "pr_title": "Fix the value" if index % 2 else "Add a value",
            "pr_labels": [],
            "pr_changes": 2,
            "comment_categories": ["functional_defect"] if blocks else [],
        },
    }


RECORDS = [
    critique_record(0, "rename w"),
    critique_record(1, "use a constant"),
    critique_record(2, None),
    critique_record(3, "add a test"),
]


def params(**changes: Any) -> EvaluateParams:
    values: dict[str, Any] = {
        "max_tokens": 48,
        "cache_path": None,
        "rank": {"enabled": False},
        "report_examples": 2,
    }
    return EvaluateParams(**(values | changes))


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """The tiny base model, and an adapter that memorised RECORDS' answers."""
    work = tmp_path_factory.mktemp("evaluate")
    base = build_tiny_model(work / "base")
    settings = profile(
        "lora",
        max_steps=60,
        batch_size=4,
        learning_rate=1e-2,
        warmup_ratio=0.0,
        lora={"r": 16, "alpha": 32, "dropout": 0.0},
        max_length=256,
        min_train_records=2,
        progress_bar=False,
        seed=0,
    )
    result = train_adapter(base, RECORDS, None, settings, work / "run")
    return str(base), str(result.adapter_dir)


class KeptDataset(MemoryDataset):
    """Keeps its data when the runner releases it, to be read after the run."""

    def _release(self) -> None:
        pass


def run_pipeline(models: tuple[str, str], evaluate: EvaluateParams) -> DataCatalog:
    base, adapter = models
    catalog = DataCatalog(
        {
            "sft_test": MemoryDataset(RECORDS),
            "base_model": MemoryDataset(base),
            "review_adapter": MemoryDataset(adapter),
            "comment_classifier": MemoryDataset(None),
            "comment_embedder": MemoryDataset(None),
            "params:evaluate": MemoryDataset(evaluate),
            **{
                name: KeptDataset(copy_mode="assign")
                for name in create_pipeline().all_outputs()
            },
        }
    )
    SequentialRunner().run(create_pipeline(), catalog)
    return catalog


def test_a_candidate_that_learned_the_answers_is_approved(
    models: tuple[str, str],
) -> None:
    catalog = run_pipeline(models, params())
    evaluation = catalog.load("evaluation")
    candidate = evaluation["models"]["candidate"]["metrics"]
    base = evaluation["models"]["base"]["metrics"]
    assert candidate["location_exact_precision"] == 1.0
    assert candidate["location_exact_recall"] == 1.0
    assert candidate["hunk_f1"] == 1.0
    assert candidate["bertscore_f1"] > 0.99
    assert candidate["negative_silence_rate"] == 1.0
    assert candidate["parse_failure_rate"] == 0.0
    assert base["location_near_f1"] < 1.0
    assert evaluation["gate"]["status"] == "approved"
    assert evaluation["gate"]["reasons"] == []
    assert catalog.load("adapter_promotion")["status"] == "approved"
    assert evaluation["bertscore"] == {"model": "bundled:all-MiniLM-L6-v2", "layer": 4}
    slices = evaluation["models"]["candidate"]["slices"]
    assert slices["change_type"]["bug_fix"]["files"] == 2
    assert slices["comment_category"]["functional_defect"] == {
        "human_comments": 3.0,
        "location_near_recall": 1.0,
    }
    metrics = catalog.load("evaluation_metrics")
    assert metrics["gate.approved"] == [{"value": 1.0, "step": 0}]
    assert metrics["candidate.location_near_f1"] == [{"value": 1.0, "step": 0}]
    rows = catalog.load("candidate_reviews")
    assert [row["status"] for row in rows] == [
        "no_comments" if record["metadata"]["negative"] else "comments"
        for record in sorted(
            RECORDS,
            key=lambda r: [row["example"] for row in rows].index(
                r["metadata"]["example"]
            ),
        )
    ]
    report = catalog.load("evaluation_report")
    assert "**Gate: APPROVED**" in report
    bodies = ["rename w", "use a constant", "add a test"]
    assert sum(f"- line 1: {body}" in report for body in bodies) == 2, "2 examples"
    assert catalog.load("evaluation_headline_plot").axes
    page = catalog.load("evaluation_report_html")
    assert '<p class="gate approved"><strong>Gate: APPROVED</strong>' in page
    assert page.count('src="data:image/png;base64,') == 2, "both figures inline"


def test_a_margin_no_model_can_meet_rejects_with_the_reason(
    models: tuple[str, str],
) -> None:
    strict = params(gate={"margins": {"location_near_f1": 2.0}, "limits": {}})
    catalog = run_pipeline(models, strict)
    promotion = catalog.load("adapter_promotion")
    assert promotion["status"] == "rejected"
    (reason,) = promotion["reasons"]
    assert reason.startswith("location_near_f1: candidate 1.0000")
    assert "needs +2.0000" in reason
    assert catalog.load("evaluation_metrics")["gate.approved"][0]["value"] == 0.0
    assert "**Gate: REJECTED**" in render_markdown(catalog.load("evaluation"))


def test_scoring_refuses_missing_reviews_and_an_empty_split(
    models: tuple[str, str],
) -> None:
    rows = [
        {"example": "o/r#0:m0.py", "path": "m0.py", "status": "no_comments"},
    ]
    with pytest.raises(ValueError, match="have no generated review"):
        score_reviews(RECORDS, rows, rows, models[1], params())
    with pytest.raises(ValueError, match="no critique record"):
        score_reviews([], [], [], models[1], params())


def test_a_rerun_takes_replies_from_the_cache(
    models: tuple[str, str], tmp_path: Path
) -> None:
    cache = tmp_path / "cache.sqlite"
    first = run_pipeline(models, params(cache_path=str(cache))).load(
        "candidate_reviews"
    )
    assert {row["status"] for row in first} == {"comments", "no_comments"}
    with sqlite3.connect(cache) as db:  # every cached reply now says nothing
        rows = db.execute("SELECT key, response FROM responses").fetchall()
        assert len(rows) == 2 * len(RECORDS), "base and candidate, every file"
        for key, response in rows:
            changed = json.loads(response) | {"text": "<no_comments/>"}
            db.execute(
                "UPDATE responses SET response = ? WHERE key = ?",
                (json.dumps(changed), key),
            )
    again = run_pipeline(models, params(cache_path=str(cache))).load(
        "candidate_reviews"
    )
    assert {row["status"] for row in again} == {"no_comments"}
