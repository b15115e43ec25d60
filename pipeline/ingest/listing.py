"""The inputs folder walked without surprises: every entry gets a row, including those not read.

Hidden files (and everything in hidden folders), folders that cannot be opened and folders nested
deeper than MAX_DEPTH are not read; each becomes a files row with a located issue. File names that
are not UTF-8 (a Latin-1 name from a flash disk or a zip made on Windows) are read like any other and
shown with `\\xNN` escapes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import config, tables
from pipeline.ingest.workbook import Submission, finish
from pipeline.messages import issue

MAX_DEPTH = 32  # folders below inputs/; deeper ones are reported, not entered


@dataclass(frozen=True)
class Listing:
    """PATHS to read (sorted); SKIPPED: rows for entries not read, each with its issue."""

    paths: list[Path] = field(default_factory=list)
    skipped: list[Submission] = field(default_factory=list)


def walk_inputs(inputs_dir: Path) -> Listing:
    """Every entry under inputs_dir, without recursion and without following symbolic links."""
    listing = Listing()
    pending: list[tuple[Path, int, bool]] = [(Path(inputs_dir), 0, False)]
    while pending:
        folder, depth, hidden = pending.pop()
        try:
            with os.scandir(folder) as found:
                entries = sorted(found, key=lambda e: e.name)
        except OSError as exc:
            listing.skipped.append(_folder_row(folder, inputs_dir, exc))
            continue
        for entry in entries:
            _add(listing, pending, entry, inputs_dir, depth, hidden)
    listing.paths.sort(key=lambda p: shown_path(p, inputs_dir))
    return listing


def _add(
    listing: Listing,
    pending: list[tuple[Path, int, bool]],
    entry: os.DirEntry[str],
    root: Path,
    depth: int,
    hidden: bool,
) -> None:
    path = Path(entry.path)
    hidden = hidden or entry.name.startswith(".")
    if is_ignored_name(entry.name):
        return
    if _is_folder(entry):
        if depth + 1 > MAX_DEPTH:
            found = issue("folder-terlalu-dalam", file=shown_path(path, root), expected=MAX_DEPTH)
            listing.skipped.append(finish(_row(path, root), tables.FILE_REJECTED, [found]))
        else:
            pending.append((path, depth + 1, hidden))
    elif hidden:
        found = issue("berkas-tersembunyi", file=shown_path(path, root))
        listing.skipped.append(finish(_row(path, root), tables.FILE_NOT_WORKBOOK, [found]))
    else:
        listing.paths.append(path)


def is_ignored_name(name: str) -> bool:
    """The project's own files, and what Windows leaves beside copied files: not submissions."""
    return (
        name in config.INPUTS_IGNORED
        or name in config.INPUTS_IGNORED_WINDOWS
        or name.endswith(config.INPUTS_IGNORED_SUFFIX)
    )


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _folder_row(folder: Path, root: Path, exc: OSError) -> Submission:
    shown = shown_path(folder, root) or "."
    found = issue("folder-tidak-terbaca", file=shown, value=exc.strerror or type(exc).__name__)
    return finish(_row(folder, root), tables.FILE_REJECTED, [found])


def _row(path: Path, root: Path) -> dict[str, Any]:
    return {name: "" for name in tables.FILES} | {
        "file": shown_path(path, root) or ".",
        "ukuran": 0,
    }


def shown_path(path: Path, root: Path) -> str:
    """The path below root as POSIX text; bytes that are not UTF-8 shown as `\\xNN`."""
    rel = path.relative_to(root).as_posix()
    return "" if rel == "." else os.fsencode(rel).decode("utf-8", "backslashreplace")


def name_issue(path: Path, root: Path) -> list[dict[str, str]]:
    """A warning when the path's name is not valid UTF-8 (shown with escapes)."""
    rel = path.relative_to(root).as_posix()
    shown = shown_path(path, root)
    return [] if shown == rel else [issue("nama-tidak-utf8", file=shown)]
