"""Scored questions + files -> who delivered what: one row per expected office (tables.COMPLETENESS)."""

from __future__ import annotations

import pandas as pd

from pipeline import tables
from pipeline.instrument import Instrument
from pipeline.merge import rejected_files
from pipeline.region import Region

CONTACT_COLUMNS = (
    "narahubung_nama",
    "narahubung_jabatan",
    "narahubung_telepon",
    "narahubung_email",
)


def completeness(
    scored: pd.DataFrame, files: pd.DataFrame, instrument: Instrument, region: Region
) -> pd.DataFrame:
    """Counts, submission status, used file and contact per office; non-senders first, then by role."""
    asked = set(scored["kode"].astype(str))  # computed KD questions are asked of kecamatan
    offices = sorted(
        {region.office_role(q.opd_utama) for q in instrument.questions if q.kode in asked}
    )
    counts = _counts(scored).reindex(offices, fill_value=0)
    used = used_files(files, region).reindex(offices)
    sent = used["file"].notna()
    complete = counts["dijawab"] == counts["pertanyaan"]
    status = (
        pd.Series(tables.SENT_PART, index=offices)
        .where(~complete, tables.SENT_ALL)
        .where(sent, tables.SENT_NONE)
    )
    refused = rejected_files(files, region).reindex(offices)
    refused_only = ~sent & refused["file"].notna()
    status = status.where(~refused_only, tables.SENT_REFUSED)
    untouched = sent & (counts["dijawab"] == 0) & (counts["ditolak"] == 0)
    status = status.where(~untouched, tables.SENT_EMPTY)
    used = used.assign(
        file=used["file"].where(~refused_only, refused["file"]),
        disimpan=used["disimpan"].where(~refused_only, refused["disimpan"]),
    )
    frame = pd.DataFrame(
        {
            "opd": offices,
            "nama_opd": [region.offices.get(o, o) for o in offices],
            "status_kirim": status.to_numpy(),
            **{c: counts[c].astype("int64").to_numpy() for c in counts.columns},
            **{c: used[c].fillna("").astype(str).to_numpy() for c in ("file", "disimpan")},
            **{c: used[c].fillna("").astype(str).to_numpy() for c in CONTACT_COLUMNS},
        }
    )
    order = frame.assign(_sent=sent.to_numpy()).sort_values(["_sent", "opd"], kind="stable").index
    return frame.loc[order, list(tables.COMPLETENESS)].reset_index(drop=True)


def used_files(files: pd.DataFrame, region: Region) -> pd.DataFrame:
    """The used workbook per office role (the latest saved if, unexpectedly, there are several)."""
    used = files.loc[files["status"] == tables.FILE_USED].astype({"peran": str, "file": str})
    used = used.assign(opd=used["peran"].map(region.office_role))
    used = used[used["opd"] != ""].sort_values(
        ["opd", "disimpan", "file"], ascending=[True, False, True], kind="stable"
    )
    return used.drop_duplicates("opd").set_index("opd")


def _counts(scored: pd.DataFrame) -> pd.DataFrame:
    status = scored["status"].astype(str)
    answered = status == tables.STATUS_ANSWERED
    rejected = status == tables.STATUS_REJECTED
    flags = pd.DataFrame(
        {
            "opd": scored["opd"].astype(str),
            "pertanyaan": 1,
            "dijawab": answered.astype("int64"),
            "ditolak": rejected.astype("int64"),
            "belum_dijawab": (~answered & ~rejected).astype("int64"),
            "dengan_data_dukung": (answered & scored["ada_data_dukung"].astype(bool)).astype(
                "int64"
            ),
        }
    )
    return flags.groupby("opd", sort=True).sum()
