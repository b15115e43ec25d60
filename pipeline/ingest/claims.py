"""Is the office a workbook's `_meta` names the office its questions belong to?

The metadata hash can be recomputed by anyone, so `_meta` alone proves nothing: a filled workbook of
one office re-labelled as another would otherwise replace the real office's workbook. The question
codes in the Isian sheet are checked against the codes of the office `_meta` names.
"""

from __future__ import annotations

from pipeline import config
from pipeline.messages import issue
from pipeline.metadata import codes_hash

MIN_SHARE = 0.5  # at least half of the sheet's codes must be the claimed office's


def claim_issues(
    meta: dict[str, str], codes: list[str], expected: list[str], rel: str
) -> list[dict[str, str]]:
    """An error when the Isian codes are not the questions of the office `_meta` names.

    A sheet whose codes still hash to `hash_kode` and match the office's template passes at once;
    otherwise most of its codes must be the office's (rows deleted or edited stay row-level issues).
    """
    if not codes or not expected:
        return []
    if codes_hash(codes) == meta.get("hash_kode") == codes_hash(expected):
        return []
    own = set(expected)
    share = sum(code in own for code in codes) / len(codes)
    if share >= MIN_SHARE:
        return []
    others = sorted(set(codes) - own)
    shown = ", ".join(others[:3]) + (" ..." if len(others) > 3 else "")
    return [
        issue(
            "meta-tidak-cocok-isian",
            file=rel,
            sheet=config.SHEET_META,
            value=meta.get("peran", ""),
            found=shown,
        )
    ]
