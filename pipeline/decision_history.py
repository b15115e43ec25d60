"""The append-only verification decision history, outputs/riwayat_verifikasi.jsonl.

One JSON line per distinct decision ever read: a decision changed in a later round is a new line;
the earlier line stays. A decision carried unchanged into a later round's workbook is not repeated.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline import config
from pipeline.messages import records

# What makes a decision the same decision (the round and the file that carried it do not).
SAME_DECISION = (
    "kode",
    "sidik",
    "keputusan",
    "jawaban_baru",
    "alasan",
    "catatan",
    "verifikator",
    "tanggal",
)


def decision_records(decisions: pd.DataFrame | None, generated_at: str) -> list[dict[str, Any]]:
    """History records of every decision read (DECISION_ROWS), in round, question, file order."""
    if decisions is None or decisions.empty:
        return []
    ordered = decisions.sort_values(["putaran", "kode", "file", "row"], kind="stable")
    return [
        {
            "putaran": int(row["putaran"]),
            "kode": str(row["kode"]),
            "keputusan": str(row["keputusan"]),
            "jawaban_lama": str(row["jawaban_dinilai"]),
            "jawaban_baru": str(row["jawaban_koreksi"]),
            "alasan": str(row["alasan"]),
            "catatan": str(row["catatan"]),
            "verifikator": str(row["verifikator"]),
            "tanggal": str(row["tanggal"]),
            "sidik": str(row["sidik"]),
            "berkas": str(row["file"]),
            "sel": f"{row['sheet']}!{row['keputusan_sel']}",
            "sha256_berkas": str(row["file_sha256"]),
            "dicatat": generated_at,
        }
        for row in records(ordered)
    ]


def read_decision_history(outputs_dir: Path) -> list[dict[str, Any]]:
    """Every complete line of the decision history (a line cut by a crash is skipped)."""
    path = Path(outputs_dir) / config.DECISION_HISTORY_FILE
    if not path.exists():
        return []
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            found.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return found


def append_decision_history(
    outputs_dir: Path, decisions: pd.DataFrame | None, generated_at: str
) -> Path:
    """Append the decisions not yet in the history, in one write; earlier lines are never touched."""
    path = Path(outputs_dir) / config.DECISION_HISTORY_FILE
    known = {_key(item) for item in read_decision_history(outputs_dir)}
    lines = []
    for item in decision_records(decisions, generated_at):
        if _key(item) not in known:
            known.add(_key(item))
            lines.append(json.dumps(item, ensure_ascii=False, sort_keys=True) + "\n")
    text = "".join(lines)
    if path.exists() and path.stat().st_size and not path.read_bytes().endswith(b"\n"):
        text = "\n" + text
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
    try:
        if text:
            os.write(fd, text.encode("utf-8"))
            os.fsync(fd)
    finally:
        os.close(fd)
    return path


def _key(item: dict[str, Any]) -> tuple[str, ...]:
    return tuple(str(item.get(name, "")) for name in SAME_DECISION)
