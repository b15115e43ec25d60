"""Category (predikat) of a total score, and the next category above it, from the instrument."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.instrument import Category

BELOW_ALL = "Belum berpredikat"
# Sums of float points carry noise like 500.00000000001; totals are compared at this precision.
TOTAL_DECIMALS = 9


def category_of(total: float, categories: tuple[Category, ...]) -> str:
    """The highest category whose minimum the total reaches, else "Belum berpredikat"."""
    value = round(total, TOTAL_DECIMALS)
    return next((c.nama for c in _high_to_low(categories) if value >= c.minimum), BELOW_ALL)


def categories_of(totals: pd.Series, categories: tuple[Category, ...]) -> pd.Series:
    """category_of for every value of a Series, vectorised."""
    ordered = _high_to_low(categories)
    values = totals.astype(float).round(TOTAL_DECIMALS)
    names = np.select(
        [values.to_numpy() >= c.minimum for c in ordered],
        [c.nama for c in ordered],
        default=BELOW_ALL,
    )
    return pd.Series(names, index=totals.index, dtype=str)


def next_category(total: float, categories: tuple[Category, ...]) -> Category | None:
    """The lowest category above the total's own, or None at the top."""
    value = round(total, TOTAL_DECIMALS)
    above = [c for c in categories if c.minimum > value]
    return min(above, key=lambda c: c.minimum) if above else None


def _high_to_low(categories: tuple[Category, ...]) -> list[Category]:
    return sorted(categories, key=lambda c: -c.minimum)
