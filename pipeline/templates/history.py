"""Last year's answer beside each input of an OPD template: read-only history columns (SEBELUMNYA).

The history columns sit right after Keterangan; the contract columns (Kode, Jawaban, Data Dukung,
Keterangan) keep their places, and ingest finds them by their header text. Without history every
function here leaves the template exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pandas as pd
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipeline import config, tables
from pipeline.messages import records

HISTORY_FILL = "#EDEDED"
HISTORY_WIDTHS = (
    (config.COL_PREVIOUS_ANSWER, 16),
    (config.COL_PREVIOUS_EVIDENCE, 30),
    (config.COL_PREVIOUS_STATUS, 19),
    (config.COL_PREVIOUS_NOTE, 24),
)
FIELDS = ("jawaban_lalu", "data_dukung_lalu", "status_verifikasi_lalu", "catatan_verifikasi_lalu")
NO_COUNTERPART = "(pertanyaan baru)"


@dataclass(frozen=True)
class TemplateHistory:
    """Last year's values carried onto this year's questions (CARRIED rows by code)."""

    tahun: int
    carried: pd.DataFrame  # CARRIED

    def headers(self) -> list[str]:
        return [pattern.format(tahun=self.tahun) for pattern, _ in HISTORY_WIDTHS]

    @cached_property
    def _by_code(self) -> dict[str, dict[str, Any]]:
        return {str(row["kode"]): row for row in records(self.carried)}

    def values(self, kode: str) -> list[str]:
        """The four history cells of a question; the verifier note only where it was not accepted."""
        row = self._by_code.get(kode)
        if row is None or not str(row["kode_lalu"]):
            return [NO_COUNTERPART, "", "", ""]
        cells = [str(row[field]) for field in FIELDS]
        if str(row["status_verifikasi_lalu"]) == tables.PREVIOUS_VERIFIED:
            cells[3] = ""
        return cells


def isian_columns(
    base: tuple[tuple[str, int], ...], history: TemplateHistory | None
) -> tuple[tuple[str, int], ...]:
    """The Isian columns: `base`, with the history columns after Keterangan when there is history."""
    if history is None:
        return base
    names = [name for name, _ in base]
    after = names.index(config.COL_NOTE) + 1
    added = tuple(zip(history.headers(), (w for _, w in HISTORY_WIDTHS), strict=True))
    return (*base[:after], *added, *base[after:])


def add_history_format(workbook: Workbook, formats: dict[str, Any]) -> None:
    """A locked grey cell for history values (only added when there is history)."""
    formats["history"] = workbook.add_format(
        {
            "font_name": "Calibri",
            "font_size": 10,
            "valign": "top",
            "text_wrap": False,  # one line, cut at the next column: rows keep the template's heights
            "border": 1,
            "bg_color": HISTORY_FILL,
            "font_color": "#404040",
        }
    )


def write_history_cells(
    sheet: Worksheet,
    row: int,
    col: dict[str, int],
    kode: str,
    history: TemplateHistory | None,
    formats: dict[str, Any],
) -> None:
    """Write one question's history cells as text (never formulas): locked, grey."""
    if history is None:
        return
    for header, value in zip(history.headers(), history.values(kode), strict=True):
        sheet.write_string(row, col[header], value, formats["history"])


def guide_lines(history: TemplateHistory | None) -> list[tuple[str, str]]:
    """Petunjuk lines explaining the history columns (none without history)."""
    if history is None:
        return []
    return [
        ("text", ""),
        ("bold", f"Jawaban tahun {history.tahun} (kolom abu-abu, hanya dibaca)"),
        (
            "text",
            f"Di samping kolom isian tampil jawaban, data dukung dan status verifikasi tahun "
            f"{history.tahun}, serta catatan verifikator bila data dukung tidak diterima. Kolom ini "
            f"tidak dibaca sebagai jawaban: isi kembali Jawaban dan Data Dukung tahun ini di sel kuning, "
            f"meskipun jawabannya sama.",
        ),
    ]
