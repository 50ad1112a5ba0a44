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
