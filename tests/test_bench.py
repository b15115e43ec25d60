"""Smoke test: the benchmark code runs end to end at N=5 so it cannot rot (no time is asserted).

Also the parallel reading the benchmark measures: worker processes give the serial result, in order,
and a worker that dies on a file turns into that file's issue.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest

from pipeline import tables
from pipeline.ingest.files import _crashed, list_inputs, read_submission
from pipeline.ingest.readers import Readers
from pipeline.ingest.workbook import Submission
from pipeline.instrument import Instrument
from pipeline.region import Region
from tests.builders import returned
from tools.bench.run import main

DYING = "mati.xlsx"


@pytest.mark.slow
def test_benchmark_runs_at_small_size(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = [
        "--sizes",
        "5",
        "--rounds",
        "1",
        "--work",
        str(tmp_path),
        "--no-docs",
        "--kabkota",
        "12",
    ]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "| 5 | A consolidate |" in out and "| 5 | B naive (openpyxl) |" in out
    assert "| provinsi: 12 kab/kota workbooks (nasional) | 12 |" in out
    assert "A/B" in out and "--help" in out
    assert "KD: 30 kecamatan workbooks, 400 desa rows" in out
    assert "verification: 7 verification workbooks deciding 274 questions" in out
    assert "Profile, A at N=5" in out and "| read inputs (ingest) |" in out
    assert "| N=3,000" not in out  # targets are only judged at the sizes measured
    assert len(list((tmp_path / "n5").rglob("*.xlsx"))) == 5


def read_or_die(
    path: Path, root: Path, instrument: Instrument, region: Region, answers: bool = True
) -> Submission:
    """read_submission, except that the worker process reading DYING is killed outright."""
    if path.name == DYING:
        os._exit(3)
    return read_submission(path, root, instrument, region, answers=answers)


def test_worker_death_becomes_that_files_issue(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    for index in range(6):
        returned(template_paths["DINKES"], tmp_path / f"kiriman_{index}" / "dinkes.xlsx")
    returned(template_paths["DINKES"], tmp_path / "kiriman_3" / DYING)
    paths = list_inputs(tmp_path)
    read = functools.partial(read_or_die, root=tmp_path, instrument=instrument, region=region)
    serial = [read_submission(p, tmp_path, instrument, region) for p in paths if p.name != DYING]
    readers = Readers(read, 2, len(paths), functools.partial(_crashed, root=tmp_path))
    try:
        parallel = list(readers.results(readers.submit(paths, answers=True)))
        again = list(readers.results(readers.submit(paths[:2], answers=True)))  # a fresh pool
    finally:
        readers.close()
    assert again == serial[:2]
    assert [s.file["file"] for s in parallel] == [p.relative_to(tmp_path).as_posix() for p in paths]
    died = [s for s in parallel if s.file["file"].endswith(DYING)]
    assert [(s.file["status"], [i["code"] for i in s.issues]) for s in died] == [
        (tables.FILE_REJECTED, ["berkas-tidak-terbaca"])
    ]
    assert [s for s in parallel if s not in died] == serial
