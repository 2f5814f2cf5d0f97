"""National-scale landing files: P3KE CSV exports, one per kabupaten/kota, and one BPJS roster snapshot.

`write_national(landing, rows, seed, region)` fills `<landing>/p3ke/` with one CSV per kabupaten/kota of the
region (514 for all Indonesia; rows spread by number of desa, at least one each) and `<landing>/bpjs/peserta/`
with ONE roster CSV of `rows // 2` participants: CONTRACTS reads only the roster file whose name sorts last, so
the roster is streamed into one file chunk by chunk rather than sharded. `<landing>/manifest_nasional.json` holds
rows per file, totals and the planted defects (no personal data). The generator's own folders (p3ke/, bpjs/,
tinjauan/) are replaced, as in demo mode; claims and review decisions are optional and left absent.

People, names, NIKs, twins, duplicates and matching noise come from `include.demo.hard.generate_hard`, called
once per chunk (a province, or a kabupaten when the province is large or a kabupaten would get no row) with a
seed derived from (seed, chunk code), so memory stays bounded by one chunk and the same arguments give
byte-identical files. This module adds the P3KE columns hard-matching data lacks (desil, pekerjaan, family
roles, addresses, aid flags), the roster's spells (NONAKTIF exits, funding sources, incomes) and the CSV
formats users send (the CSV specs of include.demo.layout: ';' or ',', UTF-8 with BOM or Windows-1252,
CRLF or LF, several date, sex and code forms).

Planted defects the pipeline quarantines: Excel-damaged P3KE NIKs (NIK_RUSAK_EXCEL, ~0.5 %, at most 2 % of a
file), roster UPAH_TIDAK_VALID (~0.1 %) and NONAKTIF_TANPA_TANGGAL (~0.05 %). Roster NIK damage and missing
roster NIKs are warnings, never quarantine.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from include.demo.hard import generate_hard
from include.demo.layout import P3KE_SPECS, ROSTER, Spec, p3ke_file_name
from include.demo.people import AGE_REF, BELUM_KERJA, KERJA_ISTRI, KERJA_MAMPU, KERJA_MISKIN, PEREMPUAN
from include.wilayah import load_wilayah, normalise_kode

SEED = 20250701
SNAPSHOT = dt.date(2025, 7, 31)  # roster position date: the month 2025-07 is billed from it
CHUNK_ROWS = 200_000  # a province up to this many rows is one chunk; larger ones go kabupaten by kabupaten
HARD_MIN_ROWS = 100  # generate_hard's smallest size
RUSAK_MAX_SHARE = 0.02  # Excel-damaged NIKs per P3KE file at most (the run fails a file above 5 %)
OWN_FOLDERS = ("p3ke", "bpjs", "tinjauan")
MANIFEST = "manifest_nasional.json"
P3KE_CSV_SPECS = tuple(spec for spec in P3KE_SPECS if spec.kind == "csv")
ROSTER_CSV = Spec("csv", ROSTER, "%d-%m-%Y", encoding="utf-8-sig", delimiter=";", newline="\r\n", jk="short",
                  kode="digits")
DESIL_P = (0.32, 0.28, 0.22, 0.18)
BANTUAN_P = {1: 0.55, 2: 0.35, 3: 0.12, 4: 0.04}
SUMBER = (("APBD", 70), ("APB_NAGARI", 10), ("CSR", 8), ("MANDIRI", 12))
UPAH = ((1_000_000, 75), (1_200_000, 8), (1_500_000, 8), (2_000_000, 6), (3_000_000, 3))
ALASAN_NONAKTIF = (("MENINGGAL", 5), ("USIA", 10), ("PINDAH", 25), ("MENGUNDURKAN_DIRI", 30),
                   ("BEKERJA_FORMAL", 20), ("LAINNYA", 10))
RATES = {"nonaktif": 0.12, "padan_tidak": 0.03, "upah_tidak_valid": 0.001, "nonaktif_tanpa_tanggal": 0.0005}


@dataclass(frozen=True)
class Kabupaten:
    kode: str  # '13.03'
    nama: str  # 'Kabupaten Sijunjung'
    desa: int  # number of desa/kelurahan in the reference
    nomor: int  # position among all Indonesian kabupaten/kota (picks the file's CSV format)


@dataclass(frozen=True)
class Chunk:
    """One generate_hard call: a region prefix, its P3KE and roster rows, and the kabupaten it covers."""

    kode: str
    rows: int
    roster: int
    kabupaten: tuple[Kabupaten, ...]


@lru_cache(maxsize=1)
def _every_kabupaten() -> tuple[Kabupaten, ...]:
    names = load_wilayah().names
    counts: dict[str, int] = {}
    for kode in names:
        if kode.count(".") == 3:
            counts[kode[:5]] = counts.get(kode[:5], 0) + 1
    return tuple(Kabupaten(k, names[k], counts[k], i) for i, k in enumerate(sorted(counts)))


def kabupaten_in(region: str) -> list[Kabupaten]:
    """The kabupaten/kota of a region prefix ('' all Indonesia, '13' a province, '13.03' one kabupaten)."""
    chosen = [k for k in _every_kabupaten() if not region or k.kode == region or k.kode.startswith(region + ".")]
    if not chosen:
        raise ValueError(f"region {region!r} has no kabupaten/kota in the reference; use a province code such as "
                         "13 or a kabupaten code such as 13.03 (empty = all Indonesia)")
    return chosen


def normalise_region(region: str | None) -> str:
    """'' (all Indonesia), a province ('13') or a kabupaten ('13.03', also '1303'); ValueError otherwise."""
    text = (region or "").strip()
    kode = normalise_kode(text) if text else ""
    if kode is None or kode.count(".") > 1:
        raise ValueError(f"region {region!r}: use a province code such as 13 or a kabupaten code such as 13.03")
    return kode


def allocate(total: int, weights: list[int] | np.ndarray, minimum: int = 0) -> np.ndarray:
    """`total` split over weights by largest remainder (ties to the first), each part at least `minimum`."""
    weights = np.asarray(weights, dtype=float)
    base = np.full(len(weights), minimum, dtype=np.int64)
    rest = total - base.sum()
    if rest < 0:
        raise ValueError(f"{total} rows cannot give {minimum} to each of {len(weights)} parts; ask for more rows")
    quota = rest * weights / weights.sum()
    parts = np.floor(quota).astype(np.int64)
    order = np.lexsort((np.arange(len(weights)), -(quota - parts)))
    parts[order[: rest - parts.sum()]] += 1
    return base + parts


def plan(rows: int, region: str = "") -> list[Chunk]:
    """The chunks of a run: provinces up to CHUNK_ROWS rows, else their kabupaten one by one."""
    kabupaten = kabupaten_in(region)
    if rows < len(kabupaten):
        raise ValueError(f"rows={rows}: the region has {len(kabupaten)} kabupaten/kota and each file needs a row; "
                         f"ask for at least {len(kabupaten)} rows")
    provinces = sorted({k.kode[:2] for k in kabupaten})
    members = {p: tuple(k for k in kabupaten if k.kode[:2] == p) for p in provinces}
    p_rows = allocate(rows, [sum(k.desa for k in members[p]) for p in provinces])
    p_roster = allocate(rows // 2, p_rows)
    chunks = []
    for p, n, r in zip(provinces, p_rows, p_roster, strict=True):
        group = members[p]
        whole = len(region) != 5 and len(group) > 1 and n <= CHUNK_ROWS
        chunks += [Chunk(p, int(n), int(r), group)] if whole else _by_kabupaten(group, int(n), int(r))
    return chunks


def _by_kabupaten(group: tuple[Kabupaten, ...], rows: int, roster: int) -> list[Chunk]:
    k_rows = allocate(rows, [k.desa for k in group], minimum=1)
    k_roster = allocate(roster, k_rows)
    return [Chunk(k.kode, int(n), int(r), (k,)) for k, n, r in zip(group, k_rows, k_roster, strict=True)]


def chunk_seed(seed: int, kode: str) -> int:
    """The generate_hard seed of a chunk, from the run's seed and the chunk's code."""
    return int(np.random.SeedSequence([seed, int(kode.replace(".", ""))]).generate_state(1)[0])


# --- one chunk: hard-matching people + the P3KE and roster columns they lack -------------------------


def _generate(chunk: Chunk, seed: int):
    """generate_hard for the chunk (three extra rows so the roster has enough), or None when a kabupaten of a
    province chunk got no row (the province is then made kabupaten by kabupaten)."""
    data = generate_hard(max(chunk.rows + 3, HARD_MIN_ROWS), chunk_seed(seed, chunk.kode), region=chunk.kode)
    kab = data.p3ke["kode_kemdagri"].str.slice(0, 5).iloc[: chunk.rows]
    if len(chunk.kabupaten) > 1 and set(kab) != {k.kode for k in chunk.kabupaten}:
        return None
    return data


def _pick(rng: np.random.Generator, table: tuple[tuple[object, int], ...], n: int) -> np.ndarray:
    labels = np.array([t[0] for t in table], dtype=object)
    weights = np.array([t[1] for t in table], dtype=float)
    return labels[rng.choice(len(labels), size=n, p=weights / weights.sum())]


def _days(dates: pd.Series) -> np.ndarray:
    """datetime.date objects (hard's frames) as datetime64[D], converted once per distinct date."""
    codes, distinct = pd.factorize(dates)
    return np.array(list(distinct), dtype="datetime64[D]")[codes]


def _age(days: np.ndarray) -> np.ndarray:
    born = days.astype("datetime64[D]")
    years = AGE_REF.year - (born.astype("datetime64[Y]").astype(int) + 1970)
    birthday = born - born.astype("datetime64[Y]") + np.datetime64(f"{AGE_REF.year}-01-01")
    return years - (birthday > np.datetime64(AGE_REF)).astype(int)


def _families(frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """hubungan, status_kawin by position in the family and ages; desil and aid per family."""
    kk = frame["keluarga"].to_numpy()
    rank = frame.groupby("keluarga", sort=False).cumcount().to_numpy()
    age, female = frame["umur"].to_numpy(), frame["perempuan"].to_numpy()
    head = frame.groupby("keluarga", sort=False)["urut"].transform("first").to_numpy() - frame["urut"].to_numpy()
    head_pos = np.arange(len(frame)) + head
    diff = age - age[head_pos]
    spouse = (rank == 1) & (female != female[head_pos]) & (np.abs(diff) <= 15) & (age >= 17)
    hub = np.select([rank == 0, spouse & female, spouse, diff <= -15, diff >= 15],
                    ["KEPALA KELUARGA", "ISTRI", "SUAMI", "ANAK", np.where(female, "MERTUA", "ORANG TUA")],
                    "FAMILI LAIN").astype(object)
    has_spouse = pd.Series(spouse).groupby(kk).transform("any").to_numpy()
    kawin = np.select([(rank == 0) & has_spouse, spouse, rank == 0, hub == "ANAK"],
                      ["KAWIN", "KAWIN", np.where(age >= 45, "CERAI MATI", "BELUM KAWIN"),
                       np.where((age >= 25) & (rng.random(len(frame)) < 0.3), "KAWIN", "BELUM KAWIN")],
                      "CERAI MATI").astype(object)
    families, first = np.unique(kk, return_index=True)
    desil = rng.choice(np.arange(1, 5), size=len(families), p=DESIL_P)
    aid = rng.random((len(families), 3)) < np.array([BANTUAN_P[d] for d in desil])[:, None] + [0.0, 0.10, 0.05]
    where = np.searchsorted(families, kk)
    rt, rw = rng.integers(1, 16, len(families)), rng.integers(1, 8, len(families))
    alamat = np.array([f"RT {a:03d} RW {b:03d}, " for a, b in zip(rt, rw, strict=True)], dtype=object)
    return pd.DataFrame({"hubungan_dengan_kepala_keluarga": hub, "status_kawin": kawin,
                         "desil_kesejahteraan": desil[where], "alamat": alamat[where],
                         "penerima_pkh": np.where(aid[where, 0], "YA", "TIDAK"),
                         "penerima_bpnt": np.where(aid[where, 1], "YA", "TIDAK"),
                         "penerima_sembako": np.where(aid[where, 2], "YA", "TIDAK"),
                         "penerima_pbi_jk": np.where(desil[where] <= 2, "YA", "TIDAK"),
                         "family_desa": frame["kode_kemdagri"].to_numpy()[first][where]})


def _pekerjaan(rng: np.random.Generator, age: np.ndarray, female: np.ndarray, hub: np.ndarray,
               desil: np.ndarray) -> np.ndarray:
    """Jobs by age, sex, family role and desil (the rules of include.demo.people.pekerjaan, vectorised)."""
    n = len(age)
    u = rng.random(n)
    work = np.where(female, _pick(rng, KERJA_ISTRI, n),
                    np.where(desil <= 2, _pick(rng, KERJA_MISKIN, n), _pick(rng, KERJA_MAMPU, n)))
    work = np.where((desil <= 2) & (u < 0.015), "KARYAWAN SWASTA", work)
    anak, rumah = hub == "ANAK", female & (hub != "KEPALA KELUARGA")
    old = _pick(rng, ((BELUM_KERJA, 50), ("PETANI/PEKEBUN", 45), ("PENSIUNAN", 5)), n)
    return np.select([age < 6, age < 18, age > 65, anak & (age <= 22) & (u < 0.42), anak & (age <= 22) & (u < 0.70),
                      rumah & (u < 0.5), anak & (u < 0.25)],
                     [BELUM_KERJA, np.where(u < 0.92, "PELAJAR/MAHASISWA", BELUM_KERJA), old, "PELAJAR/MAHASISWA",
                      BELUM_KERJA, "MENGURUS RUMAH TANGGA", BELUM_KERJA], work).astype(object)


def _pendidikan(rng: np.random.Generator, age: np.ndarray, desil: np.ndarray) -> np.ndarray:
    n = len(age)
    poor = _pick(rng, (("TAMAT SD/SEDERAJAT", 5), ("SLTP/SEDERAJAT", 3), ("SLTA/SEDERAJAT", 2)), n)
    rest = _pick(rng, (("TAMAT SD/SEDERAJAT", 3), ("SLTP/SEDERAJAT", 3), ("SLTA/SEDERAJAT", 4),
                       ("DIPLOMA IV/STRATA I", 1)), n)
    return np.select([age < 7, age < 13, age < 16], ["TIDAK/BELUM SEKOLAH", "BELUM TAMAT SD/SEDERAJAT",
                                                     "TAMAT SD/SEDERAJAT"], np.where(desil <= 2, poor, rest)).astype(object)


def _p3ke_frame(data, chunk: Chunk, rng: np.random.Generator) -> tuple[pd.DataFrame, int]:
    """The chunk's P3KE rows with every export column (canonical values); and how many NIKs were repaired
    to keep each file under RUSAK_MAX_SHARE."""
    p3ke = data.p3ke.iloc[: chunk.rows].reset_index(drop=True)
    truth = data.p3ke_truth.iloc[: chunk.rows].reset_index(drop=True)
    frame = pd.DataFrame({"urut": np.arange(len(p3ke)), "keluarga": pd.factorize(p3ke["id_keluarga_p3ke"])[0],
                          "orang": truth["orang"].to_numpy(), "nama": p3ke["nama"].to_numpy(),
                          "nik": p3ke["nik"].to_numpy(), "rusak": p3ke["nik_rusak_excel"].to_numpy(),
                          "jenis_kelamin": p3ke["jenis_kelamin"].to_numpy(),
                          "perempuan": (p3ke["jenis_kelamin"] == PEREMPUAN).to_numpy(),
                          "tanggal_lahir": _days(p3ke["tanggal_lahir"]),
                          "kode_kemdagri": p3ke["kode_kemdagri"].to_numpy()})
    frame["umur"] = _age(frame["tanggal_lahir"].to_numpy())
    frame = frame.join(_families(frame, rng))
    same = frame.groupby(["orang", "keluarga"], sort=False)
    for column in ("hubungan_dengan_kepala_keluarga", "status_kawin"):  # an exported-twice row is its original
        frame[column] = same[column].transform("first")
    desil = frame["desil_kesejahteraan"].to_numpy()
    person = frame.groupby("orang", sort=False)
    frame["pekerjaan"] = _pekerjaan(rng, frame["umur"].to_numpy(), frame["perempuan"].to_numpy(),
                                    frame["hubungan_dengan_kepala_keluarga"].to_numpy(), desil)
    frame["pendidikan"] = _pendidikan(rng, frame["umur"].to_numpy(), desil)
    for column in ("pekerjaan", "pendidikan"):
        frame[column] = person[column].transform("first")
    frame["padan_dukcapil"] = np.where(rng.random(len(frame)) < RATES["padan_tidak"], "TIDAK", "YA")
    names = load_wilayah().names
    where, desa = pd.factorize(frame["kode_kemdagri"])
    for column, width in (("kabupaten", 5), ("provinsi", 2), ("kabupaten_kota", 5), ("kecamatan", 8),
                          ("desa_kelurahan", 13)):
        codes = [c[:width] for c in desa]
        label = codes if column == "kabupaten" else [names[c].upper().removeprefix("KABUPATEN ") for c in codes]
        frame[column] = np.array(label, dtype=object)[where]
    frame["alamat"] = frame["alamat"] + frame["desa_kelurahan"]
    # national ids in the demo's style: P + the family's desa code + its number in that desa; + member number
    keluarga = frame.groupby("keluarga", sort=False).ngroup().to_numpy()
    seq = pd.Series(keluarga).groupby(frame["family_desa"].to_numpy()).rank(method="dense").astype(int)
    frame["id_keluarga_p3ke"] = ("P" + frame["family_desa"].str.replace(".", "", regex=False)
                                 + seq.map("{:05d}".format).to_numpy())
    member = frame.groupby("keluarga", sort=False).cumcount() + 1
    frame["id_individu"] = frame["id_keluarga_p3ke"] + member.map("{:02d}".format)
    repaired = _cap_rusak(frame, data)
    frame["nik"] = np.where(frame["rusak"] & ~frame["nik"].str.contains("E", regex=False),
                            frame["nik"] + ".0", frame["nik"])  # 15 digits + 0 as Excel's CSV writes a number cell
    return frame, repaired


def _cap_rusak(frame: pd.DataFrame, data) -> int:
    """Give back the true NIK to Excel-damaged rows beyond RUSAK_MAX_SHARE of their file."""
    true_nik = data.orang.set_index("orang")["nik"]
    rank = frame.groupby("kabupaten")["rusak"].cumsum()
    size = frame.groupby("kabupaten")["rusak"].transform("size")
    over = frame["rusak"] & (rank > np.floor(RUSAK_MAX_SHARE * size))
    frame.loc[over, "nik"] = true_nik.reindex(frame.loc[over, "orang"]).to_numpy()
    frame.loc[over, "rusak"] = False
    return int(over.sum())


def _roster_frame(data, chunk: Chunk, number: int, rng: np.random.Generator) -> pd.DataFrame:
    """The chunk's roster rows: a random subset of hard's roster, with spells, sources, incomes and KPJs unique
    across chunks (yy of registration, chunk number, a serial)."""
    roster = data.roster
    keep = np.sort(rng.choice(len(roster), size=chunk.roster, replace=False))
    roster = roster.iloc[keep].reset_index(drop=True)
    n = len(roster)
    if n >= 10**6 or number >= 1000:
        raise ValueError(f"chunk {chunk.kode}: {n} roster rows in chunk {number}; KPJs stay unique up to "
                         "999 999 rows in 1 000 chunks, ask for fewer rows")
    mulai = _days(roster["tanggal_kepesertaan"])
    room = (np.datetime64(SNAPSHOT) - mulai).astype(int)
    exits = (rng.random(n) < RATES["nonaktif"]) & (room > 30)
    akhir = mulai + 30 + (rng.random(n) * np.maximum(room - 30, 0)).astype(int)
    serial = rng.permutation(n)
    yy = mulai.astype("datetime64[Y]").astype(int) + 1970
    kpj = pc.utf8_lpad(pc.cast(pa.array(yy % 100 * 10**9 + number * 10**6 + serial), pa.string()), 11, "0")
    frame = pd.DataFrame({
        "kpj": kpj.to_numpy(zero_copy_only=False), "nik": roster["nik"].to_numpy(), "rusak": roster["nik_rusak_excel"].to_numpy(),
        "nama": roster["nama"].to_numpy(),
        "tanggal_lahir": _days(roster["tanggal_lahir"]),
        "jenis_kelamin": roster["jenis_kelamin"].to_numpy(), "kode_kemdagri": roster["kode_kemdagri"].to_numpy(),
        "tanggal_kepesertaan": mulai, "status_kepesertaan": np.where(exits, "NONAKTIF", "AKTIF"),
        "sumber_dana": _pick(rng, SUMBER, n), "upah_dilaporkan": _pick(rng, UPAH, n).astype(str),
        "tanggal_nonaktif": np.where(exits, akhir, np.datetime64("NaT")).astype("datetime64[D]"),
        "alasan_nonaktif": np.where(exits, _pick(rng, ALASAN_NONAKTIF, n), None), "segmen": "BPU"})
    names = load_wilayah().names
    kab = frame["kode_kemdagri"].str.slice(0, 5)
    frame["kantor_cabang"] = kab.map({k: "KC " + names[k].upper().removeprefix("KABUPATEN ") for k in kab.unique()})
    has_nik = frame["nik"].notna()
    frame.loc[has_nik, "nik"] = np.where(frame.loc[has_nik, "rusak"] & ~frame.loc[has_nik, "nik"].str.contains("E"),
                                         frame.loc[has_nik, "nik"] + ".0", frame.loc[has_nik, "nik"])
    upah_bad = rng.random(n) < RATES["upah_tidak_valid"]
    frame.loc[upah_bad, "upah_dilaporkan"] = "950000"
    no_date = ~upah_bad & ~exits & (rng.random(n) < RATES["nonaktif_tanpa_tanggal"])
    frame.loc[no_date, "status_kepesertaan"] = "NONAKTIF"
    frame["alasan"] = np.select([upah_bad, no_date], ["UPAH_TIDAK_VALID", "NONAKTIF_TANPA_TANGGAL"], "")
    return frame


# --- CSV rendering in Arrow (the cell forms of include.demo.layout.render) ---------------------------


def _mapped(column: pa.Array, form) -> pa.Array:
    """A low-cardinality text column through `form`, computed once per distinct value."""
    distinct = pc.unique(column)
    formed = pa.array([None if v is None else form(v) for v in distinct.to_pylist()], pa.string())
    return pc.take(formed, pc.index_in(column, distinct))


def _cells(key: str, values: pd.Series, spec: Spec) -> pa.Array:
    """One column as CSV cell text (null = empty cell)."""
    if values.dtype.kind == "M":
        distinct, where = np.unique(values.to_numpy().astype("datetime64[D]"), return_inverse=True)
        pattern = "%Y-%m-%d" if spec.tanggal in ("cell", "serial") else spec.tanggal
        text = pc.strftime(pa.array(distinct.astype("datetime64[s]"), pa.timestamp("s")), format=pattern)
        return pc.take(text, pa.array(where.ravel()))
    if values.dtype.kind in "iu":
        column = pc.cast(pa.array(values.to_numpy()), pa.string())
    else:
        column = pa.array(values, pa.string(), from_pandas=True)
    if key == "jenis_kelamin" and spec.jk != "full":
        return _mapped(column, lambda v: v[0] if spec.jk == "short" else v.capitalize())
    if key == "kode_kemdagri" and spec.kode == "digits":
        return _mapped(column, lambda v: v.replace(".", ""))
    if key == "desil_kesejahteraan" and spec.desil == "desil":
        return _mapped(column, lambda v: f"Desil {v}")
    if key == "pekerjaan" and spec.pekerjaan != "upper":
        return _mapped(column, lambda v: v.title() if spec.pekerjaan == "title" else v.replace("/", " / "))
    return column


def _quoted(column: pa.Array, delimiter: str) -> pa.Array:
    """QUOTE_MINIMAL: a cell holding the delimiter, a quote or a line break is quoted, its quotes doubled."""
    column = pc.fill_null(column, "")
    need = pc.match_substring_regex(column, f'[{delimiter}"\r\n]')
    if not pc.any(need).as_py():
        return column
    quoted = pc.binary_join_element_wise('"', pc.replace_substring(column, '"', '""'), '"', "")
    return pc.if_else(need, quoted, column)


def csv_bytes(frame: pd.DataFrame, spec: Spec, first_no: int = 1, header: bool = True) -> bytes:
    """A frame's rows in a spec's columns, cell forms, delimiter, newline and encoding (BOM with the header)."""
    columns = []
    for key, _ in spec.columns:
        if key == "no":
            column = pc.cast(pa.array(np.arange(first_no, first_no + len(frame))), pa.string())
        elif key in frame:
            column = _cells(key, frame[key], spec)
        else:
            column = pa.nulls(len(frame), pa.string())
        columns.append(_quoted(column, spec.delimiter))
    lines = pc.binary_join_element_wise(*columns, spec.delimiter)
    lines = pc.binary_join_element_wise(lines, "", spec.newline)  # each line + newline
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32)[lines.offset: lines.offset + len(lines) + 1]
    body = lines.buffers()[2].to_pybytes()[offsets[0]: offsets[-1]] if len(lines) else b""
    labels = spec.delimiter.join(_quoted(pa.array([label for _, label in spec.columns]), spec.delimiter).to_pylist())
    head = (labels + spec.newline).encode("utf-8") if header else b""
    bom = b"\xef\xbb\xbf" if header and spec.encoding == "utf-8-sig" else b""
    if spec.encoding in ("utf-8", "utf-8-sig"):
        return bom + head + body
    return (head + body).decode("utf-8").encode(spec.encoding)


# --- the run ------------------------------------------------------------------------------------


def _chunks(rows: int, seed: int, region: str) -> Iterator[tuple[Chunk, object]]:
    """Each chunk with its generated data; a province whose kabupaten would miss rows goes one by one."""
    for chunk in plan(rows, region):
        data = _generate(chunk, seed)
        if data is not None:
            yield chunk, data
            continue
        for sub in _by_kabupaten(chunk.kabupaten, chunk.rows, chunk.roster):
            yield sub, _generate(sub, seed)


def _replace_own_folders(landing: Path) -> None:
    for folder in OWN_FOLDERS:
        if (landing / folder).exists():
            shutil.rmtree(landing / folder)
    for folder in ("p3ke", "bpjs/peserta"):
        (landing / folder).mkdir(parents=True, exist_ok=True)


def roster_file_name(region: str) -> str:
    return f"peserta_bpu_{region.replace('.', '') or 'indonesia'}_{SNAPSHOT.isoformat()}.csv"


def write_national(landing: Path | str, rows: int, seed: int = SEED, region: str | None = "",
                   progress: bool = True) -> dict:
    """Write the national landing files and the manifest; return the manifest. ValueError on bad arguments."""
    from tqdm import tqdm

    from include.billing import billed_mask

    region = normalise_region(region)
    kabupaten = kabupaten_in(region)
    plan(rows, region)  # the argument errors before any folder is touched
    landing = Path(landing)
    _replace_own_folders(landing)
    roster_path = landing / "bpjs" / "peserta" / roster_file_name(region)
    files, planted = [], {"NIK_RUSAK_EXCEL": 0, "UPAH_TIDAK_VALID": 0, "NONAKTIF_TANPA_TANGGAL": 0}
    roster_rows, ditagih, baru, repaired = 0, 0, 0, 0
    bar = tqdm(total=len(kabupaten), desc="P3KE per kabupaten/kota", unit="berkas", disable=not progress)
    with open(roster_path, "wb") as roster_out:
        for number, (chunk, data) in enumerate(_chunks(rows, seed, region)):
            rng = np.random.default_rng([seed, int(chunk.kode.replace(".", "")), 1])
            p3ke, fixed = _p3ke_frame(data, chunk, rng)
            repaired += fixed
            parts = p3ke.groupby("kabupaten", sort=False).indices
            for kab in chunk.kabupaten:
                rows_k = p3ke.iloc[parts[kab.kode]]
                spec = P3KE_CSV_SPECS[kab.nomor % len(P3KE_CSV_SPECS)]
                name = p3ke_file_name(kab.kode, kab.nama, spec)
                (landing / "p3ke" / name).write_bytes(csv_bytes(rows_k, spec))
                rusak = int(rows_k["rusak"].sum())
                planted["NIK_RUSAK_EXCEL"] += rusak
                files.append({"berkas": f"p3ke/{name}", "kode": kab.kode, "baris": len(rows_k),
                              "karantina": {"NIK_RUSAK_EXCEL": rusak} if rusak else {}})
                bar.update(1)
            roster = _roster_frame(data, chunk, number, rng)
            roster_out.write(csv_bytes(roster, ROSTER_CSV, first_no=roster_rows + 1, header=roster_rows == 0))
            roster_rows += len(roster)
            for code in ("UPAH_TIDAK_VALID", "NONAKTIF_TANPA_TANGGAL"):
                planted[code] += int((roster["alasan"] == code).sum())
            valid = roster[roster["alasan"] == ""]
            billed = billed_mask(valid.assign(tanggal_kepesertaan=valid["tanggal_kepesertaan"].dt.date,
                                              tanggal_nonaktif=valid["tanggal_nonaktif"].dt.date), "2025-07")
            ditagih += int(billed.sum())
            baru += int((billed & (valid["tanggal_kepesertaan"] >= pd.Timestamp("2025-07-01"))).sum())
    bar.close()
    manifest = {
        "generator": "include.demo.national", "seed": seed, "rows": rows, "region": region,
        "p3ke": {"berkas": len(files), "baris": sum(f["baris"] for f in files), "files": files,
                 "karantina": {"NIK_RUSAK_EXCEL": planted["NIK_RUSAK_EXCEL"]}},
        "peserta": {"berkas": f"bpjs/peserta/{roster_path.name}", "baris": roster_rows,
                    "karantina": {k: planted[k] for k in ("NONAKTIF_TANPA_TANGGAL", "UPAH_TIDAK_VALID")},
                    "ditagih_2025_07": ditagih, "baru_2025_07": baru},
    }
    (landing / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest
