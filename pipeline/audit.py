"""The audit trail: an append-only run history and a manifest that marks a complete set of outputs.

`riwayat.jsonl` gets one JSON line per run (appended, never rewritten). `selesai.json` is removed when a
run starts writing and written last, listing every output with its SHA-256: outputs without a matching
manifest are from an interrupted run.
"""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline import __version__, config, tables
from pipeline.outfiles import file_sha256, write_text_atomic
from pipeline.owned import Owned, start_owned
from pipeline.words import round_half_up

if TYPE_CHECKING:
    from pipeline.province.rank import ProvinceView


def start_outputs(outputs_dir: Path) -> Owned:
    """Mark the outputs as being rewritten: remove the manifest of the previous complete run.

    What that manifest listed is first saved as the files the tool owns (owned.py); temporary files
    a killed run left for them (`.name.XXXXXXXX.ext.tmp`, see outfiles.py) are removed, no others.
    """
    owned = start_owned(outputs_dir, config.OUT_MANIFEST)
    (outputs_dir / config.OUT_MANIFEST).unlink(missing_ok=True)
    return owned


def run_record(results: tables.Results) -> dict[str, Any]:
    """One history record: when, tool version, instrument, each input file, the totals."""
    files = results.files
    return {
        "waktu": results.generated_at,
        "versi_alat": __version__,
        "instrumen": {"id": results.instrument.id, "hash": results.instrument.content_hash},
        "wilayah": {"kode": results.region.kode, "nama": results.region.nama},
        "tahun": results.region.tahun,
        "contoh": results.example,
        "berkas": [
            {
                "file": str(row.file),
                "sha256": str(row.sha256),
                "opd": str(row.peran),
                "status": str(row.status),
            }
            for row in files.itertuples(index=False)
        ],
        "total": {
            tables.BASE_SELF: round_half_up(results.mandiri.nilai),
            tables.BASE_VERIFIED: round_half_up(results.terverifikasi.nilai),
        },
        "kategori": {
            tables.BASE_SELF: results.mandiri.kategori,
            tables.BASE_VERIFIED: results.terverifikasi.kategori,
        },
        "masalah": {
            tables.SEVERITY_ERROR: int((results.issues["severity"] == tables.SEVERITY_ERROR).sum()),
            tables.SEVERITY_WARNING: int(
                (results.issues["severity"] == tables.SEVERITY_WARNING).sum()
            ),
        },
    }


def append_history(outputs_dir: Path, record: dict[str, Any]) -> Path:
    """Append one line to riwayat.jsonl in a single write, then fsync: earlier lines are never touched.

    A last line cut by a crash is closed with a newline first, so it never swallows this record.
    """
    path = outputs_dir / config.OUT_HISTORY
    line = json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n"
    if _ends_without_newline(path):
        line = "\n" + line
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
    try:
        _write_all(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    return path


def _write_all(fd: int, data: bytes) -> None:
    """Write every byte or raise: a short write (disk full, file-size limit) is an error."""
    while data:
        written = os.write(fd, data)
        if written <= 0:
            raise OSError(errno.ENOSPC, "riwayat.jsonl terpotong", config.OUT_HISTORY)
        data = data[written:]


def _ends_without_newline(path: Path) -> bool:
    """True when the history's last line was cut (a crash in the middle of a write)."""
    if not path.exists() or path.stat().st_size == 0:
        return False
    with path.open("rb") as handle:
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) != b"\n"


def read_history(outputs_dir: Path) -> list[dict[str, Any]]:
    """Every complete record of riwayat.jsonl (a line cut by a crash is skipped)."""
    path = outputs_dir / config.OUT_HISTORY
    if not path.exists():
        return []
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return records


def write_manifest(outputs_dir: Path, paths: list[Path], generated_at: str) -> Path:
    """Written last: the list of this run's outputs with their SHA-256."""
    entries = {
        path.relative_to(outputs_dir).as_posix(): file_sha256(path) for path in sorted(paths)
    }
    body = {"waktu": generated_at, "versi_alat": __version__, "berkas": entries}
    return write_text_atomic(
        outputs_dir / config.OUT_MANIFEST,
        json.dumps(body, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
    )


def outputs_complete(outputs_dir: Path) -> bool:
    """True when the manifest exists and every file it lists has the listed SHA-256."""
    path = outputs_dir / config.OUT_MANIFEST
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))["berkas"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return bool(entries) and all(
        (outputs_dir / name).exists() and file_sha256(outputs_dir / name) == digest
        for name, digest in entries.items()
    )


def province_record(view: ProvinceView) -> dict[str, Any]:
    """One history record of a province run: when, which results, how many problems."""
    return {
        "jenis": "provinsi",
        "waktu": view.generated_at,
        "versi_alat": __version__,
        "provinsi": {"kode": view.province.kode, "nama": view.province.nama},
        "tahun": view.province.tahun,
        "contoh": view.example,
        "berkas": [
            {
                "file": str(row.file),
                "kode_wilayah": str(row.kode_wilayah),
                "dibuat": str(row.dibuat),
                "status": str(row.status),
            }
            for row in view.files.itertuples(index=False)
        ],
        "masalah": {
            tables.SEVERITY_ERROR: int((view.issues["severity"] == tables.SEVERITY_ERROR).sum()),
            tables.SEVERITY_WARNING: int(
                (view.issues["severity"] == tables.SEVERITY_WARNING).sum()
            ),
        },
    }
