"""Split a pull request's unified diff into GitHub-style per-file patches.

unidiff reads the file headers (renames, binaries, added and deleted files); the patch
text itself is sliced from the original diff, byte for byte, because unidiff re-renders
hunk headers (``@@ -1 +0,0 @@`` becomes ``@@ -1,1 +0,0 @@``) and GitHub's ``patch`` does
not. Each sliced patch is checked with :func:`prreview.diffs.hunks.parse_patch`, so
every patch this module returns parses; a diff saved with CRLF line ends is read as
git wrote it, with LF.
"""

from __future__ import annotations

import re

from unidiff import PatchSet
from unidiff.errors import UnidiffParseError

from prreview.diffs.hunks import HunkParseError, parse_patch
from prreview.schemas import FilePatch

_LINE_END = re.compile(r"(?<=\n)")


class DiffParseError(ValueError):
    """The text is not a unified diff this module can split."""


def _strip_prefix(path: str) -> str:
    return path[2:] if path[:2] in ("a/", "b/") else path


def _sections(diff: str) -> list[list[str]]:
    sections: list[list[str]] = []
    for line in _LINE_END.split(diff):
        if not line:
            continue
        if line.startswith("diff --git "):
            sections.append([line])
        elif sections:
            sections[-1].append(line)
    return sections


def _lf_line_ends(diff: str) -> str:
    """A diff saved with CRLF line ends (a Windows editor, a mail client) back to
    git's LF; only when every line has one, so that the lines of a CRLF file in a
    diff with LF line ends keep their ``"\\r"``."""
    lines = diff.split("\n")
    if len(lines) > 1 and all(line.endswith("\r") for line in lines[:-1]):
        return diff.replace("\r\n", "\n")
    return diff


def _patch_text(section: list[str]) -> str | None:
    for index, line in enumerate(section):
        if line.startswith("@@ "):
            text = "".join(section[index:])
            return text[:-1] if text.endswith("\n") else text
    return None


def split_diff(diff: str) -> list[FilePatch]:
    """Per-file patches in diff order; :class:`DiffParseError` on malformed input."""
    if not diff.strip():
        return []
    diff = _lf_line_ends(diff)
    sections = _sections(diff)
    if not sections:  # an HTML error page, a plain `diff -u`, any other text
        first = diff.strip().partition("\n")[0]
        raise DiffParseError(
            f"no 'diff --git' section: expected a git diff (git diff, git show, "
            f"GitHub's .diff), got text starting {first[:80]!r}"
        )
    try:
        parsed = PatchSet(diff)
    except UnidiffParseError as error:
        raise DiffParseError(str(error)) from error
    if len(sections) != len(parsed):
        raise DiffParseError(
            f"{len(sections)} 'diff --git' sections but {len(parsed)} parsed files"
        )
    patches = []
    for patched, section in zip(parsed, sections, strict=True):
        if patched.is_added_file:
            status = "added"
        elif patched.is_removed_file:
            status = "removed"
        elif patched.is_rename:
            status = "renamed"
        else:
            status = "modified"
        path = _strip_prefix(
            patched.source_file if patched.is_removed_file else patched.target_file
        )
        patch = None if patched.is_binary_file else _patch_text(section)
        try:
            parse_patch(patch)  # unidiff lets some malformed hunks through
        except HunkParseError as error:
            raise DiffParseError(f"{path}: {error}") from error
        patches.append(
            FilePatch(
                path=path,
                previous_path=_strip_prefix(patched.source_file)
                if patched.is_rename
                else None,
                status=status,
                additions=patched.added,
                deletions=patched.removed,
                binary=bool(patched.is_binary_file),
                patch=patch,
            )
        )
    return patches
