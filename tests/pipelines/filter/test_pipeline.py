"""The filter pipeline on the in-memory catalog: ingested sample in, kept comments and
the report out."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from kedro.io import DataCatalog, MemoryDataset
from kedro.runner import SequentialRunner

from prreview.pipelines.filter import create_pipeline
from prreview.pipelines.filter.nodes import (
    EmbeddingMismatchError,
    FilterParams,
    apply_comment_rules,
    classify_comments,
)
from prreview.schemas import FilteredComment


class ConfirmableMemoryDataset(MemoryDataset):
    """Stands in for the IncrementalDataset the catalog uses; records confirmation."""

    confirmed = False

    def confirm(self) -> None:
        self.confirmed = True


def run_filter(ingested: dict, encoder, model, params: FilterParams) -> dict[str, Any]:
    comments = ConfirmableMemoryDataset(ingested["review_comments"])
    pulls = ConfirmableMemoryDataset(ingested["pull_requests"])
    catalog = DataCatalog(
        {
            "review_comments": comments,
            "pull_requests": pulls,
            "comment_embedder": MemoryDataset(encoder, copy_mode="assign"),
            "comment_classifier": MemoryDataset(model, copy_mode="assign"),
            "params:filter": MemoryDataset(params),
            "filtered_comments": MemoryDataset(),
            "filter_report": MemoryDataset(),
        }
    )
    SequentialRunner().run(create_pipeline(), catalog)
    assert comments.confirmed and pulls.confirmed, "the inputs are confirmed at the end"
    return {name: catalog.load(name) for name in ("filtered_comments", "filter_report")}


@pytest.fixture(scope="module")
def filtered(ingested_sample, bundled_encoder, trained_classifier) -> dict[str, Any]:
    return run_filter(
        ingested_sample, bundled_encoder, trained_classifier[0], FilterParams()
    )


def test_kept_comments_are_valid_records_of_kept_categories(filtered) -> None:
    rows = [row for rows in filtered["filtered_comments"].values() for row in rows]
    assert rows, "the sample has comments worth keeping"
    keep = set(FilterParams().keep_categories)
    for row in rows:
        FilteredComment.model_validate(row)
        assert row["category"] in keep and row["probability"] >= 0.5
        assert row["rule_trail"][-1].startswith("classifier:keep(")
    assert set(filtered["filtered_comments"]) == {"iter_0001", "iter_0002"}


def test_report_accounts_for_every_comment(filtered, ingested_sample) -> None:
    report = filtered["filter_report"]
    totals = report["totals"]
    assert totals["in"] == sum(
        len(r) for r in ingested_sample["review_comments"].values()
    )
    assert totals["in"] == sum(report["dropped_by_reason"].values()) + totals["out"]
    assert totals["out"] == sum(report["kept_by_category"].values())
    assert report["dropped_by_reason"]["acknowledgement"] > 0
    assert any(reason.startswith("category_") for reason in report["dropped_by_reason"])


def test_keep_categories_and_threshold_are_parameters(
    ingested_sample, bundled_encoder, trained_classifier
) -> None:
    strict = FilterParams(keep_categories=["functional_defect"], min_probability=0.8)
    out = run_filter(ingested_sample, bundled_encoder, trained_classifier[0], strict)
    rows = [row for rows in out["filtered_comments"].values() for row in rows]
    assert {row["category"] for row in rows} <= {"functional_defect"}
    assert all(row["probability"] >= 0.8 for row in rows)


def test_a_classifier_from_another_embedding_model_is_refused(
    ingested_sample, bundled_encoder, trained_classifier
) -> None:
    other = replace(trained_classifier[0], embedding_model="org/another-model")
    candidates, counts = apply_comment_rules(
        ingested_sample["review_comments"],
        ingested_sample["pull_requests"],
        FilterParams(),
    )
    with pytest.raises(EmbeddingMismatchError, match="filter_train"):
        classify_comments(candidates, counts, bundled_encoder, other, FilterParams())


def test_no_new_partitions_gives_empty_outputs(
    bundled_encoder, trained_classifier
) -> None:
    candidates, counts = apply_comment_rules({}, {}, FilterParams())
    kept, report = classify_comments(
        candidates, counts, bundled_encoder, trained_classifier[0], FilterParams()
    )
    assert kept == {} and report["totals"] == {"in": 0, "candidates": 0, "out": 0}
