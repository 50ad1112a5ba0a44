"""Ingest: mine repositories, pull requests, review comments and diffs from GitHub."""

from prreview.pipelines.ingest.pipeline import create_pipeline

__all__ = ["create_pipeline"]
