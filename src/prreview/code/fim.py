"""Fill-in-the-middle (FIM) examples from source files, bigcode style.

A file (or a window of it) is split into prefix, middle and suffix and rendered with
a model family's FIM tokens, so the model learns to write code that fits between
what comes before and after, as an editor asks it to.

Formats, as in bigcode's Megatron-LM ``permute`` (and NVIDIA Megatron-LM's
``GPTFIMDataset``), with ``<pre> <suf> <mid>`` standing for the family's tokens:

- PSM: ``<pre>prefix<suf>suffix<mid>middle``
- SPM: ``<pre><suf>suffix<mid>prefix middle`` -- the "variant 2" of the FIM paper
  (Bavarian et al. 2022) that bigcode implements: both sentinels first, then the
  suffix, then prefix and middle as one run, so the model continues the prefix.

Spans:

- ``char``: two distinct cut points drawn uniformly in the window, so the middle is
  never empty. bigcode allows an empty middle; we do not, because an example whose
  answer is nothing teaches little and makes evaluation ambiguous.
- ``node``: the middle is one tree-sitter node of the file's language: a function
  body, a block or a statement. A category is drawn first, then a node in it, so
  the many small statements do not crowd out bodies. When the language has no
  grammar or the tree has no fitting node, the example falls back to ``char`` and
  says why in ``fallback`` ("unsupported_language", "no_node").

Windows: a file longer than ``max_chars`` is cut to a window of at most that many
characters, starting at a random line start and ending after the last line end in
its second half (a line longer than the window is cut inside it); in node mode the
window contains the chosen node. Always
``prefix + middle + suffix == text[window_start:window_end]``.
With ``count_tokens``/``max_tokens``, an example whose rendered text is too long is
redrawn with half the window, a few times, then dropped (logged).
"""

from __future__ import annotations

import hashlib
import logging
import math
import random
from collections.abc import Callable, Collection
from dataclasses import asdict, dataclass
from functools import partial
from typing import Any, Literal, cast

from prreview.code.identifiers import (
    UnsupportedLanguageError,
    language_for_path,
    normalize_language,
    parse_tree,
)
from prreview.diffs.noise import (
    NoiseRules,
    compiled_markers,
    language_of,
    path_noise_reason,
)

logger = logging.getLogger(__name__)

Mode = Literal["psm", "spm"]
SpanMode = Literal["char", "node"]
FIMSkipReason = Literal[
    "lock_file",
    "vendored",
    "generated_path",
    "language",
    "too_large",
    "binary",
    "undecodable",
    "empty",
    "too_small",
    "generated_marker",
    "minified",
    "fim_tokens",
]

DEFAULT_MAX_CHARS = 8_192
DEFAULT_MAX_BYTES = 1_000_000
_SHRINK_TRIES = 6
_DRAWS_PER_EXAMPLE = 4


@dataclass(frozen=True, slots=True)
class FIMFormat:
    """A model family's FIM sentinel strings; ``eot`` ends the middle if asked."""

    name: str
    prefix: str
    suffix: str
    middle: str
    eot: str = ""

    @property
    def sentinels(self) -> tuple[str, ...]:
        """The tokens without SentencePiece's leading spaces, for content checks."""
        return tuple(
            t.strip()
            for t in (self.prefix, self.suffix, self.middle, self.eot)
            if t.strip()
        )

    def render(self, prefix: str, middle: str, suffix: str, mode: Mode) -> str:
        """The training text for one example."""
        if mode == "psm":
            return f"{self.prefix}{prefix}{self.suffix}{suffix}{self.middle}{middle}"
        return f"{self.prefix}{self.suffix}{suffix}{self.middle}{prefix}{middle}"


FIM_FORMATS: dict[str, FIMFormat] = {
    f.name: f
    for f in (
        # StarCoder, StarCoder2, SantaCoder's successors and SmolLM2.
        FIMFormat(
            "starcoder", "<fim_prefix>", "<fim_suffix>", "<fim_middle>", "<|endoftext|>"
        ),
        FIMFormat(
            "qwen2.5-coder",
            "<|fim_prefix|>",
            "<|fim_suffix|>",
            "<|fim_middle|>",
            "<|endoftext|>",
        ),
        # Code Llama's tokens carry SentencePiece's leading space.
        FIMFormat("codellama", "<PRE>", " <SUF>", " <MID>", " <EOT>"),
        FIMFormat(
            "deepseek-coder", "<｜fim▁begin｜>", "<｜fim▁hole｜>", "<｜fim▁end｜>"
        ),
    )
}
_FORMAT_ALIASES = {
    "smollm2": "starcoder",
    "starcoder2": "starcoder",
    "qwen2.5": "qwen2.5-coder",
}


def get_fim_format(name: str | FIMFormat) -> FIMFormat:
    """A FIM format by family name (or one passed through)."""
    if isinstance(name, FIMFormat):
        return name
    key = _FORMAT_ALIASES.get(name.lower(), name.lower())
    if key not in FIM_FORMATS:
        known = sorted([*FIM_FORMATS, *_FORMAT_ALIASES])
        raise ValueError(f"unknown FIM format {name!r}; known: {', '.join(known)}")
    return FIM_FORMATS[key]


@dataclass(frozen=True, slots=True)
class FIMExample:
    """One FIM example; ``fallback`` says why ``span_mode`` is not the one asked."""

    path: str
    prefix: str
    middle: str
    suffix: str
    mode: Mode
    span_mode: SpanMode
    fim_format: str
    text: str
    window_start: int
    window_end: int
    node_type: str | None = None
    fallback: str | None = None
    commit: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the FIM record of the design)."""
        return asdict(self)


# --- skip rules ----------------------------------------------------------------------


def fim_skip_reason(
    path: str,
    data: bytes,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    min_chars: int = 1,
    max_line_chars: int = 1_000,
    languages: Collection[str] | None = None,
    rules: NoiseRules | None = None,
    fim_format: str | FIMFormat | None = None,
) -> FIMSkipReason | None:
    """Why a file should give no FIM examples, cheapest rule first; None keeps it.

    Path rules (lock files, vendored and generated paths) and generated markers
    are the codediff pipeline's (``prreview.diffs.noise``), so both agree on noise.
    ``languages`` are ``language_of`` labels ("Python", ...); None allows any.
    A file holding FIM sentinels (of ``fim_format``, or of every known family when
    None) is skipped: they would become special tokens and break the round trip.
    """
    rules = rules or NoiseRules()
    reason = path_noise_reason(path, rules)  # "lock_file", "vendored", "generated_path"
    if reason is not None:
        return cast(FIMSkipReason, reason)
    if languages is not None and language_of(path) not in languages:
        return "language"
    if len(data) > max_bytes:
        return "too_large"
    if b"\0" in data:
        return "binary"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return "undecodable"
    return _text_skip_reason(text, min_chars, max_line_chars, rules, fim_format)


def _text_skip_reason(
    text: str,
    min_chars: int,
    max_line_chars: int,
    rules: NoiseRules,
    fim_format: str | FIMFormat | None,
) -> FIMSkipReason | None:
    if not text.strip():
        return "empty"
    if len(text) < min_chars:
        return "too_small"
    lines = text.splitlines()
    markers = compiled_markers(rules.generated_markers)
    head = lines[: rules.marker_max_line]
    if any(marker.search(line) for line in head for marker in markers):
        return "generated_marker"
    if max(map(len, lines), default=0) > max_line_chars:
        return "minified"
    formats = (
        FIM_FORMATS.values() if fim_format is None else [get_fim_format(fim_format)]
    )
    if any(s in text for f in formats for s in f.sentinels):
        return "fim_tokens"
    return None


# --- examples ------------------------------------------------------------------------


def seed_for(*parts: str | None) -> int:
    """A stable seed from strings (Python's hash() changes between runs)."""
    digest = hashlib.sha256("\0".join(p or "" for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big")


def spm_probability(psm_rate: float | None, spm_rate: float | None) -> float:
    """The chance of SPM; either rate implies the other, both must sum to 1."""
    for label, rate in (("psm_rate", psm_rate), ("spm_rate", spm_rate)):
        if rate is not None and not 0.0 <= rate <= 1.0:
            raise ValueError(f"{label} must be in [0, 1], got {rate}")
    if spm_rate is not None:
        if psm_rate is not None and not math.isclose(psm_rate + spm_rate, 1.0):
            raise ValueError(
                f"psm_rate + spm_rate must be 1, got {psm_rate} + {spm_rate}"
            )
        return float(spm_rate)
    return 0.5 if psm_rate is None else 1.0 - psm_rate


@dataclass(frozen=True, slots=True)
class _Span:
    """A candidate middle in UTF-8 byte offsets, with its tree-sitter type."""

    start: int
    end: int
    node_type: str


# Node types are distinct across the six grammars, so one table serves them all.
_FUNCTION_TYPES = frozenset(
    {
        "function_definition",  # python
        "function_item",  # rust
        "method_declaration",  # java, go
        "constructor_declaration",  # java
        "function_declaration",  # js/ts, go
        "generator_function_declaration",
        "method_definition",
        "arrow_function",
        "function_expression",
        "generator_function",
        "func_literal",  # go
    }
)
_BLOCK_TYPES = frozenset({"block", "statement_block", "constructor_body"})
_STATEMENT_PARENTS = _BLOCK_TYPES | {
    "module",  # python root
    "program",  # java, js/ts root
    "source_file",  # rust, go root
    "statement_list",  # go block contents
    "class_body",
    "declaration_list",  # rust impl/mod/trait bodies
}


def _node_spans(source: bytes, language: str, max_bytes: int) -> dict[str, list[_Span]]:
    """Function bodies, blocks and statements that fit, grouped by category."""
    spans: dict[str, list[_Span]] = {"body": [], "block": [], "statement": []}
    stack = [parse_tree(source, language).root_node]
    while stack:
        node = stack.pop()
        stack.extend(node.children)
        parent = node.parent
        if (
            parent is None
            or not node.is_named
            or node.has_error
            or node.is_missing
            or "comment" in node.type
            or not 0 < node.end_byte - node.start_byte <= max_bytes
        ):
            continue
        span = _Span(node.start_byte, node.end_byte, node.type)
        if parent.type in _FUNCTION_TYPES and node == parent.child_by_field_name(
            "body"
        ):
            spans["body"].append(span)
        elif node.type in _BLOCK_TYPES:
            spans["block"].append(span)
        elif parent.type in _STATEMENT_PARENTS:
            spans["statement"].append(span)
    for group in spans.values():
        group.sort(key=lambda s: (s.start, s.end))  # stack order must not matter
    return {k: v for k, v in spans.items() if v}


def _window(
    text: str, rng: random.Random, max_chars: int, must_hold: tuple[int, int] | None
) -> tuple[int, int]:
    """A window of at most max_chars, cut at line boundaries where possible.

    It starts at a random line start (any position when no line starts in range)
    and ends after the last line end in its second half, so that a long last line
    cannot shrink it to a sliver.
    """
    if len(text) <= max_chars:
        return 0, len(text)
    low, high = 0, len(text) - max_chars  # a full window fits from any start here
    if must_hold is not None:
        low, high = max(0, must_hold[1] - max_chars), min(must_hold[0], high)
    starts = _line_starts(text, low, high)
    start = rng.choice(starts) if starts else rng.randint(low, high)
    end = min(len(text), start + max_chars)
    if end < len(text):
        keep_from = start + (end - start) // 2
        if must_hold is not None:
            keep_from = max(keep_from, must_hold[1])
        newline = text.rfind("\n", keep_from, end)
        if newline != -1:
            end = newline + 1
    return start, end


def _line_starts(text: str, low: int, high: int) -> list[int]:
    """Positions in [low, high] that begin a line."""
    starts = [low] if low == 0 or text[low - 1] == "\n" else []
    index = text.find("\n", low, high)
    while index != -1:
        starts.append(index + 1)
        index = text.find("\n", index + 1, high)
    return starts


_Cut = tuple[int, int, int, int]  # window start, middle start, middle end, window end


def _char_cut(text: str, rng: random.Random, max_chars: int) -> _Cut | None:
    start, end = _window(text, rng, max_chars, None)
    if end - start < 1:
        return None
    a, b = sorted(rng.sample(range(end - start + 1), 2))
    return start, start + a, start + b, end


def _node_cut(
    text: str,
    source: bytes,
    spans: dict[str, list[_Span]],
    rng: random.Random,
    max_chars: int,
) -> tuple[_Cut, str] | None:
    """A node's span as the middle; byte lengths bound char lengths from above."""
    fitting = {
        category: [s for s in group if s.end - s.start <= max_chars]
        for category, group in sorted(spans.items())
    }
    categories = [category for category, group in fitting.items() if group]
    if not categories:
        return None
    span = rng.choice(fitting[rng.choice(categories)])
    if len(source) == len(text):  # ASCII: bytes are characters
        a, b = span.start, span.end
    else:
        a = len(source[: span.start].decode("utf-8", "surrogatepass"))
        b = a + len(source[span.start : span.end].decode("utf-8", "surrogatepass"))
    start, end = _window(text, rng, max_chars, (a, b))
    return (start, a, b, end), span.node_type


def _node_spans_or_fallback(
    source: bytes, path: str, language: str | None, max_chars: int
) -> tuple[dict[str, list[_Span]], str | None]:
    try:
        grammar = normalize_language(language or language_for_path(path) or "")
    except UnsupportedLanguageError:
        return {}, "unsupported_language"
    spans = _node_spans(source, grammar, max_chars)
    return spans, None if spans else "no_node"


def make_fim_examples(
    text: str,
    path: str,
    *,
    fim_format: str | FIMFormat = "starcoder",
    seed: int | None = None,
    rng: random.Random | None = None,
    examples_per_file: int = 1,
    max_chars: int = DEFAULT_MAX_CHARS,
    count_tokens: Callable[[str], int] | None = None,
    max_tokens: int | None = None,
    psm_rate: float | None = None,
    spm_rate: float | None = None,
    span_mode: SpanMode = "char",
    language: str | None = None,
    commit: str | None = None,
    append_eot: bool = False,
) -> list[FIMExample]:
    """Up to ``examples_per_file`` distinct FIM examples of one file's text.

    Deterministic: ``rng`` if given, else ``seed``, else a seed from path and commit.
    ``language`` (a grammar name) defaults to the path's; it matters in node mode.
    Run ``fim_skip_reason`` first: text holding this family's sentinels is refused.
    """
    fmt = get_fim_format(fim_format)
    spm = spm_probability(psm_rate, spm_rate)
    if max_chars < 1 or examples_per_file < 0:
        raise ValueError("max_chars must be >= 1 and examples_per_file >= 0")
    if (count_tokens is None) != (max_tokens is None):
        raise ValueError("count_tokens and max_tokens go together")
    if any(s in text for s in fmt.sentinels):
        raise ValueError(f"{path}: text holds {fmt.name} FIM sentinels; skip the file")
    rng = rng or random.Random(seed if seed is not None else seed_for(path, commit))
    if not text:
        return []
    source = text.encode("utf-8", "surrogatepass")
    spans: dict[str, list[_Span]] = {}
    fallback: str | None = None
    if span_mode == "node":
        spans, fallback = _node_spans_or_fallback(source, path, language, max_chars)

    def draw(limit: int) -> tuple[_Cut, str | None] | None:
        if spans:
            return _node_cut(text, source, spans, rng, limit)
        cut = _char_cut(text, rng, limit)
        return None if cut is None else (cut, None)

    def render(cut: _Cut, mode: Mode) -> str:
        start, a, b, end = cut
        rendered = fmt.render(text[start:a], text[a:b], text[b:end], mode)
        return rendered + fmt.eot if append_eot else rendered

    def fits(rendered: str) -> bool:
        return count_tokens is None or count_tokens(rendered) <= (max_tokens or 0)

    examples: list[FIMExample] = []
    seen: set[tuple[_Cut, Mode]] = set()
    for _ in range(examples_per_file * _DRAWS_PER_EXAMPLE):
        if len(examples) == examples_per_file:
            break
        mode: Mode = "spm" if rng.random() < spm else "psm"
        drawn = _fitting(draw, partial(render, mode=mode), fits, max_chars)
        if drawn is None:
            logger.debug("%s: no cut fits %s tokens; example dropped", path, max_tokens)
            continue
        cut, node_type, rendered = drawn
        if (cut, mode) in seen:
            continue
        seen.add((cut, mode))
        start, a, b, end = cut
        examples.append(
            FIMExample(
                path=path,
                prefix=text[start:a],
                middle=text[a:b],
                suffix=text[b:end],
                mode=mode,
                span_mode="node" if spans else "char",
                fim_format=fmt.name,
                text=rendered,
                window_start=start,
                window_end=end,
                node_type=node_type,
                fallback=fallback,
                commit=commit,
            )
        )
    if len(examples) < examples_per_file:
        logger.debug("%s: %d of %d examples", path, len(examples), examples_per_file)
    return examples


def _fitting(
    draw: Callable[[int], tuple[_Cut, str | None] | None],
    render: Callable[[_Cut], str],
    fits: Callable[[str], bool],
    max_chars: int,
) -> tuple[_Cut, str | None, str] | None:
    """A cut whose rendered text fits the token budget, halving the window if not."""
    limit = max_chars
    for _ in range(_SHRINK_TRIES):
        drawn = draw(limit)
        if drawn is None:
            return None
        cut, node_type = drawn
        rendered = render(cut)
        if fits(rendered):
            return cut, node_type, rendered
        limit = max(1, limit // 2)
    return None


# --- round trip ----------------------------------------------------------------------


def reassemble_text(text: str, fim_format: str | FIMFormat, mode: Mode) -> str:
    """The original window from rendered FIM text (for checks, not for training).

    SPM renders prefix and middle as one run, so both modes give back the window
    even though SPM alone cannot say where prefix ends.
    """
    fmt = get_fim_format(fim_format)
    if fmt.eot and text.endswith(fmt.eot):
        text = text[: -len(fmt.eot)]
    if not text.startswith(fmt.prefix):
        raise ValueError(f"rendered text does not start with {fmt.prefix!r}")
    rest = text[len(fmt.prefix) :]
    if mode == "psm":
        prefix, sep, rest = rest.partition(fmt.suffix)
        suffix, sep2, middle = rest.partition(fmt.middle)
        if not (sep and sep2):
            raise ValueError("rendered PSM text lacks its suffix or middle token")
        return prefix + middle + suffix
    if not rest.startswith(fmt.suffix):
        raise ValueError(f"rendered SPM text lacks {fmt.suffix!r} after {fmt.prefix!r}")
    suffix, sep, prefix_middle = rest[len(fmt.suffix) :].partition(fmt.middle)
    if not sep:
        raise ValueError("rendered SPM text lacks its middle token")
    return prefix_middle + suffix


def reassemble(example: FIMExample) -> str:
    """The window an example was cut from, parsed back out of its rendered text."""
    return reassemble_text(example.text, example.fim_format, example.mode)
