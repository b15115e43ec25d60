"""Which version wins: LibreOffice's local saved times read in the region's zone; a future time ignored."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline import tables
from pipeline.ingest.files import read_inputs
from pipeline.instrument import Instrument
from pipeline.region import Region
from tests.builders import found, returned, set_saved_time, status

UNO_PYTHON = "/usr/bin/python3"
SCRIPT = Path(__file__).with_name("lo_uno_save.py")


def has_uno() -> bool:
    if shutil.which("soffice") is None or not Path(UNO_PYTHON).exists():
        return False
    return subprocess.run([UNO_PYTHON, "-c", "import uno"], capture_output=True).returncode == 0


def saved_by_libreoffice(source: Path, stem: Path, zone: str, answer: str) -> None:
    """Type `answer` into Isian!F15 in LibreOffice running in time zone `zone`, save .xlsx and .ods."""
    done = subprocess.run(
        [UNO_PYTHON, SCRIPT, source, stem, stem.parent / "_lo", "Isian", "F15", answer],
        env=os.environ | {"TZ": zone},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    shutil.rmtree(stem.parent / "_lo", ignore_errors=True)


@pytest.mark.libreoffice
@pytest.mark.skipif(not has_uno(), reason="needs LibreOffice and python3-uno")
@pytest.mark.parametrize("suffix", ["xlsx", "ods"])
def test_libreoffice_saved_time_is_local_time_of_the_region(
    tmp_path: Path,
    template_paths: dict[str, Path],
    instrument: Instrument,
    region: Region,
    suffix: str,
) -> None:
    """Saved in WITA (UTC+8) by LibreOffice, then an Excel copy saved one hour later: Excel wins."""
    wita = replace(region, zona_waktu="WITA")
    source = returned(template_paths["DINKES"], tmp_path / "kerja" / "dinkes.xlsx")
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    saved_by_libreoffice(source, inputs / "dinkes lo", "Asia/Makassar", "Tidak")
    after = dt.datetime.now(dt.UTC)
    (inputs / f"dinkes lo.{'ods' if suffix == 'xlsx' else 'xlsx'}").unlink()
    excel = returned(template_paths["DINKES"], inputs / "dinkes excel.xlsx")
    later = (after + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    set_saved_time(excel, later)
    result = read_inputs(inputs, instrument, wita, jobs=1)
    recorded = dt.datetime.fromisoformat(
        result.files.set_index("file").loc[f"dinkes lo.{suffix}", "disimpan"]
    )
    assert before - dt.timedelta(seconds=2) <= recorded <= after + dt.timedelta(seconds=2)
    assert status(result) == {
        "dinkes excel.xlsx": tables.FILE_USED,
        f"dinkes lo.{suffix}": tables.FILE_SUPERSEDED,
    }


def test_saved_time_in_the_future_does_not_win(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    clock_2099 = returned(template_paths["DINKES"], tmp_path / "pc jam salah.xlsx")
    set_saved_time(clock_2099, "2099-01-01T08:00:00Z")
    march_2 = dt.datetime(2024, 3, 2, tzinfo=dt.UTC).timestamp()
    os.utime(clock_2099, (march_2, march_2))  # the file itself arrived on 2 March
    newer = returned(template_paths["DINKES"], tmp_path / "revisi.xlsx")
    set_saved_time(newer, "2024-03-05T08:00:00Z")
    result = read_inputs(tmp_path, instrument, region, jobs=1)
    assert status(result) == {
        "pc jam salah.xlsx": tables.FILE_SUPERSEDED,
        "revisi.xlsx": tables.FILE_USED,
    }
    assert ("", "", "waktu-simpan-masa-depan") in found(result, "pc jam salah.xlsx")
