"""Type strings into cells through LibreOffice's own input path, then save: run with /usr/bin/python3.

Usage: uno_type.py SOFFICE PROFILE_DIR SOURCE JOB_JSON
JOB_JSON: {"sheet": "Isian", "cells": {"F6": "Perda", ...}, "save": [["out.xlsx", "Calc MS Excel 2007 XML"], ...]}
Each string goes through the cell's setFormula, as if typed (LibreOffice decides text, number, date).
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
from pathlib import Path

import uno
from com.sun.star.beans import PropertyValue

CONNECT_SECONDS = 60


def prop(name: str, value: object) -> PropertyValue:
    item = PropertyValue()
    item.Name, item.Value = name, value
    return item


def connect(pipe: str):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def main() -> None:
    soffice, profile, source, job_text = sys.argv[1:5]
    job = json.loads(job_text)
    pipe = f"kla_uno_{Path(profile).name}"
    office = subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            f"--accept=pipe,name={pipe};urp;",
        ]
    )
    try:
        context = connect(pipe)
        desktop = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", context
        )
        doc = desktop.loadComponentFromURL(
            Path(source).absolute().as_uri(), "_blank", 0, (prop("Hidden", True),)
        )
        sheet = doc.Sheets.getByName(job["sheet"])
        for address, text in job["cells"].items():
            sheet.getCellRangeByName(address).setFormula(text)
        for target, filter_name in job["save"]:
            doc.storeToURL(Path(target).absolute().as_uri(), (prop("FilterName", filter_name),))
        doc.close(True)
        with contextlib.suppress(Exception):  # the bridge drops as LibreOffice exits
            desktop.terminate()
    finally:
        try:
            office.wait(timeout=60)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    main()
