"""Kemendagri region codes (Kepmendagri 300.2.2-2138/2025): lookup and checks."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

REFERENCE = Path(__file__).with_name("reference") / "wilayah_kemendagri_2025.csv"
TIDAK_DIKETAHUI = "TIDAK DIKETAHUI"
_DOTTED = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")


def normalise_kode(text: object) -> str | None:
    """'1303042001' or '13.03.04.2001' -> '13.03.04.2001'; None when it is neither."""
    if text is None:
        return None
    value = str(text).strip().lstrip("'")
    if _DOTTED.match(value):
        return value
    digits = value.replace(" ", "")
    if digits.isdigit() and len(digits) in (2, 4, 6, 10):
        parts = [digits[:2], digits[2:4], digits[4:6], digits[6:10]]
        return ".".join(p for p in parts if p)
    return None


def in_region(kode: str, region: str) -> bool:
    """True when a dotted code lies inside the region prefix ('' = all Indonesia)."""
    return not region or kode == region or kode.startswith(region + ".")


@dataclass(frozen=True)
class Wilayah:
    names: dict[str, str]

    def is_desa(self, kode: str | None) -> bool:
        return kode is not None and kode.count(".") == 3 and kode in self.names

    def kecamatan_of(self, kode: str | None) -> tuple[str, str]:
        """(kode_kecamatan, kecamatan name) of a desa code; ('', TIDAK DIKETAHUI) when unknown."""
        if not self.is_desa(kode):
            return "", TIDAK_DIKETAHUI
        kec = kode[:8]
        return kec, self.names.get(kec, TIDAK_DIKETAHUI)

    def desa_name(self, kode: str | None) -> str:
        return self.names.get(kode, "") if self.is_desa(kode) else ""

    def desa_codes(self, region: str = "") -> list[str]:
        return sorted(k for k in self.names if k.count(".") == 3 and in_region(k, region))


@lru_cache(maxsize=2)
def load_wilayah(path: Path | str = REFERENCE) -> Wilayah:
    with open(path, encoding="utf-8", newline="") as handle:
        return Wilayah(names={row["kode"]: row["nama"] for row in csv.DictReader(handle)})
