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
