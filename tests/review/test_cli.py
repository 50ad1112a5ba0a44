"""``prreview review PATCH`` end to end: the local OpenAI-compatible server on
127.0.0.1 (real HTTP) with a scripted backend, the bundled model offline, and the
installed console script in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from io import StringIO
from pathlib import Path
from typing import Any

import pytest

from prreview.diffs.critique import SYSTEM_PROMPT
from prreview.llm.local_model import GenerationParams, GenerationResult, Message
from prreview.llm.server import RunningServer, ServerConfig, serve_in_thread
from prreview.review.cli import main
from prreview.review.inference import STATUSES

MODEL = "x"
# One Python file, one hunk: the new file's lines 5 and 6 are added, old 5 removed.
PATCH = "\n".join(
    [
        "diff --git a/app/util.py b/app/util.py",
        "index 1111111..2222222 100644",
        "--- a/app/util.py",
        "+++ b/app/util.py",
        "@@ -1,5 +1,6 @@",
        " import json",
        " ",
        " ",
        " def load(path):",
        "-    return json.load(open(path))",
        "+    handle = open(path)",
        "+    return json.load(handle)",
        "",
    ]
)
ON_LINE_5 = (
    '<comment path="app/util.py" side="RIGHT" lines="5">\nclose the file\n</comment>'
)
OFF_THE_DIFF = (
    '<comment path="app/util.py" side="RIGHT" lines="40">\n'
    "`return json.load(handle)` leaves the handle open\n"
    "</comment>"
)
PROSE = "Looks good to me, nice cleanup."
ZERO_FILES = {f"files:{status}": 0 for status in STATUSES}


class ScriptedBackend:
    """Answers every chat with the same reply and remembers what it was asked."""

    def __init__(self, reply: str) -> None:
        self.reply = reply
        self.chats: list[list[Message]] = []
        self.params: list[GenerationParams] = []
        self._lock = threading.Lock()

    def generate(
        self, batch: Sequence[Sequence[Message]], params: Sequence[GenerationParams]
    ) -> list[GenerationResult]:
        with self._lock:
            self.chats.extend([dict(m) for m in chat] for chat in batch)
            self.params.extend(params)
        return [
            GenerationResult(self.reply, "stop", 100, len(self.reply.split()))
            for _ in batch
        ]


@pytest.fixture
def serve() -> Iterator[Callable[[str], tuple[RunningServer, ScriptedBackend]]]:
    servers: list[RunningServer] = []

    def make(reply: str) -> tuple[RunningServer, ScriptedBackend]:
        backend = ScriptedBackend(reply)
        server = serve_in_thread(ServerConfig(backend=backend, model_name=MODEL))
        servers.append(server)
        return server, backend

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def patch_file(tmp_path: Path) -> Path:
    path = tmp_path / "change.patch"
    path.write_text(PATCH)
    return path


@pytest.fixture(autouse=True)
def _no_api_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)


def review(argv: list[str], stdin: str = "") -> tuple[int, dict[str, Any] | None, str]:
    """main()'s exit code, its stdout read as JSON (None when empty), the raw text."""
    out = StringIO()
    code = main(argv, stdin=StringIO(stdin), stdout=out)
    text = out.getvalue()
    return code, (json.loads(text) if text else None), text


def endpoint(server: RunningServer) -> list[str]:
    assert server.base_url.endswith("/v1")  # what ChatClient (openai) expects
    return ["--base-url", server.base_url, "--api-model", MODEL]


def test_review_prints_the_checked_comments_as_json(serve, patch_file: Path) -> None:
    server, backend = serve(ON_LINE_5)
    code, result, _ = review(
        [
            str(patch_file),
            *endpoint(server),
            "--max-tokens",
            "32",
            "--repo",
            "acme/app",
            "--title",
            "Close files after reading",
        ]
    )
    assert code == 0
    assert result == {
        "model": MODEL,
        "files": [
            {
                "path": "app/util.py",
                "status": "comments",
                "comments": [
                    {
                        "path": "app/util.py",
                        "side": "RIGHT",
                        "line": 5,
                        "body": "close the file",
                    }
                ],
                "counts": {"kept": 1},
                "error": None,
            }
        ],
        "counts": ZERO_FILES | {"files:comments": 1, "kept": 1},
    }
    # the request went over HTTP with the trained prompt and the CLI's settings
    assert server.stats.requests == 1
    ((system, user),) = backend.chats
    assert system == {"role": "system", "content": SYSTEM_PROMPT}
    assert "Repository: acme/app" in user["content"]
    assert "Close files after reading" in user["content"]
    assert "File: app/util.py" in user["content"]
    assert "handle = open(path)" in user["content"]
    assert [p.max_tokens for p in backend.params] == [32]


def test_github_format_is_a_create_review_request(serve, patch_file: Path) -> None:
    server, _ = serve(ON_LINE_5)
    code, result, _ = review(
        [str(patch_file), *endpoint(server), "--format", "github", "--commit-id", "abc"]
    )
    assert code == 0
    assert result == {
        "event": "COMMENT",
        "body": "",
        "commit_id": "abc",
        "comments": [
            {
                "path": "app/util.py",
                "side": "RIGHT",
                "line": 5,
                "body": "close the file",
            }
        ],
    }


def test_a_comment_off_the_diff_moves_to_the_line_it_quotes(
    serve, patch_file: Path
) -> None:
    server, _ = serve(OFF_THE_DIFF)
    code, result, _ = review([str(patch_file), *endpoint(server)])
    assert code == 0
    (file,) = result["files"]
    assert file["status"] == "comments"
    (comment,) = file["comments"]
    assert (comment["side"], comment["line"]) == ("RIGHT", 6)
    assert comment["body"] == "`return json.load(handle)` leaves the handle open"
    assert file["counts"] == {"repaired:quoted_line": 1, "kept": 1}
    assert result["counts"]["repaired:quoted_line"] == 1


def test_a_prose_reply_is_a_parse_failure_not_an_error(serve, patch_file: Path) -> None:
    server, _ = serve(PROSE)
    code, result, _ = review([str(patch_file), *endpoint(server)])
    assert code == 0
    (file,) = result["files"]
    assert file["status"] == "parse_failure"
    assert file["comments"] == []
    assert "expected a '<comment" in file["error"]
    assert result["counts"] == ZERO_FILES | {"files:parse_failure": 1}


def test_dash_reads_the_patch_from_stdin(serve) -> None:
    server, backend = serve(ON_LINE_5)
    code, result, _ = review(["-", *endpoint(server)], stdin=PATCH)
    assert code == 0
    assert [(f["path"], f["status"]) for f in result["files"]] == [
        ("app/util.py", "comments")
    ]
    assert len(backend.chats) == 1


@pytest.mark.parametrize(
    "text",
    [
        "",
        "please review my change\n",
        "--- a/app/util.py\n+++ b/app/util.py\n@@ -1 +1 @@\n-a\n+b\n",
        "diff --git a/app/util.py b/app/util.py\n--- a/app/util.py\n"
        "+++ b/app/util.py\n@@ garbage @@\n+b\n",
    ],
    ids=["empty", "prose", "no_git_header", "bad_hunk_header"],
)
def test_text_that_is_not_a_git_diff_exits_2(
    serve, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    server, backend = serve(ON_LINE_5)
    code, result, _ = review(["-", *endpoint(server)], stdin=text)
    assert code == 2
    assert result is None
    assert "prreview review: not a unified diff" in capsys.readouterr().err
    assert backend.chats == []  # nothing was asked


def test_a_missing_patch_file_exits_1_naming_it(
    serve, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server, backend = serve(ON_LINE_5)
    missing = tmp_path / "nowhere.patch"
    code, result, _ = review([str(missing), *endpoint(server)])
    assert code == 1
    assert result is None
    err = capsys.readouterr().err
    assert err.startswith("prreview review: ")
    assert "No such file" in err and str(missing) in err
    assert backend.chats == []


@pytest.mark.slow
def test_the_bundled_model_reviews_offline(
    bundled_model_dir: Path, patch_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    code, result, _ = review(
        [str(patch_file), "--model", str(bundled_model_dir), "--max-tokens", "16"]
    )
    assert code == 0
    (file,) = result["files"]
    assert file["path"] == "app/util.py"
    assert file["status"] in STATUSES
    assert file["status"] != "failed", file["error"]
    assert sum(v for k, v in result["counts"].items() if k.startswith("files:")) == 1


@pytest.mark.slow
def test_the_console_script_prints_only_json(serve, patch_file: Path) -> None:
    server, _ = serve(ON_LINE_5)
    script = Path(sys.executable).with_name("prreview")
    assert script.is_file(), "the project is not installed in this environment"
    env = os.environ | {"KEDRO_DISABLE_TELEMETRY": "true", "HF_HUB_OFFLINE": "1"}
    env.pop("OPENAI_API_KEY", None)
    done = subprocess.run(
        [str(script), "review", str(patch_file), *endpoint(server)],
        capture_output=True,
        text=True,
        env=env,
        cwd=patch_file.parent,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)  # the whole stdout: no log lines mixed in
    assert result["files"][0]["comments"][0]["line"] == 5
    assert result["counts"]["files:comments"] == 1


def write_partitions(folder: Path, partitions: dict[str, Any]) -> None:
    """Ingest's partitions (``iter_0001/owner__repo``) as JSONL files."""
    for partition_id, rows in partitions.items():
        path = folder / f"{partition_id}.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        loaded = rows() if callable(rows) else rows
        path.write_text("".join(json.dumps(row) + "\n" for row in loaded))


def test_pr_reviews_an_ingested_pull_request(
    serve, ingested_sample: dict[str, Any], tmp_path: Path
) -> None:
    ingested = tmp_path / "ingested"
    for kind in ("pull_requests", "pull_diffs"):
        write_partitions(ingested / kind, ingested_sample[kind])
    diff = next(
        row
        for rows in ingested_sample["pull_diffs"].values()
        for row in (rows() if callable(rows) else rows)
        if any(f["patch"] and not f["binary"] for f in row["files"])
    )
    reference = f"{diff['repo']}#{diff['pr_number']}"
    server, backend = serve("<no_comments/>")
    argv = ["--pr", reference, "--ingested", str(ingested), "--format", "github"]
    code, result, _ = review([*argv, *endpoint(server)])
    assert code == 0
    assert result == {
        "event": "COMMENT",
        "body": "",
        "comments": [],
        "commit_id": diff["head_sha"],
    }
    reviewed = [f for f in diff["files"] if f["patch"] and not f["binary"]]
    assert len(backend.chats) == len(reviewed), "one prompt per reviewable file"
    assert f"Repository: {diff['repo']}" in backend.chats[0][1]["content"]
    missing = review(["--pr", f"{diff['repo']}#999999", "--ingested", str(ingested)])
    assert missing[0] == 1 and missing[1] is None
    assert review(["--pr", "not-a-reference", "--ingested", str(ingested)])[0] == 1
