"""The Splink model: comparisons, blocking rules and training recipe (DuckDB SQL dialect).

Every comparison level carries a chart label '<label>: <detail>' where <label> is the short Indonesian
agreement label shown to reviewers (sama, mirip, beda, kosong); the labels travel inside the saved model
JSON, so a loaded model explains its own levels.

NIK levels and twins: the NIKs of twins share region and birth date (the first 12 digits) and have
consecutive serials, which is exactly what a serial typo of one person looks like. Random pairs almost never
share the first 12 digits, so u from random sampling would make those levels overwhelming evidence and merge
twins; and whatever they say about the birth date is already counted by the birth-date comparison. Those two
levels therefore have fixed, neutral parameters (m = u): the name decides between "twin" and "typo". A typo
in the region or birth-date part with the serial intact stays strong evidence (learned), exact NIK decisive.
"""

from __future__ import annotations

from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on
from splink.blocking_rule_library import CustomRule

SOURCE_P3KE = "p3ke"
SOURCE_ROSTER = "peserta"
KOSONG = "kosong"
NEUTRAL = 0.01  # m = u of the NIK levels that cannot tell a serial typo from a twin
DEFAULT_M_UNOBSERVED = 0.001  # m of a level that training never saw (e.g. no day/month swap in the data)

# Share of true pairs found by exact NIK: scales the prior probability that two records match.
NIK_RECALL = 0.9
U_MAX_PAIRS = 3e6
EM_MAX_ITERATIONS = 20
EM_CONVERGENCE = 1e-4


def _level(level: cll.ComparisonLevelCreator, label: str) -> cll.ComparisonLevelCreator:
    return level.configure(label_for_charts=label)


def _neutral(level: cll.ComparisonLevelCreator, label: str) -> cll.ComparisonLevelCreator:
    return level.configure(
        label_for_charts=label, m_probability=NEUTRAL, u_probability=NEUTRAL, fix_m_probability=True,
        fix_u_probability=True,
    )


def comparisons() -> list[cl.CustomComparison]:
    """The five compared fields; output columns gamma_<name> with <name> in COMPARED_FIELDS."""
    nama = cl.CustomComparison(
        output_column_name="nama",
        comparison_levels=[
            cll.NullLevel("nama"),
            _level(cll.ExactMatchLevel("nama", term_frequency_adjustments=True), "sama: nama sama"),
            _level(cll.ExactMatchLevel("nama_padat"), "sama: sama tanpa spasi"),
            _level(cll.ExactMatchLevel("nama_fonetik"), "mirip: ejaan lain"),
            _level(cll.DamerauLevenshteinLevel("nama_padat", 1), "mirip: satu huruf beda"),
            _level(cll.JaroWinklerLevel("nama", 0.92), "mirip: jaro-winkler >= 0.92"),
            _level(
                cll.CustomLevel(
                    "least(length(nama_padat_l), length(nama_padat_r)) >= 5 and "
                    "(contains(nama_padat_l, nama_padat_r) or contains(nama_padat_r, nama_padat_l))"
                ),
                "mirip: satu nama memuat yang lain",
            ),
            _level(cll.ElseLevel(), "beda: nama lain"),
        ],
    )
    tanggal = cl.CustomComparison(
        output_column_name="tanggal_lahir",
        comparison_levels=[
            cll.NullLevel("tanggal_lahir"),
            _level(cll.ExactMatchLevel("tanggal_lahir"), "sama: tanggal sama"),
            _level(cll.DamerauLevenshteinLevel("tanggal_lahir", 1), "mirip: satu angka beda"),
            _level(
                cll.CustomLevel(
                    "hari_lahir_l = bulan_lahir_r and bulan_lahir_l = hari_lahir_r and tahun_lahir_l = tahun_lahir_r"
                ),
                "mirip: hari dan bulan tertukar",
            ),
            _level(
                cll.CustomLevel(
                    "hari_lahir_l = hari_lahir_r and bulan_lahir_l = bulan_lahir_r "
                    "and abs(tahun_lahir_l - tahun_lahir_r) = 1"
                ),
                "mirip: tahun selisih satu",
            ),
            _level(cll.ElseLevel(), "beda: tanggal lain"),
        ],
    )
    kelamin = cl.CustomComparison(
        output_column_name="jenis_kelamin",
        comparison_levels=[
            cll.NullLevel("jenis_kelamin"),
            _level(cll.ExactMatchLevel("jenis_kelamin"), "sama: jenis kelamin sama"),
            _level(cll.ElseLevel(), "beda: jenis kelamin lain"),
        ],
    )
    wilayah = cl.CustomComparison(
        output_column_name="wilayah",
        comparison_levels=[
            cll.NullLevel("kode_desa"),
            _level(cll.ExactMatchLevel("kode_desa"), "sama: desa sama"),
            _level(cll.ExactMatchLevel("kode_kecamatan"), "mirip: kecamatan sama, desa lain"),
            _level(cll.ElseLevel(), "beda: kecamatan lain"),
        ],
    )
    nik = cl.CustomComparison(
        output_column_name="nik",
        comparison_levels=[
            cll.NullLevel("nik"),
            _level(cll.ExactMatchLevel("nik"), "sama: NIK sama"),
            _level(
                cll.CustomLevel("nik_serial_l = nik_serial_r and damerau_levenshtein(nik_l, nik_r) <= 1"),
                "mirip: satu angka beda di kode wilayah/tanggal",
            ),
            _neutral(
                cll.CustomLevel("nik_awal_l = nik_awal_r and damerau_levenshtein(nik_serial_l, nik_serial_r) <= 1"),
                "mirip: satu angka beda di nomor urut (salah ketik atau kembar)",
            ),
            _neutral(cll.ExactMatchLevel("nik_awal"), "beda: wilayah dan tanggal sama, nomor urut lain"),
            _level(cll.ElseLevel(), "beda: NIK lain"),
        ],
    )
    return [nama, tanggal, kelamin, wilayah, nik]


COMPARED_FIELDS = ("nama", "tanggal_lahir", "jenis_kelamin", "wilayah", "nik")

# Candidate pairs. Every rule keeps a P3KE row on the left: the composite id 'p3ke-__-<id>' sorts before
# 'peserta-__-<id>', so roster-to-roster pairs (not needed: one row per KPJ) are never generated.
BLOCKING_KEYS: tuple[tuple[str, ...], ...] = (
    ("nik",),
    ("nik_awal",),  # region + birth date in the NIK: serial typos
    ("tanggal_lahir", "nama_awal"),  # NIK typos, name variants after the first letters
    ("tanggal_lahir", "kode_desa"),  # a name changed beyond its first letters
    ("nama_padat", "tahun_lahir", "bulan_lahir"),  # birth day mistyped
    ("nama_padat", "tahun_lahir", "hari_lahir"),  # birth month mistyped
    ("nama_padat", "bulan_lahir", "hari_lahir"),  # birth year mistyped
    ("nama_padat", "tahun_lahir", "kode_desa"),  # day and month swapped, or both mistyped
)


def blocking_rule(keys: tuple[str, ...]) -> CustomRule:
    """Equal keys, a P3KE row on the left."""
    equal = " and ".join(f'l."{key}" = r."{key}"' for key in keys)
    return CustomRule(f"{equal} and l.source_dataset = '{SOURCE_P3KE}'", sql_dialect="duckdb")


# EM sessions: each trains every comparison whose columns are not in its rule.
EM_RULES = (block_on("nik"), block_on("tanggal_lahir", "kode_desa"))
PRIOR_RULES = (block_on("nik"),)


def settings() -> SettingsCreator:
    """The untrained model."""
    return SettingsCreator(
        link_type="link_and_dedupe",
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
