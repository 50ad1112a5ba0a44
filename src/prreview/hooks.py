"""Project hooks."""

from __future__ import annotations

import importlib
import logging
from typing import Any

from kedro.framework.hooks import hook_impl

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
