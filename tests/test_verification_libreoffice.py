"""A verification workbook filled through LibreOffice's own input path (UNO), en-US and id-ID."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from pipeline import config, tables
from pipeline.instrument import Instrument, Question
from pipeline.region import Region
from pipeline.templates.verification import verification_filename
from tests.builders import SOFFICE, consolidate, send_office, verification_rows
from tools.fill import Filled

SYSTEM_PYTHON = "/usr/bin/python3"
UNO_FILL = Path(__file__).with_name("uno_fill.py")
OFFICE, CLUSTER = "DINKES", "K3"
# What a verifier types: the decimal and the date as their locale writes them.
TYPED = {
    "en-US": {"koreksi": "62.5", "tanggal": "4/15/2024"},
    "id-ID": {"koreksi": "62,5", "tanggal": "15/04/2024"},
}


def _uno_ready() -> bool:
    if SOFFICE is None or not Path(SYSTEM_PYTHON).exists():
        return False
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, check=False)
    return probe.returncode == 0


pytestmark = pytest.mark.skipif(not _uno_ready(), reason="LibreOffice + python3-uno diperlukan")


def _questions(instrument: Instrument) -> tuple[Question, Question]:
    mine = [q for q in instrument.questions if q.opd_utama == OFFICE and q.klaster == CLUSTER]
    yes_no = next(q for q in mine if q.jenis == "ya_tidak")
    percent = next(q for q in mine if q.jenis == "persen" and q.arah == "naik")
    return yes_no, percent


@pytest.mark.parametrize("locale", sorted(TYPED))
def test_typed_in_libreoffice_and_saved_as_xlsx_and_ods(
    locale: str,
    tmp_path: Path,
    instrument: Instrument,
    region: Region,
    template_paths: dict[str, Path],
) -> None:
    yes_no, percent = _questions(instrument)
    inputs, outputs = tmp_path / "inputs", tmp_path / "outputs"
    link = "https://drive.example.go.id/kla/{}.pdf"
    answers = {
        yes_no.kode: Filled("Ya", link.format(1)),
        percent.kode: Filled(95, link.format(2)),
    }
    send_office(template_paths[OFFICE], inputs, "dinkes.xlsx", answers)
    consolidate(inputs, outputs, instrument, region)
    workbook = outputs / config.VERIFICATION_DIR / verification_filename(region, CLUSTER)
    _, columns, rows = verification_rows(workbook)

    def cell(code: str, header: str) -> str:
        letter = chr(64 + columns[header])
        return f"{letter}{rows[code]}"

    typed = TYPED[locale]
    sheet = config.SHEET_VERIFICATION
    entries = [
        [sheet, cell(yes_no.kode, config.VCOL_DECISION), tables.DECISION_REJECTED],
        [sheet, cell(yes_no.kode, config.VCOL_REASON), "Tidak ditandatangani"],
        [sheet, cell(yes_no.kode, config.VCOL_NOTE), "SK tanpa tanda tangan"],
        [sheet, cell(percent.kode, config.VCOL_DECISION), tables.DECISION_CORRECTED],
        [sheet, cell(percent.kode, config.VCOL_CORRECTION), typed["koreksi"]],
        [sheet, cell(percent.kode, config.VCOL_VERIFIER), "Budi Santoso"],
        [sheet, cell(percent.kode, config.VCOL_DATE), typed["tanggal"]],
    ]
    saved_xlsx, saved_ods = tmp_path / "lo" / "verif.xlsx", tmp_path / "lo" / "verif.ods"
    saved_xlsx.parent.mkdir()
    done = subprocess.run(
        [
            SYSTEM_PYTHON,
            str(UNO_FILL),
            str(SOFFICE),
            str(tmp_path / "profile"),
            locale,
            str(workbook),
            str(saved_xlsx),
            str(saved_ods),
            json.dumps(entries),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    for saved in (saved_xlsx, saved_ods):
        run_inputs = tmp_path / f"inputs_{saved.suffix[1:]}"
        shutil.copytree(inputs, run_inputs)
        shutil.copyfile(saved, run_inputs / f"dari libreoffice{saved.suffix}")
        results = consolidate(run_inputs, tmp_path / f"out_{saved.suffix[1:]}", instrument, region)
        found = results.results.issues
        assert found[found["severity"] == tables.SEVERITY_ERROR].empty, found["message"].tolist()
        scored = results.results.scored.set_index("kode")
        rejected, corrected = scored.loc[yes_no.kode], scored.loc[percent.kode]
        assert rejected["status_verifikasi"] == tables.VERIFY_REJECTED
        assert rejected["nilai_terverifikasi"] == 0.0
        assert corrected["status_verifikasi"] == tables.VERIFY_CORRECTED
        assert corrected["jawaban_koreksi"] == "62.5"
        assert corrected["nilai_terverifikasi"] == pytest.approx(percent.nilai_maks * 0.5)
        assert corrected["tanggal_verifikasi"] == "2024-04-15"
        assert corrected["verifikator"] == "Budi Santoso"
