"""The promotion gate approves a candidate only when every margin and limit holds."""

from __future__ import annotations

import pytest

from prreview.review.gate import GateSettings, decide

SETTINGS = GateSettings(
    margins={"location_near_f1": 0.01, "bertscore_f1": 0.0},
    limits={"parse_failure_rate": 0.5},
)
BASE = {"location_near_f1": 0.40, "bertscore_f1": 0.80, "parse_failure_rate": 0.1}


def test_the_defaults_match_the_documented_gate() -> None:
    assert GateSettings() == SETTINGS


def test_approved_when_every_margin_and_limit_holds() -> None:
    candidate = {
        "location_near_f1": 0.5,
        "bertscore_f1": 0.85,
        "parse_failure_rate": 0.2,
    }
    decision = decide(BASE, candidate, SETTINGS)
    assert decision.approved
    assert decision.reasons == ()
    assert decision.comparisons["location_near_f1"] == pytest.approx(
        {"base": 0.4, "candidate": 0.5, "gain": 0.1, "margin": 0.01}
    )
    assert list(decision.comparisons) == ["bertscore_f1", "location_near_f1"]
    assert decision.to_dict() == {
        "status": "approved",
        "reasons": [],
        "comparisons": decision.comparisons,
    }


def test_rejected_with_one_reason_per_failing_metric() -> None:
    candidate = {
        "location_near_f1": 0.405,
        "bertscore_f1": 0.7,
        "parse_failure_rate": 0,
    }
    decision = decide(BASE, candidate, SETTINGS)
    assert not decision.approved
    assert decision.reasons == (
        "bertscore_f1: candidate 0.7000 vs base 0.8000 (gain -0.1000, needs +0.0000)",
        "location_near_f1: candidate 0.4050 vs base 0.4000 (gain +0.0050, needs "
        "+0.0100)",
    )
    assert decision.to_dict()["status"] == "rejected"


@pytest.mark.parametrize(
    ("base", "candidate", "margin"),
    [(0.5, 0.5, 0.0), (0.5, 0.51, 0.01), (0.2, 0.21, 0.01), (0.5, 0.6, 0.1)],
)
def test_a_margin_met_exactly_passes(
    base: float, candidate: float, margin: float
) -> None:
    settings = GateSettings(margins={"location_near_f1": margin}, limits={})
    decision = decide(
        {"location_near_f1": base}, {"location_near_f1": candidate}, settings
    )
    assert decision.approved, decision.reasons


def test_a_missing_metric_is_a_failure() -> None:
    candidate = {"bertscore_f1": 0.9}
    decision = decide(BASE, candidate, SETTINGS)
    assert decision.reasons == (
        "location_near_f1: not measured for both models",
        "parse_failure_rate: not measured for the candidate",
    )
    only_candidate = decide({}, {"location_near_f1": 1.0}, GateSettings(limits={}))
    assert only_candidate.reasons == (
        "bertscore_f1: not measured for both models",
        "location_near_f1: not measured for both models",
    )


def test_an_exceeded_limit_rejects_even_with_good_gains() -> None:
    candidate = {
        "location_near_f1": 0.9,
        "bertscore_f1": 0.9,
        "parse_failure_rate": 0.6,
    }
    decision = decide(BASE, candidate, SETTINGS)
    assert decision.reasons == (
        "parse_failure_rate: candidate 0.6000 above the limit 0.5",
    )
    at_limit = candidate | {"parse_failure_rate": 0.5}
    assert decide(BASE, at_limit, SETTINGS).approved


def test_a_gate_without_margins_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one metric"):
        GateSettings(margins={})
