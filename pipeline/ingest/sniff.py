"""Check a file's bytes before any parser sees it: real format, encryption, zip and XML bombs, size.

The checks are cheap and bounded in memory: magic bytes, the zip central directory (declared sizes and
ratios), then each member is inflated once (its real size and CRC counted, never more than
MAX_MEMBER_UNCOMPRESSED + one chunk held), and the prolog of each XML-looking member is searched for a
DOCTYPE or ENTITY declaration. Members declared at most KEEP_MEMBER_BYTES are inflated in one call and
kept (up to KEEP_TOTAL_BYTES per file) for the readers that follow, so no part is inflated twice;
larger ones are inflated in chunks and thrown away. Before python-calamine parses a sheet, its extent
(rows x columns of its dense grid) is measured from the sheet XML (extent_issues).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.ingest.biff import read_xls_extents
from pipeline.ingest.parts import Package, read_ods_extents, read_sheet_extent
from pipeline.messages import issue

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
ZIP_SUFFIXES = (".xlsx", ".xlsm")
# A template's Isian has a few hundred rows and about a dozen columns: far below these bounds, which
# keep python-calamine's dense grid (rows x columns cells) small.
MAX_SHEET_ROWS = 20_000
MAX_SHEET_CELLS = 1_000_000
FORMAT_NAMES = {
    ".xlsx": "Excel .xlsx",
    ".xlsb": "Excel biner .xlsb",
    ".ods": "ODS",
    ".xls": "Excel 97-2003 .xls",
}
INFLATE_CHUNK = 2**16
# A real workbook's members are a few KB each: inflated in one call and kept for the readers.
KEEP_MEMBER_BYTES = 4 * 2**20
KEEP_TOTAL_BYTES = 16 * 2**20
LOCAL_HEADER = struct.Struct("<4s5H3L2H")
XML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<")


@dataclass(frozen=True)
class Sniffed:
    """What a file really is. `problem` is an issue code (messages.py) when it must not be parsed."""

    kind: str  # "zip", "ole", "empty", "pdf", "text", "unknown"
    problem: str = ""
    detail: str = ""
    # zip: members already inflated and checked (name -> bytes), for Package; not all of them.
    parts: Mapping[str, bytes] = field(default_factory=dict, repr=False)
    names: list[str] | None = field(default=None, repr=False)  # zip: every member's name


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
        return _check_zip(data)
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


def _check_zip(data: bytes) -> Sniffed:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            problem = _declared_problem(members)
            if problem:
                return Sniffed("zip", *problem)
            parts, problem = _inflated(data, members)
            if problem:
                return Sniffed("zip", *problem)
            for member in members:
                if _has_doctype(archive, member, parts.get(member.filename)):
                    return Sniffed("zip", "xml-berbahaya", member.filename)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        EOFError,
        ValueError,
        zlib.error,
        struct.error,
    ) as exc:
        return Sniffed("zip", "berkas-rusak", str(exc)[:200])
    except NotImplementedError as exc:  # unsupported compression or encryption inside the zip
        return Sniffed("zip", "berkas-rusak", str(exc)[:200])
    return Sniffed("zip", parts=parts, names=[m.filename for m in members])


def _declared_problem(members: list[zipfile.ZipInfo]) -> tuple[str, str] | None:
    """A bomb (too many members, a high ratio) or content too large, by the declared sizes."""
    if len(members) > MAX_MEMBERS:
        return "zip-berbahaya", f"{len(members)} anggota (batas {MAX_MEMBERS})"
    for member in members:
        if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            ratio = member.file_size // max(member.compress_size, 1)
            return "zip-berbahaya", f"{member.filename} rasio pemampatan {ratio}x"
    return _size_problem([(m.filename, m.file_size) for m in members])


def _size_problem(sizes: list[tuple[str, int]]) -> tuple[str, str] | None:
    total = sum(size for _, size in sizes)
    if total > MAX_TOTAL_UNCOMPRESSED:
        return (
            "isi-terlalu-besar",
            f"isi terurai {_mb(total)} (batas {_mb(MAX_TOTAL_UNCOMPRESSED)})",
        )
    for name, size in sizes:
        if size > MAX_MEMBER_UNCOMPRESSED:
            return (
                "isi-terlalu-besar",
                f"{name} terurai {_mb(size)} (batas {_mb(MAX_MEMBER_UNCOMPRESSED)})",
            )
    return None


def _mb(size: int) -> str:
    return f"{size / 2**20:.0f} MB"


def _inflated(
    data: bytes, members: list[zipfile.ZipInfo]
) -> tuple[dict[str, bytes], tuple[str, str] | None]:
    """The small members' bytes, and the first real size or checksum problem.

    Inflating past the declared size is a forged bomb; short of it, or a wrong CRC, a broken file.
    """
    parts: dict[str, bytes] = {}
    budget = KEEP_TOTAL_BYTES
    for member in members:
        real, crc, content = _inflate(data, member, MAX_MEMBER_UNCOMPRESSED)
        if real > member.file_size:
            found = f"> {_mb(real)}" if real > MAX_MEMBER_UNCOMPRESSED else f"{real} byte"
            return parts, (
                "zip-berbahaya",
                f"{member.filename} terurai {found}, tercatat {member.file_size} byte",
            )
        if real < member.file_size:
            return parts, (
                "berkas-rusak",
                f"{member.filename} terpotong ({real} dari {member.file_size} byte)",
            )
        if crc != member.CRC:
            return parts, ("berkas-rusak", f"{member.filename}: CRC tidak cocok")
        parts.pop(member.filename, None)  # a repeated name: the last member is the one read
        if content is not None and len(content) <= budget:
            parts[member.filename] = content
            budget -= len(content)
    return parts, None


def _inflate(data: bytes, member: zipfile.ZipInfo, limit: int) -> tuple[int, int, bytes | None]:
    """(size, CRC-32, bytes or None) of what a member really inflates to, stopped just past `limit`.

    A member declared at most KEEP_MEMBER_BYTES is inflated in one call and its bytes returned (if
    it stops there); any other is inflated in chunks of INFLATE_CHUNK and thrown away.
    """
    if not 0 <= member.header_offset <= len(data) - LOCAL_HEADER.size:
        raise zipfile.BadZipFile(f"{member.filename}: posisi header lokal tidak sah")
    header = LOCAL_HEADER.unpack_from(data, member.header_offset)
    if header[0] != ZIP_MAGIC:
        raise zipfile.BadZipFile(f"{member.filename}: header lokal tidak ditemukan")
    start = member.header_offset + LOCAL_HEADER.size + header[9] + header[10]
    raw = memoryview(data)[start : start + member.compress_size]
    small = member.file_size <= KEEP_MEMBER_BYTES
    if member.compress_type == zipfile.ZIP_STORED:
        return len(raw), zlib.crc32(raw), bytes(raw) if small else None
    if member.compress_type != zipfile.ZIP_DEFLATED:
        raise NotImplementedError(f"{member.filename}: metode pemampatan {member.compress_type}")
    inflater = zlib.decompressobj(-15)
    first = inflater.decompress(raw, KEEP_MEMBER_BYTES + 1 if small else INFLATE_CHUNK)
    size, crc = len(first), zlib.crc32(first)
    while inflater.unconsumed_tail and size <= limit:
        chunk = inflater.decompress(inflater.unconsumed_tail, INFLATE_CHUNK)
        size, crc = size + len(chunk), zlib.crc32(chunk, crc)
    return size, crc, first if small and size == len(first) else None


def _has_doctype(archive: zipfile.ZipFile, member: zipfile.ZipInfo, content: bytes | None) -> bool:
    """A DOCTYPE (entity declarations) in an XML-looking member's prolog: never legitimate, refuse it.

    Any member whose first bytes open an XML tag counts, whatever its name (rels may point
    anywhere). Reads only the prolog, up to the root element; a prolog longer than MAX_PROLOG_BYTES
    is refused too. `content` is the member's bytes when already inflated.
    """
    if member.is_dir() or member.file_size == 0:
        return False
    if content is not None:
        return XML_START.match(content[:64]) is not None and _prolog_doctype(
            content[:MAX_PROLOG_BYTES], len(content) >= MAX_PROLOG_BYTES
        )
    with archive.open(member) as handle:
        if not XML_START.match(handle.read(64)):
            return False
    prolog = b""
    with archive.open(member) as handle:
        while len(prolog) < MAX_PROLOG_BYTES:
            chunk = handle.read(XML_PREFIX_BYTES)
            if not chunk:
                break
            prolog += chunk
            if ROOT_ELEMENT.search(prolog):
                break
    return _prolog_doctype(prolog, len(prolog) >= MAX_PROLOG_BYTES)


def _prolog_doctype(start: bytes, long: bool) -> bool:
    """True when the text before the root element declares a DOCTYPE/ENTITY, or no root is found
    in a long prolog."""
    root = ROOT_ELEMENT.search(start)
    if root is None:
        return long or b"<!DOCTYPE" in start.upper()
    prolog = start[: root.start()].upper()
    return b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog


def content_suffix(package: Package) -> str:
    """The format the bytes really are, as a suffix: .xlsx (also .xlsm), .xlsb, .ods or .xls."""
    if not package.data.startswith(b"PK"):
        return ".xls"
    names = set(package.names())
    if "xl/workbook.bin" in names:
        return ".xlsb"
    return ".ods" if "content.xml" in names else ".xlsx"


def format_issues(named: str, real: str, rel: str) -> list[dict[str, str]]:
    """A warning when the file name's suffix does not match the real format (an .xls named .xlsx)."""
    if named.replace(".xlsm", ".xlsx") == real:
        return []
    shown = FORMAT_NAMES.get(real, real)
    return [issue("format-tidak-sesuai-nama", file=rel, value=shown, expected=named)]


def extent_issues(package: Package, real: str, names: list[str], rel: str) -> list[dict[str, str]]:
    """Errors for sheets holding cells too far out: python-calamine would build a huge dense grid.

    xlsx/xlsm: those of `names` ingest reads (others are never parsed). ODS: every table (python-calamine
    expands them all when it opens the file). xls: every sheet too, from its cell records
    (biff.py). xlsb is not measured (see docs/keamanan.md).
    """
    if real == ".ods":
        extents = read_ods_extents(package)
    elif real in ZIP_SUFFIXES:
        extents = {name: read_sheet_extent(package, name) for name in names}
    elif real == ".xls":  # every sheet, from its cell records: python-calamine parses them all
        extents = read_xls_extents(package.data)
    else:
        return []
    limit = f"{MAX_SHEET_ROWS} baris, {MAX_SHEET_CELLS} sel"
    return [
        issue(
            "lembar-terlalu-besar",
            file=rel,
            sheet=name,
            value=f"sampai baris {rows}, kolom {cols}",
            expected=limit,
        )
        for name, (rows, cols) in extents.items()
        if rows > MAX_SHEET_ROWS or rows * cols > MAX_SHEET_CELLS
    ]
