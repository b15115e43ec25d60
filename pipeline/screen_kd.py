"""Screen summary lines about the KD roll-up (kecamatan workbooks), or the OPD fallback."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline import config, tables

if TYPE_CHECKING:
    from pipeline import tables

MAX_NAMES = 5


def kd_lines(results: tables.Results) -> list[str]:
    """How many kecamatan sent, desa filled, which did not send; or why the OPD answers stand."""
    kd = results.kd
    if kd is None:
        if results.instrument.unit_questions and results.region.units is None:
            return [
                "  Kecamatan/desa (KD): belum ada daftar_wilayah di pengaturan wilayah; "
                "pertanyaan persen KD memakai jawaban OPD (docs/kecamatan.md)."
            ]
        return []
    lines = [
        f"  Kecamatan mengirim: {kd.kecamatan_mengirim} dari {kd.kecamatan_diharapkan}; "
        f"desa/kelurahan terisi: {kd.desa_terisi} dari {kd.desa_total}; "
        f"{len(kd.questions)} pertanyaan KD dihitung (lihat {config.KD_UNITS_FILE})."
    ]
    waiting = kd.kecamatan.loc[
        kd.kecamatan["status_kirim"].isin([tables.SENT_NONE, tables.SENT_REFUSED]), "nama"
    ]
    if len(waiting):
        names = list(waiting)
        shown = ", ".join(names[:MAX_NAMES]) + (", ..." if len(names) > MAX_NAMES else "")
        lines.append(f"  Kecamatan belum mengirim ({len(names)}): {shown}.")
    return lines
