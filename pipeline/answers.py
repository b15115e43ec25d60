"""Messy cell values -> normalised answers: labels, Indonesian numbers, percent rule, evidence."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from pipeline import tables
from pipeline.instrument import Scale

# Zero-width, bidirectional controls (they reorder what a reader sees) and C0/C1 control characters
# except tab, line feed and carriage return (folded to spaces): removed from every cell's text.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
BIDI_CONTROLS = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
CONTROLS = "".join(chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)] if chr(c) not in "\t\n\r")
HIDDEN = ZERO_WIDTH + BIDI_CONTROLS + CONTROLS
INVISIBLE = dict.fromkeys(map(ord, HIDDEN), None)
# Letters from these scripts look like Latin ones (Cyrillic а, Greek ο) but never match a label.
LOOKALIKE_SCRIPTS = ("CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE")
MAX_TEXT_CHARS = 2000  # per Jawaban/Data Dukung/Keterangan cell; longer text is cut
SPACES = re.compile(r"\s+")
SLASH = re.compile(r"\s*/\s*")
PERCENT_SIGN = re.compile(r"\s*%\s*$")
UNIT = re.compile(r"^([+-]?\d[\d.,\s]*?)\s*([^\W\d_][^\d]*)$")
PLAIN = re.compile(r"^[+-]?\d+$")
DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
DECIMAL_DOT = re.compile(r"^[+-]?\d+\.\d+$")
THOUSANDS_DOT = re.compile(r"^[+-]?[1-9]\d{0,2}(\.\d{3})+$")  # 1.234, never 0.950
THOUSANDS_SPACE = re.compile(r"^[+-]?[1-9]\d{0,2}( \d{3})+$")
ID_FULL = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+,\d+$")
EN_FULL = re.compile(r"^[+-]?\d{1,3}(,\d{3})+\.\d+$")
URL = re.compile(r"https?://[^\s/$.?#][^\s]*", re.IGNORECASE)
FILE_NAME = re.compile(r"\.[A-Za-z0-9]{2,4}$")
LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Normalised:
    """One answer after normalisation.

    `jawaban` is the scale label, the number as text, or the cleaned text when it matches nothing
    (validate.py rejects it); `problem` an issue code found while reading the value ("" if none).
    """

    jawaban: str
    nilai: float | None = None
    problem: str = ""
    changed: bool = False
    ambiguous: bool = False


def clean_text(value: Any) -> str:
    """Text of a cell value: non-breaking and repeated spaces folded, invisible characters removed."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isfinite(value):
        return format_number(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, str) and value.isascii() and value.isprintable():
        return " ".join(value.split())  # nothing to normalise or remove: only spaces to fold
    text = unicodedata.normalize("NFKC", str(value)).translate(INVISIBLE)
    return SPACES.sub(" ", text).strip()


def hidden_characters(text: str) -> list[str]:
    """The hidden or control characters in `text` as code points (`U+202E`), sorted, each once."""
    if text.isascii() and text.isprintable():
        return []
    return [f"U+{ord(c):04X}" for c in sorted(set(text) & set(HIDDEN))]


def lookalike_letters(text: str) -> list[str]:
    """Letters of a look-alike script in text that also holds Latin letters: `а (U+0430)`."""
    if text.isascii():
        return []
    letters = [c for c in text if c.isalpha()]
    if not any(unicodedata.name(c, "").startswith("LATIN") for c in letters):
        return []
    odd = sorted({c for c in letters if unicodedata.name(c, "").startswith(LOOKALIKE_SCRIPTS)})
    return [f"{c} (U+{ord(c):04X})" for c in odd]


def format_number(number: float) -> str:
    """A number as plain text: no exponent, no trailing zeros, '.' as decimal point."""
    if number == int(number) and abs(number) < 1e15:
        return str(int(number))
    return f"{number:.10f}".rstrip("0").rstrip(".")


def is_empty(value: Any) -> bool:
    """True for a cell nobody typed into (None, '', only spaces)."""
    if isinstance(value, float):
        return math.isnan(value)
    return value is None or (isinstance(value, str) and clean_text(value) == "")


def label_key(text: str) -> str:
    """Comparison key of a label: lower case, single spaces, no spaces around '/', no final '.'."""
    return SLASH.sub("/", clean_text(text).lower()).rstrip(".").strip()


def match_label(value: Any, scale: Scale) -> Normalised:
    """The scale label a typed value means; unmatched text is returned as is for validate to reject."""
    text = clean_text(value)
    if text.startswith("="):
        return Normalised(text, problem="rumus-tanpa-nilai")
    key = label_key(text)
    exact = [label for label in scale.labels if label_key(label) == key]
    if len(exact) == 1:  # only case, spacing or a final '.' differ: the label itself, no warning
        return Normalised(exact[0])
    variants = [
        label for label in scale.labels if key in {label_key(v) for v in scale.variants(label)}
    ]
    if exact or len(variants) != 1:
        return Normalised(text)
    return Normalised(variants[0], changed=True)


def parse_number_text(text: str) -> tuple[float | None, bool]:
    """(number, changed) from Indonesian-style text; changed when more than a decimal comma was read.

    `12,5` and `12.5` -> 12.5 (both allowed by the template); `1.234` and `1 234` -> 1234
    (thousands); `1.234,5` -> 1234.5 and `1,234.5` -> 1234.5 (flagged as changed).
    """
    if PLAIN.match(text):
        return float(text), False
    if DECIMAL_COMMA.match(text):
        return float(text.replace(",", ".")), False
    if THOUSANDS_DOT.match(text):
        return float(text.replace(".", "")), True
    if THOUSANDS_SPACE.match(text):
        return float(text.replace(" ", "")), True
    if DECIMAL_DOT.match(text):  # not thousands (tested above): as the Petunjuk allows, no warning
        return float(text), False
    if ID_FULL.match(text):
        return float(text.replace(".", "").replace(",", ".")), True
    if EN_FULL.match(text):
        return float(text.replace(",", "")), True
    return None, False


def parse_number(value: Any, scale: Scale) -> Normalised:
    """A number from a cell value: numeric cells, numbers as text, `85 %`, `12 orang`.

    Percent rule (jenis persen): text with a `%` sign gives the number before it (`85%` -> 85;
    ingest turns a number in a percent-formatted cell into such text, numfmt.py). A
    number 0 < x <= 1 without a `%` sign is ambiguous (a cell formatted as percent holds 0.85 for
    85%): it is kept as given and flagged, never multiplied.
    """
    if isinstance(value, bool | dt.datetime | dt.date | dt.time):
        return Normalised(clean_text(value), problem="bukan-angka")
    if isinstance(value, int | float):
        number = float(value)
        if not math.isfinite(number):
            return Normalised(clean_text(value), problem="bukan-angka")
        return _number_result(number, False, scale, explicit_percent=False)
    text = clean_text(value)
    if text.startswith("="):
        return Normalised(text, problem="rumus-tanpa-nilai")
    body = PERCENT_SIGN.sub("", text)
    percent = body != text
    unit = UNIT.match(body)
    if unit and not percent:
        body = unit.group(1).strip()
    parsed, changed = parse_number_text(body)
    if parsed is None:
        return Normalised(text, problem="bukan-angka")
    # `85%` on a percent question is what the template asks for: read as 85 without a warning
    changed = changed or bool(unit) or (percent and scale.jenis != "persen")
    return _number_result(parsed, changed, scale, explicit_percent=percent)


def _number_result(
    number: float, changed: bool, scale: Scale, explicit_percent: bool
) -> Normalised:
    number = number + 0.0  # -0.0 -> 0.0
    ambiguous = scale.jenis == "persen" and not explicit_percent and 0 < number <= 1
    return Normalised(format_number(number), number, changed=changed, ambiguous=ambiguous)


def normalise_answer(value: Any, scale: Scale) -> Normalised:
    """Normalise one Jawaban cell for its scale (labels or numbers); empty stays empty."""
    if is_empty(value):
        return Normalised("")
    if scale.is_label:
        return match_label(value, scale)
    return parse_number(value, scale)


EDGE_PUNCTUATION = re.compile(r"^[\W_]+|[\W_]+$")
SPACED_SLASH = re.compile(r"\s*/\s*")


def placeholder_key(text: str) -> str:
    """Data Dukung text reduced for comparison: case, edge punctuation, spaces, ' / ' folded."""
    key = SPACED_SLASH.sub("/", " ".join(text.casefold().split()))
    return EDGE_PUNCTUATION.sub("", key)


def is_placeholder(text: str, no_evidence: tuple[str, ...]) -> bool:
    """True when Data Dukung says there is none: empty, only punctuation or dashes, a listed
    placeholder ("Tidak ada.", "N / A", "nihil"), or text starting with a listed phrase of two or
    more words ("tidak ada data dukung", "belum tersedia di dinas")."""
    key = placeholder_key(text)
    if not key:
        return True
    listed = {placeholder_key(p) for p in no_evidence}
    if key in listed:
        return True
    return any(" " in phrase and key.startswith(phrase + " ") for phrase in listed)


def classify_evidence(value: Any, no_evidence: tuple[str, ...]) -> tuple[str, str, bool]:
    """(text, kind, clear) of a Data Dukung cell; kind is "url", "referensi" or "kosong".

    A placeholder from the instrument's `bukan_data_dukung` list counts as empty. A reference is
    clear when it has at least two words and four letters, or looks like a file name.
    """
    text = clean_text(value)
    if is_placeholder(text, no_evidence):
        return "", tables.EVIDENCE_NONE, True
    if URL.search(text):
        return text, tables.EVIDENCE_URL, True
    words = text.split(" ")
    letters = len(LETTER.findall(text))
    clear = (len(words) >= 2 and letters >= 4) or bool(FILE_NAME.search(text) and letters >= 4)
    return text, tables.EVIDENCE_REFERENCE, clear


def checked_text(value: Any) -> tuple[Any, list[tuple[str, dict[str, str]]]]:
    """A raw cell value with over-long text cut at MAX_TEXT_CHARS, and what was found in it.

    Returns the value (unchanged unless cut) and (issue code, fields) pairs for
    `teks-terlalu-panjang`, `karakter-tersembunyi` and `huruf-mirip`.
    """
    if not isinstance(value, str):
        return value, []
    found: list[tuple[str, dict[str, str]]] = []
    if len(value) > MAX_TEXT_CHARS:
        found.append(
            ("teks-terlalu-panjang", {"value": str(len(value)), "expected": str(MAX_TEXT_CHARS)})
        )
        value = value[:MAX_TEXT_CHARS]
    hidden = hidden_characters(value)
    if hidden:
        found.append(("karakter-tersembunyi", {"value": ", ".join(hidden)}))
    lookalike = lookalike_letters(value)
    if lookalike:
        shown = clean_text(value)[:80]
        found.append(("huruf-mirip", {"value": shown, "chars": ", ".join(lookalike)}))
    return value, found
