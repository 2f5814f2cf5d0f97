"""Synthetic P3KE and roster frames with known truth, for the linkage tests and a quick benchmark.

Vectorised so a million rows take seconds. Every person has a consistent NIK (kecamatan, birth date with
women's day + 40, a serial counting people of that kecamatan and day); twins get consecutive serials.
Roster copies of P3KE people carry the errors clerks make: NIK typos, Muhammad abbreviated, spaces
dropped, titles and degrees added, a letter mistyped, day and month swapped, a moved desa.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from include.demo.names import AWALAN_LAKI, AWALAN_PEREMPUAN, BELAKANG_LAKI, BELAKANG_PEREMPUAN, LAKI, PEREMPUAN
from include.wilayah import load_wilayah

LAKI_LAKI_, PEREMPUAN_ = "LAKI-LAKI", "PEREMPUAN"
GIVEN_L = np.array(LAKI)
GIVEN_P = np.array(PEREMPUAN)


@dataclass
class Frames:
    p3ke: pd.DataFrame  # urut, nama, nik, jenis_kelamin, tanggal_lahir, kode_kemdagri, pid
    roster: pd.DataFrame  # kpj, same identity columns, pid
    twins: pd.DataFrame  # pid_a, pid_b: pairs of twins


def _names(rng: np.random.Generator, laki: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(given name, the rest of the full name after it or '') per person."""
    n = len(laki)
    given = np.where(laki, GIVEN_L[rng.integers(0, len(GIVEN_L), n)], GIVEN_P[rng.integers(0, len(GIVEN_P), n)])
    last = np.where(
        laki,
        np.array(BELAKANG_LAKI)[rng.integers(0, len(BELAKANG_LAKI), n)],
        np.array(BELAKANG_PEREMPUAN)[rng.integers(0, len(BELAKANG_PEREMPUAN), n)],
    )
    roll = rng.random(n)
    rest = np.where(roll < 0.4, "", np.char.add(" ", last))
    return given, rest


def _full_names(rng: np.random.Generator, given: np.ndarray, rest: np.ndarray, laki: np.ndarray) -> np.ndarray:
    prefix = np.where(
        laki,
        np.array(["MUHAMMAD"] + list(AWALAN_LAKI[1:3]))[rng.integers(0, 3, len(given))],
        np.array(AWALAN_PEREMPUAN)[rng.integers(0, 2, len(given))],
    )
    with_prefix = rng.random(len(given)) < 0.15
    names = pd.Series(given) + pd.Series(rest)
    return np.where(with_prefix, prefix + " " + names.to_numpy(dtype=str), names.to_numpy(dtype=str))


def _niks(desa: np.ndarray, born: pd.Series, laki: np.ndarray, family: np.ndarray) -> np.ndarray:
    """Consistent NIKs: kecamatan digits, DDMMYY (women +40), serial by kecamatan and day (twins adjacent)."""
    kec = pd.Series(desa).str[:8].str.replace(".", "", regex=False)
    day = born.dt.day.to_numpy() + np.where(laki, 0, 40)
    frame = pd.DataFrame({"kec": kec, "born": born, "family": family, "order": np.arange(len(desa))})
    frame = frame.sort_values(["kec", "born", "family", "order"])
    serial = frame.groupby(["kec", "born"], sort=False).cumcount().add(1).sort_index().to_numpy()
    dd = pd.Series(day).astype(str).str.zfill(2)
    mm = born.dt.month.astype(str).str.zfill(2)
    yy = (born.dt.year % 100).astype(str).str.zfill(2)
    return (kec + dd + mm + yy + pd.Series(serial).astype(str).str.zfill(4)).to_numpy(dtype=object)


def population(
    n: int, rng: np.random.Generator, region: str, twin_share: float = 0.02
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """n people (twins included) of a region, and the twin pairs (pid_a, pid_b)."""
    desa_codes = np.array(load_wilayah().desa_codes(region))
    n_twins = int(n * twin_share / 2)
    n_base = n - n_twins
    laki = rng.random(n_base) < 0.5
    start = np.datetime64("1960-01-01")
    born = start + rng.integers(0, 365 * 46, n_base).astype("timedelta64[D]")
    given, rest = _names(rng, laki)
    desa = desa_codes[rng.integers(0, len(desa_codes), n_base)]
    # twins of the first n_twins people: same day, desa and family name, another given name
    twin_of = np.arange(n_twins)
    t_laki = rng.random(n_twins) < 0.5
    t_given = np.where(
        t_laki, GIVEN_L[rng.integers(0, len(GIVEN_L), n_twins)], GIVEN_P[rng.integers(0, len(GIVEN_P), n_twins)]
    )
    same = t_given == given[twin_of]
    t_given[same] = np.where(t_laki[same], GIVEN_L[0], GIVEN_P[0])
    same = t_given == given[twin_of]
    t_given[same] = np.where(t_laki[same], GIVEN_L[1], GIVEN_P[1])
    laki = np.concatenate([laki, t_laki])
    born = pd.Series(np.concatenate([born, born[twin_of]])).astype("datetime64[s]")
    given = np.concatenate([given, t_given])
    rest = np.concatenate([rest, rest[twin_of]])
    desa = np.concatenate([desa, desa[twin_of]])
    family = np.concatenate([np.arange(n_base), twin_of])
    people = pd.DataFrame(
        {
            "pid": np.arange(n),
            "nama": _full_names(rng, given, rest, laki),
            "jenis_kelamin": np.where(laki, LAKI_LAKI_, PEREMPUAN_),
            "tanggal_lahir": born.dt.date.to_numpy(),
            "kode_kemdagri": desa,
            "nik": _niks(desa, born, laki, family),
        }
    )
    twins = pd.DataFrame({"pid_a": twin_of, "pid_b": np.arange(n_base, n)})
    return people, twins


def _typo(text: pd.Series, rng: np.random.Generator, alphabet: str) -> pd.Series:
    """One character of each text replaced by another of the alphabet (not the first one)."""
    chars = np.array(list(alphabet))
    out = []
    for value, pos, pick in zip(text, rng.random(len(text)), rng.integers(0, len(chars), len(text)), strict=True):
        i = 1 + int(pos * (len(value) - 1))
        new = chars[pick] if chars[pick] != value[i] else chars[(pick + 1) % len(chars)]
        out.append(value[:i] + new + value[i + 1 :])
    return pd.Series(out, index=text.index, dtype=object)


def _name_variants(nama: pd.Series, rng: np.random.Generator) -> pd.Series:
    kind = rng.integers(0, 5, len(nama))
    out = nama.copy()
    muh = nama.str.startswith("MUHAMMAD ")
    out[(kind == 0) & muh] = "MUH. " + nama[(kind == 0) & muh].str[9:]
    out[(kind == 0) & ~muh] = "H. " + nama[(kind == 0) & ~muh]
    out[kind == 1] = nama[kind == 1].str.replace(" ", "", n=1, regex=False)
    out[kind == 2] = nama[kind == 2] + ", S.Pd"
    letters = (kind == 3) & (nama.str.len() > 4)
    out[letters] = _typo(nama[letters], rng, "AEIOUNRSY")
    out[kind == 4] = nama[kind == 4].str.title()
    return out


def add_noise(frame: pd.DataFrame, rng: np.random.Generator, rate: float, region: str) -> pd.DataFrame:
    """A copy of `frame` with clerical errors, each kind on about `rate` of the rows."""
    out = frame.copy()
    n = len(out)

    def pick(share: float = rate) -> np.ndarray:
        return rng.random(n) < share

    rows = pick(3 * rate)
    out.loc[rows, "nama"] = _name_variants(out.loc[rows, "nama"], rng)
    rows = pick()
    out.loc[rows, "nik"] = _typo(out.loc[rows, "nik"], rng, "0123456789")
    out.loc[pick(rate / 2), "nik"] = None
    born = pd.to_datetime(out["tanggal_lahir"])
    swap = pick() & (born.dt.day <= 12) & (born.dt.day != born.dt.month)
    out.loc[swap, "tanggal_lahir"] = [dt.date(d.year, d.day, d.month) for d in born[swap]]
    digit = pick() & ~swap & (born.dt.day % 10 < 8) & (born.dt.day < 28)
    out.loc[digit, "tanggal_lahir"] = [dt.date(d.year, d.month, d.day + 1) for d in born[digit]]  # one digit
    moved = pick()
    desa_codes = np.array(load_wilayah().desa_codes(region))
    out.loc[moved, "kode_kemdagri"] = desa_codes[rng.integers(0, len(desa_codes), int(moved.sum()))]
    return out


def make_frames(
    n_p3ke: int,
    n_roster: int,
    seed: int,
    region: str = "13",
    insured_share: float = 0.6,
    rate: float = 0.03,
    dup_share: float = 0.01,
) -> Frames:
    """P3KE rows (with internal duplicates) and a roster whose `insured_share` are P3KE people."""
    rng = np.random.default_rng(seed)
    n_insured = int(n_roster * insured_share)
    n_dup = int(n_p3ke * dup_share)
    people, twins = population(n_p3ke - n_dup + n_roster - n_insured, rng, region)
    p3ke_people = people.iloc[: n_p3ke - n_dup]
    dups = add_noise(p3ke_people.sample(n_dup, random_state=seed), rng, 0.2, region)
    p3ke = pd.concat([p3ke_people, dups], ignore_index=True)
    p3ke.insert(0, "urut", np.arange(len(p3ke), dtype="int64"))
    insured = add_noise(p3ke_people.sample(n_insured, random_state=seed + 1), rng, rate, region)
    outside = people.iloc[n_p3ke - n_dup :]
    roster = pd.concat([insured, outside], ignore_index=True)
    roster.insert(0, "kpj", [f"{90000000000 + i}" for i in range(len(roster))])
    return Frames(p3ke=p3ke.reset_index(drop=True), roster=roster, twins=twins)
