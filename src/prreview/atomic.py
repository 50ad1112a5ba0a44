"""Crash-safe file writes: a reader sees the old file or the new one,
never half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

TMP_PREFIX = ".tmp-"


def _file_mode() -> int:
    """What ``open()`` would give a new file: 0o666 less the umask (mkstemp's own
    0o600 would make datasets unreadable to anyone else). Read once, at import,
    because reading the umask means setting it."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


_FILE_MODE = _file_mode()


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, fsync it,
    then rename over ``path``.

    Temporaries are named after their target, so rewriting a file also removes what an
    earlier, killed write of that same file left behind.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    prefix = f"{TMP_PREFIX}{path.name}."
    for stale in path.parent.glob(f"{prefix}*"):
        stale.unlink(missing_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=prefix, dir=path.parent)
    try:
        os.fchmod(fd, _FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def remove_stale_temporaries(folder: str | Path) -> int:
    """Delete temporaries a killed writer left behind; returns how many."""
    removed = 0
    for stale in Path(folder).rglob(f"{TMP_PREFIX}*"):
        stale.unlink(missing_ok=True)
        removed += 1
    return removed


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
