"""The leak audit's tools, and an ingest of a sample full of planted secrets with a
fake token configured: nothing it writes may hold either."""

from __future__ import annotations

import gzip
import json
import sqlite3
import zlib
from pathlib import Path

from kedro.framework.session import KedroSession
from kedro.framework.startup import bootstrap_project

from tests.soak.harness import FAKE_API_KEY, FAKE_TOKEN
from tests.soak.leaks import find_leaks, planted_conf, planted_snapshot

NEEDLE = "ghp_NEEDLEneedle0123456789NEEDLEneedle01"


def test_find_leaks_looks_inside_gzip_and_sqlite_blobs(tmp_path: Path) -> None:
    (tmp_path / "plain.txt").write_text(f"x {NEEDLE} y")
    (tmp_path / "packed.json.gz").write_bytes(gzip.compress(NEEDLE.encode()))
    db = sqlite3.connect(tmp_path / "cache.sqlite")
    db.execute("CREATE TABLE t (body BLOB)")
    db.execute("INSERT INTO t VALUES (?)", (zlib.compress(NEEDLE.encode()),))
    db.commit()
    db.close()
    (tmp_path / "clean.txt").write_text("nothing here")
    hits = find_leaks(tmp_path, [NEEDLE, "absent-string"])
    assert hits == [
        f"cache.sqlite: {NEEDLE[:12]}...",
        f"packed.json.gz: {NEEDLE[:12]}...",
        f"plain.txt: {NEEDLE[:12]}...",
    ]
    assert find_leaks(tmp_path, [NEEDLE], skip=[tmp_path]) == []


def test_an_ingest_of_planted_secrets_keeps_none_of_them(
    project_copy, monkeypatch, tmp_path: Path
) -> None:
    snapshot = tmp_path / "planted"
    secrets = planted_snapshot(snapshot)
    assert len(secrets) >= 15
    assert find_leaks(snapshot, secrets), "the secrets are in the input"
    project = project_copy(local_conf=planted_conf(snapshot))
    monkeypatch.chdir(project)
    bootstrap_project(project)
    with KedroSession.create(project_path=project) as session:
        session.run(pipeline_names=["ingest"])
    comments = [
        json.loads(line)
        for path in (project / "data/02_intermediate/review_comments").rglob("*.jsonl")
        for line in path.read_text().splitlines()
    ]
    assert any("<KEY>" in c["body"] for c in comments), "redacted, not dropped"
    leaks = find_leaks(
        project, [*secrets, FAKE_TOKEN, FAKE_API_KEY], skip=[project / "conf"]
    )
    assert leaks == []


def test_planted_secrets_are_fresh_and_each_one_is_redactable() -> None:
    from prreview.curate.redact import Redactor
    from tests.conftest import ROOT
    from tests.soak.leaks import planted_cases

    cases = planted_cases()
    assert len({case["kind"] for case in cases}) >= 8
    redactor = Redactor()
    for case in cases:
        first_line = case["secret"].split("\n")[0]
        assert first_line not in redactor.redact(case["text"]).text, case["kind"]
    corpus = (ROOT / "tests/curate/redaction_corpus/planted.jsonl").read_text()
    assert not any(case["secret"] in corpus for case in cases), "not the corpus's"
    assert planted_cases() == cases, "the same for the same seed"
