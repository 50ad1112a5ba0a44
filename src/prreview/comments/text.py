"""Normalise review-comment bodies before any rule or model sees them.

Bodies arrive as GitHub stored them: markdown, sometimes HTML (bots love ``<details>``
and ``<!-- -->``), occasionally bytes that are not valid UTF-8 once decoded with
surrogate escapes. Every rule works on the same cleaned text.
"""

from __future__ import annotations

import html
import re
import unicodedata

_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
# Only tags GitHub renders as HTML: `List<String>` or `<T>` in prose are code.
_TAG = re.compile(
    r"</?(?:details|summary|p|div|span|sub|sup|img|a|b|i|em|strong|table|thead|tbody|"
    r"tr|td|th|ul|ol|li|h[1-6]|hr|blockquote|kbd|picture|source|code|pre)"
    r"(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)
_CODE_SEGMENT = re.compile(r"(```.*?(?:```|$)|`[^`\n]*`)", re.DOTALL)
_CODE_BLOCK = re.compile(r"```.*?(?:```|$)", re.DOTALL)
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_SUGGESTION = re.compile(r"```suggestion")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def clean_body(raw: object) -> str:
    """Text of a comment body: valid UTF-8, HTML comments and tags removed, entities
    decoded, outer whitespace trimmed. ``None`` and non-strings become ``""``."""
    if not isinstance(raw, str):
        return ""
    text = raw.encode("utf-8", errors="replace").decode("utf-8")
    text = text.replace("\r\n", "\n").replace("\x00", "")
    text = _HTML_COMMENT.sub("", text)
    # Code (``` blocks, `inline`) is kept verbatim: JSX and generics look like HTML.
    parts = _CODE_SEGMENT.split(text)
    for index in range(0, len(parts), 2):
        prose_part = _TAG.sub("", _BREAK.sub("\n", parts[index]))
        parts[index] = html.unescape(prose_part)
    return "".join(parts).strip()


def prose(text: str) -> str:
    """The words a reviewer wrote, without code blocks or inline code."""
    return _INLINE_CODE.sub(" ", _CODE_BLOCK.sub(" ", text))


def has_suggestion(text: str) -> bool:
    return bool(_SUGGESTION.search(text))


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def is_symbolic(text: str) -> bool:
    """Only emoji, punctuation, symbols and whitespace (no letters or digits)."""
    stripped = re.sub(r":[a-z0-9_+-]+:", "", text)  # GitHub :shortcodes:
    return all(
        unicodedata.category(char)[0] in "PSZC" or char in "\u200d\ufe0f"
        for char in stripped
    )


_MARKDOWN_LINK = re.compile(r"!?\[([^\]\n]*)\]\((?:[^()\s]|\([^()\s]*\))+\)")
_URL = re.compile(
    r"(?:\b(?:see|cf\.|ref|details|more)(?: here| at)?:?\s*)?"
    r"<?\bhttps?://(?:[^\s<>()]|\([^\s<>()]*\))*"
    r"(?:[^\s<>().,;:!?'\"]|\([^\s<>()]*\))>?",
    re.IGNORECASE,
)
_MENTION = re.compile(r"(?<![\w@/`.])@[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:/[\w.-]+)?")
_GREETING = re.compile(
    r"^\s*(?:(?:hi|hey|hello|heya|yo)(?:\s+(?:there|all|folks|team))?|"
    r"good (?:morning|afternoon|evening))\b[\s,!.:-]*",
    re.IGNORECASE,
)
_THANKS_TAIL = re.compile(
    r"(?:(?:^|[\s,;:-]+)(?:thanks?(?: you)?(?: (?:so|very) much)?(?: in advance)?|thx|"
    r"cheers|ty)[\s!.,:)]*(?:🙏|👍|:\))?\s*)$",
    re.IGNORECASE,
)
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:[.:]{1,2}[A-Za-z_]\w*)*")
_BLANK_LINES = re.compile(r"\n{3,}")
_ORPHAN_PUNCTUATION = re.compile(r"(?<=[.!?])[ \t]*[.,;:]+|[ \t]+(?P<mark>[.,;:!?])")
_INLINE_SPACES = re.compile(r"[ \t]{2,}")


def strip_chatter(text: str) -> str:
    """The request in a comment without the conversation around it: greetings,
    @mentions, links (a markdown link keeps its text) and a closing thanks. Code spans
    and blocks are left exactly as written."""
    parts = _CODE_SEGMENT.split(text)
    for index in range(0, len(parts), 2):
        part = _MARKDOWN_LINK.sub(r"\1", parts[index])
        part = _URL.sub("", part)
        part = _MENTION.sub("", part)
        part = _INLINE_SPACES.sub(" ", part)
        parts[index] = _ORPHAN_PUNCTUATION.sub(lambda m: m.group("mark") or "", part)
    result = "".join(parts).strip()
    result = _GREETING.sub("", result, count=1).lstrip(" ,.;:")
    if not result.endswith("```"):
        result = _THANKS_TAIL.sub("", result)
    result = _BLANK_LINES.sub("\n\n", result).strip()
    return result[:1].upper() + result[1:] if result[:1].islower() else result


def code_identifiers(text: str) -> list[str]:
    """Identifier-like tokens a reviewer put in inline code (``foo.bar()``,
    ``max_len``), in order of appearance, without duplicates."""
    found: list[str] = []
    for span in _INLINE_CODE.findall(text):
        for token in _IDENTIFIER.findall(span):
            if len(token) > 1 and token not in found:
                found.append(token)
    return found
