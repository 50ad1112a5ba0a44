"""Which slice an evaluation example belongs to: PR size, language, change type.

Each reads the critique record's metadata; a record without the field (older
data, hand-written SFT files) lands in ``unknown`` rather than failing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

UNKNOWN = "unknown"
SIZE_LIMITS = (("small", 50), ("medium", 300))  # lines changed in the PR, below
SLICES = ("pr_size", "language", "change_type")

_LABEL_TYPES = (  # whole words of a label ("docker" is not "doc")
    ("bug_fix", {"bug", "bugfix", "fix", "regression", "defect", "crash"}),
    ("feature", {"feature", "enhancement", "feat"}),
    ("docs", {"doc", "docs", "documentation"}),
    ("refactor", {"refactor", "refactoring", "cleanup", "chore", "debt"}),
)
_TITLE_TYPES = (  # a title that starts with "Add" adds something, whatever follows
    (
        "feature",
        re.compile(r"^(add|adds|added|implement\w*|support|introduce\w*|feat)\b"),
    ),
    ("bug_fix", re.compile(r"\b(fix(es|ed)?|bug|crash|regression|broken|error)\b")),
    ("docs", re.compile(r"^(docs?|readme)\b|\b(documentation|docstrings?)\b")),
    ("refactor", re.compile(r"\b(refactor\w*|rename[sd]?|clean ?up|simplif\w+)\b")),
)


def pr_size(changes: int | None) -> str:
    """small (< 50 changed lines), medium (< 300) or large."""
    if changes is None or changes < 0:
        return UNKNOWN
    for name, limit in SIZE_LIMITS:
        if changes < limit:
            return name
    return "large"


def change_type(labels: Sequence[str], title: str) -> str:
    """bug_fix, feature, docs, refactor or other: labels first (a maintainer's
    call), then the title's wording (conventional-commit prefixes included)."""
    words_of_labels = {
        word for label in labels for word in re.findall(r"[a-z]+", label.lower())
    }
    for name, words in _LABEL_TYPES:
        if words_of_labels & words:
            return name
    text = title.lower()
    prefix = re.match(r"^(\w+)(\(.*?\))?!?:", text)
    conventional = {"fix": "bug_fix", "feat": "feature", "docs": "docs"}
    if prefix and prefix[1] in conventional:
        return conventional[prefix[1]]
    if prefix and prefix[1] == "refactor":
        return "refactor"
    for name, pattern in _TITLE_TYPES:
        if pattern.search(text):
            return name
    return "other" if title or labels else UNKNOWN


def example_slices(metadata: Mapping[str, Any]) -> dict[str, str]:
    """The slice values of one critique record."""
    try:
        changes: int | None = int(metadata["pr_changes"])
    except (KeyError, TypeError, ValueError):
        changes = None
    return {
        "pr_size": pr_size(changes),
        "language": str(metadata.get("language") or UNKNOWN),
        "change_type": change_type(
            list(metadata.get("pr_labels") or []), str(metadata.get("pr_title") or "")
        ),
    }
