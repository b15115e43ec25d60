"""The short Indonesian summary a coordinator reads at the end of `make consolidate`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from pipeline import config, tables
from pipeline.region import Region
from pipeline.report.comparison import comparison_line
from pipeline.report.verification import progress_line
from pipeline.screen_kd import kd_lines
from pipeline.sendlist import send_list
from pipeline.words import format_date, points

if TYPE_CHECKING:
    from pipeline.consolidate import RunOutput
    from pipeline.templates.coverage import Skipped

MAX_NAMES = 5


def _totals_line(label: str, totals: tables.Totals) -> str:
    line = f"{label}: {points(totals.nilai)} ({totals.kategori})"
    if totals.kategori_berikut:
        line += f"; kurang {points(totals.kurang)} poin menuju {totals.kategori_berikut}"
    return line + "."


def _names(values: list[str]) -> str:
    shown = ", ".join(values[:MAX_NAMES])
    more = len(values) - MAX_NAMES
    return shown + (f", dan {more} lainnya" if more > 0 else "")


def summary_lines(output: RunOutput, outputs_dir: Path) -> list[str]:
    """Total, category, missing points, missing offices, files with problems, where the outputs are."""
    results = output.results
    completeness = results.completeness
    missing = completeness.loc[completeness["status_kirim"] == tables.SENT_NONE, "nama_opd"]
    files = results.files
    used = files[files["status"] == tables.FILE_USED]
    errors = results.issues[results.issues["severity"] == tables.SEVERITY_ERROR]
    troubled = sorted(
        set(errors["file"].astype(str))
        | set(files.loc[files["status"] == tables.FILE_REJECTED, "file"])
    )
    lines = [
        "",
        f"Hasil konsolidasi KLA {results.region.nama} {results.region.tahun}",
        _totals_line("  Nilai mandiri", results.mandiri),
        _totals_line("  Nilai terverifikasi (dengan data dukung)", results.terverifikasi),
        f"  {progress_line(results)}",
        f"  OPD mengirim: {results.offices_sent} dari "
        f"{len(completeness)}; pertanyaan dijawab: {results.questions_answered} dari {len(results.scored)}.",
        f"  Berkas dibaca: {len(used)} dipakai, {len(files) - len(used)} lainnya "
        "(digantikan, ditolak, atau bukan berkas isian).",
    ]
    if files.empty or not len(used):
        lines += nothing_read_lines(files)
    lines += kd_lines(results)
    if len(missing):
        lines.append(f"  OPD belum mengirim ({len(missing)}):")
        lines += [f"    - {name}" for name in missing]
    lines += late_lines(send_list(results, output.feedback), results.region)
    refused = completeness.loc[completeness["status_kirim"] == tables.SENT_REFUSED, "nama_opd"]
    if len(refused):
        lines.append(
            f"  OPD yang berkasnya ditolak, perlu kirim ulang ({len(refused)}): {_names(list(refused))}."
        )
    if troubled:
        lines.append(f"  Berkas dengan galat ({len(troubled)}): {_names(troubled)}.")
    lines += typed_lines(results)
    if results.comparison is not None:
        lines.append(f"  {comparison_line(results.comparison, results.region.tahun)}")
    warnings = int((results.issues["severity"] == tables.SEVERITY_WARNING).sum())
    lines += [
        f"  Masalah: {len(errors)} galat, {warnings} peringatan "
        f"(lihat {outputs_dir / config.OUT_ISSUES}).",
        f"  Umpan balik untuk OPD: {len(output.feedback)} berkas di {outputs_dir / config.OUT_FEEDBACK_DIR}.",
        f"  Daftar kirim (umpan balik, pengingat, tautan WhatsApp): "
        f"{outputs_dir / config.SEND_LIST_XLSX}.",
        f"Laporan: {output.report}",
    ]
    return lines


def skipped_lines(skipped: list[Skipped], listed: int) -> list[str]:
    """After `make templates`: which offices listed in [opd] got no template, and why."""
    if not skipped:
        return []
    head = (
        f"{len(skipped)} dari {listed} OPD di [opd] tidak mendapat template "
        "(tidak perlu dikirimi berkas):"
    )
    return [head, *(f"  {s.role} ({s.office}): {s.reason}." for s in skipped)]


def nothing_read_lines(files: pd.DataFrame) -> list[str]:
    """When no OPD workbook was read: say so, and name what the inputs folder held."""
    if files.empty:
        return ["  Tidak ada berkas isian OPD yang terbaca: folder isian tidak berisi berkas."]
    found = [
        f"{name} ({tables.FILE_STATUS_SHOWN.get(status, status)})"
        for name, status in zip(files["file"], files["status"], strict=True)
    ]
    return [
        "  Tidak ada berkas isian OPD yang terbaca. Yang ditemukan di folder isian "
        f"({len(found)}): {_names(found)}.",
        "  Taruh berkas Excel/ODS isian OPD (dari template) di folder isian, lalu ulangi.",
    ]


def late_lines(rows: pd.DataFrame, region: Region) -> list[str]:
    """The offices whose used workbook was saved after the deadline, with that time."""
    late = rows[rows["terlambat"] == tables.LATE_YES]
    if late.empty:
        return []
    head = (
        f"  Terlambat (disimpan setelah batas {format_date(region.batas_pengumpulan)}) "
        f"({len(late)}):"
    )
    return [head, *(f"    - {r.nama_opd}: {r.disimpan}" for r in late.itertuples())]


def typed_lines(results: tables.Results) -> list[str]:
    """Offices that sent an untouched template; percent answers that may be a hundred times off."""
    completeness, issues = results.completeness, results.issues
    empty = completeness.loc[completeness["status_kirim"] == tables.SENT_EMPTY, "nama_opd"]
    lines = []
    if len(empty):
        lines.append(
            f"  OPD mengirim template kosong, perlu diisi ({len(empty)}): {_names(list(empty))}."
        )
    ambiguous = issues[issues["code"] == "persen-ambigu"]
    if len(ambiguous):
        places = [f"{i['file']} {i['sheet']}!{i['cell']}" for _, i in ambiguous.iterrows()]
        lines.append(
            f"  Persen ambigu, periksa ({len(places)}; 0,85 bisa berarti 85%): {_names(places)}."
        )
    return lines
