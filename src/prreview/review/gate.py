"""The promotion gate: a candidate adapter is approved only if it beats the base
model by the configured margins on the configured metrics, and stays within the
absolute limits (a candidate that mostly fails to parse is rejected whatever its
scores); otherwise it is rejected, with every reason."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class GateSettings:
    """``margins``: metric -> how much higher the candidate must score than the base
    (0 means at least as high). ``limits``: metric -> the candidate's maximum."""

    margins: Mapping[str, float] = field(
        default_factory=lambda: {"location_near_f1": 0.01, "bertscore_f1": 0.0}
    )
    limits: Mapping[str, float] = field(
        default_factory=lambda: {"parse_failure_rate": 0.5}
    )

    def __post_init__(self) -> None:
        if not self.margins:
            raise ValueError("the gate needs at least one metric to compare")


@dataclass(frozen=True)
class GateDecision:
    approved: bool
    reasons: tuple[str, ...]
    comparisons: dict[str, dict[str, float]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": "approved" if self.approved else "rejected",
            "reasons": list(self.reasons),
            "comparisons": self.comparisons,
        }


def decide(
    base: Mapping[str, float], candidate: Mapping[str, float], settings: GateSettings
) -> GateDecision:
    """Approve only if every margin and every limit holds; a metric missing from
    either side is a failure, not a pass."""
    reasons: list[str] = []
    comparisons: dict[str, dict[str, float]] = {}
    for metric, margin in sorted(settings.margins.items()):
        if metric not in base or metric not in candidate:
            reasons.append(f"{metric}: not measured for both models")
            continue
        gain = float(candidate[metric]) - float(base[metric])
        comparisons[metric] = {
            "base": float(base[metric]),
            "candidate": float(candidate[metric]),
            "gain": gain,
            "margin": float(margin),
        }
        if gain < margin - 1e-9:  # float noise: 0.21 - 0.2 < 0.01
            reasons.append(
                f"{metric}: candidate {candidate[metric]:.4f} vs base "
                f"{base[metric]:.4f} (gain {gain:+.4f}, needs {margin:+.4f})"
            )
    for metric, limit in sorted(settings.limits.items()):
        if metric not in candidate:
            reasons.append(f"{metric}: not measured for the candidate")
        elif float(candidate[metric]) > limit:
            reasons.append(
                f"{metric}: candidate {candidate[metric]:.4f} above the limit {limit}"
            )
    return GateDecision(not reasons, tuple(reasons), comparisons)
