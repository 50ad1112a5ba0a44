"""Each QC rule drops one crafted record for its reason; a clean record passes."""

from __future__ import annotations

from typing import Any

import pytest

from prreview.curate.qc import (
    REASONS,
    QCLimits,
    apply_checks,
    check_chat,
    check_completion,
)


def chat(*turns: tuple[str, Any]) -> dict[str, Any]:
    return {
        "messages": [{"role": role, "content": content} for role, content in turns],
        "metadata": {"source": "test"},
    }


CLEAN = chat(
    ("system", "You review code."),
    ("user", "Diff:\n@@ -1 +1 @@\n1 +x = 1"),
    ("assistant", '<comment path="a.py" side="RIGHT" lines="1">\nName it.\n</comment>'),
)
LIMITS = QCLimits(min_tokens=10, max_tokens=200)


def test_clean_record_passes() -> None:
    assert check_chat(CLEAN, LIMITS) is None


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ({"metadata": {}}, "missing_messages"),
        ({"messages": []}, "missing_messages"),
        ({"messages": ["user: hi"]}, "broken_structure"),
        (chat(("user", "a question"), ("bot", "an answer")), "unknown_role"),
        (chat(("user", "a question"), ("assistant", "   \n")), "empty_turn"),
        (
            chat(("user", "question"), ("user", "again"), ("assistant", "x")),
            "broken_structure",
        ),
        (
            chat(("user", "a question"), ("assistant", "ok"), ("user", "more")),
            "broken_structure",
        ),
        (
            chat(("assistant", "hello there"), ("user", "a question")),
            "broken_structure",
        ),
        (chat(("system", "s"), ("user", "only a question")), "broken_structure"),
        (
            chat(("user", "Fix  the Bug"), ("assistant", "fix the bug ")),
            "answer_equals_prompt",
        ),
        (chat(("user", "hi"), ("assistant", "yo")), "too_short"),
        (chat(("user", "x" * 300), ("assistant", "an answer")), "too_long"),
        (chat(("user", [{"type": "image_url"}]), ("assistant", "a cat")), "non_text"),
        (chat(("user", "binary\x00data here"), ("assistant", "an answer")), "non_text"),
        (chat(("user", "bad \udc80 decode"), ("assistant", "an answer")), "non_text"),
        (
            chat(("user", "\x1b[31m" * 20 + "ok"), ("assistant", "an answer")),
            "non_text",
        ),
    ],
)
def test_each_rule_drops_its_record(record: dict[str, Any], reason: str) -> None:
    assert reason in REASONS
    assert check_chat(record, LIMITS) == reason


def test_token_counter_is_used_instead_of_characters() -> None:
    words = chat(("user", "one two three four"), ("assistant", "five six"))
    count = lambda text: len(text.split())  # noqa: E731
    assert check_chat(words, QCLimits(min_tokens=7), count) == "too_short"
    assert check_chat(words, QCLimits(min_tokens=6, max_tokens=6), count) is None
    assert check_chat(words, QCLimits(max_tokens=5), count) == "too_long"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("<fim_prefix>def f():<fim_suffix>\n<fim_middle>    return 1", None),
        (" \n\t", "empty_text"),
        ("ab", "too_short"),
        ("y" * 500, "too_long"),
        (b"bytes", "non_text"),
        ("a\x00b" * 10, "non_text"),
    ],
)
def test_completion_rules(text: object, reason: str | None) -> None:
    assert check_completion(text, LIMITS) == reason


def test_apply_checks_counts_by_reason() -> None:
    records = [CLEAN, chat(("user", "hi"), ("assistant", "yo")), {"messages": []}]
    kept, dropped = apply_checks(records, lambda r: check_chat(r, LIMITS))
    assert kept == [CLEAN]
    assert dropped == {"too_short": 1, "missing_messages": 1}
