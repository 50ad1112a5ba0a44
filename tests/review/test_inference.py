"""Prompts from a diff, replies read into checked comments, and the GitHub request."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from prreview.diffs.critique import SYSTEM_PROMPT, ReviewContext
from prreview.diffs.hunks import parse_patch
from prreview.diffs.patches import DiffParseError
from prreview.diffs.render import NO_COMMENTS, CommentBlock, render_comments
from prreview.llm.client import (
    ChatClientError,
    ChatRequest,
    ChatRequestError,
    ChatResult,
    Usage,
)
from prreview.review.inference import (
    GenerationSettings,
    ReviewedFile,
    comment_dict,
    contexts_from_diff,
    github_review_request,
    prompt_for,
    read_review,
    review_counts,
    review_prompts,
)

PATCH = "@@ -1,2 +1,3 @@\n import os\n-x = 1\n+x = 2\n+y = 3"
HUNKS = parse_patch(PATCH)
OPEN = '<comment path="a.py" side="RIGHT" lines="2">'
GOOD = CommentBlock("a.py", "RIGHT", 2, "Name this constant.")
DIFF = (
    "diff --git a/src/app.py b/src/app.py\n"
    "index 1111111..2222222 100644\n"
    "--- a/src/app.py\n"
    "+++ b/src/app.py\n"
    f"{PATCH}\n"
    "diff --git a/x.png b/x.png\n"
    "index 3333333..4444444 100644\n"
    "Binary files a/x.png and b/x.png differ\n"
)


def test_a_valid_reply_gives_checked_comments() -> None:
    reply = render_comments([GOOD, CommentBlock("a.py", "RIGHT", 50, "Gone.")])
    review = read_review(reply, "stop", "a.py", HUNKS)
    assert review == ReviewedFile(
        "a.py",
        "comments",
        (GOOD,),
        {"kept": 1, "dropped:line_not_in_diff": 1},
        reply=reply,
    )


def test_no_comments_and_all_comments_dropped_are_both_silence() -> None:
    assert read_review(NO_COMMENTS, "stop", "a.py", HUNKS).status == "no_comments"
    dropped = render_comments([CommentBlock("a.py", "RIGHT", 50, "Gone.")])
    review = read_review(dropped, "stop", "a.py", HUNKS)
    assert (review.status, review.comments) == ("no_comments", ())


def test_prose_is_a_parse_failure_with_the_parser_message() -> None:
    review = read_review("Looks good to me!", "stop", "a.py", HUNKS)
    assert review.status == "parse_failure"
    assert review.comments == ()
    assert review.error == (
        "line 1: expected a '<comment ...>' tag, got 'Looks good to me!'"
    )
    assert review.reply == "Looks good to me!"


CUT = f"{render_comments([GOOD])}\n\n{OPEN}\nand another thi"


def test_a_reply_cut_at_the_token_limit_keeps_its_complete_blocks() -> None:
    review = read_review(CUT, "length", "a.py", HUNKS)
    assert review.status == "truncated"
    assert review.comments == (GOOD,)
    assert review.counts == {"kept": 1}
    assert review.error is None


def test_the_same_cut_reply_without_the_limit_is_a_parse_failure() -> None:
    review = read_review(CUT, "stop", "a.py", HUNKS)
    assert review.status == "parse_failure"
    assert review.comments == ()
    assert "never closed" in str(review.error)


def test_a_cut_reply_with_no_complete_block_is_a_parse_failure() -> None:
    review = read_review(f"{OPEN}\nhalf a tho", "length", "a.py", HUNKS)
    assert review.status == "parse_failure"


@pytest.mark.parametrize(
    "partial", ["see `</comment>` in the", "\\</comment>\nescaped, then cut"]
)
def test_a_close_tag_inside_the_cut_block_keeps_the_complete_ones(
    partial: str,
) -> None:
    reply = f"{render_comments([GOOD])}\n\n{OPEN}\n{partial}"
    review = read_review(reply, "length", "a.py", HUNKS)
    assert (review.status, review.comments) == ("truncated", (GOOD,))


def tag(path: str = '"a.py"', lines: str = "2") -> str:
    return f'<comment path={path} side="RIGHT" lines="{lines}">\nx\n</comment>'


@pytest.mark.parametrize(
    ("reply", "status"),
    [
        ("", "parse_failure"),
        (" \n\t\n", "parse_failure"),
        ("\x00", "parse_failure"),
        (f"{OPEN}\n{OPEN}\nx\n</comment>\n</comment>", "parse_failure"),
        (f"{OPEN}\nnever closed", "parse_failure"),
        ("</comment>", "parse_failure"),
        (f"{NO_COMMENTS}\n{NO_COMMENTS}", "parse_failure"),
        (tag(lines="999999999"), "no_comments"),
        (tag(lines="1-99999999999"), "parse_failure"),
        (tag(lines="0"), "parse_failure"),
        (tag(path='"a\\"b\\\\c.py"'), "comments"),
        (tag(path='"\\ud800"'), "comments"),
        (tag(path='"a\\q"'), "parse_failure"),
        (tag(path="'a.py'"), "parse_failure"),
        (f"{OPEN}\n\\</comment>\n</comment>", "comments"),
        (f"{OPEN}\n\\\\<comment x>\n</comment>", "comments"),
    ],
)
@pytest.mark.parametrize("finish_reason", ["stop", "length"])
def test_adversarial_replies_never_raise(
    reply: str, status: str, finish_reason: str
) -> None:
    review = read_review(reply, finish_reason, "a.py", HUNKS)
    assert review.status == status
    assert all(comment.path == "a.py" for comment in review.comments)
    assert (review.error is not None) == (status == "parse_failure")


def test_an_escaped_close_tag_stays_in_the_body() -> None:
    review = read_review(f"{OPEN}\n\\</comment>\n</comment>", "stop", "a.py", HUNKS)
    assert review.comments == (CommentBlock("a.py", "RIGHT", 2, "</comment>"),)


def test_reviewed_file_round_trips_through_a_dict() -> None:
    ranged = CommentBlock("a.py", "RIGHT", 3, "Both lines.", start_line=2)
    review = ReviewedFile(
        "a.py", "truncated", (GOOD, ranged), {"kept": 2}, error=None, reply="raw"
    )
    row = review.to_dict()
    assert row == {
        "path": "a.py",
        "status": "truncated",
        "comments": [
            {"path": "a.py", "side": "RIGHT", "line": 2, "body": "Name this constant."},
            {
                "path": "a.py",
                "side": "RIGHT",
                "start_line": 2,
                "start_side": "RIGHT",
                "line": 3,
                "body": "Both lines.",
            },
        ],
        "counts": {"kept": 2},
        "error": None,
    }
    assert ReviewedFile.from_dict(row) == ReviewedFile(
        "a.py", "truncated", (GOOD, ranged), {"kept": 2}
    )
    assert ReviewedFile.from_dict(row | {"reply": "raw"}) == review


def test_comment_dict_leaves_out_an_absent_range() -> None:
    assert comment_dict(GOOD) == {
        "path": "a.py",
        "side": "RIGHT",
        "line": 2,
        "body": "Name this constant.",
    }
    assert list(comment_dict(GOOD)) == ["path", "side", "line", "body"]


def test_contexts_from_diff_skip_binary_files() -> None:
    (context,) = contexts_from_diff(DIFF, repo="o/r", pr_title="Bump x")
    assert context == ReviewContext(
        repo="o/r",
        pr_title="Bump x",
        path="src/app.py",
        language="Python",
        rendered_patch=(
            "--- a/src/app.py\n"
            "+++ b/src/app.py\n"
            "@@ -1,2 +1,3 @@\n"
            " 1  import os\n"
            "L2 -x = 1\n"
            " 2 +x = 2\n"
            " 3 +y = 3"
        ),
    )
    assert contexts_from_diff("") == []


def test_a_malformed_diff_raises() -> None:
    header = "diff --git a/a.py b/a.py\n--- a/a.py\n+++ b/a.py\n"
    with pytest.raises(DiffParseError):
        contexts_from_diff(header + "@@ -1,3 +1,3 @@\n-x\n")
    with pytest.raises(DiffParseError, match="^a.py: line 4: .* longer than its"):
        contexts_from_diff(header + "@@ -1,1 +1,1 @@\n-x\n+y\n+z\n")


def test_prompt_for_reads_the_hunks_back_from_the_prompt() -> None:
    (context,) = contexts_from_diff(DIFF, repo="o/r")
    prompt = prompt_for(context)
    assert prompt.path == "src/app.py"
    assert prompt.hunks == parse_patch(PATCH)
    assert [m["role"] for m in prompt.messages] == ["system", "user"]
    assert prompt.messages[0]["content"] == SYSTEM_PROMPT
    assert prompt.messages[1]["content"].endswith(context.rendered_patch)
    assert prompt_for(context, "Be brief.").messages[0]["content"] == "Be brief."


class ScriptedBackend:
    """A chat backend that answers with the outcomes it was given, in order."""

    name = "scripted"
    model = "scripted-model"

    def __init__(self, outcomes: Sequence[ChatResult | ChatClientError]) -> None:
        self.outcomes = list(outcomes)
        self.usage = Usage()
        self.requests: list[ChatRequest] = []

    def complete_each_sync(
        self, requests: Sequence[ChatRequest], concurrency: int | None = None
    ) -> list[ChatResult | ChatClientError]:
        self.requests.extend(requests)
        return self.outcomes[: len(requests)]

    def close(self) -> None:
        pass


def answer(text: str, finish_reason: str = "stop") -> ChatResult:
    return ChatResult(text, finish_reason, 10, 5, "scripted-model")


def test_review_prompts_reads_every_outcome_in_order() -> None:
    (context,) = contexts_from_diff(DIFF)
    prompt = prompt_for(context)
    good = CommentBlock("src/app.py", "RIGHT", 2, "Name this constant.")
    cut = f"{render_comments([good])}\n\n{OPEN}\ncut her"
    backend = ScriptedBackend(
        [
            answer(render_comments([good])),
            ChatRequestError("the server refused it", 400),
            answer(NO_COMMENTS),
            answer("LGTM"),
            answer(cut, "length"),
        ]
    )
    reviews = review_prompts(backend, [prompt] * 5)
    assert [r.status for r in reviews] == [
        "comments",
        "failed",
        "no_comments",
        "parse_failure",
        "truncated",
    ]
    assert reviews[0].comments == (good,)
    assert reviews[1] == ReviewedFile(
        "src/app.py", "failed", error="the server refused it"
    )
    assert reviews[4].comments == (good,)
    assert (
        backend.requests
        == [ChatRequest(messages=prompt.messages, max_tokens=256, temperature=0.0)] * 5
    )


def test_review_prompts_passes_the_generation_settings() -> None:
    (context,) = contexts_from_diff(DIFF)
    backend = ScriptedBackend([answer(NO_COMMENTS)])
    settings = GenerationSettings(max_tokens=64, temperature=0.7, seed=3)
    review_prompts(backend, [prompt_for(context)], settings)
    (request,) = backend.requests
    assert (request.max_tokens, request.temperature, request.seed) == (64, 0.7, 3)


def test_github_review_request_shape() -> None:
    other = CommentBlock("b.py", "LEFT", 7, "Keep this.", start_line=5)
    reviews = [
        ReviewedFile("a.py", "comments", (GOOD,)),
        ReviewedFile("c.py", "parse_failure", error="bad"),
        ReviewedFile("b.py", "comments", (other,)),
    ]
    assert github_review_request(reviews, body="Automated review") == {
        "event": "COMMENT",
        "body": "Automated review",
        "comments": [comment_dict(GOOD), comment_dict(other)],
    }
    with_commit = github_review_request(reviews, commit_id="abc123")
    assert with_commit["commit_id"] == "abc123"
    assert with_commit["body"] == ""
    assert github_review_request([]) == {"event": "COMMENT", "body": "", "comments": []}


def test_review_counts_sum_files_and_reasons() -> None:
    reviews = [
        ReviewedFile("a.py", "comments", (GOOD,), {"kept": 1, "repaired:path": 1}),
        ReviewedFile("b.py", "comments", (GOOD,), {"kept": 2}),
        ReviewedFile("c.py", "no_comments", (), {"kept": 0, "dropped:duplicate": 1}),
        ReviewedFile("d.py", "failed", error="boom"),
    ]
    assert review_counts(reviews) == {
        "dropped:duplicate": 1,
        "files:comments": 2,
        "files:failed": 1,
        "files:no_comments": 1,
        "files:parse_failure": 0,
        "files:truncated": 0,
        "kept": 3,
        "repaired:path": 1,
    }
    assert list(review_counts(reviews)) == sorted(review_counts(reviews))
