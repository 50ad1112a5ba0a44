"""Project pipelines: each folder under pipelines/ is found by name; ``__default__``
runs them in the order of the flow."""

from __future__ import annotations

from kedro.framework.project import find_pipelines
from kedro.pipeline import Pipeline

FLOW = (
    "ingest",
    "filter_train",
    "filter",
    "summarize",
    "codediff",
    "critique",
    "commits",
    "fim",
    "dataset",
    "train",
    "evaluate",
)


def register_pipelines() -> dict[str, Pipeline]:
    pipelines = find_pipelines(raise_errors=True)
    pipelines["__default__"] = sum(
        (pipelines[name] for name in FLOW if name in pipelines), Pipeline([])
    )
    return pipelines
