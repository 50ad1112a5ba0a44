"""The bundled GitHub sample (data/01_raw/github_sample) covers what we need.

Checks the committed snapshot against the coverage the sample promises (languages,
merged PRs, review comments of every special kind) and against GitHub's own
invariants (``diff_hunk``/``position``/``line`` agree with the patch, patches make up
the PR diff, counts match the data, ids are unique). The last test regenerates the
sample from ``scripts/github_sample`` and requires byte-identical output.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "01_raw" / "github_sample"
GENERATOR = ROOT / "scripts" / "github_sample" / "generate.py"

HUNK_RE = re.compile(r"^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@")
LINK_RE = re.compile(
    r"\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\s+#(\d+)\b", re.IGNORECASE
)
NOISE = {"lgtm", "lgtm 👍", "thanks!", "thanks", "+1", "nice", "🎉", "👍", "ship it"}
LOCK_FILES = {"poetry.lock", "Cargo.lock", "go.sum", "package-lock.json", "yarn.lock"}


@cache
def _index() -> dict[str, Any]:
    return json.loads((SAMPLE / "index.json").read_text(encoding="utf-8"))


@cache
def _repos() -> tuple[dict[str, Any], ...]:
    out = []
    for full_name in _index()["repositories"]:
        path = SAMPLE / "repos" / f"{full_name.replace('/', '__')}.json"
        out.append(json.loads(path.read_text(encoding="utf-8")))
    return tuple(out)


def _pulls() -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    for repo in _repos():
        for record in repo["pulls"]:
            yield repo, record


def _review_comments() -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    for _, record in _pulls():
        for comment in record["review_comments"]:
            yield record, comment


def _where(record: dict[str, Any], comment: dict[str, Any] | None = None) -> str:
    pull = record["pull"]
    out = f"{pull['html_url']}"
    return out + (f" comment {comment['id']}" if comment else "")


# --------------------------------------------------------------------------- coverage


def test_index_lists_every_repository_file() -> None:
    index = _index()
    assert index["format"] == 1
    files = {p.stem for p in (SAMPLE / "repos").glob("*.json")}
    assert files == {name.replace("/", "__") for name in index["repositories"]}
    for old, new in index["renamed"].items():
        assert new in index["repositories"], old
        assert old not in index["repositories"]
    assert sorted(index["unavailable"].values()) == [404, 410, 451]
    for repo in _repos():
        assert repo["repository"]["full_name"] in index["repositories"]


def test_repositories_and_languages() -> None:
    repos = _repos()
    assert len(repos) >= 8
    assert len({r["repository"]["language"] for r in repos}) >= 4


def test_volume() -> None:
    merged = [r for _, r in _pulls() if r["pull"]["merged"]]
    assert len(merged) >= 60
    assert sum(1 for _ in _review_comments()) >= 400
    pulls = [r["pull"] for _, r in _pulls()]
    closed = [p for p in pulls if p["state"] == "closed" and not p["merged"]]
    assert closed, "no closed-unmerged pull request"


def test_special_kinds_of_comments_are_present() -> None:
    comments = [c for _, c in _review_comments()]
    conversation = [c for _, r in _pulls() for c in r["issue_comments"]]
    everything = comments + conversation
    assert any(c["user"]["type"] == "Bot" for c in comments)
    assert sum(c["user"]["type"] == "Bot" for c in everything) >= 20
    assert sum(c["body"].strip().lower() in NOISE for c in everything) >= 20
    assert sum("in_reply_to_id" in c for c in comments) >= 30
    top = [c for c in comments if "in_reply_to_id" not in c]
    outdated = [c for c in top if c["line"] is None]
    assert len(outdated) >= 10
    assert all(c["original_line"] is not None for c in outdated)
    assert sum(c["start_line"] is not None for c in top) >= 10
    assert sum(c["side"] == "LEFT" for c in top) >= 10
    assert sum("```suggestion\n" in c["body"] for c in comments) >= 10


def test_special_kinds_of_files_are_present() -> None:
    files = [f for _, r in _pulls() for f in r["files"]]
    renamed = [f for f in files if f["status"] == "renamed"]
    assert renamed and all(f["previous_filename"] for f in renamed)
    assert any(f["status"] == "removed" for f in files)
    assert any(f["status"] == "added" for f in files)
    assert any("patch" not in f for f in files), "no binary file"
    assert any(f["filename"].rsplit("/", 1)[-1] in LOCK_FILES for f in files)


def test_linked_issues_exist() -> None:
    linked = 0
    for repo, record in _pulls():
        numbers = {i["number"] for i in repo["issues"]}
        for ref in LINK_RE.findall(record["pull"]["body"] or ""):
            assert int(ref) in numbers, _where(record)
            linked += 1
    assert linked >= 8


# --------------------------------------------------------------------------- invariants


def _patch_lines(patch: str) -> list[tuple[str, int | None, int | None]]:
    """(text, old line, new line) for every line of a patch, headers included."""
    out: list[tuple[str, int | None, int | None]] = []
    old = new = 0
    for text in patch.split("\n"):
        if text.startswith("@@"):
            match = HUNK_RE.match(text)
            assert match, text
            old, new = int(match[1]), int(match[2])
            out.append((text, None, None))
        elif text.startswith(" "):
            out.append((text, old, new))
            old, new = old + 1, new + 1
        elif text.startswith("-"):
            out.append((text, old, None))
            old += 1
        elif text.startswith("+"):
            out.append((text, None, new))
            new += 1
        else:
            assert text.startswith("\\"), text
            out.append((text, None, None))
    return out


def _hunk_line(diff_hunk: str, side: str) -> int:
    """The line number, on ``side``, of the last line of a diff_hunk."""
    lines = _patch_lines(diff_hunk)
    assert lines[0][0].startswith("@@")
    text, old, new = lines[-1]
    number = new if side == "RIGHT" else old
    assert number is not None, f"{side} comment on {text!r}"
    return number


def test_diff_hunks_agree_with_patches() -> None:
    for record, comment in _review_comments():
        where = _where(record, comment)
        hunk = comment["diff_hunk"]
        assert hunk.startswith("@@"), where
        assert comment["original_line"] == _hunk_line(hunk, comment["side"]), where
        if comment["original_start_line"] is not None:
            assert comment["start_side"] == comment["side"], where
            assert comment["original_start_line"] < comment["original_line"], where
        if comment["line"] is None:  # outdated: anchored on an older commit
            assert comment["position"] is None, where
            assert comment["start_line"] is None, where
            assert comment["original_commit_id"] != comment["commit_id"], where
            continue
        assert comment["line"] == comment["original_line"], where
        files = {f["filename"]: f for f in record["files"]}
        patch = files[comment["path"]]["patch"]
        lines = patch.split("\n")
        body = hunk.split("\n")
        start = comment["position"] - len(body) + 1
        assert lines[start : comment["position"] + 1] == body, where
        assert comment["commit_id"] == record["pull"]["head"]["sha"], where


def test_replies_point_at_comments_of_the_same_pull() -> None:
    for _, record in _pulls():
        by_id = {c["id"]: c for c in record["review_comments"]}
        for comment in record["review_comments"]:
            if "in_reply_to_id" not in comment:
                continue
            parent = by_id.get(comment["in_reply_to_id"])
            assert parent is not None, _where(record, comment)
            assert "in_reply_to_id" not in parent
            assert parent["created_at"] < comment["created_at"]
            for key in ("path", "diff_hunk", "line", "original_line", "side"):
                assert comment[key] == parent[key], _where(record, comment)


def _split_diff(diff: str) -> list[str]:
    return [s for s in re.split(r"(?m)^(?=diff --git )", diff) if s]


def test_file_patches_make_up_the_pull_diff() -> None:
    for _, record in _pulls():
        sections = _split_diff(record["diff"])
        files = record["files"]
        assert len(sections) == len(files), _where(record)
        for section, file in zip(sections, files, strict=True):
            header = section.split("\n", 1)[0]
            assert header.endswith(f" b/{file['filename']}") or (
                file["status"] == "removed"
            ), header
            if "patch" in file:
                assert (
                    section[section.index("\n@@") + 1 :].rstrip("\n") == (file["patch"])
                ), _where(record)
                plus = sum(
                    1 for t, _, _ in _patch_lines(file["patch"]) if t.startswith("+")
                )
                minus = sum(
                    1 for t, _, _ in _patch_lines(file["patch"]) if t.startswith("-")
                )
                assert (file["additions"], file["deletions"]) == (plus, minus)
            else:
                assert "\nBinary files " in section or "similarity index 100%" in (
                    section
                ), _where(record)
            assert file["changes"] == file["additions"] + file["deletions"]
            if file["status"] == "renamed":
                assert f"rename from {file['previous_filename']}\n" in section


def test_pull_counts_match_the_data() -> None:
    for _, record in _pulls():
        pull = record["pull"]
        where = _where(record)
        assert pull["comments"] == len(record["issue_comments"]), where
        assert pull["review_comments"] == len(record["review_comments"]), where
        assert pull["commits"] == len(record["commits"]), where
        assert pull["changed_files"] == len(record["files"]), where
        assert pull["additions"] == sum(f["additions"] for f in record["files"])
        assert pull["deletions"] == sum(f["deletions"] for f in record["files"])
        assert record["commits"][-1]["sha"] == pull["head"]["sha"], where
        if pull["merged"]:
            assert pull["state"] == "closed" and pull["merge_commit_sha"], where
            last = max(
                [c["created_at"] for c in record["review_comments"]]
                + [c["created_at"] for c in record["issue_comments"]]
                + [pull["created_at"]]
            )
            assert pull["merged_at"] > last, where


def test_ids_are_unique() -> None:
    seen: set[int] = set()
    numbers: dict[str, set[int]] = {}
    for repo in _repos():
        name = repo["repository"]["full_name"]
        ids = [repo["repository"]["id"]] + [i["id"] for i in repo["issues"]]
        numbers[name] = {i["number"] for i in repo["issues"]}
        for record in repo["pulls"]:
            ids.append(record["pull"]["id"])
            ids += [c["id"] for c in record["review_comments"]]
            ids += [c["id"] for c in record["issue_comments"]]
            number = record["pull"]["number"]
            assert number not in numbers[name], f"{name} #{number} reused"
            numbers[name].add(number)
        for item in ids:
            assert item not in seen, f"{name}: id {item} used twice"
            seen.add(item)


# ------------------------------------------------------------------------ regeneration


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="needs the git CLI")
def test_regenerating_gives_identical_bytes(tmp_path: Path) -> None:
    saved_path, saved_modules = list(sys.path), set(sys.modules)
    try:
        spec = importlib.util.spec_from_file_location("github_sample_gen", GENERATOR)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        assert module.main(["--out", str(tmp_path)]) == 0
    finally:  # the generator puts scripts/github_sample on sys.path
        sys.path[:] = saved_path
        for name in set(sys.modules) - saved_modules:
            del sys.modules[name]
    produced = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.json"))
    committed = sorted(p.relative_to(SAMPLE) for p in SAMPLE.rglob("*.json"))
    assert produced == committed
    for rel in produced:
        assert (tmp_path / rel).read_bytes() == (SAMPLE / rel).read_bytes(), rel
