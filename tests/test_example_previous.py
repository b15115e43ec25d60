"""The bundled example's previous year (contoh/2023/outputs): current, and shown by a fresh run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline import config
from pipeline.cli import main
from pipeline.instrument import Instrument
from pipeline.region import Region
from tools.example.previous import KEPT, write_previous_outputs


def test_previous_year_is_current(tmp_path: Path, instrument: Instrument, region: Region) -> None:
    """Regenerating gives the committed files byte for byte (`make contoh` regenerates them)."""
    written = write_previous_outputs(instrument, region, tmp_path)
    assert [p.name for p in written] == list(KEPT)
    for path in written:
        committed = config.EXAMPLE_PREVIOUS_DIR / path.name
        assert path.read_bytes() == committed.read_bytes(), f"{committed} tidak mutakhir"


def test_previous_year_was_made_from_varied_answers() -> None:
    summary = json.loads((config.EXAMPLE_PREVIOUS_DIR / "ringkasan.json").read_text("utf-8"))
    assert summary["tahun"] == 2023
    assert summary["kelengkapan"]["opd_mengirim"] == summary["kelengkapan"]["opd_diharapkan"]
    assert 600 < summary["total"]["terverifikasi"] < 800


def test_fresh_clone_run_shows_the_comparison(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if config.REGION_FILE.exists():
        pytest.skip("schemas/wilayah.toml ada: contoh bawaan tidak dijalankan")
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    out = tmp_path / "outputs"
    assert (
        main(["consolidate", "--inputs", str(inputs), "--outputs", str(out), "--no-progress"]) == 0
    )
    screen = capsys.readouterr().out
    assert "CONTOH BAWAAN" in screen
    assert "Dibanding tahun 2023: Nilai terverifikasi 2023:" in screen
    assert (out / config.COMPARISON_FILE).exists()
    summary = json.loads((out / "ringkasan.json").read_text("utf-8"))
    assert summary["perbandingan"]["sumber"] == "contoh/2023/outputs"
