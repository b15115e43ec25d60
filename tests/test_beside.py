"""Two jobs at once (pipeline/beside.py): results, errors and a dying process, as consolidate uses it."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from pipeline import config
from pipeline.beside import can_fork, run_beside
from pipeline.errors import OutputsError
from pipeline.ingest.readers import START_METHOD_ENV
from tests.builders import consolidate_example

needs_fork = pytest.mark.skipif(not can_fork(), reason="the system cannot fork")


@needs_fork
def test_the_side_job_runs_in_another_process_and_both_results_come_back() -> None:
    side, main = run_beside(os.getpid, os.getpid)
    assert main == os.getpid()
    assert side != os.getpid()


def test_one_process_when_asked_or_when_fork_is_off(monkeypatch: pytest.MonkeyPatch) -> None:
    assert run_beside(os.getpid, os.getpid, parallel=False) == (os.getpid(), os.getpid())
    monkeypatch.setenv(START_METHOD_ENV, "spawn")
    assert not can_fork()
    assert run_beside(os.getpid, os.getpid) == (os.getpid(), os.getpid())


@needs_fork
def test_an_error_beside_is_raised_here_once_this_side_has_finished(tmp_path: Path) -> None:
    done = tmp_path / "main-done"

    def side() -> None:
        raise PermissionError(13, "izin ditolak", str(tmp_path / "umpan_balik"))

    def main() -> str:
        done.write_text("ya")
        return "ok"

    with pytest.raises(PermissionError) as caught:
        run_beside(side, main)
    assert caught.value.filename == str(tmp_path / "umpan_balik")
    assert done.read_text() == "ya"


@needs_fork
def test_the_error_beside_keeps_its_traceback() -> None:
    def write_feedback_here() -> None:
        raise KeyError("kolom")

    with pytest.raises(KeyError) as caught:
        run_beside(write_feedback_here, lambda: None)
    assert "write_feedback_here" in str(caught.value.__cause__)


@needs_fork
def test_an_error_here_waits_for_the_job_beside_to_finish(tmp_path: Path) -> None:
    """No output is left half written: the job beside finishes before the error is raised."""
    written = tmp_path / "umpan_balik.xlsx"

    def side() -> None:
        time.sleep(0.5)
        written.write_bytes(b"lengkap")

    def main() -> None:
        raise OSError(28, "disk penuh")

    with pytest.raises(OSError):
        run_beside(side, main)
    assert written.read_bytes() == b"lengkap"


@needs_fork
def test_an_error_that_cannot_cross_is_raised_by_doing_the_job_here() -> None:
    """OutputsError takes two arguments, so it does not unpickle: the job is redone here."""
    parent = os.getpid()
    ran_here: list[bool] = []

    def side() -> None:
        ran_here.append(os.getpid() == parent)
        raise OutputsError("folder hasil penuh", 3)

    with pytest.raises(OutputsError) as caught:
        run_beside(side, lambda: None)
    assert caught.value.exit_code == 3
    assert ran_here == [True]  # the list of the forked process is not this one


@needs_fork
def test_a_side_process_that_dies_has_its_job_done_here() -> None:
    parent = os.getpid()

    def side() -> str:
        if os.getpid() != parent:
            os._exit(9)  # killed: no answer comes back
        return "di sini"

    assert run_beside(side, lambda: "utama") == ("di sini", "utama")


@needs_fork
def test_consolidate_writes_the_same_outputs_with_one_process_or_two(tmp_path: Path) -> None:
    one = consolidate_example(tmp_path / "satu", jobs=1)
    two = consolidate_example(tmp_path / "dua", jobs=2)
    assert _listing(one) == _listing(two)
    for name in (config.OUT_ISSUES, "kelengkapan.csv", "daftar_kirim.csv"):
        assert (one / name).read_bytes() == (two / name).read_bytes()
    assert len(list((two / config.OUT_FEEDBACK_DIR).glob("*.xlsx"))) > 0


def _listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
