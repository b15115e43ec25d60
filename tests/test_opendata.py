"""Open data: long-format CSV and CKAN package_create bodies, field by field, scores only."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from pipeline import config, tables
from pipeline.cli import main
from pipeline.consolidate import run, run_province
from pipeline.errors import KlaError
from pipeline.instrument import Instrument
from pipeline.opendata import EXTRA_KEYS, write_opendata
from pipeline.province.settings import read_province

NOW = dt.datetime(2024, 4, 20, 9, 0)
# CKAN's documented rules (ckan/logic/validators.py, package_create docs): a dataset name is
# 2-100 characters of lowercase letters, digits, '-' and '_'; a tag name is 2-100 characters of
# letters, digits, spaces, '-', '_' and '.'; extras are key/value string pairs.
CKAN_NAME = re.compile(r"^[a-z0-9_-]{2,100}$")
CKAN_TAG = re.compile(r"^[\w .-]{2,100}$")
PACKAGE_KEYS = ["name", "title", "notes", "license_id", "tags", "extras", "resources"]


def check_package(body: dict[str, Any]) -> list[str]:
    """Everything in a package_create body that CKAN would refuse (empty when none)."""
    problems = []
    if not CKAN_NAME.match(body["name"]):
        problems.append(f"name {body['name']!r}")
    for tag in body["tags"]:
        if set(tag) != {"name"} or not CKAN_TAG.match(tag["name"]):
            problems.append(f"tag {tag!r}")
    for extra in body["extras"]:
        if set(extra) != {"key", "value"} or not all(isinstance(v, str) for v in extra.values()):
            problems.append(f"extra {extra!r}")
        if extra["key"] in PACKAGE_KEYS:
            problems.append(f"extra key {extra['key']} is a core field")
    for resource in body["resources"]:
        if not resource.get("url") or not resource.get("name"):
            problems.append(f"resource {resource!r}")
    return problems


@pytest.fixture(scope="module")
def province_out(tmp_path_factory: pytest.TempPathFactory, instrument: Instrument) -> Path:
    out = tmp_path_factory.mktemp("provinsi")
    province = read_province(config.EXAMPLE_PROVINCE_FILE)
    run_province(config.EXAMPLE_PROVINCE_DIR, out, province, instrument, example=True, now=NOW)
    write_opendata(out)
    return out


def _files(folder: Path, suffix: str) -> list[Path]:
    return sorted(p for p in (folder / config.OPENDATA_DIR).iterdir() if p.name.endswith(suffix))


def test_province_opendata_files(province_out: Path) -> None:
    names = sorted(p.name for p in (province_out / config.OPENDATA_DIR).iterdir())
    assert names == [
        "kla-nilai-indikator-provinsi-nusa-harapan-fiktif-2024.csv",
        "kla-nilai-indikator-provinsi-nusa-harapan-fiktif-2024.package.json",
        "kla-nilai-klaster-provinsi-nusa-harapan-fiktif-2024.csv",
        "kla-nilai-klaster-provinsi-nusa-harapan-fiktif-2024.package.json",
        "metadata.xlsx",
        "selesai.json",
    ]


def test_indicator_csv_field_by_field(province_out: Path, instrument: Instrument) -> None:
    path = _files(province_out, ".csv")[0]
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert tuple(frame.columns) == tables.OPENDATA
    assert len(frame) == 9 * len(instrument.indicators) * 2  # 9 kab/kota sent results
    first = frame.iloc[0].to_dict()
    province = json.loads((province_out / config.OUT_PROVINCE_JSON).read_text(encoding="utf-8"))
    top = province["kabupaten_kota"][0]
    assert first == {
        "tahun": "2024",
        "kode_wilayah": top["kode"],
        "nama_wilayah": top["nama"],
        "level_wilayah": "kabupaten/kota",
        "klaster": "Kelembagaan",
        "kode_indikator": "I01",
        "indikator": instrument.indicators[0].nama,
        "nilai": f"{top['indikator']['I01']['mandiri']}",
        "nilai_maks": "96.0",
        "satuan": "poin",
        "status": "mandiri",
    }
    assert set(frame["status"]) == {"mandiri", "terverifikasi"}
    assert "99.08" not in set(frame["kode_wilayah"])  # sent nothing: no rows


def test_cluster_csv_totals_match_provinsi_json(province_out: Path) -> None:
    frame = pd.read_csv(
        _files(province_out, ".csv")[1], encoding="utf-8-sig", dtype={"kode_wilayah": str}
    )
    totals = frame[frame["kode_indikator"] == "TOTAL"].set_index(["kode_wilayah", "status"])[
        "nilai"
    ]
    province = json.loads((province_out / config.OUT_PROVINCE_JSON).read_text(encoding="utf-8"))
    for region in province["kabupaten_kota"]:
        if region["status"] == "mengirim":
            assert totals[(region["kode"], "terverifikasi")] == region["total"]["terverifikasi"]
            assert totals[(region["kode"], "mandiri")] == region["total"]["mandiri"]


def test_package_bodies_field_by_field(province_out: Path) -> None:
    for path in _files(province_out, ".package.json"):
        body = json.loads(path.read_text(encoding="utf-8"))
        assert list(body) == PACKAGE_KEYS
        assert check_package(body) == []
        assert body["name"] == path.name.removesuffix(".package.json")
        assert body["license_id"] == "cc-by"
        assert [e["key"] for e in body["extras"]] == list(EXTRA_KEYS)
        extras = {e["key"]: e["value"] for e in body["extras"]}
        assert extras["satuan"] == "poin"
        assert extras["level_wilayah"] == "kabupaten/kota"
        assert extras["nama_skpd"].startswith("Dinas Pemberdayaan Perempuan")
        assert "Pratama mulai 500" in extras["interpretasi"]
        assert "KLA mulai 901" in extras["interpretasi"]
        resource = body["resources"][0]
        assert (path.parent / resource["url"]).is_file() and resource["format"] == "CSV"


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        ("kla-nilai-2024", True),
        ("a", False),
        ("KLA", False),
        ("kla nilai", False),
        ("x" * 101, False),
    ],
)
def test_name_rule_used_in_tests(name: str, valid: bool) -> None:
    body = {"name": name, "tags": [], "extras": [], "resources": []}
    assert (check_package(body) == []) is valid


def test_scores_only_no_evidence_names_or_contacts(province_out: Path) -> None:
    text = "".join(p.read_text(encoding="utf-8-sig") for p in _files(province_out, ".csv"))
    text += "".join(p.read_text(encoding="utf-8") for p in _files(province_out, ".package.json"))
    for private in ("http", "@", "Narahubung", "0812", "Hesti", "-P1"):
        assert private not in text, private


def test_metadata_sheet(province_out: Path) -> None:
    book = openpyxl.load_workbook(province_out / config.OPENDATA_DIR / config.OUT_OPENDATA_METADATA)
    assert book.sheetnames == ["Metadata", "Kolom"]
    rows = list(book["Metadata"].iter_rows(min_row=2, values_only=True))
    keys = [key for dataset, key, _ in rows if dataset and "indikator" in dataset]
    assert keys == ["name", "title", "notes", "license_id", "tags", *EXTRA_KEYS, "resources"]
    columns = [row[0] for row in book["Kolom"].iter_rows(min_row=2, values_only=True)]
    assert tuple(columns) == tables.OPENDATA


def test_kabkota_opendata_from_make_consolidate(
    tmp_path: Path, instrument: Instrument, region: Any
) -> None:
    run(config.EXAMPLE_INPUTS_DIR, tmp_path, instrument, region, jobs=1, now=NOW)
    assert main(["opendata", "--outputs", str(tmp_path)]) == 0
    bodies = [json.loads(p.read_text(encoding="utf-8")) for p in _files(tmp_path, ".package.json")]
    assert [b["name"] for b in bodies] == [
        "kla-nilai-indikator-kabupaten-sukamaju-raya-fiktif-2024",
        "kla-nilai-klaster-kabupaten-sukamaju-raya-fiktif-2024",
    ]
    extras = {e["key"]: e["value"] for e in bodies[0]["extras"]}
    assert extras["nama_skpd"] == region.offices["DP3A"]
    assert extras["penanggung_jawab_bidang"] == region.koordinator.jabatan
    frame = pd.read_csv(_files(tmp_path, ".csv")[1], encoding="utf-8-sig", dtype=str)
    total = frame[(frame["kode_indikator"] == "TOTAL") & (frame["status"] == "mandiri")]
    summary = json.loads((tmp_path / config.OUT_SUMMARY).read_text(encoding="utf-8"))
    assert [float(v) for v in total["nilai"]] == [summary["total"]["mandiri"]]


def test_opendata_without_a_finished_run_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(KlaError, match="make consolidate"):
        write_opendata(tmp_path)
    assert main(["opendata", "--outputs", str(tmp_path)]) == 1
