"""Issues -> one feedback workbook per office: the problem list, and its answers with problems marked."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from pipeline import config, tables
from pipeline.answers import clean_text
from pipeline.instrument import Instrument
from pipeline.messages import records
from pipeline.outfiles import atomic_path

SHEET_PROBLEMS = "Daftar Masalah"
SHEET_ANSWERS = "Isian Anda"
FIXED_TIME = dt.datetime(2024, 1, 1)  # document properties: outputs must not depend on the clock
PROBLEM_HEADERS = (
    ("No", 5),
    ("Berkas", 30),
    ("Sel", 16),
    ("Kode", 10),
    ("Pertanyaan", 45),
    ("Tingkat", 11),
    ("Isian ditemukan", 22),
    ("Masalah dan cara memperbaiki", 80),
)
ANSWER_HEADERS = (
    ("Sel", 8),
    ("Kode", 10),
    ("Pertanyaan", 45),
    ("Jawaban", 18),
    ("Data Dukung", 35),
    ("Keterangan", 25),
    ("Status", 13),
    ("Masalah", 70),
)
SHEET_ORDER = {"": 0, config.SHEET_META: 1, config.SHEET_IDENTITY: 2, config.SHEET_ANSWERS: 3}
SEVERITY_LABEL = {tables.SEVERITY_ERROR: "Galat", tables.SEVERITY_WARNING: "Peringatan"}
FILLS = {tables.SEVERITY_ERROR: "#F4B6B6", tables.SEVERITY_WARNING: "#FFE699"}
CELL_PARTS = re.compile(r"^([A-Z]*)(\d*)$")


def feedback_filename(role: str, office: str) -> str:
    """A file-system-safe name for an office's feedback workbook: ROLE_Office_Name.xlsx."""
    short = re.sub(r"[^0-9A-Za-z]+", "_", office).strip("_")[:80]
    safe_role = re.sub(r"[^0-9A-Za-z]+", "_", role).strip("_") or "TANPA_PERAN"
    return f"{safe_role}_{short}.xlsx" if short else f"{safe_role}.xlsx"


def sort_for_reading(issues: pd.DataFrame) -> pd.DataFrame:
    """Issues in the order an office reads its workbook: file, sheet, row, column, code."""
    parts = issues["cell"].astype(str).str.extract(CELL_PARTS.pattern)
    keys = pd.DataFrame(
        {
            "file": issues["file"].astype(str),
            "sheet": issues["sheet"].map(SHEET_ORDER).fillna(len(SHEET_ORDER)),
            "row": pd.to_numeric(parts[1], errors="coerce").fillna(0),
            "col": parts[0].fillna("").str.len() * 100 + parts[0].fillna("").map(_letters_value),
            "kode": issues["kode"].astype(str),
            "code": issues["code"].astype(str),
        },
        index=issues.index,
    )
    order = keys.sort_values(list(keys.columns), kind="stable").index
    return issues.loc[order].reset_index(drop=True)


def _letters_value(letters: str) -> int:
    value = 0
    for char in letters:
        value = value * 26 + ord(char) - 64
    return value


def write_feedback(
    answers: pd.DataFrame,
    issues: pd.DataFrame,
    files: pd.DataFrame,
    instrument: Instrument,
    out_dir: Path,
) -> list[Path]:
    """One workbook per office whose workbook(s) had issues; return the paths written, sorted."""
    roles = files.set_index("file")["peran"].astype(str).to_dict()
    names = _office_names(files)
    role_of_issue = issues["file"].map(roles).fillna("")
    questions = {q.kode: q.pertanyaan for q in instrument.questions}
    written = []
    for role in sorted({r for r in role_of_issue if r}):
        office_issues = sort_for_reading(issues[role_of_issue == role])
        office_answers = answers[answers["peran"].astype(str) == role]
        path = Path(out_dir) / feedback_filename(role, names.get(role, ""))
        write_office_feedback(path, names.get(role, role), office_issues, office_answers, questions)
        written.append(path)
    return written


def _office_names(files: pd.DataFrame) -> dict[str, str]:
    ranked = files.assign(used=files["status"] != tables.FILE_USED).sort_values(["used", "file"])
    names: dict[str, str] = {}
    for role, name in zip(ranked["peran"], ranked["nama_opd"], strict=True):
        if role and name:
            names.setdefault(str(role), str(name))
    return names


def write_office_feedback(
    path: Path,
    office: str,
    issues: pd.DataFrame,
    answers: pd.DataFrame,
    questions: dict[str, str],
) -> None:
    """Write one office's feedback workbook atomically (xlsxwriter, fixed properties)."""
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), config.XLSXWRITER_OPTIONS)
        book.set_properties(
            {
                "title": f"Umpan balik isian KLA - {office}",
                "author": "KLA Konsolidasi",
                "created": FIXED_TIME,
            }
        )
        formats = {
            "header": book.add_format(
                {"bold": True, "bg_color": "#1F4E78", "font_color": "#FFFFFF", "text_wrap": True}
            ),
            "text": book.add_format({"text_wrap": True, "valign": "top"}),
            **{
                severity: book.add_format({"text_wrap": True, "valign": "top", "bg_color": color})
                for severity, color in FILLS.items()
            },
        }
        _write_problems(book.add_worksheet(SHEET_PROBLEMS), issues, questions, formats)
        if not answers.empty:
            _write_answers(book.add_worksheet(SHEET_ANSWERS), answers, issues, questions, formats)
        book.close()


def _write_header(sheet: Worksheet, headers: tuple[tuple[str, int], ...], fmt: Any) -> None:
    for col, (name, width) in enumerate(headers):
        sheet.set_column(col, col, width)
        sheet.write_string(0, col, name, fmt)
    sheet.freeze_panes(1, 0)


def _write_problems(
    sheet: Worksheet, issues: pd.DataFrame, questions: dict[str, str], formats: dict[str, Any]
) -> None:
    _write_header(sheet, PROBLEM_HEADERS, formats["header"])
    for row, item in enumerate(records(issues), start=1):
        place = f"{item['sheet']}!{item['cell']}" if item["cell"] else str(item["sheet"])
        values = (
            str(item["file"]),
            place,
            str(item["kode"]),
            questions.get(str(item["kode"]), ""),
            SEVERITY_LABEL.get(str(item["severity"]), str(item["severity"])),
            str(item["value"]),
            str(item["message"]),
        )
        sheet.write_number(row, 0, row, formats["text"])
        for col, value in enumerate(values, start=1):
            fmt = formats[str(item["severity"])] if col == 5 else formats["text"]
            sheet.write_string(row, col, value, fmt)
    sheet.autofilter(0, 0, max(len(issues), 1), len(PROBLEM_HEADERS) - 1)


def _write_answers(
    sheet: Worksheet,
    answers: pd.DataFrame,
    issues: pd.DataFrame,
    questions: dict[str, str],
    formats: dict[str, Any],
) -> None:
    _write_header(sheet, ANSWER_HEADERS, formats["header"])
    by_cell: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for item in records(issues):
        by_cell.setdefault((str(item["file"]), str(item["cell"])), []).append(item)
    ordered = answers.sort_values(["file", "row"], kind="stable")
    for row, record in enumerate(records(ordered), start=1):
        file = str(record["file"])
        found = [
            *by_cell.get((file, str(record["jawaban_sel"])), []),
            *by_cell.get((file, str(record["data_dukung_sel"])), []),
        ]
        texts = (
            str(record["jawaban_sel"]),
            str(record["kode"]),
            questions.get(str(record["kode"]), ""),
        )
        for col, value in enumerate(texts):
            sheet.write_string(row, col, value, formats["text"])
        for col, raw, cell in (
            (3, record["jawaban_mentah"], record["jawaban_sel"]),
            (4, record["data_dukung_mentah"], record["data_dukung_sel"]),
        ):
            _write_marked(
                sheet, row, col, clean_text(raw), by_cell.get((file, str(cell)), []), formats
            )
        sheet.write_string(row, 5, clean_text(record["keterangan_mentah"]), formats["text"])
        sheet.write_string(row, 6, str(record["status_jawaban"]), formats["text"])
        sheet.write_string(row, 7, "\n".join(str(i["message"]) for i in found), formats["text"])


def _write_marked(
    sheet: Worksheet,
    row: int,
    col: int,
    text: str,
    found: list[dict[str, Any]],
    formats: dict[str, Any],
) -> None:
    if not found:
        sheet.write_string(row, col, text, formats["text"])
        return
    worst = min(str(i["severity"]) for i in found)  # "galat" < "peringatan"
    sheet.write_string(row, col, text, formats[worst])
    comment = "\n".join(str(i["message"]) for i in found)
    sheet.write_comment(
        row, col, comment[:30000], {"author": "KLA Konsolidasi", "x_scale": 3, "y_scale": 2}
    )
