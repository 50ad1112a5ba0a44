"""Replay ``RepoSpec`` objects on real git repositories; write the GitHub snapshot.

Every repository is rebuilt from scratch in a temporary folder with the git CLI: the
base files are committed on the default branch, then each pull request branches from
the current default branch, commits its ``changes`` (and ``fixups``), and merged pull
requests are squash-merged back. Names, e-mails and dates are fixed, so every SHA, diff
and ``diff_hunk`` is the same on every run. The output follows
``docs/github_snapshot_format.md``.

The engine never trusts content blindly: anchors must match exactly one line of the
commented side of the diff, outdated comments must sit on lines their fixups change,
``Fixes #N`` must name an existing issue, and the diff git produced must agree with
what the spec asked for (renames detected as renames, binary files as binary). Any
violation raises ``SpecError`` naming the repository, pull request and comment.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

SNAPSHOT_TIME = "2026-10-01T00:00:00Z"
GENERATED_BY = "scripts/github_sample/generate.py"
UNAVAILABLE = {
    "takedown-org/dmca-tools": 451,
    "ghost-org/deleted-lib": 404,
    "legacy-org/removed-sdk": 410,
}
API = "https://api.github.com"
WEB = "https://github.com"

# Real ids of the GitHub Apps the sample uses, so bot users look like the real ones.
KNOWN_BOT_IDS = {
    "dependabot[bot]": 49699333,
    "github-actions[bot]": 41898282,
    "codecov[bot]": 22429695,
    "sonarcloud[bot]": 39514782,
    "renovate[bot]": 29139614,
}

LICENSES = {
    "MIT": "MIT License",
    "Apache-2.0": "Apache License 2.0",
    "BSD-3-Clause": 'BSD 3-Clause "New" or "Revised" License',
    "BSD-2-Clause": 'BSD 2-Clause "Simplified" License',
    "GPL-3.0": "GNU General Public License v3.0",
    "LGPL-3.0": "GNU Lesser General Public License v3.0",
    "MPL-2.0": "Mozilla Public License 2.0",
    "ISC": "ISC License",
    "Unlicense": "The Unlicense",
}

LABEL_COLORS = (
    "d73a4a", "0075ca", "cfd3d7", "a2eeef", "7057ff", "008672", "e4e669", "d876e3",
    "0e8a16", "fbca04", "b60205", "5319e7",
)  # fmt: skip

GIT_CONFIG = (
    "core.autocrlf=false",
    "core.safecrlf=false",
    "core.abbrev=7",
    "core.quotepath=true",
    "core.filemode=true",
    "core.hooksPath=/dev/null",
    "diff.renames=true",
    "diff.algorithm=myers",
    "diff.indentHeuristic=true",
    "diff.noprefix=false",
    "diff.mnemonicPrefix=false",
    "diff.relative=false",
    "diff.renameLimit=1000",
    "diff.suppressBlankEmpty=false",
    "color.ui=false",
    "commit.gpgsign=false",
    "gc.auto=0",
    "init.defaultBranch=main",
    "user.name=sample",
    "user.email=sample@example.invalid",
)

LINK_RE = re.compile(
    r"\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\s+#(\d+)\b", re.IGNORECASE
)
HUNK_RE = re.compile(r"^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@")
DIFF_HEADER_RE = re.compile(r"^diff --git a/(\S+) b/(\S+)$")
MAINTAINERS = ("OWNER", "MEMBER", "COLLABORATOR")


class SpecError(ValueError):
    """The content of a repository spec is inconsistent with the diff git produced."""


# --------------------------------------------------------------------------- helpers


def _ts(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_ts(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def _hash_int(text: str, modulo: int) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest()[:12], 16) % modulo


def node_id(prefix: str, number: int) -> str:
    raw = b"\x93\x00" + number.to_bytes(8, "big")
    return f"{prefix}_kwDO{base64.urlsafe_b64encode(raw).decode().rstrip('=')}"


def user_id(login: str) -> int:
    if login in KNOWN_BOT_IDS:
        return KNOWN_BOT_IDS[login]
    return 1_000_000 + _hash_int(login, 140_000_000)


def is_bot(login: str, author_type: str = "User") -> bool:
    return author_type == "Bot" or login.endswith("[bot]")


def user_obj(login: str, kind: str = "User") -> dict[str, Any]:
    uid = user_id(login)
    if kind == "Bot":
        html = f"{WEB}/apps/{login.removesuffix('[bot]')}"
        nid = node_id("BOT", uid)
    elif kind == "Organization":
        html, nid = f"{WEB}/{login}", node_id("O", uid)
    else:
        html, nid = f"{WEB}/{login}", node_id("U", uid)
    return {
        "login": login,
        "id": uid,
        "node_id": nid,
        "type": kind,
        "site_admin": False,
        "html_url": html,
    }


def _user(login: str, author_type: str = "User") -> dict[str, Any]:
    return user_obj(login, "Bot" if is_bot(login, author_type) else "User")


def _git_identity(login: str, author_type: str = "User") -> tuple[str, str]:
    return login, f"{user_id(login)}+{login}@users.noreply.github.com"


class IdSource:
    """Deterministic ids: a per-repository base derived from the name + a counter."""

    def __init__(self, full_name: str) -> None:
        self.next = 1_000_000_000 + _hash_int(full_name, 80_000) * 10_000

    def take(self) -> int:
        self.next += 1
        return self.next


# --------------------------------------------------------------------------- git


class Git:
    """A throw-away git repository driven through the CLI with a sealed environment."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(path),
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": os.devnull,
            "LC_ALL": "C",
            "TZ": "UTC",
            "GIT_TERMINAL_PROMPT": "0",
        }
        self.run("init", "-q", "-b", "main")

    def run(self, *args: str, env: dict[str, str] | None = None) -> str:
        cmd = ["git"]
        for item in GIT_CONFIG:
            cmd += ["-c", item]
        proc = subprocess.run(
            [*cmd, *args],
            cwd=self.path,
            env={**self.env, **(env or {})},
            capture_output=True,
            check=False,
        )
        if proc.returncode != 0:
            raise RuntimeError(
                f"git {' '.join(args)} failed: {proc.stderr.decode(errors='replace')}"
            )
        return proc.stdout.decode("utf-8")

    def commit(
        self,
        message: str,
        author: tuple[str, str],
        when: datetime,
        committer: tuple[str, str] | None = None,
    ) -> str:
        committer = committer or author
        stamp = f"{int(when.timestamp())} +0000"
        env = {
            "GIT_AUTHOR_NAME": author[0],
            "GIT_AUTHOR_EMAIL": author[1],
            "GIT_AUTHOR_DATE": stamp,
            "GIT_COMMITTER_NAME": committer[0],
            "GIT_COMMITTER_EMAIL": committer[1],
            "GIT_COMMITTER_DATE": stamp,
        }
        self.run("add", "-A")
        if not self.run("status", "--porcelain").strip():
            raise SpecError(f"commit {message!r} changes nothing")
        self.run("commit", "-q", "--no-verify", "-m", message, env=env)
        return self.run("rev-parse", "HEAD").strip()

    def squash(
        self, tree_of: str, parent: str, message: str, author: tuple[str, str], when
    ) -> str:
        stamp = f"{int(when.timestamp())} +0000"
        env = {
            "GIT_AUTHOR_NAME": author[0],
            "GIT_AUTHOR_EMAIL": author[1],
            "GIT_AUTHOR_DATE": stamp,
            "GIT_COMMITTER_NAME": "GitHub",
            "GIT_COMMITTER_EMAIL": "noreply@github.com",
            "GIT_COMMITTER_DATE": stamp,
        }
        sha = self.run(
            "commit-tree", f"{tree_of}^{{tree}}", "-p", parent, "-m", message, env=env
        ).strip()
        self.run("update-ref", "refs/heads/main", sha)
        return sha

    def diff(self, base: str, head: str, *paths: str) -> str:
        extra = ["--", *paths] if paths else []
        return self.run(
            "diff",
            "--no-ext-diff",
            "--no-color",
            "-M",
            "--unified=3",
            "--src-prefix=a/",
            "--dst-prefix=b/",
            base,
            head,
            *extra,
        )

    def blob(self, rev: str, path: str) -> str:
        return self.run("rev-parse", f"{rev}:{path}").strip()

    def tree(self, rev: str) -> str:
        return self.run("rev-parse", f"{rev}^{{tree}}").strip()


# --------------------------------------------------------------------------- diffs


@dataclass
class PatchLine:
    kind: str  # "@", " ", "+", "-", "\\"
    text: str  # the line as it appears in the patch, prefix included
    old: int | None
    new: int | None
    position: int  # GitHub's position: 0 for the first @@ header
    hunk: int  # index of the @@ header of the hunk holding this line


@dataclass
class FileDiff:
    filename: str
    previous_filename: str | None
    status: str
    binary: bool
    patch: str | None
    lines: list[PatchLine] = field(default_factory=list)

    @property
    def additions(self) -> int:
        return sum(1 for pl in self.lines if pl.kind == "+")

    @property
    def deletions(self) -> int:
        return sum(1 for pl in self.lines if pl.kind == "-")


def _parse_patch(patch_lines: list[str]) -> list[PatchLine]:
    out: list[PatchLine] = []
    old = new = 0
    hunk = 0
    for i, raw in enumerate(patch_lines):
        kind = raw[:1]
        if raw.startswith("@@"):
            match = HUNK_RE.match(raw)
            if not match:
                raise RuntimeError(f"bad hunk header {raw!r}")
            old, new, hunk = int(match[1]), int(match[2]), i
            out.append(PatchLine("@", raw, None, None, i, i))
        elif kind == " ":
            out.append(PatchLine(" ", raw, old, new, i, hunk))
            old, new = old + 1, new + 1
        elif kind == "-":
            out.append(PatchLine("-", raw, old, None, i, hunk))
            old += 1
        elif kind == "+":
            out.append(PatchLine("+", raw, None, new, i, hunk))
            new += 1
        elif kind == "\\":
            out.append(PatchLine("\\", raw, None, None, i, hunk))
        else:
            raise RuntimeError(f"unexpected diff line {raw!r}")
    return out


def parse_diff(text: str) -> list[FileDiff]:
    """Split ``git diff`` output into per-file diffs with GitHub's ``patch`` text."""
    files: list[FileDiff] = []
    for section in re.split(r"(?m)^(?=diff --git )", text):
        if not section:
            continue
        lines = section.split("\n")
        if lines[-1] == "":
            lines.pop()
        match = DIFF_HEADER_RE.match(lines[0])
        if not match:
            raise RuntimeError(f"bad diff header {lines[0]!r}")
        old_path, new_path = match.groups()
        first = next((i for i, ln in enumerate(lines) if ln.startswith("@@")), None)
        header = lines[1 : first if first is not None else len(lines)]
        status, previous, binary = "modified", None, False
        for line in header:
            if line.startswith("new file mode"):
                status = "added"
            elif line.startswith("deleted file mode"):
                status = "removed"
            elif line.startswith("rename from "):
                status, previous = "renamed", line.removeprefix("rename from ")
            elif line.startswith("Binary files "):
                binary = True
        patch_lines = lines[first:] if first is not None else []
        files.append(
            FileDiff(
                filename=old_path if status == "removed" else new_path,
                previous_filename=previous,
                status=status,
                binary=binary,
                patch="\n".join(patch_lines) if patch_lines else None,
                lines=_parse_patch(patch_lines),
            )
        )
    return files


def find_line(fd: FileDiff, anchor: str, side: str, where: str) -> PatchLine:
    """The single line of ``fd`` on ``side`` whose text contains ``anchor``."""
    kinds = ("+", " ") if side == "RIGHT" else ("-", " ")
    hits = [pl for pl in fd.lines if pl.kind in kinds and anchor in pl.text[1:]]
    if len(hits) != 1:
        shown = "; ".join(f"{pl.text!r}" for pl in hits[:5])
        raise SpecError(
            f"{where}: anchor {anchor!r} must match exactly one {side} line of "
            f"{fd.filename}, found {len(hits)}" + (f" ({shown})" if shown else "")
        )
    return hits[0]


def diff_hunk(fd: FileDiff, pl: PatchLine) -> str:
    return "\n".join(x.text for x in fd.lines[pl.hunk : pl.position + 1])


def _side_line(pl: PatchLine, side: str) -> int:
    value = pl.new if side == "RIGHT" else pl.old
    assert value is not None
    return value


# --------------------------------------------------------------------------- files


def _apply_change(root: Path, change: Any, where: str) -> None:
    target = root / change.path
    if " " in change.path:
        raise SpecError(f"{where}: paths must not contain spaces ({change.path!r})")
    if change.delete:
        if not target.exists():
            raise SpecError(f"{where}: cannot delete missing {change.path}")
        target.unlink()
        return
    if change.binary is not None:
        if change.content is not None or change.edits:
            raise SpecError(f"{where}: binary change of {change.path} with text")
        target.parent.mkdir(parents=True, exist_ok=True)
        if change.rename_from:
            (root / change.rename_from).unlink()
        target.write_bytes(change.binary)
        return
    text = _current_text(root, change, where)
    if change.content is not None:
        text = change.content
    for edit in change.edits:
        count = text.count(edit.old)
        if count != 1:
            raise SpecError(
                f"{where}: edit of {change.path} expects exactly one {edit.old!r}, "
                f"found {count}"
            )
        text = text.replace(edit.old, edit.new)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8", newline="")


def _current_text(root: Path, change: Any, where: str) -> str:
    """The text a change starts from (removing the source of a rename)."""
    target = root / change.path
    if change.rename_from:
        source = root / change.rename_from
        if not source.exists():
            raise SpecError(f"{where}: cannot rename missing {change.rename_from}")
        if target.exists():
            raise SpecError(f"{where}: rename target {change.path} exists")
        text = source.read_text(encoding="utf-8")
        source.unlink()
        return text
    if target.exists():
        return target.read_text(encoding="utf-8")
    if change.content is None:
        raise SpecError(f"{where}: {change.path} does not exist and has no content")
    return ""


def _write_tree(root: Path, files: dict[str, str], binary: dict[str, bytes]) -> None:
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="")
    for path, data in binary.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _check_changes(changes: tuple[Any, ...], diff: list[FileDiff], where: str) -> None:
    """The statuses git reports agree with what the spec asked for."""
    by_name = {fd.filename: fd for fd in diff}
    for change in changes:
        fd = by_name.get(change.path)
        if fd is None:
            raise SpecError(f"{where}: {change.path} does not appear in the diff")
        if change.rename_from and fd.status != "renamed":
            raise SpecError(
                f"{where}: git does not see {change.rename_from} -> {change.path} as "
                f"a rename (status {fd.status}); keep the rename similar (>= 50%)"
            )
        if change.binary is not None and not fd.binary:
            raise SpecError(f"{where}: git does not see {change.path} as binary")


# --------------------------------------------------------------------------- builder


@dataclass
class _Event:
    """A timed review or conversation comment before ids are given out."""

    when: datetime
    kind: str  # "review" or "issue"
    spec: Any
    data: dict[str, Any] = field(default_factory=dict)


class RepoBuilder:
    def __init__(self, spec: Any, workdir: Path) -> None:
        self.spec = spec
        self.full_name = f"{spec.owner}/{spec.name}"
        self.ids = IdSource(self.full_name)
        self.repo_id = self.ids.take()
        self.root = workdir
        self.git = Git(workdir)
        self.created = _parse_ts(spec.created_at)
        self.issue_numbers = {issue.number for issue in spec.issues}
        if len(self.issue_numbers) != len(spec.issues):
            raise SpecError(f"{self.full_name}: duplicate issue numbers")
        self.first_pr_number = max(self.issue_numbers, default=0) + 1
        # Issues are filed before the pull requests that fix them: lower ids.
        self.issue_ids = {n: self.ids.take() for n in sorted(self.issue_numbers)}
        self.label_cache: dict[str, dict[str, Any]] = {}
        self.last_activity = self.created
        self.last_push = self.created
        self.issue_closers: dict[int, datetime] = {}
        self.issue_links: dict[int, datetime] = {}

    # -- small helpers

    def where(self, number: int | None = None, key: str | None = None) -> str:
        out = self.full_name
        if number is not None:
            out += f" PR #{number}"
        if key is not None:
            out += f" comment {key!r}"
        return out

    def label(self, name: str) -> dict[str, Any]:
        if name not in self.label_cache:
            lid = 100_000_000 + _hash_int(f"{self.full_name}:{name}", 800_000_000)
            self.label_cache[name] = {
                "id": lid,
                "node_id": node_id("LA", lid),
                "name": name,
                "color": LABEL_COLORS[_hash_int(name, len(LABEL_COLORS))],
                "default": False,
                "description": None,
            }
        return self.label_cache[name]

    def touch(self, when: datetime) -> None:
        self.last_activity = max(self.last_activity, when)

    # -- the whole repository

    def build(self) -> dict[str, Any]:
        spec = self.spec
        _write_tree(self.root, spec.files, spec.binary_files)
        owner_login = spec.owner
        main = self.git.commit(
            "Initial commit", _git_identity(owner_login), self.created
        )
        pulls = []
        cursor = self.created + timedelta(days=21)
        for index, pull in enumerate(spec.pulls):
            number = self.first_pr_number + index
            nominal = self.created + timedelta(
                days=21 + 3 * index, hours=(index * 5) % 9, minutes=(index * 17) % 60
            )
            created = max(nominal, cursor + timedelta(hours=6))
            record, main, end = self.build_pull(pull, number, created, main)
            cursor = end
            pulls.append(record)
        issues = [self.issue_obj(issue) for issue in spec.issues]
        for issue in issues:
            self.touch(_parse_ts(issue["updated_at"]))
        repository = self.repository_obj(main, pulls, issues)
        self.check_time()
        return {"repository": repository, "pulls": pulls, "issues": issues}

    def check_time(self) -> None:
        if self.last_activity >= _parse_ts(SNAPSHOT_TIME):
            raise SpecError(
                f"{self.full_name}: activity runs past the snapshot time; "
                "move created_at earlier"
            )

    # -- one pull request

    def build_pull(  # noqa: PLR0912, PLR0915
        self, pull: Any, number: int, created: datetime, main: str
    ) -> tuple[dict[str, Any], str, datetime]:
        where = self.where(number)
        for ref in LINK_RE.findall(pull.body):
            if int(ref) not in self.issue_numbers:
                raise SpecError(f"{where}: body links #{ref}, which is no issue")
            self.issue_links.setdefault(int(ref), created)
        if any(c.outdated for c in pull.comments) and not pull.fixups:
            raise SpecError(f"{where}: outdated comments need fixups")
        author = pull.author
        author_kind = "Bot" if is_bot(author) else "User"
        identity = _git_identity(author)

        self.git.run("checkout", "-q", "--detach", main)
        for change in pull.changes:
            _apply_change(self.root, change, where)
        commit1_time = created - timedelta(minutes=41)
        commit1 = self.git.commit(
            pull.commit_message or pull.title, identity, commit1_time
        )
        commits = [(commit1, commit1_time, pull.commit_message or pull.title)]
        diff1_text = self.git.diff(main, commit1)
        diff1 = parse_diff(diff1_text)
        _check_changes(pull.changes, diff1, where)

        events = self.schedule(pull, created)
        head = commit1
        fixup_time = events.pop("__fixup__", None)
        if pull.fixups:
            assert isinstance(fixup_time, datetime)
            for change in pull.fixups:
                _apply_change(self.root, change, where + " (fixups)")
            head = self.git.commit(pull.fixup_message, identity, fixup_time)
            commits.append((head, fixup_time, pull.fixup_message))
        diff_text = self.git.diff(main, head) if head != commit1 else diff1_text
        diff = parse_diff(diff_text) if head != commit1 else diff1
        if pull.fixups:
            _check_changes(
                tuple(c for c in pull.fixups if not c.delete), diff, where + " (fixups)"
            )

        review_events: list[_Event] = events["review"]  # type: ignore[assignment]
        issue_events: list[_Event] = events["issue"]  # type: ignore[assignment]
        ctx = _PullContext(number, main, commit1, head, diff1, diff)
        for event in review_events:
            self.place_comment(event, ctx)

        last = max([created, *(e.when for e in review_events + issue_events)])
        if pull.fixups:
            last = max(last, commits[-1][1])
        merged_at = closed_at = None
        merge_sha = None
        if pull.state == "merged":
            merged_at = closed_at = last + timedelta(hours=1, minutes=23)
            merge_sha = self.git.squash(
                head, main, f"{pull.title} (#{number})", identity, merged_at
            )
            main = merge_sha
            self.last_push = merged_at
            for ref in LINK_RE.findall(pull.body):
                self.issue_closers.setdefault(int(ref), merged_at)
        elif pull.state == "closed":
            closed_at = last + timedelta(days=2, hours=3)
        end = closed_at or last
        self.touch(end)
        self.last_push = max(self.last_push, commits[-1][1])

        # ids in chronological order
        everything = sorted(review_events + issue_events, key=lambda e: e.when)
        by_key: dict[str, dict[str, Any]] = {}
        for event in everything:
            event.data["id"] = self.ids.take()
            if event.kind == "review":
                event.data["pull_request_review_id"] = self.ids.take()
                by_key[event.spec.key] = event.data
        pr_id = self.ids.take()

        base_url = f"{API}/repos/{self.full_name}"
        review_comments = [
            self.review_comment_obj(e, by_key, number)
            for e in everything
            if e.kind == "review"
        ]
        issue_comments = [
            self.issue_comment_obj(e, number) for e in everything if e.kind == "issue"
        ]
        files = [self.file_obj(fd, ctx.base, head) for fd in diff]
        commit_objs = []
        parent = ctx.base
        for sha, when, message in commits:
            commit_objs.append(
                self.commit_obj(
                    sha=sha,
                    parent=parent,
                    message=message,
                    login=author,
                    kind=author_kind,
                    when=when,
                )
            )
            parent = sha

        merged_by = None
        if merged_at is not None:
            merged_by = self.merger(pull)
        in_repo = pull.author_association in MAINTAINERS or author_kind == "Bot"
        head_owner = self.spec.owner if in_repo else author
        pr = {
            "url": f"{base_url}/pulls/{number}",
            "id": pr_id,
            "node_id": node_id("PR", pr_id),
            "html_url": f"{WEB}/{self.full_name}/pull/{number}",
            "diff_url": f"{WEB}/{self.full_name}/pull/{number}.diff",
            "patch_url": f"{WEB}/{self.full_name}/pull/{number}.patch",
            "issue_url": f"{base_url}/issues/{number}",
            "number": number,
            "state": "open" if pull.state == "open" else "closed",
            "locked": False,
            "title": pull.title,
            "user": user_obj(author, author_kind),
            "body": pull.body,
            "labels": [self.label(name) for name in pull.labels],
            "created_at": _ts(created),
            "updated_at": _ts(end),
            "closed_at": _ts(closed_at) if closed_at else None,
            "merged_at": _ts(merged_at) if merged_at else None,
            "merge_commit_sha": merge_sha,
            "assignees": [],
            "requested_reviewers": [],
            "head": {
                "label": f"{head_owner}:{pull.branch}",
                "ref": pull.branch,
                "sha": head,
            },
            "base": {
                "label": f"{self.spec.owner}:{self.spec.default_branch}",
                "ref": self.spec.default_branch,
                "sha": ctx.base,
            },
            "author_association": pull.author_association,
            "draft": False,
            "merged": merged_at is not None,
            "merged_by": merged_by,
            "mergeable": None,
            "rebaseable": None,
            "mergeable_state": "unknown",
            "comments": len(issue_comments),
            "review_comments": len(review_comments),
            "maintainer_can_modify": False,
            "commits": len(commit_objs),
            "additions": sum(fd.additions for fd in diff),
            "deletions": sum(fd.deletions for fd in diff),
            "changed_files": len(diff),
        }
        record = {
            "pull": pr,
            "files": files,
            "commits": commit_objs,
            "review_comments": review_comments,
            "issue_comments": issue_comments,
            "diff": diff_text,
        }
        return record, main, end

    def merger(self, pull: Any) -> dict[str, Any]:
        candidates = [
            c.author
            for c in (*pull.comments, *pull.conversation)
            if c.association in MAINTAINERS
            and not is_bot(c.author, c.author_type)
            and c.author != pull.author
        ]
        if candidates:
            return user_obj(candidates[-1])
        if pull.author_association in MAINTAINERS and not is_bot(pull.author):
            return user_obj(pull.author)
        if self.spec.owner_type == "User":
            return user_obj(self.spec.owner)
        return user_obj(pull.author, "Bot" if is_bot(pull.author) else "User")

    def schedule(self, pull: Any, created: datetime) -> dict[str, Any]:
        """Timestamps: outdated threads first, then the fixup push, then the rest."""
        keys: dict[str, Any] = {}
        for comment in pull.comments:
            if comment.key in keys:
                raise SpecError(f"{self.where(None, comment.key)}: duplicate key")
            if comment.reply_to is not None and comment.reply_to not in keys:
                raise SpecError(
                    f"{self.full_name} PR {pull.title!r} comment {comment.key!r}: "
                    f"reply_to {comment.reply_to!r} is not an earlier comment"
                )
            keys[comment.key] = comment
        review: list[_Event] = []
        when = created + timedelta(hours=1, minutes=52)
        step = 0
        first_phase = [c for c in pull.comments if c.outdated and c.reply_to is None]
        for comment in first_phase:
            step += 1
            when += timedelta(minutes=43 + (step * 13) % 40)
            review.append(_Event(when, "review", comment))
        out: dict[str, Any] = {}
        if pull.fixups:
            when += timedelta(minutes=37)
            out["__fixup__"] = when
        for comment in pull.comments:
            if comment.outdated and comment.reply_to is None:
                continue
            step += 1
            when += timedelta(minutes=29 + (step * 23) % 50)
            review.append(_Event(when, "review", comment))
        issue: list[_Event] = []
        bots = 0
        for comment in pull.conversation:
            if is_bot(comment.author, comment.author_type):
                bots += 1
                issue.append(
                    _Event(created + timedelta(minutes=3 + 4 * bots), "issue", comment)
                )
            else:
                step += 1
                when += timedelta(minutes=31 + (step * 19) % 45)
                issue.append(_Event(when, "issue", comment))
        out["review"] = review
        out["issue"] = issue
        return out

    # -- review comments

    def place_comment(self, event: _Event, ctx: _PullContext) -> None:
        comment = event.spec
        where = self.where(ctx.number, comment.key)
        data = event.data
        if comment.reply_to is not None:
            data["reply_to"] = comment.reply_to
            return
        if not comment.path or not comment.anchor:
            raise SpecError(f"{where}: a top-level comment needs path and anchor")
        side = comment.side
        diff = ctx.diff1 if comment.outdated else ctx.diff
        fd = next((f for f in diff if f.filename == comment.path), None)
        if fd is None:
            raise SpecError(f"{where}: {comment.path} is not part of the diff")
        if fd.patch is None:
            raise SpecError(f"{where}: {comment.path} has no patch to comment on")
        end = find_line(fd, comment.anchor, side, where)
        start = None
        if comment.start_anchor is not None:
            start = find_line(fd, comment.start_anchor, side, where + " (start)")
            if start.hunk != end.hunk or start.position >= end.position:
                raise SpecError(
                    f"{where}: start_anchor must be an earlier line of the same hunk"
                )
        line = _side_line(end, side)
        start_line = _side_line(start, side) if start else None
        data.update(
            path=comment.path,
            diff_hunk=diff_hunk(fd, end),
            side=side,
            original_line=line,
            original_start_line=start_line,
            start_side=side if start else None,
            original_position=end.position,
        )
        if comment.outdated:
            self.check_outdated(ctx, fd, end, side, where)
            data.update(
                line=None,
                start_line=None,
                position=None,
                commit_id=ctx.head,
                original_commit_id=ctx.commit1,
            )
        else:
            data.update(
                line=line,
                start_line=start_line,
                position=end.position,
                commit_id=ctx.head,
                original_commit_id=ctx.head,
            )

    def check_outdated(
        self, ctx: _PullContext, fd: FileDiff, pl: PatchLine, side: str, where: str
    ) -> None:
        if side == "RIGHT":
            later = parse_diff(self.git.diff(ctx.commit1, ctx.head, fd.filename))
            changed = {x.old for f in later for x in f.lines if x.kind == "-" and x.old}
            if pl.new not in changed:
                raise SpecError(
                    f"{where}: outdated, but the fixups leave line {pl.new} of "
                    f"{fd.filename} ({pl.text!r}) unchanged"
                )
            return
        head_fd = next((f for f in ctx.diff if f.filename == fd.filename), None)
        if head_fd is not None and head_fd.patch and diff_hunk(fd, pl) in head_fd.patch:
            raise SpecError(
                f"{where}: outdated LEFT comment, but the fixups leave its hunk as is"
            )

    def review_comment_obj(
        self, event: _Event, by_key: dict[str, dict[str, Any]], number: int
    ) -> dict[str, Any]:
        comment = event.spec
        data = event.data
        cid = data["id"]
        if "reply_to" in data:
            root_key = data["reply_to"]
            parent = by_key[root_key]
            while "reply_to" in parent:
                parent = by_key[parent["reply_to"]]
            copied = {
                k: parent[k]
                for k in (
                    "path",
                    "diff_hunk",
                    "side",
                    "line",
                    "original_line",
                    "start_line",
                    "original_start_line",
                    "start_side",
                    "position",
                    "original_position",
                    "commit_id",
                    "original_commit_id",
                )
            }
            copied["in_reply_to_id"] = parent["id"]
        else:
            copied = {k: v for k, v in data.items() if k not in ("id",)}
            copied.pop("pull_request_review_id", None)
        kind = "Bot" if is_bot(comment.author, comment.author_type) else "User"
        when = _ts(event.when)
        obj = {
            "html_url": f"{WEB}/{self.full_name}/pull/{number}#discussion_r{cid}",
            "id": cid,
            "node_id": node_id("PRRC", cid),
            "pull_request_review_id": data["pull_request_review_id"],
            "user": user_obj(comment.author, kind),
            "body": comment.body,
            "created_at": when,
            "updated_at": when,
            "author_association": comment.association,
            "subject_type": "line",
            **copied,
        }
        return obj

    def issue_comment_obj(self, event: _Event, number: int) -> dict[str, Any]:
        comment = event.spec
        cid = event.data["id"]
        kind = "Bot" if is_bot(comment.author, comment.author_type) else "User"
        when = _ts(event.when)
        return {
            "html_url": f"{WEB}/{self.full_name}/pull/{number}#issuecomment-{cid}",
            "id": cid,
            "node_id": node_id("IC", cid),
            "user": user_obj(comment.author, kind),
            "body": comment.body,
            "created_at": when,
            "updated_at": when,
            "author_association": comment.association,
        }

    # -- files and commits

    def file_obj(self, fd: FileDiff, base: str, head: str) -> dict[str, Any]:
        rev = base if fd.status == "removed" else head
        path = fd.filename
        obj: dict[str, Any] = {
            "sha": self.git.blob(rev, path),
            "filename": path,
            "status": fd.status,
            "additions": fd.additions,
            "deletions": fd.deletions,
            "changes": fd.additions + fd.deletions,
        }
        if fd.patch is not None:
            obj["patch"] = fd.patch
        if fd.previous_filename is not None:
            obj["previous_filename"] = fd.previous_filename
        return obj

    def commit_obj(
        self,
        *,
        sha: str,
        parent: str,
        message: str,
        login: str,
        kind: str,
        when: datetime,
    ) -> dict[str, Any]:
        name, email = _git_identity(login)
        stamp = _ts(when)
        person = {"name": name, "email": email, "date": stamp}
        return {
            "sha": sha,
            "node_id": node_id("C", int(sha[:12], 16)),
            "commit": {
                "message": message,
                "author": person,
                "committer": person,
                "tree": {"sha": self.git.tree(sha)},
                "comment_count": 0,
            },
            "author": user_obj(login, kind),
            "committer": user_obj(login, kind),
            "parents": [{"sha": parent}],
        }

    # -- issues and the repository

    def issue_obj(self, issue: Any) -> dict[str, Any]:
        iid = self.issue_ids[issue.number]
        created = self.created + timedelta(days=1, hours=19 * issue.number)
        if issue.number in self.issue_links:  # reported before the PR fixing it
            latest = self.issue_links[issue.number] - timedelta(days=1, hours=3)
            created = max(min(created, latest), self.created + timedelta(hours=1))
        closed = None
        if issue.state == "closed":
            closed = self.issue_closers.get(
                issue.number, created + timedelta(days=4, hours=5)
            )
        updated = closed or created + timedelta(hours=2)
        return {
            "url": f"{API}/repos/{self.full_name}/issues/{issue.number}",
            "html_url": f"{WEB}/{self.full_name}/issues/{issue.number}",
            "id": iid,
            "node_id": node_id("I", iid),
            "number": issue.number,
            "title": issue.title,
            "body": issue.body,
            "state": issue.state,
            "state_reason": "completed" if issue.state == "closed" else None,
            "locked": False,
            "user": user_obj(issue.author, "Bot" if is_bot(issue.author) else "User"),
            "labels": [self.label(name) for name in issue.labels],
            "assignees": [],
            "comments": 0,
            "created_at": _ts(created),
            "updated_at": _ts(updated),
            "closed_at": _ts(closed) if closed else None,
            "author_association": "CONTRIBUTOR",
        }

    def repository_obj(
        self, main: str, pulls: list[dict[str, Any]], issues: list[dict[str, Any]]
    ) -> dict[str, Any]:
        spec = self.spec
        size = sum(len(t.encode()) for t in spec.files.values())
        size += sum(len(b) for b in spec.binary_files.values())
        open_count = sum(1 for i in issues if i["state"] == "open")
        open_count += sum(1 for p in pulls if p["pull"]["state"] == "open")
        license_obj = None
        if spec.license_spdx:
            key = spec.license_spdx.lower()
            license_obj = {
                "key": key,
                "name": LICENSES.get(spec.license_spdx, spec.license_spdx),
                "spdx_id": spec.license_spdx,
                "url": f"{API}/licenses/{key}",
                "node_id": node_id("MDc6TGljZW5zZQ", _hash_int(key, 10_000)),
            }
        full = self.full_name
        return {
            "id": self.repo_id,
            "node_id": node_id("R", self.repo_id),
            "name": spec.name,
            "full_name": full,
            "owner": user_obj(spec.owner, spec.owner_type),
            "private": False,
            "html_url": f"{WEB}/{full}",
            "url": f"{API}/repos/{full}",
            "description": spec.description,
            "fork": False,
            "homepage": None,
            "created_at": spec.created_at,
            "updated_at": _ts(self.last_activity),
            "pushed_at": _ts(self.last_push),
            "size": max(1, (size + 1023) // 1024),
            "stargazers_count": spec.stars,
            "watchers_count": spec.stars,
            "subscribers_count": max(1, spec.stars // 25),
            "language": spec.language,
            "forks_count": spec.stars // 9,
            "archived": spec.archived,
            "disabled": False,
            "open_issues_count": open_count,
            "license": license_obj,
            "topics": list(spec.topics),
            "default_branch": spec.default_branch,
            "visibility": "public",
            "has_issues": True,
            "has_wiki": False,
            "has_discussions": False,
            "is_template": False,
        }


@dataclass
class _PullContext:
    number: int
    base: str
    commit1: str
    head: str
    diff1: list[FileDiff]
    diff: list[FileDiff]


# --------------------------------------------------------------------------- output


def build_repo(spec: Any) -> dict[str, Any]:
    """Replay one repository spec; returns the ``repos/<owner>__<name>.json`` object."""
    with tempfile.TemporaryDirectory(prefix="ghsample-") as tmp:
        return RepoBuilder(spec, Path(tmp)).build()


def _dump(obj: Any) -> str:
    return json.dumps(obj, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def check_unique_ids(repos: list[dict[str, Any]]) -> None:
    seen: dict[int, str] = {}
    for repo in repos:
        name = repo["repository"]["full_name"]
        ids = [repo["repository"]["id"]]
        for pull in repo["pulls"]:
            ids.append(pull["pull"]["id"])
            ids += [c["id"] for c in pull["review_comments"]]
            ids += [c["id"] for c in pull["issue_comments"]]
        ids += [i["id"] for i in repo["issues"]]
        for item in ids:
            if item in seen:
                raise SpecError(f"id {item} of {name} also used by {seen[item]}")
            seen[item] = name


def write_snapshot(specs: list[Any], out: Path) -> list[dict[str, Any]]:
    """Build every repository; write ``index.json`` and ``repos/*.json`` to ``out``."""
    names = [f"{s.owner}/{s.name}" for s in specs]
    if len(set(names)) != len(names):
        raise SpecError("two specs describe the same repository")
    repos = [build_repo(spec) for spec in specs]
    check_unique_ids(repos)
    renamed = {s.renamed_from: f"{s.owner}/{s.name}" for s in specs if s.renamed_from}
    index = {
        "format": 1,
        "generated_by": GENERATED_BY,
        "snapshot_time": SNAPSHOT_TIME,
        "repositories": sorted(names),
        "renamed": dict(sorted(renamed.items())),
        "unavailable": dict(sorted(UNAVAILABLE.items())),
    }
    repo_dir = out / "repos"
    repo_dir.mkdir(parents=True, exist_ok=True)
    wanted = set()
    for spec, repo in zip(specs, repos, strict=True):
        target = repo_dir / f"{spec.owner}__{spec.name}.json"
        wanted.add(target.name)
        target.write_text(_dump(repo), encoding="utf-8")
    for stale in repo_dir.glob("*.json"):
        if stale.name not in wanted:
            stale.unlink()
    (out / "index.json").write_text(_dump(index), encoding="utf-8")
    return repos
