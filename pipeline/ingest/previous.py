"""Last year's results -> PreviousResults: from an outputs folder (CSV + JSON) or a consolidated workbook.

Read with the same defences as a submission: no links followed, size limits, byte checks before a
parser sees a workbook, text cleaned and cut. A source that cannot be used at all raises KlaError
(it is an argument the user gave); a row that cannot be used becomes an issue and is left out.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from python_calamine import CalamineWorkbook

from pipeline import config, tables
from pipeline.answers import checked_text, clean_text
from pipeline.errors import KlaError
from pipeline.ingest.files import read_input_bytes
from pipeline.ingest.parts import Package, read_ods_extents, read_sheet_extent
from pipeline.ingest.sniff import (
    MAX_FILE_BYTES,
    MAX_SHEET_CELLS,
    MAX_SHEET_ROWS,
    content_suffix,
    sniff_bytes,
)
from pipeline.instrument import Instrument
from pipeline.messages import issue, issues_frame
from pipeline.region import Region

QUESTIONS_CSV = config.OUT_QUESTIONS
SUMMARY_JSON = config.OUT_SUMMARY
DATA_SHEET = config.REPORT_DATA
SUMMARY_SHEET = config.REPORT_SUMMARY
REQUIRED = (
    "kode",
    "jawaban",
    "data_dukung",
    "nilai_maks",
    "nilai_mandiri",
    "nilai_terverifikasi",
    "status",
)
OPTIONAL = ("status_verifikasi", "catatan_verifikasi")
NUMBERS = ("nilai_maks", "nilai_mandiri", "nilai_terverifikasi")
MAX_ROWS = 20_000
YEAR = re.compile(r"\b(19|20)\d{2}\b")
ANSWERED = "dijawab"


def read_previous(source: Path, instrument: Instrument, region: Region) -> tables.PreviousResults:
    """Last year's results from an outputs folder or a consolidated workbook (.xlsx/.ods)."""
    source = Path(source)
    if source.is_symlink():
        raise KlaError(
            f"{source} adalah tautan simbolik; tautan tidak diikuti. Beri folder atau berkas aslinya."
        )
    if source.is_dir():
        rows, tahun, wilayah, name = _read_folder(source)
    elif source.is_file():
        rows, tahun, wilayah, name = _read_workbook(source)
    else:
        raise KlaError(
            f"Hasil tahun lalu tidak ditemukan: {source}. Beri folder outputs tahun lalu (berisi "
            f"{QUESTIONS_CSV} dan {SUMMARY_JSON}) atau berkas Konsolidasi_KLA_*.xlsx tahun lalu."
        )
    if tahun > region.tahun:
        raise KlaError(
            f"{source}: hasil tahun {tahun} lebih baru dari tahun evaluasi {region.tahun}. "
            f"Pilih hasil tahun lalu sebagai SEBELUMNYA."
        )
    answers, found = _answers(rows, name, instrument)
    if tahun == region.tahun:
        found.append(issue("sebelumnya-tahun-sama", file=shown_path(source), value=str(tahun)))
    if wilayah and clean_text(wilayah) != clean_text(region.nama):
        found.append(issue("sebelumnya-wilayah-lain", file=shown_path(source), value=wilayah))
    return tables.PreviousResults(
        tahun=tahun,
        wilayah=wilayah,
        source=shown_path(source),
        answers=answers,
        mandiri=float(answers["nilai_mandiri"].sum()),
        terverifikasi=float(answers["nilai_terverifikasi"].sum()),
        issues=issues_frame(found),
    )


def shown_path(path: Path) -> str:
    """A path as outputs show it: relative to the project when inside it (same on every machine)."""
    try:
        return path.resolve().relative_to(config.PROJECT_DIR).as_posix()
    except ValueError:
        return str(path)


def _read_bytes(path: Path, what: str) -> bytes:
    try:
        data = read_input_bytes(path)
    except FileNotFoundError:
        raise KlaError(f"{what} tidak ditemukan: {path}.") from None
    except OSError as exc:
        raise KlaError(f"{path} tidak dapat dibaca ({exc.strerror or exc}).") from None
    if len(data) > MAX_FILE_BYTES:
        raise KlaError(f"{path} lebih besar dari {MAX_FILE_BYTES // 2**20} MB; bukan hasil KLA.")
    return data


def _read_folder(folder: Path) -> tuple[list[dict[str, Any]], int, str, str]:
    summary = _read_summary(folder / SUMMARY_JSON)
    data = _read_bytes(folder / QUESTIONS_CSV, f"{QUESTIONS_CSV} tahun lalu")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise KlaError(f"{folder / QUESTIONS_CSV}: bukan teks UTF-8.") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    _check_columns(reader.fieldnames or [], folder / QUESTIONS_CSV)
    rows = []
    for number, row in enumerate(reader, start=2):
        if number > MAX_ROWS:
            raise KlaError(
                f"{folder / QUESTIONS_CSV}: lebih dari {MAX_ROWS} baris; bukan hasil KLA."
            )
        rows.append({**row, "_cell": f"baris {number}"})
    wilayah = summary.get("wilayah", {})
    nama = str(wilayah.get("nama", "")) if isinstance(wilayah, dict) else ""
    return rows, _year(summary.get("tahun"), folder / SUMMARY_JSON), nama, QUESTIONS_CSV


def _read_summary(path: Path) -> dict[str, Any]:
    data = _read_bytes(path, f"{SUMMARY_JSON} tahun lalu")
    try:
        summary = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise KlaError(
            f"{path}: bukan JSON yang dapat dibaca; pakai {SUMMARY_JSON} buatan alat ini."
        ) from None
    if not isinstance(summary, dict):
        raise KlaError(f"{path}: isinya bukan {SUMMARY_JSON} buatan alat ini.")
    return summary


def _year(value: Any, where: Path) -> int:
    if isinstance(value, int) and 1900 < value < 2200:
        return value
    raise KlaError(f"{where}: tahun hasil tidak terbaca; pakai hasil buatan alat ini.")


def _read_workbook(path: Path) -> tuple[list[dict[str, Any]], int, str, str]:
    data = _read_bytes(path, "Laporan konsolidasi tahun lalu")
    sniffed = sniff_bytes(path, data)
    if sniffed.problem:
        shown = issue(sniffed.problem, file=path.name, value=sniffed.detail)["message"]
        raise KlaError(f"Hasil tahun lalu tidak dapat dipakai: {shown}")
    if sniffed.kind != "zip":
        raise KlaError(f"{path}: bukan laporan konsolidasi (.xlsx/.ods) buatan alat ini.")
    package = Package(data, sniffed.parts, sniffed.names)
    real = content_suffix(package)
    if real not in (".xlsx", ".ods"):
        raise KlaError(f"{path}: bukan laporan konsolidasi (.xlsx/.ods) buatan alat ini.")
    _check_extent(package, real, path)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own types for broken files
        raise KlaError(
            f"{path}: tidak dapat dibuka sebagai workbook ({type(exc).__name__})."
        ) from None
    missing = [s for s in (DATA_SHEET, SUMMARY_SHEET) if s not in book.sheet_names]
    if missing:
        raise KlaError(f"{path}: lembar {', '.join(missing)} tidak ada; bukan laporan konsolidasi.")
    grid = book.get_sheet_by_name(DATA_SHEET).to_python(skip_empty_area=False)
    heading = book.get_sheet_by_name(SUMMARY_SHEET).to_python(skip_empty_area=False)
    return _grid_rows(grid, path), _workbook_year(heading, path), _cell(heading, 1), path.name


def _check_extent(package: Package, real: str, path: Path) -> None:
    """Refuse sheets so large that python-calamine would build a huge grid (before it opens them)."""
    if real == ".ods":
        extents = list(read_ods_extents(package).values())
    else:
        extents = [
            read_sheet_extent(package, name)
            for name in (DATA_SHEET, SUMMARY_SHEET)
            if package.sheet_part(name) is not None
        ]
    for rows, cols in extents:
        if rows > MAX_SHEET_ROWS or rows * cols > MAX_SHEET_CELLS:
            raise KlaError(
                f"{path}: lembar terlalu besar ({rows} baris); bukan laporan konsolidasi."
            )


def _cell(grid: list[list[Any]], row: int) -> str:
    return clean_text(grid[row][0]) if len(grid) > row and grid[row] else ""


def _workbook_year(heading: list[list[Any]], path: Path) -> int:
    for text in (_cell(heading, 0), path.stem):
        found = YEAR.search(text)
        if found:
            return int(found.group(0))
    raise KlaError(f"{path}: tahun tidak terbaca di lembar {SUMMARY_SHEET}.")


def _grid_rows(grid: list[list[Any]], path: Path) -> list[dict[str, Any]]:
    if not grid:
        raise KlaError(f"{path}: lembar {DATA_SHEET} kosong.")
    header = [clean_text(v) for v in grid[0]]
    _check_columns(header, path)
    if len(grid) > MAX_ROWS:
        raise KlaError(f"{path}: lembar {DATA_SHEET} lebih dari {MAX_ROWS} baris.")
    rows = []
    for number, values in enumerate(grid[1:], start=2):
        row = {name: values[i] if i < len(values) else "" for i, name in enumerate(header) if name}
        rows.append({**row, "_cell": f"{DATA_SHEET}!A{number}"})
    return rows


def _check_columns(columns: Sequence[str], where: Path) -> None:
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise KlaError(
            f"{where}: kolom {', '.join(missing)} tidak ada; pakai {QUESTIONS_CSV} atau laporan "
            f"konsolidasi buatan alat ini."
        )


def _answers(
    rows: list[dict[str, Any]], name: str, instrument: Instrument
) -> tuple[pd.DataFrame, list[dict[str, str]]]:
    """PREVIOUS rows; rows with no code, a repeated code or a bad number become issues."""
    found: list[dict[str, str]] = []
    kept: dict[str, dict[str, Any]] = {}
    for row in rows:
        record, problem = _record(row, instrument)
        kode = record["kode"]
        if problem or not kode or kode in kept:
            reason = problem or ("kode kosong" if not kode else f"kode {kode} ganda")
            found.append(
                issue(
                    "sebelumnya-baris-salah", file=name, cell=row["_cell"], kode=kode, value=reason
                )
            )
            continue
        kept[kode] = record
    frame = pd.DataFrame(list(kept.values()), columns=list(tables.PREVIOUS))
    for column in NUMBERS:
        frame[column] = frame[column].astype(float)
    return frame, found


def _record(row: dict[str, Any], instrument: Instrument) -> tuple[dict[str, Any], str]:
    record: dict[str, Any] = {name: _text(row.get(name, "")) for name in tables.PREVIOUS}
    for column in NUMBERS:
        number = _number(row.get(column))
        if number is None:
            return record, f"{column} bukan angka >= 0"
        record[column] = number
    if record["status_verifikasi"] in ("", tables.VERIFY_NONE):  # no verifier decision: derive it
        record["status_verifikasi"] = _derived_status(record, instrument)
    return record, ""


def _text(value: Any) -> str:
    cut, _ = checked_text(value)
    return clean_text(cut)


def _number(value: Any) -> float | None:
    try:
        number = float(str(value).strip().replace(",", ".")) if value not in (None, "") else 0.0
    except ValueError:
        return None
    return number if math.isfinite(number) and number >= 0 else None


def _derived_status(record: dict[str, Any], instrument: Instrument) -> str:
    """Without a verifier's status: answered, with data dukung, and its points counted in full."""
    evidence = record["data_dukung"].strip().lower()
    counted = abs(record["nilai_terverifikasi"] - record["nilai_mandiri"]) < 1e-9
    has_evidence = bool(evidence) and evidence not in instrument.scoring.no_evidence
    if record["status"] == ANSWERED and has_evidence and counted:
        return tables.PREVIOUS_VERIFIED
    return tables.PREVIOUS_UNVERIFIED


def previous_label(previous: tables.PreviousResults) -> str:
    """How the screen and the report name last year's results."""
    return f"{previous.tahun} ({Path(previous.source).name or previous.source})"
