"""The command: same seed -> byte-identical files; it replaces only its own landing folders."""

from __future__ import annotations

import json

from include.demo.__main__ import main
from tests.include.demo.landing_files import SEED


def snapshot(folder) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_seed_gives_byte_identical_files(demo_run, tmp_path):
    _, first_landing, first_truth = demo_run
    landing = tmp_path / "landing"
    (landing / "p3ke").mkdir(parents=True)
    (landing / "p3ke" / "old_export.xlsx").write_bytes(b"stale")
    (landing / "tinjauan").mkdir()
    (landing / "tinjauan" / "keputusan.csv").write_text("id_individu,kandidat_kpj,keputusan\n", encoding="utf-8")
    (landing / "lain").mkdir()
    (landing / "lain" / "catatan.txt").write_text("bukan milik generator", encoding="utf-8")

    assert main(["--landing", str(landing), "--truth", str(tmp_path / "truth.json"), "--seed", str(SEED)]) == 0

    second = snapshot(landing)
    assert second.pop("lain/catatan.txt") == b"bukan milik generator"
    assert second == snapshot(first_landing)
    assert not (landing / "tinjauan").exists()
    written = (tmp_path / "truth.json").read_text(encoding="utf-8")
    assert written == json.dumps(first_truth, indent=2, ensure_ascii=False) + "\n"


def test_another_seed_gives_other_people_but_the_same_figures(demo_run, tmp_path):
    _, first_landing, first_truth = demo_run
    assert main(["--landing", str(tmp_path), "--truth", str(tmp_path / "t.json"), "--seed", "7"]) == 0
    other = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    assert snapshot(tmp_path / "p3ke") != snapshot(first_landing / "p3ke")
    for key in ("iuran", "kumulatif"):
        assert other["ringkasan"][key] == first_truth["ringkasan"][key]
    assert other["bulanan"][0]["ditagih"] == other["bulanan"][0]["baru"] == 1333
    assert other["ringkasan"]["peserta"]["ditagih"] == 16590
    assert other["ringkasan"]["peserta"]["dari_p3ke"] == 5174
