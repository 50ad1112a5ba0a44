"""summarize: kept review comments rewritten into short critiques by a chat model."""

from prreview.pipelines.summarize.pipeline import create_pipeline

__all__ = ["create_pipeline"]
