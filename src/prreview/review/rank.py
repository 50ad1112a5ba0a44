"""Rank generated comments and keep the best, as the original design's
classifier-then-ranker step: the filter's classifier scores each comment by how
likely it is a kind of comment worth keeping, then the top ``k`` per file above
``min_score`` stay."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np

from prreview.comments.classifier import CommentClassifier
from prreview.comments.embed import CachedEncoder
from prreview.comments.features import comment_features
from prreview.review.inference import ReviewedFile

Scorer = Callable[[Sequence[str]], np.ndarray]


def classifier_scorer(
    classifier: CommentClassifier,
    encoder: CachedEncoder,
    keep_categories: Sequence[str],
) -> Scorer:
    """Probability that a comment belongs to one of ``keep_categories``."""
    unknown = set(keep_categories) - set(classifier.classes)
    if unknown:
        raise ValueError(f"categories the classifier does not know: {sorted(unknown)}")
    estimator = classifier.estimator
    columns = [list(estimator.classes_).index(name) for name in keep_categories]

    def score(bodies: Sequence[str]) -> np.ndarray:
        if not bodies:
            return np.zeros(0)
        features = comment_features(
            encoder, bodies, [""] * len(bodies), classifier.include_diff_hunk
        )
        return estimator.predict_proba(features)[:, columns].sum(axis=1)

    return score


def rank_reviews(
    reviews: Sequence[ReviewedFile],
    score: Scorer,
    *,
    top_k: int | None = None,
    min_score: float = 0.0,
) -> list[ReviewedFile]:
    """Each file's comments best first, cut to ``top_k`` and ``min_score``; the
    cuts are counted as ``dropped:rank_score`` and ``dropped:rank_top_k``."""
    bodies = [c.body for review in reviews for c in review.comments]
    scores = iter(score(bodies).tolist())
    ranked = []
    for review in reviews:
        scored = sorted(
            ((next(scores), index, c) for index, c in enumerate(review.comments)),
            key=lambda item: (-item[0], item[1]),
        )
        counts = Counter(review.counts)
        above = [item for item in scored if item[0] >= min_score]
        counts["dropped:rank_score"] += len(scored) - len(above)
        kept = above if top_k is None else above[:top_k]
        counts["dropped:rank_top_k"] += len(above) - len(kept)
        counts["kept"] = len(kept)
        status = review.status
        if not kept and status == "comments":
            status = "no_comments"
        ranked.append(
            replace(
                review,
                status=status,
                comments=tuple(c for _, _, c in kept),
                counts=dict(counts),
            )
        )
    return ranked
