"""The run's folders: overlapping inputs/outputs refused before anything is touched; one run at a time."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import audit, config
from pipeline.cli import EXIT_ERROR, main
from pipeline.consolidate import run
from pipeline.errors import KlaError
from pipeline.instrument import Instrument
from pipeline.region import Region
from tests.builders import DUKCAPIL_ANSWERS, returned, snapshot

# (inputs, outputs) relative to tmp_path: the same folder, outputs inside inputs, inputs inside outputs.
OVERLAPS = [("data", "data"), ("data", "data/hasil"), ("hasil/isian", "hasil")]


@pytest.mark.parametrize(
    ("inputs", "outputs"), OVERLAPS, ids=["sama", "hasil-di-isian", "isian-di-hasil"]
)
def test_overlapping_folders_refused_untouched(
    tmp_path: Path,
    template_paths: dict[str, Path],
    instrument: Instrument,
    region: Region,
    inputs: str,
    outputs: str,
) -> None:
    inputs_dir, outputs_dir = tmp_path / inputs, tmp_path / outputs
    returned(template_paths["DINKES"], inputs_dir / "dinkes.xlsx")
    # the coordinator's newer workbook kept in a folder named like the tool's feedback folder
    returned(
        template_paths["DUKCAPIL"],
        inputs_dir / "umpan_balik" / "dukcapil baru.xlsx",
        DUKCAPIL_ANSWERS,
    )
    before = snapshot(tmp_path)
    with pytest.raises(KlaError, match="Pakai dua folder terpisah"):
        run(inputs_dir, outputs_dir, instrument, region, jobs=1)
    assert snapshot(tmp_path) == before


def test_overlapping_folders_cli_exit_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "data").mkdir()
    before = snapshot(tmp_path)
    code = main(
        [
            "consolidate",
            "--inputs",
            str(tmp_path / "data"),
            "--outputs",
            str(tmp_path / "data" / "."),
            "--wilayah",
            str(config.EXAMPLE_REGION_FILE),
        ]
    )
    err = capsys.readouterr().err
    assert code == EXIT_ERROR
    assert err.startswith("GALAT: folder hasil") and "sama dengan folder isian" in err
    assert "Traceback" not in err
    assert snapshot(tmp_path) == before


def test_sibling_folders_with_common_prefix_are_fine(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    returned(template_paths["DINKES"], tmp_path / "inputs" / "dinkes.xlsx")
    output = run(tmp_path / "inputs", tmp_path / "inputs-hasil", instrument, region, jobs=1)
    assert output.report.exists()


HOLD_LOCK = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o644)
fcntl.flock(fd, fcntl.LOCK_EX)
os.write(fd, b"pid %d di mesin-lain, mulai 2024-05-01T09:00:00\\n" % os.getpid())
print("siap", flush=True)
time.sleep(60)
"""


def test_second_live_run_stops_and_leaves_outputs(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    inputs, outputs = tmp_path / "inputs", tmp_path / "outputs"
    returned(template_paths["DINKES"], inputs / "dinkes.xlsx")
    run(inputs, outputs, instrument, region, jobs=1)
    before = snapshot(outputs)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(outputs / config.LOCK_FILE)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "siap"
        with pytest.raises(KlaError, match=f"konsolidasi lain sedang menulis.*pid {holder.pid}"):
            run(inputs, outputs, instrument, region, jobs=1)
        assert {k: v for k, v in snapshot(outputs).items() if k != config.LOCK_FILE} == before
        assert audit.outputs_complete(outputs)
    finally:
        holder.kill()
        holder.wait()
    # the holder died holding the lock: the next run takes it over at once
    run(inputs, outputs, instrument, region, jobs=1)
    assert audit.outputs_complete(outputs)
    assert not (outputs / config.LOCK_FILE).exists()


def test_lock_file_of_a_killed_run_is_taken_over(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    inputs, outputs = tmp_path / "inputs", tmp_path / "outputs"
    returned(template_paths["DINKES"], inputs / "dinkes.xlsx")
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True
    )
    outputs.mkdir()
    (outputs / config.LOCK_FILE).write_text(f"pid {int(dead.stdout)} di mesin, mulai kemarin\n")
    run(inputs, outputs, instrument, region, jobs=1)
    assert audit.outputs_complete(outputs)
    assert not (outputs / config.LOCK_FILE).exists()


def test_lock_is_held_while_the_run_writes(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    """Two runs started together into one outputs folder: exactly one writes, the other stops."""
    inputs, outputs = tmp_path / "inputs", tmp_path / "outputs"
    returned(template_paths["DINKES"], inputs / "dinkes.xlsx")
    command = [sys.executable, "-m", "pipeline", "consolidate", "--inputs", str(inputs)]
    command += ["--outputs", str(outputs), "--wilayah", str(config.EXAMPLE_REGION_FILE)]
    command += ["--jobs", "1", "--no-progress"]
    env = os.environ | {"PYTHONPATH": str(config.PROJECT_DIR)}
    children = [
        subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    finished = [
        (child.wait(timeout=300), child.stderr.read()) for child in children if child.stderr
    ]
    codes = sorted(code for code, _ in finished)
    assert codes in ([0, 0], [0, EXIT_ERROR])  # both may finish when the first is done first
    for code, err in finished:
        if code == EXIT_ERROR:
            assert (
                err.startswith("GALAT: konsolidasi lain sedang menulis") and "Traceback" not in err
            )
    assert audit.outputs_complete(outputs)
    assert len(audit.read_history(outputs)) == codes.count(0)
