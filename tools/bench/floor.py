"""(C) The floor: python-calamine reading only the Isian sheet of every file, nothing else."""

from __future__ import annotations

import sys
from pathlib import Path

from python_calamine import CalamineWorkbook


def main(folder: str) -> None:
    cells = 0
    for path in sorted(Path(folder).rglob("*.xlsx")):
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Isian").to_python()
        cells += sum(len(row) for row in rows)
    print(cells)


if __name__ == "__main__":
    main(sys.argv[1])
