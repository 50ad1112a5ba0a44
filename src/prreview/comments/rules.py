"""Rule checks that decide, before any model, whether a review comment can be a
training target. Each rule is a small named function: it returns a drop reason or
``None`` (pass); :func:`apply_rules` runs them in order and keeps the trail."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import py3langid

from prreview.comments.text import is_symbolic, prose, words
from prreview.schemas import hash_login

_ACKNOWLEDGEMENT = re.compile(
    r"^(?:"
    r"lgtm|lgtm!*|looks good(?: to me)?|looks great|sgtm|ship it|"
    r"\+1|-1|\+100|thanks?(?: you)?(?: so much)?|thx|ty|cheers|"
    r"nice(?: one| catch| work| job)?|great(?: work| job| catch)?|good catch|"
    r"awesome|perfect|cool|sounds good|makes sense|agreed|fair enough|"
    r"done|fixed|addressed|resolved|updated|good point|will do|ok|okay|yes|yep|"
    r"approved|merging|rebased"
    r")(?:[\s,!.]+(?:thanks?|thank you|done|fixed|lgtm|nice|!+|:\)|🙏|👍|🎉))*"
    r"[\s!.:)]*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class RuleSettings:
    min_chars: int = 12
    max_chars: int = 5000
    bot_logins: tuple[str, ...] = ()
    keep_replies: bool = False
    drop_pr_author_comments: bool = True
    english_only: bool = False
    language_min_letters: int = 25
    language_min_confidence: float = 0.9
    bot_author_hashes: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        hashes = frozenset(hash_login(login) for login in self.bot_logins)
        object.__setattr__(self, "bot_author_hashes", hashes)


@dataclass(frozen=True)
class CommentView:
    """What the rules read of a comment: its cleaned text and who wrote it where."""

    text: str
    author: str | None
    author_type: str
    in_reply_to_id: int | None
    pr_author: str | None


Rule = Callable[[CommentView, RuleSettings], str | None]


def bot_author(comment: CommentView, settings: RuleSettings) -> str | None:
    if comment.author_type == "Bot" or comment.author in settings.bot_author_hashes:
        return "bot_author"
    return None


def empty_body(comment: CommentView, settings: RuleSettings) -> str | None:
    return "empty_body" if not comment.text.strip() else None


def too_long(comment: CommentView, settings: RuleSettings) -> str | None:
    return "too_long" if len(comment.text) > settings.max_chars else None


def emoji_only(comment: CommentView, settings: RuleSettings) -> str | None:
    return "emoji_only" if is_symbolic(comment.text) else None


def pure_quote(comment: CommentView, settings: RuleSettings) -> str | None:
    lines = [line for line in comment.text.splitlines() if line.strip()]
    return (
        "pure_quote"
        if lines and all(line.lstrip().startswith(">") for line in lines)
        else None
    )


def acknowledgement(comment: CommentView, settings: RuleSettings) -> str | None:
    text = " ".join(comment.text.split())
    return "acknowledgement" if _ACKNOWLEDGEMENT.match(text) else None


def pr_author(comment: CommentView, settings: RuleSettings) -> str | None:
    """The PR's author answering a reviewer (or annotating their own change)."""
    if not settings.drop_pr_author_comments or comment.pr_author is None:
        return None
    if comment.author != comment.pr_author:
        return None
    return "pr_author_reply" if comment.in_reply_to_id is not None else "pr_author_note"


def reply(comment: CommentView, settings: RuleSettings) -> str | None:
    """Replies stay as thread context of their parent, not as targets."""
    if comment.in_reply_to_id is not None and not settings.keep_replies:
        return "reply"
    return None


def too_short(comment: CommentView, settings: RuleSettings) -> str | None:
    return "too_short" if len(comment.text) < settings.min_chars else None


def non_english(comment: CommentView, settings: RuleSettings) -> str | None:
    if not settings.english_only:
        return None
    text = prose(comment.text)
    if sum(len(word) for word in words(text)) < settings.language_min_letters:
        return None  # too little prose to tell; code-only comments stay
    language, confidence = _IDENTIFIER.classify(text)
    if language != "en" and confidence >= settings.language_min_confidence:
        return "non_english"
    return None


_IDENTIFIER = py3langid.langid.LanguageIdentifier.from_model_file(
    py3langid.langid.MODEL_FILE, norm_probs=True
)

RULES: tuple[Rule, ...] = (
    bot_author,
    empty_body,
    too_long,
    emoji_only,
    pure_quote,
    acknowledgement,
    pr_author,
    reply,
    too_short,
    non_english,
)


@dataclass(frozen=True)
class Decision:
    keep: bool
    reason: str | None
    trail: tuple[str, ...]


def apply_rules(
    comment: CommentView, settings: RuleSettings, rules: Iterable[Rule] = RULES
) -> Decision:
    """Run the rules in order; the first drop decides. The trail names each check."""
    trail = []
    for rule in rules:
        reason = rule(comment, settings)
        if reason is not None:
            trail.append(f"{rule.__name__}:drop")
            return Decision(False, reason, tuple(trail))
        trail.append(f"{rule.__name__}:pass")
    return Decision(True, None, tuple(trail))


def view_of(row: dict[str, Any], text: str, pr_author: str | None) -> CommentView:
    return CommentView(
        text=text,
        author=row.get("author"),
        author_type=row.get("author_type") or "Unknown",
        in_reply_to_id=row.get("in_reply_to_id"),
        pr_author=pr_author,
    )
