"""Byte-level helpers for the bundled example: stable zips, .ods via LibreOffice, a PDF, a .docx.

Also the content of an example file as compared by the "committed example is current" check.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

from pipeline import config
from pipeline.errors import KlaError

ZIP_TIME = (2024, 1, 1, 0, 0, 0)  # every zip member gets this time, so zips are byte-stable
SHEETS_COMPARED = (config.SHEET_IDENTITY, config.SHEET_ANSWERS, config.SHEET_META)
# _meta values left out of the content comparison: `dibuat` is the template generation time and
# `hash_meta` signs it. Everything else (cells of Identitas, Isian and _meta, sheet names) counts.
# Not compared at all: document properties (saved time, author), styles, zip member times.
META_IGNORED = ("dibuat", "hash_meta")
ODS_DATES = re.compile(r"(<(dc:date|meta:creation-date)>)[^<]*(</\2>)")
SOFFICE_TIMEOUT = 180


def stable_zip(data: bytes) -> bytes:
    """The same zip with every member's time set to ZIP_TIME, order and compression kept."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=ZIP_TIME)
            info.compress_type = item.compress_type
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(item.filename))
    return out.getvalue()


def set_ods_dates(data: bytes, saved: dt.datetime) -> bytes:
    """An .ods with its meta.xml creation and saved dates replaced by `saved` (UTC, no zone)."""
    stamp = saved.replace(microsecond=0, tzinfo=None).isoformat()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "meta.xml":
                text = ODS_DATES.sub(lambda m: f"{m.group(1)}{stamp}{m.group(3)}", body.decode())
                body = text.encode()
            target.writestr(item, body)
    return stable_zip(out.getvalue())


def soffice_path() -> str | None:
    """The LibreOffice program, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_ods(source: Path, work_dir: Path) -> bytes:
    """Convert a workbook to .ods with LibreOffice headless (private profile); the .ods bytes."""
    soffice = soffice_path()
    if soffice is None:
        raise KlaError(
            "LibreOffice (soffice) tidak ditemukan; perlu untuk membuat contoh berkas .ods. "
            "Pasang LibreOffice, atau buat contoh tanpa .ods."
        )
    out_dir = work_dir / "ods"
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = (work_dir / "lo_profile").resolve().as_uri()
    command = [
        soffice,
        f"-env:UserInstallation={profile}",
        "--headless",
        "--norestore",
        "--convert-to",
        "ods",
        "--outdir",
        str(out_dir),
        str(source),
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=SOFFICE_TIMEOUT, check=False
    )
    target = out_dir / f"{source.stem}.ods"
    if not target.exists():
        raise KlaError(f"LibreOffice gagal mengubah {source.name} ke .ods: {result.stderr.strip()}")
    return target.read_bytes()


def pdf_bytes(lines: list[str]) -> bytes:
    """A minimal valid one-page PDF showing the given lines (ASCII, Helvetica)."""
    text = " T* ".join(f"({_pdf_escape(line)}) Tj" for line in lines)
    stream = f"BT /F1 12 Tf 14 TL 72 770 Td {text} ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _pdf_escape(line: str) -> str:
    ascii_line = line.encode("ascii", "replace").decode("ascii")
    return ascii_line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
DOCX_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
DOCX_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_bytes(paragraphs: list[str]) -> bytes:
    """A minimal valid Word document (.docx) with the given paragraphs."""
    body = "".join(f"<w:p><w:r><w:t>{_xml_escape(p)}</w:t></w:r></w:p>" for p in paragraphs)
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{DOCX_NS}"><w:body>{body}</w:body></w:document>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (
            ("[Content_Types].xml", DOCX_TYPES),
            ("_rels/.rels", DOCX_RELS),
            ("word/document.xml", document),
        ):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return out.getvalue()


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def read_example_content(path: Path) -> dict[str, Any]:
    """What the currency check compares: workbook cells (see META_IGNORED) or a file's hash."""
    path = Path(path)
    if path.suffix.lower() not in config.WORKBOOK_SUFFIXES:
        return {"sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    content: dict[str, Any] = {"sheets": list(book.sheet_names)}
    for name in SHEETS_COMPARED:
        if name not in book.sheet_names:
            continue
        rows = [list(row) for row in book.get_sheet_by_name(name).to_python()]
        if name == config.SHEET_META:
            rows = [[r[0], ""] if r and r[0] in META_IGNORED else r for r in rows]
        content[name] = [_trim(row) for row in rows]
    return content


def _trim(row: list[Any]) -> list[Any]:
    """A row without trailing empty cells (LibreOffice and openpyxl pad rows differently)."""
    end = len(row)
    while end and row[end - 1] in ("", None):
        end -= 1
    return row[:end]
