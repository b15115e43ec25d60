"""Type into a workbook through LibreOffice itself, as a person does, then save it (python3-uno).

Run with the system Python that has `uno` (not the project's virtualenv):

    /usr/bin/python3 tools/lo_fill.py job.json

job.json:
    {"source": "template.xlsx", "locale": "id-ID",
     "cells": {"Isian": {"F10": "85%", "F11": "12,5"}, "Identitas": {"B9": "0812345678"}},
     "outputs": ["isi.xlsx", "isi.ods"]}

LibreOffice starts headless in a private profile whose locale setting (ooSetupSystemLocale) is the
job's locale, so number recognition (`12,5` vs `12.5`, `85%`) is that of a person using that
locale. Each string goes through the same input path as the keyboard (.uno:GoToCell then
.uno:EnterString). The report printed as JSON on stdout holds, per typed cell, what LibreOffice
stored (type, value, shown text, number format is percent) and the cells LibreOffice's own data
validation marks invalid (Tools > Detective > Mark Invalid Data). With "row_heights": true it also
holds, per sheet and row, the height the file sets and the height LibreOffice needs for its text
(optimal height), both in points.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import uno
from com.sun.star.beans import PropertyValue

FILTERS = {".xlsx": "Calc MS Excel 2007 XML", ".ods": "calc8"}
PERCENT_TYPE = 128  # com.sun.star.util.NumberFormat.PERCENT
HUNDREDTH_MM_PER_POINT = 2540 / 72
START_SECONDS = 60
PROFILE_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">
<value>{locale}</value></prop></item>
<item oor:path="/org.openoffice.Office.Linguistic/General"><prop oor:name="DefaultLocale"
 oor:op="fuse"><value>{locale}</value></prop></item>
</oor:items>
"""


def prop(name: str, value: Any) -> Any:
    """A com.sun.star.beans.PropertyValue."""
    item = PropertyValue()
    item.Name, item.Value = name, value
    return item


class Office:
    """A headless LibreOffice in a private profile with a given locale, reached over a pipe."""

    def __init__(self, locale: str) -> None:
        self.profile = Path(tempfile.mkdtemp(prefix="kla_lo_"))
        (self.profile / "user").mkdir()
        xcu = self.profile / "user" / "registrymodifications.xcu"
        xcu.write_text(PROFILE_XCU.format(locale=locale), encoding="utf-8")
        self.pipe = f"kla_lo_{os.getpid()}_{time.monotonic_ns()}"
        soffice = shutil.which("soffice") or shutil.which("libreoffice") or "soffice"
        self.process = subprocess.Popen(
            [
                soffice,
                f"-env:UserInstallation={self.profile.as_uri()}",
                "--headless",
                "--invisible",
                "--norestore",
                "--nologo",
                f"--accept=pipe,name={self.pipe};urp;",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.context = self._connect()
        self.manager = self.context.ServiceManager
        self.desktop = self._service("com.sun.star.frame.Desktop")
        self.dispatcher = self._service("com.sun.star.frame.DispatchHelper")

    def _service(self, name: str) -> Any:
        return self.manager.createInstanceWithContext(name, self.context)

    def _connect(self) -> Any:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        url = f"uno:pipe,name={self.pipe};urp;StarOffice.ComponentContext"
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                return resolver.resolve(url)
            except Exception:  # NoConnectException until soffice listens
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise
                time.sleep(0.2)

    def load(self, path: Path) -> Any:
        return self.desktop.loadComponentFromURL(
            path.resolve().as_uri(), "_blank", 0, (prop("Hidden", True),)
        )

    def dispatch(self, document: Any, command: str, **args: Any) -> None:
        frame = document.getCurrentController().getFrame()
        values = tuple(prop(k, v) for k, v in args.items())
        self.dispatcher.executeDispatch(frame, command, "", 0, values)

    def close(self) -> None:
        with contextlib.suppress(Exception):  # the bridge closes as soffice exits
            self.desktop.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


def type_cells(office: Office, document: Any, cells: dict[str, dict[str, str]]) -> dict[str, Any]:
    """Type every string into its cell as a person does; what LibreOffice stored, by Sheet!Cell."""
    controller = document.getCurrentController()
    formats = document.getNumberFormats()
    stored: dict[str, Any] = {}
    for sheet_name, by_cell in cells.items():
        sheet = document.getSheets().getByName(sheet_name)
        controller.setActiveSheet(sheet)
        for name, text in by_cell.items():
            office.dispatch(document, ".uno:GoToCell", ToPoint=name)
            office.dispatch(document, ".uno:EnterString", StringName=text)
            cell = sheet.getCellRangeByName(name)
            kind = formats.getByKey(cell.NumberFormat).Type
            stored[f"{sheet_name}!{name}"] = {
                "typed": text,
                "type": cell.getType().value,
                "value": cell.getValue(),
                "shown": cell.getString(),
                "percent": bool(kind & PERCENT_TYPE),
            }
    return stored


def invalid_cells(office: Office, document: Any) -> list[str]:
    """Cells LibreOffice's own data validation marks invalid, as Sheet!Cell, sorted."""
    found = []
    for sheet in document.getSheets():
        document.getCurrentController().setActiveSheet(sheet)
        office.dispatch(document, ".uno:ShowInvalid")
        page = sheet.getDrawPage()
        for index in range(page.getCount()):
            anchor = getattr(page.getByIndex(index), "Anchor", None)
            if anchor is not None and hasattr(anchor, "AbsoluteName"):
                found.append("!".join(anchor.AbsoluteName.replace("$", "").rsplit(".", 1)))
    return sorted(found)


def row_heights(document: Any) -> dict[str, list[tuple[int, float, float]]]:
    """Per visible sheet: (row, height set, height LibreOffice needs) in points, for used rows."""
    heights: dict[str, list[tuple[int, float, float]]] = {}
    for sheet in document.getSheets():
        if not sheet.IsVisible:
            continue
        cursor = sheet.createCursor()
        cursor.gotoEndOfUsedArea(False)
        last = cursor.getRangeAddress().EndRow
        rows = sheet.getRows()
        found = []
        for index in range(last + 1):
            row = rows.getByIndex(index)
            set_height = row.Height / HUNDREDTH_MM_PER_POINT
            row.OptimalHeight = True
            needed = row.Height / HUNDREDTH_MM_PER_POINT
            found.append((index + 1, round(set_height, 1), round(needed, 1)))
        heights[sheet.getName()] = found
    return heights


def run(job: dict[str, Any]) -> dict[str, Any]:
    office = Office(job.get("locale", "en-US"))
    try:
        document = office.load(Path(job["source"]))
        report: dict[str, Any] = {"cells": type_cells(office, document, job.get("cells", {}))}
        for output in job.get("outputs", []):
            target = Path(output)
            filters = (prop("FilterName", FILTERS[target.suffix.lower()]),)
            document.storeToURL(target.resolve().as_uri(), filters)
        report["invalid"] = invalid_cells(office, document)  # its marks are not saved
        if job.get("row_heights"):
            report["row_heights"] = row_heights(document)
        document.close(True)
        return report
    finally:
        office.close()


def main(argv: list[str]) -> int:
    job = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    json.dump(run(job), sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
