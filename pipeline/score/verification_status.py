"""The verification columns of a scored frame, also for frames scored without decisions."""

from __future__ import annotations

import pandas as pd

from pipeline import tables

VERIFICATION_COLUMNS = tuple(c for c in tables.VERIFIED if c not in tables.SCORED)


def with_verification(scored: pd.DataFrame) -> pd.DataFrame:
    """`scored` with every VERIFIED column; missing ones read as no decision ("belum", "")."""
    missing = [c for c in VERIFICATION_COLUMNS if c not in scored.columns]
    if not missing:
        return scored
    filled = {c: tables.VERIFY_NONE if c == "status_verifikasi" else "" for c in missing}
    return scored.assign(**filled)


def verification_status(scored: pd.DataFrame) -> pd.Series:
    """status_verifikasi per question ("belum" for a frame scored without decisions)."""
    return with_verification(scored)["status_verifikasi"].astype(str)
