"""Partitions as nodes see them: ``{partition_id: rows}`` where a PartitionedDataset
gives a loader per partition and an in-memory catalog gives the rows themselves."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from prreview.schemas import Record, validate_records

R = TypeVar("R", bound=Record)
K = TypeVar("K", bound=Hashable)

Rows = list[dict[str, Any]]
Partitions = dict[str, Rows | Callable[[], Rows]]


def partition_rows(value: Rows | Callable[[], Rows]) -> Rows:
    """A partition's rows, loading them if the catalog handed a loader."""
    return value() if callable(value) else value


def iteration_key(iteration: int) -> str:
    """The partition id of an iteration's output (``iter_0003``)."""
    return f"iter_{iteration:04d}"


def latest_records(
    model: type[R], partitions: Partitions, key: Callable[[R], K]
) -> dict[K, R]:
    """Each key's validated record from its latest ``iteration`` (a PR ingested
    again later keeps its newest version; a tie goes to the later partition)."""
    latest: dict[K, R] = {}
    for partition_id in sorted(partitions):
        for record in validate_records(model, partition_rows(partitions[partition_id])):
            k = key(record)
            if k not in latest or latest[k].iteration <= record.iteration:  # type: ignore[attr-defined]
                latest[k] = record
    return latest
