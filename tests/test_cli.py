"""The command line: Indonesian help and errors, when the bundled example runs, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from pipeline import config


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=config.PROJECT_DIR,
    )


def test_help_is_indonesian() -> None:
    result = _cli("--help")
    assert result.returncode == 0
    assert "cara pakai:" in result.stdout and "pilihan:" in result.stdout
    assert "usage:" not in result.stdout and "show this help" not in result.stdout


def test_unknown_command_is_an_indonesian_error() -> None:
    result = _cli("konsolidasix")
    assert result.returncode == 2
    assert "GALAT: argumen PERINTAH: pilihan tidak dikenal" in result.stderr


def test_missing_inputs_folder_stops_instead_of_running_the_example(tmp_path: Path) -> None:
    result = _cli(
        "consolidate", "--inputs", str(tmp_path / "input"), "--outputs", str(tmp_path / "o")
    )
    assert result.returncode == 1
    assert f"Folder isian {tmp_path / 'input'} tidak ditemukan" in result.stderr
    assert "CONTOH" not in result.stdout and not (tmp_path / "o").exists()


def test_empty_inputs_with_own_region_is_that_region_with_nothing_sent(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    result = _cli(
        "konsolidasi",
        "--inputs",
        str(inputs),
        "--outputs",
        str(tmp_path / "o"),
        "--wilayah",
        str(config.EXAMPLE_REGION_FILE),
        "--strict",
    )
    assert result.returncode == 0, result.stderr
    assert "CONTOH BAWAAN" not in result.stdout
    summary = json.loads((tmp_path / "o" / "ringkasan.json").read_text(encoding="utf-8"))
    assert summary["kelengkapan"]["opd_mengirim"] == 0 and summary["total"]["mandiri"] == 0


def test_strict_exits_3_on_galat(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "rusak.xlsx").write_bytes(b"PK\x03\x04 bukan zip utuh")
    args = [
        "consolidate",
        "--inputs",
        str(inputs),
        "--outputs",
        str(tmp_path / "o"),
        "--wilayah",
        str(config.EXAMPLE_REGION_FILE),
    ]
    assert _cli(*args).returncode == 0
    assert _cli(*args, "--strict").returncode == 3


def test_output_piped_into_a_closed_reader_is_not_a_crash(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    command = (
        f"{sys.executable} -m pipeline consolidate --inputs {inputs} --outputs {tmp_path / 'o'} "
    )
    command += f"--wilayah {config.EXAMPLE_REGION_FILE} | head -c 10"
    result = subprocess.run(
        command, shell=True, capture_output=True, text=True, check=False, cwd=config.PROJECT_DIR
    )
    assert "Traceback" not in result.stderr
