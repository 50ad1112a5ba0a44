"""The classifier's input for a comment: its embedding, optionally next to its hunk's.

Training and filtering both call :func:`comment_features`, so the two can never build
features differently.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from prreview.comments.embed import CachedEncoder


def comment_features(
    encoder: CachedEncoder,
    bodies: Sequence[str],
    hunks: Sequence[str],
    include_hunk: bool,
) -> np.ndarray:
    """Rows of [comment embedding] or [comment embedding, hunk embedding]; a missing
    hunk contributes zeros rather than the embedding of an empty string."""
    if not bodies:
        width = encoder.dimension * (2 if include_hunk else 1)
        return np.zeros((0, width), dtype=np.float32)
    comment_vectors = encoder.encode(list(bodies))
    if not include_hunk:
        return comment_vectors
    hunk_texts = [hunk or "" for hunk in hunks]
    hunk_vectors = encoder.encode(hunk_texts)
    hunk_vectors[[not hunk for hunk in hunk_texts]] = 0.0
    return np.hstack([comment_vectors, hunk_vectors])
