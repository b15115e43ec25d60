"""Test helpers: fill an office template and a verification workbook the way people do (openpyxl)."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import openpyxl

from pipeline import config
from pipeline.consolidate import RunOutput, run
from pipeline.instrument import Instrument
from pipeline.region import Region
from tools.fill import Filled, fill_template
from tools.fill_verification import verification_columns

NOW = dt.datetime(2024, 4, 20, 9, 0)


def verification_rows(path: Path) -> tuple[openpyxl.Workbook, dict[str, int], dict[str, int]]:
    """(book, column by header, row by question code) of a verification workbook."""
    book = openpyxl.load_workbook(path)
    columns, rows = verification_columns(book)
    return book, columns, rows


def fill_verification(
    source: Path, target: Path, decisions: Mapping[str, Mapping[str, Any]]
) -> Path:
    """Copy a verification workbook with decisions typed in, by question code and header.

    A value of None empties the cell (a verifier clearing a carried input).
    """
    book = openpyxl.load_workbook(source)
    sheet = book[config.SHEET_VERIFICATION]
    columns, rows = verification_columns(book)
    for code, values in decisions.items():
        for header, value in values.items():
            sheet.cell(rows[code], columns[header]).value = value
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)
    return target


def send_office(template: Path, inputs: Path, name: str, answers: Mapping[str, Filled]) -> Path:
    """An office's returned workbook with the given answers and a contact."""
    target = inputs / name
    identity = {config.ID_CONTACT_NAME: "Sari", config.ID_CONTACT_PHONE: "0812"}
    fill_template(template, target, answers, identity)
    return target


def consolidate(inputs: Path, outputs: Path, instrument: Instrument, region: Region) -> RunOutput:
    return run(inputs, outputs, instrument, region, jobs=1, now=NOW)


def copy_to(source: Path, folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copyfile(source, folder / name))
