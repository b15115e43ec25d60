"""Does a kab/kota summary add up? Totals against clusters and indicators, categories against totals."""

from __future__ import annotations

from typing import Any

from pipeline import tables
from pipeline.instrument import Instrument
from pipeline.score.categories import category_of
from pipeline.words import points

# Values in a summary are rounded to 2 decimals each: a sum of n of them may drift by n x 0.005.
ROUNDING = 0.005
SCORES = (tables.BASE_SELF, tables.BASE_VERIFIED)


def summary_problems(summary: dict[str, Any], instrument: Instrument) -> list[tuple[str, str]]:
    """(key, what is wrong) for every figure of the summary that does not add up; [] when sound."""
    total = summary["total"]
    problems: list[tuple[str, str]] = []
    if abs(float(total["maks"]) - instrument.nilai_total) > ROUNDING:
        problems.append(
            (
                "total.maks",
                f"nilai maks {_p(total['maks'])}, instrumen {_p(instrument.nilai_total)}",
            )
        )
    for score in SCORES:
        value = float(total[score])
        if not 0 <= value <= float(total["maks"]) + ROUNDING:
            problems.append(
                (f"total.{score}", f"total {score} {_p(value)} di luar 0-{_p(total['maks'])}")
            )
        for part in ("klaster", "indikator"):
            parts = summary[part]
            added = sum(float(scores[score]) for scores in parts.values())
            if parts and abs(added - value) > ROUNDING * (len(parts) + 1):
                problems.append(
                    (f"{part}.{score}", f"jumlah {part} {score} {_p(added)}, total {_p(value)}")
                )
        stated_all = summary["kategori"] if isinstance(summary["kategori"], dict) else {}
        stated = str(stated_all.get(score, ""))
        expected = category_of(value, instrument.categories)
        if stated != expected:
            problems.append(
                (
                    f"kategori.{score}",
                    f"kategori {score} '{stated}', untuk {_p(value)} '{expected}'",
                )
            )
    if float(total[tables.BASE_VERIFIED]) > float(total[tables.BASE_SELF]) + ROUNDING:
        problems.append(
            ("total.terverifikasi", "nilai terverifikasi lebih besar dari nilai mandiri")
        )
    return problems


def _p(value: Any) -> str:
    return points(float(value))
