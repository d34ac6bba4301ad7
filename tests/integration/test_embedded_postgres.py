"""Where the PostgreSQL-marked tests run: ``INFOBANK_TEST_POSTGRES_URL`` when set, else one
embedded server (pgserver) for the session, on its own unix socket; without either they skip
saying why, or fail when PostgreSQL is required."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest
from sqlalchemy import text

from infobank.adapters.db.embedded import EmbeddedPostgresUnavailable, embedded_postgres
from infobank.adapters.db.engine import make_engine
from tests.support import db


@pytest.mark.postgres
def test_the_session_database_answers_and_is_embedded_unless_configured(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT 1")).scalar_one() == 1
            sockets = conn.execute(text("SHOW unix_socket_directories")).scalar_one()
            listening = conn.execute(text("SHOW listen_addresses")).scalar_one()
    finally:
        engine.dispose()

    if not os.environ.get(db.POSTGRES_ENV):  # its own socket in a temporary folder, no TCP port
        assert "infobank-pg-" in sockets
        assert listening == ""


@pytest.fixture
def no_pgserver(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    db.hide_pgserver(monkeypatch)
    monkeypatch.delenv(db.POSTGRES_ENV, raising=False)
    monkeypatch.delenv(db.REQUIRE_ENV, raising=False)
    return monkeypatch


def test_without_a_url_or_pgserver_postgres_tests_skip_saying_why(
    no_pgserver: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(pytest.skip.Exception, match="pgserver"), db.postgres_url():
        pass


def test_without_a_url_or_pgserver_required_postgres_tests_fail(
    no_pgserver: pytest.MonkeyPatch,
) -> None:
    no_pgserver.setenv(db.REQUIRE_ENV, "1")

    with pytest.raises(pytest.fail.Exception, match="pgserver.*required"), db.postgres_url():
        pass


def test_a_configured_url_is_used_and_no_server_is_started(
    no_pgserver: pytest.MonkeyPatch,
) -> None:
    no_pgserver.setenv(db.POSTGRES_ENV, "postgresql+psycopg://postgres@db.invalid/test")

    with db.postgres_url() as url:
        assert url == "postgresql+psycopg://postgres@db.invalid/test"


@pytest.mark.skipif(importlib.util.find_spec("pgserver") is None, reason="pgserver not installed")
def test_a_fresh_start_never_empties_a_folder_that_holds_other_things(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me")

    with pytest.raises(EmbeddedPostgresUnavailable, match="not a PostgreSQL data folder"):
        with embedded_postgres(tmp_path, fresh=True):
            pass

    assert (tmp_path / "notes.txt").read_text() == "keep me"
