"""Stage contracts as pandera models: the columns of tables.py with their types and value rules.

Checked at every stage boundary in tests (tests/test_contracts.py) and by `validate_stage` wherever
a stage wants it. Imported lazily: pandera is not loaded for `--help`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from pipeline import tables

Text = Series[Any]  # str or object, depending on the pandas version's default string dtype


class Contract(pa.DataFrameModel):
    class Config:
        strict = True  # exactly the contract's columns ...
        ordered = True  # ... in the contract's order


class Issues(Contract):
    severity: Text = pa.Field(isin=[tables.SEVERITY_ERROR, tables.SEVERITY_WARNING])
    code: Text
    file: Text
    sheet: Text
    cell: Text
    kode: Text
    value: Text
    message: Text = pa.Field(str_length={"min_value": 1})


class Files(Contract):
    file: Text = pa.Field(unique=True)
    sha256: Text
    ukuran: Series[int] = pa.Field(ge=0)
    status: Text = pa.Field(
        isin=[
            tables.FILE_USED,
            tables.FILE_SUPERSEDED,
            tables.FILE_REJECTED,
            tables.FILE_NOT_WORKBOOK,
        ]
    )
    peran: Text
    nama_opd: Text
    format_template: Text
    disimpan: Text
    diubah: Text
    narahubung_nama: Text
    narahubung_jabatan: Text
    narahubung_telepon: Text
    narahubung_email: Text
    tanggal_pengisian: Text
    pesan: Text


class Cells(Contract):
    file: Text
    sheet: Text
    row: Series[int] = pa.Field(ge=1)
    kode: Text
    peran: Text
    jawaban_mentah: Text
    data_dukung_mentah: Text
    keterangan_mentah: Text
    jawaban_sel: Text
    data_dukung_sel: Text
    keterangan_sel: Text
    file_sha256: Text
    disimpan: Text


class Answers(Cells):
    jawaban: Text
    nilai_angka: Series[float] = pa.Field(nullable=True)
    data_dukung: Text
    data_dukung_jenis: Text = pa.Field(
        isin=[tables.EVIDENCE_URL, tables.EVIDENCE_REFERENCE, tables.EVIDENCE_NONE]
    )
    keterangan: Text
    diterima: Series[bool]
    status_jawaban: Text = pa.Field(isin=list(tables.STATUSES))


class Regional(Contract):
    urutan: Series[int] = pa.Field(ge=1, unique=True)
    kode: Text = pa.Field(unique=True)
    klaster: Text
    indikator: Text
    pertanyaan: Text
    jenis: Text
    arah: Text
    nilai_maks: Series[float] = pa.Field(ge=0)
    opd: Text
    nama_opd: Text
    jawaban: Text
    nilai_angka: Series[float] = pa.Field(nullable=True)
    data_dukung: Text
    data_dukung_jenis: Text
    keterangan: Text
    status: Text = pa.Field(isin=list(tables.STATUSES))
    masalah: Text
    sumber_file: Text
    sumber_lembar: Text
    sumber_sel: Text
    sumber_sha256: Text
    disimpan: Text


class Scored(Regional):
    fraksi: Series[float] = pa.Field(ge=0, le=1)
    ada_data_dukung: Series[bool]
    nilai_mandiri: Series[float] = pa.Field(ge=0)
    nilai_terverifikasi: Series[float] = pa.Field(ge=0)

    @pa.dataframe_check
    @classmethod
    def verified_never_above_self_assessed(cls, frame: pd.DataFrame) -> pd.Series:
        return frame["nilai_terverifikasi"] <= frame["nilai_mandiri"] + 1e-9

    @pa.dataframe_check
    @classmethod
    def points_never_above_maximum(cls, frame: pd.DataFrame) -> pd.Series:
        return frame["nilai_mandiri"] <= frame["nilai_maks"] + 1e-9


class IndicatorScores(Contract):
    klaster: Text
    indikator: Text = pa.Field(unique=True)
    indikator_nama: Text
    nilai_maks: Series[float] = pa.Field(ge=0)
    nilai_mandiri: Series[float] = pa.Field(ge=0)
    nilai_terverifikasi: Series[float] = pa.Field(ge=0)


class ClusterScores(Contract):
    klaster: Text = pa.Field(unique=True)
    klaster_nama: Text
    nilai_maks: Series[float] = pa.Field(ge=0)
    nilai_mandiri: Series[float] = pa.Field(ge=0)
    nilai_terverifikasi: Series[float] = pa.Field(ge=0)


class Completeness(Contract):
    opd: Text = pa.Field(unique=True)
    nama_opd: Text
    status_kirim: Text = pa.Field(isin=list(tables.SENT_ORDER))
    pertanyaan: Series[int] = pa.Field(ge=0)
    dijawab: Series[int] = pa.Field(ge=0)
    ditolak: Series[int] = pa.Field(ge=0)
    belum_dijawab: Series[int] = pa.Field(ge=0)
    dengan_data_dukung: Series[int] = pa.Field(ge=0)
    file: Text = pa.Field(nullable=True)
    disimpan: Text = pa.Field(nullable=True)
    narahubung_nama: Text = pa.Field(nullable=True)
    narahubung_jabatan: Text = pa.Field(nullable=True)
    narahubung_telepon: Text = pa.Field(nullable=True)
    narahubung_email: Text = pa.Field(nullable=True)


class Recommendations(Contract):
    peringkat: Series[int] = pa.Field(ge=1)
    dasar: Text = pa.Field(isin=[tables.BASE_VERIFIED, tables.BASE_SELF])
    kode: Text
    klaster: Text
    indikator: Text
    pertanyaan: Text
    opd: Text
    nama_opd: Text
    jenis_tindakan: Text = pa.Field(
        isin=[tables.ACTION_EVIDENCE, tables.ACTION_ANSWER, tables.ACTION_IMPROVE]
    )
    status: Text
    jawaban: Text
    tambahan: Series[float] = pa.Field(gt=0)
    kumulatif: Series[float] = pa.Field(ge=0)
    mencapai: Text


# Each contract model with the tables.py column tuple it must match (checked in tests).
MODELS: dict[str, tuple[type[Contract], tuple[str, ...]]] = {
    "issues": (Issues, tables.ISSUES),
    "files": (Files, tables.FILES),
    "cells": (Cells, tables.CELLS),
    "answers": (Answers, tables.ANSWERS),
    "regional": (Regional, tables.REGIONAL),
    "scored": (Scored, tables.SCORED),
    "indicators": (IndicatorScores, tables.INDICATOR_SCORES),
    "clusters": (ClusterScores, tables.CLUSTER_SCORES),
    "completeness": (Completeness, tables.COMPLETENESS),
    "recommendations": (Recommendations, tables.RECOMMENDATIONS),
}


def validate_stage(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Check one stage's output against its contract; raise pandera's SchemaErrors listing every breach."""
    model, _ = MODELS[name]
    return model.validate(frame, lazy=True)
