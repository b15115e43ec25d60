"""The audit trail: run records name every input with its hash, history is append-only, manifest honest."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

from pipeline import __version__, audit, config, tables
from pipeline.consolidate import run
from pipeline.instrument import Instrument
from pipeline.region import Region
from tests.builders import make_inputs

NOW = dt.datetime(2024, 5, 1, 9, 0)


def test_run_record_names_every_input(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    inputs = make_inputs(tmp_path / "inputs", template_paths)
    output = run(inputs, tmp_path / "outputs", instrument, region, jobs=1, now=NOW)
    (record,) = audit.read_history(tmp_path / "outputs")
    assert record["waktu"] == "2024-05-01T09:00:00"
    assert record["versi_alat"] == __version__
    assert record["instrumen"] == {"id": instrument.id, "hash": instrument.content_hash}
    files = {entry["file"]: entry for entry in record["berkas"]}
    on_disk = sorted(p for p in inputs.rglob("*") if p.is_file())
    assert sorted(files) == sorted(p.relative_to(inputs).as_posix() for p in on_disk)
    for path in on_disk:
        entry = files[path.relative_to(inputs).as_posix()]
        assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (files["dinkes.xlsx"]["opd"], files["dinkes.xlsx"]["status"]) == (
        "DINKES",
        tables.FILE_USED,
    )
    assert files["lama/dinkes lama.xlsx"]["status"] == tables.FILE_SUPERSEDED
    assert files["bom.xlsx"]["status"] == tables.FILE_REJECTED
    assert record["total"]["mandiri"] == round(output.results.mandiri.nilai, 2)
    issues = output.results.issues
    assert record["masalah"]["galat"] == int((issues["severity"] == tables.SEVERITY_ERROR).sum())


def test_history_is_appended_and_survives_a_cut_line(tmp_path: Path) -> None:
    """A record cut by a crash neither hides the earlier ones nor swallows the next one."""
    audit.append_history(tmp_path, {"run": 1})
    with (tmp_path / config.OUT_HISTORY).open("ab") as handle:
        handle.write(b'{"run": 2, "berk')
    audit.append_history(tmp_path, {"run": 3})
    assert [r["run"] for r in audit.read_history(tmp_path)] == [1, 3]
    assert (tmp_path / config.OUT_HISTORY).read_bytes() == (
        b'{"run": 1}\n{"run": 2, "berk\n{"run": 3}\n'
    )


def test_no_history_yet(tmp_path: Path) -> None:
    assert audit.read_history(tmp_path) == []


@pytest.fixture
def complete_outputs(tmp_path: Path) -> Path:
    (tmp_path / "umpan_balik").mkdir()
    paths = [tmp_path / "ringkasan.json", tmp_path / "umpan_balik" / "DINKES.xlsx"]
    for number, path in enumerate(paths):
        path.write_text(f"isi {number}\n")
    audit.write_manifest(tmp_path, paths, "2024-05-01T09:00:00")
    return tmp_path


def test_manifest_lists_outputs_with_hashes(complete_outputs: Path) -> None:
    assert audit.outputs_complete(complete_outputs)
    body = json.loads((complete_outputs / config.OUT_MANIFEST).read_text(encoding="utf-8"))
    assert sorted(body["berkas"]) == ["ringkasan.json", "umpan_balik/DINKES.xlsx"]


@pytest.mark.parametrize(
    "damage",
    [
        lambda out: (out / "ringkasan.json").write_text("diubah\n"),
        lambda out: (out / "umpan_balik" / "DINKES.xlsx").unlink(),
        lambda out: (out / config.OUT_MANIFEST).write_text('{"berkas": {"ringkasan.json"'),
        lambda out: (out / config.OUT_MANIFEST).write_text('{"berkas": {}}'),
        lambda out: (out / config.OUT_MANIFEST).write_text("[]"),
        lambda out: audit.start_outputs(out),
    ],
    ids=["file changed", "file missing", "manifest cut", "manifest empty", "not a map", "restart"],
)
def test_outputs_not_complete(complete_outputs: Path, damage: object) -> None:
    damage(complete_outputs)  # type: ignore[operator]
    assert not audit.outputs_complete(complete_outputs)


def test_start_outputs_removes_leftover_temporaries_only(complete_outputs: Path) -> None:
    leftovers = [
        complete_outputs / ".ringkasan.abc123.json.tmp",
        complete_outputs / "umpan_balik" / ".DINKES.x1y2.xlsx.tmp",
    ]
    for path in leftovers:
        path.write_bytes(b"setengah")
    audit.start_outputs(complete_outputs)
    assert not any(path.exists() for path in leftovers)
    assert not (complete_outputs / config.OUT_MANIFEST).exists()
    assert (complete_outputs / "ringkasan.json").exists()
