"""The coordinator's PC: spawn-started workers (Windows, macOS), folders with spaces through make,
and a first-run install that fails in Indonesian."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from pipeline import config
from pipeline.ingest import files, readers
from pipeline.instrument import Instrument
from pipeline.region import Region

MAKE = shutil.which("make")


def spaced_inputs(tmp_path: Path) -> Path:
    """The bundled example copied into a folder whose name has spaces, as on a Windows desktop."""
    inputs = tmp_path / "Isian KLA 2024"
    shutil.copytree(config.EXAMPLE_INPUTS_DIR, inputs)
    return inputs


def test_start_method_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(readers.START_METHOD_ENV, "spawn")
    assert readers.start_method() == "spawn"
    monkeypatch.setenv(readers.START_METHOD_ENV, "tidak-ada")
    assert readers.start_method() == "fork"  # Linux: the default where fork exists
    monkeypatch.delenv(readers.START_METHOD_ENV)
    assert readers.start_method() == "fork"


def test_spawned_workers_read_like_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, instrument: Instrument, region: Region
) -> None:
    """Workers started with spawn (no inherited memory) give the same tables as a serial read."""
    inputs = spaced_inputs(tmp_path)
    serial = files.read_inputs(inputs, instrument, region, jobs=1)
    monkeypatch.setenv(readers.START_METHOD_ENV, "spawn")
    spawned = files.read_inputs(inputs, instrument, region, jobs=2)
    assert (serial.files["status"] == "dipakai").sum() > 17  # OPD, kecamatan and verification books
    pd.testing.assert_frame_equal(serial.files, spawned.files)
    assert serial.units is not None and spawned.units is not None
    pd.testing.assert_frame_equal(serial.units, spawned.units)
    assert serial.decisions is not None and spawned.decisions is not None
    pd.testing.assert_frame_equal(serial.decisions, spawned.decisions)
    pd.testing.assert_frame_equal(serial.cells, spawned.cells)
    pd.testing.assert_frame_equal(serial.issues, spawned.issues)


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(config.PROJECT_DIR), **extra}


def _make(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`make` in the project with the running interpreter's environment as its .venv.

    STAMP points at a fresh file, so make never installs into that environment.
    """
    if MAKE is None:
        pytest.skip("make tidak terpasang")
    stamp = tmp_path / "terpasang"
    stamp.touch()
    venv = Path(sys.executable).parent.parent
    return subprocess.run(
        [MAKE, "-s", "-C", str(config.PROJECT_DIR), *args, f"VENV={venv}", f"STAMP={stamp}"],
        capture_output=True,
        text=True,
        env=_env(**env),
        timeout=300,
        check=False,
    )


def test_make_consolidate_with_spaces_in_folder_names(tmp_path: Path) -> None:
    inputs = spaced_inputs(tmp_path)
    outputs = tmp_path / "Hasil KLA 2024"
    result = _make(
        [
            "consolidate",
            f"INPUTS={inputs}",
            f"OUTPUTS={outputs}",
            f"WILAYAH={config.EXAMPLE_REGION_FILE}",
            "ARGS=--no-progress --jobs 2",
        ],
        tmp_path,
        KLA_START_METHOD="spawn",
    )
    assert result.returncode == 0, result.stderr
    assert "argumen tidak dikenal" not in result.stderr
    assert f"Membaca isian dari {inputs} " in result.stdout
    counts = json.loads((outputs / config.OUT_SUMMARY).read_text(encoding="utf-8"))["kelengkapan"]
    assert (
        f"OPD mengirim: {counts['opd_mengirim']} dari {counts['opd_diharapkan']}" in result.stdout
    )
    assert (outputs / config.OUT_QUESTIONS).is_file()
    assert sorted(p.name for p in inputs.rglob("*")) == sorted(
        p.name for p in config.EXAMPLE_INPUTS_DIR.rglob("*")
    )


def test_failed_first_install_says_what_to_check(tmp_path: Path) -> None:
    """No registry reachable: one Indonesian line on screen, pip's English only in the log."""
    if MAKE is None:
        pytest.skip("make tidak terpasang")
    project = tmp_path / "KLA Konsolidasi"
    project.mkdir()
    for name in ("Makefile", "pyproject.toml", "requirements.lock"):
        shutil.copy(config.PROJECT_DIR / name, project / name)
    offline = {
        "PIP_INDEX_URL": "http://127.0.0.1:9/simple",
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_RETRIES": "0",
        "PIP_TIMEOUT": "2",
        "PIP_NO_CACHE_DIR": "1",
    }
    result = subprocess.run(
        [MAKE, "-s", "-C", str(project), "templates", f"PYTHON={sys.executable}"],
        capture_output=True,
        text=True,
        env={**os.environ, **offline},
        timeout=300,
        check=False,
    )
    assert result.returncode != 0
    screen = (result.stdout + result.stderr).splitlines()
    mine = [line for line in screen if not line.startswith("make")]
    assert mine[0].startswith("Menyiapkan lingkungan Python") and "internet" in mine[0]
    assert mine[1:] == [
        "GALAT: pemasangan paket gagal. Periksa sambungan internet (atau proxy kantor: "
        "HTTPS_PROXY) lalu ulangi; rincian: .venv/install.log"
    ]
    log = (project / ".venv" / "install.log").read_text(encoding="utf-8")
    assert "ERROR" in log or "error" in log
    assert not (project / ".venv" / ".installed").exists()


def test_what_windows_leaves_beside_copied_files_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    for name in ("isian.xlsx", "isian.xlsx:Zone.Identifier", "Thumbs.db", "desktop.ini"):
        (tmp_path / "sub" / name).write_bytes(b"x")
    assert [p.name for p in files.list_inputs(tmp_path)] == ["isian.xlsx"]
