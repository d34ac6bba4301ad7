"""Databases for tests: a migrated SQLite template copied per test, and one PostgreSQL schema
per test run (migrated once, truncated between tests) so runs never collide. The PostgreSQL is
``INFOBANK_TEST_POSTGRES_URL`` when set, else an embedded one (pgserver) for the session."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import NoReturn

import pytest
from sqlalchemy import Engine, text

from infobank.adapters.db.embedded import EmbeddedPostgresUnavailable, embedded_postgres
from infobank.adapters.db.engine import make_engine
from infobank.adapters.db.migrate import upgrade
from infobank.adapters.db.models import Base  # the package registers every table
from infobank.config import Settings

POSTGRES_ENV = "INFOBANK_TEST_POSTGRES_URL"
REQUIRE_ENV = "INFOBANK_REQUIRE_POSTGRES"

FAST_HASHING = {"argon2_time_cost": 1, "argon2_memory_kib": 1024, "argon2_parallelism": 1}


@contextmanager
def postgres_url() -> Iterator[str]:
    """The URL of the PostgreSQL to test on: ``INFOBANK_TEST_POSTGRES_URL`` if set, else an
    embedded server in a temporary folder, stopped and removed when the block ends. If neither
    can be had the test skips, or fails under ``INFOBANK_REQUIRE_POSTGRES=1``."""
    url = os.environ.get(POSTGRES_ENV)
    if url:
        yield url
        return
    folder = Path(tempfile.mkdtemp(prefix="infobank-pg-"))
    with ExitStack() as running:
        running.callback(shutil.rmtree, folder, ignore_errors=True)
        try:
            url = running.enter_context(embedded_postgres(folder / "data"))
        except EmbeddedPostgresUnavailable as exc:
            cannot_run(f"{POSTGRES_ENV} is not set and {exc}")
        yield url


def hide_pgserver(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make importing pgserver fail, as on a machine without it (even once it is loaded)."""
    for name in ("pgserver", "pgserver.postgres_server"):
        monkeypatch.setitem(sys.modules, name, None)


def cannot_run(reason: str) -> NoReturn:
    """Skip a PostgreSQL test that cannot run, or fail it when they are required."""
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{reason}, but PostgreSQL tests are required ({REQUIRE_ENV}=1)")
    pytest.skip(reason)


def make_sqlite_template(folder: Path) -> Path:
    path = folder / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()  # the last connection to close checkpoints the WAL into the file
    assert not Path(f"{path}-wal").exists()
    return path


def sqlite_settings(template: Path, folder: Path, **overrides: object) -> Settings:
    db = folder / "infobank.db"
    shutil.copyfile(template, db)
    values: dict[str, object] = {
        "database_url": f"sqlite:///{db}",
        "home": folder / "home",
        **FAST_HASHING,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@contextmanager
def postgres_schema(url: str) -> Iterator[str]:
    """A fresh migrated schema for this run, dropped afterwards."""
    schema = f"t_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    engine = make_engine(url, schema=schema)
    try:
        upgrade(engine)
        yield schema
    finally:
        engine.dispose()
        admin = make_engine(url)
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def truncate_all(engine: Engine) -> None:
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


def postgres_settings(url: str, schema: str, folder: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": url,
        "db_schema": schema,
        "home": folder / "home",
        **FAST_HASHING,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def row_counts(engine: Engine, *tables: str) -> dict[str, int]:
    """How many rows each table holds, to show a refused request wrote nothing."""
    with engine.connect() as conn:
        return {
            t: int(conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one()) for t in tables
        }
