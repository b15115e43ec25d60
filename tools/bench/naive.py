"""(B) The naive script an analyst writes: pandas.read_excel with openpyxl, find the header, concat, count."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd


def main(folder: str) -> None:
    frames = []
    for path in sorted(Path(folder).rglob("*.xlsx")):
        sheet = pd.read_excel(path, sheet_name="Isian", header=None, engine="openpyxl")
        header = sheet.index[(sheet == "Kode").any(axis=1)][0]
        table = sheet.iloc[header + 1 :].copy()
        table.columns = sheet.iloc[header]
        table = table[table["Kode"].notna()]
        table["file"] = str(path)
        frames.append(table)
    answers = pd.concat(frames, ignore_index=True)
    print(len(answers), int(answers["Jawaban"].notna().sum()))


if __name__ == "__main__":
    main(sys.argv[1])
