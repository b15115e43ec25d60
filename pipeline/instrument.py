"""schemas/ -> a frozen Instrument (questions, indicators, scales, scoring rules); checks it."""

from __future__ import annotations

import csv
import hashlib
import math
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.errors import setup_error
from pipeline.messages import setup_problem
from pipeline.region_check import toml_problem
from pipeline.unit_questions import (
    UnitQuestion,
    is_computed,
    read_unit_questions,
    unit_questions_path,
)

if TYPE_CHECKING:
    import pandas as pd

# Scale forms (`bentuk`) and number directions (`arah`): the code knows these two words; every scale,
# label, synonym and default is data in the instrument TOML.
FORM_LABEL = "label"
FORM_NUMBER = "angka"
FORMS = (FORM_LABEL, FORM_NUMBER)
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
Problems = list[tuple[str, str]]  # (slug, message), see messages.SETUP_CATALOGUE
INVALID = "Instrumen tidak valid:"


@dataclass(frozen=True)
class Scale:
    """An answer scale: labels (best first) or a numeric range."""

    jenis: str
    nama: str
    labels: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    whole: bool = False
    synonyms: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (label, what people type for it)

    @property
    def is_label(self) -> bool:
        return bool(self.labels)

    def variants(self, label: str) -> tuple[str, ...]:
        """What people type for a label of this scale (from `[skala.<jenis>.sinonim]`)."""
        return next((typed for name, typed in self.synonyms if name == label), ())


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
    problems: Problems = []
    roles = _parse_roles(role_rows, files["peran_opd"], problems)
    clusters = _parse_clusters(manifest, problems)
    indicators = _parse_indicators(indicator_rows, files["indikator"], clusters, problems)
    scales = _parse_scales(manifest, problems)
    default_direction = _default_direction(manifest, problems)
    questions = _parse_questions(
        question_rows, files["pertanyaan"], indicators, roles, scales, default_direction, problems
    )
    scoring = _parse_scoring(manifest, scales, problems)
    categories = _parse_categories(manifest, problems)
    total = _number(manifest.get("nilai_total", 1000))
    if not problems:
        _check_sums(clusters, indicators, questions, total, files, problems)
    if problems:
        raise setup_error(INVALID, problems)
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
        raise setup_error(
            INVALID, [setup_problem("instrumen-tidak-ditemukan", path=path)]
        ) from None
    except tomllib.TOMLDecodeError as exc:
        where, what = toml_problem(str(exc))
        problem = setup_problem("instrumen-toml-rusak", path=path, where=where, detail=what)
        raise setup_error(INVALID, [problem]) from None


def _read_csv(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """Rows as (line number, row) from a UTF-8 CSV that must have the given columns."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing:
                raise setup_error(
                    INVALID,
                    [
                        setup_problem(
                            "instrumen-kolom-kurang", path=path, columns=", ".join(missing)
                        )
                    ],
                )
            return [
                (reader.line_num, {k: (v or "").strip() for k, v in row.items() if k})
                for row in reader
            ]
    except FileNotFoundError:
        raise setup_error(
            INVALID, [setup_problem("instrumen-tidak-ditemukan", path=path)]
        ) from None
    except UnicodeDecodeError:
        raise setup_error(INVALID, [setup_problem("instrumen-bukan-utf8", path=path)]) from None


def _number(value: Any) -> float | None:
    try:
        number = float(str(value).replace(",", "."))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _parse_roles(
    rows: list[tuple[int, dict[str, str]]], path: Path, problems: Problems
) -> dict[str, Role]:
    roles: dict[str, Role] = {}
    for line, row in rows:
        where = f"{path.name} baris {line}"
        if not row["kode"]:
            problems.append(setup_problem("peran-kosong", where=where))
        elif row["kode"] in roles:
            problems.append(setup_problem("peran-ganda", where=where, kode=row["kode"]))
        elif row["jenis"] not in ROLE_KINDS:
            problems.append(
                setup_problem(
                    "peran-jenis-tidak-dikenal",
                    where=where,
                    jenis=row["jenis"],
                    choices=", ".join(ROLE_KINDS),
                )
            )
        else:
            roles[row["kode"]] = Role(row["kode"], row["nama"], row["jenis"])
    return roles


def _parse_clusters(manifest: dict[str, Any], problems: Problems) -> dict[str, Cluster]:
    clusters: dict[str, Cluster] = {}
    for position, item in enumerate(manifest.get("klaster", []), start=1):
        kode = str(item.get("kode", ""))
        maks = _number(item.get("nilai_maks"))
        if not kode or kode in clusters or maks is None or maks < 0:
            problems.append(setup_problem("klaster-salah", position=position, kode=kode))
            continue
        lembar = str(item.get("lembar", kode))[:31]
        clusters[kode] = Cluster(kode, str(item.get("nama", kode)), lembar, maks)
    if not clusters:
        problems.append(setup_problem("klaster-tidak-ada"))
    return clusters


def _parse_indicators(
    rows: list[tuple[int, dict[str, str]]],
    path: Path,
    clusters: dict[str, Cluster],
    problems: Problems,
) -> dict[str, Indicator]:
    indicators: dict[str, Indicator] = {}
    for line, row in rows:
        where = f"{path.name} baris {line}"
        maks = _number(row["nilai_maks"])
        if row["klaster"] not in clusters:
            problems.append(
                setup_problem("indikator-klaster-tidak-ada", where=where, klaster=row["klaster"])
            )
        elif not row["indikator"] or row["indikator"] in indicators:
            problems.append(
                setup_problem("indikator-kode-salah", where=where, kode=row["indikator"])
            )
        elif maks is None or maks < 0:
            problems.append(
                setup_problem("indikator-nilai-salah", where=where, nilai=row["nilai_maks"])
            )
        else:
            indicators[row["indikator"]] = Indicator(
                row["indikator"], row["klaster"], row["indikator_nama"], maks
            )
    return indicators


def _parse_scales(manifest: dict[str, Any], problems: Problems) -> dict[str, Scale]:
    scales: dict[str, Scale] = {}
    raw = manifest.get("skala", {})
    if not raw:
        problems.append(setup_problem("skala-tidak-ada"))
    for jenis, item in raw.items():
        form = item.get("bentuk")
        if form not in FORMS:
            problems.append(
                setup_problem(
                    "skala-bentuk-tidak-dikenal",
                    jenis=jenis,
                    bentuk=form,
                    choices=" atau ".join(FORMS),
                )
            )
            continue
        labels = tuple(str(label) for label in item.get("label", ()))
        if form == FORM_LABEL and (not labels or len(set(labels)) != len(labels)):
            problems.append(setup_problem("skala-label-salah", jenis=jenis))
        if form == FORM_NUMBER and labels:
            problems.append(setup_problem("skala-angka-berlabel", jenis=jenis))
        scales[jenis] = Scale(
            jenis=jenis,
            nama=str(item.get("nama", jenis)),
            labels=labels,
            minimum=_number(item["min"]) if "min" in item else None,
            maximum=_number(item["max"]) if "max" in item else None,
            whole=bool(item.get("bulat", False)),
            synonyms=_parse_synonyms(jenis, item.get("sinonim", {}), labels, problems),
        )
    return scales


def _parse_synonyms(
    jenis: str, raw: Any, labels: tuple[str, ...], problems: Problems
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """`[skala.<jenis>.sinonim]`: label -> list of texts; every key must be a label of the scale."""
    if not isinstance(raw, dict):
        problems.append(setup_problem("sinonim-bukan-tabel", jenis=jenis))
        return ()
    found = []
    for label, typed in raw.items():
        if label not in labels:
            problems.append(
                setup_problem(
                    "sinonim-label-tidak-dikenal",
                    jenis=jenis,
                    label=label,
                    choices=", ".join(labels),
                )
            )
        elif not isinstance(typed, list) or not all(isinstance(v, str) for v in typed):
            problems.append(setup_problem("sinonim-bukan-daftar", jenis=jenis, label=label))
        else:
            found.append((label, tuple(typed)))
    return tuple(found)


def _default_direction(manifest: dict[str, Any], problems: Problems) -> str:
    """`[skor] arah_bawaan`: the direction of number questions whose `arah` is empty."""
    value = manifest.get("skor", {}).get("arah_bawaan")
    if value not in DIRECTIONS:
        problems.append(
            setup_problem("arah-bawaan-salah", arah=value, choices=" atau ".join(DIRECTIONS))
        )
        return DIRECTIONS[0]
    return str(value)


def _parse_questions(
    rows: list[tuple[int, dict[str, str]]],
    path: Path,
    indicators: dict[str, Indicator],
    roles: dict[str, Role],
    scales: dict[str, Scale],
    default_direction: str,
    problems: Problems,
) -> list[Question]:
    questions: list[Question] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        where = f"{path.name} baris {line} ({row['kode'] or 'tanpa kode'})"
        found = _question_problems(row, indicators, roles, scales)
        if row["kode"] in seen:
            found.append(
                ("pertanyaan-kode-ganda", {"kode": row["kode"], "first": seen[row["kode"]]})
            )
        problems.extend(setup_problem(code, where=where, **fields) for code, fields in found)
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
                arah=row["arah"] or default_direction,
                nilai_maks=float(row["nilai_maks"].replace(",", ".")),
                opd_utama=row["opd_utama"],
                opd_pendukung=support,
                tingkat_wilayah=row["tingkat_wilayah"],
                urutan=len(questions) + 1,
            )
        )
    return questions


def _question_problems(
    row: dict[str, str],
    indicators: dict[str, Indicator],
    roles: dict[str, Role],
    scales: dict[str, Scale],
) -> list[tuple[str, dict[str, Any]]]:
    """(slug, fields) for every problem of one question row."""
    found: list[tuple[str, dict[str, Any]]] = []
    if not row["kode"]:
        found.append(("pertanyaan-kode-kosong", {}))
    if row["indikator"] not in indicators:
        found.append(("pertanyaan-indikator-tidak-ada", {"indikator": row["indikator"]}))
    if row["jenis"] not in scales:
        found.append(
            (
                "pertanyaan-jenis-tidak-dikenal",
                {"jenis": row["jenis"], "choices": ", ".join(scales)},
            )
        )
    if row["arah"] and row["arah"] not in DIRECTIONS:
        found.append(("pertanyaan-arah-tidak-dikenal", {"arah": row["arah"]}))
    if row["arah"] and row["jenis"] in scales and scales[row["jenis"]].is_label:
        found.append(("pertanyaan-arah-untuk-label", {"jenis": row["jenis"]}))
    points = _number(row["nilai_maks"])
    if points is None or points < 0:
        found.append(("pertanyaan-nilai-salah", {"nilai": row["nilai_maks"]}))
    if row["opd_utama"] not in roles:
        found.append(("pertanyaan-opd-tidak-dikenal", {"opd": row["opd_utama"]}))
    unknown = [r for r in row["opd_pendukung"].split(";") if r.strip() and r.strip() not in roles]
    if unknown:
        found.append(("pertanyaan-pendukung-tidak-dikenal", {"roles": ", ".join(unknown)}))
    if row["tingkat_wilayah"] not in LEVELS:
        found.append(
            (
                "pertanyaan-tingkat-salah",
                {"tingkat": row["tingkat_wilayah"], "choices": ", ".join(LEVELS)},
            )
        )
    return found


def _parse_scoring(
    manifest: dict[str, Any], scales: dict[str, Scale], problems: Problems
) -> ScoringRules:
    raw = manifest.get("skor", {})
    label_fractions: dict[str, dict[str, float]] = {}
    for jenis in [j for j, scale in scales.items() if scale.is_label]:
        given = {str(k): _number(v) for k, v in raw.get("label", {}).get(jenis, {}).items()}
        labels = scales[jenis].labels
        if set(given) != set(labels) or any(v is None or not 0 <= v <= 1 for v in given.values()):
            problems.append(setup_problem("skor-label-salah", jenis=jenis))
        label_fractions[jenis] = {k: float(v or 0) for k, v in given.items()}
    number_rules: dict[tuple[str, str], NumberRule] = {}
    for jenis in [j for j, scale in scales.items() if not scale.is_label]:
        for arah in DIRECTIONS:
            item = raw.get("ambang", {}).get(jenis, {}).get(arah)
            rule = _parse_number_rule(item)
            if rule is None:
                problems.append(setup_problem("skor-ambang-salah", jenis=jenis, arah=arah))
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


def _parse_categories(manifest: dict[str, Any], problems: Problems) -> tuple[Category, ...]:
    categories = []
    for item in manifest.get("kategori", []):
        minimum = _number(item.get("min"))
        if minimum is None or not item.get("nama"):
            problems.append(setup_problem("kategori-salah", nama=item.get("nama", "")))
            continue
        categories.append(Category(str(item["nama"]), minimum))
    return tuple(sorted(categories, key=lambda c: -c.minimum))


def _check_sums(
    clusters: dict[str, Cluster],
    indicators: dict[str, Indicator],
    questions: list[Question],
    total: float | None,
    files: dict[str, Path],
    problems: Problems,
) -> None:
    by_indicator: dict[str, float] = dict.fromkeys(indicators, 0.0)
    for q in questions:
        by_indicator[q.indikator] += q.nilai_maks
    for kode, indicator in indicators.items():
        if abs(by_indicator[kode] - indicator.nilai_maks) > SUM_TOLERANCE:
            problems.append(
                setup_problem(
                    "jumlah-indikator-salah",
                    file=files["pertanyaan"].name,
                    kode=kode,
                    summed=f"{by_indicator[kode]:g}",
                    source=files["indikator"].name,
                    written=f"{indicator.nilai_maks:g}",
                )
            )
    for kode, cluster in clusters.items():
        summed = sum(i.nilai_maks for i in indicators.values() if i.klaster == kode)
        if abs(summed - cluster.nilai_maks) > SUM_TOLERANCE:
            problems.append(
                setup_problem(
                    "jumlah-klaster-salah",
                    file=files["indikator"].name,
                    kode=kode,
                    summed=f"{summed:g}",
                    written=f"{cluster.nilai_maks:g}",
                )
            )
    grand = sum(c.nilai_maks for c in clusters.values())
    if total is None or abs(grand - total) > SUM_TOLERANCE or abs(grand - 1000) > SUM_TOLERANCE:
        problems.append(setup_problem("jumlah-total-salah", summed=f"{grand:g}"))
