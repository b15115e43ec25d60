"""Run with the system python3 (python3-uno): open a workbook in LibreOffice, type into a cell through
the document's own input path (setFormula, as typing does), and save it as .xlsx and .ods.

    /usr/bin/python3 tests/lo_uno_save.py SOURCE TARGET_STEM PROFILE_DIR SHEET CELL TEXT

Run it with TZ set to see how LibreOffice records the saved time in a given local zone.
"""

import os
import subprocess
import sys
import time

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

FILTERS = {"xlsx": "Calc MS Excel 2007 XML", "ods": "calc8"}


def prop(name, value):
    found = PropertyValue()
    found.Name, found.Value = name, value
    return found


def connect(pipe):
    context = uno.getComponentContext()
    resolver = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", context
    )
    for _ in range(120):
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:  # not listening yet
            time.sleep(0.5)
    raise SystemExit("LibreOffice did not start")


def main(source, stem, profile, sheet, cell, text):
    pipe = f"kla{os.getpid()}"
    office = subprocess.Popen(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            f"--accept=pipe,name={pipe};urp;",
        ]
    )
    try:
        remote = connect(pipe)
        desktop = remote.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", remote
        )
        url = uno.systemPathToFileUrl(os.path.abspath(source))
        doc = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))
        doc.getSheets().getByName(sheet).getCellRangeByName(cell).setFormula(text)
        for suffix, name in FILTERS.items():
            target = uno.systemPathToFileUrl(os.path.abspath(f"{stem}.{suffix}"))
            doc.storeToURL(target, (prop("FilterName", name),))
        doc.close(True)
    finally:
        office.terminate()
        office.wait(timeout=60)


if __name__ == "__main__":
    main(*sys.argv[1:7])
