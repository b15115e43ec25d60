"""The short Indonesian summary a coordinator reads at the end of `make consolidate`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import tables
from pipeline.screen_kd import kd_lines
from pipeline.words import points

if TYPE_CHECKING:
    from pipeline.consolidate import RunOutput

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
    missing = completeness.loc[completeness["status_kirim"] == "belum mengirim", "nama_opd"]
    files = results.files
    used = files[files["status"] == tables.FILE_USED]
    errors = results.issues[results.issues["severity"] == tables.SEVERITY_ERROR]
    troubled = sorted(
        set(errors["file"].astype(str))
        | set(files.loc[files["status"] == tables.FILE_REJECTED, "file"])
    )
    answered = int((results.scored["status"] == "dijawab").sum())
    lines = [
        "",
        f"Hasil konsolidasi KLA {results.region.nama} {results.region.tahun}",
        _totals_line("  Nilai mandiri", results.mandiri),
        _totals_line("  Nilai terverifikasi (dengan data dukung)", results.terverifikasi),
        f"  OPD mengirim: {completeness['status_kirim'].ne('belum mengirim').sum()} dari "
        f"{len(completeness)}; pertanyaan dijawab: {answered} dari {len(results.scored)}.",
        f"  Berkas dibaca: {len(used)} dipakai, {len(files) - len(used)} lainnya "
        "(digantikan, ditolak, atau bukan workbook).",
    ]
    lines += kd_lines(results)
    if len(missing):
        lines.append(f"  OPD belum mengirim ({len(missing)}): {_names(list(missing))}.")
    refused = completeness.loc[completeness["status_kirim"] == "berkas ditolak", "nama_opd"]
    if len(refused):
        lines.append(
            f"  OPD yang berkasnya ditolak, perlu kirim ulang ({len(refused)}): {_names(list(refused))}."
        )
    if troubled:
        lines.append(f"  Berkas dengan galat ({len(troubled)}): {_names(troubled)}.")
    warnings = int((results.issues["severity"] == tables.SEVERITY_WARNING).sum())
    lines += [
        f"  Masalah: {len(errors)} galat, {warnings} peringatan "
        f"(lihat {outputs_dir / 'masalah.csv'}).",
        f"  Umpan balik untuk OPD: {len(output.feedback)} berkas di {outputs_dir / 'umpan_balik'}.",
        f"Laporan: {output.report}",
    ]
    return lines
