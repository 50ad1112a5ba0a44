"""evaluate: the base model and the trained adapter review the test split; location,
BERTScore, slices, a report and the promotion gate (docs/evaluate.md)."""

from prreview.pipelines.evaluate.pipeline import create_pipeline

__all__ = ["create_pipeline"]
