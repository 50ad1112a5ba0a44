"""filter_train: train the review-comment classifier from hand-labelled comments."""

from prreview.pipelines.filter_train.pipeline import create_pipeline

__all__ = ["create_pipeline"]
