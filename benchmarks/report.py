"""Keep each benchmark's table in its own marked section of docs/benchmarks.md."""

from __future__ import annotations

from pathlib import Path


def write_section(path: Path, key: str, title: str, body: str) -> None:
    """Replace the section between ``<!-- key:begin -->`` and ``<!-- key:end -->``,
    or append it under ``title`` the first time."""
    begin, end = f"<!-- {key}:begin -->", f"<!-- {key}:end -->"
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    section = f"{begin}\n{body}\n{end}"
    if begin in text:
        start, stop = text.index(begin), text.index(end) + len(end)
        text = text[:start] + section + text[stop:]
    else:
        text = f"{text.rstrip()}\n\n## {title}\n\n{section}\n"
    path.write_text(text)
