"""Label each file of a PR keep/drop, with a reason and a language.

Lock files, generated and vendored code, binaries and huge patches teach a review
model nothing a reviewer would say, and they crowd the prompt; the rules are a frozen
dataclass so a pipeline can load them from parameters and record what it used.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import cache
from pathlib import PurePosixPath
from typing import Literal

from prreview.diffs.hunks import HunkParseError, parse_patch
from prreview.schemas import FilePatch

logger = logging.getLogger(__name__)

NoiseReason = Literal[
    "kept",
    "binary",
    "no_patch",
    "lock_file",
    "vendored",
    "generated_path",
    "too_large",
    "too_many_changed_lines",
    "malformed_patch",
    "generated_marker",
]

LOCK_FILES = frozenset(
    {
        "poetry.lock",
        "Cargo.lock",
        "package-lock.json",
        "npm-shrinkwrap.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "bun.lockb",
        "bun.lock",
        "deno.lock",
        "go.sum",
        "go.work.sum",
        "Gemfile.lock",
        "composer.lock",
        "uv.lock",
        "Pipfile.lock",
        "pdm.lock",
        "pixi.lock",
        "conda-lock.yml",
        "mix.lock",
        "Podfile.lock",
        "pubspec.lock",
        "Package.resolved",
        "flake.lock",
        "packages.lock.json",
        "gradle.lockfile",
        "paket.lock",
        "cabal.project.freeze",
    }
)
GENERATED_NAMES = (
    "*_pb2.py",
    "*_pb2.pyi",
    "*_pb2_grpc.py",
    "*.pb.go",
    "*.pb.cc",
    "*.pb.h",
    "*.pb.swift",
    "*_grpc.pb.go",
    "*.min.js",
    "*.min.css",
    "*.map",
    "*.g.dart",
    "*.freezed.dart",
    "*.designer.cs",
)
GENERATED_DIRS = frozenset({"generated", "__generated__", "dist", "build"})
VENDORED_DIRS = frozenset(
    {"vendor", "vendored", "third_party", "third-party", "node_modules"}
)
GENERATED_MARKERS = (
    r"@generated\b",
    r"\bCode generated\b.*\bDO NOT EDIT\b",
    r"\bAUTO-?GENERATED\b.*\bDO NOT (?:EDIT|MODIFY)\b",
)


@dataclass(frozen=True)
class NoiseRules:
    """What counts as noise; every default can be overridden from parameters.

    ``lock_files`` are exact base names, ``generated_names`` shell patterns on the
    base name, ``*_dirs`` directory names anywhere in the path; markers are regular
    expressions searched in the first ``marker_max_line`` lines of the new file.
    """

    lock_files: frozenset[str] = LOCK_FILES
    generated_names: tuple[str, ...] = GENERATED_NAMES
    generated_dirs: frozenset[str] = GENERATED_DIRS
    vendored_dirs: frozenset[str] = VENDORED_DIRS
    generated_markers: tuple[str, ...] = GENERATED_MARKERS
    marker_max_line: int = 10
    max_patch_chars: int = 60_000
    max_changed_lines: int = 1_500

    def __post_init__(self) -> None:
        for name in ("marker_max_line", "max_patch_chars", "max_changed_lines"):
            if getattr(self, name) < 0:
                raise ValueError(f"NoiseRules.{name} must be >= 0")
        compiled_markers(self.generated_markers)  # a bad pattern fails now, not mid-run


@dataclass(frozen=True, slots=True)
class FileLabel:
    """A file's verdict: ``keep`` is True exactly when ``reason`` is "kept"."""

    path: str
    keep: bool
    reason: NoiseReason
    language: str


_LANGUAGES_BY_NAME = {
    "Dockerfile": "Dockerfile",
    "Containerfile": "Dockerfile",
    "Makefile": "Makefile",
    "GNUmakefile": "Makefile",
    "makefile": "Makefile",
    "CMakeLists.txt": "CMake",
    "Rakefile": "Ruby",
    "Gemfile": "Ruby",
    "Jenkinsfile": "Groovy",
    "BUILD": "Starlark",
    "BUILD.bazel": "Starlark",
    "WORKSPACE": "Starlark",
}
_LANGUAGES_BY_SUFFIX = {
    ".py": "Python",
    ".pyi": "Python",
    ".pyx": "Cython",
    ".rs": "Rust",
    ".go": "Go",
    ".java": "Java",
    ".js": "JavaScript",
    ".mjs": "JavaScript",
    ".cjs": "JavaScript",
    ".jsx": "JavaScript",
    ".ts": "TypeScript",
    ".tsx": "TypeScript",
    ".mts": "TypeScript",
    ".cts": "TypeScript",
    ".c": "C",
    ".h": "C",
    ".cc": "C++",
    ".cpp": "C++",
    ".cxx": "C++",
    ".c++": "C++",
    ".hh": "C++",
    ".hpp": "C++",
    ".hxx": "C++",
    ".cs": "C#",
    ".rb": "Ruby",
    ".php": "PHP",
    ".kt": "Kotlin",
    ".kts": "Kotlin",
    ".swift": "Swift",
    ".scala": "Scala",
    ".sc": "Scala",
    ".sh": "Shell",
    ".bash": "Shell",
    ".zsh": "Shell",
    ".sql": "SQL",
    ".yml": "YAML",
    ".yaml": "YAML",
    ".json": "JSON",
    ".md": "Markdown",
    ".markdown": "Markdown",
    ".toml": "TOML",
    ".dockerfile": "Dockerfile",
    ".mk": "Makefile",
    ".html": "HTML",
    ".htm": "HTML",
    ".css": "CSS",
    ".scss": "SCSS",
    ".less": "Less",
    ".xml": "XML",
    ".gradle": "Groovy",
    ".groovy": "Groovy",
    ".lua": "Lua",
    ".dart": "Dart",
    ".ex": "Elixir",
    ".exs": "Elixir",
    ".erl": "Erlang",
    ".hs": "Haskell",
    ".ml": "OCaml",
    ".r": "R",
    ".jl": "Julia",
    ".pl": "Perl",
    ".pm": "Perl",
    ".m": "Objective-C",
    ".mm": "Objective-C++",
    ".zig": "Zig",
    ".vue": "Vue",
    ".svelte": "Svelte",
    ".proto": "Protocol Buffers",
    ".graphql": "GraphQL",
    ".tf": "HCL",
    ".rst": "reStructuredText",
    ".ipynb": "Jupyter Notebook",
    ".ini": "INI",
    ".cfg": "INI",
    ".txt": "Text",
}


def language_of(path: str) -> str:
    """A language label from the file name or its extension; "Other" if unknown."""
    name = PurePosixPath(path).name
    if name in _LANGUAGES_BY_NAME:
        return _LANGUAGES_BY_NAME[name]
    if name.startswith("Dockerfile.") or name.endswith(".Dockerfile"):
        return "Dockerfile"
    return _LANGUAGES_BY_SUFFIX.get(PurePosixPath(name).suffix.lower(), "Other")


def path_noise_reason(path: str, rules: NoiseRules) -> NoiseReason | None:
    parts = PurePosixPath(path).parts
    name, dirs = (parts[-1], parts[:-1]) if parts else ("", ())
    if name in rules.lock_files:
        return "lock_file"
    if any(part in rules.vendored_dirs for part in dirs):
        return "vendored"
    if any(part in rules.generated_dirs for part in dirs) or any(
        fnmatchcase(name, pattern) for pattern in rules.generated_names
    ):
        return "generated_path"
    return None


@cache
def compiled_markers(markers: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    try:
        return tuple(re.compile(marker) for marker in markers)
    except re.error as error:
        raise ValueError(f"bad generated marker pattern: {error}") from error


def _has_marker(patch: str, rules: NoiseRules) -> bool:
    """Whether a line near the top of the file carries a "generated" marker.

    Only the first lines count: a generator's own source may mention the marker
    deeper down, but generated files announce themselves at the top.
    """
    markers = compiled_markers(rules.generated_markers)
    for hunk in parse_patch(patch):
        for line in hunk.lines:
            numbers = [n for n in (line.old_line, line.new_line) if n is not None]
            if not numbers or min(numbers) > rules.marker_max_line:
                continue
            if any(marker.search(line.text) for marker in markers):
                return True
    return False


def _size_reason(file: FilePatch, rules: NoiseRules) -> NoiseReason | None:
    if len(file.patch or "") > rules.max_patch_chars:
        return "too_large"
    if file.additions + file.deletions > rules.max_changed_lines:
        return "too_many_changed_lines"
    return None


def _content_reason(patch: str, rules: NoiseRules) -> NoiseReason | None:
    try:
        return "generated_marker" if _has_marker(patch, rules) else None
    except HunkParseError:
        return "malformed_patch"


def _reason(file: FilePatch, rules: NoiseRules) -> NoiseReason:
    """The first rule that drops the file, cheapest first; "kept" if none does."""
    if file.binary:
        return "binary"
    if not file.patch:
        return "no_patch"
    return (
        path_noise_reason(file.path, rules)
        or _size_reason(file, rules)
        or _content_reason(file.patch, rules)
        or "kept"
    )


def classify_file(file: FilePatch, rules: NoiseRules | None = None) -> FileLabel:
    """Keep or drop one file, with the first rule that drops it."""
    reason = _reason(file, rules or NoiseRules())
    return FileLabel(
        path=file.path,
        keep=reason == "kept",
        reason=reason,
        language=language_of(file.path),
    )


def classify_files(
    files: Iterable[FilePatch], rules: NoiseRules | None = None
) -> list[FileLabel]:
    """Labels for all of a PR's files, in order."""
    labels = [classify_file(file, rules) for file in files]
    dropped = [label for label in labels if not label.keep]
    if dropped:
        logger.debug(
            "dropped %d of %d files: %s",
            len(dropped),
            len(labels),
            {label.path: label.reason for label in dropped},
        )
    return labels
