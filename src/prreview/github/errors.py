"""Errors raised by the GitHub client.

Messages carry URLs and statuses, never credentials.
"""

from __future__ import annotations


class GitHubError(Exception):
    """A GitHub request failed for good (after retries, or not retryable)."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        endpoint: str | None = None,
        retry_count: int = 0,
        error_type: str = "http_error",
    ) -> None:
        super().__init__(message)
        self.status = status
        self.endpoint = endpoint
        self.retry_count = retry_count
        self.error_type = error_type


class RepositoryUnavailable(GitHubError):
    """404, 410 or 451: the repository is gone or blocked; retrying will not help."""


class BadCredentials(GitHubError):
    """401: the token is wrong or expired; every further request would fail too."""


class DiffTooLarge(GitHubError):
    """GitHub refuses diffs over its size limit; fetch the per-file patches instead."""


class PayloadError(GitHubError):
    """A response arrived but is not what the API promises
    (invalid JSON, missing fields)."""


class RateLimitWaitTooLong(GitHubError):
    """Waiting for the quota to reset would exceed the configured maximum."""
