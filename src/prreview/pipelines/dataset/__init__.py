"""dataset: every SFT source cleaned, redacted, deduplicated, fitted to a length and
split by repository into the sets train and evaluate read."""

from prreview.pipelines.dataset.pipeline import create_pipeline

__all__ = ["create_pipeline"]
