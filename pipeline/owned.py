"""Which files in the outputs folder the tool wrote itself: only those are ever removed.

The previous run's manifest (`selesai.json`) lists what it wrote, with SHA-256. Before a run removes
that manifest it copies the list to a ledger (`config.OWNED_FILE`), so a run killed before its own
manifest still passes the list on. A stale output is removed only when its content is still what the
tool wrote; a file the user put in outputs, or changed there, is never removed.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from pipeline import config
from pipeline.outfiles import file_sha256, write_text_atomic

Owned = dict[str, str]  # POSIX path relative to outputs -> SHA-256 the tool wrote
TEMP_RANDOM = re.compile(r"^[a-z0-9_]{8}$")  # tempfile.mkstemp's random part (outfiles.atomic_path)


def read_owned(outputs_dir: Path, manifest_name: str) -> Owned:
    """The files the tool wrote and has not removed: previous manifest plus a killed run's ledger."""
    owned = _read_entries(outputs_dir / config.OWNED_FILE)
    owned |= _read_entries(outputs_dir / manifest_name)
    return {name: digest for name, digest in owned.items() if _inside(outputs_dir, name)}


def start_owned(outputs_dir: Path, manifest_name: str) -> Owned:
    """Save the owned list to the ledger (before the manifest goes) and drop their temporaries."""
    owned = read_owned(outputs_dir, manifest_name)
    write_owned(outputs_dir, owned)
    remove_temporaries(outputs_dir, owned | {config.OWNED_FILE: "", manifest_name: ""})
    return owned


def write_owned(outputs_dir: Path, owned: Owned) -> Path:
    body = {"berkas": dict(sorted(owned.items()))}
    return write_text_atomic(
        outputs_dir / config.OWNED_FILE, json.dumps(body, ensure_ascii=False, indent=2) + "\n"
    )


def remove_stale(outputs_dir: Path, owned: Owned, written: list[Path]) -> list[Path]:
    """Record this run's outputs as owned, then remove earlier outputs it did not write again.

    An earlier output is removed only if its SHA-256 is still the one recorded (unchanged since the
    tool wrote it). Returns the removed paths.
    """
    mine = {_name(outputs_dir, path): file_sha256(path) for path in written}
    write_owned(outputs_dir, owned | mine)
    removed = []
    for name, digest in sorted(owned.items()):
        path = outputs_dir / name
        if name not in mine and _unchanged(path, digest):
            path.unlink()
            removed.append(path)
    remove_temporaries(outputs_dir, owned | mine)
    return removed


def finish_owned(outputs_dir: Path) -> None:
    """The manifest now lists what the tool owns: the ledger is no longer needed."""
    (outputs_dir / config.OWNED_FILE).unlink(missing_ok=True)


def remove_temporaries(outputs_dir: Path, owned: Owned) -> None:
    """Remove temporaries a killed run left for an owned output (`.name.XXXXXXXX.ext.tmp`) only."""
    for name in owned:
        target = outputs_dir / name
        if not target.parent.is_dir():
            continue
        for entry in os.scandir(target.parent):
            if _is_temporary_of(entry.name, target) and entry.is_file(follow_symlinks=False):
                Path(entry.path).unlink(missing_ok=True)


def _is_temporary_of(name: str, target: Path) -> bool:
    head, tail = f".{target.stem}.", f"{target.suffix}.tmp"
    if not (name.startswith(head) and name.endswith(tail)) or len(name) < len(head) + len(tail):
        return False
    return bool(TEMP_RANDOM.match(name[len(head) : len(name) - len(tail)]))


def _read_entries(path: Path) -> Owned:
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))["berkas"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    if not isinstance(entries, dict):
        return {}
    return {str(k): str(v) for k, v in entries.items()}


def _inside(outputs_dir: Path, name: str) -> bool:
    """A listed name is trusted only as a plain path below outputs (no `..`, not absolute)."""
    parts = Path(name).parts
    return bool(parts) and not Path(name).is_absolute() and ".." not in parts and name != "."


def _unchanged(path: Path, digest: str) -> bool:
    if path.is_symlink() or not path.is_file():
        return False
    return file_sha256(path) == digest


def _name(outputs_dir: Path, path: Path) -> str:
    return path.relative_to(outputs_dir).as_posix()
