"""laporan.html: one self-contained Indonesian page (inline CSS and SVG, no scripts), NIK masked, birth year only.

The Jinja2 template lives in include/reports/templates/; autoescaping is on, so every value
from the data is escaped; only the SVG charts built by include.reports.charts are marked safe.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from include.model import SUMBER_DANA, ReportData
from include.policy import default_policy
from include.reports import charts, figures
from include.reports.formatting import (
    TOTAL_ROWS,
    angka,
    bulan,
    bulan_singkat,
    desimal,
    is_missing,
    label,
    mask_nik,
    persen,
    rupiah,
    rupiah_singkat,
    tahun_lahir,
)

TEMPLATES = Path(__file__).parent / "templates"
LIST_LIMIT = 200
NIK_COLUMNS = frozenset({"nik", "kandidat_nik"})
RUPIAH_COLUMNS = frozenset({"upah_dilaporkan", "iuran_jkk", "iuran_jkm", "total_iuran", "iuran_apbd"})
COUNT_COLUMNS = frozenset({"jumlah_peserta", "peserta_baru", "jumlah", "baris", "prioritas", "desil_kesejahteraan"})
DATE_COLUMNS = frozenset({"tanggal_lahir", "kandidat_tanggal_lahir"})
NUMERIC_COLUMNS = RUPIAH_COLUMNS | COUNT_COLUMNS | {"probabilitas"}

CALON_SHOWN = [
    "prioritas",
    "id_individu",
    "nik",
    "nama",
    "jenis_kelamin",
    "tanggal_lahir",
    "kecamatan",
    "desa_kelurahan",
    "desil_kesejahteraan",
    "pekerjaan",
    "jenis",
    "kpj_lama",
]
TINJAUAN_SHOWN = [
    "id_individu",
    "nik",
    "nama",
    "tanggal_lahir",
    "kandidat_kpj",
    "kandidat_nik",
    "kandidat_nama",
    "kandidat_tanggal_lahir",
    "probabilitas",
    "alasan",
]
KARANTINA_SHOWN = ["sumber", "berkas", "baris", "alasan", "id", "nik", "nama"]
REKAP_SHOWN = [
    "kode_kecamatan",
    "kecamatan",
    "sumber_dana",
    "jumlah_peserta",
    "peserta_baru",
    "iuran_jkk",
    "iuran_jkm",
    "total_iuran",
]


def display(column: str, value: object) -> str:
    """A report value as the page shows it: NIK masked, birth year only, Rupiah, Indonesian numbers."""
    if column in NIK_COLUMNS:
        return mask_nik(value)
    if is_missing(value):
        return ""
    if column in RUPIAH_COLUMNS:
        return rupiah(value)
    if column in COUNT_COLUMNS:
        return angka(value)
    if column == "probabilitas":
        return desimal(value, 4)
    if column in DATE_COLUMNS:
        return tahun_lahir(value)
    if column == "periode":
        return bulan(value)
    return str(value)


def table(frame: pd.DataFrame | None, columns: list[str], limit: int | None = LIST_LIMIT) -> dict:
    """Headings and display rows of a frame, at most `limit` rows; total tells how many there are."""
    frame = frame if frame is not None else pd.DataFrame(columns=columns)
    shown = [column for column in columns if column in frame.columns]
    head = frame if limit is None else frame.head(limit)
    rows = [
        [{"text": display(c, v), "angka": c in NUMERIC_COLUMNS} for c, v in zip(shown, values, strict=True)]
        for values in head[shown].itertuples(index=False, name=None)
    ]
    return {
        "headers": [{"text": label(c), "angka": c in NUMERIC_COLUMNS} for c in shown],
        "rows": rows,
        "total": frame.attrs.get(TOTAL_ROWS, len(frame)),  # a streamed list: its first rows and its count
        "terpotong": len(rows) < frame.attrs.get(TOTAL_ROWS, len(frame)),
    }


def _key_figures(ringkasan: dict) -> list[dict]:
    peserta, iuran = figures.section(ringkasan, "peserta"), figures.section(ringkasan, "iuran")
    klaim, kumulatif = figures.section(ringkasan, "klaim"), figures.section(ringkasan, "kumulatif")
    anggaran = figures.section(ringkasan, "anggaran")
    if is_missing(anggaran.get("pagu")):
        budget_value, budget_note = rupiah(anggaran.get("realisasi")), ["realisasi APBD", "tidak ada pagu"]
    else:
        budget_value = persen(anggaran.get("persen"))
        budget_note = [f"realisasi {rupiah(anggaran.get('realisasi'))}", f"pagu {rupiah(anggaran.get('pagu'))}"]
    return [
        {
            "judul": "Peserta ditagih",
            "nilai": angka(peserta.get("ditagih")),
            "catatan": [f"{angka(peserta.get('baru'))} baru", f"{angka(peserta.get('dari_p3ke'))} dari P3KE desil 1–2"],
        },
        {
            "judul": "Total iuran bulan ini",
            "nilai": rupiah(iuran.get("total_iuran")),
            "catatan": [f"JKK {rupiah(iuran.get('iuran_jkk'))}", f"JKM {rupiah(iuran.get('iuran_jkm'))}"],
        },
        {
            "judul": f"Kumulatif sejak {bulan(kumulatif.get('periode_awal'))}".strip(),
            "nilai": rupiah(kumulatif.get("total_iuran")),
            "catatan": [
                f"{angka(kumulatif.get('kasus_klaim'))} kasus klaim",
                f"manfaat {rupiah(kumulatif.get('nilai_manfaat'))}",
            ],
        },
        {
            "judul": "Klaim dibayar bulan ini",
            "nilai": f"{angka(klaim.get('kasus'))} kasus",
            "catatan": [f"manfaat {rupiah(klaim.get('nilai_manfaat'))}"],
        },
        {"judul": f"Anggaran {anggaran.get('tahun', '')}".strip(), "nilai": budget_value, "catatan": budget_note},
    ]


def _charts(data: ReportData) -> dict[str, Markup]:
    months = figures.iuran_per_bulan(data.iuran_bulanan)
    per_month = [figures.Bar(m["periode"], bulan_singkat(m["periode"]), m["total_iuran"]) for m in months]
    realisasi = figures.realisasi_anggaran(data.iuran_bulanan, data.periode)
    cumulative = [figures.Bar(m["periode"], bulan_singkat(m["periode"]), m["kumulatif"]) for m in realisasi]
    pagu = figures.as_int(figures.section(data.ringkasan, "anggaran").get("pagu"))
    bobot = charts.histogram_chart(
        figures.distribusi_bobot(data.bobot),
        "Distribusi bobot kecocokan (match weight) pasangan kandidat dengan ambang pencocokan",
        angka,
        angka,
        markers=figures.ambang_bobot(default_policy()),
        x_caption="bobot kecocokan (log2 faktor Bayes)",
        unit="pasangan",
    )
    return {
        "iuran": Markup(charts.column_chart(per_month, "Total iuran per bulan", rupiah, rupiah_singkat)),
        "kecamatan": Markup(
            charts.bar_chart(figures.peserta_per_kecamatan(data.rekap), "Peserta ditagih per kecamatan", angka)
        ),
        "anggaran": Markup(
            charts.column_chart(
                cumulative,
                "Realisasi iuran APBD kumulatif terhadap pagu",
                rupiah,
                rupiah_singkat,
                reference=("Pagu", pagu) if pagu else None,
            )
        ),
        "bobot": Markup(bobot),
    }


def _weight_note(data: ReportData) -> dict:
    """The figures under the match-weight chart: how many pairs, and each threshold as a weight."""
    bins = figures.distribusi_bobot(data.bobot)
    return {
        "pasangan": angka(sum(b.jumlah for b in bins)),
        "ambang": [
            {"label": marker.label, "bobot": angka(marker.value, 2)}
            for marker in figures.ambang_bobot(default_policy())
        ],
    }


def context(data: ReportData) -> dict:
    """Everything the template shows, already formatted."""
    ringkasan = data.ringkasan or {}
    per_sumber = figures.section(figures.section(ringkasan, "iuran"), "per_sumber_dana")
    peserta = figures.section(ringkasan, "peserta")
    anggaran = figures.section(ringkasan, "anggaran")
    totals = figures.rekap_total(data.rekap)
    return {
        "judul": f"Laporan Iuran Pekerja Rentan — {bulan(data.periode)}",
        "bulan": bulan(data.periode),
        "kartu": _key_figures(ringkasan),
        "per_sumber": [{"sumber": s, "nilai": rupiah(per_sumber.get(s, 0))} for s in SUMBER_DANA],
        "grafik": _charts(data),
        "bobot": _weight_note(data),
        "tahun": anggaran.get("tahun", data.periode[:4]),
        "ada_pagu": not is_missing(anggaran.get("pagu")),
        "rekap": table(data.rekap, REKAP_SHOWN, limit=None),
        "rekap_total": {c: display(c, v) for c, v in totals.items()},
        "hasil": [{"label": bar.label, "jumlah": angka(bar.value)} for bar in figures.hasil_p3ke(ringkasan)],
        "baris_masuk": angka(figures.section(ringkasan, "p3ke").get("baris_masuk")),
        "hasil_cocok": figures.hasil_p3ke_cocok(ringkasan),
        "peserta": [
            {"label": "Baris roster masuk", "jumlah": angka(peserta.get("baris_masuk"))},
            {"label": "Baris roster dikarantina", "jumlah": angka(peserta.get("karantina"))},
            {"label": "Peserta ditagih", "jumlah": angka(peserta.get("ditagih"))},
            {"label": "Peserta baru", "jumlah": angka(peserta.get("baru"))},
            {"label": "Peserta dari P3KE (desil 1–2)", "jumlah": angka(peserta.get("dari_p3ke"))},
        ],
        "kualitas": table(data.kualitas, ["sumber", "temuan", "jumlah"], limit=None),
        "calon": table(data.calon, CALON_SHOWN),
        "tinjauan": table(data.tinjauan, TINJAUAN_SHOWN),
        "karantina": table(data.karantina, KARANTINA_SHOWN),
    }


def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters.update(angka=angka)
    return environment


def render_page(data: ReportData) -> str:
    """The whole laporan.html page for one month."""
    return _environment().get_template("laporan.html.j2").render(**context(data))
