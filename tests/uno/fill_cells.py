"""Type strings into a workbook's cells through LibreOffice's own input path, then save it.

Run with the system Python that has python3-uno (not the project venv):
    /usr/bin/python3 tests/uno/fill_cells.py SOURCE TARGET LOCALE PROFILE_DIR CELLS_JSON
CELLS_JSON maps "Sheet!A1" to the text typed (setFormula, as if typed into the cell). TARGET's
suffix (.xlsx or .ods) picks the filter. LOCALE (en-US, id-ID) is set as the office locale first.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue

FILTERS = {".xlsx": "Calc MS Excel 2007 XML", ".ods": "calc8"}


def prop(name, value):
    item = PropertyValue()
    item.Name, item.Value = name, value
    return item


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def connect(port, office):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    for _ in range(120):
        if office.poll() is not None:
            raise RuntimeError("soffice exited")
        try:
            return resolver.resolve(
                f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext"
            )
        except Exception:
            time.sleep(0.5)
    raise RuntimeError("no connection to soffice")


def set_locale(context, locale):
    provider = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.configuration.ConfigurationProvider", context
    )
    access = provider.createInstanceWithArguments(
        "com.sun.star.configuration.ConfigurationUpdateAccess",
        (prop("nodepath", "/org.openoffice.Setup/L10N"),),
    )
    access.setPropertyValue("ooSetupSystemLocale", locale)
    access.commitChanges()


def main():
    source, target, locale, profile, cells_json = sys.argv[1:6]
    cells = json.loads(cells_json)
    port = free_port()
    office = subprocess.Popen(
        [
            "soffice",
            f"-env:UserInstallation=file://{os.path.abspath(profile)}",
            "--headless",
            "--norestore",
            "--nologo",
            f"--accept=socket,host=127.0.0.1,port={port};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        context = connect(port, office)
        set_locale(context, locale)
        desktop = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", context
        )
        url = uno.systemPathToFileUrl(os.path.abspath(source))
        doc = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))
        for where, text in cells.items():
            sheet_name, cell_name = where.split("!")
            sheet = doc.Sheets.getByName(sheet_name)
            sheet.getCellRangeByName(cell_name).setFormula(text)
        suffix = os.path.splitext(target)[1].lower()
        out = uno.systemPathToFileUrl(os.path.abspath(target))
        doc.storeToURL(out, (prop("FilterName", FILTERS[suffix]),))
        doc.close(True)
        with contextlib.suppress(Exception):  # the office may close the bridge first
            desktop.terminate()
    finally:
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()
            office.wait()


if __name__ == "__main__":
    main()
