"""get_engine: which URLs it takes and how it sets the embedded database up."""

from __future__ import annotations

from pathlib import Path

import pytest

from include.warehouse import create_schema, get_engine


def test_the_sqlite_file_gets_its_folder_wal_foreign_keys_and_busy_timeout(tmp_path):
    engine = get_engine(f"sqlite:///{tmp_path / 'nested' / 'folder' / 'warehouse.sqlite'}")
    create_schema(engine)

    assert (tmp_path / "nested" / "folder" / "warehouse.sqlite").is_file()
    assert (tmp_path / "nested" / "folder" / "warehouse.sqlite").stat().st_mode & 0o777 == 0o600  # full NIKs
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar_one() == 30_000
    engine.dispose()


def test_a_relative_sqlite_path_is_taken_from_the_project_root(tmp_path, monkeypatch):
    monkeypatch.setattr("include.warehouse.dialects.PROJECT_ROOT", tmp_path)

    engine = get_engine("sqlite:///data/warehouse.sqlite")

    assert Path(engine.url.database) == tmp_path / "data" / "warehouse.sqlite"
    assert (tmp_path / "data").is_dir()


def test_postgresql_urls_use_psycopg_3():
    engine = get_engine("postgresql://postgres@127.0.0.1:5432/rentan")  # no connection is made

    assert engine.url.drivername == "postgresql+psycopg"


@pytest.mark.parametrize(
    ("url", "fix"),
    [
        ("sqlite://", "sqlite:////absolute/path"),
        ("sqlite:///:memory:", "sqlite:////absolute/path"),
        ("postgresql+psycopg2://postgres:secret@db/rentan", "postgresql\\+psycopg://"),
        ("mysql://root:secret@db/rentan", "RENTAN_WAREHOUSE_URL"),
    ],
)
def test_unsupported_urls_say_what_to_use_without_the_password(url, fix):
    with pytest.raises(ValueError, match=fix) as failure:
        get_engine(url)

    assert "secret" not in str(failure.value)
