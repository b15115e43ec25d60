"""The province picture from the used summaries (pure): ranking, category counts, clusters,
weakest indicators, verification gap and categories over the years."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from pipeline import tables
from pipeline.instrument import Instrument
from pipeline.province.read import Gathered
from pipeline.province.settings import Province
from pipeline.score.categories import BELOW_ALL, category_of

LAG_SHARE = 0.5  # a kab/kota lags on an indicator below half of its maximum (verified)
LAG_NAMES_SHOWN = 5
SCORES = (tables.BASE_SELF, tables.BASE_VERIFIED)


@dataclass(frozen=True)
class ProvinceView:
    """Everything the province writers need."""

    province: Province
    instrument: Instrument
    generated_at: str
    example: bool
    ranking: pd.DataFrame  # tables.PROVINCE, ranked first, then the others by code
    categories: pd.DataFrame  # kategori, mandiri, terverifikasi (counts), high to low
    threshold: float  # the lowest category's minimum (500)
    clusters: pd.DataFrame  # kode_wilayah, nama, then per cluster code: % mandiri / % terverifikasi
    indicators: pd.DataFrame  # weakest first
    verification: pd.DataFrame  # largest gap first
    history: pd.DataFrame  # kode_wilayah, nama, one column per year (category)
    files: pd.DataFrame  # tables.PROVINCE_FILES
    issues: pd.DataFrame  # tables.ISSUES
    used: dict[str, dict[str, Any]]
    sources: dict[str, str]

    @property
    def sent(self) -> pd.DataFrame:
        return self.ranking[self.ranking["status"] == tables.KABKOTA_SENT]


def rank_table(
    province: Province, used: dict[str, dict[str, Any]], rejected: set[str], instrument: Instrument
) -> pd.DataFrame:
    """tables.PROVINCE: every listed kab/kota; rank by verified then self-assessed total (ties share
    a rank, "1, 2, 2, 4"); those without a used result follow, by code."""
    rows = []
    for kabkota in province.kabupaten_kota:
        summary = used.get(kabkota.kode)
        if summary is None:
            status = (
                tables.KABKOTA_REJECTED if kabkota.kode in rejected else tables.KABKOTA_NOT_SENT
            )
            rows.append(_row(kabkota.kode, kabkota.nama, None, None, status, instrument))
            continue
        total = summary["total"]
        rows.append(
            _row(
                kabkota.kode,
                kabkota.nama,
                float(total[tables.BASE_SELF]),
                float(total[tables.BASE_VERIFIED]),
                tables.KABKOTA_SENT,
                instrument,
            )
        )
    table = pd.DataFrame(rows, columns=list(tables.PROVINCE))
    return _ranked(table)


def _row(
    kode: str,
    nama: str,
    mandiri: float | None,
    verified: float | None,
    status: str,
    instrument: Instrument,
) -> dict[str, Any]:
    return {
        "kode_wilayah": kode,
        "nama": nama,
        "nilai_mandiri": mandiri,
        "kategori_mandiri": "" if mandiri is None else category_of(mandiri, instrument.categories),
        "nilai_terverifikasi": verified,
        "kategori_terverifikasi": ""
        if verified is None
        else category_of(verified, instrument.categories),
        "peringkat": None,
        "status": status,
    }


def _ranked(table: pd.DataFrame) -> pd.DataFrame:
    sent = table[table["status"] == tables.KABKOTA_SENT].copy()
    keys = list(
        zip(sent["nilai_terverifikasi"].round(2), sent["nilai_mandiri"].round(2), strict=True)
    )
    sent["peringkat"] = [1 + sum(other > key for other in keys) for key in keys]
    sent = sent.sort_values(["peringkat", "kode_wilayah"], kind="stable")
    others = table[table["status"] != tables.KABKOTA_SENT].sort_values("kode_wilayah")
    ranked = pd.concat([sent, others], ignore_index=True)
    ranked["peringkat"] = ranked["peringkat"].astype("Int64")
    return ranked.loc[:, list(tables.PROVINCE)]


def category_counts(ranking: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    """How many kab/kota reach each category (high to low, then below all), for both totals."""
    names = [c.nama for c in sorted(instrument.categories, key=lambda c: -c.minimum)] + [BELOW_ALL]
    sent = ranking[ranking["status"] == tables.KABKOTA_SENT]
    return pd.DataFrame(
        {
            "kategori": names,
            tables.BASE_SELF: [int((sent["kategori_mandiri"] == n).sum()) for n in names],
            tables.BASE_VERIFIED: [int((sent["kategori_terverifikasi"] == n).sum()) for n in names],
        }
    )


def lowest_minimum(instrument: Instrument) -> float:
    """The score a kab/kota must reach for any category (500)."""
    return min((c.minimum for c in instrument.categories), default=0.0)


def cluster_table(
    ranking: pd.DataFrame, used: dict[str, dict[str, Any]], instrument: Instrument
) -> pd.DataFrame:
    """Per kab/kota (ranking order, senders only): each cluster's share of its maximum, both scores."""
    rows = []
    for kode, nama in ranking.loc[
        ranking["status"] == tables.KABKOTA_SENT, ["kode_wilayah", "nama"]
    ].itertuples(index=False):
        clusters = used[kode]["klaster"]
        row: dict[str, Any] = {"kode_wilayah": kode, "nama": nama}
        for score in SCORES:
            for cluster in instrument.clusters:
                row[f"{cluster.kode}_{score}"] = _share(clusters.get(cluster.kode), score)
        rows.append(row)
    columns = ["kode_wilayah", "nama"] + [
        f"{c.kode}_{s}" for s in SCORES for c in instrument.clusters
    ]
    return pd.DataFrame(rows, columns=columns)


def indicator_table(
    ranking: pd.DataFrame, used: dict[str, dict[str, Any]], instrument: Instrument
) -> pd.DataFrame:
    """Every indicator, weakest first (mean verified share across the province), with who lags."""
    names: dict[str, str] = dict(ranking[["kode_wilayah", "nama"]].itertuples(index=False))
    senders = [k for k in ranking.loc[ranking["status"] == tables.KABKOTA_SENT, "kode_wilayah"]]
    rows = []
    for indicator in instrument.indicators:
        shares = {
            k: _share(used[k]["indikator"].get(indicator.kode), tables.BASE_VERIFIED)
            for k in senders
        }
        self_shares = [
            _share(used[k]["indikator"].get(indicator.kode), tables.BASE_SELF) for k in senders
        ]
        known = {k: v for k, v in shares.items() if v is not None}
        lagging = sorted((v, k) for k, v in known.items() if v < LAG_SHARE)
        rows.append(
            {
                "indikator": indicator.kode,
                "indikator_nama": indicator.nama,
                "klaster": indicator.klaster,
                "nilai_maks": indicator.nilai_maks,
                "rata_mandiri": _mean([s for s in self_shares if s is not None]),
                "rata_terverifikasi": _mean(list(known.values())),
                "terendah": min(known.values(), default=None),
                "jumlah_tertinggal": len(lagging),
                "tertinggal": _names([names[k] for _, k in lagging]),
            }
        )
    table = pd.DataFrame(rows)
    return table.sort_values(
        ["rata_terverifikasi", "indikator"], kind="stable", na_position="last"
    ).reset_index(drop=True)


def verification_table(ranking: pd.DataFrame) -> pd.DataFrame:
    """Self-assessed minus verified total per kab/kota, largest gap first."""
    sent = ranking[ranking["status"] == tables.KABKOTA_SENT]
    table = sent.loc[
        :,
        [
            "kode_wilayah",
            "nama",
            "nilai_mandiri",
            "nilai_terverifikasi",
            "kategori_mandiri",
            "kategori_terverifikasi",
        ],
    ].copy()
    table["selisih"] = (table["nilai_mandiri"] - table["nilai_terverifikasi"]).round(2)
    table["selisih_persen"] = (
        table["selisih"] / table["nilai_mandiri"].where(table["nilai_mandiri"] > 0)
    ).astype(float)
    table["kategori_turun"] = table["kategori_mandiri"] != table["kategori_terverifikasi"]
    return table.sort_values(
        ["selisih", "kode_wilayah"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)


def history_table(ranking: pd.DataFrame, history: pd.DataFrame, year: int) -> pd.DataFrame:
    """Categories over the years per kab/kota (the history's predikat; this year's verified category)."""
    years = sorted({int(y) for y in history["tahun"]} - {year})
    table = (
        ranking.loc[:, ["kode_wilayah", "nama"]]
        .copy()
        .sort_values("kode_wilayah")
        .reset_index(drop=True)
    )
    for past in years:
        rows = history[history["tahun"].astype(int) == past]
        found = dict(zip(rows["kode_wilayah"], rows["predikat"], strict=True))
        table[str(past)] = [found.get(k, "") for k in table["kode_wilayah"]]
    # this year: the verified category, or the status ("belum mengirim", "ditolak") without one
    shown = ranking["kategori_terverifikasi"].where(
        ranking["kategori_terverifikasi"] != "", ranking["status"]
    )
    current = dict(zip(ranking["kode_wilayah"], shown, strict=True))
    table[str(year)] = [current.get(k, "") for k in table["kode_wilayah"]]
    return table


def _share(scores: Any, score: str) -> float | None:
    if not isinstance(scores, dict) or not scores.get("maks"):
        return None
    return float(scores[score]) / float(scores["maks"])


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:LAG_NAMES_SHOWN])
    rest = len(names) - LAG_NAMES_SHOWN
    return f"{shown} dan {rest} lainnya" if rest > 0 else shown


def build_view(
    province: Province,
    instrument: Instrument,
    gathered: Gathered,
    generated_at: str,
    example: bool = False,
) -> ProvinceView:
    """The whole province picture from what read_province_inputs gathered."""
    files = gathered.files
    rejected = set(files.loc[files["status"] == tables.RESULT_REJECTED, "kode_wilayah"]) - {""}
    ranking = rank_table(province, gathered.used, rejected, instrument)
    return ProvinceView(
        province=province,
        instrument=instrument,
        generated_at=generated_at,
        example=example,
        ranking=ranking,
        categories=category_counts(ranking, instrument),
        threshold=lowest_minimum(instrument),
        clusters=cluster_table(ranking, gathered.used, instrument),
        indicators=indicator_table(ranking, gathered.used, instrument),
        verification=verification_table(ranking),
        history=history_table(ranking, gathered.history, province.tahun)
        if len(gathered.history)
        else pd.DataFrame(),
        files=files,
        issues=gathered.issues,
        used=gathered.used,
        sources=gathered.sources,
    )
