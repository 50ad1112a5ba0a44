"""Build small, deterministic git repositories in ``tmp_path`` with the git CLI.

Plain functions (not fixtures) so any test under tests/code can import them:

    from tests.code.conftest import commit, git, make_repo

Every call runs git with a fixed identity, fixed dates and no global or system
config, so SHAs are the same on every machine and run.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

AUTHOR_NAME = "Alice Example"
AUTHOR_EMAIL = "Alice@Example.com"
DEFAULT_DATE = "2024-01-01T12:00:00+00:00"


def git_env(
    date: str = DEFAULT_DATE,
    name: str = AUTHOR_NAME,
    email: str = AUTHOR_EMAIL,
    committer_date: str | None = None,
) -> dict[str, str]:
    """The environment for a deterministic git call: identity, dates, no user
    config (so a developer's signing or hooks settings never leak in)."""
    env = dict(os.environ)
    env.update(
        {
            "GIT_AUTHOR_NAME": name,
            "GIT_AUTHOR_EMAIL": email,
            "GIT_COMMITTER_NAME": name,
            "GIT_COMMITTER_EMAIL": email,
            "GIT_AUTHOR_DATE": date,
            "GIT_COMMITTER_DATE": committer_date or date,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_TERMINAL_PROMPT": "0",
        }
    )
    return env


def git(
    repo: Path,
    *args: str,
    env: dict[str, str] | None = None,
    stdin: bytes | None = None,
) -> str:
    """Run ``git -C repo args...`` (``stdin`` fed to it) and return stdout
    stripped; raises on failure."""
    result = subprocess.run(
        ["git", "-C", str(repo), *args],
        env=env or git_env(),
        input=stdin,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode("utf-8", "replace").strip()


def make_repo(tmp_path: Path, name: str = "repo") -> Path:
    """An empty repository at ``tmp_path / name`` on branch ``main``."""
    repo = tmp_path / name
    repo.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "commit.gpgsign", "false")
    git(repo, "config", "core.autocrlf", "false")
    return repo


def commit(
    repo: Path,
    files: dict[str, bytes | str | None],
    message: str,
    date: str = DEFAULT_DATE,
    *,
    name: str = AUTHOR_NAME,
    email: str = AUTHOR_EMAIL,
    committer_date: str | None = None,
) -> str:
    """Write ``files`` (``None`` deletes the path), stage everything and commit;
    returns the new commit's SHA.

    ``str`` content is written as UTF-8, ``bytes`` as is. ``date`` is ISO 8601 and
    is used for both author and committer unless ``committer_date`` is given. An
    empty ``files`` makes an empty commit.
    """
    for path, content in files.items():
        target = repo / path
        if content is None:
            target.unlink()
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode() if isinstance(content, str) else content
        target.write_bytes(data)
    env = git_env(date, name, email, committer_date)
    git(repo, "add", "-A", env=env)
    git(repo, "commit", "-q", "--allow-empty", "-m", message, env=env)
    return git(repo, "rev-parse", "HEAD", env=env)
