"""The national picture for `make bench`: 514 kab/kota workbooks across 38 provinces (not timed here).

Each workbook is a real consolidated workbook of the example province (contoh/provinsi/) whose hidden
summary is given another kab/kota's code, name and run time, byte for byte otherwise: the size and
the parts the province view reads are those of real workbooks.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from pipeline import config

KABKOTA = 514
PROVINCES = 38
FIRST_PROVINCE = 11
SHARED_STRINGS = "xl/sharedStrings.xml"
RUN_AT = dt.datetime(2024, 4, 1, 8, 0)


def codes(n: int = KABKOTA, provinces: int = PROVINCES) -> list[tuple[str, str]]:
    """(code, name) of n fictional kab/kota spread over the provinces (PP.KK)."""
    per, extra = divmod(n, provinces)
    found = []
    for index in range(provinces):
        province = FIRST_PROVINCE + index
        for number in range(1, per + (1 if index < extra else 0) + 1):
            code = f"{province:02d}.{number:02d}"
            found.append((code, f"Kabupaten Uji {code} (fiktif)"))
    return found


def source_workbooks() -> list[tuple[Path, str, str]]:
    """(path, code, name) of the example province's workbooks, their hidden summaries' region."""
    from pipeline.ingest.summary import read_summary_file

    found = []
    for path in sorted(config.EXAMPLE_PROVINCE_DIR.rglob("*.xlsx")):
        summary = read_summary_file(path, config.EXAMPLE_PROVINCE_DIR).summary
        if summary is not None:
            region = summary["wilayah"]
            found.append((path, str(region["kode"]), str(region["nama"])))
    return found


def renamed(data: bytes, old: tuple[str, str, str], new: tuple[str, str, str]) -> bytes:
    """The workbook with (code, name, run time) replaced in its shared strings (the hidden summary)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            part = source.read(item.filename)
            if item.filename == SHARED_STRINGS:
                text = part.decode("utf-8")
                for before, after in zip(old, new, strict=True):
                    text = text.replace(f'"{before}"', f'"{after}"')
                part = text.encode("utf-8")
            target.writestr(item, part)
    return buffer.getvalue()


def write_national(folder: Path, n: int = KABKOTA) -> Path:
    """n workbooks under folder/<province>/ and a national settings file; returns the settings."""
    sources = source_workbooks()
    blobs = {path: path.read_bytes() for path, _, _ in sources}
    generated = {path: _generated(path) for path, _, _ in sources}
    listed = codes(n)
    for index, (code, name) in enumerate(listed):
        path, old_code, old_name = sources[index % len(sources)]
        when = (RUN_AT + dt.timedelta(minutes=index)).isoformat()
        data = renamed(blobs[path], (old_code, old_name, generated[path]), (code, name, when))
        target = folder / code[:2] / f"Konsolidasi_KLA_{code.replace('.', '_')}_2024.xlsx"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    settings = folder.parent / "nasional.toml"
    settings.write_text(national_toml(listed), encoding="utf-8")
    return settings


def _generated(path: Path) -> str:
    from pipeline.ingest.summary import read_summary_file

    read = read_summary_file(path, path.parent)
    return read.generated


def national_toml(listed: list[tuple[str, str]]) -> str:
    head = [
        'nama = "Indonesia (uji, fiktif)"',
        'nama_singkat = "Nasional"',
        'kode_kemendagri = "00"',
        "tahun = 2024",
        'instrumen = "kla-2024.toml"',
        'nama_skpd = "Kementerian Uji (fiktif)"',
        "[narahubung]",
        'nama = "Uji"',
        'jabatan = "Uji"',
        'telepon = "0"',
        'email = "uji@example.go.id"',
    ]
    rows = [f'[[kabupaten_kota]]\nkode = "{code}"\nnama = "{name}"' for code, name in listed]
    return "\n".join(head) + "\n" + "\n".join(rows) + "\n"
