"""Conversation logs exported from chat assistants, as chat SFT records.

Four shapes are read, recognised from the conversation objects themselves:

- ``claude``: Anthropic's export ``conversations.json``, a list of ``{uuid, name,
  chat_messages: [{sender: human|assistant, text, content: [{type, text}, ...]}]}``;
  text blocks are used, tool use, thinking and attachments are not.
- ``chatgpt``: OpenAI's export ``conversations.json``, a list of ``{title, mapping,
  current_node}``; the conversation is the path from ``current_node`` back to the
  root (the branch the user last saw), tool calls and non-text parts skipped.
- ``sharegpt``: ``{"conversations": [{"from": "human"|"gpt"|"system", "value"}]}``
  objects in a JSON list or JSON Lines.
- ``messages``: ``{"messages": [{"role", "content"}]}`` objects (OpenAI/TRL chat
  format), content a string or a list of ``{"type": "text", "text"}`` parts.

Consecutive turns of one role are merged, empty and non-text turns are skipped,
conversations without a user turn answered by an assistant are dropped; each is
counted. The configured system prompt replaces the log's own (system turns are
counted as replaced); with none configured the log's own system turn is kept.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

logger = logging.getLogger(__name__)

Format = Literal["claude", "chatgpt", "sharegpt", "messages"]
FORMATS: tuple[Format, ...] = ("claude", "chatgpt", "sharegpt", "messages")

DEFAULT_SYSTEM_PROMPT = "You are a helpful assistant for software engineering."

_SHAREGPT_ROLES = {
    "human": "user",
    "user": "user",
    "gpt": "assistant",
    "assistant": "assistant",
    "chatgpt": "assistant",
    "bing": "assistant",
    "bard": "assistant",
    "model": "assistant",
    "system": "system",
}
_CLAUDE_ROLES = {"human": "user", "user": "user", "assistant": "assistant"}
_CHAT_ROLES = {"system", "user", "assistant"}


class ChatLogFormatError(ValueError):
    """A chat log file is not one of the known export shapes."""


@dataclass
class ImportResult:
    """SFT records and counts (conversations in/out, skipped turns by reason)."""

    records: list[dict[str, Any]] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class _Turn:
    role: str
    content: object  # a str, or whatever non-text the log held


def detect_format(conversation: object) -> Format | None:
    """The shape of one conversation object, or None if unknown."""
    if not isinstance(conversation, Mapping):
        return None
    if isinstance(conversation.get("chat_messages"), list):
        return "claude"
    if isinstance(conversation.get("mapping"), Mapping):
        return "chatgpt"
    if isinstance(conversation.get("conversations"), list):
        return "sharegpt"
    if isinstance(conversation.get("messages"), list):
        return "messages"
    return None


def read_chatlog_file(path: Path) -> list[Any]:
    """The conversation objects of a ``.json`` (a list, or one object) or
    ``.jsonl`` file; :class:`ChatLogFormatError` naming the file if unreadable."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # a byte-order mark is allowed
    except UnicodeDecodeError as error:
        raise ChatLogFormatError(f"{path}: not valid JSON/JSONL: {error}") from error
    return parse_chatlog_text(str(path), text)


def parse_chatlog_text(name: str, text: str) -> list[Any]:
    """The conversation objects in the text of an export called ``name`` (JSON
    Lines when it ends with ``.jsonl``); the error names it."""
    if name.endswith(".jsonl"):
        records = []
        # Split on "\n" only, as editors number lines: str.splitlines would also
        # break a record at a raw U+2028 inside one of its strings.
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue  # blank lines are allowed between records
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as error:
                raise ChatLogFormatError(
                    f"{name}: not valid JSON/JSONL: {error.msg}: "
                    f"line {number} column {error.colno}"
                ) from error
        return records
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ChatLogFormatError(f"{name}: not valid JSON/JSONL: {error}") from error
    if isinstance(data, Mapping):
        # A single conversation, or a wrapper like {"conversations": [...chats]}.
        inner = data.get("conversations")
        if detect_format(data) is None or (
            isinstance(inner, list) and inner and detect_format(inner[0])
        ):
            data = inner if isinstance(inner, list) else [data]
        else:
            data = [data]
    if not isinstance(data, list):
        raise ChatLogFormatError(f"{name}: expected a list of conversations")
    return data


def _text_of_parts(parts: object) -> object:
    """Text parts joined; a non-text value back as it is (counted by the caller)."""
    if isinstance(parts, str):
        return parts
    if not isinstance(parts, list):
        return parts
    texts: list[str] = []
    for part in parts:
        if isinstance(part, str):
            texts.append(part)
        elif isinstance(part, Mapping) and part.get("type") == "text":
            texts.append(str(part.get("text", "")))
    return "\n\n".join(text for text in texts if text.strip()) if texts else parts


def _claude_turns(
    conversation: Mapping[str, Any], counts: Counter[str]
) -> Iterator[_Turn]:
    for message in conversation["chat_messages"]:
        role = _CLAUDE_ROLES.get(str(message.get("sender")))
        if role is None:
            counts["turn_unknown_role"] += 1
            continue
        blocks = message.get("content")
        if isinstance(blocks, list) and blocks:
            texts = [
                str(block.get("text", ""))
                for block in blocks
                if isinstance(block, Mapping) and block.get("type") == "text"
            ]
            counts["turn_non_text_block"] += len(blocks) - len(texts)
            # Only blank text blocks: an empty turn; no text block: a non-text one.
            content: object = (
                "\n\n".join(t for t in texts if t.strip()) if texts else None
            )
        else:
            content = message.get("text")
        yield _Turn(role, content)


def _chatgpt_path(conversation: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Nodes from the root to ``current_node`` (or, without one, the last child
    of each node from the root)."""
    mapping: Mapping[str, Any] = conversation["mapping"]
    node_id = conversation.get("current_node")
    path: list[Mapping[str, Any]] = []
    if node_id in mapping:
        seen: set[str] = set()
        while node_id is not None and node_id in mapping and node_id not in seen:
            seen.add(node_id)
            path.append(mapping[node_id])
            node_id = mapping[node_id].get("parent")
        return path[::-1]
    roots = [node for node in mapping.values() if node.get("parent") is None]
    node = roots[0] if roots else None
    while node is not None:
        path.append(node)
        children = node.get("children") or []
        node = mapping.get(children[-1]) if children else None
    return path


def _chatgpt_turns(
    conversation: Mapping[str, Any], counts: Counter[str]
) -> Iterator[_Turn]:
    for node in _chatgpt_path(conversation):
        message = node.get("message")
        if not isinstance(message, Mapping):
            continue  # the root
        role = (message.get("author") or {}).get("role")
        if role == "tool" or message.get("recipient", "all") != "all":
            counts["turn_tool"] += 1
            continue
        if role not in _CHAT_ROLES:
            counts["turn_unknown_role"] += 1
            continue
        content = message.get("content") or {}
        kind = content.get("content_type")
        if kind not in {"text", "multimodal_text"}:
            counts["turn_non_text"] += 1
            continue
        parts = content.get("parts") or []
        texts = [part for part in parts if isinstance(part, str)]
        counts["turn_non_text_part"] += len(parts) - len(texts)
        text = "\n\n".join(t for t in texts if t.strip())
        if role == "system" and not text:
            continue  # the hidden, empty system node every export starts with
        yield _Turn(role, text or (parts if len(texts) < len(parts) else ""))


def _sharegpt_turns(
    conversation: Mapping[str, Any], counts: Counter[str]
) -> Iterator[_Turn]:
    for turn in conversation["conversations"]:
        role = _SHAREGPT_ROLES.get(str(turn.get("from", "")).lower())
        if role is None:
            counts["turn_unknown_role"] += 1
            continue
        yield _Turn(role, turn.get("value"))


def _message_turns(
    conversation: Mapping[str, Any], counts: Counter[str]
) -> Iterator[_Turn]:
    for message in conversation["messages"]:
        role = message.get("role") if isinstance(message, Mapping) else None
        if role not in _CHAT_ROLES:
            counts["turn_unknown_role"] += 1
            continue
        yield _Turn(str(role), _text_of_parts(message.get("content")))


_READERS = {
    "claude": _claude_turns,
    "chatgpt": _chatgpt_turns,
    "sharegpt": _sharegpt_turns,
    "messages": _message_turns,
}


def _conversation_id(conversation: Mapping[str, Any], fallback: str) -> str:
    for name in ("uuid", "conversation_id", "id"):
        value = conversation.get(name)
        if value not in (None, ""):
            return str(value)
    metadata = conversation.get("metadata")
    if isinstance(metadata, Mapping) and metadata.get("id"):
        return str(metadata["id"])
    return fallback


def _messages(
    turns: Iterator[_Turn], system_prompt: str | None, counts: Counter[str]
) -> list[dict[str, str]]:
    merged: list[dict[str, str]] = []
    own_system: list[str] = []
    for turn in turns:
        if not isinstance(turn.content, str):
            counts["turn_non_text"] += 1
            continue
        if not turn.content.strip():
            counts["turn_empty"] += 1
            continue
        if turn.role == "system":
            own_system.append(turn.content.strip())
            continue
        if merged and merged[-1]["role"] == turn.role:
            merged[-1]["content"] += "\n\n" + turn.content.strip()
            counts["turn_merged"] += 1
        else:
            merged.append({"role": turn.role, "content": turn.content.strip()})
    while merged and merged[0]["role"] != "user":
        merged.pop(0)
        counts["turn_before_first_user"] += 1
    if merged and merged[-1]["role"] != "assistant":
        merged.pop()
        counts["turn_unanswered"] += 1
    if not merged:
        return []
    if system_prompt is not None:
        counts["system_replaced"] += bool(own_system)
        return [{"role": "system", "content": system_prompt}, *merged]
    if own_system:
        return [{"role": "system", "content": "\n\n".join(own_system)}, *merged]
    return merged


def conversations_to_records(
    conversations: Sequence[Any],
    *,
    source_name: str = "chatlog",
    system_prompt: str | None = DEFAULT_SYSTEM_PROMPT,
    repo: str | None = None,
    format: Format | None = None,
) -> ImportResult:
    """SFT records from parsed conversation objects of one export; the shape is
    detected from the first object unless ``format`` is given."""
    result = ImportResult()
    if not conversations:
        return result
    shape = format or detect_format(conversations[0])
    if shape is None:
        first = conversations[0]
        keys = sorted(first)[:8] if isinstance(first, Mapping) else type(first).__name__
        raise ChatLogFormatError(
            f"{source_name}: unrecognized chat log shape (first conversation has "
            f"{keys}); expected one of {', '.join(FORMATS)}"
        )
    read = _READERS[shape]
    for number, conversation in enumerate(conversations):
        result.counts["conversations_in"] += 1
        if detect_format(conversation) != shape:
            result.counts["conversation_malformed"] += 1
            continue
        messages = _messages(
            read(conversation, result.counts), system_prompt, result.counts
        )
        if not messages:
            result.counts["conversation_no_exchange"] += 1
            continue
        conversation_id = _conversation_id(conversation, f"{source_name}:{number}")
        result.records.append(
            {
                "messages": messages,
                "metadata": {
                    "source": "chatlog",
                    "format": shape,
                    "conversation": conversation_id,
                    "repo": repo,
                },
            }
        )
    result.counts["conversations_out"] = len(result.records)
    logger.info(
        "chat log %s (%s): %d conversations in, %d records; %s",
        source_name,
        shape,
        result.counts["conversations_in"],
        len(result.records),
        dict(sorted(result.counts.items())),
    )
    return result


def load_chatlog(
    path: Path,
    *,
    system_prompt: str | None = DEFAULT_SYSTEM_PROMPT,
    repo: str | None = None,
    format: Format | None = None,
) -> ImportResult:
    """:func:`conversations_to_records` for one exported file."""
    return conversations_to_records(
        read_chatlog_file(path),
        source_name=str(path),
        system_prompt=system_prompt,
        repo=repo,
        format=format,
    )
