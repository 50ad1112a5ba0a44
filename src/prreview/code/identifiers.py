"""Definitions (functions, classes, types, ...) in a source file, and how they changed.

The commits pipeline describes a commit by the identifiers it adds, removes and
modifies; tree-sitter gives that for six languages without building anything, and it
tolerates broken files, so a half-written file still yields what it can.

Names are qualified by their enclosing definitions: ``Class.method`` and
``outer.inner`` (Python, Java, JS/TS, Go), ``Type::method`` for Rust inherent impls,
``<Type as Trait>::method`` for Rust trait impls (Rust's own fully qualified syntax,
so ``Display`` and ``Debug`` impls do not collide), ``Receiver.Method`` for Go.
Modules and namespaces qualify names but are not definitions themselves.

"Modified" means same name and kind, different body or visibility. The body hash
covers the whole node with whitespace runs collapsed, so moving or re-indenting a
definition is not a change, and a class whose method changed is modified too.
Visibility follows each language's rules (see ``_VISIBILITY_RULES`` below).
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, replace
from functools import cache
from pathlib import PurePosixPath
from typing import Any, Literal, cast

import tree_sitter_go
import tree_sitter_java
import tree_sitter_javascript
import tree_sitter_python
import tree_sitter_rust
import tree_sitter_typescript
from tree_sitter import Language, Node, Parser, Tree

logger = logging.getLogger(__name__)

Kind = Literal[
    "function",
    "method",
    "constructor",
    "class",
    "struct",
    "enum",
    "trait",
    "interface",
    "impl",
    "type_alias",
    "type",
]
Visibility = Literal["public", "private", "protected", "package", "internal"]

LANGUAGES = ("python", "rust", "java", "javascript", "typescript", "tsx", "go")
DEFAULT_MAX_BYTES = 1_000_000

_GRAMMARS: dict[str, Callable[[], object]] = {
    "python": tree_sitter_python.language,
    "rust": tree_sitter_rust.language,
    "java": tree_sitter_java.language,
    "javascript": tree_sitter_javascript.language,
    "typescript": tree_sitter_typescript.language_typescript,
    "tsx": tree_sitter_typescript.language_tsx,
    "go": tree_sitter_go.language,
}
_EXTENSIONS = {
    ".py": "python",
    ".pyi": "python",
    ".rs": "rust",
    ".java": "java",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".jsx": "javascript",
    ".ts": "typescript",
    ".mts": "typescript",
    ".cts": "typescript",
    ".tsx": "tsx",
    ".go": "go",
}
_ALIASES = {
    "py": "python",
    "rs": "rust",
    "js": "javascript",
    "jsx": "javascript",
    "ts": "typescript",
    "golang": "go",
}
_WHITESPACE = re.compile(rb"\s+")


class UnsupportedLanguageError(ValueError):
    """The language (or the file's extension) has no tree-sitter grammar here."""


@dataclass(frozen=True, slots=True)
class Definition:
    """One named definition; ``body_hash`` changes when its text does."""

    name: str
    kind: Kind
    visibility: Visibility
    start_line: int
    end_line: int
    body_hash: str

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """What one file yielded; ``skipped_reason`` is set when it was not parsed."""

    language: str
    definitions: tuple[Definition, ...] = ()
    has_errors: bool = False
    skipped_reason: str | None = None


@dataclass(frozen=True, slots=True)
class DefinitionChange:
    """A definition present on both sides with a different body or visibility."""

    before: Definition
    after: Definition

    @property
    def name(self) -> str:
        """The (shared) qualified name."""
        return self.after.name

    @property
    def kind(self) -> Kind:
        """The (shared) kind."""
        return self.after.kind

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with both sides."""
        return {
            "name": self.name,
            "kind": self.kind,
            "before": self.before.as_dict(),
            "after": self.after.as_dict(),
        }


@dataclass(frozen=True, slots=True)
class IdentifierChanges:
    """Definitions added, removed and modified between two versions of a file."""

    language: str
    added: tuple[Definition, ...] = ()
    removed: tuple[Definition, ...] = ()
    modified: tuple[DefinitionChange, ...] = ()
    has_errors: bool = False
    skipped_reason: str | None = None

    @property
    def is_empty(self) -> bool:
        """True when nothing was added, removed or modified."""
        return not (self.added or self.removed or self.modified)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; lists keep their sorted order."""
        return {
            "language": self.language,
            "added": [d.as_dict() for d in self.added],
            "removed": [d.as_dict() for d in self.removed],
            "modified": [c.as_dict() for c in self.modified],
            "has_errors": self.has_errors,
            "skipped_reason": self.skipped_reason,
        }


# --- languages and parsers -------------------------------------------------------


def language_for_path(path: str) -> str | None:
    """The grammar name for a file's extension, or None when there is none."""
    return _EXTENSIONS.get(PurePosixPath(path).suffix.lower())


def normalize_language(language: str) -> str:
    """A grammar name from a name or alias ("js", "ts", "py", any case), else error."""
    name = _ALIASES.get(language.lower(), language.lower())
    if name not in _GRAMMARS:
        raise UnsupportedLanguageError(
            f"unsupported language {language!r}; supported: {', '.join(LANGUAGES)}"
        )
    return name


@cache
def _grammar(language: str) -> Language:
    return Language(_GRAMMARS[language]())


_local = threading.local()


def get_parser(language: str) -> Parser:
    """One parser per language and thread (a Parser is not safe to share)."""
    name = normalize_language(language)
    parsers: dict[str, Parser] = _local.__dict__.setdefault("parsers", {})
    if name not in parsers:
        parsers[name] = Parser(_grammar(name))
    return parsers[name]


def to_bytes(source: bytes | str) -> bytes:
    """UTF-8 bytes for tree-sitter; lone surrogates from a lenient decode survive."""
    return (
        source if isinstance(source, bytes) else source.encode("utf-8", "surrogatepass")
    )


def parse_tree(source: bytes | str, language: str) -> Tree:
    """A tree-sitter tree for the source (never raises on bad syntax)."""
    return get_parser(language).parse(to_bytes(source))


# --- extraction --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Scope:
    """Where the walk is: qualifying names and the enclosing definition's kind."""

    parts: tuple[str, ...] = ()
    container: str | None = None  # kind of the nearest definition, or "module"
    visibility: Visibility = "public"  # of that definition (trait/interface members)
    trait_impl: bool = False


@dataclass(frozen=True, slots=True)
class _Found:
    """A definition node as a language rule sees it."""

    name: str | None  # None: qualifies nested names but is not emitted (modules)
    kind: str
    visibility: Visibility
    span: Node  # the node hashed and measured (a decorated def includes decorators)
    scope_name: str  # what nested definitions are qualified with
    walk: Node  # whose children are searched for nested definitions
    trait_impl: bool = False


@dataclass(frozen=True, slots=True)
class _Context:
    """Per-file facts a rule needs beyond the node (JS/TS export lists)."""

    exported_names: frozenset[str] = frozenset()


def _text(node: Node | None) -> str:
    if node is None or node.text is None:
        return ""
    return node.text.decode("utf-8", "replace")


def _name(node: Node, field_name: str = "name") -> str:
    return _text(node.child_by_field_name(field_name))


def _body_hash(node: Node) -> str:
    normalized = _WHITESPACE.sub(b" ", node.text or b"").strip()
    return hashlib.sha256(normalized).hexdigest()[:16]


def _python(node: Node, scope: _Scope, _: _Context) -> _Found | None:
    span = node
    if node.type == "decorated_definition":
        inner = node.child_by_field_name("definition")
        if inner is None:
            return None
        node = inner
    if node.type == "type_alias_statement":
        name = _text(node.child_by_field_name("left"))
        return _Found(name, "type_alias", _python_visibility(name), span, name, node)
    if node.type not in ("function_definition", "class_definition"):
        return None
    name = _name(node)
    if node.type == "class_definition":
        kind = "class"
    else:
        kind = "method" if scope.container == "class" else "function"
    return _Found(name, kind, _python_visibility(name), span, name, node)


def _python_visibility(name: str) -> Visibility:
    dunder = name.startswith("__") and name.endswith("__")
    return "private" if name.startswith("_") and not dunder else "public"


_RUST_KINDS = {
    "struct_item": "struct",
    "union_item": "struct",
    "enum_item": "enum",
    "trait_item": "trait",
    "type_item": "type_alias",
}


def _rust(node: Node, scope: _Scope, _: _Context) -> _Found | None:
    kind = _RUST_KINDS.get(node.type)
    if kind is not None:
        name = _name(node)
        return _Found(name, kind, _rust_visibility(node, scope), node, name, node)
    if node.type == "mod_item":
        name = _name(node)
        return _Found(None, "module", "public", node, name, node)
    if node.type in ("function_item", "function_signature_item"):
        name = _name(node)
        in_type = scope.container in ("impl", "trait")
        kind = "method" if in_type else "function"
        return _Found(name, kind, _rust_visibility(node, scope), node, name, node)
    if node.type == "impl_item":
        type_node = node.child_by_field_name("type")
        if type_node is not None and type_node.type == "generic_type":
            type_node = type_node.child_by_field_name("type")
        type_name = _text(type_node)
        trait = _text(node.child_by_field_name("trait"))
        if trait:
            name, scope_name = (
                f"impl {trait} for {type_name}",
                f"<{type_name} as {trait}>",
            )
        else:
            name, scope_name = f"impl {type_name}", type_name
        # The impl's visibility is fixed up from the type's in _fix_rust_impls.
        return _Found(name, "impl", "public", node, scope_name, node, bool(trait))
    return None


def _rust_visibility(node: Node, scope: _Scope) -> Visibility:
    if scope.container == "trait":
        return scope.visibility  # trait items are as visible as the trait
    if scope.trait_impl:
        return "public"  # trait impl items cannot have their own visibility
    modifier = next((c for c in node.children if c.type == "visibility_modifier"), None)
    if modifier is None:
        return "private"
    text = _WHITESPACE.sub(b"", modifier.text or b"").decode("utf-8", "replace")
    if text == "pub":
        return "public"
    return "private" if text == "pub(self)" else "internal"


_JAVA_KINDS = {
    "class_declaration": "class",
    "record_declaration": "class",
    "interface_declaration": "interface",
    "annotation_type_declaration": "interface",
    "enum_declaration": "enum",
    "method_declaration": "method",
    "constructor_declaration": "constructor",
    "compact_constructor_declaration": "constructor",
}


def _java(node: Node, scope: _Scope, _: _Context) -> _Found | None:
    kind = _JAVA_KINDS.get(node.type)
    if kind is None:
        return None
    name = _name(node)
    return _Found(name, kind, _java_visibility(node, kind, scope), node, name, node)


def _java_visibility(node: Node, kind: str, scope: _Scope) -> Visibility:
    modifiers = next((c for c in node.children if c.type == "modifiers"), None)
    words = {c.type for c in modifiers.children} if modifiers is not None else set()
    for word in ("public", "private", "protected"):
        if word in words:
            return cast(Visibility, word)
    if scope.container == "interface":
        return "public"  # interface members are implicitly public
    if scope.container == "enum" and kind == "constructor":
        return "private"  # enum constructors are implicitly private
    return "package"


_JS_DECLARATIONS = {
    "function_declaration": "function",
    "generator_function_declaration": "function",
    "function_signature": "function",
    "class_declaration": "class",
    "abstract_class_declaration": "class",
    "interface_declaration": "interface",
    "type_alias_declaration": "type_alias",
    "enum_declaration": "enum",
}
_JS_MEMBERS = ("method_definition", "method_signature", "abstract_method_signature")
_JS_FIELDS = ("field_definition", "public_field_definition")
_JS_FUNCTION_VALUES = ("arrow_function", "function_expression", "generator_function")
_JS_WRAPPERS = ("lexical_declaration", "variable_declaration", "ambient_declaration")


def _javascript(node: Node, scope: _Scope, ctx: _Context) -> _Found | None:
    if node.type in _JS_DECLARATIONS:
        return _js_declaration(node, scope, ctx)
    if node.type in _JS_MEMBERS or node.type in _JS_FIELDS:
        return _js_member(node, scope)
    if node.type == "variable_declarator":  # const f = () => {}
        return _js_variable(node, scope, ctx)
    if node.type == "export_statement":  # export default function () {}
        value = node.child_by_field_name("value")
        if value is not None and value.type in _JS_FUNCTION_VALUES:
            return _Found("default", "function", "public", node, "default", value)
    elif node.type in ("internal_module", "module"):  # TS namespaces
        return _Found(None, "module", "public", node, _name(node), node)
    return None


def _js_declaration(node: Node, scope: _Scope, ctx: _Context) -> _Found | None:
    name = _name(node) or _default_export_name(node)
    if name is None:
        return None
    vis = _js_visibility(node, name, scope, ctx)
    return _Found(name, _JS_DECLARATIONS[node.type], vis, node, name, node)


def _js_variable(node: Node, scope: _Scope, ctx: _Context) -> _Found | None:
    value = node.child_by_field_name("value")
    if value is None or value.type not in _JS_FUNCTION_VALUES:
        return None
    name = _name(node)
    vis = _js_visibility(node, name, scope, ctx)
    return _Found(name, "function", vis, node, name, value)


def _js_member(node: Node, scope: _Scope) -> _Found | None:
    name_node = node.child_by_field_name("name") or node.child_by_field_name("property")
    if node.type in _JS_FIELDS:
        value = node.child_by_field_name("value")
        if value is None or value.type not in _JS_FUNCTION_VALUES:
            return None
    if scope.container not in ("class", "interface"):
        return None  # object-literal methods are values, not definitions
    name = _text(name_node)
    kind = "constructor" if name == "constructor" else "method"
    if scope.container == "interface":
        return _Found(name, kind, "public", node, name, node)
    modifier = next(
        (c for c in node.children if c.type == "accessibility_modifier"), None
    )
    if name_node is not None and name_node.type == "private_property_identifier":
        vis: Visibility = "private"
    elif modifier is not None:
        vis = cast(Visibility, _text(modifier).strip())
    else:
        vis = "public"
    return _Found(name, kind, vis, node, name, node)


def _default_export_name(node: Node) -> str | None:
    parent = node.parent
    if parent is not None and parent.type == "export_statement":
        return "default"
    return None


def _js_visibility(node: Node, name: str, scope: _Scope, ctx: _Context) -> Visibility:
    """Exported (directly or by an ``export { name }`` list) means public."""
    if scope.container not in (None, "module"):
        return "private"  # local to a function or class body
    parent = node.parent
    while parent is not None and parent.type in _JS_WRAPPERS:
        parent = parent.parent
    if parent is not None and parent.type == "export_statement":
        return "public"
    return "public" if name in ctx.exported_names else "private"


def _js_exported_names(root: Node) -> set[str]:
    """Local names listed in ``export { a, b as c }`` (not re-exports ``from``)."""
    names: set[str] = set()
    for node in _iter_nodes(root):
        if node.type != "export_statement" or node.child_by_field_name("source"):
            continue
        for clause in node.children:
            if clause.type == "export_clause":
                names.update(
                    _name(spec)
                    for spec in clause.children
                    if spec.type == "export_specifier"
                )
    return names


def _go(node: Node, scope: _Scope, _: _Context) -> _Found | None:
    if node.type == "function_declaration":
        name = _name(node)
        return _Found(name, "function", _go_visibility(name), node, name, node)
    if node.type == "method_declaration":
        method = _name(node)
        name = f"{_go_receiver(node)}.{method}"
        return _Found(name, "method", _go_visibility(method), node, name, node)
    if node.type in ("type_spec", "type_alias"):
        name = _name(node)
        type_node = node.child_by_field_name("type")
        kind = {"struct_type": "struct", "interface_type": "interface"}.get(
            type_node.type if type_node is not None else "", "type"
        )
        if node.type == "type_alias":
            kind = "type_alias"
        return _Found(name, kind, _go_visibility(name), node, name, node)
    if node.type == "method_elem" and scope.container == "interface":
        name = _name(node)
        return _Found(name, "method", _go_visibility(name), node, name, node)
    return None


def _go_receiver(node: Node) -> str:
    receiver = node.child_by_field_name("receiver")
    params = [c for c in receiver.children if c.is_named] if receiver else []
    type_node = params[0].child_by_field_name("type") if params else None
    while type_node is not None and type_node.type in ("pointer_type", "generic_type"):
        inner = type_node.child_by_field_name("type")
        if inner is None:  # pointer_type has no field: its one named child
            inner = next((c for c in type_node.children if c.is_named), None)
        type_node = inner
    return _text(type_node) or "?"


def _go_visibility(name: str) -> Visibility:
    """Exported (capitalized) names are public; the rest are visible package-wide."""
    return "public" if name[:1].isupper() else "package"


_Rule = Callable[[Node, _Scope, _Context], _Found | None]
_VISIBILITY_RULES: dict[str, _Rule] = {
    # python: a leading underscore (not a dunder) is private.
    "python": _python,
    # rust: pub is public, pub(crate|super|in ..) internal, none private; trait
    # items follow the trait, trait-impl items are public.
    "rust": _rust,
    # java: modifiers; none is package, except interface members (public).
    "java": _java,
    # js/ts: export (or an export list) is public, else private; class members
    # follow accessibility modifiers or a #private name, else public.
    "javascript": _javascript,
    "typescript": _javascript,
    "tsx": _javascript,
    # go: capitalized is public, else package.
    "go": _go,
}
_SEPARATORS = {"rust": "::"}


def _iter_nodes(root: Node) -> Iterator[Node]:
    """Every node under root, depth first, without recursion (deep files are fine)."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children))


def _walk(
    root: Node, rule: _Rule, ctx: _Context, separator: str
) -> Iterator[Definition]:
    stack: list[tuple[Node, _Scope]] = [(child, _Scope()) for child in root.children]
    stack.reverse()
    while stack:
        node, scope = stack.pop()
        found = rule(node, scope, ctx) if node.is_named else None
        if found is None or found.name == "":  # "": a nameless def in broken code
            # Definitions are named nodes with children: tokens and leaves are
            # skipped, which is most of a syntax tree.
            stack.extend(
                (child, scope)
                for child in reversed(node.named_children)
                if child.named_child_count
            )
            continue
        if found.name is not None:
            yield Definition(
                name=separator.join((*scope.parts, found.name)),
                kind=cast(Kind, found.kind),
                visibility=found.visibility,
                start_line=found.span.start_point[0] + 1,
                end_line=found.span.end_point[0] + 1,
                body_hash=_body_hash(found.span),
            )
        inner = _Scope(
            parts=(*scope.parts, found.scope_name),
            container=found.kind,
            visibility=found.visibility,
            trait_impl=found.trait_impl,
        )
        stack.extend((child, inner) for child in reversed(found.walk.children))


def _fix_rust_impls(definitions: list[Definition]) -> list[Definition]:
    """An inherent impl is as visible as its type when the type is in the file."""
    types = {
        d.name: d.visibility
        for d in definitions
        if d.kind in ("struct", "enum", "type_alias")
    }
    fixed = []
    for d in definitions:
        if d.kind == "impl" and " for " not in d.name:
            prefix, _, type_name = d.name.rpartition("impl ")  # "m::impl S"
            visibility = types.get(prefix + type_name, d.visibility)
            fixed.append(replace(d, visibility=visibility))
        else:
            fixed.append(d)
    return fixed


def parse_definitions(
    source: bytes | str, language: str, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> ParsedFile:
    """All definitions in the source, with parse-error and skip information.

    Files over ``max_bytes`` are skipped (``skipped_reason="too_large"``); files with
    syntax errors yield what the error-tolerant tree still holds, ``has_errors=True``.
    """
    name = normalize_language(language)
    data = to_bytes(source)
    if len(data) > max_bytes:
        logger.debug("skipped a %s file of %d bytes (> %d)", name, len(data), max_bytes)
        return ParsedFile(name, skipped_reason="too_large")
    tree = get_parser(name).parse(data)
    exported: set[str] = set()
    if name in ("javascript", "typescript", "tsx"):
        exported = _js_exported_names(tree.root_node)
    ctx = _Context(frozenset(exported))
    rule = _VISIBILITY_RULES[name]
    definitions = list(_walk(tree.root_node, rule, ctx, _SEPARATORS.get(name, ".")))
    if name == "rust":
        definitions = _fix_rust_impls(definitions)
    definitions.sort(key=_sort_key)
    return ParsedFile(name, tuple(definitions), tree.root_node.has_error)


def extract_definitions(source: bytes | str, language: str) -> list[Definition]:
    """All definitions in the source, sorted; see ``parse_definitions`` for skips."""
    return list(parse_definitions(source, language).definitions)


def _sort_key(d: Definition) -> tuple[str, str, int, int]:
    return (d.name, d.kind, d.start_line, d.end_line)


def _match(
    before: list[Definition], after: list[Definition]
) -> tuple[list[Definition], list[Definition], list[DefinitionChange]]:
    """Pair same-named definitions: identical ones cancel, the rest pair in order.

    Overloads (Java, TS) and repeated Rust impls share a name; an added overload is
    then "added", not a change of the one that was already there.
    """
    left = list(before)
    unmatched_after = []
    for definition in after:
        same = next(
            (
                d
                for d in left
                if (d.body_hash, d.visibility)
                == (definition.body_hash, definition.visibility)
            ),
            None,
        )
        if same is None:
            unmatched_after.append(definition)
        else:
            left.remove(same)
    pairs = list(zip(left, unmatched_after, strict=False))
    modified = [DefinitionChange(b, a) for b, a in pairs]
    return (
        unmatched_after[len(pairs) :],
        left[len(pairs) :],
        modified,
    )


def diff_definitions(
    before: bytes | str | None,
    after: bytes | str | None,
    language: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> IdentifierChanges:
    """Definitions added, removed and modified; None is an absent file.

    When either side is skipped (too large) nothing is compared and the result says
    why, so a caller can count it rather than record a commit as changing nothing.
    """
    name = normalize_language(language)
    empty = ParsedFile(name)
    old = (
        empty
        if before is None
        else parse_definitions(before, name, max_bytes=max_bytes)
    )
    new = (
        empty if after is None else parse_definitions(after, name, max_bytes=max_bytes)
    )
    has_errors = old.has_errors or new.has_errors
    skipped = old.skipped_reason or new.skipped_reason
    if skipped is not None:
        return IdentifierChanges(name, has_errors=has_errors, skipped_reason=skipped)
    groups: dict[tuple[str, str], tuple[list[Definition], list[Definition]]] = (
        defaultdict(lambda: ([], []))
    )
    for d in old.definitions:
        groups[d.name, d.kind][0].append(d)
    for d in new.definitions:
        groups[d.name, d.kind][1].append(d)
    added: list[Definition] = []
    removed: list[Definition] = []
    modified: list[DefinitionChange] = []
    for key in sorted(groups):
        a, r, m = _match(*groups[key])
        added += a
        removed += r
        modified += m
    return IdentifierChanges(
        name,
        added=tuple(sorted(added, key=_sort_key)),
        removed=tuple(sorted(removed, key=_sort_key)),
        modified=tuple(sorted(modified, key=lambda c: _sort_key(c.after))),
        has_errors=has_errors,
        skipped_reason=None,
    )
