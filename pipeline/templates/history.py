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
from pipeline.instrument import Question, Scale
from pipeline.messages import records

HISTORY_FILL = "#EDEDED"
PREFILL_FILL = "#F8CBAD"  # a copied answer the office must check
HISTORY_WIDTHS = (
    (config.COL_PREVIOUS_ANSWER, 16),
    (config.COL_PREVIOUS_EVIDENCE, 30),
    (config.COL_PREVIOUS_STATUS, 19),
    (config.COL_PREVIOUS_NOTE, 24),
)
FIELDS = ("jawaban_lalu", "data_dukung_lalu", "status_verifikasi_lalu", "catatan_verifikasi_lalu")
NO_COUNTERPART = "(pertanyaan baru)"
PREFILL_NOTE = (
    "Disalin dari jawaban {tahun}. Periksa: ubah bila keadaan tahun ini berbeda, lalu isi Data Dukung "
    "tahun ini. Tanpa Data Dukung jawaban ini bernilai 0 saat verifikasi."
)
COMMENT_SIZE = {"x_scale": 2, "y_scale": 1.5}


@dataclass(frozen=True)
class TemplateHistory:
    """Last year's values carried onto this year's questions (CARRIED rows by code)."""

    tahun: int
    carried: pd.DataFrame  # CARRIED
    prefill: tuple[str, ...] = ()  # answer types (jenis) whose last answer is copied into Jawaban

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

    def copied(self, question: Question, scale: Scale) -> str | None:
        """Last year's label to copy into Jawaban: only for a prefilled type, one old question."""
        row = self._by_code.get(question.kode)
        if question.jenis not in self.prefill or row is None or ";" in str(row["kode_lalu"]):
            return None
        answer = str(row["jawaban_lalu"]).strip()
        return answer if answer in scale.labels else None


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
    formats["prefilled"] = workbook.add_format(
        {
            "font_name": "Calibri",
            "font_size": 10,
            "valign": "top",
            "text_wrap": True,
            "border": 1,
            "locked": False,
            "italic": True,
            "bg_color": PREFILL_FILL,
        }
    )
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
    question: Question,
    scale: Scale,
    history: TemplateHistory | None,
    formats: dict[str, Any],
) -> None:
    """Write one question's history cells as text (never formulas): locked, grey; and the copied
    answer, orange with a note, where the office asked for copies of this answer type."""
    if history is None:
        return
    for header, value in zip(history.headers(), history.values(question.kode), strict=True):
        sheet.write_string(row, col[header], value, formats["history"])
    copied = history.copied(question, scale)
    if copied is not None:
        sheet.write_string(row, col[config.COL_ANSWER], copied, formats["prefilled"])
        sheet.write_comment(
            row, col[config.COL_ANSWER], PREFILL_NOTE.format(tahun=history.tahun), COMMENT_SIZE
        )


def guide_lines(history: TemplateHistory | None) -> list[tuple[str, str]]:
    """Petunjuk lines explaining the history columns (none without history)."""
    if history is None:
        return []
    copied = [
        (
            "text",
            f"Sel jingga di kolom Jawaban berisi jawaban {history.tahun} yang disalin untuk jenis "
            f"{', '.join(history.prefill)}. Periksa setiap sel jingga: ubah bila keadaan tahun ini "
            f"berbeda, dan isi Data Dukung tahun ini; tanpa Data Dukung jawaban itu bernilai 0 saat "
            f"verifikasi dan tercatat sebagai jawaban tanpa data dukung.",
        )
    ]
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
        *(copied if history.prefill else []),
    ]
