"""The province's machine-readable outputs: provinsi.csv and provinsi.json, written atomically."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline import __version__, config, tables
from pipeline.export import csv_safe
from pipeline.outfiles import write_csv_atomic, write_text_atomic
from pipeline.province.rank import ProvinceView

PROVINCE_FORMAT = "1"
JSON_DECIMALS = 2


def write_province_exports(view: ProvinceView, out_dir: Path) -> list[Path]:
    """Write provinsi.csv and provinsi.json into out_dir; return their paths."""
    out_dir = Path(out_dir)
    body = json.dumps(province_dict(view), ensure_ascii=False, indent=2) + "\n"
    return [
        write_csv_atomic(out_dir / config.OUT_PROVINCE_CSV, csv_safe(province_csv(view))),
        write_text_atomic(out_dir / config.OUT_PROVINCE_JSON, body),
    ]


def province_csv(view: ProvinceView) -> pd.DataFrame:
    """One row per listed kab/kota in ranking order, columns tables.PROVINCE."""
    frame = view.ranking.loc[:, list(tables.PROVINCE)].copy()
    for column in ("nilai_mandiri", "nilai_terverifikasi"):
        frame[column] = frame[column].astype(float).round(JSON_DECIMALS)
    return frame


def province_dict(view: ProvinceView) -> dict[str, Any]:
    """provinsi.json: the province, the ranking with each kab/kota's clusters and indicators, the
    category counts, and the files set aside or rejected."""
    province = view.province
    return {
        "format_provinsi": PROVINCE_FORMAT,
        "versi_alat": __version__,
        "dibuat": view.generated_at,
        "provinsi": {
            "kode": province.kode,
            "nama": province.nama,
            "nama_skpd": province.nama_skpd,
            "penanggung_jawab_bidang": province.narahubung.jabatan,
        },
        "tahun": province.tahun,
        "instrumen": {"id": view.instrument.id, "berkas": province.instrumen.name},
        "kabupaten_kota": [_kabkota(view, row) for row in view.ranking.to_dict("records")],
        "kategori": {
            str(row["kategori"]): {
                tables.BASE_SELF: int(row[tables.BASE_SELF]),
                tables.BASE_VERIFIED: int(row[tables.BASE_VERIFIED]),
            }
            for row in view.categories.to_dict("records")
        },
        "mencapai_ambang": {
            "ambang": _points(view.threshold),
            tables.BASE_SELF: int((view.sent["nilai_mandiri"] >= view.threshold).sum()),
            tables.BASE_VERIFIED: int((view.sent["nilai_terverifikasi"] >= view.threshold).sum()),
        },
        "berkas": [
            {"file": row["file"], "status": row["status"], "kode_wilayah": row["kode_wilayah"]}
            for row in view.files.to_dict("records")
            if row["status"] != tables.RESULT_USED
        ],
    }


def _kabkota(view: ProvinceView, row: dict[Any, Any]) -> dict[str, Any]:
    summary = view.used.get(row["kode_wilayah"])
    entry: dict[str, Any] = {
        "kode": row["kode_wilayah"],
        "nama": row["nama"],
        "status": row["status"],
        "peringkat": None if pd.isna(row["peringkat"]) else int(row["peringkat"]),
    }
    if summary is None:
        return entry
    return entry | {
        "dibuat": str(summary.get("dibuat", "")),
        "sumber": view.sources.get(row["kode_wilayah"], ""),
        "total": summary["total"],
        "kategori": {
            tables.BASE_SELF: row["kategori_mandiri"],
            tables.BASE_VERIFIED: row["kategori_terverifikasi"],
        },
        "klaster": summary["klaster"],
        "indikator": summary["indikator"],
    }


def _points(value: float) -> float:
    return round(float(value), JSON_DECIMALS) + 0.0
