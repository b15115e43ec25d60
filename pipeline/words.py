"""Indonesian numbers, dates and points for everything a user reads: one rounding rule."""

from __future__ import annotations

import datetime as dt

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


def points(value: float) -> str:
    """A score the Indonesian way: two decimals with a decimal comma."""
    return f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
