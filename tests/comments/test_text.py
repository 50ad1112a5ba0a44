"""Chatter stripping and identifier spotting for the summarizer."""

from __future__ import annotations

import pytest

from prreview.comments.text import code_identifiers, strip_chatter


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Hi @alice, rename `foo` please. Thanks!", "Rename `foo` please."),
        ("hey team: this leaks. Thank you so much", "This leaks."),
        ("See [the docs](https://d.io/x) for `open`.", "See the docs for `open`."),
        ("Fix it. See https://example.com/a(b).", "Fix it."),
        ("cf. https://x.y/z: this breaks", "This breaks"),
        ("Looks off, thanks!", "Looks off"),
        ("A party", "A party"),
        ("Thanks, but `x` leaks", "Thanks, but `x` leaks"),
        ("ping @octo-org/core", "Ping"),
        (
            "`@decorator` and `user@example.com` stay",
            "`@decorator` and `user@example.com` stay",
        ),
        (
            "Use:\n\n\n\n```suggestion\nx = 1 @y\n```",
            "Use:\n\n```suggestion\nx = 1 @y\n```",
        ),
        ("", ""),
    ],
)
def test_strip_chatter(raw: str, expected: str) -> None:
    assert strip_chatter(raw) == expected


def test_code_identifiers_in_order_without_duplicates() -> None:
    text = "Call `self.parse()` not `parse`; `x` and `Foo::bar` too, `parse` again"
    assert code_identifiers(text) == ["self.parse", "parse", "Foo::bar"]
    assert code_identifiers("no code here") == []
