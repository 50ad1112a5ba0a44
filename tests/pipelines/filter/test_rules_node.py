"""apply_comment_rules on the ingested sample and on malformed records."""

from __future__ import annotations

from prreview.pipelines.filter.nodes import FilterParams, apply_comment_rules


def test_rules_on_the_sample_count_every_comment(ingested_sample) -> None:
    candidates, counts = apply_comment_rules(
        ingested_sample["review_comments"],
        ingested_sample["pull_requests"],
        FilterParams(),
    )
    total_in = sum(c["in"] for c in counts.values())
    assert total_in == sum(
        len(rows) for rows in ingested_sample["review_comments"].values()
    )
    for iteration, counter in counts.items():
        dropped = sum(v for k, v in counter.items() if k.startswith("drop:"))
        assert counter["in"] == dropped + counter["candidates"], iteration
        assert len(candidates.get(iteration, [])) == counter["candidates"]
    reasons = {k for c in counts.values() for k in c if k.startswith("drop:")}
    assert {"drop:reply", "drop:bot_author", "drop:acknowledgement"} <= reasons
    rows = [row for rows in candidates.values() for row in rows]
    assert all(row["in_reply_to_id"] is None for row in rows)
    assert any(row["thread_replies"] for row in rows), "threads stay as context"
    with_replies = next(row for row in rows if row["thread_replies"])
    assert {"id", "body", "author_is_pr_author"} == set(
        with_replies["thread_replies"][0]
    )


def test_malformed_records_are_dropped_and_counted() -> None:
    good = {
        "id": 1,
        "repo": "o/r",
        "pr_number": 2,
        "path": "a.py",
        "iteration": 1,
        "created_at": "2026-01-01T00:00:00Z",
        "author": "x",
        "author_type": "User",
        "in_reply_to_id": None,
        "body": "This will raise KeyError when `name` is missing.",
    }
    comments = {
        "iter_0001/o__r": [
            good,
            {**good, "id": 2, "body": None},
            {**good, "id": 3, "repo": None},
            {"id": 4},
            "not a record",
            {**good, "id": 5, "body": "x" * 2_000_000},
            {**good, "id": 6, "body": "<p>Missing null check on <b>user</b>.</p>"},
            {
                **good,
                "id": 7,
                "body": "Diese Funktion gibt niemals None zurück, prüfen.",
            },
        ]
    }
    pulls = {"iter_0001/o__r": [{"repo": "o/r", "number": 2, "author": "someone"}]}
    settings = FilterParams.model_validate({"rules": {"english_only": True}})
    candidates, counts = apply_comment_rules(comments, pulls, settings)
    assert counts["iter_0001"] == {
        "in": 8,
        "candidates": 2,
        "drop:empty_body": 1,
        "drop:malformed_record": 3,
        "drop:too_long": 1,
        "drop:non_english": 1,
    }
    kept = candidates["iter_0001"]
    assert [row["id"] for row in kept] == [1, 6]
    assert kept[1]["body"] == "Missing null check on user."
