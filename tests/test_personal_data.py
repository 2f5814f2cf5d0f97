"""No personal data (UU 27/2022) where it must not be: logs, alerts, Data Docs, shareable reports.

One good run and one failing run of the whole chain through Airflow on the hand-written landing
(tests/e2e/landing_kecil.py), on SQLite and on PostgreSQL. Everything they leave for people to read
is captured and searched for every NIK, name and birth date of every P3KE, roster and claims row:
- every log line: the run's stdout and stderr, every file under the Airflow home's logs folder and
  any other *.log file the runs write, and the Airflow metadata DB (XComs and rendered fields the UI
  shows);
- every alert, as the raw SMTP message and its decoded parts;
- every Data Docs file (everything under data_docs) and the matcher's model files;
- every other file the runs write under RENTAN_DATA but the Parquet staging (which holds the rows by
  design, readable by its owner alone): file lists, fingerprints, the last error;
- the shareable outputs laporan.html, laporan.xlsx (its XML), rekap_iuran.csv, ringkasan.json.
Shareable reports show NIK masked (130304******0001) and, by PRODUCT.md, may show names; they must
not show a birth date, which together with the masked NIK would give the full NIK back (its middle
six digits are the birth date). The internal CSVs (rincian_iuran, calon_peserta, perlu_tinjauan,
karantina) carry full NIKs by contract and are used here only to prove the search finds what it seeks.
"""

from __future__ import annotations

import csv
import datetime as dt
import email
import email.policy
import re
import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.e2e.conftest import Inbox, Rentan, make_rentan, migrated_airflow_home, smtp_server
from tests.e2e.landing_kecil import KLAIM_ROWS, P3KE_HEADER, P3KE_ROWS, PESERTA_ROWS, write_landing

pytestmark = pytest.mark.e2e

PERIODE = "2025-07"
SHAREABLE = ("laporan.html", "laporan.xlsx", "rekap_iuran.csv", "ringkasan.json")
NIK_FREE = ("rekap_iuran.csv", "ringkasan.json")
EXCEL_EPOCH = dt.date(1899, 12, 30)


# ---------------------------------------------------------------- what is personal in the landing


def _date(text: str) -> dt.date:
    for pattern in ("%d-%m-%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            pass
    raise ValueError(text)


@dataclass
class Personal:
    """Every NIK, name and birth date of the landing, as regular expressions over text."""

    niks: list[str]
    names: list[str]
    birth_dates: list[dt.date]

    @classmethod
    def of_landing(cls) -> Personal:
        niks = [r[3] for r in P3KE_ROWS] + [r[1] for r in PESERTA_ROWS] + [r[1] for r in KLAIM_ROWS]
        names = [r[2] for r in P3KE_ROWS] + [r[2] for r in PESERTA_ROWS]
        dates = [_date(r[5]) for r in P3KE_ROWS] + [_date(r[3]) for r in PESERTA_ROWS]
        return cls(sorted(set(niks)), sorted(set(names)), sorted(set(dates)))

    def nik_patterns(self) -> dict[str, re.Pattern]:
        """A NIK as its digits with at most one space, dot or dash between any two (1303 0412 0380 0001),
        and a 16-digit NIK also as its first 15 digits (what Excel keeps of it)."""
        patterns = {}
        for nik in self.niks:
            forms = [nik] + ([nik[:15]] if len(nik) == 16 else [])
            for form in forms:
                body = r"[ .\-]?".join(form)
                patterns[form] = re.compile(rf"(?<!\d){body}")
        return patterns

    def name_patterns(self) -> dict[str, re.Pattern]:
        """A name in any case, as a whole word (so 'Warga 1' does not hit 'Warga 12')."""
        return {n: re.compile(rf"(?<!\w){re.escape(n)}(?!\w)", re.IGNORECASE) for n in self.names}

    def date_patterns(self, excel: bool = False) -> dict[str, re.Pattern]:
        """A birth date as YYYY-MM-DD, DD-MM-YYYY and DD/MM/YYYY; in a workbook's XML also as the
        Excel serial number of a date cell."""
        patterns = {}
        for day in self.birth_dates:
            for form in (day.strftime("%Y-%m-%d"), day.strftime("%d-%m-%Y"), day.strftime("%d/%m/%Y")):
                patterns[form] = re.compile(rf"(?<!\d){re.escape(form)}(?!\d)")
            if excel:
                serial = (day - EXCEL_EPOCH).days
                patterns[f"{day} (Excel {serial})"] = re.compile(rf"<v>{serial}(\.0+)?</v>")
        return patterns


def find(haystack: dict[str, str], patterns: dict[str, re.Pattern]) -> list[str]:
    """'<what> in <where>: ...context...' for every pattern found in every captured text."""
    hits = []
    for where, text in haystack.items():
        for what, pattern in patterns.items():
            match = pattern.search(text)
            if match:
                context = text[max(0, match.start() - 80) : match.end() + 40].replace("\n", " ")
                hits.append(f"{what!r} in {where}: ...{context}...")
    return hits


# ---------------------------------------------------------------- the runs and what they leave


@dataclass
class Capture:
    logs: dict[str, str] = field(default_factory=dict)
    alerts: dict[str, str] = field(default_factory=dict)
    docs: dict[str, str] = field(default_factory=dict)
    other: dict[str, str] = field(default_factory=dict)
    shareable: dict[str, str] = field(default_factory=dict)
    internal: dict[str, str] = field(default_factory=dict)

    def size(self, part: str) -> int:
        return sum(len(text) for text in getattr(self, part).values())


@pytest.fixture(scope="module")
def airflow_home(tmp_path_factory) -> Path:
    """This module's own Airflow home, so its logs folder holds these runs only."""
    return migrated_airflow_home(tmp_path_factory.mktemp("airflow_home_personal"))


@pytest.fixture
def rentan(tmp_path, airflow_home, warehouse_url) -> Rentan:
    return make_rentan(tmp_path, airflow_home, warehouse_url,
                       AIRFLOW__LOGGING__BASE_LOG_FOLDER=str(airflow_home / "logs"))


@pytest.fixture
def inbox(rentan):
    with smtp_server(rentan) as handler:
        yield handler


def write_bad_p3ke(landing: Path) -> Path:
    """A second P3KE file with half of its NIKs broken: over the 5 % quarantine limit."""
    bad = landing / "p3ke" / "p3ke_tambahan.csv"
    with open(bad, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(P3KE_HEADER)
        for i, row in enumerate(P3KE_ROWS[:20]):
            writer.writerow([row[0], f"X{i}", row[2], "12345" if i % 2 else row[3], *row[4:9], "YA"])
    return bad


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")


def _xlsx_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "\n".join(archive.read(name).decode("utf-8", errors="replace") for name in archive.namelist())


def _mail_texts(raw: bytes) -> list[str]:
    """The raw message, and every part decoded (base64 or quoted-printable hide text from a raw search)."""
    texts = [raw.decode("utf-8", errors="replace")]
    message = email.message_from_bytes(raw, policy=email.policy.default)
    texts += [f"{name}: {value}" for name, value in message.items()]
    for part in message.walk():
        if not part.is_multipart():
            payload = part.get_payload(decode=True) or b""
            texts.append(payload.decode(part.get_content_charset() or "utf-8", errors="replace"))
    return texts


def capture(rentan: Rentan, airflow_home: Path, runs: list[subprocess.CompletedProcess], inbox: Inbox) -> Capture:
    captured = Capture()
    for index, run in enumerate(runs):
        captured.logs[f"run {index} stdout"] = run.stdout
        captured.logs[f"run {index} stderr"] = run.stderr
    log_files = set((airflow_home / "logs").rglob("*")) | set(rentan.root.rglob("*.log")) | set(
        airflow_home.rglob("*.log"))
    for path in sorted(p for p in log_files if p.is_file()):
        captured.logs[str(path)] = _read(path)
    metadata = airflow_home / "airflow.db"
    captured.logs[str(metadata)] = _read(metadata)  # XComs, rendered fields, run confs, the UI's event log
    for index, raw in enumerate(inbox.raw):
        for part, text in enumerate(_mail_texts(raw)):
            captured.alerts[f"alert {index} part {part}"] = text
    data = rentan.root / "data"
    for path in sorted(p for p in data.rglob("*") if p.is_file() and p.suffix != ".parquet"):
        name = str(path.relative_to(data))
        if name.startswith(("data_docs/", "models/")):
            captured.docs[name] = _read(path)
        elif path.name == "last_error.txt":  # the failed run's reason, as the command line prints it
            captured.logs[name] = _read(path)
        else:  # the staging area's JSON and text (file lists, fingerprints, summaries)
            captured.other[name] = _read(path)
    reports = rentan.reports / PERIODE
    for name in SHAREABLE:
        path = reports / name
        captured.shareable[name] = _xlsx_xml(path) if name.endswith(".xlsx") else _read(path)
    for name in ("rincian_iuran.csv", "calon_peserta.csv", "perlu_tinjauan.csv", "karantina.csv"):
        captured.internal[name] = _read(reports / name)
    return captured


@pytest.fixture
def captured(rentan, airflow_home, inbox) -> Capture:
    write_landing(rentan.landing)
    good = rentan.run(PERIODE)
    assert good.returncode == 0, good.stdout[-3000:] + good.stderr[-3000:]
    write_bad_p3ke(rentan.landing)
    failed = rentan.run(PERIODE)
    assert failed.returncode != 0, failed.stdout[-3000:]
    return capture(rentan, airflow_home, [good, failed], inbox)


# ---------------------------------------------------------------- the test


def test_no_nik_name_or_birth_date_in_logs_alerts_data_docs_or_shareable_reports(captured):
    personal = Personal.of_landing()
    niks, names, dates = personal.nik_patterns(), personal.name_patterns(), personal.date_patterns()
    xlsx_dates = personal.date_patterns(excel=True)
    assert len(personal.niks) >= 70 and len(personal.names) >= 70 and len(personal.birth_dates) >= 20

    # The captures are real: not empty, and holding what these runs are known to have said.
    logs = "\n".join(captured.logs.values())
    assert captured.size("logs") > 50_000
    for marker in ("[rentan] rentan_report: success", "ingested p3ke:", '"baris": 42', '"karantina": 2',
                   '"calon_peserta": 2', "p3ke/p3ke_tambahan.csv", "NIK_FORMAT=11", "rentan: GAGAL"):
        assert marker in logs, marker
    assert len({k for k in captured.alerts if k.startswith("alert ")}) >= 3, "one alert, raw and decoded"
    alerts = "\n".join(captured.alerts.values())
    for marker in ("rentan_ingest", "p3ke/p3ke_tambahan.csv", "NIK_FORMAT=11", "55.0 %"):
        assert marker in alerts, marker
    pages = [k for k in captured.docs if k.startswith("data_docs") and k.endswith(".html")]
    assert len(pages) >= 8 and sum(k.endswith("/index.html") for k in pages) == 2, "a site per run"
    docs = "\n".join(captured.docs.values())
    for marker in ("p3ke_sijunjung.csv", "peserta_2025-07-31.csv", '"element_count": 42', '"element_count": 62'):
        assert marker in docs, marker
    assert "Rp 99.000" in captured.shareable["laporan.html"]
    assert "Juli 2025" in captured.shareable["laporan.xlsx"] and "Calon Peserta" in captured.shareable["laporan.xlsx"]
    assert "TIDAK DIKETAHUI" in captured.shareable["rekap_iuran.csv"]
    assert '"baris_masuk": 42' in captured.shareable["ringkasan.json"].replace(" ", "").replace(":", ": ")

    # The search finds what it seeks: the internal CSVs carry full NIKs, names and birth dates.
    internal = find(captured.internal, {**niks, **names, **dates})
    assert any("'1303041203800001' in rincian_iuran.csv" in h for h in internal)
    assert any("'Yusnimar' in calon_peserta.csv" in h for h in internal)
    assert any("'1982-06-15' in calon_peserta.csv" in h for h in internal)
    assert any("'Hendri Saputra' in perlu_tinjauan.csv" in h for h in internal)

    # Nothing personal where people read.
    assert find(captured.logs, {**niks, **names, **dates}) == []
    assert find(captured.alerts, {**niks, **names, **dates}) == []
    assert find(captured.docs, {**niks, **names, **dates}) == []
    assert len(captured.other) >= 4 and find(captured.other, {**niks, **names, **dates}) == []
    shareable_text = {k: v for k, v in captured.shareable.items() if not k.endswith(".xlsx")}
    assert find(shareable_text, {**niks, **dates}) == []
    assert find({"laporan.xlsx": captured.shareable["laporan.xlsx"]}, {**niks, **xlsx_dates}) == []
    assert find({k: captured.shareable[k] for k in NIK_FREE}, names) == []

    # Shareable reports show NIK masked: the registration area and the serial, nothing between.
    # Calon peserta P002 and P007, perlu tinjauan P009 and its candidate; the bills in the workbook only.
    listed = ("1303045506820002", "1303030707770007", "1303030202900010", "1303030202900001")
    for nik in (*listed, "1303041203800001"):
        masked = f"{nik[:6]}******{nik[-4:]}"
        assert masked in captured.shareable["laporan.xlsx"], masked
        assert nik not in listed or masked in captured.shareable["laporan.html"], masked
    shown = re.findall(r"\d{6}\*{6}\d{4}|\*{16}", captured.shareable["laporan.html"])
    assert len(shown) == 7, shown  # every NIK cell of the page: 2 calon, 2 tinjauan (P009, candidate), 3 karantina
