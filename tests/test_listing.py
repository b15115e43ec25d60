"""The inputs folder: hidden, unreadable, deeply nested and oddly named entries each get a row."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest

from pipeline import tables
from pipeline.consolidate import run
from pipeline.ingest.files import read_inputs
from pipeline.ingest.listing import MAX_DEPTH
from pipeline.instrument import Instrument
from pipeline.region import Region
from tests.builders import DUKCAPIL_ANSWERS, returned


def rows(files: pd.DataFrame, issues: pd.DataFrame) -> dict[str, tuple[str, list[str]]]:
    """file -> (status, issue codes of that file)."""
    codes = issues.groupby("file")["code"].apply(list).to_dict()
    return {
        str(f): (str(s), codes.get(f, []))
        for f, s in zip(files["file"], files["status"], strict=True)
    }


def test_hidden_files_and_folders_are_reported(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    returned(template_paths["DINKES"], tmp_path / "dinkes.xlsx")
    returned(template_paths["DUKCAPIL"], tmp_path / ".kiriman" / "dukcapil.xlsx", DUKCAPIL_ANSWERS)
    returned(template_paths["DUKCAPIL"], tmp_path / ".~BPBD revisi.xlsx", DUKCAPIL_ANSWERS)
    (tmp_path / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    ingested = read_inputs(tmp_path, instrument, region, jobs=1)
    hidden = (tables.FILE_NOT_WORKBOOK, ["berkas-tersembunyi"])
    assert rows(ingested.files, ingested.issues) == {
        ".DS_Store": hidden,
        ".kiriman/dukcapil.xlsx": hidden,
        ".~BPBD revisi.xlsx": hidden,
        "dinkes.xlsx": (tables.FILE_USED, []),
    }
    message = ingested.issues.set_index("file").loc[".kiriman/dukcapil.xlsx", "message"]
    assert "ganti namanya tanpa titik di depan" in message


def test_non_utf8_names_are_read_and_shown_escaped(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    """A Latin-1 file name and folder name (from a Windows zip): read, reported, outputs written."""
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    folder = os.fsdecode(os.fsencode(inputs) + b"/kiriman Ag\xfcstus")
    returned(template_paths["DINKES"], Path(folder) / os.fsdecode(b"dinkes caf\xe9.xlsx"))
    odd = os.fsdecode(os.fsencode(inputs) + b"/dukcapil \xe9.xlsx")
    returned(template_paths["DUKCAPIL"], Path(odd), DUKCAPIL_ANSWERS)
    output = run(inputs, tmp_path / "outputs", instrument, region, jobs=2)
    found = rows(output.results.files, output.results.issues)
    assert found == {
        "dukcapil \\xe9.xlsx": (tables.FILE_USED, ["nama-tidak-utf8"]),
        "kiriman Ag\\xfcstus/dinkes caf\\xe9.xlsx": (tables.FILE_USED, ["nama-tidak-utf8"]),
    }
    problems = (tmp_path / "outputs" / "masalah.csv").read_text(encoding="utf-8-sig")
    assert "dukcapil \\xe9.xlsx" in problems
    assert output.report.exists()


def make_deep(top: Path, levels: int, data: bytes) -> None:
    """`levels` folders `d/d/...` below top and a workbook at the bottom, made relative to folder
    descriptors (the path is longer than most tools handle)."""
    fd = os.open(top, os.O_RDONLY)
    try:
        for _ in range(levels):
            os.mkdir("d", dir_fd=fd)
            inner = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        with open(os.open("isian.xlsx", os.O_WRONLY | os.O_CREAT, dir_fd=fd), "wb") as handle:
            handle.write(data)
    finally:
        os.close(fd)


def remove_deep(top: Path, levels: int) -> None:
    """Remove what make_deep made, bottom up, without recursion (shutil.rmtree recurses per level)."""
    fds = [os.open(top, os.O_RDONLY)]
    for _ in range(levels):
        fds.append(os.open("d", os.O_RDONLY, dir_fd=fds[-1]))
    os.unlink("isian.xlsx", dir_fd=fds[-1])
    for level in range(levels, 0, -1):
        os.close(fds[level])
        os.rmdir("d", dir_fd=fds[level - 1])
    os.close(fds[0])


def test_deep_nesting_is_reported_and_the_run_goes_on(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    inputs = tmp_path / "inputs"
    returned(template_paths["DINKES"], inputs / "a" / "b" / "c" / "dinkes.xlsx")
    make_deep(inputs, 1000, template_paths["DUKCAPIL"].read_bytes())
    try:
        ingested = read_inputs(inputs, instrument, region, jobs=1)
    finally:
        remove_deep(inputs, 1000)
    deep = "/".join(["d"] * (MAX_DEPTH + 1))  # the first folder not entered
    assert rows(ingested.files, ingested.issues) == {
        "a/b/c/dinkes.xlsx": (tables.FILE_USED, []),
        deep: (tables.FILE_REJECTED, ["folder-terlalu-dalam"]),
    }


def read_as_nobody(folder: Path, instrument: Instrument, region: Region) -> object:
    """read_inputs in a forked child that runs as uid/gid 65534 (root reads every folder)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            os.close(read)
            if os.geteuid() == 0:
                os.setegid(65534)
                os.seteuid(65534)
            ingested = read_inputs(folder, instrument, region, jobs=1)
            os.write(write, json.dumps(rows(ingested.files, ingested.issues)).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as handle:
        found = json.loads(handle.read() or b"null")
    os.waitpid(pid, 0)
    return found


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_unreadable_folder_is_reported(
    template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    folder = Path(tempfile.mkdtemp(prefix="kla-folder-"))
    try:
        folder.chmod(0o755)
        returned(template_paths["DINKES"], folder / "dinkes.xlsx").chmod(0o644)
        closed = folder / "tertutup"
        returned(template_paths["DUKCAPIL"], closed / "dukcapil.xlsx", DUKCAPIL_ANSWERS)
        closed.chmod(0)
        found = read_as_nobody(folder, instrument, region)
        closed.chmod(0o755)
    finally:
        shutil.rmtree(folder)
    assert found == {
        "dinkes.xlsx": [tables.FILE_USED, []],
        "tertutup": [tables.FILE_REJECTED, ["folder-tidak-terbaca"]],
    }
