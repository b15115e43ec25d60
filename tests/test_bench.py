"""Smoke test: the benchmark code runs end to end at N=5 so it cannot rot (no time is asserted)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.run import main


@pytest.mark.slow
def test_benchmark_runs_at_small_size(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--sizes", "5", "--rounds", "1", "--work", str(tmp_path), "--no-docs"]) == 0
    out = capsys.readouterr().out
    assert "| 5 | A consolidate |" in out and "| 5 | B naive (openpyxl) |" in out
    assert "A/B" in out and "--help" in out
    assert len(list((tmp_path / "n5").rglob("*.xlsx"))) == 5
