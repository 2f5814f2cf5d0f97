"""The bad-input corpus through the real ingest stage: each file's exact outcome (tests/corpus/cases.py)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from include import pipeline
from include.pipeline import ValidationFailed, ingest
from include.settings import Settings
from include.sources import SourceFileError
from include.sources.staging import read_staged
from tests.corpus import build
from tests.corpus.cases import CASES, Case, Fails, Loads

PERIODS = ["2025-07"]
FILES = build.build()  # also fills build.PEOPLE, ROSTER and CLAIMS


def settings_for(root: Path) -> Settings:
    return Settings(landing=str(root / "landing"), reports=str(root / "reports"),
                    warehouse_url=f"sqlite:///{root / 'warehouse.sqlite'}", region="13.03", data_dir=str(root / "data"))


def drop(settings: Settings, relative: str) -> Path:
    """Put a corpus file where it belongs in the landing zone (the corpus mirrors its folders)."""
    target = Path(settings.landing) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes((build.CORPUS / relative).read_bytes())
    return target


def personal_values() -> set[str]:
    people = [*build.PEOPLE.values(), *build.ROSTER.values()]
    return {v for p in people for v in (p.nama, p.nik, p.tanggal_lahir.isoformat(), getattr(p, "kpj", p.nik))}


def plain(value: object) -> object:
    """A staged cell as a plain Python value: None for missing, int, bool, date, str."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "item") and not isinstance(value, str | dt.date):
        return value.item()
    return value


def truth(source: str, row: pd.Series) -> dict:
    if source == "p3ke":
        return build.PEOPLE[row["id_individu"]].normalised()
    if source == "peserta":
        return build.ROSTER[row["kpj"]].normalised()
    return build.CLAIMS[int(row["baris"])].normalised()


def test_corpus_files_are_what_build_writes():
    for relative, data in FILES.items():
        assert (build.CORPUS / relative).read_bytes() == data, f"{relative}: run python -m tests.corpus.build"


def test_every_corpus_file_has_a_case():
    used = {f for case in CASES for f in (*case.files, case.roster, case.replaced_by) if f}
    assert used == set(FILES)
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_corpus_file_outcome(case: Case, tmp_path, monkeypatch):
    settings = settings_for(tmp_path)
    if case.roster:
        drop(settings, case.roster)
        ingest("peserta", settings, PERIODS, "corpus")
    for relative in case.files:
        drop(settings, relative)
    if case.replaced_by or case.removed:
        listed = pipeline.list_files

        def list_then_change(landing, spec, **options):
            files = listed(landing, spec, **options)
            target = Path(landing) / case.files[0]
            if case.removed:
                target.unlink()
            else:
                target.write_bytes((build.CORPUS / case.replaced_by).read_bytes())
            return files

        monkeypatch.setattr(pipeline, "list_files", list_then_change)
    staged = Path(settings.staging) / "dataset" / f"{case.source}.parquet"

    if isinstance(case.outcome, Fails):
        with pytest.raises((SourceFileError, ValidationFailed)) as caught:
            ingest(case.source, settings, PERIODS, "corpus")
        message = str(caught.value)
        assert type(caught.value).__name__ == case.outcome.kind
        assert message == case.outcome.error
        assert "\n" not in message and not re.search(r"\d{8,}", message)
        assert not [v for v in personal_values() if v in message]
        assert not staged.exists()
        return

    outcome: Loads = case.outcome
    summary = ingest(case.source, settings, PERIODS, "corpus")
    frame = read_staged(staged)
    names = [Path(f).name for f in case.files]
    assert frame["baris"].tolist() == list(outcome.baris)
    assert set(frame["berkas"]) == {names[0]}
    bad = frame[frame["alasan"] != ""]
    assert list(zip(bad["berkas"], bad["baris"].tolist(), bad["alasan"], strict=True)) == list(outcome.karantina)
    assert (summary["berkas"], summary["baris"], summary["karantina"]) == (
        len(names), len(outcome.baris), len(outcome.karantina))
    for column in outcome.absent:
        assert column not in frame.columns

    good = frame[frame["alasan"] == ""]
    assert set(outcome.rows) <= set(good["baris"])
    for _, row in good.iterrows():
        literal = outcome.rows.get(int(row["baris"]), {})
        expected = {k: v for k, v in truth(case.source, row).items() if k not in outcome.absent} | literal
        actual = {k: plain(row[k]) if k in row.index else "<no column>" for k in expected}
        assert actual == expected, f"row {row['baris']}"
    key = {"p3ke": "id_individu", "peserta": "kpj", "klaim": "baris"}[case.source]
    assert good[key].tolist() == sorted(good[key]), "rows keep the file's order"

    audit = json.loads((staged.parent / f"{case.source}_berkas.json").read_text(encoding="utf-8"))
    assert {f["berkas"]: f["duplikat_dari"] for f in audit} == {n: outcome.duplikat.get(n) for n in names}
