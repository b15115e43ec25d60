"""Returned workbooks under the inputs folder -> files, raw cells with provenance, and issues."""

from __future__ import annotations

import datetime as dt
import errno
import functools
import hashlib
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline import config, tables
from pipeline.ingest.kecamatan import read_kecamatan_book
from pipeline.ingest.listing import Listing, name_issue, shown_path, walk_inputs
from pipeline.ingest.parts import iso_utc
from pipeline.ingest.readers import Batch, Reader, Readers
from pipeline.ingest.sniff import MAX_FILE_BYTES, sniff_bytes
from pipeline.ingest.workbook import (
    LOCK_PREFIX,
    Submission,
    finish,
    is_workbook_name,
    read_workbook_bytes,
)
from pipeline.instrument import Instrument
from pipeline.messages import issue, issues_frame
from pipeline.region import Region

if TYPE_CHECKING:  # pandas is imported when the tables are gathered, after the workers started
    import pandas as pd

READ_CHUNK = 2**20
# Never follow a symlink, never block on a FIFO or device, never change the access time if allowed.
OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
NOATIME = getattr(os, "O_NOATIME", 0)
WORKER_DIED = "proses pembaca berhenti mendadak saat membaca berkas ini"
KEPT_WHEN_SUPERSEDED = ("waktu-simpan-masa-depan", "nama-tidak-utf8")
FILE_KINDS = {
    stat.S_ISDIR: "folder",
    stat.S_ISFIFO: "pipe (FIFO)",
    stat.S_ISSOCK: "socket",
    stat.S_ISCHR: "perangkat",
    stat.S_ISBLK: "perangkat",
}


Progress = Callable[[int, int], None]  # (files read, files in all)
# Readers of the other workbook kinds, by their _meta `jenis_berkas` (OPD templates have none).
READERS = {config.KIND_KECAMATAN: read_kecamatan_book}


@dataclass(frozen=True)
class Ingested:
    """What ingest read: FILES (every file seen), CELLS (used workbooks only), ISSUES."""

    files: pd.DataFrame
    cells: pd.DataFrame
    issues: pd.DataFrame
    decisions: pd.DataFrame | None = None  # DECISION_CELLS of the verification workbooks
    units: pd.DataFrame | None = None  # UNIT_ANSWERS from kecamatan workbooks


def list_inputs(inputs_dir: Path) -> list[Path]:
    """The files under inputs_dir to read, sorted (listing.py: hidden and unreadable ones skipped).

    Symbolic links (to files or folders) are listed, never followed: reading refuses them.
    """
    return walk_inputs(inputs_dir).paths


@dataclass
class Reading:
    """Reading under way: the files listed and the first pass handed to the workers."""

    listing: Listing
    readers: Readers
    first: Batch

    def close(self) -> None:
        self.readers.close()

    def __enter__(self) -> Reading:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def start_reading(
    inputs_dir: Path, instrument: Instrument, region: Region, *, jobs: int = 0
) -> Reading:
    """List the input files and start the workers on the first pass (read_inputs finishes it).

    Needs no pandas: the command line starts reading before it imports the rest of the pipeline.
    """
    inputs_dir = Path(inputs_dir)
    listing = walk_inputs(inputs_dir)
    read: Reader = functools.partial(
        read_submission, root=inputs_dir, instrument=instrument, region=region
    )
    crashed = functools.partial(_crashed, root=inputs_dir)
    readers = Readers(read, jobs, len(listing.paths), crashed)
    try:
        first = readers.submit(listing.paths, answers=False)
    except BaseException:  # Ctrl-C held while the workers were forked arrives here
        readers.close()
        raise
    return Reading(listing, readers, first)


def read_inputs(
    inputs_dir: Path,
    instrument: Instrument,
    region: Region,
    *,
    jobs: int = 0,
    on_read: Progress | None = None,
    started: Reading | None = None,
) -> Ingested:
    """Read every input file (in parallel), resolve duplicates, and gather the three tables.

    Two passes. The first checks every file (size, zip, hash, the sheets it parses) and reads
    completely every file but an OPD workbook, which is only identified: its _meta and saved time
    (read_submission with answers=False). The second reads completely the versions that may be
    used or compared: the newest of each office and those saved at the same moment, again until
    every office's newest version is complete and used (a complete reading may still reject it,
    and the next newest takes its place). The older versions are superseded unread: their
    structure, contact and answers would not be used, so a broken old version is reported as
    superseded, not as rejected. `on_read(done, total)` is called after each file of the first
    pass, for a progress display the caller owns; it reaches `total` once the second pass is done.
    `started`: the first pass already started on the same folder (start_reading).
    """
    reading = started or start_reading(inputs_dir, instrument, region, jobs=jobs)
    with reading:
        found = _read_passes(reading, on_read)
    listing = reading.listing
    submissions = sorted([*found.values(), *listing.skipped], key=lambda s: str(s.file["file"]))
    return gather(resolve_duplicates(submissions))


def _read_passes(reading: Reading, on_read: Progress | None) -> dict[Path, Submission]:
    """The first pass as the workers return it, then the second until nothing is left."""
    paths, readers = reading.listing.paths, reading.readers
    found: dict[Path, Submission] = {}
    for path, submission in zip(paths, readers.results(reading.first), strict=True):
        found[path] = submission
        if on_read is not None and len(found) < len(paths):
            on_read(len(found), len(paths))
    while pending := _to_complete(found):
        batch = readers.submit(pending, answers=True)
        found |= zip(pending, readers.results(batch), strict=True)
    if on_read is not None and paths:
        on_read(len(paths), len(paths))
    return found


def _to_complete(found: dict[Path, Submission]) -> list[Path]:
    """Files only identified that resolve_duplicates could use or compare: by office, the newest
    used version and every version with the same saved and file times (versi-tidak-terurut
    compares their answers). The other identified versions stay unread: they are superseded.
    """
    by_role: dict[str, list[Submission]] = {}
    for item in found.values():
        if _is_candidate(item):
            by_role.setdefault(item.file["peran"], []).append(item)
    newest = {role: _recency(max(items, key=_recency))[:2] for role, items in by_role.items()}
    return [
        path
        for path, item in found.items()
        if item.unanswered
        and (not _is_candidate(item) or _recency(item)[:2] == newest[item.file["peran"]])
    ]


def _is_candidate(item: Submission) -> bool:
    return item.file["status"] == tables.FILE_USED and bool(item.file["peran"])


def read_submission(
    path: Path, root: Path, instrument: Instrument, region: Region, *, answers: bool = True
) -> Submission:
    """Read one input file; never raises for a bad file: problems become issues.

    The file is checked with lstat first (symlinks and special files are refused unopened), read once
    into memory (at most MAX_FILE_BYTES), and compared with a second lstat after parsing: a file that
    changed meanwhile is rejected. A name that is not UTF-8 is shown escaped, with a warning.
    `answers=False`: an OPD workbook is only identified; one that could be used comes back
    `unanswered` (read_inputs reads it again completely if it may be used).
    """
    submission = _read_submission(path, root, instrument, region, answers)
    odd_name = name_issue(path, root)
    return replace(submission, issues=[*submission.issues, *odd_name]) if odd_name else submission


def _read_submission(
    path: Path, root: Path, instrument: Instrument, region: Region, answers: bool
) -> Submission:
    rel = shown_path(path, root)
    base = _base(rel)
    try:
        before = os.lstat(path)
        base["diubah"] = iso_utc(dt.datetime.fromtimestamp(before.st_mtime, dt.UTC))
        base["ukuran"] = before.st_size
        refused = _special_file_issue(path, rel, before)
        if refused:
            return finish(base, tables.FILE_REJECTED, [refused])
        submission = _read_regular(path, rel, base, before.st_size, instrument, region, answers)
        if _changed(before, os.lstat(path)):
            found = issue("berkas-berubah-saat-dibaca", file=rel, value=_change(before, path))
            return finish(base | submission.file, tables.FILE_REJECTED, [found])
        return submission
    except PermissionError as exc:
        found = issue("berkas-tanpa-izin", file=rel, value=exc.strerror or "izin ditolak")
        return finish(base, tables.FILE_REJECTED, [found])
    except Exception as exc:  # one unreadable file must never stop the run
        detail = f"{type(exc).__name__}: {exc}"[:200]
        return finish(
            base, tables.FILE_REJECTED, [issue("berkas-tidak-terbaca", file=rel, value=detail)]
        )


def _base(rel: str) -> dict[str, Any]:
    return {name: "" for name in tables.FILES} | {"file": rel, "status": tables.FILE_REJECTED}


def _special_file_issue(path: Path, rel: str, info: os.stat_result) -> dict[str, str] | None:
    if stat.S_ISLNK(info.st_mode):
        return issue("tautan-simbolik", file=rel, value=os.readlink(path))
    for test, kind in FILE_KINDS.items():
        if test(info.st_mode):
            return issue("bukan-berkas-biasa", file=rel, value=kind)
    return None


def _read_regular(
    path: Path,
    rel: str,
    base: dict[str, Any],
    size: int,
    instrument: Instrument,
    region: Region,
    answers: bool,
) -> Submission:
    if not is_workbook_name(path):
        if size <= MAX_FILE_BYTES:
            base = base | {"sha256": hashlib.sha256(read_input_bytes(path)).hexdigest()}
        kind = "berkas kunci sementara" if path.name.startswith(LOCK_PREFIX) else path.suffix
        found = issue("bukan-workbook", file=rel, value=kind or "tanpa akhiran")
        return finish(base, tables.FILE_NOT_WORKBOOK, [found])
    if size > MAX_FILE_BYTES:
        shown = f"{size / 2**20:.0f} MB, batas {MAX_FILE_BYTES / 2**20:.0f} MB"
        return finish(
            base, tables.FILE_REJECTED, [issue("berkas-terlalu-besar", file=rel, value=shown)]
        )
    data = read_input_bytes(path)
    base = base | {"sha256": hashlib.sha256(data).hexdigest(), "ukuran": len(data)}
    sniffed = sniff_bytes(path, data)
    if sniffed.problem:
        found = issue(sniffed.problem, file=rel, value=sniffed.detail)
        return finish(base, tables.FILE_REJECTED, [found])
    suffix = path.suffix.lower()
    return read_workbook_bytes(
        data,
        suffix,
        base,
        instrument,
        region,
        sniffed.parts,
        sniffed.names,
        READERS,
        answers=answers,
    )


def read_input_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """A regular file's bytes (at most `limit` + 1), opened read-only without following links."""
    try:
        fd = os.open(path, OPEN_FLAGS | NOATIME)
    except PermissionError:  # O_NOATIME needs ownership; read like anyone else
        fd = os.open(path, OPEN_FLAGS)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "bukan berkas biasa")
        chunks, total = [], 0
        while total <= limit and (chunk := os.read(fd, READ_CHUNK)):
            chunks.append(chunk)
            total += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _changed(before: os.stat_result, after: os.stat_result) -> bool:
    keys = ("st_ino", "st_size", "st_mtime_ns", "st_ctime_ns")
    return any(getattr(before, k) != getattr(after, k) for k in keys)


def _change(before: os.stat_result, path: Path) -> str:
    after = os.lstat(path)
    if after.st_size != before.st_size:
        return f"ukuran {before.st_size} menjadi {after.st_size} byte"
    return "waktu ubah berganti"


def _crashed(path: Path, root: Path) -> Submission:
    """A file whose reading killed its worker process: rejected, with that said."""
    rel = shown_path(path, root)
    found = issue("berkas-tidak-terbaca", file=rel, value=WORKER_DIED)
    return finish(_base(rel), tables.FILE_REJECTED, [found])


def _recency(submission: Submission) -> tuple[str, str, str]:
    """Newer first sorts last: the workbook's saved time (else its file time), file time, path."""
    file = submission.file
    return (file["disimpan"] or file["diubah"], file["diubah"], file["file"])


def resolve_duplicates(submissions: list[Submission]) -> list[Submission]:
    """For used workbooks of the same office, keep the newest; mark the others superseded."""
    by_role: dict[str, list[Submission]] = {}
    for item in submissions:
        if item.file["status"] == tables.FILE_USED and item.file["peran"]:
            by_role.setdefault(item.file["peran"], []).append(item)
    superseded: dict[str, str] = {}
    conflicts: dict[str, list[dict[str, str]]] = {}
    for items in by_role.values():
        newest = max(items, key=_recency)
        superseded |= {i.file["file"]: newest.file["file"] for i in items if i is not newest}
        for found in _unordered(newest, items):
            conflicts.setdefault(found["file"], []).append(found)
    return [
        _supersede(i, superseded[i.file["file"]])
        if i.file["file"] in superseded
        else replace(i, issues=[*i.issues, *conflicts.get(i.file["file"], [])])
        for i in submissions
    ]


def _unordered(newest: Submission, items: list[Submission]) -> list[dict[str, str]]:
    """Versions saved at the same moment as the one used, with other answers: said, not silent."""
    found = []
    for other in items:
        same_time = other is not newest and _recency(other)[:2] == _recency(newest)[:2]
        if same_time and _answers_of(other) != _answers_of(newest):
            used = newest.file["file"]
            found.append(
                issue("versi-tidak-terurut", file=used, value=other.file["file"], used=used)
            )
    return found


def _answers_of(item: Submission) -> dict[str, tuple[Any, ...]]:
    """What an office answered, by question code (raw cell values)."""
    keys = ("jawaban_mentah", "data_dukung_mentah", "keterangan_mentah")
    return {str(c["kode"]): tuple(c[k] for k in keys) for c in item.cells}


def _supersede(item: Submission, newer: str) -> Submission:
    found = issue("berkas-digantikan", file=item.file["file"], value=newer)
    file = item.file | {"status": tables.FILE_SUPERSEDED, "pesan": found["message"]}
    kept = [i for i in item.issues if i["code"] in KEPT_WHEN_SUPERSEDED]  # why it lost
    return replace(item, file=file, cells=[], units=[], issues=[found, *kept])


def gather(submissions: list[Submission]) -> Ingested:
    """The three tables, in sorted file order."""
    import pandas as pd

    files = pd.DataFrame([s.file for s in submissions], columns=list(tables.FILES))
    files["ukuran"] = pd.to_numeric(files["ukuran"], errors="coerce").fillna(0).astype("int64")
    cells = pd.DataFrame(
        [cell for s in submissions for cell in s.cells], columns=list(tables.CELLS), dtype=object
    )
    cells["row"] = cells["row"].astype("int64")
    issues = issues_frame(found for s in submissions for found in s.issues)
    decisions = pd.DataFrame(
        [row for s in submissions for row in s.decisions],
        columns=list(tables.DECISION_CELLS),
        dtype=object,
    )
    units = pd.DataFrame(
        [unit for s in submissions for unit in s.units], columns=list(tables.UNIT_ANSWERS)
    )
    return Ingested(files=files, cells=cells, issues=issues, decisions=decisions, units=units)
