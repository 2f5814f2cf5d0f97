"""Policy settings (rates, eligibility, budgets, thresholds) from policy.yaml."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

POLICY_FILE = Path(__file__).with_name("policy.yaml")


@dataclass(frozen=True)
class Rate:
    berlaku_mulai: dt.date
    jkk_persen: Decimal
    jkm_rupiah: int

    def jkk(self, upah: int) -> int:
        """JKK for a reported income, rounded half up to whole Rupiah."""
        amount = Decimal(upah) * self.jkk_persen / Decimal(100)
        return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Policy:
    program_mulai: str
    tarif: tuple[Rate, ...]
    upah_minimum: int
    desil_layak: frozenset[int]
    usia_min: int
    usia_max: int
    pekerjaan_dikecualikan: frozenset[str]
    anggaran: dict[int, int]
    karantina_maks_persen: float
    ambang_atas: float
    ambang_bawah: float
    seed: int
    metode: str
    fs_prior: float
    fs_bidang: dict[str, tuple[float, float]]

    def rate_for(self, first_day: dt.date) -> Rate:
        """The rate in force on the first day of a month."""
        valid = [r for r in self.tarif if r.berlaku_mulai <= first_day]
        if not valid:
            raise ValueError(f"policy.yaml: no tarif in force on {first_day}; add a row to 'tarif'")
        return max(valid, key=lambda r: r.berlaku_mulai)

    def pagu(self, tahun: int) -> int | None:
        return self.anggaran.get(tahun)


def normalise_pekerjaan(text: str) -> str:
    """Upper case, no spaces: 'Belum / Tidak Bekerja' and 'BELUM/TIDAK BEKERJA' compare equal."""
    return "".join(str(text).upper().split())


def load_policy(path: Path | str = POLICY_FILE) -> Policy:
    import yaml

    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    tarif = tuple(
        Rate(
            berlaku_mulai=dt.date.fromisoformat(str(r["berlaku_mulai"])),
            jkk_persen=Decimal(str(r["jkk_persen"])),
            jkm_rupiah=int(r["jkm_rupiah"]),
        )
        for r in raw["tarif"]
    )
    kelayakan = raw["kelayakan"]
    return Policy(
        program_mulai=str(raw["program_mulai"]),
        tarif=tarif,
        upah_minimum=int(raw["upah_minimum"]),
        desil_layak=frozenset(int(d) for d in kelayakan["desil"]),
        usia_min=int(kelayakan["usia_min"]),
        usia_max=int(kelayakan["usia_max"]),
        pekerjaan_dikecualikan=frozenset(normalise_pekerjaan(p) for p in kelayakan["pekerjaan_dikecualikan"]),
        anggaran={int(k): int(v) for k, v in (raw.get("anggaran") or {}).items()},
        karantina_maks_persen=float(raw["karantina_maks_persen"]),
        ambang_atas=float(raw["pencocokan"]["atas"]),
        ambang_bawah=float(raw["pencocokan"]["bawah"]),
        seed=int(raw["pencocokan"]["seed"]),
        metode=str(raw["pencocokan"]["metode"]),
        fs_prior=float(raw["pencocokan_sederhana"]["prior"]),
        fs_bidang={k: (float(v["m"]), float(v["u"])) for k, v in raw["pencocokan_sederhana"]["bidang"].items()},
    )


@lru_cache(maxsize=1)
def default_policy() -> Policy:
    return load_policy()
