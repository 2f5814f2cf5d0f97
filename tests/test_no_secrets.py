"""No credential in the repository: every file git tracks is searched for passwords, keys and tokens.

Connections come from the environment (include/settings.py reads RENTAN_*, Airflow reads
AIRFLOW_CONN_*; docker-compose.yaml takes every secret as a required ${VAR:?...}). What this test
accepts as not-a-secret: a reference to the environment (${VAR}, ${VAR:?message}, $VAR, $$VAR,
os.environ...), a value built at run time, and the few values listed in ALLOWED, each a dummy or a
placeholder with its reason. Anything else that looks like a credential fails the test, with the
file and line (never the value).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Key names whose literal value would be a credential.
_KEY = r"(?:password|passwd|pwd|secret|secret_key|api_key|apikey|access_key|token|fernet_key|private_key)"
PATTERNS = {
    # scheme://user:password@host
    "password in a URL": re.compile(r"[a-z][a-z0-9+.\-]*://[^\s/:@'\"<>]+:(?P<value>[^\s@/'\"<>]+)@", re.I),
    # password = "x", "password": "x", PASSWORD: x (YAML, .env, .ini, JSON, Python keyword arguments); the
    # value is on the same line (a Python condition on a password, or a YAML key with a block below, is none)
    "credential assigned": re.compile(
        rf"(?<![A-Za-z0-9]){_KEY}['\"]?[ \t]*[=:][ \t]*(?P<quote>['\"]?)(?P<value>[^\s'\",;}})]*)(?P=quote)", re.I),
    # SQL: CREATE/ALTER ROLE ... PASSWORD 'x'
    "password in SQL": re.compile(r"\bPASSWORD\s+'(?P<value>[^']*)'", re.I),
    "private key": re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"),
    "AWS access key id": re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA|AIDA|AROA)[0-9A-Z]{16}(?![A-Z0-9])"),
    "AWS secret access key": re.compile(r"aws_secret_access_key\s*[=:]\s*['\"]?(?P<value>[A-Za-z0-9/+=]{40})", re.I),
    "Slack token or webhook": re.compile(r"xox[abposr]-[A-Za-z0-9-]{10,}|hooks\.slack\.com/services/T[A-Za-z0-9]+/"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36}\b|\bgithub_pat_[A-Za-z0-9_]{40,}"),
    "SMTP login with password": re.compile(r"smtps?://[^\s/:@'\"]+:(?P<value>[^\s@/'\"]+)@", re.I),
}

# A value that only names where the secret comes from, or a variable, is not a secret.
_REFERENCE = re.compile(
    r"""^(?:
        \$\{[A-Za-z_][A-Za-z0-9_]*(?::?[-?][^}]*)?\}?   # ${VAR}, ${VAR:?message}, ${VAR:-default} (maybe cut at a space)
      | \$\$?[A-Za-z_][A-Za-z0-9_]*                   # $VAR, $$VAR (compose escape)
      | \{[A-Za-z_][A-Za-z0-9_.]*\}                    # {password}: a format placeholder filled at run time
      | %\([a-z_]+\)s | %s                            # DB-API parameters
      | \.\.\. | <[^>]*> | \*+                         # documentation placeholders: ..., <password>, ****
      | [A-Za-z_][A-Za-z0-9_.]*(?:\(.*)?               # a Python name or call: password=password, os.environ.get(...)
    )$""",
    re.X,
)

# (file, value) pairs that look like credentials and are not, each with its reason. Keep it short.
ALLOWED = {
    ("docker-compose.yaml", "pw"): "psql variable :'pw' in warehouse-init; its value is $RENTAN_DB_PASSWORD",
    ("tests/test_docker_compose.py", "pw"): "dummy environment for `docker compose config` (no server runs)",
    ("tests/test_docker_compose.py", "k"): "dummy environment for `docker compose config`",
    ("tests/test_docker_compose.py", "j"): "dummy environment for `docker compose config`",
    ("tests/test_docker_compose.py", "s"): "dummy environment for `docker compose config`",
    ("tests/test_docker_compose.py", "a"): "dummy environment for `docker compose config`",
    ("tests/test_docker_compose.py", "probe-pw"): "password of a throw-away role the init-script test drops",
}


def _inside_reference(text: str, position: int) -> bool:
    opening = text.rfind("${", 0, position)
    return opening != -1 and not any(c in text[opening:position] for c in "}\n")


def tracked_files() -> list[str]:
    listing = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
    return [name for name in listing.stdout.decode().split("\0") if name]


def findings(path: str, text: str) -> list[str]:
    """'<path>:<line>: <kind>' for every credential-looking match that is neither a reference nor allowed."""
    found = []
    for kind, pattern in PATTERNS.items():
        for match in pattern.finditer(text):
            value = match.groupdict().get("value")
            if value is not None and (value == "" or _REFERENCE.match(value) or (path, value) in ALLOWED):
                continue
            if _inside_reference(text, match.start()):  # the name inside ${POSTGRES_PASSWORD:?...}
                continue
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"{path}:{line}: {kind}")
    return found


def test_no_tracked_file_holds_a_credential():
    files = tracked_files()
    assert len(files) > 100 and "docker-compose.yaml" in files and "include/settings.py" in files
    scanned, found = 0, []
    for name in files:
        path = ROOT / name
        if not path.is_file():  # deleted in the working tree
            continue
        data = path.read_bytes()
        if b"\0" in data[:8192]:  # binary (workbooks of the corpus): only a key block could hide there
            found += [f"{name}: private key" for _ in re.finditer(rb"-----BEGIN [A-Z0-9 ]*PRIVATE KEY", data)]
            continue
        scanned += 1
        found += findings(name, data.decode("utf-8", errors="replace"))
    assert scanned > 100
    assert found == [], "credentials in the repository (move them to the environment):\n" + "\n".join(found)


def test_every_allowed_value_is_still_there():
    """An allowance whose value left its file must go too, so the list cannot grow stale."""
    for path, value in ALLOWED:
        text = (ROOT / path).read_text(encoding="utf-8")
        assert any(m.groupdict().get("value") == value for p in PATTERNS.values() for m in p.finditer(text)), (
            path, value)


# The samples are assembled at run time so that this file holds no credential-looking literal itself.
_PW = "s3cr" + "et-Valu3"
LEAKS = [
    f"RENTAN_WAREHOUSE_URL=postgresql+psycopg://rentan:{_PW}@db:5432/rentan",
    f"AIRFLOW_CONN_RENTAN_SMTP=smtp://rentan:{_PW}@mail.example:587",
    '{"conn_type": "smtp", "login": "rentan", "pass' + f'word": "{_PW}"}}',
    "POSTGRES_PASS" + f"WORD: {_PW}",
    "engine = connect(pass" + f"word='{_PW}')",
    "ALTER ROLE rentan PASS" + f"WORD '{_PW}';",
    "-----BEGIN OPENSSH " + "PRIVATE KEY-----",
    "-----BEGIN " + "PRIVATE KEY-----",
    "aws_access_key_id = " + "AKIA" + "ABCDEFGHIJKLMNOP",
    "aws_secret_access_key = " + "A" * 20 + "b/" * 10,
    "AIRFLOW__CORE__FERNET_" + "KEY=" + "Zm9v" * 10 + "YmE=",
    "RENTAN_ALERT_WEBHOOK=https://hooks.slack.com/services/" + "T0000/B0000/XXXX",
    "token: " + "gh" + "p_" + "a1" * 18,
]
NOT_LEAKS = [
    "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN: postgresql+psycopg2://airflow:${POSTGRES_PASSWORD:?set it}@postgres/airflow",
    "POSTGRES_PASS" + "WORD: ${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}",
    "PGPASS" + "WORD=$$RENTAN_DB_PASSWORD",
    'psycopg.connect(info, pass' + 'word=password, autocommit=True)',
    '"pass' + 'word":"..."',
    "postgresql+psycopg://postgres@127.0.0.1:5432/rentan",
    "smtp://127.0.0.1:2525?disable_tls=true&from_email=rentan%40localhost",
    "_execute_composed(conn, 'ALTER ROLE {role} LOGIN PASS" + "WORD {password}')",
]


@pytest.mark.parametrize("sample", LEAKS)
def test_the_scan_finds_each_kind_of_credential(sample):
    assert findings("sample.txt", sample), sample


@pytest.mark.parametrize("sample", NOT_LEAKS)
def test_the_scan_lets_references_to_the_environment_pass(sample):
    assert findings("sample.txt", sample) == [], sample
