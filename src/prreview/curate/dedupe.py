"""Exact and near-duplicate removal across sources and iterations.

Exact duplicates are found by a hash of the text with whitespace runs collapsed to one
space. Case is kept: in code ``Foo`` and ``foo`` are different identifiers, and a
review comment that differs only in case is rare enough not to matter.

Near duplicates are found with MinHash signatures over word shingles (words split on
whitespace, lowercased: a regex tokenizer cost 3x the time for no measurable recall)
and datasketch's ``MinHashLSH``, then
confirmed by the signatures' estimated Jaccard similarity, so an LSH false positive
is never dropped. Signatures are computed for many texts at once with numpy, in
exactly the form datasketch's ``MinHash.update_batch`` gives for the same shingle
hashes (scheme ``affine32``), which is what makes 100k+ records take seconds.

Every record is compared only with the records kept before it, in the order of the
caller's sort key: the representative of a group of duplicates is the record with
the smallest key, whatever the input order.
"""

from __future__ import annotations

import hashlib
import logging
import zlib
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Generic, Literal, TypeVar

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH
from tqdm.auto import tqdm

logger = logging.getLogger(__name__)

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)

_SCHEME = "affine32"
_CHUNK_SHINGLES = 1 << 16  # rows of one (shingles x num_perm) uint32 block: 32 MiB
_MAX_CACHED_TOKENS = 2_000_000
LSH_WEIGHTS = (0.1, 0.9)  # (false positive, false negative) weights for the bands
# MurmurHash3 32-bit finalizer, as datasketch pre-mixes input hashes (affine32).
_FMIX = (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16)


def normalize(text: str) -> str:
    """Whitespace runs collapsed to one space, ends stripped; case kept."""
    return " ".join(text.split())


def exact_hash(text: str) -> str:
    """A stable 128-bit hex digest of the normalized text."""
    data = normalize(text).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class _TokenHashes(dict[str, int]):
    """crc32 of each distinct token, computed once: vocabularies are Zipfian, so a
    dict hit is several times cheaper than encoding and hashing again."""

    def __missing__(self, token: str) -> int:
        if len(self) > _MAX_CACHED_TOKENS:
            self.clear()
        value = zlib.crc32(token.encode("utf-8", "surrogatepass"))
        self[token] = value
        return value


def _multipliers(size: int) -> np.ndarray:
    rng = np.random.RandomState(0x5EED + size)
    return rng.randint(0, 1 << 31, size, dtype=np.uint32) * np.uint32(2) + np.uint32(1)


class MinHasher:
    """MinHash signatures of texts over word shingles of ``shingle_size`` tokens.

    A shingle's hash combines its tokens' crc32 values with fixed odd multipliers
    (mod 2^32), so it is stable across processes, unlike Python's ``hash``.
    """

    def __init__(self, *, num_perm: int = 128, shingle_size: int = 3, seed: int = 1):
        if shingle_size < 1:
            raise ValueError(f"shingle_size must be >= 1, got {shingle_size}")
        self.num_perm = num_perm
        self.shingle_size = shingle_size
        self.seed = seed
        a, b = MinHash(num_perm=num_perm, seed=seed, scheme=_SCHEME).permutations
        self._a = a.astype(np.uint32)[:, None]
        self._b = b.astype(np.uint32)[:, None]
        self._mult = _multipliers(shingle_size)
        self._tokens = _TokenHashes()

    def shingle_hashes(self, text: str) -> np.ndarray:
        """uint32 hashes of the text's shingles (one shingle if it is shorter than
        ``shingle_size`` tokens, none if it has no tokens)."""
        tokens = text.lower().split()
        hashes = np.fromiter(
            map(self._tokens.__getitem__, tokens), dtype=np.uint32, count=len(tokens)
        )
        size = min(self.shingle_size, len(hashes))
        if size == 0:
            return hashes
        count = len(hashes) - size + 1
        out = hashes[:count] * self._mult[0]
        for offset in range(1, size):
            out += hashes[offset : offset + count] * self._mult[offset]
        return out

    def _permuted_min(self, hashes: np.ndarray, starts: np.ndarray) -> np.ndarray:
        s1, m1, s2, m2, s3 = (np.uint32(value) for value in _FMIX)
        hv = hashes ^ (hashes >> s1)
        hv = hv * m1
        hv = hv ^ (hv >> s2)
        hv = hv * m2
        hv = hv ^ (hv >> s3)
        # (num_perm, shingles): each permutation's row is contiguous, which makes
        # the per-text minimum (reduceat along a row) several times faster.
        permuted = self._a * hv[None, :]
        permuted += self._b
        return np.minimum.reduceat(permuted, starts, axis=1).T

    def signatures(self, texts: Iterable[str]) -> np.ndarray:
        """An ``(n, num_perm)`` uint32 array; a text without tokens gets the all-max
        signature (an empty MinHash), which :func:`is_empty` reports."""
        per_text = [self.shingle_hashes(text) for text in texts]
        out = np.full((len(per_text), self.num_perm), 0xFFFFFFFF, dtype=np.uint32)
        batch: list[int] = []
        rows = 0
        for index, hashes in enumerate(per_text):
            if len(hashes) == 0:
                continue
            batch.append(index)
            rows += len(hashes)
            if rows >= _CHUNK_SHINGLES:
                self._fill(out, per_text, batch)
                batch, rows = [], 0
        if batch:
            self._fill(out, per_text, batch)
        return out

    def _fill(self, out: np.ndarray, per_text: list[np.ndarray], batch: list[int]):
        lengths = np.array([len(per_text[index]) for index in batch])
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        joined = np.concatenate([per_text[index] for index in batch])
        out[batch] = self._permuted_min(joined, starts)

    def lean(self, signature: np.ndarray) -> LeanMinHash:
        """The signature as a datasketch ``LeanMinHash`` (for LSH and ``jaccard``)."""
        return LeanMinHash(seed=self.seed, hashvalues=signature, scheme=_SCHEME)


def is_empty(signature: np.ndarray) -> bool:
    """True for the signature of a text without tokens."""
    return bool((signature == 0xFFFFFFFF).all())


def similarity(first: np.ndarray, second: np.ndarray) -> float:
    """Estimated Jaccard similarity: the fraction of equal signature slots."""
    return float(np.count_nonzero(first == second)) / len(first)


class NearDuplicateIndex(Generic[K]):
    """Texts under caller keys, queryable for near duplicates of a new text: the
    dedupe step uses one for kept records, the split leakage check one per split."""

    def __init__(
        self,
        *,
        threshold: float = 0.8,
        num_perm: int = 128,
        shingle_size: int = 3,
        seed: int = 1,
        hasher: MinHasher | None = None,
    ) -> None:
        self.threshold = threshold
        self.hasher = hasher or MinHasher(
            num_perm=num_perm, shingle_size=shingle_size, seed=seed
        )
        # LSH bands tuned towards recall (false negatives weigh 0.9): candidates are
        # verified on their signatures, so a false positive costs one comparison,
        # while the balanced default finds only ~40% of pairs right at the threshold.
        self._lsh = MinHashLSH(
            threshold=threshold, num_perm=self.hasher.num_perm, weights=LSH_WEIGHTS
        )
        self._signatures: dict[K, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def __contains__(self, key: object) -> bool:
        return key in self._signatures

    def add_signature(self, key: K, signature: np.ndarray) -> None:
        """Index a precomputed signature; empty texts are not indexed."""
        if key in self._signatures:
            raise ValueError(f"key {key!r} is already indexed")
        if is_empty(signature):
            return
        self._signatures[key] = signature
        self._lsh.insert(key, self.hasher.lean(signature), check_duplication=False)

    def add_many(self, keys: Sequence[K], texts: Sequence[str]) -> None:
        """Index texts under keys, signatures computed in one batch."""
        for key, signature in zip(keys, self.hasher.signatures(texts), strict=True):
            self.add_signature(key, signature)

    def query_signature(self, signature: np.ndarray) -> list[tuple[K, float]]:
        """Indexed keys at or above the threshold, most similar first."""
        if is_empty(signature) or not self._signatures:
            return []
        found = []
        for key in self._lsh.query(self.hasher.lean(signature)):
            score = similarity(signature, self._signatures[key])
            if score >= self.threshold:
                found.append((key, score))
        found.sort(key=lambda pair: (-pair[1], str(pair[0])))
        return found

    def query(self, text: str) -> list[tuple[K, float]]:
        """Near duplicates of ``text`` among the indexed texts."""
        return self.query_signature(self.hasher.signatures([text])[0])

    def query_many(self, texts: Sequence[str]) -> list[list[tuple[K, float]]]:
        """:meth:`query` for many texts, signatures computed in one batch."""
        return [self.query_signature(sig) for sig in self.hasher.signatures(texts)]


@dataclass(frozen=True)
class Duplicate(Generic[T]):
    """A dropped record, the key of the kept record it duplicates, and how."""

    item: T
    key: str
    kind: Literal["exact", "near"]
    duplicate_of: str
    similarity: float


@dataclass
class DedupeResult(Generic[T]):
    """Kept records in input order, and what was dropped and why."""

    kept: list[T]
    dropped: list[Duplicate[T]] = field(default_factory=list)

    @property
    def exact(self) -> int:
        return sum(1 for duplicate in self.dropped if duplicate.kind == "exact")

    @property
    def near(self) -> int:
        return sum(1 for duplicate in self.dropped if duplicate.kind == "near")

    @property
    def counts(self) -> dict[str, int]:
        return {"in": len(self.kept) + len(self.dropped), "kept": len(self.kept)} | {
            "exact": self.exact,
            "near": self.near,
        }


def deduplicate(
    items: Sequence[T],
    text_of: Callable[[T], str],
    key_of: Callable[[T], str],
    *,
    near: bool = True,
    threshold: float = 0.8,
    num_perm: int = 128,
    shingle_size: int = 3,
    seed: int = 1,
    progress: bool = False,
) -> DedupeResult[T]:
    """Drop exact, then near duplicates, keeping the smallest ``key_of`` of each group.

    Records are visited in ``(key, exact hash)`` order, so the outcome does not
    depend on the input order as long as keys are unique; a record is dropped if it
    matches a record already kept (``duplicate_of`` is the most similar one). This
    is greedy rather than clustering: a chain A~B~C with A and C dissimilar keeps A
    and C, which errs towards keeping data.
    """
    texts = [text_of(item) for item in items]
    keys = [key_of(item) for item in items]
    hashes = [exact_hash(text) for text in texts]
    order = sorted(range(len(items)), key=lambda index: (keys[index], hashes[index]))
    first_of_hash: dict[str, int] = {}
    dropped: dict[int, Duplicate[T]] = {}
    for index in order:
        seen = first_of_hash.setdefault(hashes[index], index)
        if seen != index:
            dropped[index] = Duplicate(
                items[index], keys[index], "exact", keys[seen], 1.0
            )
    survivors = [index for index in order if index not in dropped]
    if near and survivors:
        index_ = NearDuplicateIndex[int](
            threshold=threshold, num_perm=num_perm, shingle_size=shingle_size, seed=seed
        )
        signatures = index_.hasher.signatures(texts[i] for i in survivors)
        rows = tqdm(
            zip(survivors, signatures, strict=True),
            total=len(survivors),
            desc="near dedupe",
            disable=not progress,
        )
        for index, signature in rows:
            matches = index_.query_signature(signature)
            if matches:
                other, score = matches[0]
                dropped[index] = Duplicate(
                    items[index], keys[index], "near", keys[other], score
                )
            else:
                index_.add_signature(index, signature)
    result = DedupeResult(
        kept=[item for index, item in enumerate(items) if index not in dropped],
        dropped=[dropped[index] for index in sorted(dropped)],
    )
    logger.info(
        "dedupe: %d in, %d kept, %d exact and %d near duplicates dropped",
        len(items),
        len(result.kept),
        result.exact,
        result.near,
    )
    return result
