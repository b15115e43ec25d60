"""Which offices listed in the region settings get no template, and why (said by `make templates`)."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.instrument import Instrument
from pipeline.region import Region
from pipeline.unit_questions import computed_codes


@dataclass(frozen=True)
class Skipped:
    """A listed office that gets no template of its own, with the reason in Indonesian."""

    role: str
    office: str
    reason: str


def offices_without_template(instrument: Instrument, region: Region) -> list[Skipped]:
    """Every office in [opd] that answers no question itself, in role order, with the reason."""
    computed = computed_codes(instrument, region)  # asked of each kecamatan instead
    answering = {
        region.office_role(q.opd_utama) for q in instrument.questions if q.kode not in computed
    }
    only_computed = {region.office_role(q.opd_utama) for q in instrument.questions} - answering
    supporting: dict[str, int] = {}
    for question in instrument.questions:
        for role in question.opd_pendukung:
            supporting[role] = supporting.get(role, 0) + 1
    return [
        Skipped(role, office, _reason(role, region, supporting.get(role, 0), role in only_computed))
        for role, office in sorted(region.offices.items())
        if role not in answering
    ]


def _reason(role: str, region: Region, supports: int, computed: bool) -> str:
    if computed:
        return "semua pertanyaannya dihitung dari workbook kecamatan (daftar_wilayah)"
    if region.office_role(role) != role:
        return f"pertanyaannya dialihkan ke {region.office_role(role)} di [peran_dialihkan]"
    if supports:
        return (
            f"hanya OPD pendukung ({supports} pertanyaan), bukan penanggung jawab; datanya "
            "diisikan oleh OPD penanggung jawab"
        )
    return "tidak disebut di instrumen tahun ini"
