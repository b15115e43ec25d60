"""A coordinator's first run: clone the repository, `make consolidate` with nothing prepared.

The clone builds its own virtual environment (as on a fresh machine), so this is the slowest test.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from pipeline import config
from pipeline.instrument import Instrument
from pipeline.region import Region
from pipeline.words import points
from tools.example.answers import expected_totals, has_evidence, read_example_scores
from tools.example.build import expected_counted_answers
from tools.example.kecamatan import expected_kd_points
from tools.example.trouble import NOT_SENT, TROUBLES
from tools.example.verification import expected_verified_total

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fresh_run(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    if shutil.which("git") is None or shutil.which("make") is None:
        pytest.skip("git dan make diperlukan untuk uji clone")
    clone = tmp_path_factory.mktemp("clone") / "kla"
    subprocess.run(["git", "clone", "--quiet", str(config.PROJECT_DIR), str(clone)], check=True)
    inherited = ("VIRTUAL_ENV", "PYTHONPATH", "MAKELEVEL", "MAKEFLAGS", "MFLAGS")  # as from a shell
    env = {k: v for k, v in os.environ.items() if k not in inherited}
    result = subprocess.run(
        ["make", "consolidate"],
        cwd=clone,
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        check=False,
    )
    return clone, result


def test_consolidate_on_a_fresh_clone_runs_the_example(
    fresh_run: tuple[Path, subprocess.CompletedProcess[str]], instrument: Instrument, region: Region
) -> None:
    clone, result = fresh_run
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if "CONTOH BAWAAN" in line)
    assert all(
        line.startswith("Menyiapkan") for line in lines[:start]
    )  # only the venv note before it

    answers = expected_counted_answers(instrument, region, read_example_scores())
    mandiri, _ = expected_totals(instrument, answers)
    evidence = {
        k: has_evidence(f.data_dukung, instrument.scoring.no_evidence) for k, f in answers.items()
    }
    terverifikasi = expected_verified_total(instrument, answers, evidence)  # with the decisions
    kd_mandiri, kd_verified = expected_kd_points(instrument, region)  # the kecamatan roll-up
    mandiri, terverifikasi = mandiri + kd_mandiri, terverifikasi + kd_verified
    summary = json.loads((clone / "outputs" / "ringkasan.json").read_text(encoding="utf-8"))
    assert summary["total"]["mandiri"] == pytest.approx(mandiri, abs=0.005)
    assert summary["total"]["terverifikasi"] == pytest.approx(terverifikasi, abs=0.005)
    assert f"Nilai mandiri: {points(mandiri)}" in result.stdout
    assert f"terverifikasi (dengan data dukung): {points(terverifikasi)}" in result.stdout

    office = region.offices[NOT_SENT]
    assert "OPD belum mengirim (1)" in result.stdout and office in result.stdout
    report = clone / "outputs" / "Konsolidasi_KLA_Sukamaju_Raya_2024.xlsx"
    assert f"Laporan: outputs/{report.name}" in result.stdout


def test_every_output_is_written(fresh_run: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    clone, _ = fresh_run
    outputs = clone / "outputs"
    for name in (
        "ringkasan.json",
        "nilai_pertanyaan.csv",
        "nilai_indikator.csv",
        "kelengkapan.csv",
        "masalah.csv",
        "riwayat.jsonl",
        "selesai.json",
        "riwayat_verifikasi.jsonl",
        "Konsolidasi_KLA_Sukamaju_Raya_2024.xlsx",
    ):
        assert (outputs / name).stat().st_size > 0, name
    assert len(list((outputs / "verifikasi").glob("Verifikasi_KLA_*.xlsx"))) == 7
    assert list((outputs / "umpan_balik").glob("*.xlsx"))
    book = openpyxl.load_workbook(
        outputs / "Konsolidasi_KLA_Sukamaju_Raya_2024.xlsx", read_only=True
    )
    assert book.sheetnames[0] == "Ringkasan" and "Rekomendasi" in book.sheetnames
    shown = [v for row in book["Kelengkapan"].iter_rows(values_only=True) for v in row]
    assert any(isinstance(v, str) and v.endswith(" WIB") for v in shown)  # local time, not UTC
    assert not list((clone / "inputs").glob("*.xlsx"))  # the example was read in place, not copied


def test_planted_trouble_reaches_the_issue_list(
    fresh_run: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    clone, _ = fresh_run
    with (clone / "outputs" / "masalah.csv").open(encoding="utf-8-sig", newline="") as handle:
        found = {
            (row["berkas"], row["kode_pertanyaan"], row["kode_masalah"])
            for row in csv.DictReader(handle)
        }
    planted = {(t.file, t.kode, t.issue) for t in TROUBLES if t.issue}
    missing = {
        p
        for p in planted
        if not any(p[0] == f and p[2] == c and p[1] in (k, "") for f, k, c in found)
    }
    assert not missing
