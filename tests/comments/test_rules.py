"""Each rule on real-looking comments, and the order that decides the reason."""

from __future__ import annotations

import pytest

from prreview.comments.rules import RuleSettings, apply_rules, view_of
from prreview.comments.text import clean_body, is_symbolic, prose
from prreview.schemas import hash_login

REVIEWER = hash_login("reviewer")
AUTHOR = hash_login("author")


def decide(text: str, settings: RuleSettings | None = None, **row) -> str | None:
    row = {"author": REVIEWER, "author_type": "User", "in_reply_to_id": None, **row}
    decision = apply_rules(
        view_of(row, clean_body(text), AUTHOR), settings or RuleSettings()
    )
    return decision.reason


@pytest.mark.parametrize(
    "text",
    [
        "This holds the lock across the `await`; move the fetch out of the section.",
        "Off by one: `range(len(items) - 1)` skips the last element.",
        "Why not a `set` here? Lookups in the loop are O(n) on a list.",
        "```suggestion\nreturn self._cache.get(key)\n```",
    ],
)
def test_review_comments_pass(text: str) -> None:
    assert decide(text) is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("LGTM", "acknowledgement"),
        ("lgtm 👍", "acknowledgement"),
        ("Thanks!", "acknowledgement"),
        ("+1", "acknowledgement"),
        ("Nice catch!", "acknowledgement"),
        ("Looks good to me", "acknowledgement"),
        ("Done, thanks!", "acknowledgement"),
        ("🎉", "emoji_only"),
        ("👍 🚀", "emoji_only"),
        (":shipit:", "emoji_only"),
        ("", "empty_body"),
        ("   \n\t ", "empty_body"),
        ("<!-- bot marker -->", "empty_body"),
        ("> Should this be async?\n> I think so", "pure_quote"),
        ("typo", "too_short"),
        ("x" * 6000, "too_long"),
    ],
)
def test_noise_is_dropped_with_its_reason(text: str, reason: str) -> None:
    assert decide(text) == reason


def test_bots_by_type_and_by_configured_login() -> None:
    text = "Coverage decreased (-0.4%) to 91.2% when pulling abc123 into main."
    assert decide(text, author_type="Bot") == "bot_author"
    settings = RuleSettings(bot_logins=("codecov-commenter",))
    assert (
        decide(text, settings, author=hash_login("codecov-commenter")) == "bot_author"
    )
    assert decide(text, settings) is None


def test_replies_and_the_pr_author_answering() -> None:
    answer = "Good catch, I moved the fetch out of the lock in the next commit."
    assert decide(answer, author=AUTHOR, in_reply_to_id=7) == "pr_author_reply"
    assert decide(answer, author=AUTHOR) == "pr_author_note"
    assert decide("But what about the retry path here?", in_reply_to_id=7) == "reply"
    keep = RuleSettings(keep_replies=True, drop_pr_author_comments=False)
    assert decide("But what about the retry path here?", keep, in_reply_to_id=7) is None
    assert decide(answer, keep, author=AUTHOR, in_reply_to_id=7) is None


def test_non_english_only_when_configured() -> None:
    french = "Ce code ne gère pas le cas où la liste est vide, il faut le vérifier."
    assert decide(french) is None
    english_only = RuleSettings(english_only=True)
    assert decide(french, english_only) == "non_english"
    assert decide("Rename `fetch_all` to `fetch_pages`, plz.", english_only) is None
    code_heavy = "`self._lock.acquire()` then `await fetch()`"
    assert decide(code_heavy, english_only) is None


def test_trail_names_every_check_up_to_the_decision() -> None:
    row = {"author": REVIEWER, "author_type": "User", "in_reply_to_id": None}
    decision = apply_rules(view_of(row, "LGTM", AUTHOR), RuleSettings())
    assert decision.trail[-1] == "acknowledgement:drop"
    assert decision.trail[0] == "bot_author:pass"
    kept = apply_rules(
        view_of(row, "Missing `await` on `close()`.", AUTHOR), RuleSettings()
    )
    assert kept.keep and all(step.endswith(":pass") for step in kept.trail)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (None, ""),
        (42, ""),
        ("<details><summary>Report</summary>ok</details>", "Reportok"),
        ("a &amp; b<br/>c", "a & b\nc"),
        ("bad \udcff byte", "bad ? byte"),
        ("line\r\nend\x00", "line\nend"),
        ("keep `<T>` and List<String>", "keep `<T>` and List<String>"),
        (
            "```suggestion\n<div>&amp;</div>\n```",
            "```suggestion\n<div>&amp;</div>\n```",
        ),
        ("`a <b>` <b>bold</b> &lt;3", "`a <b>` bold <3"),
    ],
)
def test_clean_body(raw, clean) -> None:
    assert clean_body(raw) == clean


def test_text_helpers() -> None:
    assert is_symbolic("🎉🎉 !!") and not is_symbolic("ok 🎉")
    assert prose("use `x` here\n```py\ncode\n```").split() == ["use", "here"]
