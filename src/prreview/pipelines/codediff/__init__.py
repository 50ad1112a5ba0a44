"""codediff: each commented file of a PR as a review example, with its rendered patch
and its anchored comments, plus uncommented files as negatives."""

from prreview.pipelines.codediff.pipeline import create_pipeline

__all__ = ["create_pipeline"]
