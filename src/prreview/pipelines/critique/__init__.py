"""critique: summaries joined with anchored diffs into chat-format SFT records, one
partition per iteration, merged into one deduplicated dataset."""

from prreview.pipelines.critique.pipeline import create_pipeline

__all__ = ["create_pipeline"]
