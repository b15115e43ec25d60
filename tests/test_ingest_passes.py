"""Reading in two passes: older versions of an office's workbook are only identified, not read.

What one complete pass gives, except what a superseded version no longer shows: its contact, and
the problems of its sheets (a broken old version is superseded, not rejected).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pipeline import config, tables
from pipeline.ingest import workbook
from pipeline.ingest.files import (
    KEPT_WHEN_SUPERSEDED,
    Ingested,
    gather,
    read_inputs,
    read_submission,
    resolve_duplicates,
)
from pipeline.ingest.listing import walk_inputs
from pipeline.ingest.workbook import IDENTITY_FIELDS, expected_codes
from pipeline.instrument import Instrument
from pipeline.region import Region
from tests.builders import (
    DINKES_ANSWERS,
    edit_isian,
    edit_meta,
    returned,
    set_saved_time,
    status,
)
from tools.fill import Filled

TIE_NS = 1_710_900_000 * 10**9
BROKEN = "zz dinkes terbaru.xlsx"  # the newest DINKES version, whose answers cannot be read
BROKEN_OLD = "dinkes rusak.xlsx"  # an older DINKES version without its Isian table


def one_pass(inputs: Path, instrument: Instrument, region: Region) -> Ingested:
    """The reference: every file read completely, then the duplicate rule (as before two passes)."""
    listing = walk_inputs(inputs)
    read = [read_submission(p, inputs, instrument, region) for p in listing.paths]
    submissions = sorted([*read, *listing.skipped], key=lambda s: str(s.file["file"]))
    return gather(resolve_duplicates(submissions))


UNREAD = (*IDENTITY_FIELDS.values(), "status", "pesan")  # Identitas is not read


def assert_same(expected: Ingested, got: Ingested) -> None:
    """The one-pass tables, except the unread parts of the superseded versions."""
    for name in ("cells", "decisions", "units"):
        pd.testing.assert_frame_equal(getattr(expected, name), getattr(got, name), obj=name)
    old = got.files.loc[got.files["status"] == tables.FILE_SUPERSEDED, "file"]
    read = [c for c in tables.FILES if c not in UNREAD]
    pd.testing.assert_frame_equal(expected.files[read], got.files[read], obj="files")
    for name in ("files", "issues"):
        left, right = (getattr(t, name) for t in (expected, got))
        pd.testing.assert_frame_equal(
            left[~left["file"].isin(old)].reset_index(drop=True),
            right[~right["file"].isin(old)].reset_index(drop=True),
            obj=name,
        )
    codes = set(got.issues.loc[got.issues["file"].isin(old), "code"])
    assert codes <= {"berkas-digantikan", *KEPT_WHEN_SUPERSEDED}


@pytest.fixture
def inputs(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> Path:
    """The bundled example (kecamatan, verification, ODS, PDF, DOCX, a superseded DINKES) plus
    older and newer versions, a tie with other answers, a tie with the same answers, a rejected
    version, a superseded kecamatan workbook and a text file."""
    folder = tmp_path / "inputs"
    shutil.copytree(config.EXAMPLE_INPUTS_DIR, folder)
    newer = {**DINKES_ANSWERS, "I12-P6": Filled("Tidak", "SK Kepala Dinas No. 4/2023")}
    returned(
        template_paths["DINKES"], folder / "v" / "dinkes lama.xlsx", saved="2024-01-01T08:00:00Z"
    )
    returned(
        template_paths["DINKES"],
        folder / "v" / "dinkes baru.xlsx",
        newer,
        saved="2024-12-30T08:00:00Z",
    )
    returned(template_paths["DINKES"], folder / "v" / BROKEN, saved="2024-12-31T08:00:00Z")
    broken = returned(template_paths["DINKES"], folder / "v" / BROKEN_OLD)
    edit_isian(broken, lambda sheet: sheet.delete_rows(1, sheet.max_row))
    set_saved_time(broken, "2023-12-01T08:00:00Z")
    rejected = returned(
        template_paths["DINKES"], folder / "v" / "dinkes 2023.xlsx", saved="2025-01-01T08:00:00Z"
    )
    edit_meta(rejected, {"tahun": "2023"})
    other = {expected_codes(instrument, region, "HUKUM")[0]: Filled("Ya", "arsip")}
    saved = "2024-11-20T02:00:00Z"
    for name, answers in (("a", {}), ("b", other), ("c", {})):
        path = returned(
            template_paths["HUKUM"], folder / "seri" / f"{name} hukum.xlsx", answers, saved=saved
        )
        os.utime(path, ns=(TIE_NS, TIE_NS))
    kecamatan = next((folder / "kecamatan").iterdir())
    (folder / "lama").mkdir()
    older = shutil.copyfile(kecamatan, folder / "lama" / kecamatan.name)
    os.utime(older, ns=(TIE_NS, TIE_NS))
    (folder / "v" / "catatan.txt").write_text("versi terakhir menyusul")
    return folder


@pytest.mark.parametrize("jobs", [1, 2])
def test_two_passes_give_the_one_pass_tables(
    inputs: Path, instrument: Instrument, region: Region, jobs: int
) -> None:
    expected = one_pass(inputs, instrument, region)
    seen: list[tuple[int, int]] = []
    got = read_inputs(
        inputs,
        instrument,
        region,
        jobs=jobs,
        on_read=lambda done, total: seen.append((done, total)),
    )
    assert_same(expected, got)
    total = len(walk_inputs(inputs).paths)
    assert seen == [(done, total) for done in range(1, total + 1)]
    states = status(got)
    assert states["v/" + BROKEN] == tables.FILE_USED
    assert states["v/dinkes baru.xlsx"] == tables.FILE_SUPERSEDED
    assert states["v/dinkes 2023.xlsx"] == tables.FILE_REJECTED  # not this region's year
    assert status(expected)["v/" + BROKEN_OLD] == tables.FILE_REJECTED
    assert states["v/" + BROKEN_OLD] == tables.FILE_SUPERSEDED  # its sheets were not read
    contact = list(IDENTITY_FIELDS.values())
    old = got.files.set_index("file").loc["v/dinkes lama.xlsx", contact]
    assert (old == "").all()  # identified only: its Identitas was not read
    assert (expected.files.set_index("file").loc["v/dinkes lama.xlsx", contact[:1]] != "").all()
    assert states["lama/" + next((inputs / "kecamatan").iterdir()).name] == tables.FILE_SUPERSEDED
    tie = got.issues[got.issues["code"] == "versi-tidak-terurut"]
    assert tie[["file", "value"]].values.tolist() == [["seri/c hukum.xlsx", "seri/b hukum.xlsx"]]
    used = got.files[got.files["status"] == tables.FILE_USED]
    assert (used.loc[used["peran"] == "DINKES", "narahubung_nama"] != "").all()


def test_a_newest_version_rejected_when_read_completely_gives_way(
    inputs: Path, instrument: Instrument, region: Region, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure only the complete reading meets (here, while reading the answers) rejects the
    newest version; the next newest is then read completely and used, as one pass would."""
    whole = workbook.question_cells

    def failing(rows: Any, header: Any, base: dict[str, Any], *args: Any) -> Any:
        if base["file"].endswith(BROKEN):
            raise RuntimeError("rusak")
        return whole(rows, header, base, *args)

    monkeypatch.setattr(workbook, "question_cells", failing)
    expected = one_pass(inputs, instrument, region)
    got = read_inputs(inputs, instrument, region, jobs=1)
    assert_same(expected, got)
    assert status(got)["v/" + BROKEN] == tables.FILE_REJECTED
    assert status(got)["v/dinkes baru.xlsx"] == tables.FILE_USED
    assert set(got.cells.loc[got.cells["peran"] == "DINKES", "file"]) == {"v/dinkes baru.xlsx"}
