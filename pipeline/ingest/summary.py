"""One kab/kota result -> its summary dict: the consolidated workbook's hidden `_ringkasan` sheet
(very hidden, or hidden after a LibreOffice re-save) or a ringkasan.json. Never raises for a bad file."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from pipeline import config, tables
from pipeline.ingest.files import read_input_bytes
from pipeline.ingest.parts import Package, read_sheet_extent
from pipeline.ingest.sniff import (
    MAX_FILE_BYTES,
    MAX_SHEET_CELLS,
    content_suffix,
    extent_issues,
    sniff_bytes,
)
from pipeline.messages import issue

KIND_WORKBOOK = "workbook"
KIND_JSON = "json"
KEY_FORMAT = "format_ringkasan"
KEY_GENERATED = "dibuat"
KEY_JSON = "json"
# What every summary must hold (ringkasan.json's keys); other keys are read when present.
SCORE_KEYS = (tables.BASE_SELF, tables.BASE_VERIFIED, "maks")
REQUIRED = ("wilayah", "tahun", "total", "kategori", "klaster", "indikator")
FORMAT_CELL = "B1"
JSON_CELL = "B3"


@dataclass(frozen=True)
class SummaryRead:
    """What one file gave: a summary (None when unusable), where it was, and the issues."""

    file: str  # relative to the inputs folder (POSIX)
    kind: str  # KIND_WORKBOOK or KIND_JSON
    summary: dict[str, Any] | None
    issues: list[dict[str, str]] = field(default_factory=list)
    not_result: bool = False  # True when the file is not a kab/kota result at all

    @property
    def generated(self) -> str:
        return str((self.summary or {}).get(KEY_GENERATED, ""))


def read_summary_file(path: Path, root: Path) -> SummaryRead:
    """Read a workbook's hidden summary or a ringkasan.json; problems become issues."""
    rel = path.relative_to(root).as_posix()
    kind = KIND_JSON if path.suffix.lower() == ".json" else KIND_WORKBOOK
    try:
        data = read_input_bytes(path)
        if len(data) > MAX_FILE_BYTES:
            shown = f"lebih dari {MAX_FILE_BYTES / 2**20:.0f} MB"
            return SummaryRead(
                rel, kind, None, [issue("berkas-terlalu-besar", file=rel, value=shown)]
            )
        if kind == KIND_JSON:
            return _from_json(rel, data)
        return _from_workbook(path, rel, data)
    except Exception as exc:  # one unreadable file must never stop the run
        detail = f"{type(exc).__name__}: {exc}"[:200]
        return SummaryRead(rel, kind, None, [issue("berkas-tidak-terbaca", file=rel, value=detail)])


def _from_json(rel: str, data: bytes) -> SummaryRead:
    try:
        loaded = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        found = issue("bukan-hasil-kabkota", file=rel, value=f"bukan JSON: {exc}"[:120])
        return SummaryRead(rel, KIND_JSON, None, [found], not_result=True)
    if not isinstance(loaded, dict) or "wilayah" not in loaded or "total" not in loaded:
        found = issue("bukan-hasil-kabkota", file=rel, value="JSON tanpa wilayah dan total")
        return SummaryRead(rel, KIND_JSON, None, [found], not_result=True)
    problem = shape_problem(loaded)
    if problem:
        return SummaryRead(
            rel, KIND_JSON, None, [issue("ringkasan-rusak", file=rel, value=problem)]
        )
    version = str(loaded.get(KEY_FORMAT, config.SUMMARY_FORMAT))
    if version not in config.SUPPORTED_SUMMARY_FORMATS:
        return SummaryRead(rel, KIND_JSON, None, [_old_format(rel, "", "", version)])
    return SummaryRead(rel, KIND_JSON, loaded)


def _from_workbook(path: Path, rel: str, data: bytes) -> SummaryRead:
    sniffed = sniff_bytes(path, data)
    if sniffed.problem:
        found = issue(sniffed.problem, file=rel, value=sniffed.detail)
        return SummaryRead(rel, KIND_WORKBOOK, None, [found], not_result=sniffed.kind != "zip")
    package = Package(data, sniffed.parts, sniffed.names)
    if content_suffix(package) == ".ods":  # calamine parses every ODS table on opening
        too_big = extent_issues(package, ".ods", [], rel)
        if too_big:
            return SummaryRead(rel, KIND_WORKBOOK, None, too_big)
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    names = book.sheet_names
    sheet = config.SHEET_MACHINE_SUMMARY
    if sheet not in names:
        if config.REPORT_SUMMARY in names:
            return SummaryRead(rel, KIND_WORKBOOK, None, [_old_format(rel, "", "", "tanpa")])
        found = issue("bukan-hasil-kabkota", file=rel, value=f"tidak ada lembar {sheet}")
        return SummaryRead(rel, KIND_WORKBOOK, None, [found], not_result=True)
    if content_suffix(package) != ".ods":
        rows_count, cols = read_sheet_extent(package, sheet)
        if rows_count * cols > MAX_SHEET_CELLS:
            shown = f"sampai baris {rows_count}, kolom {cols}"
            return SummaryRead(rel, KIND_WORKBOOK, None, [_broken(rel, sheet, shown)])
    rows = book.get_sheet_by_name(sheet).to_python()
    return summary_from_rows(rel, rows)


def summary_from_rows(rel: str, rows: list[list[Any]]) -> SummaryRead:
    """The summary kept in the `_ringkasan` rows (column A key, column B value)."""
    sheet = config.SHEET_MACHINE_SUMMARY
    values: dict[str, list[str]] = {}
    for row in rows:
        if len(row) >= 2 and isinstance(row[0], str):
            values.setdefault(row[0].strip(), []).append("" if row[1] is None else str(row[1]))
    version = "".join(values.get(KEY_FORMAT, []))
    if version not in config.SUPPORTED_SUMMARY_FORMATS:
        return SummaryRead(
            rel, KIND_WORKBOOK, None, [_old_format(rel, sheet, FORMAT_CELL, version)]
        )
    try:
        loaded = json.loads("".join(values.get(KEY_JSON, [])))
    except json.JSONDecodeError as exc:
        return SummaryRead(rel, KIND_WORKBOOK, None, [_broken(rel, sheet, str(exc)[:120])])
    problem = shape_problem(loaded)
    if problem:
        return SummaryRead(rel, KIND_WORKBOOK, None, [_broken(rel, sheet, problem)])
    return SummaryRead(rel, KIND_WORKBOOK, loaded)


def shape_problem(summary: Any) -> str:
    """What is missing or of the wrong type in a summary ('' when its shape is right)."""
    if not isinstance(summary, dict):
        return "bukan objek JSON"
    missing = [key for key in REQUIRED if key not in summary]
    if missing:
        return f"kunci tidak ada: {', '.join(missing)}"
    region = summary["wilayah"]
    if not isinstance(region, dict) or not isinstance(region.get("kode"), str):
        return "wilayah.kode bukan teks"
    if not isinstance(summary["tahun"], int):
        return "tahun bukan bilangan bulat"
    for part in ("total", "klaster", "indikator"):
        if not isinstance(summary[part], dict):
            return f"{part} bukan objek"
    total = summary["total"]
    if not all(_is_number(total.get(key)) for key in SCORE_KEYS):
        return "total.mandiri, total.terverifikasi atau total.maks bukan angka"
    for part in ("klaster", "indikator"):
        for code, scores in summary[part].items():
            if not isinstance(scores, dict) or not all(
                _is_number(scores.get(key)) for key in SCORE_KEYS
            ):
                return f"{part}.{code} tanpa nilai mandiri, terverifikasi dan maks"
    return ""


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _old_format(rel: str, sheet: str, cell: str, version: str) -> dict[str, str]:
    return issue(
        "format-ringkasan-lama",
        file=rel,
        sheet=sheet,
        cell=cell,
        value=version,
        expected=", ".join(config.SUPPORTED_SUMMARY_FORMATS),
    )


def _broken(rel: str, sheet: str, detail: str) -> dict[str, str]:
    return issue("ringkasan-rusak", file=rel, sheet=sheet, cell=JSON_CELL, value=detail)
