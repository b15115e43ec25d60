"""Accepted answers -> one regional frame: one row per instrument question, with status and provenance."""

from __future__ import annotations

import pandas as pd

from pipeline import tables
from pipeline.instrument import Instrument
from pipeline.region import Region

MESSAGE_SEPARATOR = " | "

# Answer columns carried into the regional frame, renamed to their REGIONAL names.
CARRIED = {
    "jawaban": "jawaban",
    "nilai_angka": "nilai_angka",
    "data_dukung": "data_dukung",
    "data_dukung_jenis": "data_dukung_jenis",
    "keterangan": "keterangan",
    "file": "sumber_file",
    "sheet": "sumber_lembar",
    "jawaban_sel": "sumber_sel",
    "file_sha256": "sumber_sha256",
    "disimpan": "disimpan",
}
TEXT_COLUMNS = tuple(c for c in CARRIED.values() if c != "nilai_angka")


def merge_answers(
    instrument: Instrument,
    region: Region,
    answers: pd.DataFrame,
    files: pd.DataFrame,
    issues: pd.DataFrame,
) -> pd.DataFrame:
    """One row per question in instrument order (tables.REGIONAL); never mutates its arguments."""
    questions = instrument.questions_frame()
    regional = pd.DataFrame(
        {
            "urutan": questions["urutan"].astype("int64"),
            "kode": questions["kode"].astype(str),
            "klaster": questions["klaster"].astype(str),
            "indikator": questions["indikator"].astype(str),
            "pertanyaan": questions["pertanyaan"].astype(str),
            "jenis": questions["jenis"].astype(str),
            "arah": questions["arah"].astype(str),
            "nilai_maks": questions["nilai_maks"].astype(float),
            "opd": questions["opd_utama"].map(region.office_role).astype(str),
            "nama_opd": questions["opd_utama"].map(region.office_name).astype(str),
        }
    )
    chosen = first_answer_per_code(answers)
    merged = regional.merge(chosen, on="kode", how="left", validate="one_to_one")
    merged = _fill_missing_answers(merged)
    sent = merged["opd"].isin(offices_sent(files, region))
    merged["status"] = _status(merged, sent)
    merged["masalah"] = _problems(merged, issues)
    merged = _mark_refused_files(merged, rejected_files(files, region, issues))
    return merged.loc[:, list(tables.REGIONAL)].reset_index(drop=True)


def rejected_files(
    files: pd.DataFrame, region: Region, issues: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per office that sent only rejected workbooks: the newest such file and why it was refused.

    Index: office role; columns `file`, `disimpan`, `masalah`. Offices with a used workbook, and
    files whose office is unknown (not a template at all), are not listed.
    """
    refused = files.loc[files["status"] == tables.FILE_REJECTED].astype({"peran": str})
    refused = refused.assign(opd=refused["peran"].map(lambda r: region.office_role(r) if r else ""))
    refused = refused[(refused["opd"] != "") & ~refused["opd"].isin(offices_sent(files, region))]
    refused = refused.sort_values(["opd", "disimpan", "file"], ascending=[True, False, True])
    refused = refused.drop_duplicates("opd").set_index("opd")
    reason = pd.Series("", index=refused.index, dtype=str)
    if issues is not None:
        errors = issues[issues["severity"] == tables.SEVERITY_ERROR].drop_duplicates("file")
        reason = refused["file"].map(errors.set_index("file")["message"]).astype(object).fillna("")
    text = "Berkas " + refused["file"].astype(str) + " ditolak: " + reason.astype(str)
    return pd.DataFrame(
        {"file": refused["file"].astype(str), "disimpan": refused["disimpan"], "masalah": text}
    )


def _mark_refused_files(merged: pd.DataFrame, refused: pd.DataFrame) -> pd.DataFrame:
    """Questions of an office whose only workbook was refused: "ditolak" with the file's reason."""
    hit = (merged["status"] == tables.STATUS_NOT_SENT) & merged["opd"].isin(refused.index)
    if not hit.any():
        return merged
    office = merged["opd"].where(hit)
    return merged.assign(
        status=merged["status"].where(~hit, tables.STATUS_REJECTED),
        masalah=merged["masalah"].where(~hit, office.map(refused["masalah"])),
        sumber_file=merged["sumber_file"].where(~hit, office.map(refused["file"])),
    )


def first_answer_per_code(answers: pd.DataFrame) -> pd.DataFrame:
    """The first answer row per code by (file, row); later duplicates are already in the issues."""
    columns = [*CARRIED, "diterima", "status_jawaban"]
    if answers.empty:
        empty = pd.DataFrame(columns=["kode", *CARRIED.values(), "diterima", "status_jawaban"])
        return empty.astype({"kode": str, "nilai_angka": float})
    ordered = answers.assign(_file=answers["file"].astype(str)).sort_values(
        ["_file", "row"], kind="stable"
    )
    first = ordered.drop_duplicates("kode", keep="first")
    picked = first.loc[:, ["kode", *columns]].rename(columns=CARRIED)
    return picked.assign(kode=picked["kode"].astype(str))


def offices_sent(files: pd.DataFrame, region: Region) -> set[str]:
    """Office roles that have a used (dipakai) workbook."""
    used = files.loc[files["status"] == tables.FILE_USED, "peran"].astype(str)
    return {region.office_role(role) for role in used if role}


def _fill_missing_answers(merged: pd.DataFrame) -> pd.DataFrame:
    filled = {column: merged[column].fillna("").astype(str) for column in TEXT_COLUMNS}
    kind = filled["data_dukung_jenis"]
    filled["data_dukung_jenis"] = kind.where(kind != "", tables.EVIDENCE_NONE)
    return merged.assign(
        **filled,
        nilai_angka=pd.to_numeric(merged["nilai_angka"], errors="coerce").astype(float),
    )


def _status(merged: pd.DataFrame, sent: pd.Series) -> pd.Series:
    """The answer's own status; a refused answer is rejected; no row: unanswered or not sent."""
    has_row = merged["status_jawaban"].notna()
    own = merged["status_jawaban"].fillna("").astype(str)
    refused = has_row & merged["diterima"].isin([False])
    status = own.where(~refused, tables.STATUS_REJECTED)
    status = status.where(~(has_row & ~status.isin(tables.STATUSES)), tables.STATUS_UNANSWERED)
    missing = status.where(has_row, tables.STATUS_NOT_SENT).where(
        has_row | ~sent, tables.STATUS_UNANSWERED
    )
    return missing.astype(str)


def _problems(merged: pd.DataFrame, issues: pd.DataFrame) -> pd.Series:
    """For rejected rows: the galat messages of that file and code, else a pointer to the cell."""
    rejected = merged["status"] == tables.STATUS_REJECTED
    if not rejected.any():
        return pd.Series("", index=merged.index, dtype=str)
    errors = issues.loc[issues["severity"] == tables.SEVERITY_ERROR, ["file", "kode", "message"]]
    messages = (
        errors.astype(str)
        .groupby(["file", "kode"], sort=False)["message"]
        .agg(MESSAGE_SEPARATOR.join)
        .rename("_pesan")
        .reset_index()
        .rename(columns={"file": "sumber_file"})
    )
    found = merged[["sumber_file", "kode"]].merge(messages, on=["sumber_file", "kode"], how="left")
    fallback = (
        "Jawaban di "
        + merged["sumber_file"]
        + " "
        + merged["sumber_lembar"]
        + "!"
        + merged["sumber_sel"]
        + " ditolak; lihat masalah.csv untuk rinciannya, perbaiki, lalu kirim ulang."
    )
    text = found["_pesan"].set_axis(merged.index).fillna(fallback)
    return text.where(rejected, "").astype(str)
