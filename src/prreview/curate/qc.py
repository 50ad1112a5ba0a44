"""Quality control: keep or drop one record, and say why in a short stable string.

One check per concept, each answering with a reason from :data:`REASONS` (or None to
keep), so the dataset card can count drops by reason. The checks run cheapest first;
a record is reported under the first rule it breaks.

Lengths are in tokens when the caller hands in a counter (the base model's tokenizer,
created once), else in characters, so QC also works where no tokenizer is loaded.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar, cast

logger = logging.getLogger(__name__)

T = TypeVar("T")

MISSING_MESSAGES = "missing_messages"
BROKEN_STRUCTURE = "broken_structure"
UNKNOWN_ROLE = "unknown_role"
NON_TEXT = "non_text"
EMPTY_TURN = "empty_turn"
EMPTY_TEXT = "empty_text"
ANSWER_EQUALS_PROMPT = "answer_equals_prompt"
TOO_SHORT = "too_short"
TOO_LONG = "too_long"
REASONS = (
    MISSING_MESSAGES,
    BROKEN_STRUCTURE,
    UNKNOWN_ROLE,
    NON_TEXT,
    EMPTY_TURN,
    EMPTY_TEXT,
    ANSWER_EQUALS_PROMPT,
    TOO_SHORT,
    TOO_LONG,
)
ROLES = ("system", "user", "assistant")

# C0 controls other than tab, newline and carriage return; DEL; C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

TokenCounter = Callable[[str], int]


@dataclass(frozen=True)
class QCLimits:
    """Length bounds over a record's whole text (all turns), in tokens when a token
    counter is given, else characters; ``max_control_fraction`` is the share of
    control characters above which text is taken for binary (any NUL is)."""

    min_tokens: int = 1
    max_tokens: int | None = None
    max_control_fraction: float = 0.001


def _non_text(text: object, limits: QCLimits) -> bool:
    if not isinstance(text, str):
        return True
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates from a bad decode
        return True
    controls = len(_CONTROL.findall(text))
    return controls > limits.max_control_fraction * max(len(text), 1)


def _length(text: str, count_tokens: TokenCounter | None) -> int:
    return len(text) if count_tokens is None else count_tokens(text)


def _length_reason(
    text: str, limits: QCLimits, count_tokens: TokenCounter | None
) -> str | None:
    length = _length(text, count_tokens)
    if length < limits.min_tokens:
        return TOO_SHORT
    if limits.max_tokens is not None and length > limits.max_tokens:
        return TOO_LONG
    return None


def _normalized(text: str) -> str:
    return " ".join(text.split()).casefold()


def _structure(roles: list[str]) -> bool:
    """System first (optional), then user/assistant alternating, assistant last."""
    body = roles[1:] if roles and roles[0] == "system" else roles
    if len(body) < 2 or body[-1] != "assistant":
        return False
    return all(role == ("user", "assistant")[i % 2] for i, role in enumerate(body))


def check_chat(
    record: Mapping[str, Any],
    limits: QCLimits = QCLimits(),
    count_tokens: TokenCounter | None = None,
) -> str | None:
    """Why a chat SFT record (``{"messages": [...], ...}``) should be dropped, or None.

    The length is measured over the turns' contents joined by newlines; a chat
    template adds a few tokens a turn, which the limits should leave room for.
    """
    messages = record.get("messages") if isinstance(record, Mapping) else None
    reason = _shape_reason(messages, limits)
    if reason is not None:
        return reason
    contents = [message["content"] for message in cast(list[Any], messages)]
    if _normalized(contents[-1]) == _normalized(contents[-2]):
        return ANSWER_EQUALS_PROMPT
    return _length_reason("\n".join(contents), limits, count_tokens)


def _shape_reason(messages: object, limits: QCLimits) -> str | None:
    """Missing, malformed, non-text or empty turns, in that order."""
    if not isinstance(messages, list) or not messages:
        return MISSING_MESSAGES
    if not all(isinstance(message, Mapping) for message in messages):
        return BROKEN_STRUCTURE
    roles = [message.get("role") for message in messages]
    if any(role not in ROLES for role in roles):
        return UNKNOWN_ROLE
    contents = [message.get("content") for message in messages]
    if any(_non_text(content, limits) for content in contents):
        return NON_TEXT
    if any(not content.strip() for content in contents):
        return EMPTY_TURN
    return None if _structure(roles) else BROKEN_STRUCTURE


def check_completion(
    text: object,
    limits: QCLimits = QCLimits(),
    count_tokens: TokenCounter | None = None,
) -> str | None:
    """Why a completion-style text (a FIM example, a token window) should be
    dropped, or None."""
    if not isinstance(text, str) or _non_text(text, limits):
        return NON_TEXT
    if not text.strip():
        return EMPTY_TEXT
    return _length_reason(text, limits, count_tokens)


def apply_checks(
    records: Iterable[T], check: Callable[[T], str | None], name: str = "records"
) -> tuple[list[T], Counter[str]]:
    """The records that pass ``check`` and the drops counted by reason (logged)."""
    kept: list[T] = []
    dropped: Counter[str] = Counter()
    for record in records:
        reason = check(record)
        if reason is None:
            kept.append(record)
        else:
            dropped[reason] += 1
    logger.info(
        "qc %s: %d kept, %d dropped %s",
        name,
        len(kept),
        sum(dropped.values()),
        dict(sorted(dropped.items())),
    )
    return kept, dropped
