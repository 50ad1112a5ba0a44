"""Partitions as nodes see them: ``{partition_id: rows}`` where a PartitionedDataset
gives a loader per partition and an in-memory catalog gives the rows themselves."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Rows = list[dict[str, Any]]
Partitions = dict[str, Rows | Callable[[], Rows]]


def partition_rows(value: Rows | Callable[[], Rows]) -> Rows:
    """A partition's rows, loading them if the catalog handed a loader."""
    return value() if callable(value) else value


def iteration_key(iteration: int) -> str:
    """The partition id of an iteration's output (``iter_0003``)."""
    return f"iter_{iteration:04d}"
