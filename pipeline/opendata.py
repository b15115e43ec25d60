"""Open data (Satu Data Indonesia): the last run's scores in <outputs>/opendata/ as long-format CSV,
one CKAN package_create body per dataset, and a metadata workbook. Scores only: never data dukung,
people's names, contacts, or anything below the indicator level."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter

from pipeline import config, tables
from pipeline.audit import write_manifest
from pipeline.errors import KlaError
from pipeline.export import csv_safe
from pipeline.ingest.summary import read_summary_file
from pipeline.instrument import Instrument, read_instrument
from pipeline.outfiles import atomic_path, write_csv_atomic, write_text_atomic

LEVEL_KABKOTA = "kabupaten/kota"
UNIT = "poin"
LICENSE_ID = "cc-by"
TAGS = ("kla", "kabupaten-kota-layak-anak", "hak-anak", "perlindungan-anak")
CKAN_NAME = re.compile(r"^[a-z0-9_-]{2,100}$")
PACKAGE_SUFFIX = ".package.json"
TOTAL_CODE = "TOTAL"
JSON_DECIMALS = 2
LEVELS = {
    "indikator": ("indikator", config.COL_INDICATOR),
    "klaster": ("klaster dan total", "Klaster dan Total"),
}
# The SDI indicator metadata keys regional portals use, in this order, as CKAN extras.
EXTRA_KEYS = (
    "konsep",
    "definisi",
    "interpretasi",
    "rumus_perhitungan",
    "satuan",
    "ukuran",
    "klasifikasi",
    "periode_data",
    "sumber_data",
    "nama_skpd",
    "level_wilayah",
    "penanggung_jawab_bidang",
)


@dataclass(frozen=True)
class Source:
    """What the last run in the folder said: its regions' summaries and who publishes them."""

    kind: str  # "kabupaten/kota" (make consolidate) or "provinsi" (make provinsi)
    slug: str  # file-safe, CKAN-safe short name of the publishing region
    nama: str  # the publishing region's name
    tahun: int
    generated_at: str  # the run time of the results published
    nama_skpd: str
    penanggung_jawab_bidang: str
    instrument: Instrument
    regions: list[dict[str, Any]]  # each: kode, nama, klaster, indikator, total


def write_opendata(outputs_dir: Path) -> list[Path]:
    """Write <outputs_dir>/opendata/ from the last complete run; return the written paths."""
    source = read_source(Path(outputs_dir))
    folder = Path(outputs_dir) / config.OPENDATA_DIR
    datasets = (
        ("indikator", indicator_rows(source)),
        ("klaster", cluster_rows(source)),
    )
    written: list[Path] = []
    packages = []
    for topic, frame in datasets:
        name = dataset_name(topic, source)
        csv_path = write_csv_atomic(folder / f"{name}.csv", csv_safe(frame))
        body = package_body(topic, source, csv_path.name)
        text = json.dumps(body, ensure_ascii=False, indent=2) + "\n"
        written += [csv_path, write_text_atomic(folder / f"{name}{PACKAGE_SUFFIX}", text)]
        packages.append(body)
    written.append(write_metadata_workbook(folder / config.OUT_OPENDATA_METADATA, packages))
    written.append(write_manifest(folder, written, source.generated_at))
    return written


def read_source(outputs_dir: Path) -> Source:
    """The last complete run in the folder (selesai.json): a province run or a kab/kota run."""
    try:
        listed = json.loads((outputs_dir / config.OUT_MANIFEST).read_text(encoding="utf-8"))[
            "berkas"
        ]
    except (OSError, ValueError, KeyError, TypeError):
        raise KlaError(
            f"Belum ada hasil lengkap di {outputs_dir} ({config.OUT_MANIFEST} tidak ada). Jalankan "
            f"`make consolidate` atau `make provinsi` dengan OUTPUTS={outputs_dir} lebih dahulu."
        ) from None
    if config.OUT_PROVINCE_JSON in listed:
        return _province_source(outputs_dir / config.OUT_PROVINCE_JSON)
    reports = sorted(
        n for n in listed if n.startswith(config.OUT_REPORT_PREFIX) and n.endswith(".xlsx")
    )
    if not reports:
        raise KlaError(f"{config.OUT_MANIFEST} di {outputs_dir} tidak menyebut hasil KLA.")
    return _kabkota_source(outputs_dir, outputs_dir / reports[0])


def _province_source(path: Path) -> Source:
    body = json.loads(path.read_text(encoding="utf-8"))
    province = body["provinsi"]
    regions = [
        region
        for region in body["kabupaten_kota"]
        if region.get("status") == tables.KABKOTA_SENT and "indikator" in region
    ]
    return Source(
        kind="provinsi",
        slug=slug(province["nama"]),
        nama=province["nama"],
        tahun=int(body["tahun"]),
        generated_at=str(body.get("dibuat", "")),
        nama_skpd=province.get("nama_skpd", ""),
        penanggung_jawab_bidang=province.get("penanggung_jawab_bidang", ""),
        instrument=_instrument(body["instrumen"]),
        regions=regions,
    )


def _kabkota_source(outputs_dir: Path, report: Path) -> Source:
    read = read_summary_file(report, outputs_dir)
    if read.summary is None:
        detail = read.issues[0]["message"] if read.issues else report.name
        raise KlaError(f"Ringkasan di {report} tidak dapat dibaca: {detail}")
    summary = read.summary
    region = summary["wilayah"]
    publisher = summary.get("penerbit", {})
    return Source(
        kind=LEVEL_KABKOTA,
        slug=slug(region["nama"]),
        nama=region["nama"],
        tahun=int(summary["tahun"]),
        generated_at=str(summary.get("dibuat", "")),
        nama_skpd=publisher.get("nama_skpd", ""),
        penanggung_jawab_bidang=publisher.get("penanggung_jawab_bidang", ""),
        instrument=_instrument(summary.get("instrumen", {})),
        regions=[{"kode": region["kode"], "nama": region["nama"], **summary}],
    )


def _instrument(reference: Any) -> Instrument:
    """The instrument a result was scored with: schemas/<berkas>, else schemas/<id>.toml."""
    reference = reference if isinstance(reference, dict) else {"id": str(reference)}
    name = Path(str(reference.get("berkas") or f"{reference.get('id', '')}.toml")).name
    instrument = read_instrument(config.SCHEMAS_DIR / name)
    if reference.get("id") and reference["id"] != instrument.id:
        raise KlaError(
            f"Hasil dibuat dengan instrumen {reference['id']}, tetapi schemas/{name} berisi "
            f"{instrument.id}. Pulihkan berkas instrumen yang dipakai saat konsolidasi."
        )
    return instrument


def slug(text: str) -> str:
    """Lowercase ASCII letters, digits and '-' only ("Kabupaten Sukamaju Raya (fiktif)" ->
    "kabupaten-sukamaju-raya-fiktif")."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def dataset_name(topic: str, source: Source) -> str:
    """The CKAN name: kla-nilai-<topic>-<region>-<year>, cut to CKAN's 100 characters."""
    tail = f"-{source.tahun}"
    head = f"kla-nilai-{topic}-{source.slug}"[: 100 - len(tail)].rstrip("-")
    return head + tail


def indicator_rows(source: Source) -> pd.DataFrame:
    """tables.OPENDATA: each region x indicator x (mandiri, terverifikasi), in instrument order."""
    clusters = {c.kode: c.nama for c in source.instrument.clusters}
    rows = []
    for region in source.regions:
        for indicator in source.instrument.indicators:
            scores = region["indikator"].get(indicator.kode)
            if not isinstance(scores, dict):
                continue
            for status in (tables.BASE_SELF, tables.BASE_VERIFIED):
                rows.append(
                    _row(
                        source,
                        region,
                        clusters[indicator.klaster],
                        indicator.kode,
                        indicator.nama,
                        scores,
                        status,
                    )
                )
    return pd.DataFrame(rows, columns=list(tables.OPENDATA))


def cluster_rows(source: Source) -> pd.DataFrame:
    """tables.OPENDATA for each cluster and the total (kode_indikator = cluster code or TOTAL)."""
    rows = []
    for region in source.regions:
        for cluster in source.instrument.clusters:
            scores = region["klaster"].get(cluster.kode)
            if not isinstance(scores, dict):
                continue
            for status in (tables.BASE_SELF, tables.BASE_VERIFIED):
                rows.append(
                    _row(
                        source,
                        region,
                        cluster.nama,
                        cluster.kode,
                        f"Nilai klaster {cluster.nama}",
                        scores,
                        status,
                    )
                )
        for status in (tables.BASE_SELF, tables.BASE_VERIFIED):
            rows.append(
                _row(
                    source,
                    region,
                    "Semua klaster",
                    TOTAL_CODE,
                    "Nilai total KLA",
                    region["total"],
                    status,
                )
            )
    return pd.DataFrame(rows, columns=list(tables.OPENDATA))


def _row(
    source: Source,
    region: dict[str, Any],
    cluster: str,
    code: str,
    name: str,
    scores: dict[str, Any],
    status: str,
) -> dict[str, Any]:
    return {
        "tahun": source.tahun,
        "kode_wilayah": str(region["kode"]),
        "nama_wilayah": str(region["nama"]),
        "level_wilayah": LEVEL_KABKOTA,
        "klaster": cluster,
        "kode_indikator": code,
        "indikator": name,
        "nilai": round(float(scores[status]), JSON_DECIMALS),
        "nilai_maks": round(float(scores["maks"]), JSON_DECIMALS),
        "satuan": UNIT,
        "status": status,
    }


def package_body(topic: str, source: Source, csv_name: str) -> dict[str, Any]:
    """A CKAN package_create body: extras as key/value objects, tags as name objects."""
    instrument = source.instrument
    bands = "; ".join(
        f"{c.nama} mulai {c.minimum:g}"
        for c in sorted(instrument.categories, key=lambda c: c.minimum)
    )
    lowest = min((c.minimum for c in instrument.categories), default=0)
    level, title = LEVELS[topic]
    extras = {
        "konsep": "Evaluasi Kabupaten/Kota Layak Anak (KLA) menurut Perpres 25/2021 tentang Kebijakan KLA.",
        "definisi": f"Nilai evaluasi KLA per {level} tiap kabupaten/kota, dalam poin dari total "
        f"{instrument.nilai_total:g}; nilai mandiri (penilaian sendiri) dan nilai terverifikasi "
        "(hanya jawaban yang memiliki data dukung).",
        "interpretasi": f"Semakin tinggi semakin baik. Kategori menurut nilai total: {bands}; di "
        f"bawah {lowest:g} belum berpredikat.",
        "rumus_perhitungan": "Nilai total = jumlah nilai indikator Kelembagaan dan kelima klaster "
        "(termasuk KELANA/DEKELA); nilai indikator = jumlah nilai pertanyaannya.",
        "satuan": UNIT,
        "ukuran": "nilai",
        "klasifikasi": "Pemberdayaan Perempuan dan Perlindungan Anak",
        "periode_data": "tahunan",
        "sumber_data": f"Evaluasi mandiri KLA {source.tahun} ({instrument.nama}), direkap dengan KLA Konsolidasi.",
        "nama_skpd": source.nama_skpd,
        "level_wilayah": LEVEL_KABKOTA,
        "penanggung_jawab_bidang": source.penanggung_jawab_bidang,
    }
    return {
        "name": dataset_name(topic, source),
        "title": f"Nilai Evaluasi KLA per {title} {source.nama} {source.tahun}",
        "notes": f"Nilai evaluasi Kabupaten/Kota Layak Anak (KLA) {source.tahun} per {level}, "
        f"{source.nama}, dalam format panjang: satu baris per kabupaten/kota, baris nilai dan "
        "status (mandiri/terverifikasi). Hanya nilai yang diterbitkan: tanpa data dukung, nama "
        "narahubung, kontak, atau jawaban per pertanyaan.",
        "license_id": LICENSE_ID,
        "tags": [{"name": tag} for tag in TAGS],
        "extras": [{"key": key, "value": str(extras[key])} for key in EXTRA_KEYS],
        "resources": [
            dict(  # CKAN resource fields (keywords: "url" is not the data dukung kind)
                name=csv_name,
                url=csv_name,
                format="CSV",
                mimetype="text/csv",
                description=f"Nilai KLA {source.tahun} per {level} (CSV UTF-8, koma).",
            )
        ],
    }


def write_metadata_workbook(path: Path, packages: list[dict[str, Any]]) -> Path:
    """metadata.xlsx: one row per dataset x metadata field, and the CSV columns explained."""
    with atomic_path(path) as tmp:
        workbook = xlsxwriter.Workbook(str(tmp), config.XLSXWRITER_OPTIONS)
        bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        wrap = workbook.add_format({"text_wrap": True, "valign": "top", "border": 1})
        sheet = workbook.add_worksheet(config.SHEET_OPENDATA_DATASETS)
        for col, header in enumerate(("dataset", "kolom metadata", "isi")):
            sheet.write_string(0, col, header, bold)
        row = 0
        for body in packages:
            fields = [
                ("name", body["name"]),
                ("title", body["title"]),
                ("notes", body["notes"]),
                ("license_id", body["license_id"]),
                ("tags", ", ".join(t["name"] for t in body["tags"])),
                *((e["key"], e["value"]) for e in body["extras"]),
                ("resources", ", ".join(r["name"] for r in body["resources"])),
            ]
            for key, value in fields:
                row += 1
                for col, text in enumerate((body["name"], key, value)):
                    sheet.write_string(row, col, str(text), wrap)
        sheet.set_column(0, 0, 44)
        sheet.set_column(1, 1, 24)
        sheet.set_column(2, 2, 90)
        columns = workbook.add_worksheet(config.SHEET_OPENDATA_COLUMNS)
        for col, header in enumerate(("kolom", "isi")):
            columns.write_string(0, col, header, bold)
        for index, (name, text) in enumerate(COLUMN_NOTES, start=1):
            columns.write_string(index, 0, name, wrap)
            columns.write_string(index, 1, text, wrap)
        columns.set_column(0, 0, 18)
        columns.set_column(1, 1, 90)
        workbook.close()
    return path


COLUMN_NOTES = (
    ("tahun", "tahun evaluasi"),
    ("kode_wilayah", "kode Kemendagri kabupaten/kota (PP.KK)"),
    ("nama_wilayah", "nama kabupaten/kota"),
    ("level_wilayah", "kabupaten/kota"),
    (
        "klaster",
        "nama klaster (Kelembagaan, Klaster I-V, KELANA/DEKELA); 'Semua klaster' untuk total",
    ),
    (
        "kode_indikator",
        "kode indikator instrumen; kode klaster (KL, K1 ...) atau TOTAL di berkas klaster",
    ),
    ("indikator", "nama indikator"),
    ("nilai", "nilai dalam poin, 2 desimal"),
    ("nilai_maks", "nilai maksimum dalam poin"),
    ("satuan", "poin"),
    ("status", "mandiri (penilaian sendiri) atau terverifikasi (hanya jawaban dengan data dukung)"),
)
