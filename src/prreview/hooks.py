"""Project hooks."""

from __future__ import annotations

import importlib
import logging
import os
from pathlib import Path
from typing import Any

from kedro.config import MissingConfigException
from kedro.framework.hooks import hook_impl

from prreview.tracking import anchored_sqlite_uri, set_aside_interrupted_store

logger = logging.getLogger(__name__)

# transformers resolves ``from transformers import AutoTokenizer`` lazily, on first
# use; two threads doing that at once can see a half-initialized module
# ("cannot import name 'AutoTokenizer'"). Resolved once in the main thread, before
# ThreadRunner starts its workers, they are plain attribute reads.
PRELOAD = {
    "transformers": ("AutoTokenizer", "AutoModelForCausalLM", "AutoConfig"),
    "sentence_transformers": ("SentenceTransformer",),
}


def preload_lazy_modules() -> None:
    """Import the lazily-loading libraries and resolve the names nodes use."""
    for module_name, names in PRELOAD.items():
        module = importlib.import_module(module_name)
        for name in names:
            getattr(module, name)


class PreloadHooks:
    """Before a run with ThreadRunner, load in the main thread what nodes in
    worker threads would otherwise import at the same moment."""

    @hook_impl
    def before_pipeline_run(self, run_params: dict[str, Any]) -> None:
        if "ThreadRunner" in str(run_params.get("runner") or ""):
            logger.info("Loading transformers before the threads start")
            preload_lazy_modules()


class TrackingStoreHooks:
    """Before kedro-mlflow opens its store: anchor a relative SQLite store at the
    project root (not wherever the process started), and set aside a store that a
    killed run left half-created, so one unlucky SIGKILL cannot stop every later
    run."""

    @hook_impl(tryfirst=True)
    def after_context_created(self, context: Any) -> None:
        try:
            mlflow_config = dict(context.config_loader["mlflow"] or {})
        except MissingConfigException:
            mlflow_config = {}
        server = dict(mlflow_config.get("server") or {})
        for key in ("mlflow_tracking_uri", "mlflow_registry_uri"):
            if server.get(key):
                server[key] = anchored_sqlite_uri(server[key], context.project_path)
        if server:
            # Set explicitly, the loader hands kedro-mlflow this dict as it is.
            context.config_loader["mlflow"] = {**mlflow_config, "server": server}
        tracking_uri = server.get("mlflow_tracking_uri") or os.environ.get(
            "MLFLOW_TRACKING_URI"
        )
        set_aside_interrupted_store(tracking_uri, Path.cwd())


def evaluation_headline(evaluation: dict[str, Any]) -> str:
    """One paragraph: the gate's decision and the numbers that decided it."""
    models = evaluation["models"]
    gate = evaluation["gate"]
    parts = [f"gate {gate['status'].upper()}"]
    for metric in ("location_near_f1", "bertscore_f1", "parse_failure_rate"):
        base = models["base"]["metrics"][metric]
        candidate = models["candidate"]["metrics"][metric]
        parts.append(f"{metric} base {base:.3f} -> candidate {candidate:.3f}")
    return "; ".join(parts)


def dataset_path(catalog: Any, name: str) -> str:
    """Where a file dataset writes, or its name when that cannot be told."""
    try:
        return str(getattr(catalog.get(name), "_filepath", None) or name)
    except Exception:  # noqa: BLE001 - the headline matters more than the path
        return name


class ReportHooks:
    """After a run that evaluated the adapter, say where the report is and what it
    found, so the main job ends with its answer."""

    def __init__(self) -> None:
        self._evaluation: dict[str, Any] | None = None

    @hook_impl
    def after_node_run(self, node: Any, outputs: dict[str, Any]) -> None:
        if "evaluation" in outputs and node.name == "score_reviews_node":
            self._evaluation = outputs["evaluation"]

    @hook_impl
    def after_pipeline_run(self, catalog: Any) -> None:
        evaluation, self._evaluation = self._evaluation, None
        if evaluation is None:
            return
        page, markdown = (
            dataset_path(catalog, name)
            for name in ("evaluation_report_html", "evaluation_report")
        )
        logger.info(
            "Evaluation report: %s (markdown: %s); %s",
            page,
            markdown,
            evaluation_headline(evaluation),
        )
