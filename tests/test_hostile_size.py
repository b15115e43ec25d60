"""Huge workbooks are read within bounded time and memory, or refused with a size message.

Each workbook is generated here by streaming rows into a real returned workbook's sheet XML; ingest runs
in a child process whose peak memory (ru_maxrss from os.wait4) and wall time are measured.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from pipeline import config
from tests.builders import GOOD, dukcapil, returned

SHEET_PARTS = {"Petunjuk": "xl/worksheets/sheet1.xml", "Isian": "xl/worksheets/sheet3.xml"}
FIRST_EXTRA_ROW = 100
MAX_PEAK_MB = 450  # the child's peak RSS, pandas and python-calamine included
MAX_SECONDS = 60
CHILD = """
import json, sys
from pathlib import Path
from pipeline import config
from pipeline.ingest.files import read_inputs
from pipeline.instrument import read_instrument
from pipeline.region import read_region
result = read_inputs(
    Path(sys.argv[1]),
    read_instrument(config.SCHEMAS_DIR / "kla-2024.toml"),
    read_region(config.EXAMPLE_REGION_FILE),
    jobs=1,
)
print(json.dumps({
    "status": dict(zip(result.files["file"], result.files["status"])),
    "codes": sorted(set(zip(result.issues["file"], result.issues["code"]))),
    "cells": sorted(set(result.cells["file"])),
}))
"""


def with_extra_rows(path: Path, sheet: str, rows: int) -> Path:
    """Stream `rows` filled rows (text in A, D and a number in L) to the end of a sheet's data."""
    part = SHEET_PARTS[sheet]
    with zipfile.ZipFile(path) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            if info.filename != part:
                archive.writestr(info, data)
                continue
            head, tail = data.split(b"</sheetData>")
            with archive.open(part, "w", force_zip64=True) as handle:
                handle.write(head)
                end = FIRST_EXTRA_ROW + rows
                for start in range(FIRST_EXTRA_ROW, end, 10_000):
                    handle.write(b"".join(_row(r) for r in range(start, min(start + 10_000, end))))
                handle.write(b"</sheetData>" + tail)
    return path


def _row(number: int) -> bytes:
    return (
        f'<row r="{number}"><c r="A{number}" t="inlineStr"><is><t>catatan</t></is></c>'
        f'<c r="D{number}" t="inlineStr"><is><t>baris tambahan</t></is></c>'
        f'<c r="L{number}"><v>{number}</v></c></row>'
    ).encode()


def ingest_in_child(inputs: Path) -> tuple[dict[str, object], float, float]:
    """(result, seconds, peak MB) of read_inputs run in a child process."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(inputs)],
        stdout=subprocess.PIPE,
        cwd=config.PROJECT_DIR,
    )
    assert child.stdout is not None
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    assert child.returncode == 0
    return json.loads(out), seconds, usage.ru_maxrss / 1024


@pytest.mark.parametrize(
    ("sheet", "rows", "status", "codes"),
    [
        ("Isian", 19_000, "dipakai", []),  # under MAX_SHEET_ROWS: read
        ("Isian", 150_000, "ditolak", ["lembar-terlalu-besar"]),  # over it, member under 32 MB
        ("Isian", 300_000, "ditolak", ["isi-terlalu-besar"]),  # member over 32 MB inflated
        ("Petunjuk", 150_000, "dipakai", []),  # a sheet ingest never parses
        ("Petunjuk", 300_000, "ditolak", ["isi-terlalu-besar"]),
    ],
)
def test_huge_sheet_bounded_or_refused(
    tmp_path: Path,
    template_paths: dict[str, Path],
    sheet: str,
    rows: int,
    status: str,
    codes: list[str],
) -> None:
    inputs = tmp_path / "inputs"
    returned(template_paths["DINKES"], inputs / GOOD)
    with_extra_rows(dukcapil(inputs / "besar.xlsx", template_paths), sheet, rows)
    size = (inputs / "besar.xlsx").stat().st_size
    result, seconds, peak = ingest_in_child(inputs)
    print(f"\n{sheet} +{rows} baris ({size / 2**20:.1f} MB): {seconds:.1f} s, puncak {peak:.0f} MB")
    assert result["status"] == {GOOD: "dipakai", "besar.xlsx": status}
    assert [code for file, code in result["codes"] if file == "besar.xlsx"] == codes
    assert GOOD in result["cells"]
    assert peak < MAX_PEAK_MB
    assert seconds < MAX_SECONDS
