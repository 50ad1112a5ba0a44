"""The short soak, in every CI run: ingest through critique on the bundled sample
against faulty servers, killed three times, ends exactly where a fault-free run
ends (the long form and its figures: docs/reliability.md)."""

from __future__ import annotations

from pathlib import Path

from tests.soak.harness import SoakSettings, run_soak


def test_faults_and_kills_change_nothing_in_the_data(tmp_path: Path) -> None:
    result = run_soak(SoakSettings(kills=3, fault_rate=0.4, seed=7), tmp_path)
    assert result.kills == 3
    assert sum(result.faults.values()) >= 200, result.faults
    assert {kind.split(":")[0] for kind in result.faults} == {"github", "openai"}
    assert result.records_compared > 1000
    assert result.differences == []
    assert result.broken_files == []
    assert result.leftover_files == []
