"""fim: fill-in-the-middle examples from the source files at HEAD (and optionally
recent commits) of local git repositories, rendered with the model family's tokens."""

from prreview.pipelines.fim.pipeline import create_pipeline

__all__ = ["create_pipeline"]
