"""Kecamatan and desa unit answers + the master list -> the computed KD answers (pure functions).

jawaban = 100 x units answering Ya / all units of that level in the master list; the exact fraction
is banded (no rounding first). A unit without an answer (workbook not sent, blank, rejected) counts
as not meeting. The verified figure counts only Ya units with data dukung. docs/skor.md.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import pandas as pd

from pipeline import config, tables
from pipeline.answers import format_number
from pipeline.instrument import Instrument, NumberRule
from pipeline.messages import records
from pipeline.region import Region
from pipeline.score.rules import has_evidence
from pipeline.unit_questions import UnitQuestion, computed_codes
from pipeline.units import Unit
from pipeline.words import points

UNIT_SCALE = "ya_tidak"  # units answer every computed question on this scale
UNIT_WORDS = {"kecamatan": "kecamatan", "desa": "desa/kelurahan"}
MAX_HOLDERS = 4
SHOWN_DECIMALS = 2


def band(count: int, total: int, rule: NumberRule) -> float:
    """The fraction of points for count/total as a percentage, compared exactly with the bands."""
    if total <= 0:
        return 0.0
    value = Fraction(100 * count, total)
    for limit, fraction in rule.steps:
        met = value >= Fraction(limit) if rule.comparison == ">=" else value <= Fraction(limit)
        if met:
            return fraction
    return 0.0


def percent_text(count: int, total: int) -> str:
    """The percentage as plain text, at most four decimals (the band used the exact fraction)."""
    return format_number(round(100 * count / total, 4)) if total else "0"


def roll_up(
    instrument: Instrument,
    region: Region,
    unit_answers: pd.DataFrame,
    files: pd.DataFrame,
) -> tables.KdResults | None:
    """The KD roll-up, or None when the region has no master list (the OPD answers stand)."""
    if region.units is None or not computed_codes(instrument, region):
        return None
    units = mark_verified(unit_table(instrument, region, unit_answers), instrument)
    questions = question_table(instrument, region, units)
    kecamatan = kecamatan_table(instrument, region, units, files)
    desa = units[units["jenis"] != "kecamatan"]
    filled = desa.loc[desa["jawaban"] != "", "kode_wilayah"].nunique()
    return tables.KdResults(
        units=units,
        questions=questions,
        kecamatan=kecamatan,
        kecamatan_diharapkan=len(region.units.kecamatan),
        kecamatan_mengirim=int(
            kecamatan["status_kirim"].isin([tables.SENT_ALL, tables.SENT_PART]).sum()
        ),
        desa_total=len(region.units.desa),
        desa_terisi=int(filled),
    )


def unit_table(instrument: Instrument, region: Region, unit_answers: pd.DataFrame) -> pd.DataFrame:
    """One row per master-list unit and computed question (tables.UNIT_TABLE + memenuhi, memenuhi_berbukti)."""
    assert region.units is not None
    answers = unit_answers.drop_duplicates(["kode_wilayah", "kode"], keep="first")
    found = {(row.kode_wilayah, row.kode): row for row in answers.itertuples(index=False)}
    rows = []
    for question in instrument.unit_questions:
        level = region.units.kecamatan if question.tingkat == "kecamatan" else region.units.desa
        for unit in level:
            rows.append(_unit_row(unit, question, found.get((unit.kode, question.kode))))
    units = pd.DataFrame(rows, columns=[*tables.UNIT_TABLE, "memenuhi", "memenuhi_berbukti"])
    yes = instrument.scales[UNIT_SCALE].labels[0]
    return units.assign(memenuhi=units["jawaban"] == yes)


def _unit_row(unit: Unit, question: UnitQuestion, answer: object | None) -> dict[str, object]:
    jawaban = str(getattr(answer, "jawaban", "") or "")
    evidence = str(getattr(answer, "data_dukung", "") or "")
    return {
        "kode_wilayah": unit.kode,
        "nama": unit.nama,
        "jenis": unit.jenis,
        "kode_kecamatan": unit.kode_kecamatan,
        "kode": question.kode,
        "jawaban": jawaban,
        "data_dukung": evidence,
        "sumber_file": str(getattr(answer, "file", "") or ""),
        "sumber_sel": _located(answer),
        "memenuhi": False,  # set by unit_table: the best label of the Ya/Tidak scale
        "memenuhi_berbukti": False,  # set by mark_verified with the instrument's placeholder rules
    }


def _located(answer: object | None) -> str:
    if answer is None:
        return ""
    return f"{getattr(answer, 'sheet', '')}!{getattr(answer, 'jawaban_sel', '')}"


def mark_verified(units: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    """`memenuhi_berbukti`: the unit meets and its data dukung is not empty nor a placeholder."""
    texts = units["data_dukung"].astype(str)
    distinct = pd.Series(texts.unique())  # a desa's one Data Dukung repeats for every question
    checked = dict(
        zip(distinct, has_evidence(distinct, instrument.scoring.no_evidence), strict=True)
    )
    evidence = texts.map(checked).astype(bool)
    return units.assign(memenuhi_berbukti=units["memenuhi"].astype(bool) & evidence)


def question_table(instrument: Instrument, region: Region, units: pd.DataFrame) -> pd.DataFrame:
    """Per computed question: counts, exact percentages, points and the next band (KD_QUESTIONS).

    The counts come from one grouping of the unit table, not one filter per question.
    """
    counted = units.assign(
        _blank=units["jawaban"] == "",
        _file=units["sumber_file"].where(units["sumber_file"] != ""),
        memenuhi=units["memenuhi"].astype(bool),
        memenuhi_berbukti=units["memenuhi_berbukti"].astype(bool),
    )
    stats = counted.groupby("kode", sort=False).agg(
        total=("kode", "size"),
        ya=("memenuhi", "sum"),
        verified=("memenuhi_berbukti", "sum"),
        blank=("_blank", "sum"),
        workbook=("_file", "nunique"),
    )
    missing = counted[~counted["memenuhi"]].groupby(["kode", "kode_kecamatan"]).size()
    holders: dict[str, dict[str, int]] = {}
    flat = missing.reset_index(name="n")
    for code, kecamatan, n in zip(flat["kode"], flat["kode_kecamatan"], flat["n"], strict=True):
        holders.setdefault(str(code), {})[str(kecamatan)] = int(n)
    found = {str(row["kode"]): row for row in records(stats.reset_index())}
    rows = [
        _question_row(instrument, region, question, found.get(question.kode), holders)
        for question in instrument.unit_questions
    ]
    return pd.DataFrame(rows, columns=list(tables.KD_QUESTIONS))


def _question_row(
    instrument: Instrument,
    region: Region,
    question: UnitQuestion,
    counts: dict[str, Any] | None,
    holders: dict[str, dict[str, int]],
) -> dict[str, object]:
    source = instrument.question(question.kode)
    rule = instrument.scoring.number_rules[(source.jenis, source.arah or "naik")]
    counts = counts or {"total": 0, "ya": 0, "verified": 0, "blank": 0, "workbook": 0}
    total, ya, verified = int(counts["total"]), int(counts["ya"]), int(counts["verified"])
    step = next_band(ya, total, rule)
    missing = holders.get(question.kode, {})
    shown = holders_from(missing, region, question.tingkat == "kecamatan") if step else ""
    current = band(ya, total, rule)
    return {
        "kode": question.kode,
        "tingkat": question.tingkat,
        "judul": question.judul,
        "unit_total": total,
        "unit_ya": ya,
        "unit_terverifikasi": verified,
        "unit_kosong": int(counts["blank"]),
        "workbook": int(counts["workbook"]),
        "persen": 100 * ya / total if total else 0.0,
        "persen_terverifikasi": 100 * verified / total if total else 0.0,
        "nilai_maks": source.nilai_maks,
        "nilai_mandiri": source.nilai_maks * current,
        "nilai_terverifikasi": source.nilai_maks * band(verified, total, rule),
        "persen_berikut": step[0] if step else math.nan,
        "kurang_unit": step[1] if step else 0,
        "tambahan": source.nilai_maks * (step[2] - current) if step else 0.0,
        "kecamatan_kandidat": shown,
    }


def band_steps(count: int, total: int, rule: NumberRule) -> list[tuple[float, int, float]]:
    """Every higher band above count/total: (limit %, units needed in all, fraction), lowest first.

    Only for ">=" rules (more units meeting is better); [] otherwise or when nothing is left.
    """
    if rule.comparison != ">=" or total <= 0:
        return []
    current = band(count, total, rule)
    steps = []
    for limit, fraction in sorted(rule.steps):
        needed = math.ceil(Fraction(limit) * total / 100)
        if fraction > current and needed <= total:
            steps.append((float(limit), max(needed, 0), fraction))
    best: dict[int, tuple[float, int, float]] = {}
    for step in steps:  # several bands reached by the same count: keep the highest
        if step[1] not in best or step[2] > best[step[1]][2]:
            best[step[1]] = step
    return [best[k] for k in sorted(best)]


def next_band(count: int, total: int, rule: NumberRule) -> tuple[float, int, float] | None:
    """The next band: (its limit %, how many MORE units reach it, its fraction), or None."""
    steps = band_steps(count, total, rule)
    if not steps:
        return None
    limit, needed, fraction = steps[0]
    return limit, needed - count, fraction


def holders_from(counts: dict[str, int], region: Region, level_is_kecamatan: bool) -> str:
    """Kecamatan holding units not meeting yet, most first: 'Cibening 5, Sukamaju 3, ...'.

    `counts`: units not meeting per kecamatan code; a kecamatan-level question shows names only.
    """
    assert region.units is not None
    names = {k.kode: k.nama for k in region.units.kecamatan}
    ranked = sorted(counts.items(), key=lambda item: (-item[1], names.get(item[0], item[0])))
    shown = [
        names.get(code, code) if level_is_kecamatan else f"{names.get(code, code)} {count}"
        for code, count in ranked[:MAX_HOLDERS]
    ]
    more = len(ranked) - len(shown)
    return ", ".join(shown) + (f", dan {more} kecamatan lain" if more > 0 else "")


def kecamatan_table(
    instrument: Instrument, region: Region, units: pd.DataFrame, files: pd.DataFrame
) -> pd.DataFrame:
    """Per kecamatan: sent or not, desa rows filled, fully filled, the used file and narahubung."""
    assert region.units is not None
    prefix = config.KECAMATAN_ROLE_PREFIX
    mine = files[files["peran"].astype(str).str.startswith(prefix)]
    used = mine[mine["status"] == tables.FILE_USED].drop_duplicates("peran").set_index("peran")
    refused = set(mine.loc[mine["status"] == tables.FILE_REJECTED, "peran"])
    desa_codes = {q.kode for q in instrument.unit_questions if q.tingkat == "desa"}
    desa_units = units[units["kode"].isin(desa_codes)]
    answered = desa_units[desa_units["jawaban"] != ""]
    per_desa = answered.groupby(["kode_kecamatan", "kode_wilayah"]).size()
    filled: dict[str, list[int]] = {}  # kecamatan code -> answers per desa with any answer
    flat = per_desa.reset_index(name="n")
    for kecamatan, n in zip(flat["kode_kecamatan"], flat["n"], strict=True):
        filled.setdefault(str(kecamatan), []).append(int(n))
    rows = []
    for kecamatan in region.units.kecamatan:
        role = prefix + kecamatan.kode
        desa_answers = filled.get(kecamatan.kode, [])
        total = len(region.units.desa_of(kecamatan.kode))
        full = sum(1 for n in desa_answers if n == len(desa_codes))
        sent = role in used.index
        status = (
            tables.SENT_NONE if not sent else tables.SENT_ALL if full == total else tables.SENT_PART
        )
        if not sent and role in refused:
            status = tables.SENT_REFUSED
        file = used.loc[role] if sent else None
        rows.append(
            {
                "kode_kecamatan": kecamatan.kode,
                "nama": kecamatan.nama,
                "status_kirim": status,
                "desa_total": total,
                "desa_terisi": len(desa_answers),
                "desa_lengkap": full,
                "file": str(file["file"]) if file is not None else "",
                "narahubung_nama": str(file["narahubung_nama"]) if file is not None else "",
                "narahubung_telepon": str(file["narahubung_telepon"]) if file is not None else "",
            }
        )
    return pd.DataFrame(rows, columns=list(tables.KD_KECAMATAN))


def apply_roll_up(scored: pd.DataFrame, kd: tables.KdResults) -> pd.DataFrame:
    """The scored frame with each computed question's answer, status, provenance and points."""
    by_code = kd.questions.set_index("kode")
    hit = scored["kode"].isin(by_code.index)
    if not hit.any():
        return scored
    rows = by_code.reindex(scored.loc[hit, "kode"])
    word = rows["tingkat"].map(UNIT_WORDS).to_numpy()
    ya, total = rows["unit_ya"].to_numpy(), rows["unit_total"].to_numpy()
    verified = rows["unit_terverifikasi"].to_numpy()
    updates = {
        "jawaban": [percent_text(int(y), int(t)) for y, t in zip(ya, total, strict=True)],
        "nilai_angka": rows["persen"].round(SHOWN_DECIMALS).to_numpy(),  # shown; banded exactly
        "data_dukung": [
            f"{v} dari {y} {w} Ya dengan data dukung"
            for v, y, w in zip(verified, ya, word, strict=True)
        ],
        "data_dukung_jenis": tables.EVIDENCE_REFERENCE,
        "keterangan": [
            f"Dihitung: {y} dari {t} {w} menjawab Ya"
            for y, t, w in zip(ya, total, word, strict=True)
        ],
        "status": tables.STATUS_COMPUTED,
        "masalah": "",
        "sumber_file": [
            f"{n} workbook kecamatan ({config.KD_UNITS_FILE})" for n in rows["workbook"].to_numpy()
        ],
        "sumber_lembar": "",
        "sumber_sel": "",
        "sumber_sha256": "",
        "fraksi": rows["nilai_mandiri"].to_numpy() / rows["nilai_maks"].replace(0, 1).to_numpy(),
        "ada_data_dukung": (verified == ya) & (ya > 0),
        "nilai_mandiri": rows["nilai_mandiri"].to_numpy(),
        "nilai_terverifikasi": rows["nilai_terverifikasi"].to_numpy(),
    }
    result = scored.copy()
    for column, values in updates.items():
        result.loc[hit, column] = values
    return result


def kd_actions(scored: pd.DataFrame, instrument: Instrument, kd: tables.KdResults) -> pd.DataFrame:
    """Recommendation candidates for the computed questions, both bases (recommend.py columns).

    Terverifikasi: first data dukung for the Ya units without it, then each higher band; mandiri:
    each higher band. The gains add up to nilai_maks - the question's score on each base.
    """
    rows = []
    base_rows = scored.set_index("kode")
    for item in records(kd.questions):
        source = instrument.question(item["kode"])
        rule = instrument.scoring.number_rules[(source.jenis, source.arah or "naik")]
        row = base_rows.loc[item["kode"]]
        word = UNIT_WORDS[item["tingkat"]]
        common = {
            "urutan": int(row["urutan"]),
            "kode": item["kode"],
            "klaster": row["klaster"],
            "indikator": row["indikator"],
            "opd": row["opd"],
            "status": tables.STATUS_COMPUTED,
            "jawaban": row["jawaban"],
        }
        missing = int(item["unit_ya"]) - int(item["unit_terverifikasi"])
        gain = float(item["nilai_mandiri"]) - float(item["nilai_terverifikasi"])
        if missing and gain > 0:
            rows.append(
                common
                | {
                    "dasar": tables.BASE_VERIFIED,
                    "jenis_tindakan": tables.ACTION_EVIDENCE,
                    "pertanyaan": f"Data dukung untuk {missing} {word} yang menjawab Ya: {item['judul']}",
                    "nama_opd": f"Kecamatan (lihat {config.KD_UNITS_FILE})",
                    "tambahan": gain,
                }
            )
        for base, count in (
            (tables.BASE_VERIFIED, int(item["unit_ya"])),
            (tables.BASE_SELF, int(item["unit_ya"])),
        ):
            rows += _band_rows(common, base, count, item, rule, word, source.nilai_maks)
    columns = [
        "urutan",
        "dasar",
        "kode",
        "klaster",
        "indikator",
        "pertanyaan",
        "opd",
        "nama_opd",
        "jenis_tindakan",
        "status",
        "jawaban",
        "tambahan",
    ]
    return pd.DataFrame(rows, columns=columns)


def _band_rows(
    common: dict[str, object],
    base: str,
    count: int,
    item: dict[str, Any],
    rule: NumberRule,
    word: str,
    maks: float,
) -> list[dict[str, object]]:
    total = int(item["unit_total"])
    previous_units, previous_fraction = count, band(count, total, rule)
    rows = []
    for _limit, needed, fraction in band_steps(count, total, rule):
        more = needed - previous_units
        gain = maks * (fraction - previous_fraction)
        text = f"{more} {word} lagi dengan {item['judul']}: +{_points(gain)} poin"
        rows.append(
            common
            | {
                "dasar": base,
                "jenis_tindakan": tables.ACTION_IMPROVE,
                "pertanyaan": text,
                "nama_opd": f"Kecamatan: {item['kecamatan_kandidat']}",
                "tambahan": gain,
            }
        )
        previous_units, previous_fraction = needed, fraction
    return rows


def _points(value: float) -> str:
    text = points(value)  # "1,50" -> "1,5", "2,00" -> "2"
    return text.rstrip("0").rstrip(",") if "," in text else text


def kd_completeness(kd: tables.KdResults | None) -> dict[str, int]:
    """The ringkasan.json `kelengkapan` entries of the roll-up ({} without a master list)."""
    if kd is None:
        return {}
    return {
        "kecamatan_diharapkan": kd.kecamatan_diharapkan,
        "kecamatan_mengirim": kd.kecamatan_mengirim,
        "desa_total": kd.desa_total,
        "desa_terisi": kd.desa_terisi,
    }


def kd_tables(results: tables.Results) -> list[pd.DataFrame]:
    """The wilayah_kd.csv table (tables.UNIT_TABLE) in a list; [] without a master list."""
    if results.kd is None:
        return []
    return [results.kd.units.loc[:, list(tables.UNIT_TABLE)].reset_index(drop=True)]
