"""Broken, disguised and malicious files each end in one clear issue, and the rest is consolidated.

Every case puts one hostile file beside a good DINKES workbook in an inputs folder, runs the whole
consolidation (pipeline.consolidate.run) and checks: the hostile file's issue codes and status, that
every message of that file names it, that the DINKES answers are in the scored frame, and that the
outputs are complete (audit manifest). Bombs and broken files are generated here, never committed.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import shutil
import struct
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from pipeline import config, tables
from pipeline.consolidate import RunOutput
from pipeline.ingest.files import read_inputs, read_submission
from pipeline.instrument import Instrument
from pipeline.region import Region
from tests.builders import (
    GOOD,
    HOSTILE,
    Maker,
    add_member,
    assert_good_consolidated,
    consolidate_beside_good,
    dukcapil,
    edit_isian,
    edit_meta,
    encrypted,
    entity_bomb,
    returned,
    rewrite_member,
    soffice_convert,
    truncated,
    zip_bomb,
)

ISIAN_PART = "xl/worksheets/sheet3.xml"  # Petunjuk, Identitas, Isian, _meta


def set_cell_xml(path: Path, ref: str, xml: str) -> None:
    """Replace the XML of one Isian cell (it must exist) with `xml`."""
    pattern = re.compile(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)'.encode(), re.DOTALL)

    def edit(data: bytes) -> bytes:
        changed, count = pattern.subn(xml.encode(), data, count=1)
        assert count == 1, f"{ref} not found"
        return changed

    rewrite_member(path, ISIAN_PART, edit)


def forged_bomb(target: Path, megabytes: int = 64) -> Path:
    """A zip whose one member declares 1 KB but inflates to `megabytes` of zeros (sizes forged)."""
    squeeze = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = b"".join(squeeze.compress(b"\0" * 2**20) for _ in range(megabytes)) + squeeze.flush()
    name = b"xl/worksheets/sheet1.xml"
    declared = 1024
    crc = zlib.crc32(b"\0" * declared)
    local = struct.pack(
        "<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(body), declared, len(name), 0
    )
    central = struct.pack(
        "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(body), declared, len(name),
        0, 0, 0, 0, 0, 0,
    )  # fmt: skip
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(central + name), len(local + name + body), 0
    )
    target.write_bytes(local + name + body + central + name + end)
    return target


def ods_bomb(target: Path, templates: dict[str, Path]) -> None:
    """A 1 KB ODS whose one cell repeats into a 10,000 x 10,000 grid (12 GB in python-calamine)."""
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}><office:body>'
        '<office:spreadsheet><table:table table:name="Isian">'
        '<table:table-row table:number-rows-repeated="10000">'
        '<table:table-cell table:number-columns-repeated="10000" office:value-type="string">'
        "<text:p>x</text:p></table:table-cell></table:table-row></table:table>"
        "</office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)


def far_reference(target: Path, templates: dict[str, Path]) -> None:
    set_cell_xml(dukcapil(target, templates), "F7", '<c r="BAAAAAAA7"><v>1</v></c>')


def cells_without_reference(target: Path, templates: dict[str, Path]) -> None:
    """Identitas gets a row of 100,000 cells without `r`: a parser counts their positions."""
    cells = "".join(f"<c><v>{number}</v></c>" for number in range(100_000))
    row = f"<row>{cells}</row></sheetData>".encode()
    rewrite_member(
        dukcapil(target, templates),
        "xl/worksheets/sheet2.xml",
        lambda data: data.replace(b"</sheetData>", row),
    )


def with_meta(changes: dict[str, str], rehash: bool = True) -> Maker:
    def make(target: Path, templates: dict[str, Path]) -> None:
        edit_meta(dukcapil(target, templates), changes, rehash)

    return make


def with_book(edit: Callable[[openpyxl.Workbook], None]) -> Maker:
    def make(target: Path, templates: dict[str, Path]) -> None:
        book = openpyxl.load_workbook(dukcapil(target, templates))
        edit(book)
        book.save(target)

    return make


def with_isian(edit: Callable[[object], None]) -> Maker:
    def make(target: Path, templates: dict[str, Path]) -> None:
        edit_isian(dukcapil(target, templates), edit)

    return make


def far_cell(sheet_name: str) -> Callable[[openpyxl.Workbook], None]:
    def edit(book: openpyxl.Workbook) -> None:
        book[sheet_name]["XFD1048576"] = "ujung"

    return edit


def cached_formula(target: Path, templates: dict[str, Path]) -> None:
    set_cell_xml(dukcapil(target, templates), "F7", '<c r="F7"><f>40+45</f><v>85</v></c>')


def external_link(target: Path, templates: dict[str, Path]) -> None:
    path = dukcapil(target, templates)
    set_cell_xml(path, "F7", '<c r="F7"><f>[1]Data!A1</f><v>85</v></c>')
    link = (
        '<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<externalBook><sheetNames><sheetName val="Data"/></sheetNames></externalBook>'
        "</externalLink>"
    )
    add_member(path, "xl/externalLinks/externalLink1.xml", link.encode())


def symlink_outside(target: Path, templates: dict[str, Path]) -> None:
    secret = dukcapil(target.parent.parent / "di luar" / "rahasia.xlsx", templates)
    target.symlink_to(secret)


def fifo(target: Path, templates: dict[str, Path]) -> None:
    os.mkfifo(target)


def delete_codes_column(sheet: object) -> None:
    sheet.delete_cols(2)  # type: ignore[attr-defined]


def repeat_code(sheet: object) -> None:
    sheet["B8"] = "I04-P1"  # type: ignore[index]


def merge_answers(sheet: object) -> None:
    sheet.merge_cells("F7:F8")  # type: ignore[attr-defined]


def rename_isian(book: openpyxl.Workbook) -> None:
    book[config.SHEET_ANSWERS].title = "Isian lama"


def delete_sheet(name: str) -> Callable[[openpyxl.Workbook], None]:
    def edit(book: openpyxl.Workbook) -> None:
        del book[name]

    return edit


USED, REJECTED = tables.FILE_USED, tables.FILE_REJECTED
CASES: list[tuple[str, Maker, str, list[str]]] = [
    ("kosong", lambda t, _: t.write_bytes(b""), REJECTED, ["berkas-kosong"]),
    ("zip terpotong", truncated, REJECTED, ["berkas-rusak"]),
    (
        "teks bernama xlsx",
        lambda t, _: t.write_text("Kode;Jawaban\nI04-P1;85\n"),
        REJECTED,
        ["bukan-workbook-isi"],
    ),
    (
        "pdf bernama xlsx",
        lambda t, _: t.write_bytes(b"%PDF-1.7\n%%EOF\n"),
        REJECTED,
        ["bukan-workbook-isi"],
    ),
    ("berpassword", encrypted, REJECTED, ["berkas-berpassword"]),
    ("bom zip", lambda t, _: zip_bomb(t, 1.0), REJECTED, ["zip-berbahaya"]),
    ("bom zip ukuran dipalsukan", lambda t, _: forged_bomb(t), REJECTED, ["zip-berbahaya"]),
    ("bom entitas sharedStrings", entity_bomb("xl/sharedStrings.xml"), REJECTED, ["xml-berbahaya"]),
    ("bom entitas lembar", entity_bomb(ISIAN_PART), REJECTED, ["xml-berbahaya"]),
    ("sel jauh di Isian", with_book(far_cell("Isian")), REJECTED, ["lembar-terlalu-besar"]),
    ("sel jauh di lembar lain", with_book(far_cell("Petunjuk")), USED, []),
    ("referensi kolom sangat panjang", far_reference, REJECTED, ["lembar-terlalu-besar"]),
    ("100.000 sel tanpa referensi", cells_without_reference, REJECTED, ["lembar-terlalu-besar"]),
    (
        "bom ODS sel berulang",
        ods_bomb,
        REJECTED,
        ["format-tidak-sesuai-nama", "lembar-terlalu-besar"],
    ),
    ("tahun lain", with_meta({"tahun": "2023"}), REJECTED, ["tahun-berbeda"]),
    ("wilayah lain", with_meta({"kode_wilayah": "32.04"}), REJECTED, ["wilayah-berbeda"]),
    (
        "versi template tak dikenal",
        with_meta({"format_template": "7"}),
        REJECTED,
        ["format-template-tidak-didukung"],
    ),
    ("_meta diubah", with_meta({"peran": "DINKES"}, rehash=False), REJECTED, ["template-diubah"]),
    ("_meta dihapus", with_book(delete_sheet(config.SHEET_META)), REJECTED, ["bukan-template"]),
    ("Isian dihapus", with_book(delete_sheet(config.SHEET_ANSWERS)), REJECTED, ["bukan-template"]),
    ("Isian diganti nama", with_book(rename_isian), REJECTED, ["bukan-template"]),
    ("kolom Kode dihapus", with_isian(delete_codes_column), REJECTED, ["header-tidak-ditemukan"]),
    ("kode ganda", with_isian(repeat_code), USED, ["kode-ganda", "tidak-ada-di-berkas"]),
    ("sel digabung", with_isian(merge_answers), USED, ["sel-digabung"]),
    ("rumus dengan nilai", cached_formula, USED, []),
    ("tautan eksternal", external_link, USED, ["tautan-eksternal"]),
    ("symlink ke luar", symlink_outside, REJECTED, ["tautan-simbolik"]),
    ("FIFO bernama xlsx", fifo, REJECTED, ["bukan-berkas-biasa"]),
]


def file_issues(output: RunOutput, name: str) -> list[tuple[str, str]]:
    rows = output.results.issues
    return [(str(r.code), str(r.message)) for r in rows[rows["file"] == name].itertuples()]


@pytest.mark.parametrize(
    ("make", "status", "codes"),
    [pytest.param(make, status, codes, id=case) for case, make, status, codes in CASES],
)
def test_hostile_file_beside_a_good_one(
    tmp_path: Path,
    template_paths: dict[str, Path],
    instrument: Instrument,
    region: Region,
    make: Maker,
    status: str,
    codes: list[str],
) -> None:
    start = time.perf_counter()
    output = consolidate_beside_good(tmp_path, template_paths, instrument, region, make)
    assert time.perf_counter() - start < 30  # the bombs too: checked, never inflated
    files = output.results.files.set_index("file")
    assert files.loc[HOSTILE, "status"] == status
    found = file_issues(output, HOSTILE)
    assert sorted({code for code, _ in found}) == sorted(codes)
    assert all(HOSTILE in message for _, message in found)
    if status == tables.FILE_REJECTED:
        assert files.loc[HOSTILE, "pesan"].startswith(HOSTILE)
    assert_good_consolidated(output, tmp_path / "outputs")


def test_bombs_are_refused_before_inflating(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    zip_bomb(tmp_path / "bom.xlsx", 2.0)
    forged_bomb(tmp_path / "palsu.xlsx", 256)
    for name in ("bom.xlsx", "palsu.xlsx"):
        start = time.perf_counter()
        result = read_submission(tmp_path / name, tmp_path, instrument, region)
        elapsed = time.perf_counter() - start
        assert [i["code"] for i in result.issues] == ["zip-berbahaya"], name
        assert elapsed < 5, f"{name}: {elapsed:.1f} s"


def test_cached_formula_and_external_link_values_are_used(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    for name, make in (("rumus.xlsx", cached_formula), ("tautan.xlsx", external_link)):
        make(tmp_path / name, template_paths)
        result = read_inputs(tmp_path, instrument, region, jobs=1)
        cells = result.cells.set_index("kode")
        assert cells.loc["I04-P1", "jawaban_mentah"] == 85.0
        (tmp_path / name).unlink()


def test_merged_answer_cells_are_located(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    with_isian(merge_answers)(tmp_path / HOSTILE, template_paths)
    result = read_inputs(tmp_path, instrument, region, jobs=1)
    merged = result.issues[result.issues["code"] == "sel-digabung"]
    assert [(r.sheet, r.cell, r.value) for r in merged.itertuples()] == [("Isian", "F7", "F7:F8")]


def test_symlinked_folder_is_not_followed(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    outside = tmp_path / "di luar"
    dukcapil(outside / "rahasia.xlsx", template_paths)
    inputs = tmp_path / "inputs"
    returned(template_paths["DINKES"], inputs / GOOD)
    (inputs / "tautan").symlink_to(outside, target_is_directory=True)
    result = read_inputs(inputs, instrument, region, jobs=1)
    assert dict(zip(result.files["file"], result.files["status"], strict=True)) == {
        GOOD: tables.FILE_USED,
        "tautan": tables.FILE_REJECTED,
    }
    assert list(result.issues["code"]) == ["tautan-simbolik"]
    assert set(result.cells["file"]) == {GOOD}


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file: see the test below")
def test_unreadable_file(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    def make(target: Path, templates: dict[str, Path]) -> None:
        dukcapil(target, templates).chmod(0)

    output = consolidate_beside_good(tmp_path, template_paths, instrument, region, make)
    assert [code for code, _ in file_issues(output, HOSTILE)] == ["berkas-tanpa-izin"]
    assert_good_consolidated(output, tmp_path / "outputs")


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to read as another user (nobody)")
def test_unreadable_file_for_another_user(
    template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    """As root, a forked child drops to uid 65534 and reads a mode-000 file beside a good one."""
    folder = Path(tempfile.mkdtemp(prefix="kla-izin-"))
    try:
        folder.chmod(0o755)
        returned(template_paths["DINKES"], folder / GOOD).chmod(0o644)
        dukcapil(folder / HOSTILE, template_paths).chmod(0)
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns into pytest
            try:
                os.close(read)
                os.setegid(65534)
                os.seteuid(65534)
                results = [
                    read_submission(folder / name, folder, instrument, region)
                    for name in (GOOD, HOSTILE)
                ]
                found = [(r.file["status"], [i["code"] for i in r.issues]) for r in results]
                os.write(write, json.dumps(found).encode())
            finally:
                os._exit(0)
        os.close(write)
        with os.fdopen(read, "rb") as handle:
            found = json.loads(handle.read() or b"null")
        os.waitpid(pid, 0)
    finally:
        shutil.rmtree(folder)
    assert found == [[tables.FILE_USED, []], [tables.FILE_REJECTED, ["berkas-tanpa-izin"]]]


def _keep_touching(path: Path, stop: Any) -> None:
    """Change the file's time as fast as possible until told to stop (a copy still in progress)."""
    tick = 1_700_000_000
    while not stop.is_set():
        tick += 1
        os.utime(path, ns=(tick * 10**9, tick * 10**9))


def test_file_changing_while_read(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    """A file touched again and again is rejected, never half-read.

    The toucher is another process (no GIL shared with the reader); a read that happened to fall
    between two touches is a whole, correct read, so the test reads until one read sees the change.
    """
    path = dukcapil(tmp_path / HOSTILE, template_paths)
    whole = read_submission(path, tmp_path, instrument, region)
    context = multiprocessing.get_context("fork")
    stop = context.Event()
    toucher = context.Process(target=_keep_touching, args=(path, stop))
    toucher.start()
    results = []
    try:
        for _ in range(50):
            results.append(read_submission(path, tmp_path, instrument, region))
            if results[-1].issues:
                break
    finally:
        stop.set()
        toucher.join()
    result = results[-1]
    assert all(r.cells == whole.cells for r in results[:-1])  # the others were whole reads
    assert [i["code"] for i in result.issues] == ["berkas-berubah-saat-dibaca"]
    assert (result.file["status"], result.cells) == (tables.FILE_REJECTED, [])
    assert HOSTILE in result.issues[0]["message"]


@pytest.mark.libreoffice
def test_xls_named_xlsx_is_read_by_content(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    work = tmp_path / "kerja"
    source = dukcapil(work / "dukcapil.xlsx", template_paths)
    done = soffice_convert(source, "xls", work)
    assert done.returncode == 0, done.stderr

    def make(target: Path, templates: dict[str, Path]) -> None:
        shutil.copyfile(work / "dukcapil.xls", target)

    output = consolidate_beside_good(tmp_path, template_paths, instrument, region, make)
    assert [code for code, _ in file_issues(output, HOSTILE)] == ["format-tidak-sesuai-nama"]
    assert "Excel 97-2003 .xls" in file_issues(output, HOSTILE)[0][1]
    scored = output.results.scored.set_index("kode")
    assert (scored.loc["I04-P4", "jawaban"], scored.loc["I04-P4", "sumber_file"]) == ("Ya", HOSTILE)
    assert scored.loc["I04-P1", "nilai_angka"] == 10.0
    assert_good_consolidated(output, tmp_path / "outputs")


def test_a_thousand_unrelated_spreadsheets_are_skipped_quickly(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    inputs = tmp_path / "inputs"
    returned(template_paths["DINKES"], inputs / GOOD)
    book = openpyxl.Workbook()
    book.active.append(["Nama", "Jumlah"])
    book.active.append(["Posyandu", 12])
    book.save(tmp_path / "rekap.xlsx")
    (inputs / "lain").mkdir()
    for number in range(1000):
        shutil.copyfile(tmp_path / "rekap.xlsx", inputs / "lain" / f"rekap {number:04}.xlsx")
    start = time.perf_counter()
    result = read_inputs(inputs, instrument, region, jobs=2)
    elapsed = time.perf_counter() - start
    print(f"\n1000 workbook lain dilewati dalam {elapsed:.2f} s")
    assert (result.files["status"] == tables.FILE_REJECTED).sum() == 1000
    assert set(result.issues["code"]) == {"bukan-template"}
    assert set(result.cells["file"]) == {GOOD}
