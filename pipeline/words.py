"""Indonesian numbers, dates and points for everything a user reads: one rounding rule."""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def format_date(day: dt.date) -> str:
    """A date the Indonesian way: 29 Maret 2024."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


POINT_DECIMALS = 2


def round_half_up(value: float, decimals: int = POINT_DECIMALS) -> float:
    """The project's one rounding rule: half up (away from zero) on the number as written.

    43.625 -> 43.63, as Excel and LibreOffice show the cell with two decimals (Python's round()
    and format() give 43.62). The float is first taken as its shortest decimal form (repr), so
    1.005 -> 1.01 as a person reads it, not 1.00 from its binary value. NaN and inf are returned.
    """
    if not math.isfinite(value):
        return value
    exact = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    return float(exact) + 0.0  # turns -0.0 into 0.0


def points(value: float) -> str:
    """A score the Indonesian way, rounded half up: thousands dot, decimal comma (1.234,56)."""
    shown = f"{round_half_up(value):,.2f}"
    return shown.replace(",", "_").replace(".", ",").replace("_", ".")
