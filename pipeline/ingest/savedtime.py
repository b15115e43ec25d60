"""A workbook's saved time as its author meant it, and whether it can be trusted.

LibreOffice writes the local wall-clock time: without a zone in ODS `meta.xml`, and marked `Z` (as if
UTC) in xlsx `docProps/core.xml`. Such a time is read in the region's zone (WIB/WITA/WIT). A saved time
in the future (more than a day after the run) comes from a wrong PC clock: it is not used, so the
file's own modification time decides which version is newer, and a warning says so.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from xml.etree.ElementTree import ParseError

from pipeline.ingest.parts import CORE_MODIFIED, FRACTION, ODS_DATE, Package, iso_utc
from pipeline.ingest.xmlread import elements
from pipeline.messages import issue

APP_PART = "docProps/app.xml"
LIBREOFFICE = re.compile(rb"<Application>\s*LibreOffice", re.IGNORECASE)
CLOCK_MARGIN = dt.timedelta(days=1)


def read_saved_time(package: Package, suffix: str, zone_hours: int) -> str:
    """The last-saved time as ISO 8601 UTC ("" when absent); local times read in `zone_hours`."""
    member, tag = (
        ("meta.xml", ODS_DATE) if suffix == ".ods" else ("docProps/core.xml", CORE_MODIFIED)
    )
    try:
        nodes = elements(package.read(member), {tag})
        text = "".join(nodes[0].text) if nodes else ""
        moment = dt.datetime.fromisoformat(FRACTION.sub(r"\1", text.strip()))
    except (zipfile.BadZipFile, KeyError, ParseError, ValueError):
        return ""
    if moment.tzinfo is None or _by_libreoffice(package, suffix):
        local = dt.timezone(dt.timedelta(hours=zone_hours))
        moment = moment.replace(tzinfo=local)
    return iso_utc(moment)


def _by_libreoffice(package: Package, suffix: str) -> bool:
    if suffix == ".ods":
        return False  # ODS times carry their zone or none (read as local above)
    try:
        return bool(LIBREOFFICE.search(package.read(APP_PART)[:4096]))
    except (zipfile.BadZipFile, KeyError):
        return False


def trusted_saved_time(
    saved: str, modified: str, rel: str, now: dt.datetime | None = None
) -> tuple[str, list[dict[str, str]]]:
    """(saved time to use, issues): a saved time in the future is dropped, with a warning."""
    now = now or dt.datetime.now(dt.UTC)
    if not saved or dt.datetime.fromisoformat(saved) <= now + CLOCK_MARGIN:
        return saved, []
    return "", [issue("waktu-simpan-masa-depan", file=rel, value=saved, expected=modified)]
