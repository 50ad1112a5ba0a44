"""Token counts with the bundled tokenizer: text without special tokens, chats
through the chat template."""

from __future__ import annotations

from pathlib import Path

from prreview.curate.tokens import chat_tokens, text_tokens


def test_counts(bundled_model_dir: Path) -> None:
    from transformers import AutoTokenizer  # noqa: PLC0415

    tokenizer = AutoTokenizer.from_pretrained(bundled_model_dir)
    assert text_tokens(tokenizer, "") == 0
    assert text_tokens(tokenizer, "hello world") == len(
        tokenizer.encode("hello world", add_special_tokens=False)
    )
    chat = [{"role": "user", "content": "hello world"}]
    rendered = tokenizer.apply_chat_template(chat, tokenize=False)
    assert chat_tokens(tokenizer, chat) == len(
        tokenizer.encode(rendered, add_special_tokens=False)
    )
    assert chat_tokens(tokenizer, chat) > text_tokens(tokenizer, "hello world")
