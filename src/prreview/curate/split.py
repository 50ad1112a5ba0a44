"""Train/eval/test splits by repository, and the check that nothing leaks across.

A model evaluated on a repository it was trained on looks better than it is: the same
idioms, reviewers and even lines recur within a repository. So every repository goes
to exactly one split.

How a repository's split is chosen: each repository gets a rank, the blake2b hash of
``seed`` and its name, and repositories are laid out in rank order, each taking as
much of the [0, 1) line as its share of the records; a repository goes to the split
whose fraction interval holds its midpoint. The rank depends only on the seed and the
name, so a repository added by a later ingest iteration shifts the boundaries a
little but does not reshuffle everything (a seeded shuffle would), while filling by
record count keeps the fractions close even when repositories differ a lot in size
(a pure hash-mod rule would not).

With ``latest_test`` the latest PRs of each repository form the test set instead (a
"future" test: train on the past, test on what came next); the rest is split by
repository into the other splits. A repository then appears in train (or eval) and
in test, so the leakage rule for test applies per PR: no PR in two splits.
"""

from __future__ import annotations

import hashlib
import logging
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

from prreview.curate.dedupe import NearDuplicateIndex

logger = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_FRACTIONS: Mapping[str, float] = {"train": 0.85, "eval": 0.15, "test": 0.0}
TRAIN = "train"
TEST = "test"


class LeakageError(ValueError):
    """A repository, PR or near-duplicate text crosses splits."""

    def __init__(self, leaks: Sequence[Leak]) -> None:
        self.leaks = list(leaks)
        shown = "; ".join(str(leak) for leak in self.leaks[:5])
        more = f" (and {len(self.leaks) - 5} more)" if len(self.leaks) > 5 else ""
        super().__init__(f"{len(self.leaks)} leaks across splits: {shown}{more}")


@dataclass(frozen=True)
class Leak:
    """One crossing: ``subject`` is the repository or PR, or for a near duplicate
    the two records (``split[index]`` unless the caller names them)."""

    kind: Literal["repository", "pull_request", "near_duplicate"]
    splits: tuple[str, str]
    subject: str
    similarity: float | None = None

    def __str__(self) -> str:
        score = "" if self.similarity is None else f" ({self.similarity:.2f})"
        first, second = self.splits
        return f"{self.kind} {self.subject} in {first} and {second}{score}"


def validate_fractions(fractions: Mapping[str, float]) -> dict[str, float]:
    """Fractions as a dict; an error unless they are >= 0 and sum to 1."""
    if not fractions:
        raise ValueError("fractions must name at least one split")
    if any(value < 0 for value in fractions.values()):
        raise ValueError(f"fractions must be >= 0, got {dict(fractions)}")
    total = sum(fractions.values())
    if not math.isclose(total, 1.0, abs_tol=1e-6):
        raise ValueError(f"fractions must sum to 1, got {total:.6g}: {dict(fractions)}")
    return dict(fractions)


def _rank(repo: str, seed: int) -> str:
    return hashlib.blake2b(f"{seed}\0{repo}".encode(), digest_size=8).hexdigest()


def assign_repositories(
    counts: Mapping[str, int], fractions: Mapping[str, float], seed: int = 0
) -> dict[str, str]:
    """Each repository's split, given its record count (see the module docstring)."""
    fractions = validate_fractions(fractions)
    if not counts:
        return {}
    main = TRAIN if TRAIN in fractions else max(fractions, key=fractions.__getitem__)
    if len(counts) == 1:
        (repo,) = counts
        logger.warning("only one repository (%s): all of it goes to %s", repo, main)
        return {repo: main}
    names = [name for name, value in fractions.items() if value > 0]
    bounds, edge = [], 0.0
    for name in names:
        edge += fractions[name]
        bounds.append(edge)
    total = sum(counts.values()) or 1
    assigned: dict[str, str] = {}
    position = 0.0
    for repo in sorted(counts, key=lambda name: (_rank(name, seed), name)):
        share = counts[repo] / total
        middle = position + share / 2
        position += share
        chosen = next((n for n, b in zip(names, bounds) if middle < b), names[-1])
        assigned[repo] = chosen
    _fill_empty_splits(assigned, names, counts)
    return assigned


def _fill_empty_splits(
    assigned: dict[str, str], names: list[str], counts: Mapping[str, int]
) -> None:
    """Give an empty split (fraction > 0) the smallest repository of the split with
    the most repositories, so an eval set is never empty when it could exist."""
    for name in names:
        per_split = Counter(assigned.values())
        if per_split[name]:
            continue
        donor = max(names, key=lambda n: (per_split[n], n == TRAIN))
        if per_split[donor] < 2:
            logger.warning("split %s gets no repository: too few repositories", name)
            continue
        smallest = min(
            (repo for repo, split in assigned.items() if split == donor),
            key=lambda repo: (counts[repo], repo),
        )
        assigned[smallest] = name


def _latest_prs(
    items: Sequence[T],
    repo_of: Callable[[T], str],
    pr_of: Callable[[T], Hashable],
    time_of: Callable[[T], str],
    fraction: float,
) -> set[tuple[str, Hashable]]:
    """The latest ``fraction`` of each repository's PRs (at least one, never all)."""
    latest: dict[tuple[str, Hashable], str] = {}
    for item in items:
        pr = (repo_of(item), pr_of(item))
        latest[pr] = max(latest.get(pr, ""), time_of(item))
    by_repo: dict[str, list[tuple[str, Hashable]]] = defaultdict(list)
    for repo, pr in latest:
        by_repo[repo].append((repo, pr))
    chosen: set[tuple[str, Hashable]] = set()
    for prs in by_repo.values():
        if len(prs) < 2:
            continue
        prs.sort(key=lambda key: (latest[key], str(key[1])))
        take = min(len(prs) - 1, max(1, math.ceil(fraction * len(prs))))
        chosen.update(prs[-take:])
    return chosen


def split_by_repository(
    items: Sequence[T],
    repo_of: Callable[[T], str],
    fractions: Mapping[str, float] = DEFAULT_FRACTIONS,
    seed: int = 0,
    *,
    latest_test: float | None = None,
    time_of: Callable[[T], str] | None = None,
    pr_of: Callable[[T], Hashable] | None = None,
) -> dict[str, list[T]]:
    """Records per split (every split in ``fractions`` present, input order kept).

    ``latest_test``: the fraction of each repository's PRs (by ``time_of``, an ISO
    timestamp; PRs told apart by ``pr_of``) that forms the test split; the test
    fraction in ``fractions`` must then be 0 and the rest is split by repository.
    """
    fractions = validate_fractions(fractions)
    splits: dict[str, list[T]] = {name: [] for name in fractions}
    if not items:
        logger.warning("nothing to split")
        return splits
    held_out: set[tuple[str, Hashable]] = set()
    if latest_test is not None:
        if time_of is None or pr_of is None:
            raise ValueError("latest_test needs time_of and pr_of")
        if not 0 < latest_test < 1:
            raise ValueError(f"latest_test must be in (0, 1), got {latest_test}")
        if fractions.get(TEST, 0.0) > 0:
            raise ValueError("with latest_test the test fraction must be 0")
        held_out = _latest_prs(items, repo_of, pr_of, time_of, latest_test)
        splits.setdefault(TEST, [])

    def held(item: T) -> bool:
        return pr_of is not None and (repo_of(item), pr_of(item)) in held_out

    counts = Counter(repo_of(item) for item in items if not held(item))
    assigned = assign_repositories(counts, fractions, seed)
    for item in items:
        splits[TEST if held(item) else assigned[repo_of(item)]].append(item)
    logger.info(
        "split %d records of %d repositories: %s",
        len(items),
        len(counts),
        {name: len(rows) for name, rows in splits.items()},
    )
    return splits


def check_leakage(
    splits: Mapping[str, Sequence[T]],
    repo_of: Callable[[T], str],
    text_of: Callable[[T], str],
    *,
    threshold: float = 0.8,
    num_perm: int = 128,
    shingle_size: int = 3,
    seed: int = 1,
    pr_of: Callable[[T], Hashable] | None = None,
    name_of: Callable[[T], str] | None = None,
) -> list[Leak]:
    """Repositories (or, with ``pr_of`` for a ``latest_test`` split, PRs) found in
    two splits, and texts with a near duplicate (or an exact copy) in another split.

    An empty list means no leak; the pipeline raises :class:`LeakageError` otherwise.
    """
    leaks: list[Leak] = []
    names = [name for name, rows in splits.items() if rows]
    homes: dict[str, list[str]] = defaultdict(list)
    for name in names:
        groups = {
            repo_of(item) if pr_of is None else f"{repo_of(item)}#{pr_of(item)}"
            for item in splits[name]
        }
        for group in groups:
            homes[group].append(name)
    kind: Literal["repository", "pull_request"] = (
        "repository" if pr_of is None else "pull_request"
    )
    for group, where in sorted(homes.items()):
        leaks.extend(Leak(kind, (where[0], other), group) for other in where[1:])
    index = NearDuplicateIndex[tuple[str, int]](
        threshold=threshold, num_perm=num_perm, shingle_size=shingle_size, seed=seed
    )
    for position, name in enumerate(names):
        rows = splits[name]
        texts = [text_of(item) for item in rows]
        signatures = index.hasher.signatures(texts)
        if position:
            for row, signature in enumerate(signatures):
                for (other, other_row), score in index.query_signature(signature):
                    first = splits[other][other_row]
                    subject = (
                        f"{name_of(first)} ~ {name_of(rows[row])}"
                        if name_of
                        else f"{other}[{other_row}] ~ {name}[{row}]"
                    )
                    leaks.append(Leak("near_duplicate", (other, name), subject, score))
        for row, signature in enumerate(signatures):
            index.add_signature((name, row), signature)
    if leaks:
        logger.warning("%d leaks across splits", len(leaks))
    return leaks
