"""Git history on small repositories built with the git CLI: exact values throughout."""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from prreview.code.history import (
    BlobReader,
    Commit,
    FileChange,
    GitHistoryError,
    HeadFile,
    HistoryResult,
    _records,
    commit_complexity,
    head_files,
    iter_commits,
    read_history,
    repository_stats,
)
from prreview.diffs.hunks import parse_patch
from prreview.schemas import hash_login
from tests.code.conftest import commit, git, git_env, make_repo

ALICE = hash_login("alice@example.com")
BOB = hash_login("bob@example.com")
CAROL = hash_login("carol@example.com")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
PNG2 = PNG + b"\x00\x01"
LATIN_PATH = os.fsdecode(b"caf\xe9.txt")  # a file name that is not UTF-8


@dataclass(frozen=True)
class Built:
    repo: Path
    shas: dict[str, str]


def _day(day: int, offset: str = "+00:00") -> str:
    return f"2024-01-{day:02d}T10:00:00{offset}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Eight commits: add, modify/delete, rename + binary, a feature branch, a squash
    merge, a PR merge commit, a submodule entry, non-UTF-8 message and path."""
    tmp = tmp_path_factory.mktemp("history")
    repo = make_repo(tmp)
    shas = {}
    shas["initial"] = commit(
        repo,
        {
            "README.md": "hello\n",
            "src/app.py": "a\nb\nc\n",
            "logo.png": PNG,
            "latin.txt": "caf\xe9\n".encode("latin-1"),
        },
        "Initial commit\n\nWith a body.",
        _day(1),
    )
    git(repo, "tag", "-a", "v0.1", "-m", "first release")
    shas["modify"] = commit(
        repo,
        {"src/app.py": "a\nB\nc\nd\n", "README.md": None},
        "Edit app, drop readme",
        "2024-01-02T12:00:00+02:00",
        name="Bob",
        email="bob@example.com",
    )
    git(repo, "mv", "src/app.py", "src/main.py")
    shas["rename"] = commit(repo, {"logo.png": PNG2}, "Rename app to main", _day(3))
    git(repo, "tag", "v1.0")
    git(repo, "checkout", "-q", "-b", "feature")
    shas["feature"] = commit(
        repo,
        {"feature.txt": "one\ntwo\n"},
        "Add feature",
        _day(4),
        name="Carol",
        email="carol@example.com",
    )
    git(repo, "checkout", "-q", "main")
    shas["squash"] = commit(
        repo,
        {"src/main.py": "a\nB\nc\nd\ne\n"},
        "Add thing (#34)",
        _day(5),
        name="Bob",
        email="bob@example.com",
    )
    merge_env = git_env(_day(6))
    git(repo, "merge", "-q", "--no-ff", "feature", "-m",
        "Merge pull request #12 from x/y\n\nAdd feature", env=merge_env)  # fmt: skip
    shas["merge"] = git(repo, "rev-parse", "HEAD")
    git(repo, "update-index", "--add", "--cacheinfo", f"160000,{shas['initial']},sub")
    git(repo, "commit", "-q", "-m", "Add submodule", env=git_env(_day(7)))
    shas["submodule"] = git(repo, "rev-parse", "HEAD")
    (repo / LATIN_PATH).write_text("x\n")
    git(repo, "add", "--", LATIN_PATH)
    git(repo, "commit", "-q", "-m", "placeholder", env=git_env(_day(8)))
    shas["latin"] = _with_latin1_message(repo, b"Caf\xe9 fix\n")
    return Built(repo, shas)


def _with_latin1_message(repo: Path, message: bytes) -> str:
    """Swap HEAD for the same commit with a Latin-1 message (``git commit`` itself
    would convert it to UTF-8); returns the new SHA."""
    raw = subprocess.run(
        ["git", "-C", str(repo), "cat-file", "commit", "HEAD"],
        capture_output=True,
        check=True,
    ).stdout
    headers = raw.split(b"\n\n", 1)[0]
    sha = git(repo, "hash-object", "-t", "commit", "-w", "--stdin",
              stdin=headers + b"\n\n" + message)  # fmt: skip
    git(repo, "update-ref", "HEAD", sha)
    return sha


@pytest.fixture(scope="module")
def history(built: Built) -> HistoryResult:
    return read_history(built.repo)


def _by_subject(result: HistoryResult) -> dict[str, Commit]:
    return {commit.subject: commit for commit in result.commits}


def test_reads_every_commit_newest_first(built: Built, history: HistoryResult) -> None:
    order = ["latin", "submodule", "merge", "squash", "feature", "rename", "modify"]
    assert [c.sha for c in history.commits] == [built.shas[k] for k in order] + [
        built.shas["initial"]
    ]
    assert history.is_shallow is False
    assert history.shallow_roots == ()
    assert history.repo_path == str(built.repo)


def test_counts_skips_and_repairs_by_reason(history: HistoryResult) -> None:
    assert history.counts == {
        "non_utf8_message": 1,
        "non_utf8_path": 1,
        "non_utf8_patch": 1,
        "submodule_entry": 1,
    }


def test_commit_fields(built: Built, history: HistoryResult) -> None:
    initial = history.commits[-1]
    assert initial.parents == ()
    assert initial.author == initial.committer == ALICE
    assert initial.authored_at == initial.committed_at == "2024-01-01T10:00:00Z"
    assert initial.subject == "Initial commit"
    assert initial.message == "Initial commit\n\nWith a body."
    assert (initial.is_merge, initial.merge_kind, initial.pr_number) == (
        False,
        None,
        None,
    )
    modify = _by_subject(history)["Edit app, drop readme"]
    assert modify.parents == (built.shas["initial"],)
    assert modify.author == modify.committer == BOB
    assert modify.authored_at == "2024-01-02T10:00:00Z"  # +02:00 moved to UTC


def test_identities_are_hashed_never_raw(history: HistoryResult) -> None:
    text = json.dumps(history.as_dict()).lower()
    for raw in ("alice", "bob", "carol", "example.com"):
        assert raw not in text
    assert {c.author for c in history.commits} == {ALICE, BOB, CAROL}


def test_additions_deletions_and_binary(history: HistoryResult) -> None:
    initial = history.commits[-1]
    assert [(f.path, f.change_type, f.additions, f.deletions, f.binary)
            for f in initial.files] == [
        ("README.md", "added", 1, 0, False),
        ("latin.txt", "added", 1, 0, False),
        ("logo.png", "added", 0, 0, True),
        ("src/app.py", "added", 3, 0, False),
    ]  # fmt: skip
    readme = initial.files[0]
    assert readme.patch == "@@ -0,0 +1 @@\n+hello"
    assert readme.old_blob is None
    assert readme.new_blob == git_blob_sha(b"hello\n")
    assert initial.files[1].patch == "@@ -0,0 +1 @@\n+caf\ufffd"
    assert initial.files[2].patch is None  # binary
    assert initial.additions == 5
    assert initial.deletions == 0


def git_blob_sha(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\x00" % len(data) + data).hexdigest()


def test_modification_and_deletion(history: HistoryResult) -> None:
    modify = _by_subject(history)["Edit app, drop readme"]
    assert modify.files == (
        FileChange(
            path="README.md",
            previous_path=None,
            change_type="deleted",
            additions=0,
            deletions=1,
            binary=False,
            old_blob=git_blob_sha(b"hello\n"),
            new_blob=None,
            patch="@@ -1 +0,0 @@\n-hello",
        ),
        FileChange(
            path="src/app.py",
            previous_path=None,
            change_type="modified",
            additions=2,
            deletions=1,
            binary=False,
            old_blob=git_blob_sha(b"a\nb\nc\n"),
            new_blob=git_blob_sha(b"a\nB\nc\nd\n"),
            patch="@@ -1,3 +1,4 @@\n a\n-b\n+B\n c\n+d",
        ),
    )
    for change in modify.files:
        assert len(parse_patch(change.patch)) == 1


def test_rename_detected_and_binary_modified(history: HistoryResult) -> None:
    rename = _by_subject(history)["Rename app to main"]
    assert [(f.path, f.previous_path, f.change_type, f.binary, f.patch)
            for f in rename.files] == [
        ("logo.png", None, "modified", True, None),
        ("src/main.py", "src/app.py", "renamed", False, ""),
    ]  # fmt: skip
    assert rename.files[1].old_blob == rename.files[1].new_blob


def test_merge_commit_diffs_against_first_parent(
    built: Built, history: HistoryResult
) -> None:
    merge = _by_subject(history)["Merge pull request #12 from x/y"]
    assert merge.parents == (built.shas["squash"], built.shas["feature"])
    assert (merge.is_merge, merge.merge_kind, merge.pr_number) == (
        True,
        "merge_commit",
        12,
    )
    assert merge.message == "Merge pull request #12 from x/y\n\nAdd feature"
    assert [(f.path, f.change_type, f.additions) for f in merge.files] == [
        ("feature.txt", "added", 2)
    ]


def test_squash_merge(history: HistoryResult) -> None:
    squash = _by_subject(history)["Add thing (#34)"]
    assert (squash.is_merge, squash.merge_kind, squash.pr_number) == (
        False,
        "squash",
        34,
    )
    assert squash.files[0].patch == "@@ -2,3 +2,4 @@ a\n B\n c\n d\n+e"


def test_branches_and_tags_that_contain_each_commit(
    built: Built, history: HistoryResult
) -> None:
    found = {c.sha: (c.branches, c.tags) for c in history.commits}
    assert found[built.shas["initial"]] == (("feature", "main"), ("v0.1", "v1.0"))
    assert found[built.shas["rename"]] == (("feature", "main"), ("v1.0",))
    assert found[built.shas["feature"]] == (("feature", "main"), ())
    assert found[built.shas["squash"]] == (("main",), ())
    no_refs = read_history(built.repo, with_refs=False)
    assert all(c.branches == c.tags == () for c in no_refs.commits)


def test_submodule_entry_skipped(history: HistoryResult) -> None:
    submodule = _by_subject(history)["Add submodule"]
    assert submodule.files == ()


def test_non_utf8_message_and_path_decoded_with_replacement(
    history: HistoryResult,
) -> None:
    latin = history.commits[0]
    assert latin.subject == latin.message == "Caf\ufffd fix"
    assert [(f.path, f.change_type) for f in latin.files] == [
        ("caf\ufffd.txt", "added")
    ]


def test_as_dict_is_json_ready(history: HistoryResult) -> None:
    data = json.loads(json.dumps(history.as_dict()))
    first = data["commits"][-1]
    assert first["parents"] == []
    assert first["branches"] == ["feature", "main"]
    assert first["files"][0]["path"] == "README.md"
    assert data["counts"]["submodule_entry"] == 1


def test_refs_max_commits_and_since(built: Built) -> None:
    feature = read_history(built.repo, refs=["feature"])
    assert [c.subject for c in feature.commits] == [
        "Add feature",
        "Rename app to main",
        "Edit app, drop readme",
        "Initial commit",
    ]
    assert len(read_history(built.repo, max_commits=2).commits) == 2
    recent = read_history(built.repo, since="2024-01-06T00:00:00Z")
    assert [c.sha for c in recent.commits] == [
        built.shas["latin"],
        built.shas["submodule"],
        built.shas["merge"],
    ]
    tagged = read_history(built.repo, refs=["v0.1"])
    assert [c.sha for c in tagged.commits] == [built.shas["initial"]]


def test_without_patches(built: Built) -> None:
    result = read_history(built.repo, include_patches=False)
    changes = [f for c in result.commits for f in c.files]
    assert changes
    assert all(f.patch is None for f in changes)
    assert "non_utf8_patch" not in result.counts
    modify = _by_subject(result)["Edit app, drop readme"]
    assert [(f.additions, f.deletions) for f in modify.files] == [(0, 1), (2, 1)]


def test_unknown_or_option_like_ref_is_an_error(built: Built) -> None:
    with pytest.raises(GitHistoryError, match="unknown revision 'nope'"):
        read_history(built.repo, refs=["nope"])
    with pytest.raises(GitHistoryError, match="invalid ref '--output=x'"):
        read_history(built.repo, refs=["--output=x"])


def test_iterator_stops_early_and_counts(built: Built) -> None:
    counts: Counter[str] = Counter()
    stream = iter_commits(built.repo, counts=counts)
    first = next(stream)
    stream.close()  # kills git; no error, no zombie
    assert first.sha == built.shas["latin"]
    assert counts["non_utf8_message"] == 1


def test_patch_capped_at_whole_hunks(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    lines = [f"line {n}" for n in range(40)]
    commit(repo, {"f.txt": "\n".join(lines) + "\n"}, "base")
    lines[1], lines[38] = "changed 1", "changed 38"
    commit(repo, {"f.txt": "\n".join(lines) + "\n"}, "two hunks")
    full = read_history(repo, max_commits=1).commits[0].files[0]
    assert len(parse_patch(full.patch)) == 2
    first_hunk = full.patch[: full.patch.index("\n@@ ")]
    capped = read_history(repo, max_commits=1, max_patch_bytes=len(first_hunk) + 5)
    change = capped.commits[0].files[0]
    assert (change.patch, change.patch_truncated) == (first_hunk, True)
    assert len(parse_patch(change.patch)) == 1
    assert (change.additions, change.deletions) == (2, 2)  # counts stay whole
    assert capped.counts == {"patch_truncated": 1}
    tiny = read_history(repo, max_commits=1, max_patch_bytes=10).commits[0]
    assert (tiny.files[0].patch, tiny.files[0].patch_truncated) == ("", True)


def test_empty_repository_is_an_empty_result(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    result = read_history(repo)
    assert result.commits == ()
    assert result.counts == {}
    assert head_files(repo) == []


@pytest.mark.parametrize("kind", ["missing", "file", "not_repo"])
def test_bad_paths_name_the_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    path = tmp_path / "target"
    if kind == "file":
        path.write_text("x")
    elif kind == "not_repo":
        path.mkdir()
    expected = {
        "missing": "no such file or directory",
        "file": "not a directory",
        "not_repo": "not a git repository",
    }[kind]
    for call in (read_history, head_files, BlobReader):
        with pytest.raises(GitHistoryError, match=expected) as caught:
            call(path)
        assert str(path) in str(caught.value)
    assert issubclass(GitHistoryError, RuntimeError)


def test_git_missing(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(built.repo / "no-bin-here"))
    with pytest.raises(GitHistoryError, match="git executable not found"):
        read_history(built.repo)


def test_shallow_clone(built: Built, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "3", f"file://{built.repo}", str(clone))
    result = read_history(clone)
    assert result.is_shallow is True
    assert [c.sha for c in result.commits] == [
        built.shas["latin"],
        built.shas["submodule"],
        built.shas["merge"],
    ]
    merge = result.commits[-1]
    assert merge.parents == ()  # grafted
    assert result.shallow_roots == (built.shas["merge"],)
    assert (merge.is_merge, merge.merge_kind, merge.pr_number) == (
        False,
        "merge_commit",
        12,
    )


def test_a_shallow_root_has_no_fabricated_file_changes(
    built: Built, tmp_path: Path
) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{built.repo}", str(clone))
    result = read_history(clone)
    (root,) = result.commits
    assert root.files == ()  # not every file of the tree "added"
    assert result.counts["shallow_root_diff_unknown"] == 1


def test_a_detached_head_without_branches_is_read(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    commit(repo, {"app.py": "print('hi')\n"}, "Add app")
    head = commit(repo, {"app.py": "print('bye')\n"}, "Change app")
    git(repo, "checkout", "-q", "--detach")
    git(repo, "branch", "-q", "-D", "main")
    result = read_history(repo)
    assert [c.subject for c in result.commits] == ["Change app", "Add app"]
    assert result.commits[0].sha == head and result.commits[0].branches == ()


def test_a_folder_inside_a_repository_is_not_one(tmp_path: Path) -> None:
    project = make_repo(tmp_path, "project")
    commit(project, {"README.md": "# project\n"}, "Start project")
    folder = project / "data" / "widgets"
    folder.mkdir(parents=True)
    for call in (read_history, head_files, BlobReader):
        with pytest.raises(GitHistoryError, match="widgets: not a git repository"):
            call(folder)
    bare = tmp_path / "bare.git"  # a bare repository is its own top
    git(tmp_path, "clone", "-q", "--bare", str(project), str(bare))
    assert [c.subject for c in read_history(bare).commits] == ["Start project"]


def test_blob_reader(built: Built) -> None:
    shas = built.shas
    with BlobReader(built.repo) as blobs:
        assert blobs.read(shas["initial"], "README.md") == b"hello\n"
        assert blobs.read(shas["modify"], "README.md") is None  # deleted there
        assert blobs.read(f"{shas['modify']}^", "src/app.py") == b"a\nb\nc\n"
        assert blobs.read(shas["modify"], "src/app.py") == b"a\nB\nc\nd\n"
        assert blobs.read("0" * 40, "README.md") is None  # missing revision
        assert blobs.read("no-such-branch", "README.md") is None
        assert blobs.read("main", "src") is None  # a tree, not a file
        assert blobs.read("main", "logo.png") == PNG2
        assert blobs.read(git_blob_sha(b"hello\n")) == b"hello\n"
        assert blobs.read("main", "a\nb") is None
    with pytest.raises(GitHistoryError, match="outside `with`"):
        blobs.read("main", "logo.png")


def test_head_files(built: Built) -> None:
    counts: Counter[str] = Counter()
    files = head_files(built.repo, counts=counts)
    assert files == [
        HeadFile("caf\ufffd.txt", git_blob_sha(b"x\n"), 2),
        HeadFile("feature.txt", git_blob_sha(b"one\ntwo\n"), 8),
        HeadFile("latin.txt", git_blob_sha(b"caf\xe9\n"), 5),
        HeadFile("logo.png", git_blob_sha(PNG2), len(PNG2)),
        HeadFile("src/main.py", git_blob_sha(b"a\nB\nc\nd\ne\n"), 10),
    ]
    assert counts == {"submodule_entry": 1, "non_utf8_path": 1}
    at_tag = head_files(built.repo, "v0.1")
    assert [f.path for f in at_tag] == [
        "README.md",
        "latin.txt",
        "logo.png",
        "src/app.py",
    ]
    with pytest.raises(GitHistoryError, match="unknown revision 'nope'"):
        head_files(built.repo, "nope")


def test_records_split_identically_at_any_chunk_size(built: Built) -> None:
    from prreview.code.history import _command, _env, _log_args

    args = _log_args(None, None, True, None)
    out = subprocess.run(
        _command("git", built.repo, *args), capture_output=True, env=_env(), check=True
    ).stdout
    whole = list(_records(io.BytesIO(out)))
    assert len(whole) == 8
    for size in (1, 7, 64):
        assert list(_records(io.BytesIO(out), chunk_size=size)) == whole


def _change(path: str, additions: int, deletions: int = 0) -> FileChange:
    return FileChange(path, None, "modified", additions, deletions, False, None, None)


def _made(
    sha: str, author: str, files: list[FileChange], merge: bool = False
) -> Commit:
    return Commit(
        sha=sha,
        parents=("p1", "p2") if merge else ("p1",),
        author=author,
        committer=author,
        authored_at="2024-01-01T00:00:00Z",
        committed_at="2024-01-01T00:00:00Z",
        subject=sha,
        message=sha,
        branches=(),
        tags=(),
        is_merge=merge,
        merge_kind="merge_commit" if merge else None,
        pr_number=None,
        files=tuple(files),
    )


def test_repository_stats_on_a_known_history() -> None:
    binary = FileChange("z.bin", None, "added", 0, 0, True, None, None)
    commits = [
        _made("c1", "a", [_change("x.py", 10), _change("docs/y.md", 5, 5)]),
        _made("c2", "b", [_change("x.py", 3, 1)]),
        _made("c3", "c", [binary]),
        _made("m", "a", [_change("x.py", 100)], merge=True),  # repeats a branch
    ]
    stats = repository_stats(commits)
    assert (stats.commits, stats.authors) == (4, 3)
    assert stats.change_frequency == {"x.py": 2, "docs/y.md": 1, "z.bin": 1}
    owners = {o.path: o for o in stats.file_ownership}
    assert owners["x.py"].lines_changed == 14
    assert owners["x.py"].shares == {"a": round(10 / 14, 4), "b": round(4 / 14, 4)}
    assert (owners["x.py"].top_owner, owners["x.py"].top_share) == ("a", 0.7143)
    assert (owners["docs/y.md"].top_owner, owners["docs/y.md"].top_share) == ("a", 1)
    assert owners["z.bin"].lines_changed == 1  # binary weighs one line
    assert stats.collaboration == [{"authors": ["a", "b"], "shared_files": 1}]
    c1 = stats.commit_complexity[0]
    assert (c1.files, c1.lines, c1.directories, c1.entropy) == (2, 20, 2, 1.0)
    expected = math.log2(21) + math.log2(3) + math.log2(2) + 1.0
    assert c1.score == round(expected, 4)
    assert json.loads(json.dumps(stats.as_dict()))["collaboration"][0]["authors"] == [
        "a",
        "b",
    ]


def test_complexity_of_empty_and_single_file_commits() -> None:
    empty = commit_complexity(_made("e", "a", []))
    assert (empty.files, empty.lines, empty.entropy, empty.score) == (0, 0, 0.0, 0.0)
    single = commit_complexity(_made("s", "a", [_change("a.py", 3)]))
    assert single.entropy == 0.0
    assert single.score == round(math.log2(4) + math.log2(2), 4)


def test_repository_stats_on_a_real_history(history: HistoryResult) -> None:
    stats = repository_stats(history.commits)
    assert stats.change_frequency["src/main.py"] == 2  # rename + squash
    assert stats.change_frequency.get("feature.txt") == 1  # merge not counted twice
    owners = {o.path: o for o in stats.file_ownership}
    assert owners["src/app.py"].shares == {BOB: 0.5, ALICE: 0.5}
    pair = sorted([ALICE, BOB])
    assert {"authors": pair, "shared_files": 3} in stats.collaboration


def test_type_change_takes_both_patch_blocks(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    commit(repo, {"link": "x", "after.txt": "1\n"}, "file")
    (repo / "link").unlink()
    (repo / "link").symlink_to("after.txt")
    commit(repo, {"after.txt": "1\n2\n"}, "now a symlink")
    changes = read_history(repo, max_commits=1).commits[0].files
    assert [(f.path, f.change_type, f.additions, f.deletions) for f in changes] == [
        ("after.txt", "modified", 1, 0),
        ("link", "type_changed", 1, 1),
    ]
    assert changes[1].patch == (
        "@@ -1 +0,0 @@\n-x\n\\ No newline at end of file\n"
        "@@ -0,0 +1 @@\n+after.txt\n\\ No newline at end of file"
    )
    assert changes[0].patch == "@@ -1 +1,2 @@\n 1\n+2"
    counts: Counter[str] = Counter()
    assert [f.path for f in head_files(repo, counts=counts)] == ["after.txt"]
    assert counts == {"symlink": 1}
