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
import random
import re
import shutil
import sqlite3
import string
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


# what makes a secret recognisable: a token prefix, a JWT segment's start, PEM lines
_SHAPE = re.compile(
    r"^(?:github_pat_|[A-Za-z]{1,12}[_-]|AKIA|ASIA|AIza)"
    r"|(?:^|(?<=\.))eyJ"
    r"|-----(?:BEGIN|END)[^\n]*-----"
)


def _fresh(secret: str, rng: random.Random) -> str:
    """The secret with the same shape and a new value: what makes it recognisable
    (see ``_SHAPE``) and every non-alphanumeric character kept, each other letter
    and digit drawn anew within its class. The run's input then holds secrets that
    exist nowhere else, not even in this repository's own test corpus, which the
    commits and fim pipelines read."""
    kept = {i for match in _SHAPE.finditer(secret) for i in range(*match.span())}
    drawn = []
    for index, char in enumerate(secret):
        if index in kept or not char.isalnum() or not char.isascii():
            drawn.append(char)
        elif char.isdigit():
            drawn.append(rng.choice(string.digits))
        elif char.isupper():
            drawn.append(rng.choice(string.ascii_uppercase))
        else:
            drawn.append(rng.choice(string.ascii_lowercase))
    return "".join(drawn)


def planted_cases(seed: int = 0) -> list[dict[str, str]]:
    """The corpus cases of the token kinds, each with a fresh secret of its shape
    (the redactor must still find every one: checked by the leak tests)."""
    rng = random.Random(seed)
    cases = []
    for line in CORPUS.read_text().splitlines():
        case = json.loads(line)
        if case["kind"] not in TOKEN_KINDS:
            continue
        secret = _fresh(case["secret"], rng)
        cases.append(
            case
            | {"secret": secret, "text": case["text"].replace(case["secret"], secret)}
        )
    return cases


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


def planted_conf(snapshot: Path) -> dict[str, str]:
    """conf/local files for a run over a planted snapshot: its github_api serves the
    snapshot from a local server, and the credentials are the soak's decoy token and
    API key, which must not turn up in anything the run writes either."""
    from tests.soak.harness import FAKE_API_KEY, FAKE_TOKEN  # noqa: PLC0415

    return {
        "catalog.yml": (
            "github_api:\n"
            "  type: prreview.datasets.GitHubAPIDataset\n"
            f"  serve_snapshot: {snapshot}\n"
            "  etag_cache: data/01_raw/github_api/etag_cache.sqlite\n"
            "  credentials: github\n"
        ),
        "credentials.yml": (
            f"github:\n  token: {FAKE_TOKEN}\nopenai:\n  api_key: {FAKE_API_KEY}\n"
        ),
    }
