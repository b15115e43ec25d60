"""Returned workbooks under the inputs folder -> files, raw cells with provenance, and issues."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm import tqdm

from pipeline import config, tables
from pipeline.instrument import Instrument
from pipeline.messages import issue, issues_frame
from pipeline.region import Region
from pipeline.workbook import Submission, read_submission


@dataclass(frozen=True)
class Ingested:
    """What ingest read: FILES (every file seen), CELLS (used workbooks only), ISSUES."""

    files: pd.DataFrame
    cells: pd.DataFrame
    issues: pd.DataFrame


def list_inputs(inputs_dir: Path) -> list[Path]:
    """Every file under inputs_dir, recursively, sorted; hidden files/folders and README skipped."""
    found = []
    for folder, dirs, names in os.walk(inputs_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in names:
            if not name.startswith(".") and name not in config.INPUTS_IGNORED:
                found.append(Path(folder) / name)
    return sorted(found, key=lambda p: p.relative_to(inputs_dir).as_posix())


def read_inputs(
    inputs_dir: Path,
    instrument: Instrument,
    region: Region,
    *,
    jobs: int = 0,
    progress: bool = False,
) -> Ingested:
    """Read every input file once (in parallel), resolve duplicates, and gather the three tables."""
    inputs_dir = Path(inputs_dir)
    paths = list_inputs(inputs_dir)
    read = functools.partial(read_submission, root=inputs_dir, instrument=instrument, region=region)
    bar: tqdm[Any] = tqdm(
        total=len(paths),
        disable=not progress,
        file=sys.stderr,
        desc="Membaca isian",
        unit="berkas",
    )
    with bar:
        submissions = list(_progress(_map(read, paths, jobs), bar))
    return gather(resolve_duplicates(submissions))


def _map(read: functools.partial[Submission], paths: list[Path], jobs: int) -> Iterator[Submission]:
    """Results in the order of `paths`. Threads: python-calamine parses outside the GIL."""
    workers = min(jobs or os.cpu_count() or 1, max(len(paths), 1))
    if workers <= 1:
        yield from map(read, paths)
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(read, paths)


def _progress(items: Iterator[Submission], bar: tqdm[Any]) -> Iterator[Submission]:
    for item in items:
        bar.update(1)
        yield item


def _recency(submission: Submission) -> tuple[str, str, str]:
    """Newer first sorts last: the workbook's saved time (else its file time), file time, path."""
    file = submission.file
    return (file["disimpan"] or file["diubah"], file["diubah"], file["file"])


def resolve_duplicates(submissions: list[Submission]) -> list[Submission]:
    """For used workbooks of the same office, keep the newest; mark the others superseded."""
    by_role: dict[str, list[Submission]] = {}
    for item in submissions:
        if item.file["status"] == tables.FILE_USED:
            by_role.setdefault(item.file["peran"], []).append(item)
    superseded: dict[str, str] = {}
    for items in by_role.values():
        newest = max(items, key=_recency)
        superseded |= {i.file["file"]: newest.file["file"] for i in items if i is not newest}
    return [
        _supersede(i, superseded[i.file["file"]]) if i.file["file"] in superseded else i
        for i in submissions
    ]


def _supersede(item: Submission, newer: str) -> Submission:
    found = issue("berkas-digantikan", file=item.file["file"], value=newer)
    file = item.file | {"status": tables.FILE_SUPERSEDED, "pesan": found["message"]}
    return replace(item, file=file, cells=[], issues=[found])


def gather(submissions: list[Submission]) -> Ingested:
    """The three tables, in sorted file order."""
    files = pd.DataFrame([s.file for s in submissions], columns=list(tables.FILES))
    files["ukuran"] = pd.to_numeric(files["ukuran"], errors="coerce").fillna(0).astype("int64")
    cells = pd.DataFrame(
        [cell for s in submissions for cell in s.cells], columns=list(tables.CELLS), dtype=object
    )
    cells["row"] = cells["row"].astype("int64")
    issues = issues_frame(found for s in submissions for found in s.issues)
    return Ingested(files=files, cells=cells, issues=issues)
