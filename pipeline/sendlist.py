"""What the coordinator does next: one row per office, its feedback file, contact and WhatsApp link.

Written as daftar_kirim.xlsx (clickable wa.me links, printable) and daftar_kirim.csv (for tools).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import xlsxwriter

from pipeline import config, tables
from pipeline.export import csv_safe
from pipeline.outfiles import atomic_path, write_csv_atomic
from pipeline.region import TIME_ZONES, Region
from pipeline.report.style import FONT, cell_text, row_height

# An Indonesian mobile number once its punctuation is gone: 08.., 628.., or 8.. (a number typed
# into a number cell loses its leading zero); 9 to 13 digits after the 8.
MOBILE = re.compile(r"^(?:0|62|)(8\d{8,12})$")
WA_LINK = "https://wa.me/62{number}"
FIXED_TIME = dt.datetime(2024, 1, 1)


def mobile_link(phone: str) -> str:
    """The wa.me link for an Indonesian mobile number, or '' for a landline, e-mail or nothing."""
    digits = re.sub(r"[\s().+\-/]", "", str(phone))
    found = MOBILE.match(digits)
    return WA_LINK.format(number=found.group(1)) if found else ""


def is_late(saved: str, region: Region) -> bool:
    """True when a workbook saved at `saved` (ISO 8601) was saved after the deadline's last day."""
    try:
        moment = dt.datetime.fromisoformat(str(saved))
    except ValueError:
        return False
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    zone = dt.timezone(dt.timedelta(hours=TIME_ZONES[region.zona_waktu]))
    return moment.astimezone(zone).date() > region.batas_pengumpulan


def send_list(results: tables.Results, feedback: list[Path]) -> pd.DataFrame:
    """tables.SEND_LIST: every expected office, non-senders first, with what to do next."""
    region = results.region
    rows = []
    for office in results.completeness.to_dict("records"):
        role = str(office["opd"])
        status = str(office["status_kirim"])
        saved = str(office["disimpan"])
        sheet = _feedback_name(role, feedback)
        late = status not in (tables.SENT_NONE, tables.SENT_REFUSED) and is_late(saved, region)
        rows.append(
            {
                "opd": role,
                "nama_opd": office["nama_opd"],
                "tindakan": _action(status, sheet),
                "status_kirim": status,
                "terlambat": tables.LATE_YES if late else "",
                "disimpan": region.local_time(saved) if saved else "",
                "berkas_umpan_balik": f"{config.OUT_FEEDBACK_DIR}/{sheet}" if sheet else "",
                "narahubung_nama": office["narahubung_nama"],
                "narahubung_telepon": office["narahubung_telepon"],
                "narahubung_email": office["narahubung_email"],
                "tautan_wa": mobile_link(str(office["narahubung_telepon"])),
            }
        )
    return pd.DataFrame(rows, columns=list(tables.SEND_LIST))


def _feedback_name(role: str, feedback: list[Path]) -> str:
    names = [p.name for p in feedback if p.name.startswith(f"{role}_") or p.stem == role]
    return names[0] if names else ""


def _action(status: str, feedback: str) -> str:
    if status == tables.SENT_NONE:
        return tables.ACTION_REMIND
    if status == tables.SENT_REFUSED:
        return tables.ACTION_RESEND
    if feedback:
        return tables.ACTION_FEEDBACK
    return tables.ACTION_NONE if status == tables.SENT_ALL else tables.ACTION_FEEDBACK


def write_send_list(results: tables.Results, feedback: list[Path], out_dir: Path) -> list[Path]:
    """Write daftar_kirim.xlsx and daftar_kirim.csv into out_dir; return both paths."""
    rows = send_list(results, feedback)
    xlsx = Path(out_dir) / config.SEND_LIST_XLSX
    write_send_list_workbook(rows, xlsx, results.region)
    return [xlsx, write_csv_atomic(Path(out_dir) / config.SEND_LIST_CSV, csv_safe(rows))]


SEND_LIST_WIDTHS = {
    "opd": 12,
    "nama_opd": 34,
    "tindakan": 26,
    "status_kirim": 14,
    "terlambat": 10,
    "disimpan": 18,
    "berkas_umpan_balik": 34,
    "narahubung_nama": 22,
    "narahubung_telepon": 16,
    "narahubung_email": 26,
    "tautan_wa": 30,
}


def write_send_list_workbook(rows: pd.DataFrame, path: Path, region: Region) -> None:
    """One printable sheet: text as text, wa.me links clickable, late rows marked."""
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), config.XLSXWRITER_OPTIONS)
        book.set_properties({"title": config.SEND_LIST_TITLE, "created": FIXED_TIME})
        cell = {**FONT, "text_wrap": True, "valign": "top", "border": 1}
        header = book.add_format(
            {**cell, "bold": True, "bg_color": "#1F4E78", "font_color": "#FFFFFF"}
        )
        text = book.add_format(cell)
        late = book.add_format({**cell, "bold": True})
        # A hyperlink never wraps in LibreOffice: the wa.me link is short enough for its column.
        link = book.add_format({**cell, "font_color": "#0563C1", "underline": 1})
        sheet = book.add_worksheet(config.SEND_LIST_SHEET)
        title = f"{config.SEND_LIST_TITLE} - {region.nama} {region.tahun}"
        sheet.write_string(0, 0, title, book.add_format({"bold": True, "font_size": 13}))
        widths = [SEND_LIST_WIDTHS[name] for name in tables.SEND_LIST]
        headers = [tables.SEND_LIST_HEADERS[name] for name in tables.SEND_LIST]
        sheet.set_row(2, row_height(headers, widths))
        for col, name in enumerate(tables.SEND_LIST):
            sheet.set_column(col, col, SEND_LIST_WIDTHS[name])
            sheet.write_string(2, col, headers[col], header)
        for index, row in enumerate(rows.to_dict("records"), start=3):
            sheet.set_row(index, row_height([row[name] for name in tables.SEND_LIST], widths))
            for col, name in enumerate(tables.SEND_LIST):
                value = cell_text(row[name])
                if name == "tautan_wa" and value:
                    sheet.write_url(index, col, value, link, string=value)
                else:
                    sheet.write_string(index, col, value, late if row["terlambat"] else text)
        sheet.freeze_panes(3, 2)
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.fit_to_pages(1, 0)
        sheet.repeat_rows(2)
        sheet.set_footer("&CHalaman &P dari &N")
        book.close()
