"""The evaluation report: headline numbers base vs candidate, the gate's decision,
slices, and a few files with the human and generated comments side by side; plus
two figures (headline bars, per-slice F1) the report links to.

The markdown reads well on GitHub; the HTML page is the same report for a browser,
one self-contained file (figures inline) that can be mailed or archived as is."""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Mapping, Sequence
from typing import Any

from markdown_it import MarkdownIt

from prreview.diffs.critique import example_title
from prreview.diffs.render import RENDERED_LABEL

HEADLINE = (
    ("location_exact_f1", "location F1, exact line"),
    ("location_near_precision", "location precision, within k lines"),
    ("location_near_recall", "location recall, within k lines"),
    ("location_near_f1", "location F1, within k lines"),
    ("hunk_f1", "hunk F1"),
    ("bertscore_f1", "BERTScore F1 of matched pairs"),
    ("negative_silence_rate", "silent on files humans left alone"),
    ("parse_failure_rate", "replies that do not parse"),
)
COUNTS = (
    ("files", "files"),
    ("human_comments", "human comments"),
    ("generated_comments", "generated comments (after checks)"),
    ("comments_per_file", "comments per file"),
    ("bertscore_pairs", "matched pairs scored"),
    ("truncated_rate", "replies cut at the token limit"),
)


def _number(value: float) -> str:
    return f"{value:.3f}" if abs(value - round(value)) > 1e-9 else f"{value:.0f}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _metric_rows(
    models: Mapping[str, Any], names: Sequence[tuple[str, str]]
) -> list[list[str]]:
    base, candidate = models["base"]["metrics"], models["candidate"]["metrics"]
    rows = []
    for key, label in names:
        gain = candidate[key] - base[key]
        rows.append(
            [label, _number(base[key]), _number(candidate[key]), f"{gain:+.3f}"]
        )
    return rows


def _slice_lines(models: Mapping[str, Any]) -> list[str]:
    lines: list[str] = []
    base, candidate = models["base"]["slices"], models["candidate"]["slices"]
    for name, groups in base.items():
        lines += ["", f"### {name.replace('_', ' ')}", ""]
        if name == "comment_category":
            rows = [
                [
                    value,
                    _number(numbers["human_comments"]),
                    _number(numbers["location_near_recall"]),
                    _number(candidate[name][value]["location_near_recall"]),
                ]
                for value, numbers in groups.items()
            ]
            lines += _table(
                ["category", "human comments", "recall base", "recall candidate"], rows
            )
            continue
        rows = [
            [
                value,
                _number(numbers["files"]),
                _number(numbers["location_near_f1"]),
                _number(candidate[name][value]["location_near_f1"]),
                _number(numbers["bertscore_f1"]),
                _number(candidate[name][value]["bertscore_f1"]),
            ]
            for value, numbers in groups.items()
        ]
        lines += _table(
            [
                name,
                "files",
                "loc. F1 base",
                "loc. F1 candidate",
                "BERTScore base",
                "BERTScore candidate",
            ],
            rows,
        )
    return lines


def _quote(text: str) -> str:
    return " ".join(text.split())[:300] or "(empty)"


def _showcase_lines(showcase: Sequence[Mapping[str, Any]]) -> list[str]:
    lines: list[str] = []
    for item in showcase:
        title = example_title(item["example"])
        lines += ["", f"### {title}", "", "```diff", item["diff"], "```", ""]
        human = [
            f"- line {line}: {_quote(body)}"
            for line, body in zip(item["human_lines"], item["human"], strict=True)
        ]
        lines += ["**Human reviewers**", "", *(human or ["- (no comments)"]), ""]
        for name in ("base", "candidate"):
            review = item[name]
            said = [
                f"- line {c['line']}: {_quote(c['body'])}" for c in review["comments"]
            ]
            status = review["status"].replace("_", " ")
            if review.get("error"):
                status += f": {_quote(review['error'])}"
            lines += [f"**{name.title()}** ({status})", "", *(said or ["- (none)"]), ""]
    return lines


def render_markdown(
    evaluation: Mapping[str, Any], figures: Mapping[str, str] | None = None
) -> str:
    """The report as markdown; ``figures`` maps a figure's name to its file name."""
    models = evaluation["models"]
    gate = evaluation["gate"]
    bert = evaluation["bertscore"]
    lines = [
        "# Evaluation: base model vs candidate adapter",
        "",
        f"**Gate: {gate['status'].upper()}**"
        + (" - " + "; ".join(gate["reasons"]) if gate["reasons"] else ""),
        "",
        f"- Base: `{models['base']['model_id']}`",
        f"- Candidate: `{models['candidate']['model_id']}` (adapter "
        f"`{evaluation['adapter']}`)",
        f"- Test files: {evaluation['examples'].get('examples', 0)}; k = "
        f"{evaluation['tolerance']} lines; BERTScore: `{bert['model']}`, layer "
        f"{bert['layer']}",
        "",
        "## Headline",
        "",
        *_table(
            ["metric", "base", "candidate", "gain"],
            _metric_rows(models, HEADLINE),
        ),
        "",
        *_table(["count", "base", "candidate", "gain"], _metric_rows(models, COUNTS)),
    ]
    for name, file_name in (figures or {}).items():
        lines += ["", f"![{name}]({file_name})"]
    lines += ["", "## Slices", *_slice_lines(models)]
    lines += ["", "## How replies were read", ""]
    keys = sorted(
        set(models["base"]["review_counts"]) | set(models["candidate"]["review_counts"])
    )
    lines += _table(
        ["outcome", "base", "candidate"],
        [
            [
                key,
                str(models["base"]["review_counts"].get(key, 0)),
                str(models["candidate"]["review_counts"].get(key, 0)),
            ]
            for key in keys
        ],
    )
    if evaluation.get("showcase"):
        lines += ["", "## Examples", *_showcase_lines(evaluation["showcase"])]
    return "\n".join(lines) + "\n"


def headline_figure(evaluation: Mapping[str, Any]) -> Any:
    """Bars of the headline metrics, base next to candidate."""
    import matplotlib  # noqa: PLC0415

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    models = evaluation["models"]
    labels = [label for _, label in HEADLINE]
    positions = range(len(HEADLINE))
    figure, axes = plt.subplots(figsize=(9, 4.5))
    for offset, name in ((-0.2, "base"), (0.2, "candidate")):
        values = [models[name]["metrics"][key] for key, _ in HEADLINE]
        axes.barh([p + offset for p in positions], values, height=0.4, label=name)
    axes.set_yticks(list(positions), labels)
    axes.invert_yaxis()
    axes.set_xlim(0, 1)
    axes.set_title(f"Gate: {evaluation['gate']['status']}")
    axes.legend(loc="lower right")
    figure.tight_layout()
    return figure


def slices_figure(evaluation: Mapping[str, Any]) -> Any:
    """Location F1 (within k lines) per slice value, base next to candidate."""
    import matplotlib  # noqa: PLC0415

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    models = evaluation["models"]
    names = [n for n in models["base"]["slices"] if n != "comment_category"]
    figure, axes = plt.subplots(1, len(names), figsize=(4 * len(names), 3.5))
    for axis, name in zip(list(getattr(axes, "flat", [axes])), names, strict=True):
        values = list(models["base"]["slices"][name])
        for offset, model in ((-0.2, "base"), (0.2, "candidate")):
            scores = [
                models[model]["slices"][name][v]["location_near_f1"] for v in values
            ]
            bars = axis.bar(
                [i + offset for i in range(len(values))], scores, 0.4, label=model
            )
            # Labelled, so an all-zero slice reads as measured zeros, not a blank.
            axis.bar_label(bars, fmt="%.2f", fontsize=7)
        axis.set_xticks(range(len(values)), values, rotation=30, ha="right")
        axis.set_ylim(0, 1)
        axis.set_title(name.replace("_", " "))
    figure.axes[0].legend()
    figure.tight_layout()
    return figure


def figure_png(figure: Any, dpi: int = 120) -> bytes:
    """A matplotlib figure as PNG bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    return buffer.getvalue()


def _highlight_diff(code: str, language: str, _attributes: Any) -> str:
    """Colour added and removed lines of ``diff`` blocks (plain or rendered with line
    labels) and hunk headers; other blocks stay plain."""
    if language != "diff":
        return ""
    kinds = {"+": "added", "-": "removed"}
    lines = []
    for line in code.rstrip("\n").split("\n"):
        labelled = RENDERED_LABEL.match(line)
        if line.startswith("@@"):
            kind: str | None = "hunk"
        else:
            marker = line[labelled.end() :][:1] if labelled else line[:1]
            kind = kinds.get(marker)
        text = html.escape(line)
        lines.append(f'<span class="{kind}">{text}</span>' if kind else text)
    return '<pre class="diff"><code>' + "\n".join(lines) + "</code></pre>\n"


PAGE_STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; max-width: 72rem; margin: 2rem auto;
       padding: 0 1.5rem; color: #1f2328; }
h1 { font-size: 1.7rem; }
h2 { border-bottom: 1px solid #d0d7de; padding-bottom: .2rem; }
table { border-collapse: collapse; margin: .6rem 0 1rem; }
th, td { border: 1px solid #d0d7de; padding: .25rem .6rem; }
th { background: #f6f8fa; } td { font-variant-numeric: tabular-nums; }
img { max-width: 100%; display: block; margin: 1rem 0; }
pre { background: #f6f8fa; padding: .8rem; overflow-x: auto; font-size: 13px; }
.added { background: #dafbe1; display: inline-block; width: 100%; }
.removed { background: #ffebe9; display: inline-block; width: 100%; }
.hunk { color: #6639ba; }
.gate { padding: .6rem 1rem; border-radius: 6px; font-size: 1.1rem; }
.gate.approved { background: #dafbe1; } .gate.rejected { background: #ffebe9; }
"""


def render_html(evaluation: Mapping[str, Any], figures: Mapping[str, bytes]) -> str:
    """The report as one self-contained HTML page; ``figures`` maps a figure's name
    to its PNG bytes, embedded inline. Text from pull requests and models is
    escaped, never interpreted as HTML."""
    inline = {
        name: "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        for name, png in figures.items()
    }
    markdown = render_markdown(evaluation, inline)
    renderer = MarkdownIt("commonmark", {"html": False, "highlight": _highlight_diff})
    body = renderer.enable("table").render(markdown)
    status = html.escape(evaluation["gate"]["status"])
    gate_paragraph = body.index("<p><strong>Gate:")
    body = (
        body[:gate_paragraph]
        + f'<p class="gate {status}">'
        + body[gate_paragraph + len("<p>") :]
    )
    title = f"prreview evaluation: gate {status}"
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n<style>{PAGE_STYLE}</style>\n</head>\n"
        f"<body>\n{body}</body>\n</html>\n"
    )
