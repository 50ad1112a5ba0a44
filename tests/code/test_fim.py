"""FIM examples: formats, round trips, determinism, rates, windows and skip rules."""

from __future__ import annotations

import json
import random
from collections import Counter

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from prreview.code.fim import (
    FIM_FORMATS,
    FIMExample,
    FIMFormat,
    fim_skip_reason,
    get_fim_format,
    make_fim_examples,
    reassemble,
    reassemble_text,
    spm_probability,
)
from prreview.diffs.noise import NoiseRules

SOURCES = {
    "pkg/shapes.py": '''\
"""Shapes."""

import math


class Circle:
    def __init__(self, r: float) -> None:
        self.r = r

    def area(self) -> float:
        if self.r < 0:
            raise ValueError("negative radius: é")
        return math.pi * self.r**2


def total(shapes):
    return sum(s.area() for s in shapes)
''',
    "src/lib.rs": """\
pub struct Stack<T> { items: Vec<T> }

impl<T> Stack<T> {
    pub fn push(&mut self, item: T) {
        self.items.push(item);
    }

    pub fn pop(&mut self) -> Option<T> {
        let top = self.items.pop();
        top
    }
}
""",
    "cmd/main.go": """\
package main

import "fmt"

func main() {
\tfor i := 0; i < 3; i++ {
\t\tfmt.Println(i)
\t}
}
""",
    "web/app.js": """\
export function greet(name) {
  const message = `Hello, ${name} 👋`;
  if (!name) {
    return "Hello";
  }
  return message;
}
""",
    "src/Main.java": """\
public class Main {
    public static void main(String[] args) {
        int x = 1;
        System.out.println(x);
    }
}
""",
    "ui/view.ts": """\
export class View {
  private count = 0;
  render(): string {
    this.count += 1;
    return `#${this.count}`;
  }
}
""",
}


def check_invariants(example: FIMExample, text: str) -> None:
    window = text[example.window_start : example.window_end]
    assert example.prefix + example.middle + example.suffix == window
    assert reassemble(example) == window
    assert example.middle  # never empty, by design


# --- formats ---------------------------------------------------------------------


def test_render_psm_and_spm_with_starcoder_tokens() -> None:
    fmt = get_fim_format("starcoder")
    assert fmt.render("P", "M", "S", "psm") == "<fim_prefix>P<fim_suffix>S<fim_middle>M"
    assert fmt.render("P", "M", "S", "spm") == "<fim_prefix><fim_suffix>S<fim_middle>PM"


def test_codellama_tokens_keep_their_spaces() -> None:
    fmt = get_fim_format("codellama")
    assert fmt.render("P", "M", "S", "psm") == "<PRE>P <SUF>S <MID>M"
    assert fmt.sentinels == ("<PRE>", "<SUF>", "<MID>", "<EOT>")


@pytest.mark.parametrize(
    ("name", "prefix_token"),
    [
        ("starcoder", "<fim_prefix>"),
        ("SmolLM2", "<fim_prefix>"),
        ("qwen2.5-coder", "<|fim_prefix|>"),
        ("codellama", "<PRE>"),
        ("deepseek-coder", "<｜fim▁begin｜>"),
    ],
)
def test_formats_by_name(name: str, prefix_token: str) -> None:
    assert get_fim_format(name).prefix == prefix_token


def test_unknown_format_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown FIM format 'gpt2'.*starcoder"):
        get_fim_format("gpt2")


def test_custom_format_passes_through() -> None:
    fmt = FIMFormat("mine", "[P]", "[S]", "[M]")
    (example,) = make_fim_examples("abcdef", "x.txt", fim_format=fmt, seed=1)
    assert example.text.startswith("[P]")
    assert reassemble_text(example.text, fmt, example.mode) == "abcdef"


# --- round trips -----------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(SOURCES))
@pytest.mark.parametrize("span_mode", ["char", "node"])
@pytest.mark.parametrize("rates", [{"psm_rate": 1.0}, {"spm_rate": 1.0}])
@pytest.mark.parametrize("family", sorted(FIM_FORMATS))
def test_round_trip(
    path: str, span_mode: str, rates: dict[str, float], family: str
) -> None:
    text = SOURCES[path]
    examples = make_fim_examples(
        text,
        path,
        fim_format=family,
        seed=7,
        examples_per_file=5,
        span_mode=span_mode,  # type: ignore[arg-type]
        **rates,
    )
    # Node mode may find fewer distinct cuts than asked in a short file.
    assert len(examples) == 5 if span_mode == "char" else 2 <= len(examples) <= 5
    expected_mode = "psm" if "psm_rate" in rates else "spm"
    for example in examples:
        check_invariants(example, text)
        assert example.mode == expected_mode
        assert example.span_mode == span_mode
        assert example.fallback is None
        assert example.fim_format == family
        assert (example.node_type is not None) == (span_mode == "node")


def test_node_mode_middle_is_a_whole_node() -> None:
    text = 'x = "é"\ny = "😀"\n'
    examples = make_fim_examples(
        text, "a.py", span_mode="node", seed=3, examples_per_file=4
    )
    assert {e.middle for e in examples} == {'x = "é"', 'y = "😀"'}
    assert {e.node_type for e in examples} == {"expression_statement"}
    for example in examples:
        check_invariants(example, text)


def test_node_mode_draws_bodies_blocks_and_statements() -> None:
    text = SOURCES["pkg/shapes.py"]
    examples = make_fim_examples(
        text, "pkg/shapes.py", span_mode="node", seed=0, examples_per_file=40
    )
    types = Counter(e.node_type for e in examples)
    assert types["block"] > 0  # function bodies and the if block
    assert types.keys() - {"block"}  # and statements


def test_language_argument_overrides_the_path() -> None:
    text = SOURCES["src/lib.rs"]
    (example,) = make_fim_examples(
        text, "snippet.txt", span_mode="node", language="rust", seed=1
    )
    assert example.span_mode == "node"
    check_invariants(example, text)


# --- fallbacks, tiny and empty files ---------------------------------------------


def test_node_mode_falls_back_for_unsupported_language() -> None:
    text = "Some notes\nwith two lines\n"
    for path, language in (("notes.txt", None), ("x.c", "c")):
        examples = make_fim_examples(
            text, path, span_mode="node", language=language, examples_per_file=3
        )
        assert examples
        for example in examples:
            assert (example.span_mode, example.fallback) == (
                "char",
                "unsupported_language",
            )
            check_invariants(example, text)


def test_node_mode_falls_back_when_no_node_fits() -> None:
    text = "# only a comment\n"
    examples = make_fim_examples(text, "a.py", span_mode="node", examples_per_file=2)
    assert [(e.span_mode, e.fallback) for e in examples] == [("char", "no_node")] * 2
    counts = Counter(e.fallback for e in examples)
    assert counts == {"no_node": 2}


def test_one_character_file() -> None:
    (example,) = make_fim_examples("x", "a.py", seed=0)
    assert (example.prefix, example.middle, example.suffix) == ("", "x", "")
    check_invariants(example, "x")


def test_tiny_file_gives_only_distinct_examples() -> None:
    examples = make_fim_examples("ab", "a.py", seed=0, examples_per_file=10)
    keys = {(e.prefix, e.middle, e.suffix, e.mode) for e in examples}
    assert len(keys) == len(examples) <= 6  # 3 cuts x 2 modes
    for example in examples:
        check_invariants(example, "ab")


def test_empty_text_gives_nothing() -> None:
    assert make_fim_examples("", "a.py", span_mode="node") == []
    assert make_fim_examples("abc", "a.py", examples_per_file=0) == []


# --- determinism and rates -------------------------------------------------------


def test_same_seed_same_examples() -> None:
    text = SOURCES["pkg/shapes.py"]
    first = make_fim_examples(text, "a.py", seed=11, examples_per_file=5)
    assert first == make_fim_examples(text, "a.py", seed=11, examples_per_file=5)
    assert first != make_fim_examples(text, "a.py", seed=12, examples_per_file=5)


def test_default_seed_comes_from_path_and_commit() -> None:
    text = SOURCES["pkg/shapes.py"]
    kwargs = {"examples_per_file": 5, "commit": "abc"}
    first = make_fim_examples(text, "a.py", **kwargs)  # type: ignore[arg-type]
    assert first == make_fim_examples(text, "a.py", **kwargs)  # type: ignore[arg-type]
    assert first != make_fim_examples(text, "b.py", **kwargs)  # type: ignore[arg-type]
    assert {e.commit for e in first} == {"abc"}


def test_rng_is_used_when_given() -> None:
    text = SOURCES["cmd/main.go"]
    one = make_fim_examples(text, "m.go", rng=random.Random(5), examples_per_file=3)
    two = make_fim_examples(text, "m.go", rng=random.Random(5), examples_per_file=3)
    assert one == two


def test_default_rates_mix_both_modes() -> None:
    text = SOURCES["pkg/shapes.py"]
    modes = Counter(
        e.mode
        for seed in range(40)
        for e in make_fim_examples(text, "a.py", seed=seed, examples_per_file=5)
    )
    assert modes["psm"] > 50
    assert modes["spm"] > 50


@pytest.mark.parametrize(
    ("psm", "spm", "expected"),
    [
        (None, None, 0.5),
        (1.0, None, 0.0),
        (None, 1.0, 1.0),
        (0.3, None, 0.7),
        (0.25, 0.75, 0.75),
    ],
)
def test_spm_probability(psm: float | None, spm: float | None, expected: float) -> None:
    assert spm_probability(psm, spm) == pytest.approx(expected)


@pytest.mark.parametrize(("psm", "spm"), [(0.5, 0.6), (1.5, None), (None, -0.1)])
def test_bad_rates(psm: float | None, spm: float | None) -> None:
    with pytest.raises(ValueError, match="rate"):
        make_fim_examples("abc", "a.py", psm_rate=psm, spm_rate=spm)


# --- windows and token budgets ---------------------------------------------------


def long_text(lines: int = 300) -> str:
    return "".join(f"value_{i} = compute({i}, 'é')\n" for i in range(lines))


@pytest.mark.parametrize("span_mode", ["char", "node"])
def test_long_files_are_windowed_at_line_boundaries(span_mode: str) -> None:
    text = long_text()
    examples = make_fim_examples(
        text,
        "big.py",
        seed=2,
        examples_per_file=20,
        max_chars=200,
        span_mode=span_mode,  # type: ignore[arg-type]
    )
    assert len(examples) == 20
    for example in examples:
        check_invariants(example, text)
        assert 100 <= example.window_end - example.window_start <= 200
        assert example.window_start == 0 or text[example.window_start - 1] == "\n"
        assert text[example.window_end - 1] == "\n"
    assert len({e.window_start for e in examples}) > 5  # not always the top


def test_a_line_longer_than_the_window_is_cut_inside() -> None:
    text = "x" * 500
    examples = make_fim_examples(
        text, "a.txt", seed=1, examples_per_file=5, max_chars=50
    )
    for example in examples:
        check_invariants(example, text)
        assert example.window_end - example.window_start == 50


def test_token_budget_shrinks_the_window() -> None:
    text = long_text()
    examples = make_fim_examples(
        text,
        "big.py",
        seed=4,
        examples_per_file=5,
        max_chars=4_000,
        count_tokens=len,
        max_tokens=300,
    )
    assert len(examples) == 5
    for example in examples:
        assert len(example.text) <= 300
        check_invariants(example, text)


def test_token_budget_too_small_drops_examples() -> None:
    examples = make_fim_examples(
        "abcdef", "a.txt", seed=0, count_tokens=len, max_tokens=5
    )
    assert examples == []  # the sentinels alone are longer


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="go together"):
        make_fim_examples("abc", "a.py", count_tokens=len)
    with pytest.raises(ValueError, match="max_chars"):
        make_fim_examples("abc", "a.py", max_chars=0)
    with pytest.raises(ValueError, match="sentinels"):
        make_fim_examples("a <fim_middle> b", "a.py")


def test_as_dict_is_the_fim_record() -> None:
    (example,) = make_fim_examples(SOURCES["cmd/main.go"], "m.go", commit="c0ffee")
    data = example.as_dict()
    assert json.loads(json.dumps(data)) == data
    assert {"prefix", "middle", "suffix", "text", "path", "commit", "mode"} <= set(data)


def test_reassemble_rejects_foreign_text() -> None:
    with pytest.raises(ValueError, match="does not start"):
        reassemble_text("plain text", "starcoder", "psm")
    with pytest.raises(ValueError, match="lacks"):
        reassemble_text("<fim_prefix>abc", "starcoder", "psm")
    with pytest.raises(ValueError, match="lacks"):
        reassemble_text("<fim_prefix>abc<fim_middle>x", "starcoder", "spm")


def test_reassemble_strips_an_appended_eot() -> None:
    (example,) = make_fim_examples("hello\n", "a.txt", seed=0, append_eot=True)
    assert example.text.endswith("<|endoftext|>")
    assert reassemble(example) == "hello\n"


# --- skip rules ------------------------------------------------------------------

CODE = b"def f():\n    return 1\n"


@pytest.mark.parametrize(
    ("path", "data", "reason"),
    [
        ("src/app.py", CODE, None),
        ("poetry.lock", b"[[package]]\n", "lock_file"),
        ("web/package-lock.json", b"{}\n", "lock_file"),
        ("vendor/github.com/x/y.go", b"package y\n", "vendored"),
        ("web/node_modules/left-pad/index.js", b"module.exports = 1;\n", "vendored"),
        ("third_party/lib.c", b"int x;\n", "vendored"),
        ("proto/api_pb2.py", CODE, "generated_path"),
        ("static/app.min.js", b"var a=1;\n", "generated_path"),
        ("src/app.py", CODE * 100, "too_large"),
        ("src/app.py", b"\x00\x01\x02binary", "binary"),
        ("src/app.py", b"caf\xe9 = 1\n", "undecodable"),
        ("src/app.py", b"  \n\n", "empty"),
        ("src/app.py", b"# @generated by tool\n" + CODE, "generated_marker"),
        (
            "x.go",
            b"// Code generated by protoc. DO NOT EDIT.\npackage x\n",
            "generated_marker",
        ),
        ("src/app.js", b"var a=1;" * 200 + b"\n", "minified"),
        ("src/fim.py", b"TOKEN = '<fim_middle>'\n", "fim_tokens"),
        ("src/fim.py", b"TOKEN = '<|fim_prefix|>'\n", "fim_tokens"),
    ],
)
def test_skip_reasons(path: str, data: bytes, reason: str | None) -> None:
    assert fim_skip_reason(path, data, max_bytes=2_000) == reason


def test_skip_options() -> None:
    assert fim_skip_reason("a.py", b"x = 1\n", min_chars=10) == "too_small"
    assert fim_skip_reason("README.md", b"# Hi\n", languages={"Python"}) == "language"
    assert fim_skip_reason("a.py", CODE, languages={"Python"}) is None
    qwen_only = fim_skip_reason("a.py", b"'<fim_middle>'\n", fim_format="qwen2.5-coder")
    assert qwen_only is None  # starcoder's tokens are plain text to qwen
    rules = NoiseRules(vendored_dirs=frozenset({"extern"}))
    assert fim_skip_reason("extern/a.py", CODE, rules=rules) == "vendored"
    assert fim_skip_reason("vendor/a.py", CODE, rules=rules) is None


def test_skip_reasons_are_countable() -> None:
    files = {
        "a.py": CODE,
        "b.py": CODE,
        "yarn.lock": b"x\n",
        "c.bin": b"\x00",
        "vendor/d.py": CODE,
    }
    counts = Counter(fim_skip_reason(path, data) for path, data in files.items())
    assert counts == {None: 2, "lock_file": 1, "binary": 1, "vendored": 1}


# --- properties ------------------------------------------------------------------

_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), max_codepoint=0x1F600),
    min_size=1,
    max_size=300,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=_TEXT,
    seed=st.integers(0, 2**32),
    family=st.sampled_from(sorted(FIM_FORMATS)),
    span_mode=st.sampled_from(["char", "node"]),
    max_chars=st.integers(1, 400),
)
def test_round_trip_property(
    text: str, seed: int, family: str, span_mode: str, max_chars: int
) -> None:
    assume(not any(s in text for s in get_fim_format(family).sentinels))
    examples = make_fim_examples(
        text,
        "prop.py",
        fim_format=family,
        seed=seed,
        examples_per_file=3,
        max_chars=max_chars,
        span_mode=span_mode,  # type: ignore[arg-type]
    )
    assert examples
    for example in examples:
        check_invariants(example, text)
        assert example.window_end - example.window_start <= max_chars
