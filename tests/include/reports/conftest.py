"""A small, hand-built ReportData for July 2025 (synthetic names and NIKs)."""

from __future__ import annotations

import pandas as pd
import pytest

from include.model import (
    BOBOT_COLUMNS,
    CALON_COLUMNS,
    IURAN_BULANAN_COLUMNS,
    KARANTINA_COLUMNS,
    KUALITAS_COLUMNS,
    REKAP_COLUMNS,
    RINCIAN_COLUMNS,
    TINJAUAN_COLUMNS,
    ReportData,
)

# Every full NIK in the sample; none of them may appear in the xlsx or the html.
NIKS = (
    "1303041203850001",
    "1303045507900002",
    "1303020101700003",
    "1303026208950004",
    "1303051111880005",
    "1303055203920006",
    "1303011010800007",
    "1303014404990008",
)


def _ringkasan(pagu: int | None = 3_053_299_200) -> dict:
    realisasi = 7 * 33_600
    return {
        "periode": "2025-07",
        "p3ke": {
            "baris_masuk": 9,
            "karantina": 1,
            "duplikat_p3ke": 1,
            "terdaftar_aktif": 3,
            "tidak_memenuhi_syarat": 1,
            "perlu_tinjauan": 1,
            "calon_peserta": 2,
        },
        "peserta": {"baris_masuk": 4, "karantina": 1, "ditagih": 3, "baru": 1, "dari_p3ke": 2},
        "iuran": {
            "iuran_jkk": 30_000,
            "iuran_jkm": 20_400,
            "total_iuran": 50_400,
            "per_sumber_dana": {"APBD": 33_600, "APB_NAGARI": 0, "CSR": 16_800, "MANDIRI": 0},
        },
        "klaim": {"kasus": 1, "nilai_manfaat": 42_000_000},
        "kumulatif": {
            "periode_awal": "2022-03",
            "total_iuran": 5_479_891_200,
            "kasus_klaim": 119,
            "nilai_manfaat": 5_806_253_890,
        },
        "anggaran": {
            "tahun": 2025,
            "pagu": pagu,
            "realisasi": realisasi,
            "persen": None if pagu is None else round(100 * realisasi / pagu, 2),
        },
    }


def make_report_data(*, empty_lists: bool = False, pagu: int | None = 3_053_299_200) -> ReportData:
    rincian = pd.DataFrame(
        [
            [
                "2025-07",
                "00012345678",
                NIKS[0],
                "Budi Contoh",
                "13.03.04.2001",
                "KUPITAN",
                "PAMUATAN",
                "APBD",
                1_000_000,
                10_000,
                6_800,
                16_800,
                "LANJUTAN",
            ],
            [
                "2025-07",
                "12345678901",
                NIKS[1],
                'Rina "Uni", Sampel',
                "13.03.04.2002",
                "KUPITAN",
                "PADANG LAWEH",
                "APBD",
                1_000_000,
                10_000,
                6_800,
                16_800,
                "BARU",
            ],
            [
                "2025-07",
                "22345678901",
                None,
                "Joni <b>Uji</b>",
                None,
                "TIDAK DIKETAHUI",
                None,
                "CSR",
                1_000_000,
                10_000,
                6_800,
                16_800,
                "LANJUTAN",
            ],
        ],
        columns=RINCIAN_COLUMNS,
    )
    rekap = pd.DataFrame(
        [
            ["2025-07", "13.03.04", "KUPITAN", "APBD", 2, 1, 20_000, 13_600, 33_600],
            ["2025-07", None, "TIDAK DIKETAHUI", "CSR", 1, 0, 10_000, 6_800, 16_800],
        ],
        columns=REKAP_COLUMNS,
    )
    calon = pd.DataFrame(
        [
            [
                "2025-07",
                "P-0003",
                "K-01",
                NIKS[2],
                "Siti Percobaan",
                "PEREMPUAN",
                "1970-01-01",
                "13.03.02.2001",
                "LUBUK TAROK",
                "BUKIT BUAL",
                1,
                "PETANI",
                "BARU",
                None,
                1,
            ],
            [
                "2025-07",
                "P-0004",
                "K-02",
                NIKS[3],
                "Andi Fiktif",
                "LAKI-LAKI",
                "1995-08-22",
                "13.03.02.2001",
                "LUBUK TAROK",
                "BUKIT BUAL",
                2,
                "BURUH",
                "REAKTIVASI",
                "32345678901",
                2,
            ],
        ],
        columns=CALON_COLUMNS,
    )
    tinjauan = pd.DataFrame(
        [
            [
                "2025-07",
                "P-0005",
                NIKS[4],
                "Dedi Rekaan",
                "1988-11-11",
                "13.03.05.2001",
                "42345678901",
                NIKS[5],
                "Dedy Rekaan",
                "1988-11-11",
                0.87345,
                "NAMA_MIRIP",
            ],
            [
                "2025-07",
                "P-0006",
                NIKS[6],
                "Eka Uji",
                "1980-10-10",
                "13.03.01.2001",
                None,
                NIKS[7],
                "Eka Ujie",
                "1980-10-10",
                0.5,
                "P3KE_INTERNAL",
            ],
        ],
        columns=TINJAUAN_COLUMNS,
    )
    karantina = pd.DataFrame(
        [
            ["p3ke", "p3ke_juli.xlsx", 7, "NIK_RUSAK_EXCEL", "P-0009", "1.30304E+15", "Fajar Contoh"],
            ["peserta", "roster.csv", 3, "KPJ_FORMAT", "123", "1303041203850", "Gita Sampel"],
        ],
        columns=KARANTINA_COLUMNS,
    )
    kualitas = pd.DataFrame(
        [["p3ke", "NIK_RUSAK_EXCEL", 1], ["peserta", "WILAYAH_TIDAK_DIKETAHUI", 1]], columns=KUALITAS_COLUMNS
    )
    iuran_bulanan = pd.DataFrame(
        [[f"2025-{m:02d}", 3, 50_400, 33_600] for m in range(1, 8)],
        columns=IURAN_BULANAN_COLUMNS,
    )
    # match weights of the scored pairs: many clear non-matches, a few clear matches, some in between
    counts = [3, 40, 1_250, 860, 95, 12, 0, 4, 2, 1, 3, 9, 26, 41, 17, 5]
    bobot = pd.DataFrame(
        [[-14.0 + 2 * i, -12.0 + 2 * i, n] for i, n in enumerate(counts)],
        columns=BOBOT_COLUMNS,
    )
    if empty_lists:
        calon, tinjauan, karantina, kualitas, bobot = (
            frame.iloc[0:0] for frame in (calon, tinjauan, karantina, kualitas, bobot)
        )
    return ReportData(
        periode="2025-07",
        rincian=rincian,
        rekap=rekap,
        calon=calon,
        tinjauan=tinjauan,
        karantina=karantina,
        kualitas=kualitas,
        iuran_bulanan=iuran_bulanan,
        bobot=bobot,
        ringkasan=_ringkasan(pagu),
    )


@pytest.fixture
def report_data() -> ReportData:
    return make_report_data()


@pytest.fixture
def make_data():
    return make_report_data


@pytest.fixture
def full_niks() -> tuple[str, ...]:
    return NIKS
