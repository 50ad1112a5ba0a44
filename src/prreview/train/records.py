"""SFT chat records in the form trl trains on the assistant turn only.

The dataset pipeline writes ``{"messages": [system, user, assistant], "metadata":
...}``. trl 1.16 masks the loss to the completion for conversational
prompt/completion records, so each record becomes ``{"prompt": [system, user],
"completion": [assistant]}``: the prompt is everything before the last assistant
turn. Lengths are measured with the base model's chat template exactly as trl
tokenizes them, so what is dropped here as too long is what trl would have cut.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from prreview.curate.tokens import chat_tokens

logger = logging.getLogger(__name__)

Example = dict[str, list[dict[str, str]]]
_ROLES = {"system", "user", "assistant", "tool"}


@dataclass
class PreparedRecords:
    """Examples that fit, their token lengths, and what was dropped and why."""

    examples: list[Example]
    lengths: list[int]
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def tokens(self) -> int:
        return sum(self.lengths)


def to_prompt_completion(record: Mapping[str, Any], index: int = 0) -> Example:
    """One SFT record as a conversational prompt/completion example.

    Records already in that form pass through; anything else is an error that names
    the record, since a malformed record means a bug upstream, not noise to skip.
    """
    if "prompt" in record and "completion" in record:
        prompt, completion = list(record["prompt"]), list(record["completion"])
    else:
        messages = record.get("messages")
        if not isinstance(messages, Sequence) or isinstance(messages, str):
            raise ValueError(f"record {index}: no 'messages' list")
        messages = [_message(item, index) for item in messages]
        last = max(
            (i for i, item in enumerate(messages) if item["role"] == "assistant"),
            default=None,
        )
        if last is None:
            raise ValueError(f"record {index}: no assistant message to learn")
        prompt, completion = messages[:last], messages[last : last + 1]
    prompt = [_message(item, index) for item in prompt]
    completion = [_message(item, index) for item in completion]
    if not prompt:
        raise ValueError(f"record {index}: nothing before the assistant message")
    if len(completion) != 1 or completion[0]["role"] != "assistant":
        raise ValueError(f"record {index}: the completion must be one assistant turn")
    if not completion[0]["content"].strip():
        raise ValueError(f"record {index}: the assistant message is empty")
    return {"prompt": prompt, "completion": completion}


def _message(item: Any, index: int) -> dict[str, str]:
    if not isinstance(item, Mapping) or item.get("role") not in _ROLES:
        raise ValueError(f"record {index}: bad message {item!r:.80}")
    content = item.get("content")
    if not isinstance(content, str):
        raise ValueError(f"record {index}: message content must be a string")
    return {"role": str(item["role"]), "content": content}


def token_length(tokenizer: Any, example: Example) -> int:
    """Tokens trl will feed for this example (prompt + completion, chat template)."""
    return chat_tokens(tokenizer, example["prompt"] + example["completion"])


def coverage_length(lengths: Sequence[int], coverage: float) -> int:
    """The smallest length that covers ``coverage`` of the records, rounded up to a
    multiple of 8 (tensor-friendly)."""
    if not lengths:
        raise ValueError("no records to measure")
    ordered = sorted(lengths)
    position = max(0, math.ceil(coverage * len(ordered)) - 1)
    return int(math.ceil(ordered[position] / 8) * 8)


def measure(
    records: Iterable[Mapping[str, Any]], tokenizer: Any, name: str = "train"
) -> tuple[list[Example], list[int]]:
    """Convert and measure every record (errors name the record)."""
    examples = [to_prompt_completion(item, index) for index, item in enumerate(records)]
    lengths = [token_length(tokenizer, example) for example in examples]
    logger.info(
        "%s: %d records, %d tokens (longest %d)",
        name,
        len(examples),
        sum(lengths),
        max(lengths, default=0),
    )
    return examples, lengths


def fit_length(
    examples: Sequence[Example], lengths: Sequence[int], max_length: int, name: str
) -> PreparedRecords:
    """Keep the examples of at most ``max_length`` tokens; count the rest."""
    kept = PreparedRecords([], [], Counter(records_in=len(examples)))
    for example, length in zip(examples, lengths, strict=True):
        if length > max_length:
            kept.counts["dropped_too_long"] += 1
            continue
        kept.examples.append(example)
        kept.lengths.append(length)
    kept.counts["records_kept"] = len(kept.examples)
    if kept.counts["dropped_too_long"]:
        logger.warning(
            "%s: dropped %d of %d records longer than max_length=%d tokens",
            name,
            kept.counts["dropped_too_long"],
            len(examples),
            max_length,
        )
    return kept
