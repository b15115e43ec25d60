"""Builders shared by the tests: returned workbooks, hostile files, frames. No test module imports another."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import math
import shutil
import subprocess
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from msoffcrypto.format.ooxml import OOXMLFile

from pipeline import audit, config, tables
from pipeline.consolidate import RunOutput, run
from pipeline.ingest.files import Ingested
from pipeline.instrument import Instrument, Question, read_instrument
from pipeline.merge import merge_answers
from pipeline.metadata import meta_hash
from pipeline.region import Region, read_region
from tools.fill import Filled, fill_template
from tools.fill_verification import verification_columns

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def soffice_convert(
    source: Path, target_format: str, out_dir: Path
) -> subprocess.CompletedProcess[str]:
    """Convert with LibreOffice headless, in a private profile; skip the test when it is missing."""
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) tidak terpasang; .ci/run memasangnya di CI")
    profile = out_dir / "_lo_profile"
    return subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            target_format,
            "--outdir",
            str(out_dir),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


NOW = dt.datetime(2024, 5, 1, 9, 0)


GOOD = "dinkes.xlsx"


HOSTILE = "kiriman.xlsx"


# DUKCAPIL questions: I04-P1 (persen) at row 7, I04-P4 (Ya/Tidak) at row 10.
DUKCAPIL_ANSWERS = {
    "I04-P1": Filled(10, "https://drive.example.go.id/akta", None),
    "I04-P4": Filled("Ya", "SK Kadis Dukcapil No. 7/2024"),
}


Maker = Callable[[Path, dict[str, Path]], None]


def dukcapil(target: Path, templates: dict[str, Path]) -> Path:
    """A correctly filled DUKCAPIL workbook (another office than the good DINKES one)."""
    return returned(templates["DUKCAPIL"], target, DUKCAPIL_ANSWERS)


def rewrite_member(path: Path, member: str, edit: Callable[[bytes], bytes]) -> None:
    """Rewrite one zip member of `path` in place through `edit`; other members copied as they are."""
    with zipfile.ZipFile(path) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            archive.writestr(info, edit(data) if info.filename == member else data)


def add_member(path: Path, member: str, data: bytes) -> None:
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, data)


def encrypted(target: Path, templates: dict[str, Path]) -> None:
    source = dukcapil(target.with_suffix(".asli"), templates)
    out = io.BytesIO()
    with source.open("rb") as handle:
        OOXMLFile(handle).encrypt("rahasia", out)
    source.unlink()
    target.write_bytes(out.getvalue())


def truncated(target: Path, templates: dict[str, Path]) -> None:
    data = dukcapil(target, templates).read_bytes()
    target.write_bytes(data[: len(data) // 2])


def entity_bomb(member: str) -> Maker:
    def make(target: Path, templates: dict[str, Path]) -> None:
        path = dukcapil(target, templates)
        with zipfile.ZipFile(path) as archive:
            present = member in archive.namelist()
        if present:
            rewrite_member(path, member, lambda _: BILLION_LAUGHS)
        else:  # openpyxl wrote no shared strings: a hostile file simply adds the part
            add_member(path, member, BILLION_LAUGHS)

    return make


def consolidate_beside_good(
    tmp_path: Path,
    templates: dict[str, Path],
    instrument: Instrument,
    region: Region,
    make: Maker,
    name: str = HOSTILE,
) -> RunOutput:
    """A good DINKES workbook plus one file made by `make`, consolidated with the whole pipeline."""
    inputs = tmp_path / "inputs"
    returned(templates["DINKES"], inputs / GOOD)
    make(inputs / name, templates)
    return run(inputs, tmp_path / "outputs", instrument, region, jobs=1, now=NOW)


def assert_good_consolidated(output: RunOutput, outputs: Path) -> None:
    """The DINKES answers reached the scored frame and the outputs are a complete set."""
    files = output.results.files.set_index("file")
    assert files.loc[GOOD, "status"] == tables.FILE_USED
    scored = output.results.scored.set_index("kode")
    assert (scored.loc["I12-P6", "jawaban"], scored.loc["I12-P6", "sumber_file"]) == ("Ya", GOOD)
    assert scored.loc["I12-P1", "nilai_angka"] == 92.5
    assert audit.outputs_complete(outputs)


CONTACT = {
    config.ID_CONTACT_NAME: "Budi Santoso",
    config.ID_CONTACT_TITLE: "Kasubag Program",
    config.ID_CONTACT_PHONE: "0812-1111-2222",
    config.ID_CONTACT_EMAIL: "budi@example.go.id",
}


DINKES_ANSWERS = {
    "I03-P1d": Filled("Sebagian besar", "https://drive.example.go.id/a", None),
    "I12-P1": Filled(92.5, "Laporan cakupan imunisasi 2023, arsip Dinkes", "data 2023"),
    "I12-P4": Filled(14, "https://drive.example.go.id/b"),
    "I12-P6": Filled("Ya", "SK Kepala Dinas No. 4/2023"),
}


def returned(
    template: Path,
    target: Path,
    answers: Mapping[str, Filled] = DINKES_ANSWERS,
    identity: Mapping[str, Any] | None = None,
    saved: str | None = None,
) -> Path:
    """A workbook as an office returns it: the real template filled with openpyxl."""
    fill_template(template, target, answers, CONTACT if identity is None else identity)
    if saved:
        set_saved_time(target, saved)
    return target


def set_saved_time(path: Path, saved: str) -> None:
    """Rewrite docProps/core.xml's dcterms:modified (openpyxl always stamps the current time)."""
    with zipfile.ZipFile(path) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            if info.filename == "docProps/core.xml":
                text = data.decode()
                start = text.index("<dcterms:modified")
                end = text.index("</dcterms:modified>")
                data = (
                    text[:start]
                    + f'<dcterms:modified xsi:type="dcterms:W3CDTF">{saved}'
                    + text[end:]
                ).encode()
            archive.writestr(info, data)


def edit_meta(path: Path, changes: Mapping[str, str], rehash: bool = True) -> None:
    """Change _meta values (as a copied or forged template would), optionally re-signing them."""
    book = openpyxl.load_workbook(path)
    sheet = book[config.SHEET_META]
    rows = {sheet.cell(r, 1).value: r for r in range(1, sheet.max_row + 1)}
    for key, value in changes.items():
        sheet.cell(rows[key], 2).value = value
    if rehash:
        meta = {str(sheet.cell(r, 1).value): str(sheet.cell(r, 2).value) for r in rows.values()}
        sheet.cell(rows["hash_meta"], 2).value = meta_hash(meta)
    book.save(path)


def edit_isian(path: Path, edit: Any) -> None:
    book = openpyxl.load_workbook(path)
    edit(book[config.SHEET_ANSWERS])
    book.save(path)


SAVED = "2024-03-01T10:00:00"


def answer_row(
    kode: str,
    jawaban: str,
    *,
    file: str = "dp3a.xlsx",
    row: int = 10,
    peran: str = "DP3A",
    data_dukung: str = "https://drive.example/sk.pdf",
    status: str = "dijawab",
    diterima: bool = True,
    nilai_angka: float = math.nan,
) -> dict[str, object]:
    """One tables.ANSWERS row as ingest/validate would produce it."""
    return {
        "file": file,
        "sheet": "Isian",
        "row": row,
        "kode": kode,
        "peran": peran,
        "jawaban_mentah": jawaban,
        "data_dukung_mentah": data_dukung,
        "keterangan_mentah": "",
        "jawaban_sel": f"F{row}",
        "data_dukung_sel": f"G{row}",
        "keterangan_sel": f"H{row}",
        "file_sha256": f"sha-{file}",
        "disimpan": SAVED,
        "jawaban": jawaban if diterima else "",
        "nilai_angka": nilai_angka,
        "data_dukung": data_dukung,
        "data_dukung_jenis": "url" if data_dukung.startswith("http") else "referensi",
        "keterangan": "",
        "diterima": diterima,
        "status_jawaban": status,
    }


def file_row(
    file: str,
    peran: str,
    *,
    status: str = tables.FILE_USED,
    disimpan: str = SAVED,
    narahubung: str = "Budi Santoso",
) -> dict[str, object]:
    """One tables.FILES row."""
    return {
        "file": file,
        "sha256": f"sha-{file}",
        "ukuran": 1000,
        "status": status,
        "peran": peran,
        "nama_opd": peran,
        "format_template": "1",
        "disimpan": disimpan,
        "diubah": disimpan,
        "narahubung_nama": narahubung,
        "narahubung_jabatan": "Kasi",
        "narahubung_telepon": "0812-1111-2222",
        "narahubung_email": "budi@example.go.id",
        "tanggal_pengisian": "2024-03-01",
        "pesan": "",
    }


def issue_row(file: str, kode: str, cell: str, message: str, severity: str = "galat") -> dict:
    """One tables.ISSUES row."""
    return {
        "severity": severity,
        "code": "nilai-tidak-dikenal",
        "file": file,
        "sheet": "Isian",
        "cell": cell,
        "kode": kode,
        "value": "zz",
        "message": message,
    }


def frame(rows: list[dict], columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(columns))


def merged(
    instrument: Instrument,
    region: Region,
    answers: list[dict],
    files: list[dict],
    issues: list[dict] | None = None,
) -> pd.DataFrame:
    return merge_answers(
        instrument,
        region,
        frame(answers, tables.ANSWERS),
        frame(files, tables.FILES),
        frame(issues or [], tables.ISSUES),
    )


def make_inputs(folder: Path, templates: dict[str, Path], with_dukcapil: bool = True) -> Path:
    """Two good workbooks, a superseded copy, hostile files and a note, in nested folders."""
    returned(templates["DINKES"], folder / "dinkes.xlsx")
    returned(
        templates["DINKES"], folder / "lama" / "dinkes lama.xlsx", saved="2024-01-01T00:00:00Z"
    )
    if with_dukcapil:
        returned(templates["DUKCAPIL"], folder / "dukcapil" / "isian.xlsx", DUKCAPIL_ANSWERS)
    truncated(folder / "rusak.xlsx", templates)
    encrypted(folder / "berpassword.xlsx", templates)
    entity_bomb("xl/sharedStrings.xml")(folder / "bom.xlsx", templates)
    (folder / "catatan.txt").write_text("kiriman lewat WhatsApp\n")
    return folder


URL = "https://drive.example/bukti.pdf"


LEVEL_TYPES = ("ya_tidak", "regulasi", "tingkat")


# One drawn answer for any question: (index, scale level, percent, count, data dukung, status).
ANSWER = st.tuples(
    st.integers(0, 273),
    st.integers(0, 4),
    st.floats(0, 100, allow_nan=False),
    st.integers(0, 60),
    st.sampled_from([URL, "-", "", "nihil", "SK Bupati 5/2023"]),
    st.sampled_from(["dijawab", "dijawab", "belum dijawab", "ditolak"]),
)


HYPOTHESIS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def all_offices_sent(instrument: Instrument, region: Region) -> list[dict]:
    offices = sorted({region.office_role(q.opd_utama) for q in instrument.questions})
    return [file_row(f"{office.lower()}.xlsx", office) for office in offices]


def regional_with(
    instrument: Instrument,
    region: Region,
    given_answers: dict[str, tuple[str, str, str]],
    files: list[dict] | None = None,
) -> pd.DataFrame:
    """Merge answers {kode: (jawaban, data dukung, status)} through the real merge."""
    rows = []
    for number, (kode, (jawaban, evidence, status)) in enumerate(given_answers.items()):
        question = instrument.question(kode)
        office = region.office_role(question.opd_utama)
        numeric = question.jenis in ("persen", "jumlah") and jawaban != ""
        rows.append(
            answer_row(
                kode,
                jawaban,
                file=f"{office.lower()}.xlsx",
                row=10 + number,
                peran=office,
                data_dukung=evidence,
                status=status,
                diterima=status != "ditolak",
                nilai_angka=float(jawaban) if numeric else math.nan,
            )
        )
    sent = all_offices_sent(instrument, region) if files is None else files
    return merged(instrument, region, rows, sent)


def draw_answer(question: Question, instrument: Instrument, draw: tuple) -> tuple[str, str, str]:
    _, level, percent, count, evidence, status = draw
    if question.jenis in LEVEL_TYPES:
        labels = instrument.scales[question.jenis].labels
        jawaban = labels[level % len(labels)]
    elif question.jenis == "persen":
        jawaban = f"{percent:g}"
    else:
        jawaban = str(count)
    return (jawaban if status != "ditolak" else "", evidence, status)


def drawn_answers(instrument: Instrument, draws: list[tuple]) -> dict[str, tuple[str, str, str]]:
    chosen = {}
    for draw in draws:
        question = instrument.questions[draw[0] % len(instrument.questions)]
        chosen[question.kode] = draw_answer(question, instrument, draw)
    return chosen


BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b']>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1">'
    + b"<si><t>&lol9;</t></si></sst>"
)


def zip_bomb(target: Path, gigabytes: float = 1.0) -> Path:
    """A tiny zip whose one member inflates to `gigabytes` of zeros (streamed: little memory)."""
    chunk = b"\0" * 2**24
    with (
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as handle,
    ):
        for _ in range(int(gigabytes * 2**30 / len(chunk))):
            handle.write(chunk)
    return target


HOSTILE_TEXTS = (
    "=1+1",
    '=HYPERLINK("http://x","y")',
    "+cmd",
    "-2+3",
    "@SUM(A1)",
)


EVIDENCE = {
    "javascript:alert(1)": False,
    "file:///etc/passwd": False,
    "data:text/html,<script>alert(1)</script>": False,
    'https://x.example/a"b': False,
    "https://drive.example.go.id/dok-12.pdf": True,
    "http://arsip.example.go.id/sk?no=12&th=2023": True,
}


CONTROL = "baris\x00satu\x07\x1b dua\ttab\nbaris\r\ntiga"


LONG = "x" * 40_000


LABELS = {"ya_tidak": "Ya", "regulasi": "Perda", "tingkat": "Sebagian"}


FRACTIONS = (1.0, 0.75, 0.5, 0.25, 0.0)


def _status(index: int) -> str:
    if index % 11 == 0:
        return "tidak dikirim"
    if index % 7 == 0:
        return "ditolak"
    if index % 5 == 0:
        return "belum dijawab"
    return "dijawab"


def _scored(instrument: Instrument, region: Region) -> pd.DataFrame:
    """All questions with varied statuses, fractions and evidence, hostile text in the first ones."""
    rows = []
    special = iter([*HOSTILE_TEXTS, CONTROL, LONG])
    evidence = iter(EVIDENCE)
    for index, q in enumerate(instrument.questions, start=1):
        status = _status(index)
        answered = status == "dijawab"
        fraction = FRACTIONS[(index // 3) % len(FRACTIONS)] if answered else 0.0
        has_evidence = answered and index % 3 != 0
        number = q.jenis in ("persen", "jumlah")
        answer = ("85" if number else LABELS[q.jenis]) if answered else ""
        note = ""
        link = "SK Bupati No. 12/2023, arsip Bagian Hukum" if has_evidence else ""
        if answered and index > 1 and not number:
            note = next(special, "")
            answer = note if note in HOSTILE_TEXTS else answer
            link = next(evidence, link) if has_evidence else link
        rows.append(
            {
                "urutan": q.urutan,
                "kode": q.kode,
                "klaster": q.klaster,
                "indikator": q.indikator,
                "pertanyaan": q.pertanyaan,
                "jenis": q.jenis,
                "arah": q.arah,
                "nilai_maks": q.nilai_maks,
                "opd": q.opd_utama,
                "nama_opd": region.office_name(q.opd_utama),
                "jawaban": answer,
                "nilai_angka": 85.0 if answered and number else float("nan"),
                "data_dukung": link,
                "data_dukung_jenis": "url" if link.startswith("http") else "referensi",
                "keterangan": note,
                "status": status,
                "masalah": "Jawaban 'Mungkin' bukan pilihan skala." if status == "ditolak" else "",
                "sumber_file": f"{q.opd_utama}.xlsx" if status != "tidak dikirim" else "",
                "sumber_lembar": "Isian",
                "sumber_sel": f"F{index + 4}",
                "sumber_sha256": "ab" * 32,
                "disimpan": "2024-03-20T09:00:00",
                "fraksi": fraction,
                "ada_data_dukung": has_evidence,
                "nilai_mandiri": fraction * q.nilai_maks,
                "nilai_terverifikasi": fraction * q.nilai_maks if has_evidence else 0.0,
            }
        )
    return pd.DataFrame(rows, columns=list(tables.SCORED))


def _totals(instrument: Instrument, value: float) -> tables.Totals:
    reached = [c for c in instrument.categories if value >= c.minimum]
    above = [c for c in instrument.categories if value < c.minimum]
    following = above[-1] if above else None
    return tables.Totals(
        nilai=value,
        kategori=reached[0].nama if reached else "",
        kategori_berikut=following.nama if following else "",
        kurang=following.minimum - value if following else 0.0,
    )


def _completeness(region: Region) -> pd.DataFrame:
    roles = sorted(region.offices)[:5]
    statuses = ("lengkap", "belum mengirim", "sebagian", "belum mengirim", "lengkap")
    rows = [
        {
            "opd": role,
            "nama_opd": region.offices[role],
            "status_kirim": status,
            "pertanyaan": 10,
            "dijawab": 10 if status == "lengkap" else 4 if status == "sebagian" else 0,
            "ditolak": 0,
            "belum_dijawab": 0 if status == "lengkap" else 6 if status == "sebagian" else 10,
            "dengan_data_dukung": 3,
            "file": "" if status == "belum mengirim" else f"{role}.xlsx",
            "disimpan": "" if status == "belum mengirim" else "2024-03-20T09:00:00",
            "narahubung_nama": '=HYPERLINK("http://x","y")' if role == roles[0] else "Budi",
            "narahubung_jabatan": "Kasubag",
            "narahubung_telepon": "+62 812 0000 1111",
            "narahubung_email": "budi@example.go.id",
        }
        for role, status in zip(roles, statuses, strict=True)
    ]
    return pd.DataFrame(rows, columns=list(tables.COMPLETENESS))


def _recommendations(scored: pd.DataFrame, start: float) -> pd.DataFrame:
    todo = scored[scored["status"] != "dijawab"].head(6)
    added = todo["nilai_maks"].to_numpy()
    running = start + added.cumsum()
    return pd.DataFrame(
        {
            "peringkat": range(1, len(todo) + 1),
            "dasar": "terverifikasi",
            "kode": todo["kode"].to_numpy(),
            "klaster": todo["klaster"].to_numpy(),
            "indikator": todo["indikator"].to_numpy(),
            "pertanyaan": todo["pertanyaan"].to_numpy(),
            "opd": todo["opd"].to_numpy(),
            "nama_opd": todo["nama_opd"].to_numpy(),
            "jenis_tindakan": "jawab",
            "status": todo["status"].to_numpy(),
            "jawaban": "",
            "tambahan": added,
            "kumulatif": running,
            "mencapai": ["", "", "", "Madya", "", ""],
        },
        columns=list(tables.RECOMMENDATIONS),
    )


def _issues() -> pd.DataFrame:
    rows = [
        ("peringatan", "data-dukung-kosong", "DINKES.xlsx", "Isian", "G9", "I12-P1", "", "Isi G9."),
        (
            "galat",
            "jawaban-tidak-dikenal",
            "DINKES.xlsx",
            "Isian",
            "F14",
            "I12-P4",
            "=1+1",
            "Ganti.",
        ),
        ("galat", "berkas-rusak", "rusak.xlsx", "", "", "", "", "Berkas tidak dapat dibuka."),
    ]
    return pd.DataFrame(rows, columns=list(tables.ISSUES))


def _files() -> pd.DataFrame:
    rows = [
        {c: "" for c in tables.FILES} | {"file": f"{n}.xlsx", "status": s}
        for n, s in (("DINKES", "dipakai"), ("DP3A", "dipakai"), ("rusak", "ditolak"))
    ]
    return pd.DataFrame(rows, columns=list(tables.FILES))


def build_results(instrument: Instrument, region: Region) -> tables.Results:
    """A full Results by hand: 274 scored questions, sums by pandas groupby, hostile inputs."""
    scored = _scored(instrument, region)
    points = ["nilai_maks", "nilai_mandiri", "nilai_terverifikasi"]
    names = {i.kode: i.nama for i in instrument.indicators}
    indicators = scored.groupby(["klaster", "indikator"], sort=False)[points].sum().reset_index()
    indicators.insert(2, "indikator_nama", indicators["indikator"].map(names))
    clusters = scored.groupby("klaster", sort=False)[points].sum().reset_index()
    clusters.insert(
        1, "klaster_nama", clusters["klaster"].map({c.kode: c.nama for c in instrument.clusters})
    )
    mandiri = _totals(instrument, float(scored["nilai_mandiri"].sum()))
    verified = _totals(instrument, float(scored["nilai_terverifikasi"].sum()))
    return tables.Results(
        instrument=instrument,
        region=region,
        generated_at="2024-04-02T10:15:00",
        example=True,
        files=_files(),
        issues=_issues(),
        scored=scored,
        indicators=indicators[list(tables.INDICATOR_SCORES)],
        clusters=clusters[list(tables.CLUSTER_SCORES)],
        completeness=_completeness(region),
        recommendations=_recommendations(scored, verified.nilai),
        mandiri=mandiri,
        terverifikasi=verified,
    )


def found(ingested: Ingested, file: str | None = None) -> list[tuple[str, str, str]]:
    """Issues as (place, question code, issue code), place like `Isian!F14`, for one file."""
    rows = ingested.issues
    if file is not None:
        rows = rows[rows["file"] == file]
    return [
        (f"{r.sheet}!{r.cell}" if r.cell else str(r.sheet), str(r.kode), str(r.code))
        for r in rows.itertuples()
    ]


def answered(ingested: Ingested) -> dict[str, tuple[Any, str]]:
    """Non-empty answers read: code -> (raw answer, answer cell)."""
    cells = ingested.cells
    return {
        str(r.kode): (r.jawaban_mentah, str(r.jawaban_sel))
        for r in cells.itertuples()
        if r.jawaban_mentah != ""
    }


def status(ingested: Ingested) -> dict[str, str]:
    return dict(zip(ingested.files["file"], ingested.files["status"], strict=True))


def snapshot(folder: Path) -> dict[str, tuple[Any, ...]]:
    """Every entry under `folder`: kind, size, mode, mtime (ns) and, for files, SHA-256."""
    found = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
        found[path.relative_to(folder).as_posix()] = (
            info.st_mode,
            info.st_size,
            info.st_mtime_ns,
            digest,
        )
    return found


VERIFY_NOW = dt.datetime(2024, 4, 20, 9, 0)


def verification_rows(path: Path) -> tuple[openpyxl.Workbook, dict[str, int], dict[str, int]]:
    """(book, column by header, row by question code) of a verification workbook."""
    book = openpyxl.load_workbook(path)
    columns, rows = verification_columns(book)
    return book, columns, rows


def fill_verification(
    source: Path, target: Path, decisions: Mapping[str, Mapping[str, Any]]
) -> Path:
    """Copy a verification workbook with decisions typed in, by question code and header.

    A value of None empties the cell (a verifier clearing a carried input).
    """
    book = openpyxl.load_workbook(source)
    sheet = book[config.SHEET_VERIFICATION]
    columns, rows = verification_columns(book)
    for code, values in decisions.items():
        for header, value in values.items():
            sheet.cell(rows[code], columns[header]).value = value
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)
    return target


def send_office(template: Path, inputs: Path, name: str, answers: Mapping[str, Filled]) -> Path:
    """An office's returned workbook with the given answers and a contact."""
    target = inputs / name
    identity = {config.ID_CONTACT_NAME: "Sari", config.ID_CONTACT_PHONE: "0812"}
    fill_template(template, target, answers, identity)
    return target


def consolidate(inputs: Path, outputs: Path, instrument: Instrument, region: Region) -> RunOutput:
    return run(inputs, outputs, instrument, region, jobs=1, now=VERIFY_NOW)


def copy_to(source: Path, folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copyfile(source, folder / name))


def consolidate_example(outputs: Path, jobs: int) -> Path:
    """The bundled example consolidated into `outputs` with `jobs` processes; returns `outputs`."""
    region = read_region(config.EXAMPLE_REGION_FILE)
    run(
        config.EXAMPLE_INPUTS_DIR,
        outputs,
        read_instrument(region.instrumen),
        region,
        jobs=jobs,
        now=NOW,
    )
    return outputs
