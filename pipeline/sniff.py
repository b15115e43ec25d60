"""Check a file's bytes before any parser sees it: real format, encryption, zip and XML bombs, size.

The checks are cheap (magic bytes, the zip central directory, the first bytes of each XML member) and
bounded in memory: nothing is decompressed beyond XML_PREFIX_BYTES per member.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PDF_MAGIC = b"%PDF"
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")

MAX_FILE_BYTES = 50 * 2**20  # a real returned workbook is ~20-200 KB
MAX_TOTAL_UNCOMPRESSED = 100 * 2**20
MAX_MEMBER_UNCOMPRESSED = 32 * 2**20
MAX_RATIO = 200  # uncompressed/compressed, for members over RATIO_FLOOR
RATIO_FLOOR = 2**20
MAX_MEMBERS = 2000
XML_PREFIX_BYTES = 4096
MAX_PROLOG_BYTES = 2**20
ROOT_ELEMENT = re.compile(rb"<[A-Za-z_]")


@dataclass(frozen=True)
class Sniffed:
    """What a file really is. `problem` is an issue code (messages.py) when it must not be parsed."""

    kind: str  # "zip", "ole", "empty", "pdf", "text", "unknown"
    problem: str = ""
    detail: str = ""


def read_sniff(path: Path, data: bytes | None = None) -> Sniffed:
    """Inspect a file (or its already-read bytes) and say whether it is safe to hand to a parser."""
    if data is None:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return Sniffed("unknown", "berkas-terlalu-besar", f"{size / 2**20:.0f} MB")
        data = path.read_bytes()
    return sniff_bytes(path, data)


def sniff_bytes(path: Path, data: bytes) -> Sniffed:
    """The checks on bytes already in memory."""
    if not data:
        return Sniffed("empty", "berkas-kosong")
    if len(data) > MAX_FILE_BYTES:
        return Sniffed("unknown", "berkas-terlalu-besar", f"{len(data) / 2**20:.0f} MB")
    if data.startswith(OLE_MAGIC):
        if ENCRYPTION_STREAM in data:
            return Sniffed("ole", "berkas-berpassword")
        return Sniffed("ole")
    if data.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC)):
        return _check_zip(path)
    if data.startswith(PDF_MAGIC):
        return Sniffed("pdf", "bukan-workbook-isi", "PDF")
    return Sniffed(
        "text" if _looks_like_text(data) else "unknown",
        "bukan-workbook-isi",
        "teks" if _looks_like_text(data) else "tidak dikenal",
    )


def _looks_like_text(data: bytes) -> bool:
    sample = data[:2048]
    return b"\x00" not in sample


def _check_zip(path: Path) -> Sniffed:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                return Sniffed("zip", "zip-berbahaya", f"{len(members)} anggota")
            size_problem = _zip_size_problem(members)
            if size_problem:
                return Sniffed("zip", "zip-berbahaya", size_problem)
            for member in members:
                if member.filename.endswith((".xml", ".rels")) and _has_doctype(archive, member):
                    return Sniffed("zip", "xml-berbahaya", member.filename)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
        return Sniffed("zip", "berkas-rusak", str(exc)[:200])
    except NotImplementedError as exc:  # unsupported compression or encryption inside the zip
        return Sniffed("zip", "berkas-rusak", str(exc)[:200])
    return Sniffed("zip")


def _zip_size_problem(members: list[zipfile.ZipInfo]) -> str:
    total = sum(m.file_size for m in members)
    if total > MAX_TOTAL_UNCOMPRESSED:
        return f"isi terurai {total / 2**20:.0f} MB (batas {MAX_TOTAL_UNCOMPRESSED / 2**20:.0f} MB)"
    for member in members:
        if member.file_size > MAX_MEMBER_UNCOMPRESSED:
            return f"{member.filename} terurai {member.file_size / 2**20:.0f} MB"
        if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            return f"{member.filename} rasio pemampatan {member.file_size // max(member.compress_size, 1)}x"
    return ""


def _has_doctype(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    """A DOCTYPE (entity declarations) in an OOXML/ODF part's prolog: never legitimate, refuse it.

    Reads only the prolog, up to the root element; a prolog longer than MAX_PROLOG_BYTES is refused too.
    """
    prolog = b""
    with archive.open(member) as handle:
        while len(prolog) < MAX_PROLOG_BYTES:
            chunk = handle.read(XML_PREFIX_BYTES)
            if not chunk:
                break
            prolog += chunk
            root = ROOT_ELEMENT.search(prolog)
            if root:
                prolog = prolog[: root.start()]
                return b"<!DOCTYPE" in prolog.upper() or b"<!ENTITY" in prolog.upper()
    return len(prolog) >= MAX_PROLOG_BYTES or b"<!DOCTYPE" in prolog.upper()
