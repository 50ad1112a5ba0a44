"""commits: local git history as commit records, repository statistics, tree-sitter
identifier changes, commit-identifier SFT records merged with ingested PRs by SHA,
semantic chunks and chronological token windows."""

from prreview.pipelines.commits.pipeline import create_pipeline

__all__ = ["create_pipeline"]
