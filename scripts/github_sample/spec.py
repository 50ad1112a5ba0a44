"""Hand-written description of the bundled GitHub sample.

Content modules (``repo_*.py`` beside this file) each define ``REPO: RepoSpec``. The
engine (``engine.py``) replays every pull request on a real git repository in a
temporary folder, so diffs, SHAs and ``diff_hunk`` values are what git and GitHub would
produce, and writes the snapshot as GitHub REST responses under
``data/01_raw/github_sample``.

Anchors are text, not line numbers: an anchor is a substring that must occur on exactly
one line of the commented side of the diff (added or context lines for RIGHT, removed or
context lines for LEFT). The engine fails loudly when it does not, so content stays
consistent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Side = Literal["RIGHT", "LEFT"]
Association = Literal[
    "OWNER", "MEMBER", "COLLABORATOR", "CONTRIBUTOR", "FIRST_TIME_CONTRIBUTOR", "NONE"
]


@dataclass(frozen=True)
class Edit:
    """Replace exactly one occurrence of ``old`` with ``new`` in a file."""

    old: str
    new: str


@dataclass(frozen=True)
class FileChange:
    """One file touched by a commit.

    - new file or full rewrite: ``content``
    - in-place edits of the current content: ``edits``
    - deletion: ``delete=True``
    - rename (optionally with edits): ``rename_from`` + ``path`` (+ ``edits``)
    - binary: ``binary`` bytes (added or replaced)
    """

    path: str
    content: str | None = None
    edits: tuple[Edit, ...] = ()
    delete: bool = False
    rename_from: str | None = None
    binary: bytes | None = None


@dataclass(frozen=True)
class Comment:
    """A pull-request review comment.

    ``key`` names the comment inside its PR so replies can point at it with
    ``reply_to``; a reply inherits path/anchor/side from its parent. ``outdated=True``
    anchors the comment on the PR's first commit; the PR's ``fixups`` must then change
    that line, and the comment comes out with ``line: null`` and only ``original_line``
    (as GitHub reports it). ``start_anchor`` makes a multi-line comment
    (start_line .. line).
    """

    key: str
    author: str
    body: str
    path: str | None = None
    anchor: str | None = None
    side: Side = "RIGHT"
    start_anchor: str | None = None
    reply_to: str | None = None
    outdated: bool = False
    author_type: Literal["User", "Bot"] = "User"
    association: Association = "MEMBER"


@dataclass(frozen=True)
class IssueComment:
    """A conversation comment on the PR (not attached to a line)."""

    author: str
    body: str
    author_type: Literal["User", "Bot"] = "User"
    association: Association = "MEMBER"


@dataclass(frozen=True)
class PullSpec:
    """A pull request: ``changes`` is its first commit, ``fixups`` an optional second
    commit pushed after review (what makes ``outdated`` comments outdated)."""

    title: str
    body: str
    author: str
    branch: str
    changes: tuple[FileChange, ...]
    comments: tuple[Comment, ...] = ()
    fixups: tuple[FileChange, ...] = ()
    conversation: tuple[IssueComment, ...] = ()
    labels: tuple[str, ...] = ()
    state: Literal["merged", "closed", "open"] = "merged"
    author_association: Association = "CONTRIBUTOR"
    commit_message: str | None = None
    fixup_message: str = "Address review comments"


@dataclass(frozen=True)
class IssueSpec:
    """An issue a PR can link with "Fixes #N" in its body."""

    number: int
    title: str
    body: str
    author: str
    labels: tuple[str, ...] = ()
    state: Literal["open", "closed"] = "closed"


@dataclass(frozen=True)
class RepoSpec:
    owner: str
    name: str
    language: str
    description: str
    stars: int
    license_spdx: str | None
    topics: tuple[str, ...]
    created_at: str
    files: dict[str, str]
    pulls: tuple[PullSpec, ...]
    issues: tuple[IssueSpec, ...] = ()
    archived: bool = False
    default_branch: str = "main"
    renamed_from: str | None = None
    owner_type: Literal["User", "Organization"] = "Organization"
    binary_files: dict[str, bytes] = field(default_factory=dict)
