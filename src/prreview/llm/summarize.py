"""Rewrite kept review comments into short, self-contained, actionable critiques.

The prompt is a template (system and user text with ``{field}`` slots) that lives in
a file in conf, so it can be tuned per environment without touching code. Each answer
goes through :func:`check_summary`: a summary that is empty, cut off, a refusal, an
echo of the prompt, longer than what it summarizes, or that lost every code
identifier the reviewer named is not used; the comment keeps its own text (with the
chatter stripped) and says why. A request that fails after the backend's retries is
handled the same way, so one bad item never stops a run.
"""

from __future__ import annotations

import hashlib
import logging
import re
import string
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

from prreview.comments.text import (
    clean_body,
    code_identifiers,
    prose,
    strip_chatter,
    words,
)
from prreview.llm.backends import ChatBackend
from prreview.llm.client import ChatClientError, ChatRequest, ChatResult

logger = logging.getLogger(__name__)

PROMPT_FIELDS = ("comment", "path", "language", "code", "repo")
SummarySource = Literal["llm", "original"]

_LABEL = re.compile(
    r"^\s*(?:\*\*)?(?:rewritten(?: review)?(?: comment)?|critique|summary|"
    r"concise(?: critique| comment)?|review(?: comment)?|answer|output)"
    r"(?:\*\*)?\s*:\s*",
    re.IGNORECASE,
)
_REFUSAL = re.compile(
    r"^\s*(?:i'?m sorry|i am sorry|sorry, i|i cannot|i can'?t|as an ai\b|"
    r"i'?m unable|i am unable)",
    re.IGNORECASE,
)


class PromptTemplateError(ValueError):
    """The summarize prompt file is missing a part or uses an unknown field."""


@dataclass(frozen=True)
class SummaryPrompt:
    """System and user templates; the user template must place ``{comment}``."""

    system: str
    user: str

    def __post_init__(self) -> None:
        for part in ("system", "user"):
            text = getattr(self, part)
            if not isinstance(text, str) or not text.strip():
                raise PromptTemplateError(f"the prompt's {part} text is empty")
            for field in _fields(text):
                if field not in PROMPT_FIELDS:
                    raise PromptTemplateError(
                        f"unknown field {{{field}}} in the prompt's {part} text; "
                        f"known: {', '.join(PROMPT_FIELDS)}"
                    )
        if "comment" not in _fields(self.user):
            raise PromptTemplateError("the prompt's user text must contain {comment}")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> SummaryPrompt:
        """From the loaded template file (``system:`` and ``user:`` keys)."""
        if not isinstance(data, Mapping):
            raise PromptTemplateError("the prompt file must be a mapping")
        unknown = set(data) - {"system", "user"}
        if unknown:
            raise PromptTemplateError(f"unknown prompt keys: {sorted(unknown)}")
        return cls(system=data.get("system", ""), user=data.get("user", ""))

    @property
    def digest(self) -> str:
        """Short hash of the template, recorded with every summary."""
        blob = f"{self.system}\x00{self.user}".encode()
        return hashlib.sha256(blob).hexdigest()[:12]

    def messages(self, item: CommentToSummarize) -> list[dict[str, str]]:
        values = {
            "comment": item.prepared,
            "path": item.path,
            "language": item.language,
            "code": item.code,
            "repo": item.repo,
        }
        return [
            {"role": "system", "content": self.system.format_map(values).strip()},
            {"role": "user", "content": self.user.format_map(values).strip()},
        ]

    @property
    def fixed_lines(self) -> tuple[str, ...]:
        """Lines of the templates without fields: a small model likes to repeat
        them after its answer, and :func:`check_summary` cuts them off."""
        lines = f"{self.system}\n{self.user}".splitlines()
        return tuple(
            line.strip()
            for line in lines
            if len(line.strip()) >= 12 and not _fields(line)
        )


def _fields(template: str) -> set[str]:
    try:
        return {
            name
            for _, name, _, _ in string.Formatter().parse(template)
            if name is not None
        }
    except ValueError as exc:  # an unmatched brace
        raise PromptTemplateError(f"invalid prompt template: {exc}") from None


@dataclass(frozen=True)
class CommentToSummarize:
    """A kept comment with the little context the prompt shows."""

    id: int
    body: str
    path: str = ""
    language: str = ""
    code: str = ""
    repo: str = ""

    @property
    def prepared(self) -> str:
        """The comment as the model sees it, and the fallback text."""
        return strip_chatter(clean_body(self.body))


@dataclass(frozen=True)
class Summary:
    """A critique for one comment; ``source`` says whether the model wrote it."""

    id: int
    text: str
    source: SummarySource
    reason: str | None
    original: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SummarizeSettings:
    max_tokens: int = 96
    temperature: float = 0.0
    stop: tuple[str, ...] = ("\n\n",)
    concurrency: int | None = None
    chunk_size: int = 32
    skip_below_chars: int = 0
    max_length_ratio: float = 1.5
    min_length_allowance: int = 160
    min_word_overlap: float = 0.5


@dataclass
class SummarizeRun:
    """Summaries in input order and the counts a report needs."""

    summaries: list[Summary]
    counts: Counter[str]


def check_summary(
    answer: ChatResult,
    item: CommentToSummarize,
    settings: SummarizeSettings,
    echo_lines: Sequence[str] = (),
) -> tuple[str, str | None]:
    """The cleaned summary and ``None``, or ``("", reason)`` when it cannot be used.

    ``echo_lines`` (the prompt's fixed lines) are cut from the answer with anything
    after them. Identifiers in the summary's code spans must come from the comment or
    its code; a summary that names others made them up.
    """
    original = item.prepared
    text = _cut_echo(answer.text, echo_lines)
    echoed = bool(answer.text.strip()) and not text.strip()
    text = _LABEL.sub("", text.strip(), count=1).strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1].strip()
    text = strip_chatter(text)
    identifiers = code_identifiers(original)
    known = f"{original}\n{item.code}"
    limit = max(
        len(original) * settings.max_length_ratio, settings.min_length_allowance
    )
    problems = (
        ("echoed_prompt", lambda: echoed),
        ("empty", lambda: not text),
        ("truncated", lambda: answer.finish_reason == "length"),
        ("truncated", lambda: text.count("```") % 2 == 1),
        ("refusal", lambda: bool(_REFUSAL.match(text))),
        ("longer_than_original", lambda: len(text) > limit),
        (
            "lost_identifiers",
            lambda: bool(identifiers) and not any(n in text for n in identifiers),
        ),
        (
            "off_topic",
            lambda: _word_overlap(text, original) < settings.min_word_overlap,
        ),
        (
            "invented_identifiers",
            lambda: any(n not in known for n in code_identifiers(text)),
        ),
    )
    for reason, found in problems:
        if found():
            return "", reason
    return text, None


def _content_words(text: str) -> set[str]:
    return {word.lower() for word in words(prose(text)) if len(word) >= 4}


def _word_overlap(summary: str, original: str) -> float:
    """Share of the summary's content words that the reviewer used: a small model
    that wanders off writes about something else entirely."""
    said = _content_words(summary)
    if not said:
        return 1.0
    return len(said & _content_words(original)) / len(said)


def _cut_echo(text: str, echo_lines: Sequence[str]) -> str:
    lowered = text.lower()
    cut = len(text)
    for line in echo_lines:
        found = lowered.find(line.lower())
        if found != -1:
            cut = min(cut, found)
    return text[:cut]


def summarize_comments(
    items: Sequence[CommentToSummarize],
    backend: ChatBackend,
    prompt: SummaryPrompt,
    settings: SummarizeSettings | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SummarizeRun:
    """Summaries for ``items`` in order, asked in chunks of ``chunk_size`` so the
    progress callback (done, total) moves and the cache fills as the run goes."""
    settings = settings or SummarizeSettings()
    counts: Counter[str] = Counter()
    summaries: list[Summary] = []
    for start in range(0, len(items), settings.chunk_size):
        chunk = items[start : start + settings.chunk_size]
        summaries.extend(_summarize_chunk(chunk, backend, prompt, settings, counts))
        if progress is not None:
            progress(len(summaries), len(items))
    counts["comments"] = len(items)
    return SummarizeRun(summaries=summaries, counts=counts)


def _summarize_chunk(
    chunk: Sequence[CommentToSummarize],
    backend: ChatBackend,
    prompt: SummaryPrompt,
    settings: SummarizeSettings,
    counts: Counter[str],
) -> list[Summary]:
    prepared = [item.prepared for item in chunk]
    ask = [
        i
        for i, text in enumerate(prepared)
        if text and len(text) >= settings.skip_below_chars
    ]
    requests = [
        ChatRequest(
            messages=prompt.messages(chunk[i]),
            max_tokens=settings.max_tokens,
            temperature=settings.temperature,
            stop=settings.stop or None,
        )
        for i in ask
    ]
    answers = dict(zip(ask, backend.complete_each_sync(requests, settings.concurrency)))
    out: list[Summary] = []
    for index, item in enumerate(chunk):
        original = prepared[index]
        answer = answers.get(index)
        if answer is None:
            reason = "empty_comment" if not original else "already_concise"
            out.append(Summary(item.id, original, "original", reason, original))
        elif isinstance(answer, ChatClientError):
            cause = getattr(answer, "last_cause", None) or "refused"
            reason = f"request_failed:{cause}"
            logger.warning("Comment %d keeps its text: %s", item.id, answer)
            out.append(Summary(item.id, original, "original", reason, original))
        else:
            text, reason = check_summary(answer, item, settings, prompt.fixed_lines)
            out.append(
                Summary(
                    id=item.id,
                    text=text or original,
                    source="llm" if reason is None else "original",
                    reason=reason,
                    original=original,
                    prompt_tokens=answer.prompt_tokens,
                    completion_tokens=answer.completion_tokens,
                    cached=answer.cached,
                )
            )
        if out[-1].source == "llm" and out[-1].text == original:
            counts["llm_unchanged"] += 1
        counts[f"source:{out[-1].source}"] += 1
        if out[-1].reason is not None:
            counts[f"reason:{out[-1].reason}"] += 1
    return out
