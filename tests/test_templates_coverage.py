"""`make templates` names the listed offices that get no template, and why."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from pipeline import cli, config
from pipeline.instrument import Instrument, read_instrument
from pipeline.region import Region, read_region
from pipeline.templates.coverage import offices_without_template
from pipeline.templates.opd import plan_templates

SUPPORT_ONLY = ["BNN", "DLH", "DUNIAUSAHA", "FORUMANAK", "KEJAKSAAN", "PA", "POLRES"]


def test_example_lists_25_offices_and_7_only_support(
    instrument: Instrument, region: Region
) -> None:
    skipped = {s.role: s for s in offices_without_template(instrument, region)}
    assert sorted(skipped) == sorted([*SUPPORT_ONLY, "PERPUSTAKAAN"])
    polres = skipped["POLRES"]
    assert polres.office == region.offices["POLRES"]
    assert polres.reason.startswith("hanya OPD pendukung (20 pertanyaan)")
    # every question of PERPUSTAKAAN is computed from the kecamatan workbooks (daftar_wilayah)
    assert "dihitung dari workbook kecamatan" in skipped["PERPUSTAKAAN"].reason


def test_without_a_master_list_perpustakaan_answers_again(
    instrument: Instrument, region: Region
) -> None:
    plain = dataclasses.replace(region, units=None)
    roles = [s.role for s in offices_without_template(instrument, plain)]
    assert roles == SUPPORT_ONLY


def test_redirected_and_unused_roles_say_so(instrument: Instrument, region: Region) -> None:
    offices = {**region.offices, "PMI": "Palang Merah Indonesia"}  # in no question at all
    changed = dataclasses.replace(
        region, offices=offices, redirects={**region.redirects, "DINKES": "DP3A"}
    )
    reasons = {s.role: s.reason for s in offices_without_template(instrument, changed)}
    assert reasons["DINKES"] == "pertanyaannya dialihkan ke DP3A di [peran_dialihkan]"
    assert reasons["PMI"] == "tidak disebut di instrumen tahun ini"


def test_templates_command_says_who_gets_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["templates", "--wilayah", str(config.EXAMPLE_REGION_FILE), "--out", str(tmp_path)]
    assert cli.main(args) == 0
    lines = capsys.readouterr().out.splitlines()
    planned = plan_templates(
        read_instrument(config.SCHEMAS_DIR / "kla-2024.toml"),
        read_region(config.EXAMPLE_REGION_FILE),
    )
    assert lines[0].startswith(f"{len(planned)} template ditulis")
    start = lines.index(
        "8 dari 25 OPD di [opd] tidak mendapat template (tidak perlu dikirimi berkas):"
    )
    # the seven support-only offices, and PERPUSTAKAAN whose questions are all computed (KD)
    listed = [line.split()[0] for line in lines[start + 1 : start + 9]]
    assert listed == sorted([*SUPPORT_ONLY, "PERPUSTAKAAN"])
