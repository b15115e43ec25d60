"""The province run's screen summary: what was read, the key figures, where the workbook is."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import config, tables
from pipeline.province.report import summary_lines

if TYPE_CHECKING:
    from pipeline.consolidate import ProvinceOutput


def province_lines(output: ProvinceOutput, outputs_dir: Path) -> list[str]:
    """Lines for the screen, in Indonesian (the CLI prints them)."""
    view = output.view
    issues = view.issues
    errors = int((issues["severity"] == tables.SEVERITY_ERROR).sum())
    warnings = int((issues["severity"] == tables.SEVERITY_WARNING).sum())
    used = int((view.files["status"] == tables.RESULT_USED).sum())
    lines = [
        "",
        f"Rekap KLA {view.province.nama} {view.province.tahun}",
        *(f"  {line}" for line in summary_lines(view)),
        f"  Berkas dibaca: {used} dipakai, {len(view.files) - used} lainnya "
        "(disisihkan, ditolak, atau bukan hasil kabupaten/kota).",
    ]
    for row in issues[issues["severity"] == tables.SEVERITY_ERROR].itertuples(index=False):
        lines.append(f"  GALAT {row.message}")
    lines.append(
        f"  Masalah: {errors} galat, {warnings} peringatan "
        f"(lihat lembar {config.SHEET_PROVINCE_FILES})."
    )
    lines.append(f"Laporan provinsi: {output.report}")
    return lines
