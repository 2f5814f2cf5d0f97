"""Hard-matching data with ground truth, for measuring the matcher (benchmarks/matching.py).

`generate_hard(rows, seed)` builds people with a true person id (`orang`), P3KE rows and a roster half
that size (`rows // 2`, one KPJ per person) in the matcher's input form, with noise on either side:
NIK typos (one digit, adjacent transposition; never onto another person's NIK, and on P3KE rows never
into an impossible NIK birth date, which would be quarantined upstream), Excel-damaged NIKs (P3KE: kept
with alasan NIK_RUSAK_EXCEL, so the matcher skips them as it skips every quarantined row; roster: kept,
a warning), missing roster NIKs, twins and triplets (same household, desa and birth date, consecutive
NIK serials, similar names), very common names (Zipf: SITI, NURHAYATI, MUHAMMAD ...), name variants
(titles, bin/binti, Muhammad spellings, old spellings oe/dj/tj/nj/sj/ch, spaces inside names,
apostrophes, case and punctuation, retyping), default birth dates (01-01, 31-12, 01-07), day/month
swapped and one-digit birth dates, moved people (another desa), and people in two households or
exported twice. Desa: the 62 Sijunjung desa up to 100 000 rows, all Indonesian desa above.
Same rows and seed, same data. Vectorised with numpy; only name variants loop in Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from include.demo.names import BELAKANG_LAKI, BELAKANG_PEREMPUAN, LAKI_MUDA, PEREMPUAN_MUDA, spelling_variant
from include.demo.names import LAKI as NAMA_LAKI
from include.demo.names import PEREMPUAN as NAMA_PEREMPUAN
from include.demo.people import AGE_REF, LAKI, LAST_BIRTH, PEREMPUAN
from include.sources.nik import nik_birth_date_valid_series
from include.wilayah import load_wilayah

SEED = 20250701
SIJUNJUNG_MAX_ROWS = 100_000
KONDANG_LAKI = ("AHMAD AGUS BUDI RIZKI HASAN JOKO SUPARMAN SUTRISNO SUHARTO CAHYONO KHAIRUL SYAMSUL NURDIN YUSUF "
                "ABDUL|RAHMAN ABDUL|HAKIM MA'RUF JA'FAR NU'MAN NYOMAN SUBAGYO ANDI BAYU DANI EKO FAJAR GALIH HARI "
                "INDRA IWAN JAMAL KURNIAWAN LUKMAN MULYADI NANANG PRASETYO SLAMET TAUFIK UMAR WAHYU YOGI ZAKARIA "
                "ARIFIN BAMBANG DARMA FIRMAN GUNAWAN HERMAN IMAM KUSNADI MARZUKI NUGROHO SETIAWAN TEGUH WIDODO YUDI")
KONDANG_PEREMPUAN = ("NURHAYATI NURAINI SRI|WAHYUNI DEWI FITRI AMINAH FATIMAH KHADIJAH NURJANAH NI'MAH MA'RIFAH "
                     "CAHYATI NUR|HASANAH JUNAIDAH SUKAESIH NURLELA SYAMSIAH NYIMAS ANI BUNGA CITRA DIAN ENDANG "
                     "FARIDA GITA HARTINI INDAH JUMIATI KARTINI LESTARI MULYANI NINGSIH PURWANTI RATIH SUMARNI TUTI "
                     "UMI WATI YULI ZAINAB ASIH BUDIARTI ERNI HERAWATI IDA KOMALA LILIS MASITAH NOVI ROSITA SUMIATI")
KEMBAR = {"HASAN": "HUSEIN", "HUSEIN": "HASAN", "FATIMAH": "FATIHAH", "NURAINI": "NURAIDA", "RIZKI": "RIZKA",
          "FAJRI": "FAJAR", "AISYAH": "ANISA", "ANISA": "AISYAH", "AINI": "AIDA", "AIDA": "AINI"}
VOKAL = {"A": "I", "I": "A", "U": "A", "E": "A", "O": "A"}
MUHAMMAD = ("M.", "MUH.", "MOH.", "MHD.", "MOCHAMMAD", "MUHAMAD", "MOHAMMAD", "MOHAMAD")
GELAR_DEPAN = ("DRS.", "DR.", "IR.")
GELAR_BELAKANG = (", S.PD", ", S.KEP", ", A.MD", ", S.E", ", S.H", ", S.PD.I", ", S.AG")
EJAAN_LAMA = (("KH", "CH"), ("SY", "SJ"), ("NY", "NJ"), ("C", "TJ"), ("J", "DJ"), ("U", "OE"))
# Noise rates per record. Name kinds marked * and tanggal_tukar are rates among the records they can apply to.
RATES = {"nik_satu_digit": 0.02, "nik_tukar": 0.01, "nik_rusak_excel": 0.005, "nik_kosong": 0.005,
         "tanggal_tukar": 0.05, "tanggal_digit": 0.005, "pindah": 0.05, "jenis_kelamin": 0.002,
         "muhammad": 0.35, "ejaan_lama": 0.05, "spasi": 0.25, "apostrof": 0.40,  # *
         "gelar": 0.03, "bin_binti": 0.02, "salah_ketik": 0.02, "huruf": 0.03}
NAME_KINDS = ("ejaan_lama", "muhammad", "spasi", "apostrof", "bin_binti", "gelar", "salah_ketik", "huruf")
P3KE_COLUMNS = ["urut", "id_individu", "id_keluarga_p3ke", "nama", "nik", "nik_rusak_excel", "jenis_kelamin",
                "tanggal_lahir", "kode_kemdagri", "alasan"]
ROSTER_COLUMNS = ["kpj", "nik", "nik_rusak_excel", "nama", "tanggal_lahir", "jenis_kelamin", "kode_kemdagri",
                  "tanggal_kepesertaan", "status_kepesertaan", "sumber_dana", "upah_dilaporkan", "tanggal_nonaktif",
                  "alasan_nonaktif", "alasan"]


@dataclass
class HardData:
    """Matcher input and truth. p3ke / roster: input frames (P3KE_COLUMNS / ROSTER_COLUMNS); tinjauan: empty;
    p3ke_truth: urut, orang, derau ('|'-joined noise kinds); roster_truth: kpj, orang, di_p3ke, derau;
    orang: one row per person (orang, nik, nama, jenis_kelamin, tanggal_lahir, kode_kemdagri, id_keluarga_p3ke,
    kembar = twin group or -1); kembar: twin pairs (orang_a < orang_b)."""

    p3ke: pd.DataFrame
    roster: pd.DataFrame
    tinjauan: pd.DataFrame
    p3ke_truth: pd.DataFrame
    roster_truth: pd.DataFrame
    orang: pd.DataFrame
    kembar: pd.DataFrame

    def save(self, folder: Path | str) -> None:
        """Every frame as <name>.parquet in the folder."""
        Path(folder).mkdir(parents=True, exist_ok=True)
        for name in ("p3ke", "roster", "p3ke_truth", "roster_truth", "orang", "kembar"):
            getattr(self, name).to_parquet(Path(folder) / f"{name}.parquet", index=False)


def _pool(*groups) -> np.ndarray:
    names = [n.replace("|", " ") for g in groups for n in (g.split() if isinstance(g, str) else g)]
    return np.array(list(dict.fromkeys(names)), dtype=object)


GIVEN = {False: _pool(KONDANG_LAKI, NAMA_LAKI, LAKI_MUDA), True: _pool(KONDANG_PEREMPUAN, NAMA_PEREMPUAN, PEREMPUAN_MUDA)}
LAST = {False: _pool(BELAKANG_LAKI), True: _pool(BELAKANG_PEREMPUAN)}


def _zipf(rng: np.random.Generator, pool: np.ndarray, size: int, flat: float = 15.0) -> np.ndarray:
    weights = 1.0 / (np.arange(len(pool)) + flat)
    return rng.choice(len(pool), size=size, p=weights / weights.sum())


def _names(rng: np.random.Generator, female: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(prefix, given, second) per person: MUHAMMAD / SITI prefixes, Zipf-common given names, and in 60 % a
    second name (a family-style last name or another given name)."""
    n = len(female)
    given, last = np.empty(n, dtype=object), np.full(n, "", dtype=object)
    second_given = rng.random(n) < 0.5
    for sex in (False, True):
        idx = np.flatnonzero(female == sex)
        given[idx] = GIVEN[sex][_zipf(rng, GIVEN[sex], len(idx))]
        last[idx] = np.where(second_given[idx], GIVEN[sex][_zipf(rng, GIVEN[sex], len(idx), 30.0)],
                             LAST[sex][_zipf(rng, LAST[sex], len(idx), 5.0)])
    roll = rng.random(n)
    prefix = np.where(female, np.where(roll < 0.18, "SITI ", ""), np.where(roll < 0.25, "MUHAMMAD ", ""))
    last = np.where((rng.random(n) < 0.6) & (last != given), " " + last, "")
    return prefix.astype(object), given, last.astype(object)


def _dates(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    return ((y - 1970) * 12 + m - 1).astype("datetime64[M]").astype("datetime64[D]") + (d - 1)


def _ymd(dates: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    dates = dates.astype("datetime64[D]")
    months = dates.astype("datetime64[M]")
    return (months.astype("datetime64[Y]").astype(int) + 1970, months.astype(int) % 12 + 1,
            (dates - months.astype("datetime64[D]")).astype(int) + 1)


class _Desa:
    """Desa codes with their kecamatan / kabupaten index ranges (codes sorted, so each level is contiguous)."""

    def __init__(self, region: str, rng: np.random.Generator):
        self.codes = np.array(load_wilayah().desa_codes(region), dtype=object)
        self.prefix6 = np.array([int(c[:8].replace(".", "")) for c in self.codes], dtype=np.int64)
        self.weights = rng.gamma(2.0, size=len(self.codes))
        self.weights /= self.weights.sum()
        self.ranges = [self._range([c[:w] for c in self.codes]) for w in (8, 5)]

    def _range(self, keys: list[str]) -> tuple[np.ndarray, np.ndarray]:
        _, start, inverse, counts = np.unique(np.array(keys), return_index=True, return_inverse=True,
                                              return_counts=True)
        return start[inverse], start[inverse] + counts[inverse]

    def moved(self, rng: np.random.Generator, desa: np.ndarray) -> np.ndarray:
        """Another desa: in the kecamatan (60 %), the kabupaten (30 %) or anywhere (10 %)."""
        level = rng.choice(3, size=len(desa), p=[0.6, 0.3, 0.1])
        lo = np.select([level == 0, level == 1], [self.ranges[0][0][desa], self.ranges[1][0][desa]], 0)
        hi = np.select([level == 0, level == 1], [self.ranges[0][1][desa], self.ranges[1][1][desa]], len(self.codes))
        lo, hi = np.where(hi - lo > 1, lo, 0), np.where(hi - lo > 1, hi, len(self.codes))
        new = lo + (desa - lo + rng.integers(1, 1 << 30, len(desa)) % (hi - lo - 1) + 1) % (hi - lo)
        return new.astype(np.int64)


def _people(rng: np.random.Generator, desa: _Desa, n_p3ke: int, n_roster_only: int) -> pd.DataFrame:
    """People in households (P3KE) with twins and triplets, then roster-only people; NIKs and names."""
    n_triplets, n_pairs = round(0.0005 * n_p3ke), round(0.008 * n_p3ke)
    base = n_p3ke - n_pairs - 2 * n_triplets
    sizes = rng.choice(np.arange(1, 7), size=base, p=[0.12, 0.18, 0.22, 0.22, 0.15, 0.11])
    sizes = sizes[: np.searchsorted(np.cumsum(sizes), base) + 1]
    sizes[-1] -= sizes.sum() - base
    hh = np.repeat(np.arange(len(sizes)), sizes)
    hh_desa = np.sort(rng.choice(len(desa.codes), size=len(sizes), p=desa.weights))
    role = np.arange(base) - np.repeat(np.cumsum(sizes) - sizes, sizes)  # 0 head, 1 spouse, 2+ child
    head_age = rng.integers(22, 76, len(sizes))[hh]
    child = 4 + (rng.random(base) * (np.maximum(head_age - 18, 5) - 4)).astype(int)  # 4 .. head's age - 18
    age = np.where(role == 0, head_age, np.where(role == 1, np.maximum(head_age + rng.integers(-8, 4, base), 18), child))
    female = np.where(role == 0, rng.random(base) < 0.15, rng.random(base) < 0.5)
    female[role == 1] = ~female[np.flatnonzero(role == 1) - 1]
    # twins and triplets: extra people next to a child anchor, same household and birth date
    children = np.flatnonzero(role >= 2)
    anchors = rng.choice(children if len(children) >= n_pairs + n_triplets else base, n_pairs + n_triplets,
                         replace=False)
    extra_of = np.concatenate([anchors, anchors[n_pairs:]])
    ro_age = rng.integers(18, 65, n_roster_only)
    n = base + len(extra_of) + n_roster_only
    anchor = np.concatenate([np.arange(base), extra_of, np.arange(n_roster_only) + base + len(extra_of)])
    own_age = np.concatenate([age, np.zeros(len(extra_of), int), ro_age])
    days = (np.datetime64(AGE_REF) - (own_age * 365.25).astype(int) - rng.integers(0, 365, n)).astype("datetime64[D]")
    days = np.minimum(days, np.datetime64(LAST_BIRTH))[anchor]
    y, m, d = _ymd(days)
    default = np.where(y < 1985, rng.choice(4, size=n, p=[0.88, 0.08, 0.02, 0.02]), 0)  # unknown day: 01-01 ...
    m, d = np.choose(default, [m, 1, 12, 7]), np.choose(default, [d, 1, 31, 1])
    days = _dates(y, m, d)[anchor]
    sex = np.concatenate([female, np.where(rng.random(len(extra_of)) < 2 / 3, female[extra_of],
                                           ~female[extra_of]), rng.random(n_roster_only) < 0.4])
    home = np.concatenate([hh_desa[hh], hh_desa[hh[extra_of]], rng.choice(len(desa.codes), n_roster_only,
                                                                          p=desa.weights)])
    household = np.concatenate([hh, hh[extra_of], np.full(n_roster_only, -1)])
    twin = np.full(n, -1)
    twin_rank = np.zeros(n, int)
    twin[anchors], twin[base: base + len(extra_of)] = np.arange(len(anchors)), np.concatenate(
        [np.arange(len(anchors)), np.arange(n_pairs, len(anchors))])
    twin_rank[base: base + len(extra_of)] = np.concatenate([np.ones(len(anchors), int), np.full(n_triplets, 2)])
    # NIK: kecamatan, DD(+40 for women) MM YY, serial consecutive within (kecamatan, birth date); twins adjacent
    y, m, d = _ymd(days)
    key = desa.prefix6[home] * 1_000_000 + d * 10_000 + m * 100 + y % 100
    r = rng.random(n)
    r = np.where(twin >= 0, r[anchor], r)
    order = np.lexsort((twin_rank, r, key))
    sorted_key = key[order]
    start = np.flatnonzero(np.r_[True, sorted_key[1:] != sorted_key[:-1]])
    group = np.cumsum(np.r_[True, sorted_key[1:] != sorted_key[:-1]]) - 1
    serial = np.empty(n, np.int64)
    serial[order] = np.arange(n) - start[group] + 1 + rng.integers(0, 10, len(start))[group]
    nik = (desa.prefix6[home] * 10**10 + (d + 40 * sex) * 10**8 + m * 10**6 + y % 100 * 10**4 + serial)
    prefix, given, last = _names(rng, sex)
    extra = np.arange(base, base + len(extra_of))
    sibling = np.where(twin_rank[extra] == 2, base + n_pairs + extra - extra[0] - len(anchors), -1)
    for i, a, s in zip(extra, anchor[extra], sibling, strict=True):  # twins: names like their anchor's
        same, g, mode = sex[i] == sex[a], given[a], rng.integers(3)
        prefix[i], last[i] = (prefix[a] if same else ""), last[a]
        pool, lasts = GIVEN[bool(sex[i])], LAST[bool(sex[i])]
        if same and g in KEMBAR:
            other = KEMBAR[g]
        elif same and mode == 0 and g[-1] in VOKAL:  # RIZKI / RIZKA
            other = g[:-1] + VOKAL[g[-1]]
        elif same and mode == 1:  # same given name, another second name
            other, last[i] = g, " " + lasts[rng.integers(len(lasts))]
        else:
            other = pool[rng.integers(len(pool))]
        taken = {prefix[a] + g + last[a]} | ({prefix[s] + given[s] + last[s]} if s >= 0 else set())
        while prefix[i] + other + last[i] in taken:
            other = pool[rng.integers(len(pool))]
        given[i] = other
    return pd.DataFrame({"orang": np.arange(1, n + 1), "nik": nik, "nama": prefix + given + last, "perempuan": sex,
                         "lahir": days, "desa": home, "rumah": household, "kembar": twin,
                         "p3ke": np.arange(n) < base + len(extra_of), "umur": 2025 - y})


def _name_variant(kind: str, name: str, k: int, female: bool, age: int) -> str:
    """One name variant of a kind; k is a random integer choosing among the options."""
    if kind == "muhammad":
        return re.sub(r"\bMUHAMMAD\b", MUHAMMAD[k % len(MUHAMMAD)], name, count=1)
    if kind == "ejaan_lama":
        rules = [rule for rule in EJAAN_LAMA if rule[0] in name]
        new, old = rules[k % len(rules)]
        return name.replace(new, old)
    if kind == "spasi":
        joined = re.sub(r"\b(NUR|ABDUL) (?=[A-Z])", r"\1", name, count=1)
        return joined if joined != name else re.sub(r"\b(NUR|ABDUL)(?=[A-Z]{3})", r"\1 ", name, count=1)
    if kind == "apostrof":
        return name.replace("'", ("", "\u2019", "`", " ")[k % 4])
    if kind == "bin_binti":
        father = GIVEN[False][k % 40]
        return f"{name} {'BINTI' if female else 'BIN'} {father}"
    if kind == "gelar":
        if k % 3 == 0 and age >= 35:
            return f"{'HJ.' if female else 'H.'} {name}"
        if k % 3 == 1:
            return f"{GELAR_DEPAN[k // 3 % len(GELAR_DEPAN)]} {name}"
        return name + GELAR_BELAKANG[k // 3 % len(GELAR_BELAKANG)]
    if kind == "salah_ketik":
        variant = spelling_variant(name)
        if variant is None or k % 2:
            letters = [i for i, c in enumerate(name) if c.isalpha()]
            i = letters[1 + k // 2 % (len(letters) - 1)] if len(letters) > 1 else letters[0]
            variant = name[:i] + ("AEIOURNSTL".replace(name[i], "") * 2)[k // 7 % 9] + name[i + 1:]
        return variant
    styles = (str.title, str.lower, lambda s: s.replace(" ", "  ") if " " in s else s + ".", lambda s: s + ".")
    return styles[k % 4](name)


def _eligible(kind: str, names: pd.Series) -> np.ndarray:
    pattern = {"muhammad": r"\bMUHAMMAD\b", "ejaan_lama": r"KH|SY|NY|C|J|U", "spasi": r"\b(?:NUR|ABDUL)(?: ?[A-Z])",
               "apostrof": "'"}.get(kind)
    return np.ones(len(names), bool) if pattern is None else names.str.contains(pattern, regex=True).to_numpy()


def _noisy(rng: np.random.Generator, people: pd.DataFrame, who: np.ndarray, desa: _Desa, side: str,
           all_niks: np.ndarray, moved_rate: float) -> dict[str, np.ndarray]:
    """Observed records of people `who` (row positions in `people`), with independent noise and its labels."""
    n = len(who)
    sub = people.iloc[who]
    rec = {"nik": sub["nik"].to_numpy().copy(), "nama": sub["nama"].to_numpy().copy(),
           "perempuan": sub["perempuan"].to_numpy().copy(), "lahir": sub["lahir"].to_numpy().copy(),
           "desa": sub["desa"].to_numpy().copy(), "rusak": np.zeros(n, bool), "kosong": np.zeros(n, bool),
           "derau": np.full(n, "", dtype=object)}

    def mark(mask: np.ndarray, kind: str) -> None:
        rec["derau"][mask] = rec["derau"][mask] + "|" + kind

    names = pd.Series(rec["nama"], dtype=object)
    for kind in NAME_KINDS:
        hit = np.flatnonzero(_eligible(kind, names) & (rng.random(n) < RATES[kind]))
        ks, female, age = rng.integers(0, 1 << 30, len(hit)), rec["perempuan"][hit], sub["umur"].to_numpy()[hit]
        names.iloc[hit] = [_name_variant(kind, names.iat[i], int(k), bool(f), int(a))
                           for i, k, f, a in zip(hit, ks, female, age, strict=True)]
        mark(_mask(n, hit), kind)
    rec["nama"] = names.to_numpy()
    for kind in ("nik_satu_digit", "nik_tukar"):
        todo = np.flatnonzero(rng.random(n) < RATES[kind])
        for _ in range(20):
            if not len(todo):
                break
            pos = rng.integers(1, 16 if kind == "nik_satu_digit" else 15, len(todo))
            place = 10 ** (15 - pos)
            old = rec["nik"][todo] // place % 10
            if kind == "nik_satu_digit":
                new = rec["nik"][todo] + ((old + rng.integers(1, 10, len(todo))) % 10 - old) * place
            else:
                nxt = rec["nik"][todo] // (place // 10) % 10
                new = rec["nik"][todo] + (nxt - old) * place + (old - nxt) * (place // 10)
            taken = all_niks[np.minimum(np.searchsorted(all_niks, new), len(all_niks) - 1)] == new
            ok = (new != rec["nik"][todo]) & ~taken
            if side == "p3ke":
                ok &= nik_birth_date_valid_series(pd.Series(new.astype(str))).to_numpy()
            rec["nik"][todo[ok]] = new[ok]
            mark(_mask(n, todo[ok]), kind)
            todo = todo[~ok]
    y, m, d = _ymd(rec["lahir"])
    swap = (d <= 12) & (d != m) & (rng.random(n) < RATES["tanggal_tukar"])
    digit = ~swap & (rng.random(n) < RATES["tanggal_digit"])
    y2 = np.where(digit, y // 10 * 10 + (y % 10 + rng.integers(1, 10, n)) % 10, y)
    y2 = np.where(_dates(y2, m, np.ones(n, int)) > np.datetime64(LAST_BIRTH), y2 - 10, y2)
    d2 = np.where(digit & (m == 2) & (d == 29), 28, d)
    rec["lahir"] = np.where(swap, _dates(y, d, m), _dates(y2, m, d2))
    mark(swap, "tanggal_tukar")
    mark(digit, "tanggal_digit")
    moved = rng.random(n) < moved_rate
    rec["desa"][moved] = desa.moved(rng, rec["desa"][moved])
    mark(moved, "pindah")
    flip = rng.random(n) < RATES["jenis_kelamin"]
    rec["perempuan"][flip] = ~rec["perempuan"][flip]
    mark(flip, "jenis_kelamin")
    rec["rusak"] = rng.random(n) < RATES["nik_rusak_excel"]
    mark(rec["rusak"], "nik_rusak_excel")
    if side == "roster":
        rec["kosong"] = ~rec["rusak"] & (rng.random(n) < RATES["nik_kosong"])
        mark(rec["kosong"], "nik_kosong")
    rec["derau"] = np.array([s[1:] for s in rec["derau"]], dtype=object)
    return rec


def _mask(n: int, positions: np.ndarray) -> np.ndarray:
    mask = np.zeros(n, bool)
    mask[positions] = True
    return mask


def _frame_values(rec: dict[str, np.ndarray], desa: _Desa, rng: np.random.Generator) -> dict[str, object]:
    """The identity columns in normalised form: NIK text (Excel-damaged: 15 digits + 0 or E+15 text)."""
    text = rec["nik"].astype(str).astype(object)
    rusak = np.flatnonzero(rec["rusak"])
    sci = rng.random(len(rusak)) < 0.5
    text[rusak] = [f"{t[0]}{',' if k else '.'}{t[1:6]}E+15" if s else t[:15] + "0"
                   for t, s, k in zip(text[rusak], sci, rng.random(len(rusak)) < 0.5, strict=True)]
    text[rec["kosong"]] = None
    return {"nik": text, "nik_rusak_excel": rec["rusak"], "nama": rec["nama"],
            "jenis_kelamin": np.where(rec["perempuan"], PEREMPUAN, LAKI).astype(object),
            "tanggal_lahir": rec["lahir"].astype("datetime64[D]").astype(object),
            "kode_kemdagri": desa.codes[rec["desa"]]}


def generate_hard(rows: int, seed: int = SEED, region: str | None = None) -> HardData:
    """Hard-matching data: `rows` P3KE rows, `rows // 2` roster rows, and the truth. region: desa code prefix
    ('13.03' Sijunjung, '' all Indonesia); default Sijunjung up to 100 000 rows, else all Indonesia."""
    if rows < 100:
        raise ValueError(f"generate_hard: rows={rows}; ask for at least 100 P3KE rows")
    rng = np.random.default_rng(seed)
    desa = _Desa(("13.03" if rows <= SIJUNJUNG_MAX_ROWS else "") if region is None else region, rng)
    n_exact, n_second, n_roster = round(0.01 * rows), round(0.03 * rows), rows // 2
    n_linked = round(0.7 * n_roster)
    people = _people(rng, desa, rows - n_exact - n_second, n_roster - n_linked)
    all_niks = np.sort(people["nik"].to_numpy())
    in_p3ke = np.flatnonzero(people["p3ke"].to_numpy())
    # P3KE: first rows by household (desa order), second appearances in another household, exact re-exports
    second = rng.choice(in_p3ke, n_second, replace=False)
    rumah, home = people["rumah"].to_numpy(), people["desa"].to_numpy()
    hh_desa = people[people["rumah"] >= 0].groupby("rumah")["desa"].first().to_numpy()  # sorted by desa
    lo, hi = (np.searchsorted(hh_desa, home[second], side=side) for side in ("left", "right"))
    step = 1 + rng.integers(0, 1 << 30, n_second) % np.maximum(hi - lo - 1, 1)
    host = lo + (rumah[second] - lo + step) % np.maximum(hi - lo, 1)  # another household of the same desa
    fresh = (rng.random(n_second) < 0.5) | (hi - lo < 2)  # moved: a household of their own in another desa
    host[fresh] = len(hh_desa) + np.arange(fresh.sum())
    who = np.concatenate([in_p3ke, second])
    rec = _noisy(rng, people, who, desa, "p3ke", all_niks, 0.0)
    tail = slice(len(in_p3ke), None)
    rec["desa"][tail] = np.where(fresh, desa.moved(rng, home[second]), hh_desa[np.minimum(host, len(hh_desa) - 1)])
    rec["derau"][tail] = np.where(fresh, "dua_keluarga|pindah", "dua_keluarga") + np.where(
        rec["derau"][tail] == "", "", "|") + rec["derau"][tail]
    keluarga = np.concatenate([rumah[in_p3ke], host])
    order = np.lexsort((np.arange(len(who)), keluarga))
    copies = rng.choice(len(who), n_exact, replace=False)
    pos = np.concatenate([order, copies])
    values = {k: v[pos] for k, v in _frame_values(rec, desa, rng).items()}
    urut = np.arange(1, rows + 1)
    p3ke = pd.DataFrame({"urut": urut, "id_individu": [f"IND{u:09d}" for u in urut],
                         "id_keluarga_p3ke": [f"KK{k:09d}" for k in keluarga[pos] + 1], **values})
    p3ke["alasan"] = np.where(p3ke["nik_rusak_excel"], "NIK_RUSAK_EXCEL", "")
    derau = rec["derau"][pos]
    derau[len(order):] = np.array(["duplikat_baris" + ("|" + d if d else "") for d in derau[len(order):]], object)
    p3ke_truth = pd.DataFrame({"urut": urut, "orang": people["orang"].to_numpy()[who[pos]], "derau": derau})
    # roster: insured P3KE people of working age, then roster-only people; one KPJ each
    umur = people["umur"].to_numpy()[in_p3ke]
    working = in_p3ke[(umur >= 17) & (umur <= 70)]
    insured = rng.choice(working if len(working) >= n_linked else in_p3ke, n_linked, replace=False)
    members = np.concatenate([insured, np.flatnonzero(~people["p3ke"].to_numpy())])
    rrec = _noisy(rng, people, members, desa, "roster", all_niks, RATES["pindah"])
    kpj = np.unique(rng.integers(0, 10**11, 2 * len(members)))
    kpj = rng.permutation(kpj)[: len(members)]
    mulai = np.datetime64("2022-03-01") + rng.integers(0, 1249, len(members))
    order = np.lexsort((kpj, mulai))
    roster = pd.DataFrame({"kpj": np.array([f"{k:011d}" for k in kpj[order]], dtype=object),
                           **{k: v[order] for k, v in _frame_values(rrec, desa, rng).items()}})
    roster = roster.assign(tanggal_kepesertaan=mulai[order].astype(object), status_kepesertaan="AKTIF",
                           sumber_dana="APBD", upah_dilaporkan=pd.array([1_000_000] * len(roster), dtype="Int64"),
                           tanggal_nonaktif=None, alasan_nonaktif=None, alasan="")[ROSTER_COLUMNS]
    roster_truth = pd.DataFrame({"kpj": roster["kpj"], "orang": people["orang"].to_numpy()[members[order]],
                                 "di_p3ke": people["p3ke"].to_numpy()[members[order]], "derau": rrec["derau"][order]})
    return HardData(p3ke=p3ke[P3KE_COLUMNS], roster=roster, p3ke_truth=p3ke_truth, roster_truth=roster_truth,
                    tinjauan=pd.DataFrame({c: pd.Series(dtype=object)
                                           for c in ("id_individu", "kandidat_kpj", "keputusan")}),
                    orang=_orang_frame(people, desa), kembar=_twin_pairs(people))


def _orang_frame(people: pd.DataFrame, desa: _Desa) -> pd.DataFrame:
    return pd.DataFrame({"orang": people["orang"], "nik": people["nik"].astype(str), "nama": people["nama"],
                         "jenis_kelamin": np.where(people["perempuan"], PEREMPUAN, LAKI),
                         "tanggal_lahir": people["lahir"].to_numpy().astype("datetime64[D]").astype(object),
                         "kode_kemdagri": desa.codes[people["desa"].to_numpy()],
                         "id_keluarga_p3ke": np.where(people["rumah"] >= 0,
                                                      [f"KK{k + 1:09d}" for k in people["rumah"]], None),
                         "kembar": people["kembar"]})


def _twin_pairs(people: pd.DataFrame) -> pd.DataFrame:
    twins = people.loc[people["kembar"] >= 0, ["kembar", "orang"]]
    pairs = twins.merge(twins, on="kembar", suffixes=("_a", "_b"))
    pairs = pairs[pairs["orang_a"] < pairs["orang_b"]]
    return pairs[["orang_a", "orang_b"]].sort_values(["orang_a", "orang_b"]).reset_index(drop=True)
