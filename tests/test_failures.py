"""Runs that cannot finish speak Indonesian: one GALAT line, a distinct exit code, no traceback.

Read-only outputs (as another user when the tests run as root), a file-size limit cutting the run
history (RLIMIT_FSIZE, as a full disk would), and Ctrl-C sent to the whole process group.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline import audit, config
from pipeline.cli import EXIT_INTERRUPTED, EXIT_NO_SPACE, EXIT_NOT_WRITABLE, main
from tests.builders import DUKCAPIL_ANSWERS, returned, snapshot


def command(inputs: Path, outputs: Path, *extra: str) -> list[str]:
    return [
        "consolidate",
        "--inputs",
        str(inputs),
        "--outputs",
        str(outputs),
        "--wilayah",
        str(config.EXAMPLE_REGION_FILE),
        "--no-progress",
        *extra,
    ]


def run_cli(args: list[str], **options: object) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"PYTHONPATH": str(config.PROJECT_DIR)}
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "pipeline", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        **options,
    )


@pytest.fixture
def shared_folder(template_paths: dict[str, Path]) -> Iterator[Path]:
    """A folder every user can read (pytest's tmp_path is root-only), with inputs and outputs."""
    folder = Path(tempfile.mkdtemp(prefix="kla-gagal-"))
    folder.chmod(0o755)
    returned(template_paths["DINKES"], folder / "inputs" / "dinkes.xlsx")
    returned(template_paths["DUKCAPIL"], folder / "inputs" / "dukcapil.xlsx", DUKCAPIL_ANSWERS)
    for path in (folder / "inputs", *(folder / "inputs").iterdir()):
        path.chmod(0o755 if path.is_dir() else 0o644)
    assert main(command(folder / "inputs", folder / "outputs")) == 0
    yield folder
    shutil.rmtree(folder)


def main_as_reader(args: list[str]) -> tuple[int, str]:
    """cli.main in a forked child that may read but not write the outputs; (exit code, stderr)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 99
        try:
            os.close(read)
            os.dup2(write, 2)
            sys.stderr = os.fdopen(2, "w", closefd=False)
            if os.geteuid() == 0:
                os.setegid(65534)
                os.seteuid(65534)
            code = main(args)
        except BaseException:  # what the interpreter would print for an uncaught exception
            traceback.print_exc()
        finally:
            sys.stderr.flush()
            os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as handle:
        err = handle.read().decode()
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), err


def test_read_only_outputs(shared_folder: Path) -> None:
    outputs = shared_folder / "outputs"
    if os.geteuid() != 0:
        outputs.chmod(0o555)
    before = snapshot(outputs)
    code, err = main_as_reader(command(shared_folder / "inputs", outputs))
    outputs.chmod(0o755)
    assert code == EXIT_NOT_WRITABLE
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("GALAT: ")
    assert "tidak boleh ditulis" in err and "hasil sebelumnya tetap utuh" in err
    assert snapshot(outputs) == before


def test_debug_shows_the_traceback(shared_folder: Path) -> None:
    outputs = shared_folder / "outputs"
    if os.geteuid() != 0:
        outputs.chmod(0o555)
    code, err = main_as_reader(command(shared_folder / "inputs", outputs, "--debug"))
    outputs.chmod(0o755)
    assert code == 99 and "Traceback" in err and "OutputsError" in err


def limit_file_size(limit: int) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG / a short write, not a kill
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_cut_history_line_is_an_error(tmp_path: Path, template_paths: dict[str, Path]) -> None:
    """riwayat.jsonl may grow by 40 bytes only: the record is cut, so no manifest may vouch for it."""
    inputs, outputs = tmp_path / "inputs", tmp_path / "outputs"
    returned(template_paths["DINKES"], inputs / "dinkes.xlsx")
    outputs.mkdir()
    old = json.dumps({"waktu": "2024-01-01T00:00:00", "catatan": "x" * 1000}) + "\n"
    history = outputs / config.OUT_HISTORY
    history.write_text(old * 3000)  # 3 MB: larger than any other output of this run
    limit = history.stat().st_size + 40
    done = run_cli(command(inputs, outputs), preexec_fn=lambda: limit_file_size(limit))
    assert done.returncode == EXIT_NO_SPACE, done.stderr
    assert done.stderr.startswith("GALAT: ") and "disk penuh" in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert not (outputs / config.OUT_MANIFEST).exists()
    assert audit.read_history(outputs) == [json.loads(old)] * 3000  # the cut line is not a record


def test_ctrl_c_is_one_line(tmp_path: Path, template_paths: dict[str, Path]) -> None:
    inputs, outputs = tmp_path / "inputs", tmp_path / "outputs"
    data = returned(template_paths["DINKES"], tmp_path / "dinkes.xlsx").read_bytes()
    for number in range(400):
        (inputs / f"salinan {number:03}.xlsx").parent.mkdir(exist_ok=True)
        (inputs / f"salinan {number:03}.xlsx").write_bytes(data)
    env = os.environ | {"PYTHONPATH": str(config.PROJECT_DIR)}
    child = subprocess.Popen(
        [sys.executable, "-m", "pipeline", *command(inputs, outputs, "--jobs", "2")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, like a terminal's foreground job
    )
    deadline = time.monotonic() + 60
    lock = outputs / config.LOCK_FILE
    while time.monotonic() < deadline and not (lock.exists() and lock.stat().st_size):
        time.sleep(0.01)  # until the run holds its lock and is reading
    os.killpg(child.pid, signal.SIGINT)  # what Ctrl-C does: the parent and its readers
    _, err = child.communicate(timeout=120)
    assert child.returncode == EXIT_INTERRUPTED, err
    assert err.strip().splitlines() == [f"GALAT: {err.split('GALAT: ')[1].strip()}"]
    assert "Ctrl-C" in err and "Traceback" not in err
    assert not (outputs / config.OUT_MANIFEST).exists()
    assert not (outputs / config.LOCK_FILE).exists()
    assert run_cli(command(inputs, outputs, "--jobs", "2")).returncode == 0


def test_an_office_folder_that_cannot_be_written_is_one_line(
    tmp_path: Path, template_paths: dict[str, Path]
) -> None:
    """The feedback workbooks are written by the second process: its failure is said like any."""
    inputs, outputs = tmp_path / "inputs", tmp_path / "outputs"
    returned(template_paths["DINKES"], inputs / "dinkes.xlsx")
    outputs.mkdir()
    (outputs / config.OUT_FEEDBACK_DIR).write_text("bukan folder")  # where a folder must go
    done = run_cli(command(inputs, outputs, "--jobs", "2"))
    assert done.returncode == EXIT_NOT_WRITABLE, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("GALAT: ")
    assert config.OUT_FEEDBACK_DIR in lines[0] and "Traceback" not in done.stderr
    assert not (outputs / config.OUT_MANIFEST).exists()
