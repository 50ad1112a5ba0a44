"""Token counts with a base model's tokenizer, the one way every stage measures:
plain text without special tokens, and a conversation through the chat template
(what the trainer feeds). Nothing heavy is imported here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def text_tokens(tokenizer: Any, text: str) -> int:
    """Tokens of ``text`` alone (no BOS/EOS)."""
    return len(tokenizer([text], add_special_tokens=False)["input_ids"][0])


def chat_tokens(tokenizer: Any, messages: Sequence[Mapping[str, str]]) -> int:
    """Tokens of a conversation rendered with the tokenizer's chat template."""
    encoded = tokenizer.apply_chat_template(
        [dict(m) for m in messages], tokenize=True, return_dict=True
    )
    return len(encoded["input_ids"])
