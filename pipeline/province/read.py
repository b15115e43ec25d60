"""The province's inputs folder -> one used summary per kab/kota, a row per file, and the issues.

A result is used when it is for this province's year, one of its listed kab/kota, and adds up; of
two results of the same kab/kota the one generated last (run time in its summary) wins.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline import config, tables
from pipeline.ingest.files import list_inputs, read_input_bytes
from pipeline.ingest.summary import JSON_CELL, SummaryRead, read_summary_file
from pipeline.instrument import Instrument
from pipeline.messages import issue, issues_frame, sort_issues
from pipeline.province.checks import summary_problems
from pipeline.province.settings import Province
from pipeline.words import format_date

WORKBOOK_ONLY = ("format_ringkasan", "dibuat", "instrumen", "penerbit")
HISTORY_COLUMNS = (
    "tahun",
    "kode_wilayah",
    "nama",
    "predikat",
    "nilai_mandiri",
    "nilai_terverifikasi",
)


@dataclass(frozen=True)
class Gathered:
    """What the province view read: the used summary per kab/kota code, FILES, ISSUES, history."""

    used: dict[str, dict[str, Any]]
    sources: dict[str, str]  # kab/kota code -> file of the used result
    files: pd.DataFrame  # tables.PROVINCE_FILES
    issues: pd.DataFrame  # tables.ISSUES
    history: pd.DataFrame  # HISTORY_COLUMNS


@dataclass(frozen=True)
class Checked:
    """One file after the province's checks: its status and its issues."""

    read: SummaryRead
    status: str
    issues: list[dict[str, str]]


def read_province_inputs(folder: Path, province: Province, instrument: Instrument) -> Gathered:
    """Read every result file under `folder` (any name, any subfolder) and the optional history."""
    folder = Path(folder)
    history_path = folder / config.PROVINCE_HISTORY_INPUT
    checked = [
        check_result(read_result(path, folder), province, instrument)
        for path in list_inputs(folder)
        if path != history_path
    ]
    checked = resolve_duplicates(checked)
    history, history_issues = read_history(history_path, folder)
    used = {
        c.read.summary["wilayah"]["kode"]: c.read
        for c in checked
        if c.status == tables.RESULT_USED and c.read.summary
    }
    issues = [found for c in checked for found in c.issues] + history_issues
    return Gathered(
        used={kode: dict(read.summary or {}) for kode, read in used.items()},
        sources={kode: read.file for kode, read in used.items()},
        files=files_frame(checked),
        issues=sort_issues(issues_frame(issues)),
        history=history,
    )


def read_result(path: Path, root: Path) -> SummaryRead:
    """A result file's summary; any other file is noted as not a result."""
    if path.suffix.lower() in config.SUMMARY_SUFFIXES:
        return read_summary_file(path, root)
    rel = path.relative_to(root).as_posix()
    found = issue("bukan-hasil-kabkota", file=rel, value=path.suffix or "tanpa akhiran")
    return SummaryRead(rel, "", None, [found], not_result=True)


def check_result(read: SummaryRead, province: Province, instrument: Instrument) -> Checked:
    """Is this result for this province's year and kab/kota, and does it add up?"""
    if read.summary is None:
        status = tables.RESULT_NOT_RESULT if read.not_result else tables.RESULT_REJECTED
        return Checked(read, status, list(read.issues))
    summary = read.summary
    kode = str(summary["wilayah"]["kode"])
    name = str(summary["wilayah"].get("nama", kode))
    sheet, cell = _located(read)
    where = {"file": read.file, "sheet": sheet, "cell": cell, "name": name}
    found: list[dict[str, str]] = []
    if not province.includes(kode):
        found.append(issue("provinsi-berbeda", value=kode, expected=province.nama, **where))
    elif province.kabkota(kode) is None:
        found.append(issue("kabkota-tidak-terdaftar", value=kode, **where))
    if int(summary["tahun"]) != province.tahun:
        found.append(
            issue("tahun-hasil-berbeda", value=summary["tahun"], expected=province.tahun, **where)
        )
    if not found:
        problems = summary_problems(summary, instrument)
        if problems:
            shown = "; ".join(text for _, text in problems)
            found.append(issue("total-tidak-cocok", kode=problems[0][0], value=shown, **where))
    status = tables.RESULT_REJECTED if found else tables.RESULT_USED
    return Checked(read, status, [*read.issues, *found])


def resolve_duplicates(checked: list[Checked]) -> list[Checked]:
    """Of the used results of one kab/kota, keep the one generated last; set the others aside."""
    by_code: dict[str, list[Checked]] = {}
    for item in checked:
        if item.status == tables.RESULT_USED and item.read.summary:
            by_code.setdefault(str(item.read.summary["wilayah"]["kode"]), []).append(item)
    outcome = {id(item): item for item in checked}
    for items in by_code.values():
        ordered = sorted(
            items, key=lambda c: (c.read.generated, c.read.kind == "workbook", c.read.file)
        )
        winner = ordered[-1]
        for older in ordered[:-1]:
            outcome[id(older)] = _set_aside(older, winner)
    return [outcome[id(item)] for item in checked]


def _set_aside(older: Checked, winner: Checked) -> Checked:
    sheet, cell = _located(older.read)
    summary = older.read.summary or {}
    same = _content(summary) == _content(winner.read.summary or {})
    found = issue(
        "hasil-sama" if same else "hasil-ganda",
        file=older.read.file,
        sheet=sheet,
        cell=cell,
        value=_when(older.read.generated),
        name=str(summary.get("wilayah", {}).get("nama", "")),
        newer=winner.read.file,
        expected=_when(winner.read.generated),
    )
    return replace(older, status=tables.RESULT_SET_ASIDE, issues=[*older.issues, found])


def _content(summary: dict[str, Any]) -> dict[str, Any]:
    """A summary without what only the workbook carries (format, run time, instrument, publisher)."""
    return {key: value for key, value in summary.items() if key not in WORKBOOK_ONLY}


def _when(iso: str) -> str:
    """A run time as people read it ("3 Desember 2026 pukul 08.35"); "tanpa waktu" when unknown."""
    try:
        moment = dt.datetime.fromisoformat(iso)
    except ValueError:
        return "tanpa waktu (ringkasan.json)"
    return f"{format_date(moment.date())} pukul {moment:%H.%M.%S}"


def _located(read: SummaryRead) -> tuple[str, str]:
    if read.kind == "workbook":
        return config.SHEET_MACHINE_SUMMARY, JSON_CELL
    return "", ""


def files_frame(checked: list[Checked]) -> pd.DataFrame:
    """tables.PROVINCE_FILES: one row per file, with the first issue's message."""
    rows = []
    for item in checked:
        summary = item.read.summary or {}
        region = summary.get("wilayah", {}) if isinstance(summary.get("wilayah"), dict) else {}
        rows.append(
            {
                "file": item.read.file,
                "jenis": item.read.kind,
                "kode_wilayah": str(region.get("kode", "")),
                "nama": str(region.get("nama", "")),
                "tahun": str(summary.get("tahun", "")),
                "dibuat": item.read.generated,
                "status": item.status,
                "pesan": item.issues[-1]["message"] if item.issues else "",
            }
        )
    frame = pd.DataFrame(rows, columns=list(tables.PROVINCE_FILES), dtype=object)
    return frame.sort_values("file", kind="stable").reset_index(drop=True)


def read_history(path: Path, root: Path) -> tuple[pd.DataFrame, list[dict[str, str]]]:
    """riwayat_predikat.csv (optional): rows that do not parse become warnings and are skipped."""
    empty = pd.DataFrame(columns=list(HISTORY_COLUMNS))
    if not path.is_file():
        return empty, []
    rel = path.relative_to(root).as_posix()
    text = read_input_bytes(path).decode("utf-8-sig", errors="replace")
    reader = csv.DictReader(io.StringIO(text))
    expected = ", ".join(HISTORY_COLUMNS)
    missing = [c for c in HISTORY_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        shown = f"kolom tidak ada: {', '.join(missing)}"
        return empty, [issue("riwayat-tidak-terbaca", file=rel, value=shown, expected=expected)]
    rows, found = [], []
    for number, row in enumerate(reader, start=2):
        parsed = _history_row(row)
        if parsed is None:
            shown = f"baris {number}"
            found.append(
                issue(
                    "riwayat-tidak-terbaca",
                    file=rel,
                    cell=f"A{number}",
                    value=shown,
                    expected=expected,
                )
            )
        else:
            rows.append(parsed)
    return pd.DataFrame(rows, columns=list(HISTORY_COLUMNS)), found


def _history_row(row: dict[str, str | None]) -> dict[str, Any] | None:
    try:
        year = int(str(row["tahun"]).strip())
    except ValueError:
        return None
    kode = str(row["kode_wilayah"] or "").strip()
    if not kode or not 2000 <= year <= 2100:
        return None
    return {
        "tahun": year,
        "kode_wilayah": kode,
        "nama": str(row["nama"] or "").strip(),
        "predikat": str(row["predikat"] or "").strip(),
        "nilai_mandiri": _number(row["nilai_mandiri"]),
        "nilai_terverifikasi": _number(row["nilai_terverifikasi"]),
    }


def _number(text: str | None) -> float | None:
    try:
        return float(str(text or "").strip().replace(",", "."))
    except ValueError:
        return None
