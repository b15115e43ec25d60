"""The byte-level checks refuse what must never reach a parser, quickly and with bounded memory."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from pipeline.ingest.sniff import read_sniff
from tests.builders import BILLION_LAUGHS, zip_bomb


def _rewrite_member(source: Path, target: Path, member: str, data: bytes) -> Path:
    with (
        zipfile.ZipFile(source) as original,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy,
    ):
        for info in original.infolist():
            copy.writestr(info.filename, data if info.filename == member else original.read(info))
    return target


def test_template_itself_is_fine(template_paths: dict[str, Path]) -> None:
    result = read_sniff(template_paths["DINKES"])
    assert (result.kind, result.problem) == ("zip", "")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "kosong.xlsx"
    path.write_bytes(b"")
    assert read_sniff(path).problem == "berkas-kosong"


def test_truncated_zip(tmp_path: Path, template_paths: dict[str, Path]) -> None:
    data = template_paths["DINKES"].read_bytes()
    path = tmp_path / "terpotong.xlsx"
    path.write_bytes(data[: len(data) // 2])
    assert read_sniff(path).problem == "berkas-rusak"


@pytest.mark.parametrize(
    ("content", "kind"),
    [(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", "pdf"), (b"Kode;Jawaban\nI01-P1;Ya\n", "text")],
)
def test_non_workbook_renamed_xlsx(tmp_path: Path, content: bytes, kind: str) -> None:
    path = tmp_path / "isian.xlsx"
    path.write_bytes(content)
    result = read_sniff(path)
    assert (result.kind, result.problem) == (kind, "bukan-workbook-isi")


def test_encrypted_workbook_is_named(tmp_path: Path, template_paths: dict[str, Path]) -> None:
    out = io.BytesIO()
    with template_paths["DINKES"].open("rb") as handle:
        OOXMLFile(handle).encrypt("rahasia", out)
    path = tmp_path / "berpassword.xlsx"
    path.write_bytes(out.getvalue())
    assert read_sniff(path).problem == "berkas-berpassword"


def test_zip_bomb_rejected_quickly(tmp_path: Path) -> None:
    path = zip_bomb(tmp_path / "bom.xlsx")
    assert path.stat().st_size < 5 * 2**20
    start = time.perf_counter()
    result = read_sniff(path)
    assert result.problem == "zip-berbahaya"
    assert time.perf_counter() - start < 1.0  # central directory only, nothing inflated


@pytest.mark.parametrize("member", ["xl/sharedStrings.xml", "xl/worksheets/sheet3.xml"])
def test_entity_bomb_rejected(tmp_path: Path, template_paths: dict[str, Path], member: str) -> None:
    path = _rewrite_member(
        template_paths["DINKES"], tmp_path / "laughs.xlsx", member, BILLION_LAUGHS
    )
    result = read_sniff(path)
    assert (result.problem, result.detail) == ("xml-berbahaya", member)


def test_long_prolog_hiding_a_doctype(tmp_path: Path, template_paths: dict[str, Path]) -> None:
    padded = b'<?xml version="1.0"?>\n' + b"<!--" + b" " * 10_000 + b"-->" + BILLION_LAUGHS[22:]
    path = _rewrite_member(
        template_paths["DINKES"], tmp_path / "pad.xlsx", "xl/sharedStrings.xml", padded
    )
    assert read_sniff(path).problem == "xml-berbahaya"
