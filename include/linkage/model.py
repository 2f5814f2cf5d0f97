"""The Splink model: comparisons, blocking rules and training recipe (DuckDB SQL dialect).

Every comparison level carries a chart label '<label>: <detail>' where <label> is the short Indonesian
agreement label shown to reviewers (sama, mirip, beda, kosong); the labels travel inside the saved model
JSON, so a loaded model explains its own levels.

NIK levels. A NIK is kecamatan (6 digits) + DDMMYY (women +40) + a serial that counts people registered in
that kecamatan with that birth date, so it is mostly 0001. Its first 12 digits repeat the place and birth
date, already counted by their own comparisons, and almost every scored pair shares a birth date; Splink
assumes comparisons independent and takes u from random pairs, so a near-equal NIK would count the same
evidence twice. NIK levels are therefore chosen for what they add beyond place and birth date:
- exact: decisive (learned);
- only the serial differs, same name: a serial typo (twins never share a name); fixed neutral (m = u);
- only the serial differs, another name: twins get consecutive serials. Fixed m = 0.0001 (a serial typo and
  a name typo together), u = 0.5 (twins and neighbours born the same day, among pairs that share kecamatan
  and birth date): about -12, so twins stay out of the match class even on small data (high prior);
- one digit off in the region or birth-date part, serial equal: a typo, or two people of neighbouring
  kecamatan codes or birth dates whose serials are both 0001 (measured on synthetic data: as frequent as
  typos among candidate pairs); fixed neutral: "not different" is all it says;
- otherwise different (learned, floored).

Household (only when the caller passes id_keluarga_p3ke; never for roster rows): two rows of one P3KE
household with different names are two people (twins, siblings); a person listed twice is listed in two
households (a duplicated row repeats the name). Fixed weight about -20, which keeps twins with near-identical
names and a missing NIK apart; otherwise neutral. It adds no label column.

Parameters EM cannot see in clean data are floored: every m at least M_FLOOR, so one disagreeing field
(a sex mistyped, a NIK that is someone else's) costs at most about -7.6 instead of an arbitrarily large
weight learned from its absence.
"""

from __future__ import annotations

from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator
from splink.blocking_rule_library import CustomRule

SOURCE_P3KE = "p3ke"
SOURCE_ROSTER = "peserta"
KOSONG = "kosong"
TWIN_M, TWIN_U = 0.0001, 0.5  # fixed m, u: only the NIK serial differs and so does the name (twins)
NEUTRAL = 0.01  # fixed m = u of NIK levels that cannot tell a typo from another person
HOUSEHOLD_M = 1e-6  # fixed m (u = 1) of two different names in one P3KE household: two people, about -20
M_FLOOR = 0.005  # least m of a trained level (also used when training never saw the level)

# The prior probability that two records match: pairs with equal NIK / NIK_RECALL / all pairs (Splink's
# estimate_probability_two_random_records_match, computed directly so that tiny inputs cannot fail it).
NIK_RECALL = 0.9
U_MAX_PAIRS = 3e6
U_UNOBSERVED = 1 / U_MAX_PAIRS  # u of a level no sampled random pair reached (e.g. equal NIK)
EM_MAX_ITERATIONS = 20
EM_CONVERGENCE = 1e-4


def _level(level: cll.ComparisonLevelCreator, label: str, m: float) -> cll.ComparisonLevelCreator:
    """A level with its reviewer label and the m EM starts from (and keeps when the data has no pairs
    to train on)."""
    return level.configure(label_for_charts=label, m_probability=m)


def _fixed(level: cll.ComparisonLevelCreator, label: str, m: float, u: float) -> cll.ComparisonLevelCreator:
    return level.configure(
        label_for_charts=label, m_probability=m, u_probability=u, fix_m_probability=True, fix_u_probability=True
    )


def _one_edit(column: str, guard: str) -> str:
    """Damerau-Levenshtein distance <= 1, computed only where a cheap necessary condition holds (DuckDB's
    damerau_levenshtein costs ~3 s per million pairs, hamming ~0.02 s)."""
    left, right = f"{column}_l", f"{column}_r"
    check = guard.format(l=left, r=right)
    return f"(case when {check} then damerau_levenshtein({left}, {right}) <= 1 else false end)"


def comparisons() -> list[cl.CustomComparison]:
    """The compared fields (gamma_<name>): COMPARED_FIELDS, and the P3KE household, which only weighs."""
    nama = cl.CustomComparison(
        output_column_name="nama",
        comparison_levels=[
            cll.NullLevel("nama"),
            _level(cll.ExactMatchLevel("nama", term_frequency_adjustments=True), "sama: nama sama", 0.85),
            _level(cll.ExactMatchLevel("nama_padat"), "sama: sama tanpa spasi", 0.03),
            _level(cll.ExactMatchLevel("nama_fonetik"), "mirip: ejaan lain", 0.03),
            _level(cll.JaroWinklerLevel("nama_padat", 0.95), "mirip: jaro-winkler >= 0.95", 0.04),
            _level(cll.JaroWinklerLevel("nama_padat", 0.88), "mirip: jaro-winkler >= 0.88", 0.02),
            _level(
                cll.CustomLevel(
                    "least(length(nama_padat_l), length(nama_padat_r)) >= 5 and "
                    "(contains(nama_padat_l, nama_padat_r) or contains(nama_padat_r, nama_padat_l))"
                ),
                "mirip: satu nama memuat yang lain",
                0.01,
            ),
            _level(cll.ElseLevel(), "beda: nama lain", 0.02),
        ],
    )
    tanggal = cl.CustomComparison(
        output_column_name="tanggal_lahir",
        comparison_levels=[
            cll.NullLevel("tanggal_lahir"),
            _level(cll.ExactMatchLevel("tanggal_lahir"), "sama: tanggal sama", 0.93),
            _level(
                cll.CustomLevel(_one_edit("tanggal_lahir", "hamming({l}, {r}) <= 2")), "mirip: satu angka beda", 0.03
            ),
            _level(
                cll.CustomLevel(
                    "hari_lahir_l = bulan_lahir_r and bulan_lahir_l = hari_lahir_r and tahun_lahir_l = tahun_lahir_r"
                ),
                "mirip: hari dan bulan tertukar",
                0.01,
            ),
            _level(
                cll.CustomLevel(
                    "hari_lahir_l = hari_lahir_r and bulan_lahir_l = bulan_lahir_r "
                    "and abs(tahun_lahir_l - tahun_lahir_r) = 1"
                ),
                "mirip: tahun selisih satu",
                0.01,
            ),
            _level(cll.ElseLevel(), "beda: tanggal lain", 0.02),
        ],
    )
    kelamin = cl.CustomComparison(
        output_column_name="jenis_kelamin",
        comparison_levels=[
            cll.NullLevel("jenis_kelamin"),
            _level(cll.ExactMatchLevel("jenis_kelamin"), "sama: jenis kelamin sama", 0.99),
            _level(cll.ElseLevel(), "beda: jenis kelamin lain", 0.01),
        ],
    )
    wilayah = cl.CustomComparison(
        output_column_name="wilayah",
        comparison_levels=[
            cll.NullLevel("kode_desa"),
            _level(cll.ExactMatchLevel("kode_desa"), "sama: desa sama", 0.85),
            _level(cll.ExactMatchLevel("kode_kecamatan"), "mirip: kecamatan sama, desa lain", 0.07),
            _level(cll.ElseLevel(), "beda: kecamatan lain", 0.08),
        ],
    )
    same_name = "(nama_padat_l = nama_padat_r or nama_fonetik_l = nama_fonetik_r)"
    nik = cl.CustomComparison(
        output_column_name="nik",
        comparison_levels=[
            cll.NullLevel("nik"),
            _level(cll.ExactMatchLevel("nik"), "sama: NIK sama", 0.93),
            _fixed(
                cll.CustomLevel(f"nik_awal_l = nik_awal_r and {same_name}"),
                "mirip: hanya nomor urut beda, nama sama (salah ketik nomor urut)",
                NEUTRAL,
                NEUTRAL,
            ),
            _fixed(
                cll.ExactMatchLevel("nik_awal"),
                "mirip: hanya nomor urut beda, nama lain (kembar?)",
                TWIN_M,
                TWIN_U,
            ),
            _fixed(
                cll.CustomLevel("nik_serial_l = nik_serial_r and " + _one_edit("nik", "hamming({l}, {r}) <= 2")),
                "mirip: satu angka beda di kode wilayah atau tanggal",
                NEUTRAL,
                NEUTRAL,
            ),
            _level(cll.ElseLevel(), "beda: NIK lain", 0.05),
        ],
    )
    keluarga = cl.CustomComparison(
        output_column_name="keluarga",
        comparison_levels=[
            cll.NullLevel("keluarga"),
            _fixed(
                cll.CustomLevel("keluarga_l = keluarga_r and nama_padat_l <> nama_padat_r"),
                "beda: satu keluarga P3KE, nama lain (dua orang)",
                HOUSEHOLD_M,
                1.0,
            ),
            _fixed(cll.ElseLevel(), "kosong: keluarga lain atau baris ganda", 1.0, 1.0),
        ],
    )
    return [nama, tanggal, kelamin, wilayah, nik, keluarga]


COMPARED_FIELDS = ("nama", "tanggal_lahir", "jenis_kelamin", "wilayah", "nik")  # labelled in the scores

# Candidate pairs. Splink puts the smaller unique_id on the left and roster ids are above every P3KE id, so
# "a P3KE row on the left" keeps P3KE-P3KE and P3KE-roster pairs and never makes a roster-roster pair (not
# needed: one row per KPJ).
BLOCKING_KEYS: tuple[tuple[str, ...], ...] = (
    ("nik",),
    ("nik_awal",),  # region + birth date in the NIK: a serial typo (and twins)
    # A NIK typo or no NIK. Across Indonesia: the same spelling key and birth date. Within a kabupaten: name
    # variants that keep the first letters (blocked nationally, this one rule made the candidate pairs grow with
    # the square of the rows: 2.7 million at 1 million rows, a birth date and 3 letters being shared by ~250).
    ("tanggal_lahir", "nama_fonetik"),
    ("tanggal_lahir", "nama_awal", "kode_kabupaten"),
    ("tanggal_lahir", "kode_desa"),  # a name changed beyond its first letters
    ("nama_padat", "kode_kecamatan", "tahun_lahir"),  # birth day or month mistyped, or swapped
    ("nama_padat", "kode_kecamatan", "bulan_lahir", "hari_lahir"),  # birth year mistyped
)


def blocking_rule(keys: tuple[str, ...]) -> CustomRule:
    """Equal keys, a P3KE row on the left."""
    equal = " and ".join(f'l."{key}" = r."{key}"' for key in keys)
    return CustomRule(f"{equal} and l.sumber = '{SOURCE_P3KE}'", sql_dialect="duckdb")


# EM sessions (block_on these keys): each trains every comparison whose columns are not in its rule. Equal
# NIK trains name, birth date, sex and wilayah; the second trains name and NIK (whose levels also read
# tanggal_lahir and the name columns, so its rule must use neither).
EM_KEYS = (("nik",), ("kode_desa", "tahun_lahir", "bulan_lahir", "jenis_kelamin"))
EM_MIN_PAIRS = 100


def settings(prior: float = 1e-4) -> SettingsCreator:
    """The untrained model.

    One input table holding both sources, link type dedupe_only: the same pairs as link_and_dedupe over two
    tables (rules filter on `sumber`), but Splink then identifies records by the integer unique_id instead
    of a 'source_dataset-__-unique_id' string. Measured at 1 M P3KE + 500 k roster rows (same 2.3 M pairs):
    blocking 2.4 s instead of 4.0 s, scoring 5.3 s instead of 6.4 s, 300 MB less memory.
    """
    return SettingsCreator(
        link_type="dedupe_only",
        probability_two_random_records_match=prior,
        comparisons=comparisons(),
        blocking_rules_to_generate_predictions=[blocking_rule(keys) for keys in BLOCKING_KEYS],
        retain_matching_columns=True,  # needed for the gamma_<field> columns
        retain_intermediate_calculation_columns=False,
        max_iterations=EM_MAX_ITERATIONS,
        em_convergence=EM_CONVERGENCE,
        linker_uid="rentan",
    )


def level_labels(model: dict[str, Any]) -> dict[str, dict[int, str]]:
    """gamma value -> short label per compared field, from a model dict (saved JSON)."""
    labels = {}
    for comparison in model["comparisons"]:
        levels = comparison["comparison_levels"]
        gamma = sum(1 for level in levels if not level.get("is_null_level")) - 1
        mapping = {}
        for level in levels:
            if level.get("is_null_level"):
                mapping[-1] = KOSONG
            else:
                mapping[gamma] = level["label_for_charts"].split(":")[0]
                gamma -= 1
        labels[comparison["output_column_name"]] = mapping
    return labels
