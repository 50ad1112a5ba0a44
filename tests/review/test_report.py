"""The evaluation report: gate, headline table, slices, examples, and figures."""

from __future__ import annotations

import base64
from html.parser import HTMLParser
from typing import Any

import pytest
from matplotlib import pyplot as plt
from matplotlib.figure import Figure

from prreview.diffs.critique import example_title
from prreview.review.evaluation import evaluate_reviews
from prreview.review.gate import GateSettings, decide
from prreview.review.inference import ReviewedFile, review_counts
from prreview.review.report import (
    figure_png,
    headline_figure,
    render_html,
    render_markdown,
    slices_figure,
)
from tests.review.test_evaluation import (
    PAIR_SCORES,
    RENDERED,
    FixedScorer,
    examples,
    reviews,
)

SILENT = [ReviewedFile("app.py", "no_comments")] * 4


def evaluation(gate: dict[str, Any] | None = None) -> dict[str, Any]:
    """The dict score_reviews builds, from a silent base and a talkative candidate."""
    scorer = FixedScorer(PAIR_SCORES)
    base = evaluate_reviews(
        examples(), SILENT, FixedScorer(dict.fromkeys(PAIR_SCORES, []))
    )
    candidate = evaluate_reviews(examples(), reviews(), scorer)
    decision = decide(base.metrics, candidate.metrics, GateSettings())
    return {
        "examples": {"records_in": 5, "examples": 4},
        "tolerance": 3,
        "bertscore": scorer.describe(),
        "adapter": "data/06_models/review_adapter",
        "models": {
            name: {
                "model_id": model_id,
                "metrics": result.metrics,
                "slices": result.slices,
                "review_counts": review_counts(files),
            }
            for name, model_id, result, files in (
                ("base", "smollm2", base, SILENT),
                ("candidate", "smollm2+adapter", candidate, reviews()),
            )
        },
        "gate": gate or decision.to_dict(),
        "showcase": [
            {
                "example": "ex1",
                "path": "app.py",
                "diff": RENDERED,
                "human": [c.body for c in examples()[0].human],
                "human_lines": [c.line for c in examples()[0].human],
                "base": SILENT[0].to_dict(),
                "candidate": reviews()[0].to_dict(),
            },
            {
                "example": "ex3",
                "path": "app.py",
                "diff": RENDERED,
                "human": [],
                "human_lines": [],
                "base": SILENT[2].to_dict(),
                "candidate": reviews()[2].to_dict(),
            },
        ],
    }


def test_the_report_states_the_gate_and_the_models() -> None:
    lines = render_markdown(evaluation()).split("\n")
    assert lines[:9] == [
        "# Evaluation: base model vs candidate adapter",
        "",
        "**Gate: APPROVED**",
        "",
        "- Base: `smollm2`",
        "- Candidate: `smollm2+adapter` (adapter `data/06_models/review_adapter`)",
        "- Test files: 4; k = 3 lines; BERTScore: `fixed`, layer 0",
        "",
        "## Headline",
    ]


def test_a_rejection_lists_its_reasons() -> None:
    gate = {"status": "rejected", "reasons": ["a: worse", "b: missing"]}
    text = render_markdown(evaluation(gate | {"comparisons": {}}))
    assert "\n**Gate: REJECTED** - a: worse; b: missing\n" in text


def test_the_headline_tables_compare_base_and_candidate() -> None:
    text = render_markdown(evaluation())
    for row in [
        "| metric | base | candidate | gain |",
        "|---|---:|---:|---:|",
        "| location F1, exact line | 0 | 0.286 | +0.286 |",
        "| location precision, within k lines | 0 | 0.500 | +0.500 |",
        "| location recall, within k lines | 0 | 0.667 | +0.667 |",
        "| location F1, within k lines | 0 | 0.571 | +0.571 |",
        "| hunk F1 | 0 | 0.667 | +0.667 |",
        "| BERTScore F1 of matched pairs | 0 | 0.700 | +0.700 |",
        "| silent on files humans left alone | 1 | 0.500 | -0.500 |",
        "| replies that do not parse | 0 | 0.250 | +0.250 |",
        "| files | 4 | 4 | +0.000 |",
        "| generated comments (after checks) | 0 | 4 | +4.000 |",
        "| matched pairs scored | 0 | 2 | +2.000 |",
    ]:
        assert f"\n{row}\n" in text, row


def test_the_slice_tables_and_reply_outcomes() -> None:
    text = render_markdown(evaluation())
    pr_size = (
        "### pr size\n\n"
        "| pr_size | files | loc. F1 base | loc. F1 candidate | BERTScore base "
        "| BERTScore candidate |\n"
        "|---|---:|---:|---:|---:|---:|\n"
        "| large | 1 | 0 | 0 | 0 | 0 |\n"
        "| medium | 1 | 0 | 0 | 0 | 0 |\n"
        "| small | 1 | 0 | 0.800 | 0 | 0.700 |\n"
        "| unknown | 1 | 0 | 0 | 0 | 0 |\n"
    )
    assert pr_size in text
    assert "\n### language\n" in text and "\n### change type\n" in text
    categories = (
        "### comment category\n\n"
        "| category | human comments | recall base | recall candidate |\n"
        "|---|---:|---:|---:|\n"
        "| functional_defect | 2 | 0 | 0.500 |\n"
        "| style_nit | 1 | 0 | 1 |\n"
    )
    assert categories in text
    assert "\n| files:no_comments | 4 | 1 |\n" in text
    assert "\n| files:parse_failure | 0 | 1 |\n" in text
    assert text.index("## Slices") < text.index("## How replies were read")


def test_the_examples_show_human_and_generated_comments() -> None:
    text = render_markdown(evaluation())
    examples_part = text[text.index("## Examples") :]
    assert examples_part.startswith(
        "## Examples\n\n### ex1\n\n```diff\n" + RENDERED + "\n```\n\n"
        "**Human reviewers**\n\n"
        "- line 2: Use a constant for x.\n"
        "- line 22: b changes meaning.\n\n"
        "**Base** (no comments)\n\n- (none)\n\n"
        "**Candidate** (comments)\n\n"
        "- line 3: x should be a constant.\n"
        "- line 22: b = 3 changes behaviour.\n"
        "- line 4: Unused y.\n"
    )
    assert text.rstrip().endswith(
        "### ex3\n\n```diff\n" + RENDERED + "\n```\n\n"
        "**Human reviewers**\n\n- (no comments)\n\n"
        "**Base** (no comments)\n\n- (none)\n\n"
        "**Candidate** (parse failure: line 1: expected)\n\n- (none)"
    )


def test_figures_are_linked_and_no_showcase_means_no_examples() -> None:
    report = evaluation() | {"showcase": []}
    text = render_markdown(report, {"headline": "headline.png"})
    assert "\n\n![headline](headline.png)\n\n## Slices\n" in text
    assert "## Examples" not in text


@pytest.mark.parametrize(
    ("key", "title"),
    [
        ("acme/app#12:src/a.py:None:positive", "acme/app#12 · src/a.py"),
        ("acme/app#12:src/a.py:2:positive", "acme/app#12 · src/a.py, hunk 2"),
        (
            "acme/app#3:dir/with:colon.py:None:negative",
            "acme/app#3 · dir/with:colon.py (no human comments)",
        ),
        ("ex1", "ex1"),
        ("acme/app#1:a.py:None:other", "acme/app#1:a.py:None:other"),
    ],
)
def test_example_headings_read_as_pull_request_and_file(key: str, title: str) -> None:
    assert example_title(key) == title


@pytest.mark.parametrize("draw", [headline_figure, slices_figure])
def test_figures_are_matplotlib_figures(draw: Any) -> None:
    figure = draw(evaluation())
    try:
        assert isinstance(figure, Figure)
        titles = [axis.get_title() for axis in figure.axes]
        if draw is headline_figure:
            assert titles == ["Gate: approved"]
            (axis,) = figure.axes
            assert len(axis.patches) == 16, "8 metrics, base and candidate"
        else:
            assert titles == ["pr size", "language", "change type"]
    finally:
        plt.close(figure)


class PageParts(HTMLParser):
    """Tags, image sources and the visible text of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.images: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "img":
            self.images.append(dict(attrs)["src"] or "")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_page(page: str) -> PageParts:
    parts = PageParts()
    parts.feed(page)
    parts.close()
    return parts


def test_the_html_page_is_the_report_with_its_figures_inline() -> None:
    figure = headline_figure(evaluation())
    try:
        png = figure_png(figure)
    finally:
        plt.close(figure)
    assert png.startswith(b"\x89PNG")
    page = render_html(evaluation(), {"headline metrics": png})
    parts = parse_page(page)
    assert page.startswith("<!DOCTYPE html>")
    assert "<title>prreview evaluation: gate approved</title>" in page
    assert '<p class="gate approved"><strong>Gate: APPROVED</strong>' in page
    (image,) = parts.images
    assert base64.b64decode(image.removeprefix("data:image/png;base64,")) == png
    assert parts.tags.count("table") == 2 + 4 + 1, "headline, slices, reply outcomes"
    text = "".join(parts.text)
    assert "location F1, within k lines" in text and "x should be a constant." in text


def test_the_html_page_colours_diffs_and_escapes_what_it_quotes() -> None:
    report = evaluation()
    hostile = "<script>alert(1)</script> & <img src=x onerror=alert(2)>"
    report["showcase"][0]["human"] = [hostile, "fine"]
    report["showcase"][0]["diff"] = (
        "@@ -1 +1 @@\n-old <b>\n+new </pre>\n L7 -gone\n 12 +came\n 13  kept"
    )
    page = render_html(report, {})
    parts = parse_page(page)
    assert "script" not in parts.tags and parts.images == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img" in page
    assert '<span class="removed">-old &lt;b&gt;</span>' in page
    assert '<span class="added">+new &lt;/pre&gt;</span>' in page
    assert '<span class="hunk">@@ -1 +1 @@</span>' in page
    assert '<span class="removed"> L7 -gone</span>' in page, "labelled, as prompts are"
    assert '<span class="added"> 12 +came</span>' in page
    assert "\n 13  kept</code></pre>" in page


def test_a_rejected_gate_is_shown_as_rejected() -> None:
    gate = {"status": "rejected", "reasons": ["a: worse"], "comparisons": {}}
    page = render_html(evaluation(gate), {})
    assert '<p class="gate rejected"><strong>Gate: REJECTED</strong> - a: worse' in page
