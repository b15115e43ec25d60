"""The coordinator's send list: feedback file, contact, WhatsApp link, late offices; and the screen."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from pipeline import config, tables
from pipeline.consolidate import run
from pipeline.instrument import Instrument
from pipeline.region import Region
from pipeline.screen import summary_lines
from pipeline.sendlist import is_late, mobile_link
from tests.builders import CONTACT, returned


@pytest.mark.parametrize(
    ("phone", "link"),
    [
        ("0812-1037-7259", "https://wa.me/6281210377259"),
        ("+62 812 1037 7259", "https://wa.me/6281210377259"),
        ("62.812.1037.7259", "https://wa.me/6281210377259"),
        ("81210377259", "https://wa.me/6281210377259"),  # lost its leading zero in a number cell
        ("(021) 555-1234", ""),  # landline: no WhatsApp
        ("0812", ""),
        ("budi@example.go.id", ""),
        ("", ""),
    ],
)
def test_mobile_link(phone: str, link: str) -> None:
    assert mobile_link(phone) == link


@pytest.mark.parametrize(
    ("saved", "late"),
    [
        ("2024-03-29T16:59:00+00:00", False),  # 23.59 WIB on the last day
        ("2024-03-29T17:00:00+00:00", True),  # 00.00 WIB the next day
        ("2024-03-30T06:00:00+07:00", True),
        ("2024-03-29T23:00:00", True),  # no zone: UTC, 06.00 WIB on the 30th
        ("", False),
        ("bukan waktu", False),
    ],
)
def test_late_against_the_deadline_in_local_time(saved: str, late: bool, region: Region) -> None:
    assert region.batas_pengumpulan.isoformat() == "2024-03-29"
    assert is_late(saved, region) is late


@pytest.fixture(scope="module")
def output(
    tmp_path_factory: pytest.TempPathFactory,
    template_paths: dict[str, Path],
    instrument: Instrument,
    region: Region,
) -> tuple[Path, list[str]]:
    """DINKES on time with a problem, DUKCAPIL late without a mobile number, the rest not sent."""
    folder = tmp_path_factory.mktemp("kirim")
    inputs = folder / "inputs"
    returned(template_paths["DINKES"], inputs / "dinkes.xlsx", saved="2024-03-20T02:00:00Z")
    landline = {**CONTACT, config.ID_CONTACT_PHONE: "(022) 555-0101"}
    returned(
        template_paths["DUKCAPIL"],
        inputs / "dukcapil.xlsx",
        answers={},
        identity=landline,
        saved="2024-04-02T03:30:00Z",
    )
    outputs = folder / "outputs"
    result = run(inputs, outputs, instrument, region, jobs=1)
    return outputs, summary_lines(result, outputs)


def _rows(outputs: Path) -> dict[str, dict[str, object]]:
    sheet = openpyxl.load_workbook(outputs / config.SEND_LIST_XLSX)[config.SEND_LIST_SHEET]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert rows[0] == tuple(tables.SEND_LIST_HEADERS[c] for c in tables.SEND_LIST)
    return {str(r[0]): dict(zip(tables.SEND_LIST, r, strict=True)) for r in rows[1:]}


def test_send_list_says_what_to_do_per_office(output: tuple[Path, list[str]]) -> None:
    outputs, _ = output
    rows = _rows(outputs)
    counts = json.loads((outputs / config.OUT_SUMMARY).read_text(encoding="utf-8"))["kelengkapan"]
    assert len(rows) == counts["opd_diharapkan"]  # one row per expected office
    dinkes, dukcapil, disdik = rows["DINKES"], rows["DUKCAPIL"], rows["DISDIK"]
    assert dinkes["tindakan"] == tables.ACTION_FEEDBACK
    assert dinkes["berkas_umpan_balik"] == "umpan_balik/" + next(
        p.name for p in (outputs / "umpan_balik").glob("DINKES_*.xlsx")
    )
    assert (dinkes["narahubung_telepon"], dinkes["tautan_wa"]) == (
        "0812-1111-2222",
        "https://wa.me/6281211112222",
    )
    assert (dinkes["terlambat"], dinkes["disimpan"]) == ("", "20-03-2024 09.00 WIB")
    assert (dukcapil["terlambat"], dukcapil["tautan_wa"]) == (tables.LATE_YES, "")
    assert disdik["tindakan"] == tables.ACTION_REMIND
    senders = ("DINKES", "DUKCAPIL")
    assert list(rows)[: len(rows) - 2] == sorted(r for r in rows if r not in senders)


def test_whatsapp_links_are_links_and_text_stays_text(output: tuple[Path, list[str]]) -> None:
    outputs, _ = output
    sheet = openpyxl.load_workbook(outputs / config.SEND_LIST_XLSX)[config.SEND_LIST_SHEET]
    links = {cell.hyperlink.target for row in sheet.iter_rows() for cell in row if cell.hyperlink}
    assert links == {"https://wa.me/6281211112222"}
    assert all(c.data_type == "s" for row in sheet.iter_rows(min_row=4) for c in row if c.value)
    csv_text = (outputs / config.SEND_LIST_CSV).read_text(encoding="utf-8-sig")
    assert csv_text.splitlines()[0] == ",".join(tables.SEND_LIST)
    assert "https://wa.me/6281211112222" in csv_text


def test_screen_lists_every_non_sender_and_the_late(
    output: tuple[Path, list[str]], region: Region
) -> None:
    outputs, lines = output
    counts = json.loads((outputs / config.OUT_SUMMARY).read_text(encoding="utf-8"))["kelengkapan"]
    missing = counts["opd_diharapkan"] - counts["opd_mengirim"]
    start = lines.index(f"  OPD belum mengirim ({missing}):")
    listed = lines[start + 1 : start + 1 + missing]
    assert all(line.startswith("    - ") for line in listed)
    assert region.offices["SATPOLPP"] in {line[6:] for line in listed}
    late = lines.index("  Terlambat (disimpan setelah batas 29 Maret 2024) (1):")
    assert lines[late + 1] == f"    - {region.offices['DUKCAPIL']}: 02-04-2024 10.30 WIB"
    assert f"{outputs / config.SEND_LIST_XLSX}." in lines[-2]


def test_folder_without_workbooks_says_nothing_was_read(
    tmp_path: Path, instrument: Instrument, region: Region
) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "Surat Pengantar.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    result = run(inputs, tmp_path / "outputs", instrument, region, jobs=1)
    lines = summary_lines(result, tmp_path / "outputs")
    assert (
        "  Tidak ada berkas isian OPD yang terbaca. Yang ditemukan di folder isian (1): "
        "Surat Pengantar.pdf (bukan berkas isian)."
    ) in lines
    assert f"  OPD belum mengirim ({len(result.results.completeness)}):" in lines
