"""The hidden metadata that identifies a template: its values and their hashes (pure)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

from pipeline import config


def codes_hash(codes: Iterable[str]) -> str:
    """A short stable hash of a template's question codes (order-independent)."""
    joined = "\n".join(sorted(codes))
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


def meta_hash(meta: Mapping[str, str], keys: Iterable[str] = config.META_KEYS) -> str:
    """Hash over every metadata value except hash_meta itself, to detect edits."""
    body = "\n".join(f"{key}={meta.get(key, '')}" for key in keys if key != "hash_meta")
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]


def build_meta(
    *,
    instrument_id: str,
    instrument_hash: str,
    tahun: int,
    kode_wilayah: str,
    nama_wilayah: str,
    peran: str,
    peran_tercakup: Iterable[str],
    nama_opd: str,
    dibuat: str,
    codes: Iterable[str],
) -> dict[str, str]:
    """All metadata values of one template, as strings, signed with hash_meta."""
    meta = {
        "format_template": config.TEMPLATE_FORMAT,
        "instrumen_id": instrument_id,
        "instrumen_hash": instrument_hash,
        "tahun": str(tahun),
        "kode_wilayah": kode_wilayah,
        "nama_wilayah": nama_wilayah,
        "peran": peran,
        "peran_tercakup": ";".join(peran_tercakup),
        "nama_opd": nama_opd,
        "dibuat": dibuat,
        "hash_kode": codes_hash(codes),
    }
    meta["hash_meta"] = meta_hash(meta)
    return meta


def answer_fingerprint(kode: str, jawaban: str, data_dukung: str) -> str:
    """A short hash of the answer a verifier judges: its question, answer and Data Dukung text."""
    body = "\n".join((kode, " ".join(jawaban.split()), " ".join(data_dukung.split())))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]


def fingerprints_hash(fingerprints: Mapping[str, str]) -> str:
    """A short hash over every (kode, fingerprint) pair of a verification workbook."""
    body = "\n".join(f"{kode}={fingerprints[kode]}" for kode in sorted(fingerprints))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]


def units_hash(units: Iterable[tuple[str, str, str]]) -> str:
    """A short stable hash of a desa list: (kode, nama, jenis) rows, order-independent."""
    return codes_hash("|".join(row) for row in units)


def build_kecamatan_meta(
    *,
    instrument_id: str,
    instrument_hash: str,
    tahun: int,
    kode_wilayah: str,
    nama_wilayah: str,
    kode_kecamatan: str,
    nama_kecamatan: str,
    desa: Iterable[tuple[str, str, str]],
    codes: Iterable[str],
    dibuat: str,
) -> dict[str, str]:
    """All metadata values of one kecamatan workbook, signed with hash_meta."""
    meta = {
        config.META_KIND: config.KIND_KECAMATAN,
        "format_template": config.KECAMATAN_TEMPLATE_FORMAT,
        "instrumen_id": instrument_id,
        "instrumen_hash": instrument_hash,
        "tahun": str(tahun),
        "kode_wilayah": kode_wilayah,
        "nama_wilayah": nama_wilayah,
        "kode_kecamatan": kode_kecamatan,
        "nama_kecamatan": nama_kecamatan,
        "hash_desa": units_hash(desa),
        "hash_kode": codes_hash(codes),
        "dibuat": dibuat,
    }
    meta["hash_meta"] = meta_hash(meta, config.KECAMATAN_META_KEYS)
    return meta


def build_verification_meta(
    *,
    instrument_id: str,
    instrument_hash: str,
    tahun: int,
    kode_wilayah: str,
    nama_wilayah: str,
    klaster: str,
    putaran: int,
    dibuat: str,
    fingerprints: Mapping[str, str],
) -> dict[str, str]:
    """All key/value metadata of one verification workbook, signed with hash_meta."""
    meta = {
        "jenis": config.VERIFICATION_KIND,
        "format_verifikasi": config.VERIFICATION_FORMAT,
        "instrumen_id": instrument_id,
        "instrumen_hash": instrument_hash,
        "tahun": str(tahun),
        "kode_wilayah": kode_wilayah,
        "nama_wilayah": nama_wilayah,
        "klaster": klaster,
        "putaran": str(putaran),
        "dibuat": dibuat,
        "hash_sidik": fingerprints_hash(fingerprints),
    }
    meta["hash_meta"] = meta_hash(meta, config.VERIFICATION_META_KEYS)
    return meta
