"""Indonesian personal names reduced to comparison keys for matching.

`normalise_name('Hj. Nur’aini binti Ahmad, S.Pd')` -> `'NURAINI'`. The result is a key, never shown to anyone:
both sides of a comparison go through the same function, so a rule only has to be consistent, not pretty.
Steps, in order (pieces are the runs of letters A-Z and digits; dots, hyphens and other marks separate them;
digits are kept, since "WARGA 1" and "WARGA 2" are not one name):

1. Upper case; apostrophes joined (NUR'AINI -> NURAINI); accents dropped (É -> E).
2. A comma followed by a degree, honorific or adat title ends the name ('Nur Hayati, S.Pd., M.Pd' -> NUR HAYATI);
   any other comma is a space.
3. Old spelling (before 1972), per piece: OE->U, DJ->J, TJ->C, NJ->NY, SJ->SY, CH->KH, and in a piece that shows
   OE/DJ/TJ/SJ its other J is the old Y (TJAHJONO -> CAHYONO; JUSUF alone stays JUSUF). CH->KH is applied to
   every name, Chinese-Indonesian ones included (CHANDRA -> KHANDRA): the key stays consistent on both sides, and
   an exception list would cost more than it saves. NJ->NY also changes modern NJ (PANJI -> PANYI), equally harmless.
4. Honorifics at the start are dropped in any number (H, HJ, HAJI, HAJJAH, DR, DRS, DRA, IR, PROF, K.H., UST,
   USTADZ(AH), TGK, ALM/ALMH). Mid-name, the same words except a lone H are dropped too: a lone H after a name
   is more often an initial (M. H. THAMRIN) than Haji.
5. BIN/BINTI/BT/BN (not first) and everything after it go; so do DT/DATUAK/DATUK (not first) and what follows, the
   Minang adat title ('Syafrizal Dt. Rajo Basa' -> SYAFRIZAL). SUTAN/ST, MALIN, BAGINDO are left: they are given
   names as often as titles (only a trailing ST goes, read as the degree S.T.).
6. Academic degrees at the end go, dotted or not (S.Pd.I, SPD, A.Md.Kep, S. E, M.M, ...). M.A is not treated as a
   degree (MA is a Chinese-Indonesian surname).
7. Muhammad's spellings in first place become MUHAMMAD (M., MUH, MOH, MHD, MOCH, MOCHAMMAD, MOHAMMED, ...).
   Full spellings become MUHAMMAD anywhere; abbreviations (M, MUH, MHD, ...) only first and only when another
   piece follows: a lone M mid-name is as often an initial (AHMAD M. YUSUF) and stays M.
Removals never empty a name: 'H.' alone stays 'H'. The function is idempotent.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

import pandas as pd

_APOSTROPHES = re.compile("['`´‘’ʼ]")
_PIECES = re.compile("[A-Z0-9]+")
_OLD_MARKERS = ("OE", "DJ", "TJ", "SJ")
_OLD_ANY = re.compile("OE|DJ|TJ|NJ|SJ|CH")
_OLD_REPLACEMENTS = (("OE", "U"), ("DJ", "J"), ("TJ", "C"), ("NJ", "NY"), ("SJ", "SY"), ("CH", "KH"))

TITLES_ANYWHERE = frozenset(
    "HJ HAJI HADJI HAJJAH HAJAH HADJAH DR DRS DRA IR PROF KH UST USTADZ USTADZAH USTAZ USTAZAH TGK ALM ALMH "
    "ALMARHUM ALMARHUMAH".split()
)
TITLES_LEADING = TITLES_ANYWHERE | {"H"}
ADAT_TITLES = frozenset({"DT", "DATUAK", "DATUK"})
PARENT_MARKERS = frozenset({"BIN", "BINTI", "BT", "BN"})
# Written without dots; 'S.Pd.I', 'S. Pd I' and 'SPDI' all reduce to SPDI.
DEGREES = frozenset(
    "SPD SPDI SPDSD SKEP SKOM SIKOM SE SEI SH SHI SSOS SAG ST STP SIP SP SPT SPI SSI SKM SKED SFARM SPSI SS "
    "SSN SSTP SHUT SKG SGZ SKEB STR SHUM SSY STHI AMD AMDKEP AMDKEB AMDKES AMDKOM AMDFARM "
    "AMDAK AMK AMKEB AMA AMAPD AMPD MPD MPDI MSI MM MKES MH MT MKOM MAG MSC MBA MKM MKEP MHUM MAP MKN MIP "
    "MSOS MFARM MPH MTI PHD APT AK GR NS LC BSC SPOG SPPD".split()
)
_MUHAMMAD_FULL = (
    "MUHAMMAD MUHAMAD MOHAMMAD MOHAMAD MOHAMMED MOHAMED MUHAMMED MUHAMED MOCHAMMAD MOCHAMAD MOCHAMED MOCHAMMED "
    "MUCHAMMAD MUCHAMAD MOEHAMMAD MOEHAMAD MUHAMMAT MUHAMAT MOCHAMAT MOCHAMMAT MOHAMMAT"
).split()
_MUHAMMAD_SHORT = "M MUH MOH MHD MOCH MUCH MUHD MOHD MHMD".split()


def _old_spelling(piece: str) -> str:
    """Pre-1972 spelling to today's, repeated until nothing changes (TJH -> CH -> KH)."""
    while True:
        new = piece
        if any(marker in new for marker in _OLD_MARKERS):
            new = re.sub("(?<![DTSN])J", "Y", new)
        for old, modern in _OLD_REPLACEMENTS:
            new = new.replace(old, modern)
        if new == piece:
            return piece
        piece = new


MUHAMMAD_FULL = frozenset(_old_spelling(form) for form in _MUHAMMAD_FULL)
MUHAMMAD_SHORT = frozenset(_old_spelling(form) for form in _MUHAMMAD_SHORT)


def _degree_at(pieces: list[str], start: int) -> int:
    """How many pieces from `start` spell one degree (longest first), 0 when none does."""
    for width in (4, 3, 2, 1):
        if start + width <= len(pieces) and "".join(pieces[start : start + width]) in DEGREES:
            return width
    return 0


def _degree_ending(pieces: list[str]) -> int:
    """How many pieces at the end spell one degree, leaving at least one piece before it; 0 when none."""
    for width in (4, 3, 2, 1):
        if width < len(pieces) and "".join(pieces[-width:]) in DEGREES:
            return width
    return 0


def _pieces(text: str) -> list[str]:
    pieces = _PIECES.findall(text)
    return [_old_spelling(piece) for piece in pieces] if _OLD_ANY.search(text) else pieces


def _head(text: str) -> str:
    """The text up to the first comma that starts degrees or titles; other commas become spaces."""
    if "," not in text:
        return text
    parts = text.split(",")
    for i, part in enumerate(parts[1:], start=1):
        before, after = _pieces(" ".join(parts[:i])), _pieces(part)
        has_name = any(piece not in TITLES_LEADING for piece in before)
        if has_name and after and (after[0] in TITLES_LEADING or after[0] in ADAT_TITLES or _degree_at(after, 0)):
            return " ".join(parts[:i])
    return " ".join(parts)


def _leading_title(pieces: list[str]) -> int:
    """How many pieces at the start spell one honorific (H, or K.H. as two), leaving a piece after it; 0 if none."""
    for width in (2, 1):
        if width < len(pieces) and "".join(pieces[:width]) in TITLES_LEADING:
            return width
    return 0


def _cut_at(pieces: list[str], markers: frozenset[str]) -> list[str]:
    """Pieces before the first marker that is not the first piece."""
    for i, piece in enumerate(pieces[1:], start=1):
        if piece in markers:
            return pieces[:i]
    return pieces


@lru_cache(maxsize=2**21)  # a dataset's names are normalised by matching and by the linkage features
def normalise_name(text: str | None) -> str:
    """The comparison key of a personal name; '' for None, NA or a blank (see the module docstring)."""
    if not isinstance(text, str):
        if text is None or pd.isna(text):
            return ""
        text = str(text)
    text = _APOSTROPHES.sub("", text.upper())
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    pieces = _pieces(_head(text))
    while width := _leading_title(pieces):
        pieces = pieces[width:]
    pieces = _cut_at(_cut_at(pieces, PARENT_MARKERS), ADAT_TITLES)
    pieces = [p for i, p in enumerate(pieces) if i == 0 or p not in TITLES_ANYWHERE] or pieces
    while width := _degree_ending(pieces):
        pieces = pieces[:-width]
    if pieces and (pieces[0] in MUHAMMAD_FULL or (pieces[0] in MUHAMMAD_SHORT and len(pieces) > 1)):
        pieces[0] = "MUHAMMAD"
    return " ".join("MUHAMMAD" if p in MUHAMMAD_FULL else p for p in pieces)


def name_tokens(text: str | None) -> list[str]:
    """The words of the normalised name: 'Hj. Nur Hayati, S.Pd' -> ['NUR', 'HAYATI']."""
    return normalise_name(text).split()


def first_token(text: str | None) -> str:
    """The first word of the normalised name, '' when there is none."""
    tokens = name_tokens(text)
    return tokens[0] if tokens else ""


def last_token(text: str | None) -> str:
    """The last word of the normalised name, '' when there is none."""
    tokens = name_tokens(text)
    return tokens[-1] if tokens else ""


def name_key_compact(text: str | None) -> str:
    """The normalised name without spaces, so NUR HAYATI and NURHAYATI compare equal."""
    return normalise_name(text).replace(" ", "")


_WORD_EDGE_RULES = (
    (re.compile("Y$"), "I"),  # HENDRY / HENDRI
    (re.compile("D$"), "T"),  # HIDAYAD / HIDAYAT, AHMAD / AHMAT
    (re.compile("^J(?=[AEIOU])"), "Y"),  # JUSUF / YUSUF, JUSNIAR / YUSNIAR (old J = Y)
)
_SOUND_RULES = (
    (re.compile("DZ"), "Z"),  # DZULKIFLI / ZULKIFLI
    (re.compile("Q"), "K"),  # QOMARUDDIN / KOMARUDIN
    (re.compile("V"), "F"),  # ELVI / ELFI, NOVIA / NOFIA
    (re.compile("SY"), "S"),  # SYAFRIZAL / SAFRIZAL
    (re.compile("(?<=[^AEIOU])H"), ""),  # KHAIRUL / KAIRUL, RAMADHAN / RAMADAN, FATHUR / FATUR
    (re.compile(r"([A-Z])\1+"), r"\1"),  # EFFENDI / EFENDI, SYAFRUDDIN / SYAFRUDIN, MUHAMMAD / MUHAMAD
)


def name_key_phonetic(text: str | None) -> str:
    """A coarser compact key that also equates common spelling variants of the same sound.

    Per word of the normalised name a final Y->I and D->T, an initial J before a vowel ->Y; then the words
    joined without spaces and DZ->Z, Q->K, V->F, SY->S, H after a consonant dropped, doubled letters single
    (NUR HAYATI and NURHAYATI still agree). Meant for a 'similar name' comparison level, never as proof of
    identity on its own (JONI and YONI agree).
    """
    return _phonetic(normalise_name(text))


def _phonetic(normal: str) -> str:
    words = []
    for word in normal.split():
        for pattern, replacement in _WORD_EDGE_RULES:
            word = pattern.sub(replacement, word)
        words.append(word)
    key = "".join(words)
    for pattern, replacement in _SOUND_RULES:
        key = pattern.sub(replacement, key)
    return key


def _map_unique(names: pd.Series, keys: dict[str, Callable[[str | None], str]]) -> pd.DataFrame:
    """Each key function applied once per distinct value, spread back over the rows; NA -> ''."""
    codes, uniques = pd.factorize(names, use_na_sentinel=True)
    columns = {}
    for column, key in keys.items():
        table = pd.Series([key(value) for value in uniques] + [""], dtype="str")
        columns[column] = pd.Series(table.to_numpy()[codes], index=names.index, dtype="str")
    return pd.DataFrame(columns, index=names.index)


def normalise_names(names: pd.Series) -> pd.Series:
    """`normalise_name` over a Series (str dtype, same index and name); NA and None give ''."""
    return _map_unique(names, {"nama": normalise_name})["nama"].rename(names.name)


def name_keys(names: pd.Series) -> pd.DataFrame:
    """The three keys of each name, computed once per distinct name: columns nama_normal, nama_kompak, nama_fonetik."""
    frame = _map_unique(names, {"nama_normal": normalise_name})
    normal = frame["nama_normal"]
    frame["nama_kompak"] = normal.str.replace(" ", "", regex=False)
    frame["nama_fonetik"] = _map_unique(normal, {"k": _phonetic})["k"]
    return frame
