"""split_diff on real git output:
renames, deletions, binaries, CRLF, no final newline."""

from __future__ import annotations

import pytest

from prreview.diffs.patches import DiffParseError, split_diff

GIT_DIFF = (
    "diff --git a/crlf.txt b/crlf.txt\n"
    "new file mode 100644\n"
    "index 0000000..824f3ce\n"
    "--- /dev/null\n"
    "+++ b/crlf.txt\n"
    "@@ -0,0 +1,2 @@\n"
    "+n1\r\n"
    "+n2\r\n"
    "diff --git a/del.md b/del.md\n"
    "deleted file mode 100644\n"
    "index 286c5f5..0000000\n"
    "--- a/del.md\n"
    "+++ /dev/null\n"
    "@@ -1 +0,0 @@\n"
    "-gone\n"
    "diff --git a/logo.png b/logo.png\n"
    "index f584f40..6bf43ff 100644\n"
    "Binary files a/logo.png and b/logo.png differ\n"
    "diff --git a/old.txt b/new.txt\n"
    "similarity index 94%\n"
    "rename from old.txt\n"
    "rename to new.txt\n"
    "index 2ea392a..fad0154 100644\n"
    "--- a/old.txt\n"
    "+++ b/new.txt\n"
    "@@ -18,3 +18,4 @@ keep\n"
    " keep\n"
    " keep\n"
    " keep\n"
    "+extra\n"
    "diff --git a/nonl.txt b/nonl.txt\n"
    "new file mode 100644\n"
    "index 0000000..20cbb4d\n"
    "--- /dev/null\n"
    "+++ b/nonl.txt\n"
    "@@ -0,0 +1 @@\n"
    "+no newline\n"
    "\\ No newline at end of file\n"
)


def test_split_real_git_diff() -> None:
    files = {patch.path: patch for patch in split_diff(GIT_DIFF)}
    assert list(files) == ["crlf.txt", "del.md", "logo.png", "new.txt", "nonl.txt"]
    assert files["crlf.txt"].status == "added"
    assert files["crlf.txt"].patch == "@@ -0,0 +1,2 @@\n+n1\r\n+n2\r"
    assert files["del.md"].status == "removed"
    assert files["del.md"].patch == "@@ -1 +0,0 @@\n-gone", "hunk header kept verbatim"
    assert files["logo.png"].binary and files["logo.png"].patch is None
    renamed = files["new.txt"]
    assert (renamed.status, renamed.previous_path) == ("renamed", "old.txt")
    assert (renamed.additions, renamed.deletions) == (1, 0)
    assert files["nonl.txt"].patch.endswith("\\ No newline at end of file")


def test_empty_diff_has_no_files() -> None:
    assert split_diff("") == []
    assert split_diff("\n") == []


def test_malformed_diff_raises_the_module_error() -> None:
    broken = "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n-a\n"
    with pytest.raises(DiffParseError):
        split_diff(broken)


@pytest.mark.parametrize(
    "text",
    [
        "<!DOCTYPE html>\n<html><body>Unicorn!</body></html>\n",
        "--- a.py.orig\n+++ a.py\n@@ -1 +1 @@\n-a\n+b\n",  # diff -u, not git diff
    ],
)
def test_text_without_a_git_diff_section_is_refused(text: str) -> None:
    with pytest.raises(DiffParseError, match="no 'diff --git' section"):
        split_diff(text)


@pytest.mark.parametrize(
    ("hunks", "problem"),
    [
        ("@@ -1,2 +1,2\n a\n-b\n+c\n", "not a hunk header"),
        ("@@ -1 +1 @@\n-a\n+b\n+c\n", "longer than its header"),
    ],
)
def test_a_malformed_hunk_names_its_file(hunks: str, problem: str) -> None:
    diff = GIT_DIFF + "diff --git a/lib/x.py b/lib/x.py\n--- a/lib/x.py\n"
    with pytest.raises(DiffParseError, match=f"^lib/x.py: line .*{problem}"):
        split_diff(diff + "+++ b/lib/x.py\n" + hunks)


def test_a_diff_saved_with_crlf_line_ends_reads_as_git_wrote_it() -> None:
    lf = GIT_DIFF.replace("\r\n", "\n")
    files = split_diff(lf.replace("\n", "\r\n"))
    assert files == split_diff(lf)
    assert [f.path for f in files][-2:] == ["new.txt", "nonl.txt"]
