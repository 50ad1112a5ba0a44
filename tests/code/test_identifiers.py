"""Definitions per language and what a change adds, removes and modifies."""

from __future__ import annotations

import json
from textwrap import dedent

import pytest

from prreview.code.identifiers import (
    Definition,
    IdentifierChanges,
    UnsupportedLanguageError,
    diff_definitions,
    extract_definitions,
    get_parser,
    language_for_path,
    parse_definitions,
)

Triple = tuple[str, str, str]  # name, kind, visibility


def triples(definitions: tuple[Definition, ...] | list[Definition]) -> set[Triple]:
    return {(d.name, d.kind, d.visibility) for d in definitions}


def summary(changes: IdentifierChanges) -> dict[str, set[Triple]]:
    return {
        "added": triples(changes.added),
        "removed": triples(changes.removed),
        "modified": triples([c.after for c in changes.modified]),
    }


PY_BEFORE = """\
import os

CONSTANT = 1


def keep():
    return 1


def _helper(x):
    return x + 1


def gone():
    pass


class Shape:
    def area(self):
        return 0

    def _scale(self, k):
        return k

    class Meta:
        ordering = "name"


class _Old:
    pass


type Alias = int
"""

PY_AFTER = """\
import os

CONSTANT = 2


def keep():
        return 1


def _helper(x):
    return x + 2


def added(a, b):
    def inner():
        return a

    return inner() + b


class Shape:
    def area(self):
        return 1

    def __init__(self):
        self.k = 1

    @staticmethod
    def unit():
        return Shape()

    class Meta:
        ordering = "name"


class _New:
    pass


type Alias = str
type _Private = int
"""

RUST_BEFORE = """\
pub struct Point { x: i32 }
struct Hidden;
pub enum Color { Red }
pub trait Draw { fn draw(&self); }
impl Point {
    pub fn new() -> Self { Point { x: 0 } }
    fn secret(&self) -> i32 { self.x }
}
impl Draw for Point { fn draw(&self) {} }
pub fn run() {}
fn helper() {}
type Id = u32;
pub(crate) mod shapes { pub struct Circle; }
"""

RUST_AFTER = """\
pub struct Point { x: i32, y: i32 }
struct Hidden;
pub(crate) enum Color { Red, Green }
pub trait Draw { fn draw(&self); fn name(&self) -> String; }
impl Point {
    pub fn new() -> Self { Point { x: 0, y: 0 } }
    pub(crate) fn len(&self) -> i32 { 0 }
}
impl Draw for Point {
    fn draw(&self) {}
    fn name(&self) -> String { String::new() }
}
pub fn run() {}
type Id = u64;
pub(crate) mod shapes { pub struct Circle; pub enum Kind { A } }
pub trait Extra {}
"""

JAVA_BEFORE = """\
package demo;

public class Service {
    private int count;

    public Service() {}

    public int total() { return count; }

    protected void reset() { count = 0; }

    void helper() {}

    private static class Cache {}

    public interface Listener { void onEvent(); }

    enum Mode { ON, OFF }
}

class Util {
    static int twice(int x) { return 2 * x; }
}
"""

JAVA_AFTER = """\
package demo;

public class Service {
    private int count;

    public Service() {}

    public Service(int start) { count = start; }

    public int total() { return count + 1; }

    void helper() {}

    private void log(String m) {}

    private static class Cache { int size; }

    public interface Listener { void onEvent(); void onClose(); }

    enum Mode { ON, OFF, AUTO }

    public record Pair(int a, int b) {}
}

interface Plugin { void load(); }
"""

JS_BEFORE = """\
export function render(node) { return node; }
function helper() { return 1; }
export const format = (x) => String(x);
const local = function () { return 0; };
export class Widget {
  constructor(name) { this.name = name; }
  draw() { return this.name; }
  #secret() { return 1; }
  static create() { return new Widget("w"); }
}
class Internal {}
function legacy() {}
export { helper };
"""

JS_AFTER = """\
export function render(node) { return [node]; }
function helper() { return 1; }
export const format = (x) => String(x).trim();
const local = function () { return 0; };
export class Widget {
  constructor(name) { this.name = name; }
  draw() { return this.name.toUpperCase(); }
  #secret() { return 1; }
  resize = (w) => { this.w = w; };
}
class Internal {}
class Panel extends Widget {}
export default function () { function nested() {} }
export function* ids() { yield 1; }
export { helper };
"""

TS_BEFORE = """\
export interface Shape { area(): number; }
export type Id = string;
export enum Color { Red }
export abstract class Base {
  private cache = 0;
  protected abstract describe(): string;
  public id(): Id { return "x"; }
  private reset(): void {}
}
function internal(): void {}
export function make(): Shape { return { area: () => 1 }; }
namespace Geometry {
  export function dist(): number { return 0; }
  function scale(): void {}
}
type Local = number;
"""

TS_AFTER = """\
export interface Shape { area(): number; perimeter(): number; }
export type Id = number;
enum Color { Red, Blue }
export abstract class Base {
  private cache = 0;
  protected abstract describe(): string;
  public id(): Id { return 1; }
  protected static of(): void {}
}
export function make(): Shape { return { area: () => 1 }; }
namespace Geometry {
  export function dist(): number { return 1; }
  function scale(): void {}
}
type Local = number;
export interface Named { name: string }
"""

GO_BEFORE = """\
package shapes

type Shape interface {
\tArea() float64
}

type Rect struct {
\tW, H float64
}

type ID = string

type Celsius float64

func (r Rect) Area() float64 { return r.W * r.H }

func (r *Rect) scale(k float64) { r.W *= k }

func NewRect() Rect { return Rect{} }

func helper() {}
"""

GO_AFTER = """\
package shapes

type Shape interface {
\tArea() float64
\tPerimeter() float64
}

type Rect struct {
\tW, H, D float64
}

type ID = int

type Celsius float64

type Kelvin float64

type point struct{ x int }

func (r Rect) Area() float64 { return r.W * r.H }

func (r Rect) Perimeter() float64 { return 2 * (r.W + r.H) }

func NewRect() Rect { return Rect{D: 1} }

func helper() { _ = 1 }
"""

CASES = {
    "python": (
        PY_BEFORE,
        PY_AFTER,
        {
            "added": {
                ("added", "function", "public"),
                ("added.inner", "function", "public"),
                ("Shape.__init__", "method", "public"),
                ("Shape.unit", "method", "public"),
                ("_New", "class", "private"),
                ("_Private", "type_alias", "private"),
            },
            "removed": {
                ("gone", "function", "public"),
                ("Shape._scale", "method", "private"),
                ("_Old", "class", "private"),
            },
            "modified": {
                ("_helper", "function", "private"),
                ("Shape", "class", "public"),
                ("Shape.area", "method", "public"),
                ("Alias", "type_alias", "public"),
            },
        },
    ),
    "rust": (
        RUST_BEFORE,
        RUST_AFTER,
        {
            "added": {
                ("Draw::name", "method", "public"),
                ("Point::len", "method", "internal"),
                ("<Point as Draw>::name", "method", "public"),
                ("shapes::Kind", "enum", "public"),
                ("Extra", "trait", "public"),
            },
            "removed": {
                ("Point::secret", "method", "private"),
                ("helper", "function", "private"),
            },
            "modified": {
                ("Point", "struct", "public"),
                ("Color", "enum", "internal"),
                ("Draw", "trait", "public"),
                ("impl Point", "impl", "public"),
                ("Point::new", "method", "public"),
                ("impl Draw for Point", "impl", "public"),
                ("Id", "type_alias", "private"),
            },
        },
    ),
    "java": (
        JAVA_BEFORE,
        JAVA_AFTER,
        {
            "added": {
                ("Service.Service", "constructor", "public"),
                ("Service.log", "method", "private"),
                ("Service.Listener.onClose", "method", "public"),
                ("Service.Pair", "class", "public"),
                ("Plugin", "interface", "package"),
                ("Plugin.load", "method", "public"),
            },
            "removed": {
                ("Service.reset", "method", "protected"),
                ("Util", "class", "package"),
                ("Util.twice", "method", "package"),
            },
            "modified": {
                ("Service", "class", "public"),
                ("Service.total", "method", "public"),
                ("Service.Cache", "class", "private"),
                ("Service.Listener", "interface", "public"),
                ("Service.Mode", "enum", "package"),
            },
        },
    ),
    "javascript": (
        JS_BEFORE,
        JS_AFTER,
        {
            "added": {
                ("Widget.resize", "method", "public"),
                ("Panel", "class", "private"),
                ("default", "function", "public"),
                ("default.nested", "function", "private"),
                ("ids", "function", "public"),
            },
            "removed": {
                ("legacy", "function", "private"),
                ("Widget.create", "method", "public"),
            },
            "modified": {
                ("render", "function", "public"),
                ("format", "function", "public"),
                ("Widget", "class", "public"),
                ("Widget.draw", "method", "public"),
            },
        },
    ),
    "typescript": (
        TS_BEFORE,
        TS_AFTER,
        {
            "added": {
                ("Shape.perimeter", "method", "public"),
                ("Base.of", "method", "protected"),
                ("Named", "interface", "public"),
            },
            "removed": {
                ("internal", "function", "private"),
                ("Base.reset", "method", "private"),
            },
            "modified": {
                ("Shape", "interface", "public"),
                ("Id", "type_alias", "public"),
                ("Color", "enum", "private"),
                ("Base", "class", "public"),
                ("Base.id", "method", "public"),
                ("Geometry.dist", "function", "public"),
            },
        },
    ),
    "go": (
        GO_BEFORE,
        GO_AFTER,
        {
            "added": {
                ("Shape.Perimeter", "method", "public"),
                ("Kelvin", "type", "public"),
                ("point", "struct", "package"),
                ("Rect.Perimeter", "method", "public"),
            },
            "removed": {("Rect.scale", "method", "package")},
            "modified": {
                ("Shape", "interface", "public"),
                ("Rect", "struct", "public"),
                ("ID", "type_alias", "public"),
                ("NewRect", "function", "public"),
                ("helper", "function", "package"),
            },
        },
    ),
}


@pytest.mark.parametrize("language", sorted(CASES))
def test_diff_per_language(language: str) -> None:
    before, after, expected = CASES[language]
    changes = diff_definitions(before, after, language)
    assert summary(changes) == expected
    assert not changes.has_errors
    assert changes.skipped_reason is None


@pytest.mark.parametrize("language", sorted(CASES))
def test_both_sides_parse_cleanly(language: str) -> None:
    before, after, _ = CASES[language]
    for source in (before, after):
        parsed = parse_definitions(source, language)
        assert not parsed.has_errors
        assert parsed.definitions


def test_unchanged_definitions_are_not_reported() -> None:
    before, after, expected = CASES["python"]
    changes = diff_definitions(before, after, "python")
    reported = {name for group in summary(changes).values() for name, *_ in group}
    assert {"keep", "Shape.Meta"}.isdisjoint(reported)  # keep was only re-indented


def test_rust_trait_impls_do_not_collide() -> None:
    source = dedent(
        """\
        struct S;
        impl fmt::Display for S { fn fmt(&self) {} }
        impl fmt::Debug for S { fn fmt(&self) {} }
        """
    )
    names = {d.name for d in extract_definitions(source, "rust")}
    assert {"<S as fmt::Display>::fmt", "<S as fmt::Debug>::fmt"} <= names
    assert {"impl fmt::Display for S", "impl fmt::Debug for S"} <= names


def test_rust_visibility_rules() -> None:
    source = "pub(super) fn a() {}\npub(self) fn b() {}\nstruct P;\nimpl P {}\n"
    found = triples(extract_definitions(source, "rust"))
    assert found == {
        ("a", "function", "internal"),
        ("b", "function", "private"),
        ("P", "struct", "private"),
        ("impl P", "impl", "private"),  # follows its type when the type is here
    }


def test_visibility_only_change_is_a_modification() -> None:
    changes = diff_definitions("function f() {}\n", "export function f() {}\n", "js")
    assert [(c.before.visibility, c.after.visibility) for c in changes.modified] == [
        ("private", "public")
    ]


def test_java_overload_added_is_not_a_modification() -> None:
    before = "class A { void f(int a) {} }"
    after = "class A { void f(int a) {} void f(String s) {} }"
    changes = diff_definitions(before, after, "java")
    assert triples(changes.added) == {("A.f", "method", "package")}
    assert triples([c.after for c in changes.modified]) == {("A", "class", "package")}
    assert not changes.removed


def test_tsx_components() -> None:
    source = "export function App() { return <div className='x'>hi</div>; }\n"
    parsed = parse_definitions(source, language_for_path("ui/App.tsx") or "")
    assert parsed.language == "tsx"
    assert not parsed.has_errors
    assert triples(parsed.definitions) == {("App", "function", "public")}


def test_lines_are_one_based_and_cover_decorators() -> None:
    source = "import x\n\n@dec\ndef f():\n    return 1\n"
    (definition,) = extract_definitions(source, "python")
    assert (definition.start_line, definition.end_line) == (3, 5)


def test_body_hash_ignores_whitespace_but_not_code() -> None:
    one = extract_definitions("def f(a,  b):\n    return a\n", "python")[0]
    two = extract_definitions("\n\ndef f(a, b):\n\n    return a\n", "python")[0]
    three = extract_definitions("def f(a, b):\n    return b\n", "python")[0]
    assert one.body_hash == two.body_hash != three.body_hash


def test_none_means_absent_file() -> None:
    source = "def f():\n    pass\n\nclass C:\n    pass\n"
    created = diff_definitions(None, source, "python")
    deleted = diff_definitions(source, None, "python")
    assert (
        triples(created.added)
        == triples(deleted.removed)
        == {
            ("f", "function", "public"),
            ("C", "class", "public"),
        }
    )
    assert not (created.removed or created.modified)
    assert diff_definitions(None, None, "python").is_empty


def test_results_are_sorted_and_serializable() -> None:
    before, after, _ = CASES["rust"]
    changes = diff_definitions(before, after, "rust")
    names = [d.name for d in changes.added]
    assert names == sorted(names)
    data = changes.as_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["modified"][0].keys() == {"name", "kind", "before", "after"}
    assert diff_definitions(before, after, "rust") == changes  # deterministic


def test_broken_syntax_keeps_what_parses() -> None:
    source = dedent(
        """\
        def ok():
            return 1

        def broken(:
            pass

        class After:
            def m(self):
                return 2
        """
    )
    parsed = parse_definitions(source, "python")
    assert parsed.has_errors
    assert {"ok", "After", "After.m"} <= {d.name for d in parsed.definitions}
    changes = diff_definitions("def ok():\n    return 1\n", source, "python")
    assert changes.has_errors


@pytest.mark.parametrize("language", ["java", "go", "rust", "typescript"])
def test_broken_syntax_other_languages(language: str) -> None:
    before, _, _ = CASES[language]
    parsed = parse_definitions(before + "\n}}} ((( fn func class {", language)
    assert parsed.has_errors
    assert parsed.definitions


def test_non_utf8_bytes_are_tolerated() -> None:
    source = b"def caf\xe9():\n    pass\n\ndef ok():\n    return '\xff'\n"
    parsed = parse_definitions(source, "python")
    names = {d.name for d in parsed.definitions}
    assert "ok" in names
    assert all(isinstance(name, str) for name in names)


def test_text_with_lone_surrogates_is_tolerated() -> None:
    text = b"def ok():\n    return '\xff'\n".decode("utf-8", "surrogateescape")
    assert [d.name for d in extract_definitions(text, "python")] == ["ok"]


@pytest.mark.parametrize("language", sorted(CASES))
def test_empty_file(language: str) -> None:
    parsed = parse_definitions(b"", language)
    assert parsed.definitions == ()
    assert not parsed.has_errors
    assert parsed.skipped_reason is None


def test_too_large_is_skipped_with_a_reason() -> None:
    source = "def f():\n    pass\n" * 10
    parsed = parse_definitions(source, "python", max_bytes=20)
    assert parsed.skipped_reason == "too_large"
    assert parsed.definitions == ()
    changes = diff_definitions(None, source, "python", max_bytes=20)
    assert changes.skipped_reason == "too_large"
    assert changes.is_empty


@pytest.mark.parametrize("language", ["cobol", "c", ""])
def test_unsupported_language(language: str) -> None:
    with pytest.raises(UnsupportedLanguageError, match="unsupported language"):
        extract_definitions("int main() {}", language)
    with pytest.raises(UnsupportedLanguageError):
        diff_definitions(None, "x", language)
    with pytest.raises(ValueError):  # it is a ValueError too
        get_parser(language)


@pytest.mark.parametrize(
    ("path", "language"),
    [
        ("a/b.py", "python"),
        ("lib.rs", "rust"),
        ("Main.java", "java"),
        ("x.js", "javascript"),
        ("x.mjs", "javascript"),
        ("x.cjs", "javascript"),
        ("x.JSX", "javascript"),
        ("x.ts", "typescript"),
        ("x.tsx", "tsx"),
        ("main.go", "go"),
        ("README.md", None),
        ("Makefile", None),
    ],
)
def test_language_for_path(path: str, language: str | None) -> None:
    assert language_for_path(path) == language


def test_language_names_are_case_insensitive_and_parsers_cached() -> None:
    assert get_parser("Python") is get_parser("python")
    assert extract_definitions("def f(): pass\n", "Python")[0].name == "f"
