"""The chat-log importer on each real export shape and on malformed files."""

from __future__ import annotations

from pathlib import Path

import pytest

from prreview.curate.chatlogs import (
    ChatLogFormatError,
    conversations_to_records,
    load_chatlog,
)
from prreview.schemas import SFTRecord

FIXTURES = Path(__file__).parent / "chatlogs"
SYSTEM = "You review code."


def roles(record: dict) -> list[str]:
    return [message["role"] for message in record["messages"]]


def test_claude_export_merges_turns_and_drops_unanswered() -> None:
    result = load_chatlog(FIXTURES / "claude_conversations.json", system_prompt=SYSTEM)
    (record,) = result.records
    SFTRecord.model_validate(record)
    assert roles(record) == ["system", "user", "assistant"]
    assert record["messages"][0]["content"] == SYSTEM
    assert record["messages"][1]["content"].endswith("Here is the file.")
    assert "borrows the source text" in record["messages"][2]["content"]
    assert "thinking" not in record["messages"][2]["content"]
    assert record["metadata"] == {
        "source": "chatlog",
        "format": "claude",
        "conversation": "5c1f6a1e-0b7e-4c65-9a43-2f1d8e0b7a11",
        "repo": None,
    }
    assert result.counts["turn_merged"] == 1
    assert result.counts["turn_non_text_block"] == 1
    assert result.counts["conversation_no_exchange"] == 1


def test_chatgpt_export_follows_current_node_and_skips_tools() -> None:
    result = load_chatlog(FIXTURES / "chatgpt_conversations.json", repo="acme/app")
    (record,) = result.records
    SFTRecord.model_validate(record)
    texts = [message["content"] for message in record["messages"]]
    assert roles(record) == ["system", "user", "assistant", "user", "assistant"]
    assert "An abandoned answer" not in " ".join(texts)
    assert texts[2].startswith("Yes: insertion order")
    assert texts[3] == "And what does this screenshot show?"
    assert record["metadata"]["conversation"] == "6633f0c0-1234-5678-9abc-def012345678"
    assert record["metadata"]["repo"] == "acme/app"
    assert result.counts["turn_tool"] == 2
    assert result.counts["turn_non_text_part"] == 1


def test_sharegpt_json_keeps_own_system_prompt_when_none_configured() -> None:
    result = load_chatlog(FIXTURES / "sharegpt.json", system_prompt=None)
    (record,) = result.records
    SFTRecord.model_validate(record)
    assert record["messages"][0] == {
        "role": "system",
        "content": "You are a code reviewer.",
    }
    assert roles(record)[1:] == ["user", "assistant", "user", "assistant"]
    assert record["messages"][3]["content"] == "Which one?\n\nIt's a file read."
    assert result.counts["conversation_no_exchange"] == 1
    assert result.counts["turn_empty"] == 1


def test_sharegpt_jsonl_and_configured_prompt_replaces_own() -> None:
    result = load_chatlog(FIXTURES / "sharegpt.jsonl", system_prompt=SYSTEM)
    assert [r["metadata"]["conversation"] for r in result.records] == [
        "sgl-1",
        "sgl-2",
    ]
    assert all(r["messages"][0]["content"] == SYSTEM for r in result.records)
    own = load_chatlog(FIXTURES / "sharegpt.json", system_prompt=SYSTEM)
    assert own.counts["system_replaced"] == 1


def test_messages_jsonl_text_parts_and_non_text_turns() -> None:
    result = load_chatlog(FIXTURES / "messages.jsonl", system_prompt=SYSTEM)
    assert len(result.records) == 2
    assert result.records[0]["metadata"]["conversation"] == "m-1"
    assert result.records[1]["messages"][1]["content"] == "What is in this image?"
    assert result.counts["turn_non_text"] == 1
    assert result.counts["conversation_no_exchange"] == 1
    assert result.counts["conversations_in"] == 3


@pytest.mark.parametrize("name", ["malformed.json", "broken.jsonl"])
def test_unrecognized_or_broken_file_names_the_file(name: str) -> None:
    with pytest.raises(ChatLogFormatError, match=name):
        load_chatlog(FIXTURES / name)


def test_mixed_shapes_in_one_file_are_counted_not_crashed() -> None:
    conversations = [
        {
            "messages": [
                {"role": "user", "content": "a"},
                {"role": "assistant", "content": "b"},
            ]
        },
        {"conversations": [{"from": "human", "value": "x"}]},
    ]
    result = conversations_to_records(conversations)
    assert len(result.records) == 1
    assert result.counts["conversation_malformed"] == 1


def test_a_claude_message_with_only_blank_text_is_an_empty_turn() -> None:
    blank = {"sender": "human", "text": "", "content": [{"type": "text", "text": " "}]}
    image = {"sender": "human", "text": "", "content": [{"type": "image"}]}
    result = conversations_to_records([{"chat_messages": [blank, image]}])
    assert result.counts["turn_empty"] == 1
    assert result.counts["turn_non_text"] == 1


def test_a_bad_jsonl_record_is_reported_at_its_line(tmp_path: Path) -> None:
    good = '{"messages": [{"role": "user", "content": "a"}]}'
    path = tmp_path / "log.jsonl"
    path.write_text(f'{good}\n\n{{"messages": [\n{good}\n')
    with pytest.raises(ChatLogFormatError, match=r"log\.jsonl: .*: line 3 column"):
        load_chatlog(path)


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "log.json"
    path.write_text(
        '[{"conversations": [{"from": "human", "value": "hi"},'
        ' {"from": "gpt", "value": "hello"}]}]',
        encoding="utf-8-sig",
    )
    assert len(load_chatlog(path).records) == 1
