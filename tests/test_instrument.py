"""The instrument loads from schemas/ and every kind of broken instrument is refused by row."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline import config
from pipeline.errors import KlaError
from pipeline.instrument import Instrument, read_instrument


def test_default_instrument_matches_reference_counts(instrument: Instrument) -> None:
    assert len(instrument.questions) == 274
    assert len(instrument.indicators) == 31
    assert [c.kode for c in instrument.clusters] == ["KL", "K1", "K2", "K3", "K4", "K5", "KD"]
    assert sum(q.nilai_maks for q in instrument.questions) == pytest.approx(1000)
    kinds = [q.jenis for q in instrument.questions]
    assert {k: kinds.count(k) for k in set(kinds)} == {
        "jumlah": 20,
        "persen": 59,
        "regulasi": 31,
        "tingkat": 19,
        "ya_tidak": 145,
    }


def test_scales_have_exact_labels(instrument: Instrument) -> None:
    assert instrument.scales["ya_tidak"].labels == ("Ya", "Tidak")
    assert instrument.scales["regulasi"].labels == (
        "Perda",
        "Perbup/Perwal",
        "SK/SE/Instruksi",
        "Rancangan",
        "Belum ada",
    )
    assert instrument.scales["tingkat"].labels == (
        "Seluruhnya",
        "Sebagian besar",
        "Sebagian",
        "Sebagian kecil",
        "Tidak ada",
    )
    assert (instrument.scales["persen"].minimum, instrument.scales["persen"].maximum) == (0, 100)
    assert instrument.scales["jumlah"].whole


def test_questions_frame_has_one_row_per_question(instrument: Instrument) -> None:
    frame = instrument.questions_frame()
    assert len(frame) == 274 and frame["kode"].is_unique
    assert frame.loc[frame["kode"] == "I12-P4", "arah"].item() == "turun"


@pytest.fixture
def schema_copy(tmp_path: Path) -> Path:
    for name in (
        "kla-2024.toml",
        "kla-2024-indikator.csv",
        "kla-2024-pertanyaan.csv",
        "opd-peran.csv",
    ):
        shutil.copy(config.SCHEMAS_DIR / name, tmp_path / name)
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


QUESTIONS = "kla-2024-pertanyaan.csv"
BROKEN = [
    (
        "duplicate code",
        QUESTIONS,
        "I01,I01-P2a,",
        "I01,I01-P1,",
        "kode 'I01-P1' sudah dipakai di baris 2",
    ),
    (
        "unknown jenis",
        QUESTIONS,
        ",regulasi,,12,",
        ",pilihan,,12,",
        "baris 2 (I01-P1): jenis 'pilihan'",
    ),
    ("unknown arah", QUESTIONS, "persen,naik,", "persen,atas,", "arah 'atas' tidak dikenal"),
    ("unknown role", QUESTIONS, ",12,HUKUM,", ",12,HUKUMAN,", "opd_utama 'HUKUMAN'"),
    (
        "negative points",
        QUESTIONS,
        ",regulasi,,12,",
        ",regulasi,,-12,",
        "nilai_maks '-12' harus angka",
    ),
    ("indicator sum", QUESTIONS, ",regulasi,,12,", ",regulasi,,11,", "indikator I01 = 95"),
    (
        "cluster sum",
        "kla-2024-indikator.csv",
        "Kabupaten/Kota Layak Anak,96",
        "Kabupaten/Kota Layak Anak,95",
        "klaster KL = 163",
    ),
    ("total", "kla-2024.toml", "nilai_maks = 164", "nilai_maks = 165", "harus tepat 1000"),
    (
        "synonym for no label",
        "kla-2024.toml",
        '"Perda" = ["peraturan daerah"]',
        '"Perdaa" = ["peraturan daerah"]',
        "[skala.regulasi.sinonim]: 'Perdaa' bukan label skala ini",
    ),
    (
        "unknown scale form",
        "kla-2024.toml",
        'nama = "Tingkat"\nbentuk = "label"',
        'nama = "Tingkat"\nbentuk = "pilihan"',
        "[skala.tingkat]: bentuk 'pilihan' tidak dikenal",
    ),
    (
        "unknown default direction",
        "kla-2024.toml",
        'arah_bawaan = "naik"',
        'arah_bawaan = "atas"',
        "[skor] arah_bawaan 'atas' tidak dikenal",
    ),
]


@pytest.mark.parametrize(
    ("name", "file", "old", "new", "expected"), BROKEN, ids=[b[0] for b in BROKEN]
)
def test_broken_instrument_is_refused_naming_the_row(
    schema_copy: Path, name: str, file: str, old: str, new: str, expected: str
) -> None:
    _edit(schema_copy / file, old, new)
    with pytest.raises(KlaError) as caught:
        read_instrument(schema_copy / "kla-2024.toml")
    assert expected in str(caught.value)
    assert BROKEN_CODES[name] in caught.value.codes


BROKEN_CODES = {
    "duplicate code": "pertanyaan-kode-ganda",
    "unknown jenis": "pertanyaan-jenis-tidak-dikenal",
    "unknown arah": "pertanyaan-arah-tidak-dikenal",
    "unknown role": "pertanyaan-opd-tidak-dikenal",
    "negative points": "pertanyaan-nilai-salah",
    "indicator sum": "jumlah-indikator-salah",
    "cluster sum": "jumlah-klaster-salah",
    "total": "jumlah-total-salah",
    "synonym for no label": "sinonim-label-tidak-dikenal",
    "unknown scale form": "skala-bentuk-tidak-dikenal",
    "unknown default direction": "arah-bawaan-salah",
}


def test_missing_instrument_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(KlaError, match="tidak ditemukan") as caught:
        read_instrument(tmp_path / "tidak-ada.toml")
    assert caught.value.codes == ("instrumen-tidak-ditemukan",)


def test_content_hash_changes_with_content(schema_copy: Path, instrument: Instrument) -> None:
    assert read_instrument(schema_copy / "kla-2024.toml").content_hash == instrument.content_hash
    _edit(schema_copy / QUESTIONS, "Ketersediaan Perda penyelenggaraan KLA", "Perda KLA")
    assert read_instrument(schema_copy / "kla-2024.toml").content_hash != instrument.content_hash


def test_a_synonym_added_in_the_toml_is_read_as_its_label(schema_copy: Path) -> None:
    """A coordinator adds `perwali` for Perbup/Perwal in the TOML; no code changes."""
    from pipeline.answers import match_label

    before = read_instrument(schema_copy / "kla-2024.toml").scales["regulasi"]
    assert match_label("Perwali", before).jawaban == "Perwali"
    _edit(schema_copy / "kla-2024.toml", '"perbup", "perwal",', '"perbup", "perwal", "perwali",')
    after = read_instrument(schema_copy / "kla-2024.toml").scales["regulasi"]
    assert match_label("Perwali", after).jawaban == "Perbup/Perwal"


def test_a_new_scale_is_data_not_code(schema_copy: Path) -> None:
    """A scale kind the code has never seen (`frekuensi`) is usable from the TOML alone."""
    _edit(
        schema_copy / "kla-2024.toml",
        "[skala.persen]",
        '[skala.frekuensi]\nnama = "Frekuensi"\nbentuk = "label"\nlabel = ["Rutin", "Kadang", "Tidak"]\n\n'
        '[skor.label.frekuensi]\n"Rutin" = 1\n"Kadang" = 0.5\n"Tidak" = 0\n\n[skala.persen]',
    )
    instrument = read_instrument(schema_copy / "kla-2024.toml")
    assert instrument.scales["frekuensi"].labels == ("Rutin", "Kadang", "Tidak")
    assert instrument.scoring.label_fractions["frekuensi"]["Kadang"] == 0.5


def test_empty_direction_takes_the_default_from_the_toml(schema_copy: Path) -> None:
    plain = read_instrument(schema_copy / "kla-2024.toml")
    _edit(schema_copy / "kla-2024.toml", 'arah_bawaan = "naik"', 'arah_bawaan = "turun"')
    flipped = read_instrument(schema_copy / "kla-2024.toml")
    changed = [
        a.kode for a, b in zip(plain.questions, flipped.questions, strict=True) if a.arah != b.arah
    ]
    assert changed and all(plain.question(k).arah == "naik" for k in changed)
