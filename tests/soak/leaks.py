"""The leak audit: no secret a run was given or shown may land in anything it wrote.

:func:`planted_snapshot` copies the bundled GitHub sample with the redaction
corpus's secrets planted in PR descriptions, review and issue comments and patches;
:func:`find_leaks` searches every file under a folder for given strings, looking
inside what a plain ``grep`` cannot read: gzip files, and every value of every
SQLite table (zlib-compressed blobs included).
"""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from tests.conftest import ROOT, SAMPLE

CORPUS = ROOT / "tests" / "curate" / "redaction_corpus" / "planted.jsonl"
SQLITE_MAGIC = b"SQLite format 3\x00"
# kinds whose secret is a whole token, unambiguous wherever it appears
TOKEN_KINDS = frozenset(
    {
        "github_token",
        "aws_access_key_id",
        "openai_key",
        "slack_token",
        "slack_webhook",
        "other_token",
        "private_key",
        "url_password",
        "aws_secret_key",
    }
)


def planted_cases() -> list[dict[str, str]]:
    cases = [json.loads(line) for line in CORPUS.read_text().splitlines()]
    return [case for case in cases if case["kind"] in TOKEN_KINDS]


def _plant(text: str | None, case: dict[str, str]) -> str:
    return f"{text or ''}\n\nAlso: {case['text']}\n"


def planted_snapshot(target: Path) -> list[str]:
    """The sample with a corpus secret appended to every PR description and to the
    first review comments and issue comment of each PR; the secrets planted."""
    shutil.copytree(SAMPLE, target)
    cases = planted_cases()
    planted: list[str] = []
    turn = 0

    def next_case() -> dict[str, str]:
        nonlocal turn
        case = cases[turn % len(cases)]
        turn += 1
        planted.append(case["secret"].split("\n")[0])
        return case

    for path in sorted((target / "repos").glob("*.json")):
        data = json.loads(path.read_text())
        for pull in data.get("pulls", []):
            pull["pull"]["body"] = _plant(pull["pull"].get("body"), next_case())
            for comment in pull.get("review_comments", [])[:2]:
                comment["body"] = _plant(comment["body"], next_case())
            for comment in pull.get("issue_comments", [])[:1]:
                comment["body"] = _plant(comment["body"], next_case())
        path.write_text(json.dumps(data, indent=1))
    return sorted(set(planted))


def _sqlite_values(path: Path) -> Iterator[bytes]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master")]
        for table in tables:
            try:
                rows = db.execute(f'SELECT * FROM "{table}"').fetchall()  # noqa: S608
            except sqlite3.DatabaseError:
                continue
            for row in rows:
                for value in row:
                    yield from _value_bytes(value)
    finally:
        db.close()


def _value_bytes(value: Any) -> Iterator[bytes]:
    if isinstance(value, str):
        yield value.encode()
    elif isinstance(value, bytes):
        yield value
        try:
            yield zlib.decompress(value)
        except zlib.error:
            pass


def readable_contents(path: Path) -> Iterator[bytes]:
    """What a file holds, decompressed and unpacked where it is gzip or SQLite."""
    head = path.open("rb").read(16)
    if head == SQLITE_MAGIC:
        try:
            yield from _sqlite_values(path)
            return
        except sqlite3.DatabaseError:
            pass
    data = path.read_bytes()
    yield data
    if head[:2] == b"\x1f\x8b":
        try:
            yield gzip.decompress(data)
        except (OSError, EOFError):
            pass


def find_leaks(
    root: Path, needles: Sequence[str], *, skip: Sequence[Path] = ()
) -> list[str]:
    """``path: needle`` for every needle found in a file under ``root``."""
    encoded = [(needle, needle.encode()) for needle in needles if needle]
    skipped = [folder.resolve() for folder in skip]
    hits = []
    for path in sorted(root.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        resolved = path.resolve()
        if any(resolved.is_relative_to(folder) for folder in skipped):
            continue
        for content in readable_contents(path):
            for needle, raw in encoded:
                if raw in content:
                    hits.append(f"{path.relative_to(root)}: {needle[:12]}...")
    return sorted(set(hits))
