"""Bad git repositories for the corpus, built at test time (a repository cannot be
committed as files). Each builder takes an empty folder and returns the path the case
hands to the history reader; cases.yml names builders by their key in ``BUILDERS``.

The helpers of tests/code/conftest.py give every commit a fixed identity and date, so
the repositories are the same on every machine.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.code.conftest import commit, git, git_env, make_repo

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000005000157dd5ec60000000049454e44ae426082"
)


def empty_repository(tmp_path: Path) -> Path:
    """``git init`` and nothing else: no commit, an unborn HEAD."""
    return make_repo(tmp_path)


def shallow_clone_of_a_merge(tmp_path: Path) -> Path:
    """``git clone --depth 1`` of a repository whose tip merges a pull request: the
    clone holds one commit, a merge whose parents were grafted away."""
    origin = make_repo(tmp_path, "origin")
    commit(
        origin,
        {"pager.py": "def pages(total, size):\n    return total // size\n"},
        "Add pager",
    )
    git(origin, "checkout", "-q", "-b", "fix-pager")
    commit(
        origin,
        {"pager.py": "def pages(total, size):\n    return -(-total // size)\n"},
        "Round up",
        "2024-01-02T12:00:00+00:00",
    )
    git(origin, "checkout", "-q", "main")
    commit(
        origin, {"README.md": "# widgets\n"}, "Add readme", "2024-01-03T12:00:00+00:00"
    )
    env = git_env("2024-01-04T12:00:00+00:00")
    git(
        origin, "merge", "-q", "--no-ff", "fix-pager",
        "-m", "Merge pull request #12 from dana/fix-pager", env=env,
    )  # fmt: skip
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", origin.as_uri(), str(clone))
    return clone


def binary_only_commit(tmp_path: Path) -> Path:
    """One commit that adds a PNG and nothing else."""
    repo = make_repo(tmp_path)
    commit(repo, {"docs/logo.png": PNG}, "Add logo")
    return repo


def invalid_utf8_content(tmp_path: Path) -> Path:
    """A Latin-1 source file (``é`` as the single byte 0xE9) edited once, the edit
    committed with a Latin-1 message and no encoding header."""
    repo = make_repo(tmp_path)
    commit(repo, {"names.py": b'NAME = "Jos\xe9"\n'}, "Add names")
    (repo / "names.py").write_bytes(b'NAME = "Jos\xe9"\nCITY = "M\xfcnchen"\n')
    env = git_env("2024-01-02T12:00:00+00:00")
    git(repo, "add", "-A", env=env)
    git(
        repo,
        "commit",
        "-q",
        "-F",
        "-",
        env=env,
        stdin=b"Ajoute la ville de M\xfcnchen\n",
    )
    return repo


def non_utf8_path(tmp_path: Path) -> Path:
    """A file whose name is Latin-1 bytes (``café.txt`` as written on an old
    Windows machine), added with ``git update-index`` so no file system has to
    accept the name."""
    repo = make_repo(tmp_path)
    blob = git(repo, "hash-object", "-w", "--stdin", stdin=b"menu\n")
    git(repo, "update-index", "--add", "-z", "--index-info",
        stdin=b"100644 " + blob.encode() + b"\tcaf\xe9.txt\x00")  # fmt: skip
    git(repo, "commit", "-q", "-m", "Add menu")
    return repo


def submodule_entry(tmp_path: Path) -> Path:
    """A commit that records a submodule (a gitlink) next to a normal file."""
    repo = make_repo(tmp_path)
    commit(repo, {"app.py": "print('hi')\n"}, "Add app")
    git(repo, "update-index", "--add", "--cacheinfo", f"160000,{'a' * 40},vendor/lib")
    git(repo, "commit", "-q", "-m", "Vendor lib as a submodule")
    return repo


def detached_head_without_branches(tmp_path: Path) -> Path:
    """What ``actions/checkout`` leaves for a pull request: commits, a detached HEAD,
    no local branch."""
    repo = make_repo(tmp_path)
    commit(repo, {"app.py": "print('hi')\n"}, "Add app")
    commit(repo, {"app.py": "print('hello')\n"}, "Greet", "2024-01-02T12:00:00+00:00")
    git(repo, "checkout", "-q", "--detach")
    git(repo, "branch", "-q", "-D", "main")
    return repo


def missing_object(tmp_path: Path) -> Path:
    """A repository whose newest commit's tree object was deleted from disk."""
    repo = make_repo(tmp_path)
    commit(repo, {"app.py": "print('hi')\n"}, "Add app")
    tree = git(repo, "rev-parse", "HEAD^{tree}")
    (repo / ".git" / "objects" / tree[:2] / tree[2:]).unlink()
    return repo


def missing_path(tmp_path: Path) -> Path:
    """A path that does not exist (a clone that was never made)."""
    return tmp_path / "never-cloned"


def plain_directory(tmp_path: Path) -> Path:
    """A folder of files that is not a git repository."""
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "app.py").write_text("print('hi')\n")
    return folder


def regular_file(tmp_path: Path) -> Path:
    """A file given where a repository folder is expected."""
    path = tmp_path / "repo.tar.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00")
    return path


def folder_inside_another_repository(tmp_path: Path) -> Path:
    """An empty folder a failed clone left inside a project that is itself a git
    repository (``data/01_raw/repos/widgets`` in a Kedro project under git)."""
    project = make_repo(tmp_path, "project")
    commit(project, {"README.md": "# project\n"}, "Start project")
    folder = project / "data" / "01_raw" / "repos" / "widgets"
    folder.mkdir(parents=True)
    return folder


def one_commit(tmp_path: Path) -> Path:
    """A healthy repository with one commit on ``main`` (for a bad ref)."""
    repo = make_repo(tmp_path)
    commit(repo, {"app.py": "print('hi')\n"}, "Add app")
    return repo


BUILDERS: dict[str, Callable[[Path], Path]] = {
    builder.__name__: builder
    for builder in (
        empty_repository,
        shallow_clone_of_a_merge,
        binary_only_commit,
        invalid_utf8_content,
        non_utf8_path,
        submodule_entry,
        detached_head_without_branches,
        missing_object,
        missing_path,
        plain_directory,
        regular_file,
        folder_inside_another_repository,
        one_commit,
    )
}
