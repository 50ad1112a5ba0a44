"""Evaluation examples read from critique records, and the metrics of a model's
reviews of them, checked against numbers worked out by hand."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pytest

from prreview.diffs.critique import SYSTEM_PROMPT
from prreview.diffs.hunks import parse_patch
from prreview.diffs.render import CommentBlock, render_comments, render_patch
from prreview.review.evaluation import (
    EvalExample,
    EvalRecordError,
    eval_example,
    eval_examples,
    evaluate_reviews,
)
from prreview.review.inference import ReviewedFile
from prreview.review.metrics import BertScorer
from prreview.schemas import FilePatch

PATCH = (
    "@@ -1,3 +1,4 @@\n"
    " import os\n"
    "-x = 1\n"
    "+x = 2\n"
    "+y = 3\n"
    " z = 4\n"
    "@@ -20,2 +21,2 @@\n"
    " a = 1\n"
    "-b = 2\n"
    "+b = 3"
)
RENDERED = render_patch(
    FilePatch(
        path="app.py",
        previous_path=None,
        status="modified",
        additions=3,
        deletions=2,
        binary=False,
        patch=PATCH,
    )
)


def block(line: int, body: str, side: str = "RIGHT") -> CommentBlock:
    return CommentBlock("app.py", side, line, body)


def user_text(description: str = "") -> str:
    described = f"\n\nDescription:\n{description}" if description else ""
    return (
        f"Repository: o/r\n\nPull request: Fix x{described}\n\n"
        f"File: app.py (Python)\n\nDiff:\n{RENDERED}"
    )


def record(
    key: str,
    human: Sequence[CommentBlock] = (),
    answer: str | None = None,
    **metadata: Any,
) -> dict[str, Any]:
    return {
        "messages": [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": user_text()},
            {"role": "assistant", "content": answer or render_comments(human)},
        ],
        "metadata": {"source": "critique", "example": key, "path": "app.py"} | metadata,
    }


H0 = block(2, "Use a constant for x.")
H1 = block(22, "b changes meaning.")


def test_eval_example_reads_prompt_hunks_and_human_comments() -> None:
    example = eval_example(
        record(
            "ex1",
            [H0, H1],
            comment_categories=["functional_defect"],
            pr_changes=10,
            language="Python",
            pr_title="Fix x",
        )
    )
    assert example.key == "ex1"
    assert example.human == (H0, H1)
    assert example.human_categories == ("functional_defect", "unknown")
    assert not example.negative
    assert example.prompt.path == "app.py"
    assert example.prompt.hunks == parse_patch(PATCH)
    assert example.prompt.messages == (
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": user_text()},
    )
    assert example.slices == {
        "pr_size": "small",
        "language": "Python",
        "change_type": "bug_fix",
    }


def test_a_no_comments_answer_is_a_negative_example() -> None:
    example = eval_example(record("neg", answer="<no_comments/>"))
    assert example.negative
    assert (example.human, example.human_categories) == ((), ())


def test_extra_categories_are_cut_to_the_comments() -> None:
    example = eval_example(record("ex", [H0], comment_categories=["style_nit", "x"]))
    assert example.human_categories == ("style_nit",)


def test_the_path_falls_back_to_the_first_comment() -> None:
    rows = record("ex", [CommentBlock("lib/a.py", "RIGHT", 2, "x")])
    del rows["metadata"]["path"]
    assert eval_example(rows).prompt.path == "lib/a.py"


def test_a_description_mentioning_a_diff_does_not_hide_the_real_one() -> None:
    rows = record("ex", [H0])
    rows["messages"][1]["content"] = user_text("Before:\n\nDiff:\nnone yet")
    assert eval_example(rows).prompt.hunks == parse_patch(PATCH)


def _with_messages(messages: list[dict[str, str]]) -> dict[str, Any]:
    return {"messages": messages, "metadata": {"example": "bad", "path": "app.py"}}


SYSTEM = {"role": "system", "content": SYSTEM_PROMPT}
USER = {"role": "user", "content": user_text()}
ANSWER = {"role": "assistant", "content": render_comments([H0])}


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (_with_messages([USER, ANSWER]), "bad: expected system, user, assistant"),
        (_with_messages([SYSTEM, ANSWER, USER]), "expected system, user, assistant"),
        (
            _with_messages([SYSTEM, {"role": "user", "content": "File: a"}, ANSWER]),
            "the user turn has no diff",
        ),
        (
            _with_messages(
                [SYSTEM, {"role": "user", "content": "x\n\nDiff:\nnot one"}, ANSWER]
            ),
            "the user turn's diff has no hunks",
        ),
        (
            _with_messages([SYSTEM, USER, {"role": "assistant", "content": "LGTM"}]),
            "the answer is not in the format",
        ),
        (
            {
                "messages": [
                    SYSTEM,
                    USER,
                    {"role": "assistant", "content": "<no_comments/>"},
                ],
                "metadata": {"example": "bad"},
            },
            "no path",
        ),
    ],
)
def test_unreadable_records_raise_eval_record_error(
    rows: dict[str, Any], message: str
) -> None:
    with pytest.raises(EvalRecordError, match=message):
        eval_example(rows)


def test_eval_examples_count_what_they_leave_out() -> None:
    records = [record(f"ex{i}", [H0]) for i in range(4)] + [
        {"messages": [], "metadata": {"source": "fim", "example": "f"}},
        {"messages": []},
        _with_messages([USER]) | {"metadata": {"source": "critique"}},
    ]
    examples, counts = eval_examples(records, max_examples=2)
    assert counts == {
        "examples": 2,
        "records_in": 7,
        "skipped:over_max_examples": 2,
        "skipped:source_None": 1,
        "skipped:source_fim": 1,
        "skipped:unreadable_record": 1,
    }
    again, _ = eval_examples(list(reversed(records)), max_examples=2)
    assert [e.key for e in examples] == [e.key for e in again]
    every, every_counts = eval_examples(records)
    assert {e.key for e in every} == {"ex0", "ex1", "ex2", "ex3"}
    assert [e.key for e in every[:2]] == [e.key for e in examples]
    assert "skipped:over_max_examples" not in every_counts
    fim, _ = eval_examples(records, sources=("fim",))
    assert fim == []


class FixedScorer:
    """BERTScore stand-in: fixed numbers, and a record of the pairs it was shown."""

    def __init__(self, scores: Mapping[str, Sequence[float]]) -> None:
        self.scores = {name: np.array(values) for name, values in scores.items()}
        self.pairs: list[tuple[list[str], list[str]]] = []

    def score(
        self, candidates: Sequence[str], references: Sequence[str]
    ) -> dict[str, np.ndarray]:
        self.pairs.append((list(candidates), list(references)))
        return self.scores

    def describe(self) -> dict[str, Any]:
        return {"model": "fixed", "layer": 0}


H3 = block(2, "Why remove x = 1?", side="LEFT")
G0 = block(3, "x should be a constant.")  # 1 line from H0: near, not exact
G1 = block(22, "b = 3 changes behaviour.")  # on H1: exact
G2 = block(4, "Unused y.")  # 2 lines from H0, which G0 took
NIT = block(1, "Nit.")


def examples() -> list[EvalExample]:
    return [
        eval_example(
            record(
                "ex1",
                [H0, H1],
                comment_categories=["functional_defect", "style_nit"],
                pr_changes=10,
                language="Python",
                pr_title="Fix x",
            )
        ),
        eval_example(
            record("ex2", pr_changes=500, language="Python", pr_title="Add y")
        ),
        eval_example(
            record(
                "ex3",
                [H3],
                comment_categories=["functional_defect"],
                pr_changes=100,
                language="Python",
                pr_title="Rename z",
            )
        ),
        eval_example(record("ex4")),  # negative, no slice metadata
    ]


def reviews() -> list[ReviewedFile]:
    return [
        ReviewedFile("app.py", "comments", (G0, G1, G2)),
        ReviewedFile("app.py", "no_comments"),
        ReviewedFile("app.py", "parse_failure", error="line 1: expected"),
        ReviewedFile("app.py", "comments", (NIT,)),
    ]


PAIR_SCORES = {"precision": [0.9, 0.7], "recall": [0.7, 0.5], "f1": [0.8, 0.6]}


def test_evaluate_reviews_headline_metrics() -> None:
    scorer = FixedScorer(PAIR_SCORES)
    result = evaluate_reviews(examples(), reviews(), scorer, tolerance=3)
    assert scorer.pairs == [([G0.body, G1.body], [H0.body, H1.body])]
    # keyed by the example's position, so records without a key never collide
    assert result.pair_f1 == pytest.approx({(0, 0, 0): 0.8, (0, 1, 1): 0.6})
    assert result.metrics == pytest.approx(
        {
            "files": 4.0,
            "human_comments": 3.0,
            "generated_comments": 4.0,
            "comments_per_file": 1.0,
            "parse_failure_rate": 0.25,
            "truncated_rate": 0.0,
            "failed_rate": 0.0,
            "negatives": 2.0,
            "negative_silence_rate": 0.5,
            # exact: G1-H1 of 4 generated and 3 human
            "location_exact_precision": 1 / 4,
            "location_exact_recall": 1 / 3,
            "location_exact_f1": 2 / 7,
            # within 3 lines: G0-H0 and G1-H1
            "location_near_precision": 2 / 4,
            "location_near_recall": 2 / 3,
            "location_near_f1": 4 / 7,
            # hunks: ex1 both {0, 1}; ex3 human {0}; ex4 model {0}
            "hunk_precision": 2 / 3,
            "hunk_recall": 2 / 3,
            "hunk_f1": 2 / 3,
            "bertscore_pairs": 2.0,
            "bertscore_precision": 0.8,
            "bertscore_recall": 0.6,
            "bertscore_f1": 0.7,
        }
    )


def test_evaluate_reviews_slices_and_categories() -> None:
    result = evaluate_reviews(examples(), reviews(), FixedScorer(PAIR_SCORES))
    zero = dict.fromkeys(
        [
            f"{kind}_{score}"
            for kind in ("location_exact", "location_near", "hunk")
            for score in ("precision", "recall", "f1")
        ],
        0.0,
    ) | {"bertscore_f1": 0.0}
    ex1 = {
        "files": 1.0,
        "location_exact_precision": 1 / 3,
        "location_exact_recall": 1 / 2,
        "location_exact_f1": 0.4,
        "location_near_precision": 2 / 3,
        "location_near_recall": 1.0,
        "location_near_f1": 0.8,
        "hunk_precision": 1.0,
        "hunk_recall": 1.0,
        "hunk_f1": 1.0,
        "bertscore_f1": 0.7,
    }
    assert set(result.slices) == {
        "pr_size",
        "language",
        "change_type",
        "comment_category",
    }
    one_file = zero | {"files": 1.0}
    assert result.slices["pr_size"] == {
        "small": pytest.approx(ex1),
        "medium": one_file,
        "large": one_file,
        "unknown": one_file,
    }
    assert list(result.slices["pr_size"]) == ["large", "medium", "small", "unknown"]
    assert result.slices["change_type"] == {
        "bug_fix": pytest.approx(ex1),
        "feature": one_file,
        "refactor": one_file,
        "unknown": one_file,
    }
    assert list(result.slices["language"]) == ["Python", "unknown"]
    python = result.slices["language"]["Python"]
    assert python == pytest.approx(
        {
            "files": 3.0,
            "location_exact_precision": 1 / 3,
            "location_exact_recall": 1 / 3,
            "location_exact_f1": 1 / 3,
            "location_near_precision": 2 / 3,
            "location_near_recall": 2 / 3,
            "location_near_f1": 2 / 3,
            "hunk_precision": 1.0,
            "hunk_recall": 2 / 3,
            "hunk_f1": 0.8,
            "bertscore_f1": 0.7,
        }
    )
    assert result.slices["comment_category"] == {
        "functional_defect": {"human_comments": 2.0, "location_near_recall": 0.5},
        "style_nit": {"human_comments": 1.0, "location_near_recall": 1.0},
    }


def test_a_silent_model_scores_zero_and_is_silent_on_negatives() -> None:
    silent = [ReviewedFile("app.py", "no_comments")] * 4
    result = evaluate_reviews(
        examples(), silent, FixedScorer(dict.fromkeys(PAIR_SCORES, []))
    )
    assert result.metrics["negative_silence_rate"] == 1.0
    assert result.metrics["location_near_f1"] == 0.0
    assert result.metrics["bertscore_f1"] == 0.0
    assert result.metrics["comments_per_file"] == 0.0
    assert result.pair_f1 == {}


def test_evaluate_reviews_needs_one_review_per_example() -> None:
    with pytest.raises(ValueError, match="one review per example"):
        evaluate_reviews(examples(), reviews()[:3], BertScorer())


def test_replies_that_do_not_parse_are_not_silence() -> None:
    garbage = [ReviewedFile("app.py", "parse_failure", error="prose")] * 4
    result = evaluate_reviews(
        examples(), garbage, FixedScorer(dict.fromkeys(PAIR_SCORES, []))
    )
    assert result.metrics["negative_silence_rate"] == 0.0
    assert result.metrics["parse_failure_rate"] == 1.0
