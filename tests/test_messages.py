"""The issue catalogue: every slug has a severity and a message that locates and instructs."""

from __future__ import annotations

import pytest

from pipeline.messages import CATALOGUE, issue
from pipeline.tables import ISSUES, SEVERITY_ERROR, SEVERITY_WARNING


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_code_renders_a_located_message(code: str) -> None:
    row = issue(code, file="isian.xlsx", sheet="Isian", cell="F14", kode="I12-P1", value="x")
    assert tuple(row) == ISSUES
    assert row["severity"] in (SEVERITY_ERROR, SEVERITY_WARNING)
    assert "isian.xlsx" in row["message"] and "{" not in row["message"]


def test_numbers_in_messages_use_the_decimal_comma() -> None:
    row = issue(
        "jawaban-dinormalisasi",
        file="a.xlsx",
        sheet="Isian",
        cell="F11",
        value="92,7 %",
        normalised="92.7",
    )
    assert "'92,7 %' dibaca sebagai '92,7'" in row["message"]
    english = issue("jawaban-dinormalisasi", file="a.xlsx", value="1.5", normalised="1.5")
    assert "'1.5' dibaca sebagai '1,5'" in english["message"]  # as typed, then as read
    ambiguous = issue("persen-ambigu", file="a.xlsx", value="0.5", percent="50")
    assert "0,5" in ambiguous["message"] and ambiguous["value"] == "0.5"  # the data stays as read


def test_every_setup_problem_is_raised_somewhere() -> None:
    """Each instrument/region slug in the catalogue is used by the code (no dead entries)."""
    from pathlib import Path

    from pipeline.messages import SETUP_CATALOGUE

    source = "\n".join(
        path.read_text(encoding="utf-8")
        for path in (Path(__file__).resolve().parent.parent / "pipeline").rglob("*.py")
        if path.name != "messages.py"
    )
    assert [code for code in SETUP_CATALOGUE if f'"{code}"' not in source] == []
