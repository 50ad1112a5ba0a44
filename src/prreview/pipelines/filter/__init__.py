"""filter: keep the review comments worth learning from, and say why."""

from prreview.pipelines.filter.pipeline import create_pipeline

__all__ = ["create_pipeline"]
