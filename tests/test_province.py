"""The province view: ranking and category counts worked by hand, every bad input, the example."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from pipeline import config, tables
from pipeline.consolidate import run_province
from pipeline.errors import KlaError
from pipeline.instrument import Instrument
from pipeline.province.read import read_province_inputs
from pipeline.province.settings import Province, build_province, read_province

NOW = dt.datetime(2024, 4, 20, 9, 0)
EXAMPLE = config.EXAMPLE_PROVINCE_DIR
TANJUNG = "Konsolidasi_KLA_Tanjung_Padi_2024.xlsx"
TANJUNG_DRAFT = "email/Konsolidasi_KLA_Tanjung_Padi_2024 (draft).xlsx"
SUKAMAJU = "Konsolidasi_KLA_Sukamaju_Raya_2024.xlsx"


def spread(total: float, maxima: dict[str, float]) -> dict[str, float]:
    """`total` poured into the parts in order, each up to its maximum (exact in cents)."""
    left = round(total * 100)
    parts = {}
    for code, maximum in maxima.items():
        take = min(left, round(maximum * 100))
        parts[code] = take / 100
        left -= take
    return parts


def summary(
    instrument: Instrument,
    kode: str,
    mandiri: float,
    verified: float,
    tahun: int = 2024,
    dibuat: str | None = None,
) -> dict[str, Any]:
    """A consistent ringkasan.json (clusters and indicators add up, categories match)."""
    from pipeline.score.categories import category_of

    clusters = {c.kode: c.nilai_maks for c in instrument.clusters}
    indicators = {i.kode: i.nilai_maks for i in instrument.indicators}

    def scores(maxima: dict[str, float]) -> dict[str, dict[str, float]]:
        self_parts, verified_parts = spread(mandiri, maxima), spread(verified, maxima)
        return {
            code: {"mandiri": self_parts[code], "terverifikasi": verified_parts[code], "maks": m}
            for code, m in maxima.items()
        }

    body: dict[str, Any] = {
        "wilayah": {"kode": kode, "nama": f"Kabupaten {kode} (uji)"},
        "tahun": tahun,
        "total": {"mandiri": mandiri, "terverifikasi": verified, "maks": 1000.0},
        "kategori": {
            "mandiri": category_of(mandiri, instrument.categories),
            "terverifikasi": category_of(verified, instrument.categories),
        },
        "klaster": scores(clusters),
        "indikator": scores(indicators),
    }
    if dibuat:
        body["dibuat"] = dibuat
    return body


def write_json(folder: Path, name: str, body: dict[str, Any]) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def province() -> Province:
    raw = {
        "nama": "Provinsi Uji (fiktif)",
        "kode_kemendagri": "99",
        "tahun": 2024,
        "instrumen": "kla-2024.toml",
        "nama_skpd": "Dinas Uji",
        "narahubung": {"nama": "A", "jabatan": "B", "telepon": "1", "email": "a@b.c"},
        "kabupaten_kota": [
            {"kode": f"99.0{n}", "nama": f"Kabupaten {n} (uji)"} for n in range(1, 7)
        ],
    }
    problems: list[str] = []
    built = build_province(Path("uji.toml"), raw, problems)
    assert problems == [] and built is not None
    return built


# Worked by hand (categories: Pratama 500, Madya 601, Nindya 701, Utama 801, KLA 901):
#   99.02 verified 650 (Madya),  mandiri 801    (Utama)   -> 1 (ties 99.01 on verified, higher mandiri)
#   99.01 verified 650 (Madya),  mandiri 720    (Nindya)  -> 2
#   99.04 verified 612.25 (Madya), mandiri 612.25 (Madya) -> 3
#   99.06 verified 612.25 (Madya), mandiri 612.25 (Madya) -> 3 (a full tie shares the rank)
#   99.03 verified 499.99 (none), mandiri 560   (Pratama) -> 5
#   99.05 sent nothing: no rank, last.
HAND = {
    "99.01": (720.0, 650.0),
    "99.02": (801.0, 650.0),
    "99.03": (560.0, 499.99),
    "99.04": (612.25, 612.25),
    "99.06": (612.25, 612.25),
}


@pytest.fixture(scope="module")
def hand_run(
    tmp_path_factory: pytest.TempPathFactory, province: Province, instrument: Instrument
) -> Any:
    folder = tmp_path_factory.mktemp("hand")
    for kode, (mandiri, verified) in HAND.items():
        write_json(folder, f"{kode}/ringkasan.json", summary(instrument, kode, mandiri, verified))
    return run_province(folder, tmp_path_factory.mktemp("out"), province, instrument, now=NOW)


def test_ranking_by_verified_then_self_assessed(hand_run: Any) -> None:
    ranking = hand_run.view.ranking
    assert list(zip(ranking["kode_wilayah"], ranking["peringkat"].astype(object), strict=True)) == [
        ("99.02", 1),
        ("99.01", 2),
        ("99.04", 3),
        ("99.06", 3),
        ("99.03", 5),
        ("99.05", pd.NA),
    ]
    assert ranking["status"].tolist() == [tables.KABKOTA_SENT] * 5 + [tables.KABKOTA_NOT_SENT]


def test_category_counts_and_threshold(hand_run: Any) -> None:
    counts = hand_run.view.categories.set_index("kategori")
    assert counts["mandiri"].to_dict() == {
        "KLA": 0,
        "Utama": 1,
        "Nindya": 1,
        "Madya": 2,
        "Pratama": 1,
        "Belum berpredikat": 0,
    }
    assert counts["terverifikasi"].to_dict() == {
        "KLA": 0,
        "Utama": 0,
        "Nindya": 0,
        "Madya": 4,
        "Pratama": 0,
        "Belum berpredikat": 1,
    }
    body = json.loads(
        (hand_run.report.parent / config.OUT_PROVINCE_JSON).read_text(encoding="utf-8")
    )
    assert body["mencapai_ambang"] == {"ambang": 500.0, "mandiri": 5, "terverifikasi": 4}


def test_verification_gap_largest_first(hand_run: Any) -> None:
    gap = hand_run.view.verification
    assert list(zip(gap["kode_wilayah"], gap["selisih"], strict=True)) == [
        ("99.02", 151.0),
        ("99.01", 70.0),
        ("99.03", 60.01),
        ("99.04", 0.0),
        ("99.06", 0.0),
    ]


def test_province_csv_columns_and_rows(hand_run: Any) -> None:
    frame = pd.read_csv(
        hand_run.report.parent / config.OUT_PROVINCE_CSV, dtype=str, keep_default_na=False
    )
    assert tuple(frame.columns) == tables.PROVINCE
    assert frame.iloc[0].tolist() == [
        "99.02",
        "Kabupaten 2 (uji)",
        "801.0",
        "Utama",
        "650.0",
        "Madya",
        "1",
        "mengirim",
    ]
    assert frame.iloc[-1].tolist() == [
        "99.05",
        "Kabupaten 5 (uji)",
        "",
        "",
        "",
        "",
        "",
        "belum mengirim",
    ]


def _issues(folder: Path, province: Province, instrument: Instrument) -> Any:
    gathered = read_province_inputs(folder, province, instrument)
    return gathered, [
        (row.file, f"{row.sheet}!{row.cell}" if row.sheet else "", row.code)
        for row in gathered.issues.itertuples(index=False)
    ]


def _broken_total(body: dict[str, Any]) -> dict[str, Any]:
    body["total"]["mandiri"] += 10
    return body


def _wrong_category(body: dict[str, Any]) -> dict[str, Any]:
    body["kategori"]["terverifikasi"] = "KLA"
    return body


@pytest.mark.parametrize(
    ("kode", "tahun", "change", "code"),
    [
        ("98.01", 2024, None, "provinsi-berbeda"),
        ("99.50", 2024, None, "kabkota-tidak-terdaftar"),
        ("99.02", 2023, None, "tahun-hasil-berbeda"),
        ("99.02", 2024, _broken_total, "total-tidak-cocok"),
        ("99.02", 2024, _wrong_category, "total-tidak-cocok"),
    ],
)
def test_bad_result_is_a_located_issue_and_the_run_goes_on(
    tmp_path: Path,
    province: Province,
    instrument: Instrument,
    kode: str,
    tahun: int,
    change: Any,
    code: str,
) -> None:
    write_json(tmp_path, "baik.json", summary(instrument, "99.01", 700, 650))
    body = summary(instrument, kode, 640, 600, tahun=tahun)
    write_json(tmp_path, "kiriman/salah.json", change(body) if change else body)
    gathered, found = _issues(tmp_path, province, instrument)
    assert found == [("kiriman/salah.json", "", code)]
    assert list(gathered.used) == ["99.01"]
    status = dict(zip(gathered.files["file"], gathered.files["status"], strict=True))
    assert status == {"baik.json": tables.RESULT_USED, "kiriman/salah.json": tables.RESULT_REJECTED}
    assert gathered.issues.loc[0, "severity"] == tables.SEVERITY_ERROR
    assert "kiriman/salah.json" in gathered.issues.loc[0, "message"]


def test_rejected_kabkota_is_marked_rejected_not_missing(
    tmp_path: Path, province: Province, instrument: Instrument
) -> None:
    write_json(tmp_path / "in", "a.json", _broken_total(summary(instrument, "99.03", 640, 600)))
    output = run_province(tmp_path / "in", tmp_path / "out", province, instrument, now=NOW)
    status = dict(
        zip(output.view.ranking["kode_wilayah"], output.view.ranking["status"], strict=True)
    )
    assert status["99.03"] == tables.KABKOTA_REJECTED and status["99.01"] == tables.KABKOTA_NOT_SENT


def test_latest_run_time_wins_not_file_name_or_time(
    tmp_path: Path, province: Province, instrument: Instrument
) -> None:
    newer = summary(instrument, "99.02", 700, 690, dibuat="2024-04-02T10:00:00")
    older = summary(instrument, "99.02", 650, 500, dibuat="2024-03-30T08:00:00")
    write_json(tmp_path, "a_baru.json", newer)
    write_json(tmp_path, "z_lama.json", older)  # later in name order, and written last
    gathered, found = _issues(tmp_path, province, instrument)
    assert found == [("z_lama.json", "", "hasil-ganda")]
    assert gathered.sources == {"99.02": "a_baru.json"}
    assert gathered.used["99.02"]["total"]["terverifikasi"] == 690
    message = gathered.issues.loc[0, "message"]
    assert "a_baru.json" in message and "2 April 2024" in message


def _copy_example(folder: Path, *names: str) -> None:
    for name in names:
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(EXAMPLE / name, target)


def test_workbook_from_an_older_version_is_refused(
    tmp_path: Path, province: Province, instrument: Instrument
) -> None:
    _copy_example(tmp_path, SUKAMAJU, TANJUNG)
    book = openpyxl.load_workbook(tmp_path / SUKAMAJU)
    del book[config.SHEET_MACHINE_SUMMARY]  # as written before the summary sheet existed
    book.save(tmp_path / SUKAMAJU)
    book = openpyxl.load_workbook(tmp_path / TANJUNG)
    book[config.SHEET_MACHINE_SUMMARY]["B1"] = "0"
    book.save(tmp_path / TANJUNG)
    _, found = _issues(tmp_path, province, instrument)
    assert found == [
        (SUKAMAJU, "", "format-ringkasan-lama"),
        (TANJUNG, "_ringkasan!B1", "format-ringkasan-lama"),
    ]


def test_edited_hidden_summary_is_a_located_issue(
    tmp_path: Path, province: Province, instrument: Instrument
) -> None:
    _copy_example(tmp_path, SUKAMAJU)
    book = openpyxl.load_workbook(tmp_path / SUKAMAJU)
    book[config.SHEET_MACHINE_SUMMARY]["B3"] = '{"wilayah": '
    book.save(tmp_path / SUKAMAJU)
    (tmp_path / "catatan.txt").write_text("bukan hasil", encoding="utf-8")
    gathered, found = _issues(tmp_path, province, instrument)
    assert found == [
        (SUKAMAJU, "_ringkasan!B3", "ringkasan-rusak"),
        ("catatan.txt", "", "bukan-hasil-kabkota"),
    ]
    assert set(gathered.files["status"]) == {tables.RESULT_REJECTED, tables.RESULT_NOT_RESULT}


def test_an_opd_template_is_not_a_result(
    tmp_path: Path, province: Province, instrument: Instrument, template_paths: dict[str, Path]
) -> None:
    shutil.copyfile(template_paths["DP3A"], tmp_path / "isian.xlsx")
    _, found = _issues(tmp_path, province, instrument)
    assert found == [("isian.xlsx", "", "bukan-hasil-kabkota")]


@pytest.fixture(scope="module")
def example_run(tmp_path_factory: pytest.TempPathFactory, instrument: Instrument) -> Any:
    example = read_province(config.EXAMPLE_PROVINCE_FILE)
    return run_province(
        EXAMPLE, tmp_path_factory.mktemp("provinsi"), example, instrument, example=True, now=NOW
    )


def test_example_province_reads_every_kind_of_result(example_run: Any) -> None:
    view = example_run.view
    assert len(view.ranking) == 10
    assert view.sent["kode_wilayah"].nunique() == 9
    assert view.ranking.set_index("kode_wilayah").loc["99.08", "status"] == tables.KABKOTA_NOT_SENT
    assert view.sources["99.02"] == TANJUNG  # generated after the draft in email/
    assert view.sources["99.72"] == "kota_cahaya_baru/ringkasan.json"
    assert view.issues["code"].tolist() == ["hasil-ganda"]
    assert view.issues.loc[0, "file"] == TANJUNG_DRAFT


def test_example_province_workbook(example_run: Any) -> None:
    book = openpyxl.load_workbook(example_run.report)
    assert book.sheetnames == [
        "Ringkasan",
        "Klaster",
        "Indikator",
        "Verifikasi",
        "Riwayat",
        "Daftar Berkas",
        "Data",
    ]
    summary_sheet = book["Ringkasan"]
    texts = [c.value for row in summary_sheet.iter_rows(max_col=1) for c in row if c.value]
    assert "Kabupaten/kota dengan hasil: 9 dari 10." in texts
    assert any(str(t).startswith("Berkas disisihkan") and TANJUNG_DRAFT in str(t) for t in texts)
    assert any(str(t).startswith("Belum mengirim (1): Kabupaten Rawa Indah") for t in texts)
    history = book["Riwayat"]
    header = [c.value for c in history[5]]
    assert header[:5] == ["Kode", "Kabupaten/kota", "2022", "2023", "2024"]
    rawa = next(row for row in history.iter_rows(min_row=6, values_only=True) if row[0] == "99.08")
    assert rawa[2:5] == ("Belum berpredikat", "Belum berpredikat", tables.KABKOTA_NOT_SENT)
    files = {row[0].value: row[6].value for row in book["Daftar Berkas"].iter_rows(min_row=6)}
    assert files[TANJUNG_DRAFT] == tables.RESULT_SET_ASIDE
    import zipfile

    with zipfile.ZipFile(example_run.report) as archive:
        assert len([n for n in archive.namelist() if n.startswith("xl/charts/chart")]) == 2


def test_example_province_is_reproducible(tmp_path: Path, instrument: Instrument) -> None:
    """Regenerating one kab/kota with the real pipeline gives the committed result."""
    from pipeline.ingest.summary import read_summary_file
    from pipeline.region import read_region
    from tools.province_example import PROFILES, run_profile

    profile = next(p for p in PROFILES if p.kode == "99.71")
    fresh = run_profile(instrument, read_region(config.EXAMPLE_REGION_FILE), profile, tmp_path)
    committed = read_summary_file(EXAMPLE / profile.file, EXAMPLE).summary
    assert read_summary_file(fresh, tmp_path).summary == committed


def test_province_settings_problems_are_listed(tmp_path: Path) -> None:
    path = tmp_path / "provinsi.toml"
    path.write_text(
        'nama = "P"\nkode_kemendagri = "9"\ntahun = 2024\ninstrumen = "kla-2024.toml"\n'
        'nama_skpd = "D"\n[narahubung]\nnama = "A"\njabatan = "B"\ntelepon = "1"\nemail = "e"\n'
        '[[kabupaten_kota]]\nkode = "64.01"\nnama = "X"\n[[kabupaten_kota]]\nkode = "64.01"\nnama = "Y"\n',
        encoding="utf-8",
    )
    with pytest.raises(KlaError) as raised:
        read_province(path)
    text = str(raised.value)
    assert "kode_kemendagri '9'" in text and "sudah tercantum" in text


def test_national_picture_reads_generated_workbooks(tmp_path: Path, instrument: Instrument) -> None:
    """The bench's national case, small: kab/kota of many provinces under kode_kemendagri "00"."""
    from tools.bench.province import codes, write_national

    assert len(codes()) == 514 and len({code[:2] for code, _ in codes()}) == 38
    settings = write_national(tmp_path / "hasil", 45)
    national = read_province(settings)
    output = run_province(tmp_path / "hasil", tmp_path / "out", national, instrument, now=NOW)
    assert output.view.issues.empty
    assert len(output.view.sent) == 45 and output.view.ranking["peringkat"].min() == 1
    book = openpyxl.load_workbook(output.report, read_only=True)
    assert book.sheetnames[0] == "Ringkasan"


def test_text_from_results_stays_text(
    tmp_path: Path, province: Province, instrument: Instrument
) -> None:
    body = summary(instrument, "99.01", 700, 650)
    body["wilayah"]["nama"] = '=HYPERLINK("http://x.example","klik")'
    write_json(tmp_path / "in", "=cmd.json", body)
    output = run_province(tmp_path / "in", tmp_path / "out", province, instrument, now=NOW)
    sheet = openpyxl.load_workbook(output.report)["Daftar Berkas"]
    cells = [c for row in sheet.iter_rows(min_row=6) for c in row if isinstance(c.value, str)]
    assert {c.value for c in cells} >= {"=cmd.json", body["wilayah"]["nama"]}
    assert all(c.data_type == "s" for c in cells)


def test_cli_runs_the_example_province_on_an_empty_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.cli import main

    monkeypatch.setattr(config, "PROVINCE_FILE", tmp_path / "tidak_ada.toml")
    (tmp_path / "kosong").mkdir()
    assert (
        main(["provinsi", "--inputs", str(tmp_path / "kosong"), "--outputs", str(tmp_path / "o")])
        == 0
    )
    out = capsys.readouterr().out
    assert "CONTOH PROVINSI BAWAAN" in out and "Kabupaten/kota dengan hasil: 9 dari 10." in out
    assert "Konsolidasi_KLA_Tanjung_Padi_2024 (draft).xlsx" in out  # the file set aside is named
    assert (tmp_path / "o" / "Provinsi_KLA_Nusa_Harapan_2024.xlsx").exists()
    assert main(["provinsi", "--inputs", str(tmp_path / "salah"), "--outputs", str(tmp_path)]) == 1
    assert "tidak ditemukan" in capsys.readouterr().err
