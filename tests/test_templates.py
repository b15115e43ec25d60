"""Templates: one per office, every question once, validations, protection, metadata, real apps."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from pipeline import config
from pipeline.instrument import Instrument
from pipeline.metadata import codes_hash, meta_hash
from pipeline.region import Region
from pipeline.templates.opd import HEADER_ROW, plan_templates
from pipeline.unit_questions import computed_codes
from tests.builders import soffice_convert

ANSWER_COL = "F"


def _question_rows(sheet) -> dict[str, int]:  # type: ignore[no-untyped-def]
    header = [c.value for c in sheet[HEADER_ROW + 1]]
    code_col = header.index(config.COL_CODE) + 1
    return {
        sheet.cell(row, code_col).value: row
        for row in range(HEADER_ROW + 2, sheet.max_row + 1)
        if sheet.cell(row, code_col).value
    }


def _meta(book) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {row[0]: row[1] for row in book[config.SHEET_META].iter_rows(values_only=True)}


def test_one_template_per_responsible_office(
    template_paths: dict[str, Path], region: Region, instrument: Instrument
) -> None:
    computed = computed_codes(instrument, region)  # asked in the kecamatan workbooks instead
    expected = {
        region.office_role(q.opd_utama) for q in instrument.questions if q.kode not in computed
    }
    assert set(template_paths) == expected
    assert "UPTDPPA" not in template_paths  # redirected to DP3A in the example region


def test_every_question_in_exactly_one_template(
    template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    seen: list[str] = []
    for path in template_paths.values():
        seen += list(_question_rows(openpyxl.load_workbook(path)[config.SHEET_ANSWERS]))
    computed = computed_codes(instrument, region)  # the KD roll-up asks them of each kecamatan
    assert len(computed) == 20
    assert sorted(seen) == sorted(q.kode for q in instrument.questions if q.kode not in computed)


def test_header_contract_and_columns(template_paths: dict[str, Path]) -> None:
    sheet = openpyxl.load_workbook(template_paths["DINKES"])[config.SHEET_ANSWERS]
    header = [c.value for c in sheet[HEADER_ROW + 1]]
    for name in (
        *config.CONTRACT_HEADERS,
        config.COL_NO,
        config.COL_INDICATOR,
        config.COL_QUESTION,
        config.COL_TYPE,
        config.COL_MAX,
        config.COL_SUPPORT,
    ):
        assert name in header
    assert header.index(config.COL_ANSWER) == ord(ANSWER_COL) - ord("A")


def _validation_for(sheet, cell: str):  # type: ignore[no-untyped-def]
    found = [dv for dv in sheet.data_validations.dataValidation if cell in dv.sqref]
    assert len(found) == 1, cell
    return found[0]


def test_each_answer_cell_has_the_right_validation(
    template_paths: dict[str, Path], instrument: Instrument
) -> None:
    checked = set()
    for path in template_paths.values():
        sheet = openpyxl.load_workbook(path)[config.SHEET_ANSWERS]
        for code, row in _question_rows(sheet).items():
            scale = instrument.scales[instrument.question(code).jenis]
            rule = _validation_for(sheet, f"{ANSWER_COL}{row}")
            assert rule.showErrorMessage and rule.showInputMessage and rule.prompt and rule.error
            if scale.is_label:
                assert rule.type == "list"
                assert rule.formula1.strip('"').split(",") == list(scale.labels)
            elif scale.whole:
                assert (rule.type, rule.operator, rule.formula1) == (
                    "whole",
                    "greaterThanOrEqual",
                    "0",
                )
            else:  # a text cell: `12,5` and `92.3` are text in one locale or the other (issue 13)
                assert (rule.type, rule.operator, rule.formula1) == (
                    "textLength",
                    "lessThanOrEqual",
                    "12",
                )
                assert sheet[f"{ANSWER_COL}{row}"].number_format == "@"
            checked.add(scale.jenis)
            for dv in sheet.data_validations.dataValidation:
                assert ":" not in str(dv.sqref) or "1048576" not in str(dv.sqref)
    assert checked == set(instrument.scales)


def test_protection_on_inputs_unlocked(template_paths: dict[str, Path]) -> None:
    book = openpyxl.load_workbook(template_paths["DINKES"])
    for name in (config.SHEET_GUIDE, config.SHEET_IDENTITY, config.SHEET_ANSWERS):
        assert book[name].protection.sheet, name
    sheet = book[config.SHEET_ANSWERS]
    row = next(iter(_question_rows(sheet).values()))
    for col in ("F", "G", "H"):
        assert sheet[f"{col}{row}"].protection.locked is False
    for col in ("A", "B", "D", "I"):
        assert sheet[f"{col}{row}"].protection.locked is True
    identity = book[config.SHEET_IDENTITY]
    labels = {identity.cell(r, 1).value: r for r in range(1, identity.max_row + 1)}
    for label in config.IDENTITY_INPUTS:
        assert identity.cell(labels[label], 2).protection.locked is False
    assert identity.cell(labels[config.ID_OFFICE], 2).protection.locked is True


def test_metadata_is_very_hidden_and_signed(
    template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    book = openpyxl.load_workbook(template_paths["DP3A"])
    assert book[config.SHEET_META].sheet_state == "veryHidden"
    meta = _meta(book)
    assert set(meta) == set(config.META_KEYS)
    assert meta["tahun"] == str(region.tahun) and meta["kode_wilayah"] == region.kode
    assert meta["peran"] == "DP3A" and meta["peran_tercakup"] == "DP3A;UPTDPPA"
    assert meta["instrumen_hash"] == instrument.content_hash
    assert meta["hash_meta"] == meta_hash(meta)
    assert meta["hash_kode"] == codes_hash(_question_rows(book[config.SHEET_ANSWERS]))


def test_print_setup(template_paths: dict[str, Path]) -> None:
    sheet = openpyxl.load_workbook(template_paths["DINKES"])[config.SHEET_ANSWERS]
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth in (
        None,
        1,
    )  # 1 is the default
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows == f"${HEADER_ROW + 1}:${HEADER_ROW + 1}"
    assert sheet.freeze_panes == f"D{HEADER_ROW + 2}"
    assert "&P" in sheet.oddFooter.center.text


def test_filled_with_openpyxl_keeps_answers(
    template_paths: dict[str, Path], tmp_path: Path
) -> None:
    book = openpyxl.load_workbook(template_paths["DINKES"])
    sheet = book[config.SHEET_ANSWERS]
    rows = _question_rows(sheet)
    row = next(iter(rows.values()))
    sheet[f"F{row}"] = "Sebagian"
    sheet[f"G{row}"] = "https://contoh.example/dok.pdf"
    filled = tmp_path / "isian.xlsx"
    book.save(filled)
    again = openpyxl.load_workbook(filled)
    assert again[config.SHEET_ANSWERS][f"F{row}"].value == "Sebagian"
    assert again[config.SHEET_ANSWERS][f"G{row}"].value == "https://contoh.example/dok.pdf"
    assert again[config.SHEET_META].sheet_state == "veryHidden"


def test_plan_is_deterministic(instrument: Instrument, region: Region) -> None:
    assert plan_templates(instrument, region) == plan_templates(instrument, region)


@pytest.mark.libreoffice
def test_templates_open_in_libreoffice(template_paths: dict[str, Path], tmp_path: Path) -> None:
    for role in ("DINKES", "DP3A", "BAPENDA"):
        result = soffice_convert(template_paths[role], "pdf", tmp_path)
        assert result.returncode == 0, result.stderr
        pdf = tmp_path / (template_paths[role].stem + ".pdf")
        assert pdf.exists() and pdf.stat().st_size > 1000, result.stdout + result.stderr
