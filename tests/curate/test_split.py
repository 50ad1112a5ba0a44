"""Splits by repository: no repository in two splits, deterministic, fractions kept;
the latest-PR test mode; the leakage check."""

from __future__ import annotations

from collections import Counter

import pytest

from prreview.curate.split import (
    LeakageError,
    check_leakage,
    split_by_repository,
)


def corpus(repos: int = 40, prs: int = 5) -> list[dict]:
    items = []
    for r in range(repos):
        for p in range(prs + r % 7):
            items.append(
                {
                    "repo": f"org{r}/repo{r}",
                    "pr": p,
                    "time": f"2024-01-{p + 1:02d}T00:00:00Z",
                    "text": f"review {r} {p} "
                    + " ".join(f"w{r}x{p}y{i}" for i in range(30)),
                }
            )
    return items


def repo(item: dict) -> str:
    return item["repo"]


def text(item: dict) -> str:
    return item["text"]


def repos_of(rows: list[dict]) -> set[str]:
    return {repo(item) for item in rows}


def test_every_repository_in_exactly_one_split_and_fractions_roughly_kept() -> None:
    items = corpus()
    splits = split_by_repository(
        items, repo, {"train": 0.7, "eval": 0.15, "test": 0.15}, seed=3
    )
    assert sum(len(rows) for rows in splits.values()) == len(items)
    seen = Counter(r for rows in splits.values() for r in repos_of(rows))
    assert set(seen.values()) == {1}
    for name, fraction in {"train": 0.7, "eval": 0.15, "test": 0.15}.items():
        assert abs(len(splits[name]) / len(items) - fraction) < 0.06
    assert check_leakage(splits, repo, text) == []


def test_deterministic_for_a_seed_and_different_across_seeds() -> None:
    items = corpus()
    first = split_by_repository(items, repo, seed=1)
    assert first == split_by_repository(items, repo, seed=1)
    reversed_input = split_by_repository(items[::-1], repo, seed=1)
    assert all(repos_of(first[n]) == repos_of(reversed_input[n]) for n in first)
    other_seed = split_by_repository(items, repo, seed=2)
    assert repos_of(first["eval"]) != repos_of(other_seed["eval"])
    assert first["test"] == []


def test_edge_cases() -> None:
    assert split_by_repository([], repo) == {"train": [], "eval": [], "test": []}
    single = corpus(repos=1)
    assert split_by_repository(single, repo)["train"] == single
    with pytest.raises(ValueError, match="sum to 1"):
        split_by_repository(single, repo, {"train": 0.8, "eval": 0.1})
    two = corpus(repos=2)
    assert all(split_by_repository(two, repo)[name] for name in ("train", "eval"))


def test_latest_prs_form_the_test_set() -> None:
    items = corpus(repos=10)
    splits = split_by_repository(
        items,
        repo,
        {"train": 0.8, "eval": 0.2, "test": 0.0},
        latest_test=0.2,
        time_of=lambda item: item["time"],
        pr_of=lambda item: item["pr"],
    )
    for name in repos_of(items):
        prs = sorted({i["pr"] for i in items if i["repo"] == name})
        test_prs = {i["pr"] for i in splits["test"] if i["repo"] == name}
        assert test_prs and max(prs) in test_prs and min(prs) not in test_prs
    assert not repos_of(splits["train"]) & repos_of(splits["eval"])
    leaks = check_leakage(splits, repo, text, pr_of=lambda item: item["pr"])
    assert leaks == []
    with pytest.raises(ValueError, match="test fraction"):
        split_by_repository(
            items,
            repo,
            latest_test=0.2,
            time_of=repr,
            pr_of=repr,
            fractions={"train": 0.8, "test": 0.2},
        )


def test_leakage_reports_a_crossing_repository_and_a_near_duplicate() -> None:
    splits = split_by_repository(corpus(), repo, seed=0)
    moved = dict(splits["eval"][0])
    copy = dict(
        splits["train"][-1],
        repo="fresh/repo",
        text=splits["train"][-1]["text"] + " extra",
    )
    splits["train"] = [*splits["train"], moved]
    splits["eval"] = [*splits["eval"], copy]
    leaks = check_leakage(splits, repo, text)
    kinds = Counter(leak.kind for leak in leaks)
    assert kinds["repository"] == 1
    assert any(
        leak.kind == "repository" and leak.subject == moved["repo"] for leak in leaks
    )
    assert kinds["near_duplicate"] == 2  # the moved record, the edited copy
    with pytest.raises(LeakageError, match="repository"):
        raise LeakageError(leaks)
