"""The preload hook runs only for ThreadRunner, in the main thread."""

from __future__ import annotations

import sys

from prreview import hooks


def test_preload_resolves_the_lazy_names() -> None:
    hooks.preload_lazy_modules()
    assert "transformers.models.auto.tokenization_auto" in sys.modules


def test_hook_preloads_only_for_thread_runner(monkeypatch) -> None:
    calls: list[bool] = []
    monkeypatch.setattr(hooks, "preload_lazy_modules", lambda: calls.append(True))
    hook = hooks.PreloadHooks()
    hook.before_pipeline_run({"runner": "SequentialRunner"})
    assert calls == []
    hook.before_pipeline_run({"runner": "<kedro.runner.ThreadRunner object>"})
    assert calls == [True]


def test_report_hook_names_the_report_and_the_deciding_numbers(caplog) -> None:
    import logging
    from types import SimpleNamespace

    from kedro.io import DataCatalog, MemoryDataset

    metrics = {"location_near_f1": 0.25, "bertscore_f1": 0.5, "parse_failure_rate": 0.0}
    evaluation = {
        "gate": {"status": "approved"},
        "models": {
            "base": {"metrics": dict.fromkeys(metrics, 0.0)},
            "candidate": {"metrics": metrics},
        },
    }
    hook = hooks.ReportHooks()
    from kedro_datasets.text import TextDataset

    page = TextDataset(filepath="data/08_reporting/evaluation_report.html")
    catalog = DataCatalog(
        {"evaluation_report": MemoryDataset(), "evaluation_report_html": page}
    )
    with caplog.at_level(logging.INFO, logger="prreview.hooks"):
        hook.after_pipeline_run(catalog)  # nothing evaluated: nothing said
        hook.after_node_run(SimpleNamespace(name="other_node"), {"x": 1})
        hook.after_node_run(
            SimpleNamespace(name="score_reviews_node"), {"evaluation": evaluation}
        )
        hook.after_pipeline_run(catalog)
    (line,) = [r.getMessage() for r in caplog.records]
    assert line == (
        "Evaluation report: data/08_reporting/evaluation_report.html (markdown: "
        "evaluation_report); gate APPROVED; location_near_f1 base "
        "0.000 -> candidate 0.250; bertscore_f1 base 0.000 -> candidate 0.500; "
        "parse_failure_rate base 0.000 -> candidate 0.000"
    )
