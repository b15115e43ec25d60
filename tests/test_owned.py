"""Files in outputs: the tool removes only what it wrote itself, and only while unchanged."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import openpyxl

from pipeline import audit, config
from pipeline.consolidate import run
from pipeline.instrument import Instrument
from pipeline.region import Region
from tests.builders import DUKCAPIL_ANSWERS, returned

REPORT = "Konsolidasi_KLA_Sukamaju_Raya_2024.xlsx"
DUKCAPIL_FEEDBACK = f"{config.OUT_FEEDBACK_DIR}/DUKCAPIL_Dinas_Kependudukan_dan_Pencatatan_Sipil_Kabupaten_Sukamaju_Raya.xlsx"
# What a coordinator keeps in outputs/: never the tool's to remove.
USER_FILES = {
    "Konsolidasi_KLA_Sukamaju_Raya_2023.xlsx": b"laporan tahun lalu",
    "Konsolidasi_KLA_Sukamaju_Raya_2024 catatan rapat.xlsx": b"salinan dengan catatan",
    f"{config.OUT_FEEDBACK_DIR}/catatan koordinator.xlsx": b"catatan",
    f"{config.OUT_FEEDBACK_DIR}/draf.tmp": b"draf",
    ".catatan.tmp": b"tersembunyi",
    "arsip/.ringkasan.json.tmp": b"bukan buatan alat",
}


def two_offices(folder: Path, templates: dict[str, Path], dukcapil: bool = True) -> Path:
    returned(templates["DINKES"], folder / "dinkes.xlsx")
    if dukcapil:
        returned(templates["DUKCAPIL"], folder / "dukcapil.xlsx", DUKCAPIL_ANSWERS)
    return folder


def put_user_files(outputs: Path) -> None:
    for name, data in USER_FILES.items():
        (outputs / name).parent.mkdir(parents=True, exist_ok=True)
        (outputs / name).write_bytes(data)


def user_files(outputs: Path) -> dict[str, bytes]:
    return {name: (outputs / name).read_bytes() for name in USER_FILES if (outputs / name).exists()}


def test_user_files_in_outputs_survive_runs(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    inputs, outputs = two_offices(tmp_path / "inputs", template_paths), tmp_path / "outputs"
    outputs.mkdir()
    put_user_files(outputs)
    run(inputs, outputs, instrument, region, jobs=1)
    run(inputs, outputs, instrument, region, jobs=1)
    assert user_files(outputs) == USER_FILES
    assert audit.outputs_complete(outputs)
    assert not (outputs / config.OWNED_FILE).exists()


def test_stale_outputs_of_the_tool_are_removed(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    """An office gone from inputs loses its feedback; another region's report goes; user files stay."""
    outputs = tmp_path / "outputs"
    run(two_offices(tmp_path / "a", template_paths), outputs, instrument, region, jobs=1)
    assert (outputs / DUKCAPIL_FEEDBACK).exists()
    put_user_files(outputs)
    renamed = replace(region, nama_singkat="Sukamaju Lama")
    inputs = two_offices(tmp_path / "b", template_paths, dukcapil=False)
    run(inputs, outputs, instrument, renamed, jobs=1)
    assert not (outputs / DUKCAPIL_FEEDBACK).exists()
    assert not (outputs / REPORT).exists()
    assert (outputs / "Konsolidasi_KLA_Sukamaju_Lama_2024.xlsx").exists()
    assert user_files(outputs) == USER_FILES


def test_output_changed_by_the_user_is_kept(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    outputs = tmp_path / "outputs"
    run(two_offices(tmp_path / "a", template_paths), outputs, instrument, region, jobs=1)
    book = openpyxl.load_workbook(outputs / DUKCAPIL_FEEDBACK)
    book.active["A1"] = "dibahas di rapat 3 Mei"
    book.save(outputs / DUKCAPIL_FEEDBACK)
    inputs = two_offices(tmp_path / "b", template_paths, dukcapil=False)
    run(inputs, outputs, instrument, region, jobs=1)
    kept = openpyxl.load_workbook(outputs / DUKCAPIL_FEEDBACK)
    assert kept.active["A1"].value == "dibahas di rapat 3 Mei"
    manifest = json.loads((outputs / config.OUT_MANIFEST).read_text())["berkas"]
    assert DUKCAPIL_FEEDBACK not in manifest


def test_run_killed_after_start_still_passes_ownership_on(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    """A run killed after removing the manifest: the next run still knows the stale outputs."""
    outputs = tmp_path / "outputs"
    run(two_offices(tmp_path / "a", template_paths), outputs, instrument, region, jobs=1)
    audit.start_outputs(outputs)  # what a run killed right after starting to write leaves
    assert not (outputs / config.OUT_MANIFEST).exists()
    assert (outputs / config.OWNED_FILE).exists()
    inputs = two_offices(tmp_path / "b", template_paths, dukcapil=False)
    run(inputs, outputs, instrument, region, jobs=1)
    assert not (outputs / DUKCAPIL_FEEDBACK).exists()


def test_forged_manifest_cannot_remove_files_outside_outputs(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    victim = tmp_path / "penting.txt"
    victim.write_bytes(b"jangan dihapus")
    outputs = tmp_path / "outputs"
    outputs.mkdir()
    forged = {"berkas": {"../penting.txt": audit.file_sha256(victim), str(victim): "x"}}
    (outputs / config.OUT_MANIFEST).write_text(json.dumps(forged))
    run(two_offices(tmp_path / "inputs", template_paths), outputs, instrument, region, jobs=1)
    assert victim.read_bytes() == b"jangan dihapus"
