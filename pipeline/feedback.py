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
from pipeline.messages import indonesian_decimal
from pipeline.outfiles import atomic_path
from pipeline.region import Region
from pipeline.words import format_date
from pipeline.wrap import wrapped_lines

SHEET_PROBLEMS = "Daftar Masalah"
SHEET_ANSWERS = "Isian Anda"
# Rows above the problem table's header (the intro block); the header is row INTRO_ROWS + 1 in Excel.
INTRO_ROWS = 6
FIXED_TIME = dt.datetime(2024, 1, 1)  # document properties: outputs must not depend on the clock
PROBLEM_HEADERS = (
    (config.COL_NO, 5),
    ("Berkas", 30),
    ("Sel", 16),
    (config.COL_CODE, 10),
    (config.COL_QUESTION, 45),
    ("Tingkat", 11),
    ("Isian ditemukan", 22),
    ("Masalah dan cara memperbaiki", 80),
)
ANSWER_HEADERS = (
    ("Sel", 8),
    (config.COL_CODE, 10),
    (config.COL_QUESTION, 45),
    (config.COL_ANSWER, 18),
    (config.COL_EVIDENCE, 35),
    (config.COL_NOTE, 25),
    ("Status", 13),
    ("Masalah", 70),
)
# Characters per line of each column, as wrapped_lines counts them.
LINE_CHARS: dict[tuple[tuple[str, int], ...], tuple[int, ...]] = {
    headers: tuple(max(int(width * 1.15) - 1, 1) for _, width in headers)
    for headers in (PROBLEM_HEADERS, ANSWER_HEADERS)
}
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
    region: Region | None = None,
) -> list[Path]:
    """One workbook per office whose workbook(s) had issues or unanswered questions; sorted paths."""
    roles = files.set_index("file")["peran"].astype(str).to_dict()
    names = _office_names(files)
    questions = {q.kode: q.pertanyaan for q in instrument.questions}
    # Sorted once, then split by office: a stable sort keeps each office's share in the same order.
    ordered = sort_for_reading(issues)
    office_issues = _by_role(_records(ordered), ordered["file"].map(roles).fillna("").tolist())
    answer_rows = _records(answers)
    answer_roles = answers["peran"].astype(str).tolist()
    office_answers = _by_role(answer_rows, answer_roles)  # the intro lists codes in this order
    sort_keys = answers[["file", "row"]].reset_index(drop=True)
    by_place = sort_keys.sort_values(["file", "row"], kind="stable").index.tolist()
    sorted_answers = _by_role(
        [answer_rows[i] for i in by_place], [answer_roles[i] for i in by_place]
    )
    unanswered = {
        role
        for role, record in zip(answer_roles, answer_rows, strict=True)
        if str(record["status_jawaban"]) == tables.STATUS_UNANSWERED
    }
    written = []
    for role in sorted({r for r in office_issues if r} | unanswered):
        found = office_issues.get(role, [])
        path = Path(out_dir) / feedback_filename(role, names.get(role, ""))
        intro = intro_lines(names.get(role, role), found, office_answers.get(role, []), region)
        own = sorted_answers.get(role, [])
        write_office_feedback(path, names.get(role, role), found, own, questions, intro)
        written.append(path)
    return written


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The frame's rows as dicts (Python scalars); column lists, not a pandas call per row."""
    fields = [str(name) for name in frame.columns]
    columns = [frame[name].tolist() for name in frame.columns]
    return [dict(zip(fields, values, strict=True)) for values in zip(*columns, strict=True)]


def _by_role(rows: list[dict[str, Any]], roles: list[str]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row, role in zip(rows, roles, strict=True):
        grouped.setdefault(role, []).append(row)
    return grouped


def intro_lines(
    office: str,
    issues: list[dict[str, Any]],
    answers: list[dict[str, Any]],
    region: Region | None,
) -> list[str]:
    """What the office reads first: whose feedback this is, the counts, and what to do."""
    errors = sum(1 for item in issues if item["severity"] == tables.SEVERITY_ERROR)
    warnings = sum(1 for item in issues if item["severity"] == tables.SEVERITY_WARNING)
    open_codes = [
        record["kode"]
        for record in answers
        if str(record["status_jawaban"]) == tables.STATUS_UNANSWERED
    ]
    year = f" {region.tahun}" if region else ""
    lines = [
        f"Umpan balik isian KLA{year} - {office}" + (f", {region.nama}" if region else ""),
        f"Ditemukan {errors} galat (jawaban ditolak, nilainya 0) dan {warnings} peringatan"
        + (
            f"; {len(open_codes)} dari {len(answers)} pertanyaan belum dijawab."
            if answers
            else "."  # a kecamatan workbook: its answers are units, listed by issue
        ),
    ]
    if open_codes:
        lines.append("Belum dijawab: " + ", ".join(map(str, open_codes)) + ".")
    lines.append(
        "Perbaiki berkas isian Anda sendiri (bukan berkas ini) pada sel yang disebut di tabel, "
        "lengkapi yang belum dijawab, lalu kirim ulang berkas isian itu ke koordinator."
    )
    if region:
        contact = region.koordinator
        lines.append(
            f"Koordinator: {contact.nama}, {contact.telepon}, {contact.email}. "
            f"Batas pengumpulan: {format_date(region.batas_pengumpulan)}."
        )
    return lines


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
    issues: list[dict[str, Any]],
    answers: list[dict[str, Any]],
    questions: dict[str, str],
    intro: list[str] | None = None,
) -> None:
    """Write one office's feedback workbook atomically (xlsxwriter, fixed properties).

    Args:
        issues: the office's issues in reading order (sort_for_reading).
        answers: the office's answers by file and row.
    """
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
        formats["title"] = book.add_format({"bold": True, "font_size": 13})
        problems = book.add_worksheet(SHEET_PROBLEMS)
        _write_intro(problems, intro or [], formats)
        _write_problems(problems, issues, questions, formats)
        if answers:
            _write_answers(book.add_worksheet(SHEET_ANSWERS), answers, issues, questions, formats)
        book.close()


def _write_header(
    sheet: Worksheet, headers: tuple[tuple[str, int], ...], fmt: Any, top: int = 0
) -> None:
    for col, (name, width) in enumerate(headers):
        sheet.set_column(col, col, width)
        sheet.write_string(top, col, name, fmt)
    sheet.freeze_panes(top + 1, 0)


def _print_setup(sheet: Worksheet, header_row: int) -> None:
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(header_row)
    sheet.set_footer("&CHalaman &P dari &N")


def _fit_row(
    sheet: Worksheet, row: int, texts: tuple[str, ...], headers: tuple[tuple[str, int], ...]
) -> None:
    """Row height for wrapped text (LibreOffice does not grow rows written by xlsxwriter)."""
    lines = 1
    for text, chars in zip(texts, LINE_CHARS[headers], strict=False):
        if len(text) > chars or "\n" in text:  # else one line at most
            lines = max(lines, wrapped_lines(text, chars))
    if lines > 1:
        sheet.set_row(row, 13 * min(lines, 30))


def _write_intro(sheet: Worksheet, lines: list[str], formats: dict[str, Any]) -> None:
    """The intro block above the problem table (rows 1..INTRO_ROWS-1; long lines span the width)."""
    for row, line in enumerate(lines[: INTRO_ROWS - 1]):
        fmt = formats["title"] if row == 0 else formats["text"]
        if row == 0:
            sheet.write_string(row, 0, line, fmt)
        else:
            sheet.merge_range(row, 0, row, len(PROBLEM_HEADERS) - 1, line, fmt)
            sheet.set_row(row, 15 * (1 + len(line) // 180))


def _write_problems(
    sheet: Worksheet,
    issues: list[dict[str, Any]],
    questions: dict[str, str],
    formats: dict[str, Any],
) -> None:
    _write_header(sheet, PROBLEM_HEADERS, formats["header"], top=INTRO_ROWS)
    for row, item in enumerate(issues, start=INTRO_ROWS + 1):
        place = f"{item['sheet']}!{item['cell']}" if item["cell"] else str(item["sheet"])
        values = (
            str(item["file"]),
            place,
            str(item["kode"]),
            questions.get(str(item["kode"]), ""),
            SEVERITY_LABEL.get(str(item["severity"]), str(item["severity"])),
            str(indonesian_decimal(item["value"])),  # as the message writes it: 0,85
            str(item["message"]),
        )
        sheet.write_number(row, 0, row - INTRO_ROWS, formats["text"])
        for col, value in enumerate(values, start=1):
            fmt = formats[str(item["severity"])] if col == 5 else formats["text"]
            sheet.write_string(row, col, value, fmt)
        _fit_row(sheet, row, ("", *values), PROBLEM_HEADERS)
    sheet.autofilter(INTRO_ROWS, 0, INTRO_ROWS + max(len(issues), 1), len(PROBLEM_HEADERS) - 1)
    _print_setup(sheet, INTRO_ROWS)


def _write_answers(
    sheet: Worksheet,
    answers: list[dict[str, Any]],
    issues: list[dict[str, Any]],
    questions: dict[str, str],
    formats: dict[str, Any],
) -> None:
    _write_header(sheet, ANSWER_HEADERS, formats["header"])
    by_cell: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for item in issues:
        by_cell.setdefault((str(item["file"]), str(item["cell"])), []).append(item)
    for row, record in enumerate(answers, start=1):
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
            text = str(indonesian_decimal(clean_text(raw)))
            _write_marked(sheet, row, col, text, by_cell.get((file, str(cell)), []), formats)
        sheet.write_string(row, 5, clean_text(record["keterangan_mentah"]), formats["text"])
        sheet.write_string(row, 6, str(record["status_jawaban"]), formats["text"])
        messages = "\n".join(str(i["message"]) for i in found)
        sheet.write_string(row, 7, messages, formats["text"])
        shown = (
            *texts,
            clean_text(record["jawaban_mentah"]),
            clean_text(record["data_dukung_mentah"]),
        )
        _fit_row(sheet, row, (*shown, "", "", messages), ANSWER_HEADERS)
    _print_setup(sheet, 0)


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
