"""Atomic writes leave the old file or the new one,
and clean up after killed writers."""

from __future__ import annotations

import pytest

from prreview.atomic import atomic_write_bytes, remove_stale_temporaries


def test_writes_and_replaces(tmp_path) -> None:
    target = tmp_path / "deep" / "file.jsonl"
    atomic_write_bytes(target, b"one")
    atomic_write_bytes(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["file.jsonl"]


def test_rewriting_removes_a_killed_writers_temporary(tmp_path) -> None:
    stale = tmp_path / ".tmp-file.jsonl.abc123"
    other = tmp_path / ".tmp-other.jsonl.abc123"
    stale.write_bytes(b"half")
    other.write_bytes(b"half")
    atomic_write_bytes(tmp_path / "file.jsonl", b"whole")
    assert not stale.exists()
    assert other.exists(), "only the target's own temporaries are touched"
    assert remove_stale_temporaries(tmp_path) == 1
    assert not other.exists()


def test_a_failed_write_keeps_the_old_file(tmp_path, monkeypatch) -> None:
    target = tmp_path / "file.json"
    atomic_write_bytes(target, b"old")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr("prreview.atomic.os.replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["file.json"]


def test_files_get_the_usual_permissions(tmp_path) -> None:
    import os  # noqa: PLC0415
    import stat  # noqa: PLC0415

    target = tmp_path / "data.jsonl"
    atomic_write_bytes(target, b"{}\n")
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
