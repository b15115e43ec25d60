"""schemas/ -> a frozen Instrument (questions, indicators, scales, scoring rules); checks it."""

from __future__ import annotations

import csv
import hashlib
import math
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.errors import KlaError
from pipeline.unit_questions import (
    UnitQuestion,
    is_computed,
    read_unit_questions,
    unit_questions_path,
)

if TYPE_CHECKING:
    import pandas as pd

LABEL_TYPES = ("ya_tidak", "regulasi", "tingkat")
NUMBER_TYPES = ("persen", "jumlah")
ANSWER_TYPES = LABEL_TYPES + NUMBER_TYPES
DIRECTIONS = ("naik", "turun")
LEVELS = ("kabkota", "kecamatan", "desa")
ROLE_KINDS = ("opd", "vertikal", "mitra")
QUESTION_COLUMNS = (
    "indikator",
    "kode",
    "pertanyaan",
    "jenis",
    "arah",
    "nilai_maks",
    "opd_utama",
    "opd_pendukung",
    "tingkat_wilayah",
)
INDICATOR_COLUMNS = ("klaster", "indikator", "indikator_nama", "nilai_maks")
ROLE_COLUMNS = ("kode", "nama", "jenis")
SUM_TOLERANCE = 0.005


@dataclass(frozen=True)
class Scale:
    """An answer scale: labels (best first) or a numeric range."""

    jenis: str
    nama: str
    labels: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    whole: bool = False

    @property
    def is_label(self) -> bool:
        return bool(self.labels)


@dataclass(frozen=True)
class NumberRule:
    """Thresholds for a numeric answer: the first (limit, fraction) the value meets wins."""

    comparison: str  # ">=" or "<="
    steps: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class ScoringRules:
    """Fractions of a question's points by answer, and what counts as no evidence."""

    label_fractions: dict[str, dict[str, float]]
    number_rules: dict[tuple[str, str], NumberRule]
    no_evidence: tuple[str, ...]


@dataclass(frozen=True)
class Category:
    nama: str
    minimum: float


@dataclass(frozen=True)
class Cluster:
    kode: str
    nama: str
    lembar: str
    nilai_maks: float


@dataclass(frozen=True)
class Indicator:
    kode: str
    klaster: str
    nama: str
    nilai_maks: float


@dataclass(frozen=True)
class Role:
    kode: str
    nama: str
    jenis: str


@dataclass(frozen=True)
class Question:
    kode: str
    indikator: str
    klaster: str
    pertanyaan: str
    jenis: str
    arah: str
    nilai_maks: float
    opd_utama: str
    opd_pendukung: tuple[str, ...]
    tingkat_wilayah: str
    urutan: int


@dataclass(frozen=True)
class Instrument:
    """The whole evaluation instrument; the single source of truth for every stage."""

    id: str
    nama: str
    tahun: int
    nilai_total: float
    clusters: tuple[Cluster, ...]
    indicators: tuple[Indicator, ...]
    questions: tuple[Question, ...]
    roles: dict[str, Role]
    scales: dict[str, Scale]
    scoring: ScoringRules
    categories: tuple[Category, ...]
    content_hash: str
    # Computed questions as the units answer them (schemas/<id>-unit.csv); () when absent.
    unit_questions: tuple[UnitQuestion, ...] = ()

    def question(self, kode: str) -> Question:
        return self._by_code()[kode]

    def _by_code(self) -> dict[str, Question]:
        return {q.kode: q for q in self.questions}

    def cluster(self, kode: str) -> Cluster:
        return next(c for c in self.clusters if c.kode == kode)

    def indicator(self, kode: str) -> Indicator:
        return next(i for i in self.indicators if i.kode == kode)

    def questions_frame(self) -> pd.DataFrame:
        """One row per question, in instrument order, with indicator and cluster names."""
        import pandas as pd

        indicators = {i.kode: i for i in self.indicators}
        clusters = {c.kode: c for c in self.clusters}
        rows = [
            {
                "urutan": q.urutan,
                "kode": q.kode,
                "klaster": q.klaster,
                "klaster_nama": clusters[q.klaster].nama,
                "indikator": q.indikator,
                "indikator_nama": indicators[q.indikator].nama,
                "pertanyaan": q.pertanyaan,
                "jenis": q.jenis,
                "arah": q.arah,
                "nilai_maks": q.nilai_maks,
                "opd_utama": q.opd_utama,
                "opd_pendukung": ";".join(q.opd_pendukung),
                "tingkat_wilayah": q.tingkat_wilayah,
            }
            for q in self.questions
        ]
        return pd.DataFrame(rows)


def read_instrument(path: Path) -> Instrument:
    """Read and check the instrument manifest (TOML) and the CSV files it names."""
    path = Path(path)
    manifest = _read_toml(path)
    base = path.parent
    files = {
        key: base / str(manifest.get(key, "")) for key in ("indikator", "pertanyaan", "peran_opd")
    }
    indicator_rows = _read_csv(files["indikator"], INDICATOR_COLUMNS)
    question_rows = _read_csv(files["pertanyaan"], QUESTION_COLUMNS)
    role_rows = _read_csv(files["peran_opd"], ROLE_COLUMNS)
    digest = hashlib.sha256()
    for file in (path, *files.values()):
        digest.update(file.read_bytes())
    instrument = build_instrument(
        manifest, indicator_rows, question_rows, role_rows, files, digest.hexdigest()
    )
    computed = {
        q.kode: q.tingkat_wilayah
        for q in instrument.questions
        if is_computed(q.jenis, q.tingkat_wilayah)
    }
    units = read_unit_questions(unit_questions_path(path), computed)
    return replace(instrument, unit_questions=units)


def build_instrument(
    manifest: dict[str, Any],
    indicator_rows: list[tuple[int, dict[str, str]]],
    question_rows: list[tuple[int, dict[str, str]]],
    role_rows: list[tuple[int, dict[str, str]]],
    files: dict[str, Path],
    content_hash: str,
) -> Instrument:
    """Build the Instrument from parsed rows; raise KlaError listing every problem found."""
    problems: list[str] = []
    roles = _parse_roles(role_rows, files["peran_opd"], problems)
    clusters = _parse_clusters(manifest, problems)
    indicators = _parse_indicators(indicator_rows, files["indikator"], clusters, problems)
    scales = _parse_scales(manifest, problems)
    questions = _parse_questions(question_rows, files["pertanyaan"], indicators, roles, problems)
    scoring = _parse_scoring(manifest, scales, problems)
    categories = _parse_categories(manifest, problems)
    total = _number(manifest.get("nilai_total", 1000))
    if not problems:
        _check_sums(clusters, indicators, questions, total, files, problems)
    if problems:
        raise KlaError("Instrumen tidak valid:\n" + "\n".join(f"- {p}" for p in problems))
    return Instrument(
        id=str(manifest.get("id", "")),
        nama=str(manifest.get("nama", "")),
        tahun=int(manifest.get("tahun", 0)),
        nilai_total=total or 0.0,
        clusters=tuple(clusters.values()),
        indicators=tuple(indicators.values()),
        questions=tuple(questions),
        roles=roles,
        scales=scales,
        scoring=scoring,
        categories=categories,
        content_hash=content_hash,
    )


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise KlaError(f"Berkas instrumen tidak ditemukan: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise KlaError(f"Berkas instrumen {path} tidak dapat dibaca (format TOML): {exc}") from None


def _read_csv(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """Rows as (line number, row) from a UTF-8 CSV that must have the given columns."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing:
                raise KlaError(f"{path}: kolom wajib tidak ada: {', '.join(missing)}.")
            return [
                (reader.line_num, {k: (v or "").strip() for k, v in row.items() if k})
                for row in reader
            ]
    except FileNotFoundError:
        raise KlaError(f"Berkas instrumen tidak ditemukan: {path}") from None
    except UnicodeDecodeError:
        raise KlaError(f"{path}: bukan teks UTF-8. Simpan ulang sebagai CSV UTF-8.") from None


def _number(value: Any) -> float | None:
    try:
        number = float(str(value).replace(",", "."))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _parse_roles(
    rows: list[tuple[int, dict[str, str]]], path: Path, problems: list[str]
) -> dict[str, Role]:
    roles: dict[str, Role] = {}
    for line, row in rows:
        where = f"{path.name} baris {line}"
        if not row["kode"]:
            problems.append(f"{where}: kode peran kosong.")
        elif row["kode"] in roles:
            problems.append(f"{where}: kode peran '{row['kode']}' muncul dua kali.")
        elif row["jenis"] not in ROLE_KINDS:
            problems.append(
                f"{where}: jenis peran '{row['jenis']}' tidak dikenal; pilih {', '.join(ROLE_KINDS)}."
            )
        else:
            roles[row["kode"]] = Role(row["kode"], row["nama"], row["jenis"])
    return roles


def _parse_clusters(manifest: dict[str, Any], problems: list[str]) -> dict[str, Cluster]:
    clusters: dict[str, Cluster] = {}
    for position, item in enumerate(manifest.get("klaster", []), start=1):
        kode = str(item.get("kode", ""))
        maks = _number(item.get("nilai_maks"))
        if not kode or kode in clusters or maks is None or maks < 0:
            problems.append(
                f"klaster ke-{position} ('{kode}'): kode kosong/ganda atau nilai_maks salah."
            )
            continue
        lembar = str(item.get("lembar", kode))[:31]
        clusters[kode] = Cluster(kode, str(item.get("nama", kode)), lembar, maks)
    if not clusters:
        problems.append("tidak ada [[klaster]] di berkas instrumen.")
    return clusters


def _parse_indicators(
    rows: list[tuple[int, dict[str, str]]],
    path: Path,
    clusters: dict[str, Cluster],
    problems: list[str],
) -> dict[str, Indicator]:
    indicators: dict[str, Indicator] = {}
    for line, row in rows:
        where = f"{path.name} baris {line}"
        maks = _number(row["nilai_maks"])
        if row["klaster"] not in clusters:
            problems.append(f"{where}: klaster '{row['klaster']}' tidak ada di berkas instrumen.")
        elif not row["indikator"] or row["indikator"] in indicators:
            problems.append(f"{where}: kode indikator '{row['indikator']}' kosong atau ganda.")
        elif maks is None or maks < 0:
            problems.append(f"{where}: nilai_maks '{row['nilai_maks']}' bukan angka >= 0.")
        else:
            indicators[row["indikator"]] = Indicator(
                row["indikator"], row["klaster"], row["indikator_nama"], maks
            )
    return indicators


def _parse_scales(manifest: dict[str, Any], problems: list[str]) -> dict[str, Scale]:
    scales: dict[str, Scale] = {}
    raw = manifest.get("skala", {})
    for jenis in ANSWER_TYPES:
        item = raw.get(jenis)
        if item is None:
            problems.append(f"[skala.{jenis}] tidak ada di berkas instrumen.")
            continue
        labels = tuple(str(label) for label in item.get("label", ()))
        if jenis in LABEL_TYPES and (not labels or len(set(labels)) != len(labels)):
            problems.append(f"[skala.{jenis}]: daftar label kosong atau ada label ganda.")
        scales[jenis] = Scale(
            jenis=jenis,
            nama=str(item.get("nama", jenis)),
            labels=labels,
            minimum=_number(item["min"]) if "min" in item else None,
            maximum=_number(item["max"]) if "max" in item else None,
            whole=bool(item.get("bulat", False)),
        )
    return scales


def _parse_questions(
    rows: list[tuple[int, dict[str, str]]],
    path: Path,
    indicators: dict[str, Indicator],
    roles: dict[str, Role],
    problems: list[str],
) -> list[Question]:
    questions: list[Question] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        where = f"{path.name} baris {line} ({row['kode'] or 'tanpa kode'})"
        found = _question_problems(row, indicators, roles)
        if row["kode"] in seen:
            found.append(f"kode '{row['kode']}' sudah dipakai di baris {seen[row['kode']]}")
        problems.extend(f"{where}: {p}." for p in found)
        seen.setdefault(row["kode"], line)
        if found:
            continue
        indicator = indicators[row["indikator"]]
        support = tuple(r.strip() for r in row["opd_pendukung"].split(";") if r.strip())
        questions.append(
            Question(
                kode=row["kode"],
                indikator=indicator.kode,
                klaster=indicator.klaster,
                pertanyaan=row["pertanyaan"],
                jenis=row["jenis"],
                arah=row["arah"] or "naik",
                nilai_maks=float(row["nilai_maks"].replace(",", ".")),
                opd_utama=row["opd_utama"],
                opd_pendukung=support,
                tingkat_wilayah=row["tingkat_wilayah"],
                urutan=len(questions) + 1,
            )
        )
    return questions


def _question_problems(
    row: dict[str, str], indicators: dict[str, Indicator], roles: dict[str, Role]
) -> list[str]:
    found = []
    if not row["kode"]:
        found.append("kode pertanyaan kosong")
    if row["indikator"] not in indicators:
        found.append(f"indikator '{row['indikator']}' tidak ada di berkas indikator")
    if row["jenis"] not in ANSWER_TYPES:
        found.append(f"jenis '{row['jenis']}' tidak dikenal; pilih {', '.join(ANSWER_TYPES)}")
    if row["arah"] and row["arah"] not in DIRECTIONS:
        found.append(f"arah '{row['arah']}' tidak dikenal; pilih naik, turun, atau kosong")
    if row["arah"] and row["jenis"] in LABEL_TYPES:
        found.append(f"arah hanya untuk jenis persen/jumlah, bukan '{row['jenis']}'")
    points = _number(row["nilai_maks"])
    if points is None or points < 0:
        found.append(f"nilai_maks '{row['nilai_maks']}' harus angka 0 atau lebih")
    if row["opd_utama"] not in roles:
        found.append(f"opd_utama '{row['opd_utama']}' tidak ada di daftar peran OPD")
    unknown = [r for r in row["opd_pendukung"].split(";") if r.strip() and r.strip() not in roles]
    if unknown:
        found.append(f"opd_pendukung tidak dikenal: {', '.join(unknown)}")
    if row["tingkat_wilayah"] not in LEVELS:
        found.append(f"tingkat_wilayah '{row['tingkat_wilayah']}' harus {', '.join(LEVELS)}")
    return found


def _parse_scoring(
    manifest: dict[str, Any], scales: dict[str, Scale], problems: list[str]
) -> ScoringRules:
    raw = manifest.get("skor", {})
    label_fractions: dict[str, dict[str, float]] = {}
    for jenis in LABEL_TYPES:
        given = {str(k): _number(v) for k, v in raw.get("label", {}).get(jenis, {}).items()}
        labels = scales[jenis].labels if jenis in scales else ()
        if set(given) != set(labels) or any(v is None or not 0 <= v <= 1 for v in given.values()):
            problems.append(
                f"[skor.label.{jenis}] harus memberi bagian 0..1 untuk setiap label skala."
            )
        label_fractions[jenis] = {k: float(v or 0) for k, v in given.items()}
    number_rules: dict[tuple[str, str], NumberRule] = {}
    for jenis in NUMBER_TYPES:
        for arah in DIRECTIONS:
            item = raw.get("ambang", {}).get(jenis, {}).get(arah)
            rule = _parse_number_rule(item)
            if rule is None:
                problems.append(f"[skor.ambang.{jenis}.{arah}] tidak ada atau salah bentuk.")
            else:
                number_rules[(jenis, arah)] = rule
    no_evidence = tuple(
        str(v).strip().lower() for v in manifest.get("data_dukung", {}).get("bukan_data_dukung", [])
    )
    return ScoringRules(label_fractions, number_rules, no_evidence)


def _parse_number_rule(item: Any) -> NumberRule | None:
    if not isinstance(item, dict) or item.get("banding") not in (">=", "<="):
        return None
    steps = []
    for step in item.get("ambang", []):
        if not isinstance(step, list) or len(step) != 2:
            return None
        limit, fraction = _number(step[0]), _number(step[1])
        if limit is None or fraction is None or not 0 <= fraction <= 1:
            return None
        steps.append((limit, fraction))
    return NumberRule(str(item["banding"]), tuple(steps))


def _parse_categories(manifest: dict[str, Any], problems: list[str]) -> tuple[Category, ...]:
    categories = []
    for item in manifest.get("kategori", []):
        minimum = _number(item.get("min"))
        if minimum is None or not item.get("nama"):
            problems.append(f"[[kategori]] '{item.get('nama', '')}': nama atau min salah.")
            continue
        categories.append(Category(str(item["nama"]), minimum))
    return tuple(sorted(categories, key=lambda c: -c.minimum))


def _check_sums(
    clusters: dict[str, Cluster],
    indicators: dict[str, Indicator],
    questions: list[Question],
    total: float | None,
    files: dict[str, Path],
    problems: list[str],
) -> None:
    by_indicator: dict[str, float] = dict.fromkeys(indicators, 0.0)
    for q in questions:
        by_indicator[q.indikator] += q.nilai_maks
    for kode, indicator in indicators.items():
        if abs(by_indicator[kode] - indicator.nilai_maks) > SUM_TOLERANCE:
            problems.append(
                f"{files['pertanyaan'].name}: jumlah nilai_maks pertanyaan indikator {kode} = "
                f"{by_indicator[kode]:g}, tetapi {files['indikator'].name} menulis {indicator.nilai_maks:g}."
            )
    for kode, cluster in clusters.items():
        summed = sum(i.nilai_maks for i in indicators.values() if i.klaster == kode)
        if abs(summed - cluster.nilai_maks) > SUM_TOLERANCE:
            problems.append(
                f"{files['indikator'].name}: jumlah nilai_maks indikator klaster {kode} = {summed:g}, "
                f"tetapi berkas instrumen menulis {cluster.nilai_maks:g}."
            )
    grand = sum(c.nilai_maks for c in clusters.values())
    if total is None or abs(grand - total) > SUM_TOLERANCE or abs(grand - 1000) > SUM_TOLERANCE:
        problems.append(f"jumlah nilai_maks semua klaster = {grand:g}; harus tepat 1000.")
