"""Read a local repository's full commit history with the git CLI, fast and safely.

One ``git log`` process streams every commit (a custom header, then ``--raw`` and
the patch, paths NUL-separated with ``-z``), so reading history costs one process,
not one per commit. Line counts are read off the patch (asking for ``--numstat`` too
would make git diff every file twice); without patches they come from ``--numstat``.
Identities are hashed with :func:`prreview.schemas.hash_login` the moment they are
read: no raw email or name ever leaves this module. Anything dropped or repaired
(submodule entries, bytes that are not UTF-8, patches cut at the size cap) is
counted by reason.

Patches use GitHub's per-file ``patch`` format (hunks only, no ``diff --git``
header, no trailing newline), so :func:`prreview.diffs.hunks.parse_patch` reads them.
"""

from __future__ import annotations

import logging
import math
import os
import re
import shutil
import subprocess
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from itertools import combinations
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Literal, NamedTuple

from prreview.schemas import hash_login

logger = logging.getLogger(__name__)

ChangeType = Literal[
    "added", "modified", "deleted", "renamed", "copied", "type_changed"
]
MergeKind = Literal["merge_commit", "squash"]

DEFAULT_MAX_PATCH_BYTES = 256 * 1024
GITLINK_MODE = "160000"
SYMLINK_MODE = "120000"

_STATUS: dict[str, ChangeType] = {
    "A": "added",
    "M": "modified",
    "D": "deleted",
    "R": "renamed",
    "C": "copied",
    "T": "type_changed",
}
_MERGE_PR = re.compile(r"^Merge pull request #(\d+) from \S")
_SQUASH_PR = re.compile(r"\(#(\d+)\)\s*$")
_NUMSTAT = re.compile(rb"(\d+|-)\t(\d+|-)\t")
_PATCH_START = re.compile(rb"^diff --git ", re.MULTILINE)
_ZERO_SHA = re.compile(r"^0+$")
# Starts every commit's record in the stream; %x escapes keep the bytes out of this
# file, so reading this repository's own history cannot trip over it.
_MARKER = b"\x1e\x1eprreview-commit\x1f"
_FORMAT = "%x1e%x1eprreview-commit%x1f" + "%x00".join(
    ["%H", "%P", "%aE", "%at", "%cE", "%ct", "%s", "%B"]
)
_HEADER_FIELDS = 8
# Variables that would point git at another repository than the one asked for.
_REPO_ENV = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
)
# Settings a user's config could change that would change what we parse.
_CONFIG = (
    "core.quotePath=false",
    "log.showSignature=false",
    "log.showRoot=true",
    "color.ui=never",
    "diff.relative=false",
    "i18n.logOutputEncoding=UTF-8",
)


class GitHistoryError(RuntimeError):
    """git is missing, or the path is not a readable git repository; names the path."""


@dataclass(frozen=True, slots=True)
class FileChange:
    """One file a commit changed, compared with the commit's first parent.

    ``patch`` is ``None`` for binary files and when patches were not asked for;
    ``""`` when nothing textual changed (pure rename, mode change). A truncated
    patch keeps only whole hunks, so it still parses; ``additions``/``deletions``
    always count the whole change. ``binary`` is git's verdict on the diff, so an
    unchanged binary file that was only renamed reads ``False`` when patches are
    read (nothing was diffed) and ``True`` from ``--numstat``.
    """

    path: str
    previous_path: str | None
    change_type: ChangeType
    additions: int
    deletions: int
    binary: bool
    old_blob: str | None
    new_blob: str | None
    patch: str | None = None
    patch_truncated: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Commit:
    """One commit, identities hashed, timestamps ISO 8601 UTC."""

    sha: str
    parents: tuple[str, ...]
    author: str | None
    committer: str | None
    authored_at: str
    committed_at: str
    subject: str
    message: str
    branches: tuple[str, ...]
    tags: tuple[str, ...]
    is_merge: bool
    merge_kind: MergeKind | None
    pr_number: int | None
    files: tuple[FileChange, ...] = ()

    @property
    def additions(self) -> int:
        return sum(change.additions for change in self.files)

    @property
    def deletions(self) -> int:
        return sum(change.deletions for change in self.files)

    def as_dict(self) -> dict[str, Any]:
        data = {
            name: getattr(self, name)
            for name in self.__dataclass_fields__
            if name != "files"
        }
        data["parents"] = list(self.parents)
        data["branches"] = list(self.branches)
        data["tags"] = list(self.tags)
        data["files"] = [change.as_dict() for change in self.files]
        return data


@dataclass(frozen=True)
class HistoryResult:
    """Every commit read, plus what was skipped or repaired, by reason.

    In a shallow clone the oldest commits list no parents (git grafts them);
    ``shallow_roots`` names those commits, which are read without file changes.
    """

    repo_path: str
    commits: tuple[Commit, ...]
    is_shallow: bool
    shallow_roots: tuple[str, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "repo_path": self.repo_path,
            "is_shallow": self.is_shallow,
            "shallow_roots": list(self.shallow_roots),
            "counts": dict(sorted(self.counts.items())),
            "commits": [commit.as_dict() for commit in self.commits],
        }


class HeadFile(NamedTuple):
    path: str
    blob_sha: str
    size: int


# --------------------------------------------------------------------------- git


def _git_executable(repo_path: Path) -> str:
    executable = shutil.which("git")
    if executable is None:
        raise GitHistoryError(
            f"git executable not found on PATH; it is needed to read {repo_path}"
        )
    return executable


def _env() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in _REPO_ENV}
    env.update({"LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat"})
    return env


def _command(git: str, repo: Path, *args: str) -> list[str]:
    config = [part for item in _CONFIG for part in ("-c", item)]
    return [git, "--no-pager", *config, "-C", str(repo), *args]


def _run(
    git: str, repo: Path, *args: str, check: bool = True, stdin: bytes | None = None
) -> bytes | None:
    """stdout of one short git command; ``None`` on failure when not ``check``."""
    result = subprocess.run(
        _command(git, repo, *args),
        input=stdin,
        capture_output=True,
        env=_env(),
        check=False,
    )
    if result.returncode != 0:
        if not check:
            return None
        message = result.stderr.decode("utf-8", "replace").strip()
        raise GitHistoryError(f"{repo}: git {args[0]} failed: {message}")
    return result.stdout


@dataclass(frozen=True)
class _Repo:
    git: str
    path: Path
    git_dir: Path
    is_shallow: bool


def _open_repo(repo_path: str | Path) -> _Repo:
    path = Path(repo_path).expanduser()
    git = _git_executable(path)
    if not path.exists():
        raise GitHistoryError(f"{path}: no such file or directory")
    if not path.is_dir():
        raise GitHistoryError(f"{path}: not a directory, so not a git repository")
    out = _run(
        git, path, "rev-parse", "--absolute-git-dir", "--is-shallow-repository",
        check=False,
    )  # fmt: skip
    if out is None:
        raise GitHistoryError(f"{path}: not a git repository")
    git_dir, shallow = os.fsdecode(out).splitlines()[:2]
    # git also answers from any folder inside a repository (an empty folder a failed
    # clone left in a project under git): only the top itself is this repository.
    # A bare repository (or its git folder) has no top: it is its git folder.
    top = _run(git, path, "rev-parse", "--show-toplevel", check=False)
    root = Path(os.fsdecode(top).rstrip("\n") if top and top.strip() else git_dir)
    if not os.path.samefile(root, path):
        raise GitHistoryError(
            f"{path}: not a git repository (it is a folder inside {root})"
        )
    return _Repo(git, path, Path(git_dir), shallow.strip() == "true")


def _decode(data: bytes, counts: Counter[str], reason: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        counts[reason] += 1
        return data.decode("utf-8", "replace")


def _iso_utc(epoch: bytes) -> str:
    moment = datetime.fromtimestamp(int(epoch or b"0"), UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _identity(email: str) -> str | None:
    return hash_login(email.lower()) if email.strip() else None


# ------------------------------------------------------------- refs containment


class _Containment:
    """Which local branches and tags reach each commit, from one walk of the graph.

    Every ref gets a bit; walking commits children-first (``rev-list --topo-order
    --parents``), a commit's mask is its own refs' bits OR'd into each parent, so
    the cost is one process and one pass over the edges, however many refs there
    are (one ``rev-list`` per ref would walk the history once per ref).
    """

    def __init__(self, names: list[tuple[bool, str]], masks: dict[str, int]) -> None:
        self._names = names  # (is_branch, short name) per bit
        self._masks = masks
        self._decoded: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {}

    def of(self, sha: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(branches, tags) that contain ``sha``, each sorted."""
        mask = self._masks.get(sha, 0)
        if mask not in self._decoded:
            branches, tags = [], []
            bits = mask
            while bits:
                low = bits & -bits
                is_branch, name = self._names[low.bit_length() - 1]
                (branches if is_branch else tags).append(name)
                bits ^= low
            self._decoded[mask] = (tuple(sorted(branches)), tuple(sorted(tags)))
        return self._decoded[mask]


def _containment(repo: _Repo, counts: Counter[str]) -> _Containment:
    out = _run(
        repo.git, repo.path, "for-each-ref", "--format=%(refname)",
        "refs/heads", "refs/tags",
    ) or b""  # fmt: skip
    refnames = [_decode(line, counts, "non_utf8_ref") for line in out.splitlines()]
    if not refnames:
        return _Containment([], {})
    resolved = (
        _run(
            repo.git, repo.path, "cat-file", "--batch-check=%(objectname)",
            stdin="".join(f"{name}^{{commit}}\n" for name in refnames).encode(),
        ) or b""
    ).splitlines()  # fmt: skip
    names: list[tuple[bool, str]] = []
    masks: dict[str, int] = {}
    for refname, answer in zip(refnames, resolved, strict=False):
        target = answer.decode("ascii", "replace")
        if " " in target or len(target) < 40:  # "<ref> missing": a tag of a tree
            counts["ref_not_commit"] += 1
            continue
        masks[target] = masks.get(target, 0) | 1 << len(names)
        is_branch = refname.startswith("refs/heads/")
        short = refname.removeprefix("refs/heads/").removeprefix("refs/tags/")
        names.append((is_branch, short))
    walked = _run(
        repo.git, repo.path, "rev-list", "--stdin", "--topo-order", "--parents",
        stdin="".join(f"{sha}\n" for sha in masks).encode(),
    ) or b""  # fmt: skip
    for line in walked.splitlines():
        sha, *parents = line.decode("ascii").split()
        mask = masks.get(sha, 0)
        for parent in parents:
            masks[parent] = masks.get(parent, 0) | mask
    return _Containment(names, masks)


# ------------------------------------------------------------------- the stream


def _records(stream: IO[bytes], chunk_size: int = 1 << 20) -> Iterator[bytes]:
    """Split git's output on the commit marker without holding more than one
    commit (plus one chunk) in memory."""
    buffer = bytearray()
    scanned = 0
    while True:
        chunk = stream.read(chunk_size)
        if chunk:
            buffer += chunk
        while True:
            found = buffer.find(_MARKER, max(scanned, 1))
            if found < 0:
                break
            if buffer.startswith(_MARKER):
                yield bytes(buffer[len(_MARKER) : found])
            del buffer[:found]
            scanned = 0
        scanned = max(len(buffer) - len(_MARKER), 0)
        if not chunk:
            break
    if buffer.startswith(_MARKER):
        yield bytes(buffer[len(_MARKER) :])


@dataclass
class _RawEntry:
    old_mode: str
    new_mode: str
    old_blob: str
    new_blob: str
    status: str
    src: bytes
    dst: bytes


class _Cursor:
    """Reads NUL-terminated fields from one record's diff section."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def field(self) -> bytes:
        end = self.data.find(b"\x00", self.pos)
        if end < 0:
            end = len(self.data)
        value = self.data[self.pos : end]
        self.pos = end + 1
        return value

    def skip(self, chars: bytes) -> None:
        while self.pos < len(self.data) and self.data[self.pos] in chars:
            self.pos += 1


def _raw_entries(cursor: _Cursor) -> list[_RawEntry]:
    entries = []
    while cursor.data.startswith(b":", cursor.pos):
        meta = cursor.field()[1:].decode("ascii", "replace").split(" ")
        old_mode, new_mode, old_blob, new_blob, status = (meta + [""] * 5)[:5]
        src = cursor.field()
        dst = cursor.field() if status[:1] in ("R", "C") else src
        entries.append(
            _RawEntry(old_mode, new_mode, old_blob, new_blob, status, src, dst)
        )
    return entries


class _Stat(NamedTuple):
    additions: int
    deletions: int
    binary: bool
    hunks: bytes | None  # None: patches not asked for


def _numstats(cursor: _Cursor, entries: Sequence[_RawEntry]) -> list[_Stat | None]:
    """``--numstat`` entries (read when patches are not), aligned with ``entries``."""
    by_path = {}
    for _ in entries:
        cursor.skip(b"\x00\n")
        match = _NUMSTAT.match(cursor.data, cursor.pos)
        if match is None:
            break
        cursor.pos = match.end()
        if cursor.data.startswith(b"\x00", cursor.pos):  # rename: \0old\0new\0
            cursor.pos += 1
            cursor.field()
        path = cursor.field()
        added, deleted = match.groups()
        binary = added == b"-"
        by_path[path] = _Stat(
            0 if binary else int(added), 0 if binary else int(deleted), binary, None
        )
    return [by_path.get(entry.dst) for entry in entries]


def _hunks_of(block: bytes) -> tuple[bytes, bool]:
    """The hunks of one ``diff --git`` block (everything from the first ``@@``),
    and whether git called the file binary."""
    start = block.find(b"\n@@ ")
    header = block if start < 0 else block[:start]
    binary = b"\nBinary files " in header or b"\nGIT binary patch" in header
    return (b"" if start < 0 else block[start + 1 :]), binary


def _patch_stats(
    text: bytes, entries: Sequence[_RawEntry], counts: Counter[str]
) -> list[_Stat | None]:
    """Hunks and line counts per raw entry, read off the patch (cheaper than asking
    git for ``--numstat`` too, which diffs every file a second time).

    Git prints a type change (file <-> symlink) as a deletion block plus a creation
    block, so those entries take two blocks.
    """
    text = text.lstrip(b"\x00\n")
    starts = [match.start() for match in _PATCH_START.finditer(text)]
    ends = [*starts[1:], len(text)]
    blocks = [text[start:end] for start, end in zip(starts, ends, strict=False)]
    expected = len(entries) + sum(entry.status == "T" for entry in entries)
    if len(blocks) != expected:
        counts["patch_unmatched"] += len(entries)
        return [None] * len(entries)
    stats: list[_Stat | None] = []
    blocks.reverse()
    for entry in entries:
        parts = [_hunks_of(blocks.pop())]
        if entry.status == "T":
            parts.append(_hunks_of(blocks.pop()))
        hunks = b"\n".join(part.rstrip(b"\x00\n") for part, _ in parts if part)
        lines = b"\n" + hunks
        binary = any(binary for _, binary in parts)
        stats.append(_Stat(lines.count(b"\n+"), lines.count(b"\n-"), binary, hunks))
    return stats


def _cap(hunks: bytes, max_bytes: int) -> tuple[bytes, bool]:
    """Keep whole hunks up to ``max_bytes`` so a capped patch still parses."""
    if len(hunks) <= max_bytes:
        return hunks, False
    cut = hunks.rfind(b"\n@@ ", 0, max_bytes + 1)
    return (hunks[:cut] if cut > 0 else b""), True


@dataclass(frozen=True)
class _Options:
    include_patches: bool
    max_patch_bytes: int
    shallow_roots: frozenset[str] = frozenset()


def _file_changes(
    diff: bytes, options: _Options, counts: Counter[str]
) -> tuple[FileChange, ...]:
    cursor = _Cursor(diff)
    cursor.skip(b"\x00\n")
    entries = _raw_entries(cursor)
    if not entries:
        return ()
    if options.include_patches:
        stats = _patch_stats(diff[cursor.pos :], entries, counts)
    else:
        stats = _numstats(cursor, entries)
    changes = []
    for entry, found in zip(entries, stats, strict=True):
        if GITLINK_MODE in (entry.old_mode, entry.new_mode):
            counts["submodule_entry"] += 1
            continue
        counts["line_counts_missing"] += found is None
        stat = found or _Stat(0, 0, False, None)
        patch, truncated = None, False
        if stat.hunks is not None and not stat.binary:
            capped, truncated = _cap(stat.hunks, options.max_patch_bytes)
            counts["patch_truncated"] += truncated
            patch = _decode(capped, counts, "non_utf8_patch")
        renamed = entry.status[:1] in ("R", "C")
        changes.append(
            FileChange(
                path=_decode(entry.dst, counts, "non_utf8_path"),
                previous_path=_decode(entry.src, counts, "non_utf8_path")
                if renamed
                else None,
                change_type=_STATUS.get(entry.status[:1], "modified"),
                additions=stat.additions,
                deletions=stat.deletions,
                binary=stat.binary,
                old_blob=None if _ZERO_SHA.match(entry.old_blob) else entry.old_blob,
                new_blob=None if _ZERO_SHA.match(entry.new_blob) else entry.new_blob,
                patch=patch,
                patch_truncated=truncated,
            )
        )
    return tuple(changes)


def _merge_details(
    subject: str, parents: tuple[str, ...]
) -> tuple[bool, MergeKind | None, int | None]:
    """A merge commit has two or more parents, or (parents grafted away in a shallow
    clone) GitHub's merge subject; a squash merge ends its subject with ``(#N)``."""
    is_merge = len(parents) > 1
    merged = _MERGE_PR.match(subject)
    if is_merge or merged:
        return is_merge, "merge_commit", int(merged.group(1)) if merged else None
    squashed = _SQUASH_PR.search(subject)
    if squashed:
        return False, "squash", int(squashed.group(1))
    return False, None, None


def _commit(
    record: bytes,
    options: _Options,
    containing: _Containment,
    counts: Counter[str],
) -> Commit:
    fields = record.split(b"\x00", _HEADER_FIELDS)
    fields += [b""] * (_HEADER_FIELDS + 1 - len(fields))
    sha_b, parents_b, author_b, at_b, committer_b, ct_b, subject_b, body_b = fields[:8]
    diff = fields[8]
    sha = sha_b.decode("ascii")
    parents = tuple(parents_b.decode("ascii").split())
    message = _decode(body_b, counts, "non_utf8_message")
    subject = subject_b.decode("utf-8", "replace")
    is_merge, merge_kind, pr_number = _merge_details(subject, parents)
    branches, tags = containing.of(sha)
    if sha in options.shallow_roots:
        # Its parents were grafted away, so git diffs it against the empty tree and
        # every file it holds would read as added by it.
        counts["shallow_root_diff_unknown"] += 1
        files: tuple[FileChange, ...] = ()
    else:
        files = _file_changes(diff, options, counts)
    return Commit(
        sha=sha,
        parents=parents,
        author=_identity(author_b.decode("utf-8", "replace")),
        committer=_identity(committer_b.decode("utf-8", "replace")),
        authored_at=_iso_utc(at_b),
        committed_at=_iso_utc(ct_b),
        subject=subject,
        message=message.removesuffix("\n"),
        branches=branches,
        tags=tags,
        is_merge=is_merge,
        merge_kind=merge_kind,
        pr_number=pr_number,
        files=files,
    )


def _log_args(
    refs: Sequence[str] | None,
    max_commits: int | None,
    include_patches: bool,
    since: str | datetime | None,
) -> list[str]:
    args = [
        "log", "-z", f"--format={_FORMAT}", "--raw", "--no-abbrev",
        "-M", "-C", "--diff-merges=first-parent", "--no-color", "--no-ext-diff",
        "--no-textconv", "--submodule=short", "--encoding=UTF-8",
    ]  # fmt: skip
    args += ["-p", "--unified=3"] if include_patches else ["--numstat"]
    if max_commits is not None:
        args.append(f"--max-count={max_commits}")
    if since is not None:
        moment = since.isoformat() if isinstance(since, datetime) else since
        args.append(f"--since={moment}")
    if refs is None:
        args.append("--branches")
    else:
        args += ["--end-of-options", *refs]
    return [*args, "--"]


def _check_refs(repo: _Repo, refs: Sequence[str]) -> None:
    """Every ref must name a commit; one ``cat-file --batch-check`` checks them all."""
    for ref in refs:
        if not ref or ref.startswith("-") or "\n" in ref:
            raise GitHistoryError(f"{repo.path}: invalid ref {ref!r}")
    out = _run(
        repo.git, repo.path, "cat-file", "--batch-check=%(objecttype)",
        stdin="".join(f"{ref}^{{commit}}\n" for ref in refs).encode(),
    ) or b""  # fmt: skip
    answers = out.decode("utf-8", "replace").splitlines()
    for ref, answer in zip(refs, answers + [""] * len(refs), strict=False):
        if answer != "commit":
            raise GitHistoryError(f"{repo.path}: unknown revision {ref!r}")


def _has_branches(repo: _Repo) -> bool:
    out = _run(repo.git, repo.path, "for-each-ref", "--count=1", "refs/heads")
    return bool(out and out.strip())


def _has_head(repo: _Repo) -> bool:
    """HEAD names a commit (not an unborn branch)."""
    out = _run(
        repo.git, repo.path, "rev-parse", "--verify", "--quiet", "HEAD^{commit}",
        check=False,
    )  # fmt: skip
    return out is not None


def iter_commits(
    repo_path: str | Path,
    *,
    refs: Sequence[str] | None = None,
    max_commits: int | None = None,
    include_patches: bool = True,
    max_patch_bytes: int = DEFAULT_MAX_PATCH_BYTES,
    since: str | datetime | None = None,
    with_refs: bool = True,
    counts: Counter[str] | None = None,
) -> Iterator[Commit]:
    """Stream commits newest first from one ``git log`` process.

    ``refs=None`` reads every local branch, or ``HEAD`` when there is none (a CI
    checkout: a detached HEAD, no branch). ``counts`` (if given) is updated in
    place with skips and repairs by reason. ``with_refs=False`` skips computing the
    branches and tags that contain each commit.
    """
    repo = _open_repo(repo_path)
    counts = Counter() if counts is None else counts
    if refs is not None:
        _check_refs(repo, refs)
    elif not _has_branches(repo):
        if not _has_head(repo):
            logger.info("%s has no commits on any branch", repo.path)
            return
        logger.info("%s has no branch; reading its detached HEAD", repo.path)
        refs = ["HEAD"]
    containing = _containment(repo, counts) if with_refs else _Containment([], {})
    options = _Options(
        include_patches, max_patch_bytes, frozenset(_shallow_roots(repo))
    )
    args = _log_args(refs, max_commits, include_patches, since)
    with tempfile.TemporaryFile() as stderr:  # a file: a chatty git never blocks
        process = subprocess.Popen(
            _command(repo.git, repo.path, *args),
            stdout=subprocess.PIPE,
            stderr=stderr,
            env=_env(),
        )
        assert process.stdout is not None
        try:
            for record in _records(process.stdout):
                yield _commit(record, options, containing, counts)
        finally:
            process.stdout.close()
            if process.poll() is None:
                process.kill()
            returncode = process.wait()
        if returncode != 0:
            stderr.seek(0)
            message = stderr.read().decode("utf-8", "replace").strip()
            raise GitHistoryError(f"{repo.path}: git log failed: {message}")


def _shallow_roots(repo: _Repo) -> tuple[str, ...]:
    shallow = repo.git_dir / "shallow"
    if not repo.is_shallow or not shallow.exists():
        return ()
    return tuple(sorted(shallow.read_text().split()))


def read_history(
    repo_path: str | Path,
    *,
    refs: Sequence[str] | None = None,
    max_commits: int | None = None,
    include_patches: bool = True,
    max_patch_bytes: int = DEFAULT_MAX_PATCH_BYTES,
    since: str | datetime | None = None,
    with_refs: bool = True,
) -> HistoryResult:
    """Every commit of ``refs`` (default: all local branches, or ``HEAD`` when
    there is none), newest first.

    An empty repository gives an empty result; a shallow clone works and says so,
    and its shallow roots have no file changes (their parents are not there to
    diff against), counted as ``shallow_root_diff_unknown``.
    Raises :class:`GitHistoryError` for a missing path, a non-repository, a missing
    git or an unknown ref.
    """
    repo = _open_repo(repo_path)
    counts: Counter[str] = Counter()
    commits = tuple(
        iter_commits(
            repo.path,
            refs=refs,
            max_commits=max_commits,
            include_patches=include_patches,
            max_patch_bytes=max_patch_bytes,
            since=since,
            with_refs=with_refs,
            counts=counts,
        )
    )
    files = sum(len(commit.files) for commit in commits)
    logger.info(
        "%s: read %d commits, %d file changes; skips and repairs: %s",
        repo.path,
        len(commits),
        files,
        dict(counts) or "none",
    )
    return HistoryResult(
        repo_path=str(repo.path),
        commits=commits,
        is_shallow=repo.is_shallow,
        shallow_roots=_shallow_roots(repo),
        counts={key: value for key, value in counts.items() if value},
    )


# ------------------------------------------------------------------ blob access


class BlobReader:
    """File contents at any revision through one ``git cat-file --batch`` process.

    Callers reading a file before and after each of thousands of commits pay for one
    process, not thousands::

        with BlobReader(repo) as blobs:
            before = blobs.read(f"{sha}^", "src/app.py")
            after = blobs.read(sha, "src/app.py")
    """

    def __init__(self, repo_path: str | Path) -> None:
        self._repo = _open_repo(repo_path)
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> BlobReader:
        self._process = subprocess.Popen(
            _command(self._repo.git, self._repo.path, "cat-file", "--batch"),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=_env(),
        )
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        assert process.stdin is not None and process.stdout is not None
        process.stdin.close()
        process.stdout.close()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def read(self, sha_or_rev: str, path: str | None = None) -> bytes | None:
        """The blob at ``sha_or_rev:path`` (or the object ``sha_or_rev`` itself
        when ``path`` is None); ``None`` when it does not exist or is not a file."""
        if self._process is None:
            raise GitHistoryError(f"{self._repo.path}: BlobReader used outside `with`")
        spec = sha_or_rev if path is None else f"{sha_or_rev}:{path}"
        if "\n" in spec or not sha_or_rev:
            return None
        stdin, stdout = self._process.stdin, self._process.stdout
        assert stdin is not None and stdout is not None
        try:
            stdin.write(spec.encode() + b"\n")
            stdin.flush()
        except BrokenPipeError as error:
            raise GitHistoryError(f"{self._repo.path}: git cat-file exited") from error
        header = stdout.readline()
        if not header:
            raise GitHistoryError(f"{self._repo.path}: git cat-file exited")
        parts = header.rstrip(b"\n").rsplit(b" ", 2)
        if len(parts) != 3 or not parts[2].isdigit():  # "<spec> missing"
            return None
        size = int(parts[2])
        data = stdout.read(size + 1)[:size]
        return data if parts[1] == b"blob" else None


def head_files(
    repo_path: str | Path, ref: str = "HEAD", counts: Counter[str] | None = None
) -> list[HeadFile]:
    """Every regular file at ``ref`` with its blob SHA and size, from one
    ``git ls-tree -r -l``. Submodules and symlinks are skipped and counted in
    ``counts``; an unborn ``HEAD`` (empty repository) gives ``[]``."""
    repo = _open_repo(repo_path)
    counts = Counter() if counts is None else counts
    if not ref or ref.startswith("-"):
        raise GitHistoryError(f"{repo.path}: invalid ref {ref!r}")
    out = _run(
        repo.git, repo.path, "ls-tree", "-r", "-l", "-z", "--full-tree",
        "--end-of-options", ref, check=False,
    )  # fmt: skip
    if out is None:
        if ref == "HEAD" and not _has_branches(repo):
            return []
        raise GitHistoryError(f"{repo.path}: unknown revision {ref!r}")
    files = []
    for entry in out.split(b"\x00"):
        if not entry:
            continue
        meta, _, raw_path = entry.partition(b"\t")
        mode, kind, sha, size = meta.decode("ascii", "replace").split()
        if kind == "commit":
            counts["submodule_entry"] += 1
        elif mode == SYMLINK_MODE:
            counts["symlink"] += 1
        elif kind == "blob":
            path = _decode(raw_path, counts, "non_utf8_path")
            files.append(HeadFile(path, sha, int(size)))
    return files


# ------------------------------------------------------------------ statistics


@dataclass(frozen=True)
class FileOwnership:
    """Who changed a file: each hashed author's share of its changed lines."""

    path: str
    lines_changed: int
    shares: dict[str, float]
    top_owner: str
    top_share: float


@dataclass(frozen=True)
class CommitComplexity:
    """The inputs of a commit's complexity score, and the score.

    ``score = log2(1 + lines) + log2(1 + files) + log2(directories) + entropy``:
    size counts logarithmically (a 1,000-line change is not a hundred times
    harder than a 10-line one); ``directories`` (distinct parent folders, at least
    1) measures how many parts of the tree it crosses; ``entropy`` is the Shannon
    entropy in bits of the changed lines across files (0 for one file, log2(k) for
    k equally changed files), i.e. how scattered the change is. Binary and
    lines-free changes (renames, mode changes) weigh one line.
    """

    sha: str
    files: int
    lines: int
    directories: int
    entropy: float
    score: float


@dataclass(frozen=True)
class RepoStats:
    """Per-repository statistics; merge commits are left out of ownership,
    frequency and collaboration because their first-parent diff repeats the
    merged branch's commits. Renames are not followed: a path is its own file."""

    commits: int
    authors: int
    change_frequency: dict[str, int]
    file_ownership: list[FileOwnership]
    commit_complexity: list[CommitComplexity]
    collaboration: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _weight(change: FileChange) -> int:
    return max(change.additions + change.deletions, 1)


def commit_complexity(commit: Commit) -> CommitComplexity:
    """The documented complexity score of one commit (see CommitComplexity)."""
    weights = [_weight(change) for change in commit.files]
    lines = sum(weights)
    directories = len({os.path.dirname(change.path) for change in commit.files})
    entropy = -sum(w / lines * math.log2(w / lines) for w in weights) if lines else 0.0
    entropy = abs(entropy)
    score = (
        math.log2(1 + lines)
        + math.log2(1 + len(weights))
        + math.log2(max(directories, 1))
        + entropy
    )
    return CommitComplexity(
        sha=commit.sha,
        files=len(weights),
        lines=lines,
        directories=directories,
        entropy=round(entropy, 4),
        score=round(score, 4),
    )


def repository_stats(commits: Iterable[Commit]) -> RepoStats:
    """Ownership, change frequency, complexity and collaboration for one repository."""
    frequency: Counter[str] = Counter()
    lines_by_author: dict[str, Counter[str]] = defaultdict(Counter)
    complexity = []
    authors: set[str] = set()
    count = 0
    for commit in commits:
        count += 1
        complexity.append(commit_complexity(commit))
        if commit.author:
            authors.add(commit.author)
        if commit.is_merge:
            continue
        for change in commit.files:
            frequency[change.path] += 1
            if commit.author:
                lines_by_author[change.path][commit.author] += _weight(change)
    ownership = []
    pairs: Counter[tuple[str, str]] = Counter()
    for path in sorted(lines_by_author):
        by_author = lines_by_author[path]
        total = sum(by_author.values())
        ranked = sorted(by_author.items(), key=lambda item: (-item[1], item[0]))
        ownership.append(
            FileOwnership(
                path=path,
                lines_changed=total,
                shares={author: round(n / total, 4) for author, n in ranked},
                top_owner=ranked[0][0],
                top_share=round(ranked[0][1] / total, 4),
            )
        )
        pairs.update(combinations(sorted(by_author), 2))
    collaboration = [
        {"authors": list(pair), "shared_files": shared}
        for pair, shared in sorted(pairs.items(), key=lambda item: (-item[1], item[0]))
    ]
    return RepoStats(
        commits=count,
        authors=len(authors),
        change_frequency=dict(
            sorted(frequency.items(), key=lambda item: (-item[1], item[0]))
        ),
        file_ownership=ownership,
        commit_complexity=complexity,
        collaboration=collaboration,
    )
