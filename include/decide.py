"""Decide one month: every P3KE row's outcome, the bills, candidates and the summary.

Input is the validated dataset (static reason codes already attached) and the
links of include.matching; output is a `PeriodResult`. Outcomes follow
CONTRACTS.md, first that applies: karantina, duplikat_p3ke, terdaftar_aktif,
tidak_memenuhi_syarat, perlu_tinjauan, calon_peserta.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from include import billing
from include.matching import Links
from include.model import (
    CALON_COLUMNS,
    HASIL_COLUMNS,
    KARANTINA_COLUMNS,
    KUALITAS_COLUMNS,
    RINCIAN_COLUMNS,
    SUMBER_DANA,
    TINJAUAN_COLUMNS,
    PeriodResult,
)
from include.periods import completed_years_array, day_array, first_day, last_day, period_of
from include.policy import Policy, normalise_pekerjaan
from include.quality import soft_findings
from include.wilayah import TIDAK_DIKETAHUI, Wilayah, in_region

ENDED_FOR_GOOD = ("MENINGGAL", "USIA")


@dataclass
class Dataset:
    """The validated landing data of a run: normalised rows plus `alasan` (reason codes).

    p3ke also carries `urut` (files in name order, then row order); peserta carries
    `peringatan` (NIK warnings that do not quarantine); kualitas holds the
    run-wide data-quality counts (soft findings, skipped files) as KUALITAS_COLUMNS.
    """

    p3ke: pd.DataFrame
    peserta: pd.DataFrame
    klaim: pd.DataFrame
    tinjauan: pd.DataFrame
    kualitas: pd.DataFrame


def completed_years(born: pd.Series, on: dt.date) -> pd.Series:
    """Age in completed years on a day (NA where the birth date is missing)."""
    age = pd.Series(completed_years_array(day_array(born), on), index=born.index)
    return age.astype("Float64")


def birth_window_reasons(born: pd.Series, periode: str) -> pd.Series:
    """TANGGAL_LAHIR_TIDAK_VALID for a birth date after the reference date or an age over 120 at it."""
    reference = last_day(periode)
    days = day_array(born)
    after = days > np.datetime64(reference)
    too_old = np.nan_to_num(completed_years_array(days, reference), nan=0.0) > 120
    return pd.Series(after | too_old, index=born.index)


def add_reason(alasan: pd.Series, mask: pd.Series, code: str) -> pd.Series:
    """Add a reason code to the rows of mask, keeping codes sorted and '|'-joined."""
    def merge(existing: str) -> str:
        return "|".join(sorted(set(filter(None, existing.split("|"))) | {code}))

    out = alasan.copy()
    out[mask] = out[mask].map(merge)
    return out


def _among(values: pd.Series, pool) -> pd.Series:
    """values.isin(pool) for text keys (KPJ) through Arrow's hash set: pandas' isin on millions of
    Python strings costs seconds where this costs milliseconds. Missing values are never among."""
    import pyarrow as pa
    import pyarrow.compute as pc

    def arrow(column) -> pa.Array:
        items = column.to_numpy(dtype=object, na_value=None) if isinstance(column, pd.Series) else list(column)
        return pa.array(items, type=pa.string(), from_pandas=True)

    found = pc.is_in(arrow(values), value_set=arrow(pool), skip_nulls=True).fill_null(False)
    return pd.Series(found.to_numpy(zero_copy_only=False), index=values.index, dtype=bool)


def eligible(p3ke: pd.DataFrame, periode: str, policy: Policy) -> pd.Series:
    age = completed_years(p3ke["tanggal_lahir"], first_day(periode))
    desil = p3ke["desil_kesejahteraan"].isin(list(policy.desil_layak)).fillna(False)
    usia = ((age >= policy.usia_min) & (age <= policy.usia_max)).fillna(False).astype(bool)
    jobs = p3ke["pekerjaan"]
    counts = {p: normalise_pekerjaan(p) not in ("", *policy.pekerjaan_dikecualikan) for p in jobs.dropna().unique()}
    kerja = jobs.map(counts, na_action="ignore").fillna(False).astype(bool)
    return desil.astype(bool) & usia & kerja


def decide_period(data: Dataset, links: Links, periode: str, policy: Policy, wilayah: Wilayah,
                  region: str) -> PeriodResult:
    """Everything reported for one month, from the dataset and the links."""
    p3ke = data.p3ke.copy()
    p3ke["alasan"] = add_reason(p3ke["alasan"], birth_window_reasons(p3ke["tanggal_lahir"], periode),
                                "TANGGAL_LAHIR_TIDAK_VALID")
    roster = data.peserta[data.peserta["alasan"] == ""]
    billed = roster[billing.billed_mask(roster, periode)]
    started = roster[billing.started_by(roster, periode)]

    hasil = _outcomes(p3ke, roster, billed, started, links, periode, policy)
    rincian = _rincian(billed, hasil, p3ke, periode, policy, wilayah, region)
    calon = _calon(hasil, p3ke, periode, wilayah)
    tinjauan = _tinjauan(hasil, p3ke, roster, links, periode)
    karantina = _karantina(p3ke, data.peserta, data.klaim)
    bulanan = billing.monthly_totals(roster, policy.program_mulai, periode, policy)
    ringkasan = _ringkasan(periode, hasil, data, rincian, bulanan, policy)
    kualitas = _kualitas(data, p3ke, rincian, region)
    return PeriodResult(
        periode=periode,
        rincian=rincian,
        calon=calon,
        tinjauan=tinjauan,
        karantina=karantina,
        hasil=hasil[HASIL_COLUMNS].reset_index(drop=True),
        kualitas=kualitas,
        iuran_bulanan=bulanan,
        bobot=links.bobot,
        ringkasan=ringkasan,
    )


def _outcomes(p3ke, roster, billed, started, links: Links, periode, policy) -> pd.DataFrame:
    """One row per P3KE row: hasil, alasan, kpj (the linked or former participant), orang."""
    out = p3ke[["urut", "berkas", "baris", "id_individu", "alasan"]].copy()
    out["periode"] = periode
    out["orang"] = out["urut"].map(links.orang).astype("Int64")
    out["kpj"] = None
    quarantined = out["alasan"] != ""
    out.loc[quarantined, "orang"] = pd.NA
    # The person is the first row of its group among the rows not quarantined this month.
    live = out[~quarantined].sort_values("urut")
    first_of_person = ~live.duplicated("orang")
    person_rows = live[first_of_person]
    duplicate = live.index[~first_of_person.to_numpy()]

    link = links.peserta[_among(links.peserta["kpj"], started["kpj"])]
    link = link.merge(roster[["kpj", "status_kepesertaan", "tanggal_nonaktif", "alasan_nonaktif"]], on="kpj")
    link_billed = link[_among(link["kpj"], billed["kpj"])].sort_values("kpj").drop_duplicates("orang")
    ended = link[~_among(link["kpj"], billed["kpj"])]
    ended_for_good = ended[ended["alasan_nonaktif"].isin(ENDED_FOR_GOOD)].drop_duplicates("orang")
    former = ended.sort_values(["tanggal_nonaktif", "kpj"]).drop_duplicates("orang", keep="last")

    persons = person_rows[["orang"]].copy()
    persons["aktif"] = persons["orang"].isin(link_billed["orang"])
    persons["selesai"] = persons["orang"].isin(ended_for_good["orang"])
    persons["layak"] = eligible(p3ke.loc[person_rows.index], periode, policy)
    ragu = _pending_pairs(links, started, out, quarantined)
    persons["ragu"] = person_rows["urut"].isin(ragu["urut"])

    hasil = pd.Series("calon_peserta", index=persons.index)
    hasil[persons["ragu"]] = "perlu_tinjauan"
    hasil[persons["selesai"] | ~persons["layak"]] = "tidak_memenuhi_syarat"
    hasil[persons["aktif"]] = "terdaftar_aktif"
    out["hasil"] = "karantina"
    out.loc[duplicate, "hasil"] = "duplikat_p3ke"
    out.loc[persons.index, "hasil"] = hasil
    kpj_aktif = persons["orang"].map(link_billed.set_index("orang")["kpj"])
    kpj_lama = persons["orang"].map(former.set_index("orang")["kpj"])
    out.loc[persons.index, "kpj"] = kpj_aktif.where(persons["aktif"], kpj_lama)
    return out.sort_values("urut")


def _pending_pairs(links: Links, started, out, quarantined) -> pd.DataFrame:
    """Uncertain pairs still open this month: the roster candidate has started, the earlier row is live."""
    ragu = links.ragu
    live_urut = set(out.loc[~quarantined, "urut"])
    to_roster = _among(ragu["kandidat_kpj"], started["kpj"])
    internal = (ragu["kandidat_kpj"] == "") & ragu["kandidat_urut"].isin(live_urut)
    return ragu[(to_roster | internal) & ragu["urut"].isin(live_urut)]


def _region_columns(kode: pd.Series, wilayah: Wilayah, region: str) -> pd.DataFrame:
    """kode_kecamatan, kecamatan, desa_kelurahan of each code, looked up once per distinct code; a code
    unknown, outside the region or missing gives '', TIDAK_DIKETAHUI, ''."""
    codes, uniques = pd.factorize(kode.astype(object), use_na_sentinel=True)
    known = [wilayah.is_desa(k) and in_region(k, region) for k in uniques]
    kec = [wilayah.kecamatan_of(k) if ok else None for k, ok in zip(uniques, known, strict=True)]

    def column(values: list, missing: str) -> np.ndarray:
        return np.array([*values, missing], dtype=object)[codes]  # code -1 (missing) takes the last entry

    return pd.DataFrame({
        "kode_kecamatan": column([k[0] if k else "" for k in kec], ""),
        "kecamatan": column([k[1] if k else TIDAK_DIKETAHUI for k in kec], TIDAK_DIKETAHUI),
        "desa_kelurahan": column([wilayah.desa_name(k) if ok else "" for k, ok in zip(uniques, known, strict=True)],
                                 ""),
    }, index=kode.index)


def _rincian(billed, hasil, p3ke, periode, policy, wilayah, region) -> pd.DataFrame:
    rows = billed.copy()
    rows = rows.join(billing.amounts(rows, periode, policy))
    rows = rows.join(_region_columns(rows["kode_kemdagri"], wilayah, region))
    rows["periode"] = periode
    active = hasil[hasil["hasil"] == "terdaftar_aktif"][["kpj", "urut"]]
    desil = active["urut"].map(p3ke.set_index("urut")["desil_kesejahteraan"])
    from_p3ke = set(active.loc[desil.isin([1, 2]).fillna(False).astype(bool).to_numpy(), "kpj"])
    rows["dari_p3ke"] = _among(rows["kpj"], from_p3ke)
    columns = [*RINCIAN_COLUMNS, "kode_kecamatan", "dari_p3ke", "berkas", "baris"]
    return rows[columns].sort_values("kpj").reset_index(drop=True)


def _calon(hasil, p3ke, periode, wilayah) -> pd.DataFrame:
    chosen = hasil[hasil["hasil"] == "calon_peserta"]
    rows = p3ke.loc[chosen.index].copy()
    rows["kpj_lama"] = chosen["kpj"]
    rows["jenis"] = rows["kpj_lama"].notna().map({True: "REAKTIVASI", False: "BARU"})
    rows["kecamatan"] = rows["kode_kemdagri"].map(lambda k: wilayah.kecamatan_of(k)[1], na_action="ignore")
    rows["desa_kelurahan"] = rows["kode_kemdagri"].map(wilayah.desa_name, na_action="ignore")
    rows["periode"] = periode
    rows = rows.sort_values(["desil_kesejahteraan", "tanggal_lahir", "id_individu"], kind="stable")
    rows["prioritas"] = range(1, len(rows) + 1)
    return rows[[*CALON_COLUMNS, "berkas", "baris"]].reset_index(drop=True)


def _tinjauan(hasil, p3ke, roster, links: Links, periode) -> pd.DataFrame:
    review = hasil[hasil["hasil"] == "perlu_tinjauan"]
    pairs = links.ragu[links.ragu["urut"].isin(review["urut"])]
    pairs = pairs[(pairs["kandidat_kpj"] == "") | _among(pairs["kandidat_kpj"], roster["kpj"])]
    me = p3ke.set_index("urut")
    out = pd.DataFrame({
        "periode": periode,
        "id_individu": pairs["urut"].map(me["id_individu"]),
        "nik": pairs["urut"].map(me["nik"]),
        "nama": pairs["urut"].map(me["nama"]),
        "tanggal_lahir": pairs["urut"].map(me["tanggal_lahir"]),
        "kode_kemdagri": pairs["urut"].map(me["kode_kemdagri"]),
        "kandidat_kpj": pairs["kandidat_kpj"],
        "probabilitas": pairs["probabilitas"],
        "alasan": pairs["alasan"],
    })
    other = roster.set_index("kpj")
    internal = pairs["kandidat_kpj"] == ""
    for field in ("nik", "nama", "tanggal_lahir"):
        from_roster = pairs["kandidat_kpj"].map(other[field])
        from_p3ke = pairs["kandidat_urut"].map(me[field])
        out[f"kandidat_{field}"] = from_roster.where(~internal, from_p3ke)
    return out[TINJAUAN_COLUMNS].sort_values(["id_individu", "kandidat_kpj", "kandidat_nik"]).reset_index(drop=True)


def _karantina(p3ke, peserta, klaim) -> pd.DataFrame:
    parts = []
    for sumber, frame, id_column, nama in (("p3ke", p3ke, "id_individu", True), ("peserta", peserta, "kpj", True),
                                           ("klaim", klaim, "kpj", False)):
        bad = frame[frame["alasan"] != ""]
        parts.append(pd.DataFrame({
            "sumber": sumber, "berkas": bad["berkas"], "baris": bad["baris"].astype("int64"),
            "alasan": bad["alasan"], "id": bad[id_column], "nik": bad["nik"],
            "nama": bad["nama"] if nama else None,
        }))
    out = pd.concat(parts, ignore_index=True)
    return out[KARANTINA_COLUMNS].sort_values(["sumber", "berkas", "baris"]).reset_index(drop=True)


def _ringkasan(periode, hasil, data: Dataset, rincian, bulanan, policy: Policy) -> dict:
    counts = hasil["hasil"].value_counts()
    klaim = data.klaim[data.klaim["alasan"] == ""]
    paid_month = klaim["tanggal_bayar"].map(period_of, na_action="ignore")
    in_month = klaim[paid_month == periode]
    in_span = klaim[(paid_month >= policy.program_mulai) & (paid_month <= periode)]
    year = int(periode[:4])
    realisasi = int(bulanan[bulanan["periode"].str.startswith(f"{year}-")]["iuran_apbd"].sum())
    pagu = policy.pagu(year)
    return {
        "periode": periode,
        "p3ke": {"baris_masuk": len(hasil), **{k: int(counts.get(k, 0)) for k in (
            "karantina", "duplikat_p3ke", "terdaftar_aktif", "tidak_memenuhi_syarat", "perlu_tinjauan",
            "calon_peserta")}},
        "peserta": {
            "baris_masuk": len(data.peserta),
            "karantina": int((data.peserta["alasan"] != "").sum()),
            "ditagih": len(rincian),
            "baru": int((rincian["status_tagihan"] == "BARU").sum()),
            "dari_p3ke": int(rincian["dari_p3ke"].sum()),
        },
        "iuran": {
            "iuran_jkk": int(rincian["iuran_jkk"].sum()),
            "iuran_jkm": int(rincian["iuran_jkm"].sum()),
            "total_iuran": int(rincian["total_iuran"].sum()),
            "per_sumber_dana": {s: int(rincian.loc[rincian["sumber_dana"] == s, "total_iuran"].sum())
                                for s in SUMBER_DANA},
        },
        "klaim": {"kasus": len(in_month), "nilai_manfaat": int(in_month["nilai_manfaat"].sum())},
        "kumulatif": {
            "periode_awal": policy.program_mulai,
            "total_iuran": int(bulanan["total_iuran"].sum()),
            "kasus_klaim": len(in_span),
            "nilai_manfaat": int(in_span["nilai_manfaat"].sum()),
        },
        "anggaran": {
            "tahun": year,
            "pagu": pagu,
            "realisasi": realisasi,
            "persen": round(100 * realisasi / pagu, 2) if pagu else None,
        },
    }


def _kualitas(data: Dataset, p3ke, rincian, region) -> pd.DataFrame:
    rows = [data.kualitas, soft_findings(p3ke, region)]
    for sumber, frame in (("p3ke", p3ke), ("peserta", data.peserta), ("klaim", data.klaim)):
        codes = frame["alasan"][frame["alasan"] != ""].str.split("|").explode().value_counts()
        rows.append(pd.DataFrame({"sumber": sumber, "temuan": codes.index, "jumlah": codes.to_numpy()}))
    warnings = data.peserta["peringatan"][data.peserta["peringatan"] != ""].str.split("|").explode().value_counts()
    rows.append(pd.DataFrame({"sumber": "peserta", "temuan": "PERINGATAN_" + warnings.index,
                              "jumlah": warnings.to_numpy()}))
    unknown = int((rincian["kecamatan"] == TIDAK_DIKETAHUI).sum())
    rows.append(pd.DataFrame({"sumber": ["peserta"], "temuan": ["DITAGIH_WILAYAH_TIDAK_DIKETAHUI"],
                              "jumlah": [unknown]}))
    out = pd.concat(rows, ignore_index=True)[KUALITAS_COLUMNS]
    out["jumlah"] = out["jumlah"].astype("int64")
    return out.sort_values(["sumber", "temuan"]).reset_index(drop=True)


# A month decided in parts (include.partitions): each part's result holds its own rows; the month-wide
# frames and the summary are put together from the parts' by these.
NOT_ADDED = ("periode", "periode_awal", "tahun", "pagu", "persen")  # ringkasan leaves that are not counts


def combine_ringkasan(parts: list[dict]) -> dict:
    """The month's summary from its parts' summaries: counts and amounts added up (every row is in one
    part), the month, program start, year and budget as they are, the budget share worked out again."""
    def add(values: list):
        first = values[0]
        if isinstance(first, dict):
            return {key: (first[key] if key in NOT_ADDED else add([v[key] for v in values])) for key in first}
        return sum(values)

    out = add(parts)
    anggaran = out["anggaran"]
    anggaran["persen"] = round(100 * anggaran["realisasi"] / anggaran["pagu"], 2) if anggaran["pagu"] else None
    return out


def combine_kualitas(parts: list[pd.DataFrame], dataset_wide: pd.DataFrame) -> pd.DataFrame:
    """The month's data-quality counts: the parts' counts added up per finding, plus the dataset-wide ones
    (files skipped, decisions not used), which no part holds."""
    out = pd.concat([*parts, dataset_wide], ignore_index=True)[KUALITAS_COLUMNS]
    out = out.groupby(["sumber", "temuan"], sort=True, as_index=False)["jumlah"].sum()
    out["jumlah"] = out["jumlah"].astype("int64")
    return out.reset_index(drop=True)


def combine_iuran_bulanan(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Billed participants and amounts per month, added up over the parts (each participant is in one)."""
    out = pd.concat(parts, ignore_index=True).groupby("periode", sort=True, as_index=False).sum()
    for column in ("jumlah_peserta", "total_iuran", "iuran_apbd"):
        out[column] = out[column].astype("int64")
    return out[["periode", "jumlah_peserta", "total_iuran", "iuran_apbd"]]


CALON_ORDER = ["desil_kesejahteraan", "tanggal_lahir", "id_individu"]  # _calon's order, rows in urut order


def rank_calon(parts: list[pd.DataFrame]) -> list[np.ndarray]:
    """The month's priority (1 ..) of every candidate of every part, as _calon gives it over the whole
    dataset: each frame holds CALON_ORDER and the candidate's `urut`; the result is one array per part,
    aligned with its rows."""
    keys = pd.concat([part[[*CALON_ORDER, "urut"]].assign(_bagian=k, _baris=np.arange(len(part)))
                      for k, part in enumerate(parts)], ignore_index=True)
    keys = keys.sort_values([*CALON_ORDER, "urut"])  # a stable sort of urut order == urut as last key
    keys["prioritas"] = np.arange(1, len(keys) + 1)
    out = []
    for k, part in enumerate(parts):
        mine = keys[keys["_bagian"] == k]
        prioritas = np.empty(len(part), dtype="int64")
        prioritas[mine["_baris"].to_numpy()] = mine["prioritas"].to_numpy()
        out.append(prioritas)
    return out
