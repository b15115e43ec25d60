"""schemas/verifikasi.toml -> the verification reasons and the vague Data Dukung classes; checked."""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline import config
from pipeline.answers import placeholder_key
from pipeline.errors import KlaError

MAX_DROPDOWN_CHARS = 255  # Excel's limit for a list validation written inline


@dataclass(frozen=True)
class Reason:
    """One Alasan of the dropdown and what an office must send to have its answer accepted."""

    teks: str
    kirim: str


@dataclass(frozen=True)
class VerificationRules:
    """Reasons (in dropdown order) and the Data Dukung a verifier would not accept."""

    reasons: tuple[Reason, ...]
    vague_words: frozenset[str]
    local_patterns: tuple[re.Pattern[str], ...]

    @property
    def reason_texts(self) -> tuple[str, ...]:
        return tuple(r.teks for r in self.reasons)

    def what_to_send(self, reason: str) -> str:
        """The `kirim` text of a reason (case-insensitive), or the last reason's ("lainnya")."""
        wanted = reason.strip().casefold()
        for item in self.reasons:
            if item.teks.casefold() == wanted:
                return item.kirim
        return self.reasons[-1].kirim

    def is_vague(self, text: str) -> bool:
        """True when Data Dukung names neither a link nor a document: "ada", "terlampir", C:\\..."""
        plain = " ".join(str(text or "").split())
        if not plain:
            return False
        if placeholder_key(plain) in self.vague_words:
            return True
        return any(pattern.search(plain) for pattern in self.local_patterns)


@functools.cache
def read_verification_rules(path: Path = config.VERIFICATION_RULES_FILE) -> VerificationRules:
    """Read and check the verification rules; KlaError (Indonesian) when the file is wrong."""
    try:
        with Path(path).open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise KlaError(f"Berkas aturan verifikasi tidak ditemukan: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise KlaError(
            f"Berkas aturan verifikasi {path} tidak dapat dibaca (TOML): {exc}"
        ) from None
    problems: list[str] = []
    rules = build_verification_rules(data, problems)
    if problems:
        raise KlaError(f"Berkas aturan verifikasi {path} salah: " + "; ".join(problems))
    return rules


def build_verification_rules(data: dict[str, Any], problems: list[str]) -> VerificationRules:
    """Rules from parsed TOML; every problem found is appended to `problems`."""
    reasons = []
    for index, item in enumerate(data.get("alasan", []), start=1):
        teks, kirim = str(item.get("teks", "")).strip(), str(item.get("kirim", "")).strip()
        if not teks or not kirim:
            problems.append(f"[[alasan]] ke-{index} harus berisi `teks` dan `kirim`")
        elif "," in teks:
            problems.append(f"alasan '{teks}' tidak boleh memuat koma (daftar pilihan Excel)")
        reasons.append(Reason(teks, kirim))
    if not reasons:
        problems.append("daftar [[alasan]] kosong")
    if len(",".join(r.teks for r in reasons)) > MAX_DROPDOWN_CHARS:
        problems.append(f"daftar alasan lebih dari {MAX_DROPDOWN_CHARS} karakter")
    vague = data.get("data_dukung_samar", {})
    words = frozenset(placeholder_key(str(w)) for w in vague.get("kata", []))
    patterns = []
    for text in vague.get("pola", []):
        try:
            patterns.append(re.compile(str(text), re.IGNORECASE))
        except re.error as exc:
            problems.append(f"pola '{text}' bukan ekspresi reguler yang sah: {exc}")
    return VerificationRules(tuple(reasons), words, tuple(patterns))
