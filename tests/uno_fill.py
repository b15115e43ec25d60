"""Type into a workbook through LibreOffice's own input path (UNO), then save it as .xlsx and .ods.

Run by the system Python that has python3-uno, never imported by the tests:
    /usr/bin/python3 tests/uno_fill.py SOFFICE PROFILE LOCALE SOURCE OUT_XLSX OUT_ODS ENTRIES_JSON
ENTRIES_JSON is a list of [sheet, cell, text]: each text is typed into the selected cell with the
dispatcher's EnterString, exactly as a user's keystrokes are interpreted in LOCALE (en-US, id-ID).
"""

import contextlib
import json
import os
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue

LOCALE_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>{0}</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse"><value>{0}</value></prop></item>
<item oor:path="/org.openoffice.Office.Linguistic/General"><prop oor:name="DefaultLocale" oor:op="fuse"><value>{0}</value></prop></item>
</oor:items>
"""


def prop(name, value):
    item = PropertyValue()
    item.Name, item.Value = name, value
    return item


def connect(pipe):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    for _ in range(120):
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            time.sleep(0.5)
    raise RuntimeError("LibreOffice did not start")


def main(soffice, profile, locale, source, out_xlsx, out_ods, entries):
    os.makedirs(os.path.join(profile, "user"), exist_ok=True)
    with open(os.path.join(profile, "user", "registrymodifications.xcu"), "w") as handle:
        handle.write(LOCALE_XCU.format(locale))
    pipe = f"kla_uno_{os.getpid()}"
    office = subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation={uno.systemPathToFileUrl(profile)}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            f"--accept=pipe,name={pipe};urp;",
        ]
    )
    try:
        context = connect(pipe)
        manager = context.ServiceManager
        desktop = manager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        dispatcher = manager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", context)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0, ())
        controller = doc.getCurrentController()
        frame = controller.getFrame()
        for sheet_name, cell, text in entries:
            sheet = doc.Sheets.getByName(sheet_name)
            controller.setActiveSheet(sheet)
            controller.select(sheet.getCellRangeByName(cell))
            dispatcher.executeDispatch(
                frame, ".uno:EnterString", "", 0, (prop("StringName", text),)
            )
        doc.storeToURL(
            uno.systemPathToFileUrl(out_xlsx), (prop("FilterName", "Calc Office Open XML"),)
        )
        doc.storeToURL(uno.systemPathToFileUrl(out_ods), (prop("FilterName", "calc8"),))
        doc.close(True)
        with contextlib.suppress(Exception):  # the office may quit before answering
            desktop.terminate()
    finally:
        try:
            office.wait(timeout=60)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    args = sys.argv[1:]
    main(*args[:6], json.loads(args[6]))
