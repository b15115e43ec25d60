"""The bundled example: committed files are current, answers follow the scores, trouble is planted.

Content comparison (read_example_content) ignores the _meta values `dibuat` and `hash_meta`, the
document properties (saved time, author), styles and zip member times; see example_files.py.
"""

from __future__ import annotations

import random
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

from pipeline import config
from pipeline.instrument import Instrument
from pipeline.region import Region
from pipeline.templates.opd import plan_templates, template_filename
from tools.example.answers import (
    answer_fraction,
    expected_example_answers,
    expected_totals,
    nearest_label,
    number_answer,
    number_bands,
    read_example_scores,
)
from tools.example.build import (
    INSERTED_NOTE,
    expected_counted_answers,
    write_example_inputs,
    write_example_templates,
)
from tools.example.files import read_example_content
from tools.example.kecamatan import FOLDER as KECAMATAN_FOLDER
from tools.example.trouble import (
    DINKES_NEW,
    DINKES_OLD,
    DINSOS_ODS,
    NOT_SENT,
    TROUBLES,
    Trouble,
)
from tools.example.verification import VERIFICATION_FILE
from tools.fill import Filled, find_header, question_rows

COMMITTED = config.EXAMPLE_INPUTS_DIR
CORE_MODIFIED = "{http://purl.org/dc/terms/}modified"


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="session")
def example_templates(
    tmp_path_factory: pytest.TempPathFactory, instrument: Instrument, region: Region
) -> Path:
    return write_example_templates(instrument, region, tmp_path_factory.mktemp("contoh_t"))


@pytest.fixture(scope="session")
def generated(
    tmp_path_factory: pytest.TempPathFactory,
    instrument: Instrument,
    region: Region,
    example_templates: Path,
) -> Path:
    """The example generated afresh without LibreOffice (no .ods)."""
    out = tmp_path_factory.mktemp("contoh_in")
    write_example_inputs(instrument, region, example_templates, out, ods=False)
    return out


@pytest.fixture(scope="session")
def scores() -> dict[str, float]:
    return read_example_scores()


@pytest.fixture(scope="session")
def clean(instrument: Instrument, scores: dict[str, float]) -> dict[str, Filled]:
    return expected_example_answers(instrument, scores)


def _cells(path: Path, sheet: str = config.SHEET_ANSWERS) -> dict[str, tuple[object, ...]]:
    """Isian rows by question code (column B), read with python-calamine."""
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()
    header = next(i for i, r in enumerate(rows) if config.COL_CODE in r)
    columns = {name: rows[header].index(name) for name in config.CONTRACT_HEADERS}
    return {
        str(r[columns[config.COL_CODE]]): tuple(
            r[columns[n]] for n in (config.COL_ANSWER, config.COL_EVIDENCE, config.COL_NOTE)
        )
        for r in rows[header + 1 :]
        if len(r) > columns[config.COL_CODE] and r[columns[config.COL_CODE]]
    }


def _identity(path: Path) -> dict[str, object]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Identitas").to_python()
    return {str(r[0]): r[1] for r in rows if len(r) > 1 and r[0]}


# --- committed files are current --------------------------------------------------------------


def test_committed_example_is_small_and_complete() -> None:
    files = _files(COMMITTED)
    assert DINSOS_ODS in files
    assert sum((COMMITTED / f).stat().st_size for f in files) < 1_000_000


def test_committed_example_is_current(generated: Path) -> None:
    """Regenerating gives the committed content; run `python -m tools.example.build` if not."""
    assert _files(generated) == _files(COMMITTED) - {DINSOS_ODS}
    stale = [
        rel
        for rel in sorted(_files(generated))
        if read_example_content(generated / rel) != read_example_content(COMMITTED / rel)
    ]
    assert stale == [], "contoh/inputs/ usang: jalankan `python -m tools.example.build`"


def test_generation_is_deterministic(
    tmp_path: Path,
    instrument: Instrument,
    region: Region,
    example_templates: Path,
    generated: Path,
) -> None:
    write_example_inputs(instrument, region, example_templates, tmp_path, ods=False)
    assert _files(tmp_path) == _files(generated)
    for rel in sorted(_files(generated)):
        assert (tmp_path / rel).read_bytes() == (generated / rel).read_bytes(), rel


@pytest.mark.libreoffice
def test_ods_is_current_and_saved_by_libreoffice(
    tmp_path_factory: pytest.TempPathFactory,
    instrument: Instrument,
    region: Region,
    example_templates: Path,
) -> None:
    from tests.builders import SOFFICE

    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) tidak terpasang")
    out = tmp_path_factory.mktemp("contoh_ods")
    write_example_inputs(instrument, region, example_templates, out, ods=True)
    fresh, committed = out / DINSOS_ODS, COMMITTED / DINSOS_ODS
    assert read_example_content(fresh) == read_example_content(committed)
    with zipfile.ZipFile(committed) as archive:
        assert archive.namelist()[0] == "mimetype"
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
        assert b"LibreOffice" in archive.read("meta.xml")
        assert b"2024-03-22T03:05:00" in archive.read("meta.xml")


# --- answers follow the example scores --------------------------------------------------------

LABEL_CASES = [
    ("ya_tidak", 1.0, "Ya"),
    ("ya_tidak", 0.66, "Ya"),
    ("ya_tidak", 0.5, "Ya"),  # a tie goes to the better answer
    ("ya_tidak", 0.4, "Tidak"),
    ("ya_tidak", 0.0, "Tidak"),
    ("regulasi", 0.75, "Perbup/Perwal"),
    ("regulasi", 0.333, "Rancangan"),
    ("regulasi", 0.4, "SK/SE/Instruksi"),
    ("regulasi", 0.1, "Belum ada"),
    ("tingkat", 0.9, "Seluruhnya"),
    ("tingkat", 0.583, "Sebagian"),
    ("tingkat", 0.2, "Sebagian kecil"),
]


@pytest.mark.parametrize(("jenis", "target", "label"), LABEL_CASES)
def test_fraction_maps_to_nearest_label(
    instrument: Instrument, jenis: str, target: float, label: str
) -> None:
    assert nearest_label(instrument.scoring.label_fractions[jenis], target) == label


# (jenis, arah, target fraction, fraction of the number drawn)
NUMBER_CASES = [
    ("persen", "naik", 1.0, 1.0),
    ("persen", "naik", 0.833, 0.75),
    ("persen", "naik", 0.667, 0.75),
    ("persen", "naik", 0.4, 0.5),
    ("persen", "naik", 0.0, 0.0),
    ("persen", "turun", 1.0, 1.0),
    ("persen", "turun", 0.6, 0.5),
    ("persen", "turun", 0.2, 0.25),
    ("persen", "turun", 0.0, 0.0),
    ("jumlah", "naik", 1.0, 1.0),
    ("jumlah", "naik", 0.429, 0.0),
    ("jumlah", "naik", 0.0, 0.0),
    ("jumlah", "turun", 0.0, 1.0),  # every count earns full points when lower is better
]


@pytest.mark.parametrize(("jenis", "arah", "target", "fraction"), NUMBER_CASES)
def test_fraction_maps_to_a_number_in_the_nearest_band(
    instrument: Instrument, jenis: str, arah: str, target: float, fraction: float
) -> None:
    question = next(q for q in instrument.questions if q.jenis == jenis and q.arah == arah)
    for seed in range(20):
        value = number_answer(instrument, question, target, random.Random(seed))
        assert answer_fraction(instrument, question, value) == fraction
        scale = instrument.scales[jenis]
        assert value >= (scale.minimum or 0)
        assert scale.maximum is None or value <= scale.maximum
        assert isinstance(value, int) if scale.whole else not 0 < value <= 1


@given(target=st.floats(0, 1), seed=st.integers(0, 10_000))
def test_number_answer_earns_the_achievable_fraction_nearest_to_target(
    instrument: Instrument, target: float, seed: int
) -> None:
    for question in [q for q in instrument.questions if q.jenis == "persen"][:4]:
        scale = instrument.scales[question.jenis]
        rule = instrument.scoring.number_rules[(question.jenis, question.arah)]
        achievable = {band.fraction for band in number_bands(rule, scale)}
        value = number_answer(instrument, question, target, random.Random(seed))
        got = answer_fraction(instrument, question, value)
        assert abs(got - target) == min(abs(f - target) for f in achievable)


def test_every_question_gets_a_realistic_answer(
    instrument: Instrument, clean: dict[str, Filled]
) -> None:
    assert set(clean) == {q.kode for q in instrument.questions}
    for question in instrument.questions:
        filled = clean[question.kode]
        scale = instrument.scales[question.jenis]
        if scale.is_label:
            assert filled.jawaban in scale.labels
        evidence = str(filled.data_dukung)
        assert (evidence.startswith("https://") and ".example.go.id/" in evidence) or (
            len(evidence.split()) >= 3 and "arsip" in evidence
        )
    links = sum(str(f.data_dukung).startswith("https://") for f in clean.values())
    assert 0.6 < links / len(clean) < 0.9


def test_expected_answers_are_deterministic(instrument: Instrument, scores: dict) -> None:
    assert expected_example_answers(instrument, scores) == expected_example_answers(
        instrument, scores
    )


def test_example_total_is_near_the_pratama_madya_boundary(
    instrument: Instrument, region: Region, scores: dict[str, float]
) -> None:
    counted = expected_counted_answers(instrument, region, scores)
    mandiri, verified = expected_totals(instrument, counted)
    assert 500 <= verified < 601 <= mandiri < 701
    missing = {q.kode for q in instrument.questions if region.office_role(q.opd_utama) == NOT_SENT}
    assert missing and not missing & set(counted)
    assert {t.kode for t in TROUBLES if not t.counted} & set(counted) == set()


# --- the planted trouble is in the files -------------------------------------------------------


def test_every_sent_answer_is_in_its_file(
    generated: Path, instrument: Instrument, region: Region, clean: dict[str, Filled]
) -> None:
    """Files without answer trouble hold exactly the clean answers."""
    troubled = {(t.file, t.kode) for t in TROUBLES if t.kode}
    names = {p.role: template_filename(p, region) for p in plan_templates(instrument, region)}
    for rel in sorted(_files(generated)):
        if (
            not rel.endswith(".xlsx")
            or rel in (DINKES_OLD, VERIFICATION_FILE)
            or rel.startswith(KECAMATAN_FOLDER)
        ):
            continue  # kecamatan workbooks: tests/test_kd_example.py
        cells = _cells(generated / rel)
        assert cells, rel
        for kode, (jawaban, data_dukung, keterangan) in cells.items():
            if (rel, kode) in troubled:
                continue
            want = clean[kode]
            assert jawaban == want.jawaban, (rel, kode)
            assert (data_dukung, keterangan or None) == (want.data_dukung, want.keterangan)
    assert not any(names[NOT_SENT] in rel for rel in _files(generated))


ANSWER_TROUBLES = [t for t in TROUBLES if t.kode and t.kind != "baris-disisipkan"]


def _typed(trouble: Trouble, want: Filled) -> tuple[object, object]:
    """(Jawaban, Data Dukung) the office typed for an answer trouble."""
    if trouble.kind == "koma-desimal":
        return f"{float(want.jawaban):.1f}".replace(".", ","), want.data_dukung
    if trouble.kind == "tanda-persen":
        return f"{want.jawaban} %".replace(".", ","), want.data_dukung
    if trouble.kind == "tanpa-data-dukung":
        return want.jawaban, trouble.value
    if trouble.kind == "di-luar-rentang":
        return float(trouble.value), want.data_dukung
    assert trouble.kind == "teks-di-sel-angka"
    return trouble.value, want.data_dukung


@pytest.mark.parametrize("trouble", ANSWER_TROUBLES, ids=lambda t: f"{t.kind}-{t.kode}")
def test_answer_trouble_is_typed_in_its_file(
    trouble: Trouble, generated: Path, clean: dict[str, Filled]
) -> None:
    jawaban, data_dukung, _ = _cells(generated / trouble.file)[trouble.kode]
    want = clean[trouble.kode]
    if trouble.kind == "huruf-kecil-spasi":
        assert isinstance(jawaban, str) and jawaban != want.jawaban
        assert " ".join(jawaban.split()) == str(want.jawaban).lower()
        assert jawaban != jawaban.strip()
        assert data_dukung == want.data_dukung
    else:
        assert (jawaban, data_dukung) == _typed(trouble, want)


def test_office_that_never_sent_and_renamed_files(generated: Path, region: Region) -> None:
    files = _files(generated)
    assert not [f for f in files if NOT_SENT in f or "disdik" in f.lower()]
    renamed = [t.file for t in TROUBLES if t.kind == "nama-diganti"]
    assert set(renamed) <= files | {DINSOS_ODS}
    assert all(not Path(f).name.startswith(f"KLA{region.tahun}_") for f in renamed[:3])
    assert {f.split("/")[0] for f in files if "/" in f} == {"email", "whatsapp", KECAMATAN_FOLDER}


def _saved(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        node = ElementTree.fromstring(archive.read("docProps/core.xml")).find(CORE_MODIFIED)
    assert node is not None and node.text
    return node.text


def test_office_sent_twice_older_and_newer(generated: Path) -> None:
    old, new = generated / DINKES_OLD, generated / DINKES_NEW
    assert _saved(old) == "2024-03-14T02:10:00Z"
    assert _saved(new) == "2024-03-27T07:45:00Z"
    assert old.stat().st_mtime < new.stat().st_mtime
    old_cells, new_cells = _cells(old), _cells(new)
    assert old_cells.keys() == new_cells.keys()
    assert sum(v[0] is not None and v[0] != "" for v in old_cells.values()) < len(old_cells)
    assert all(v[0] not in (None, "") for v in new_cells.values())


def test_inserted_row_keeps_the_table_readable(generated: Path) -> None:
    trouble = next(t for t in TROUBLES if t.kind == "baris-disisipkan")
    book = openpyxl.load_workbook(generated / trouble.file)
    sheet = book[config.SHEET_ANSWERS]
    rows = question_rows(sheet)
    _, columns = find_header(sheet)
    row = rows[trouble.kode]
    assert sheet.cell(row - 1, columns[config.COL_NOTE]).value == INSERTED_NOTE
    assert sheet.cell(row - 1, columns[config.COL_CODE]).value is None
    assert not sheet.protection.sheet
    answer_letter = get_column_letter(columns[config.COL_ANSWER])
    validated = {
        cell
        for validation in sheet.data_validations.dataValidation
        for cell_range in validation.sqref.ranges
        for cell in [
            f"{answer_letter}{r}" for r in range(cell_range.min_row, cell_range.max_row + 1)
        ]
    }
    assert {f"{answer_letter}{r}" for r in rows.values()} == validated
    assert trouble.kode in _cells(generated / trouble.file)


def test_empty_identitas_contact(generated: Path) -> None:
    trouble = next(t for t in TROUBLES if t.kind == "narahubung-kosong")
    identity = _identity(generated / trouble.file)
    for label in config.IDENTITY_INPUTS[:4]:
        assert identity.get(label) in (None, ""), label
    other = _identity(generated / DINKES_NEW)
    assert all(other[label] for label in config.IDENTITY_INPUTS)


def test_files_that_are_not_templates(generated: Path) -> None:
    for trouble in [t for t in TROUBLES if t.kind == "bukan-template"]:
        data = (generated / trouble.file).read_bytes()
        if trouble.file.endswith(".pdf"):
            assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
            assert b"startxref\n%d\n" % data.index(b"xref\n") in data
        else:
            with zipfile.ZipFile(generated / trouble.file) as archive:
                assert "word/document.xml" in archive.namelist()
                ElementTree.fromstring(archive.read("word/document.xml"))


def test_committed_ods_holds_the_office_answers(clean: dict[str, Filled]) -> None:
    cells = _cells(COMMITTED / DINSOS_ODS)
    assert cells
    for kode, (jawaban, data_dukung, _) in cells.items():
        assert (jawaban, data_dukung) == (clean[kode].jawaban, clean[kode].data_dukung)


def test_each_trouble_shows_up_when_the_example_is_read(
    instrument: Instrument, region: Region
) -> None:
    """Ingest and validation of the committed example report every planted trouble."""
    from pipeline import tables
    from pipeline.ingest.files import read_inputs
    from pipeline.validate import validate_answers

    ingested = read_inputs(COMMITTED, instrument, region)
    _, answer_issues = validate_answers(ingested.cells, instrument)
    found = {
        (row.file, row.kode, row.code)
        for frame in (ingested.issues, answer_issues)
        for row in frame.itertuples()
    }
    assert {(t.file, t.kode, t.issue) for t in TROUBLES if t.issue} <= found
    status = dict(zip(ingested.files["file"], ingested.files["status"], strict=True))
    assert status[DINKES_OLD] == tables.FILE_SUPERSEDED
    used = {t.file for t in TROUBLES if t.peran and t.file and t.kind != "dikirim-dua-kali"}
    assert {status[f] for f in used} == {tables.FILE_USED}
