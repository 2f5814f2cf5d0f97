"""Indonesian name keys: titles, degrees, bin/binti, Muhammad, old spelling, spaces, the vectorised form."""

import random

import pandas as pd
import pytest

from include.names import (
    first_token,
    last_token,
    name_key_compact,
    name_key_phonetic,
    name_keys,
    name_tokens,
    normalise_name,
    normalise_names,
)

CASES = [
    # titles and degrees
    ("Hj. Nur Hayati, S.Pd", "NUR HAYATI"),
    ("Dr. Ir. H. Syafrizal, M.Si", "SYAFRIZAL"),
    ("Drs. H. Afrizal, MM", "AFRIZAL"),
    ("Prof.Dr.Hj.Rosmaini,M.Kes", "ROSMAINI"),
    ("K.H. Ahmad Dahlan", "AHMAD DAHLAN"),
    ("HAJI AGUS SALIM", "AGUS SALIM"),
    ("Hadji Agus Salim", "AGUS SALIM"),
    ("HAJJAH ROSNI", "ROSNI"),
    ("Tgk. Abdullah", "ABDULLAH"),
    ("Ust. Abdul Somad, Lc., M.A.", "ABDUL SOMAD"),
    ("Ustadzah Fatimah", "FATIMAH"),
    ("Almh. Siti Aminah", "SITI AMINAH"),
    ("DRA. YUSNIDAR", "YUSNIDAR"),
    ("Ahmad Haji Yusuf", "AHMAD YUSUF"),
    ("Siti Aminah A.Md.Kep", "SITI AMINAH"),
    ("Ahmad S.Pd.I", "AHMAD"),
    ("Ahmad S. Pd", "AHMAD"),
    ("AHMAD SPD", "AHMAD"),
    ("Yusuf, S.E., M.M.", "YUSUF"),
    ("YUSUF SE", "YUSUF"),
    ("Efendi, S.H", "EFENDI"),
    ("EFENDI SH MH", "EFENDI"),
    ("Rahmi S.Kep, Ns", "RAHMI"),
    ("Nurlela, A.Ma.Pd", "NURLELA"),
    ("Dasril S.Sos", "DASRIL"),
    ("Wirda S.Ag", "WIRDA"),
    ("Jasman ST", "JASMAN"),
    ("Ernawati, S.Pd., Gr.", "ERNAWATI"),
    ("Syafrizal Dt. Rajo Basa", "SYAFRIZAL"),
    ("Syafrizal Datuak Rajo Basa, S.Pd", "SYAFRIZAL"),
    ("Syafrizal, Dt. Rajo Basa", "SYAFRIZAL"),
    ("DR., H. AHMAD", "AHMAD"),
    # bin / binti and what follows
    ("Muh. Yusuf bin Abdullah", "MUHAMMAD YUSUF"),
    ("Nuraini Binti Ahmad", "NURAINI"),
    ("SITI BT. KASIM", "SITI"),
    ("Ali Bn Hasan", "ALI"),
    # Muhammad
    ("M. Yusuf", "MUHAMMAD YUSUF"),
    ("M Yusuf", "MUHAMMAD YUSUF"),
    ("MHD. ZULKIFLI", "MUHAMMAD ZULKIFLI"),
    ("Moh. Hatta", "MUHAMMAD HATTA"),
    ("Mochammad Chairul Anwar", "MUHAMMAD KHAIRUL ANWAR"),
    ("Mochamad Rizki", "MUHAMMAD RIZKI"),
    ("MUHAMAD FAJRI", "MUHAMMAD FAJRI"),
    ("Mohammed Ali", "MUHAMMAD ALI"),
    ("Muhd Rafi", "MUHAMMAD RAFI"),
    ("Moch. Ilham", "MUHAMMAD ILHAM"),
    ("H.M. Yusuf", "MUHAMMAD YUSUF"),
    ("Abdul Muhamad Yasin", "ABDUL MUHAMMAD YASIN"),
    ("Ahmad M. Yusuf", "AHMAD M YUSUF"),  # a lone M mid-name is an initial: kept
    ("M", "M"),  # a lone M is not expanded
    # old spelling
    ("SOEKARNO", "SUKARNO"),
    ("Djoko Tjahjono", "JOKO CAHYONO"),
    ("Joesoef", "YUSUF"),
    ("Soedjono", "SUJONO"),
    ("Djojohadikusumo", "JOYOHADIKUSUMO"),
    ("Njoto", "NYOTO"),
    ("Sjahrir", "SYAHRIR"),
    ("Noer Hajati", "NUR HAJATI"),  # no old marker in HAJATI: its J is left
    ("Chairul", "KHAIRUL"),
    ("Tjhin Kiong", "KHIN KIONG"),  # TJ -> C, then CH -> KH: applied to Chinese-Indonesian names too
    ("JUSUF", "JUSUF"),  # J alone is not proof of old spelling
    # punctuation, apostrophes, case, spaces
    ("NUR'AINI", "NURAINI"),
    ("Nur’aini  binti  Ahmad", "NURAINI"),
    ("Ma`ruf Amin", "MARUF AMIN"),
    ("  siti   aminah  ", "SITI AMINAH"),
    ("Nur-Hayati", "NUR HAYATI"),
    ("Andi,Yusuf", "ANDI YUSUF"),  # a comma not followed by a degree or title is a space
    ("Élodie", "ELODIE"),
    ("", ""),
    ("   ", ""),
    (None, ""),
    (float("nan"), ""),
    (pd.NA, ""),
    ("H.", "H"),  # removals never empty a name
    ("Ma Lin", "MA LIN"),  # MA is a surname, not the M.A. degree
    # ordinary Minang names are left alone
    ("Yusnimar", "YUSNIMAR"),
    ("Rosmaini", "ROSMAINI"),
    ("Afrizal", "AFRIZAL"),
    ("Syafrudin", "SYAFRUDIN"),
    ("Zulkifli", "ZULKIFLI"),
    ("Asnimar", "ASNIMAR"),
    ("Darnelis", "DARNELIS"),
    ("Hendri", "HENDRI"),
    ("Sutan Sjahrir", "SUTAN SYAHRIR"),
    ("Datuk Rajo", "DATUK RAJO"),  # a leading DATUK has no name before it: left
    ("Teuku Umar", "TEUKU UMAR"),
    ("Cahaya Nur", "CAHAYA NUR"),
]


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_normalise_name(raw, expected):
    assert normalise_name(raw) == expected


@pytest.mark.parametrize(("raw", "_"), CASES)
def test_normalise_name_is_idempotent(raw, _):
    once = normalise_name(raw)
    assert normalise_name(once) == once


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Hj. Nur Hayati, S.Pd", "NURHAYATI"),
        ("NUR HAYATI", "Nurhayati"),
        ("Siti Nur'aini", "SITI NUR AINI"),
        ("M. Yusuf", "MUHAMMADYUSUF"),
    ],
)
def test_compact_key_ignores_spaces(left, right):
    assert name_key_compact(left) == name_key_compact(right)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("EFFENDI", "EFENDI"),
        ("SYAFRUDDIN", "SAFRUDIN"),
        ("HENDRY", "HENDRI"),
        ("RAMADHAN", "RAMADAN"),
        ("KHAIRUL", "KAIRUL"),
        ("HIDAYAD", "HIDAYAT"),
        ("ELVI", "ELFI"),
        ("DZULKIFLI", "ZULKIFLI"),
        ("JUSNIAR", "YUSNIAR"),
        ("MUHAMAD RIZKI", "Muhammad Rizky"),
        ("Nur Hayati", "NURHAYATI"),
    ],
)
def test_phonetic_key_equates_spelling_variants(left, right):
    assert name_key_phonetic(left) == name_key_phonetic(right)


@pytest.mark.parametrize(("left", "right"), [("YUSNIMAR", "YUSNIDAR"), ("ROSMAINI", "ROSNI"), ("AFRIZAL", "ASRIZAL")])
def test_phonetic_key_keeps_different_names_apart(left, right):
    assert name_key_phonetic(left) != name_key_phonetic(right)


def test_tokens():
    assert name_tokens("Dr. H. Muh. Yusuf Efendi, S.H") == ["MUHAMMAD", "YUSUF", "EFENDI"]
    assert first_token("Dr. H. Muh. Yusuf Efendi, S.H") == "MUHAMMAD"
    assert last_token("Dr. H. Muh. Yusuf Efendi, S.H") == "EFENDI"
    assert name_tokens(None) == [] and first_token("") == "" and last_token(None) == ""


def _random_names(count: int, seed: int) -> list:
    """Synthetic names dressed the ways clerks write them, with NA and blanks among them."""
    rng = random.Random(seed)
    given = "SYAFRIZAL NURHAYATI YUSNIMAR ROSMAINI AFRIZAL ZULKIFLI SOEKARNO DJOKO TJAHJONO CHAIRUL NUR'AINI".split()
    family = "EFENDI PUTRA HAYATI SARI ANWAR HIDAYAT RAHMAN KASIM".split()
    before = ["", "", "H. ", "Hj. ", "Dr. Ir. ", "Drs. ", "K.H. ", "M. ", "Muh. ", "Mochammad "]
    after = ["", "", ", S.Pd", " S.E", ", A.Md.Kep", " bin Ahmad", " binti Kasim", " Dt. Rajo Basa", ", M.Si"]
    names: list = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.03:
            names.append(rng.choice([None, "", "  "]))
            continue
        name = rng.choice(before) + " ".join(rng.sample(given, rng.randint(1, 2)))
        name += (" " + rng.choice(family)) * (rng.random() < 0.5) + rng.choice(after)
        names.append(name.title() if rng.random() < 0.3 else name.replace(" ", "  ") if rng.random() < 0.1 else name)
    return names


def test_vectorised_equals_scalar():
    names = _random_names(3000, seed=3)
    series = pd.Series(names, index=range(10, 3010), name="nama", dtype=object)
    result = normalise_names(series)
    assert result.tolist() == [normalise_name(name) for name in names]
    assert result.index.equals(series.index) and result.name == "nama"
    assert result.notna().all()


def test_vectorised_on_string_dtype_with_na():
    series = pd.Series(["Hj. Nur Hayati, S.Pd", None, "M. Yusuf"], dtype="string")
    assert normalise_names(series).tolist() == ["NUR HAYATI", "", "MUHAMMAD YUSUF"]
    assert normalise_names(pd.Series([], dtype="str")).tolist() == []


def test_name_keys_match_the_scalar_keys():
    names = _random_names(1000, seed=5)
    keys = name_keys(pd.Series(names))
    assert list(keys.columns) == ["nama_normal", "nama_kompak", "nama_fonetik"]
    assert keys["nama_normal"].tolist() == [normalise_name(name) for name in names]
    assert keys["nama_kompak"].tolist() == [name_key_compact(name) for name in names]
    assert keys["nama_fonetik"].tolist() == [name_key_phonetic(name) for name in names]


def test_random_names_are_idempotent():
    for name in _random_names(2000, seed=7):
        once = normalise_name(name)
        assert normalise_name(once) == once, name
