"""The demo's landing zone ingested (and linked) into a staging area of its own, for tests of the stages
that follow: every source, quarantined rows, review pairs, duplicates."""

from __future__ import annotations

from pathlib import Path

from include import pipeline
from include.settings import Settings, load_settings

SOURCES = ("peserta", "klaim", "p3ke", "tinjauan")


def staged_demo(root: Path, periode: str, *, link: bool = True, **env: str) -> Settings:
    """Generate the demo under root, ingest its four sources for `periode` and link them; env: more
    RENTAN_* settings."""
    from include.demo import generate

    generate(root / "landing", root / "truth.json", 20250701)
    settings = load_settings({"RENTAN_LANDING": str(root / "landing"), "RENTAN_DATA": str(root / "data"),
                              "RENTAN_REPORTS": str(root / "reports"), "RENTAN_REGION": "13.03",
                              "RENTAN_WAREHOUSE_URL": f"sqlite:///{root / 'warehouse.db'}", **env})
    for name in SOURCES:
        pipeline.ingest(name, settings, [periode], "test")
    if link:
        pipeline.link_people(settings)
    return settings
