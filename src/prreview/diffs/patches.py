"""Split a pull request's unified diff into GitHub-style per-file patches.

unidiff reads the file headers (renames, binaries, added and deleted files); the patch
text itself is sliced from the original diff, byte for byte, because unidiff re-renders
hunk headers (``@@ -1 +0,0 @@`` becomes ``@@ -1,1 +0,0 @@``) and GitHub's ``patch`` does
not.
"""

from __future__ import annotations

import re

from unidiff import PatchSet
from unidiff.errors import UnidiffParseError

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
    try:
        parsed = PatchSet(diff)
    except UnidiffParseError as error:
        raise DiffParseError(str(error)) from error
    sections = _sections(diff)
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
        patches.append(
            FilePatch(
                path=_strip_prefix(
                    patched.source_file
                    if patched.is_removed_file
                    else patched.target_file
                ),
                previous_path=_strip_prefix(patched.source_file)
                if patched.is_rename
                else None,
                status=status,
                additions=patched.added,
                deletions=patched.removed,
                binary=bool(patched.is_binary_file),
                patch=None if patched.is_binary_file else _patch_text(section),
            )
        )
    return patches
