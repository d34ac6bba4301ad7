"""Fixtures shared by the integration and end-to-end tiers: a wired bank on SQLite and,
marked ``postgres``, on PostgreSQL; and an HTTP client on the app."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from infobank.bootstrap import Bank, bootstrap
from infobank.entrypoints.api.app import create_app
from tests.fakes import FakeClock
from tests.support import db

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
POSTGRES_USED = pytest.StashKey[str]()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return db.make_sqlite_template(tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="session")
def postgres_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """The session's PostgreSQL, started at the first test that needs it (see ``db``)."""
    with db.postgres_url() as url:
        embedded = not os.environ.get(db.POSTGRES_ENV)
        request.config.stash[POSTGRES_USED] = (
            f"an embedded PostgreSQL (pgserver): {url}" if embedded else db.POSTGRES_ENV
        )
        yield url


@pytest.fixture(scope="session")
def postgres_run_schema(postgres_url: str) -> Iterator[tuple[str, str]]:
    with db.postgres_schema(postgres_url) as schema:
        yield postgres_url, schema


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(params=BACKENDS)
def bank(request: pytest.FixtureRequest, tmp_path: Path, clock: FakeClock) -> Iterator[Bank]:
    """``@pytest.mark.settings(name=value, …)`` on a test or module changes its settings."""
    marker = request.node.get_closest_marker("settings")
    overrides = dict(marker.kwargs) if marker else {}
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        settings = db.sqlite_settings(template, tmp_path, **overrides)
    else:
        url, schema = request.getfixturevalue("postgres_run_schema")
        settings = db.postgres_settings(url, schema, tmp_path, **overrides)
    wired = bootstrap(settings, clock=clock)
    if request.param == "postgres":
        db.truncate_all(wired.engine)
    try:
        yield wired
    finally:
        wired.close()


@pytest.fixture
def client(bank: Bank) -> Iterator[TestClient]:
    with TestClient(create_app(bank=bank)) as test_client:
        yield test_client


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how the PostgreSQL-marked tests went, so CI output shows they ran."""
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    for outcome in counts:
        for report in terminalreporter.stats.get(outcome, []):
            if "postgres" in getattr(report, "keywords", {}) and report.when in ("call", "setup"):
                if outcome != "passed" or report.when == "call":
                    counts[outcome] += 1
    terminalreporter.write_line(
        "postgres-marked tests: {passed} passed, {failed} failed, {skipped} skipped".format(
            **counts
        )
    )
    if used := terminalreporter.config.stash.get(POSTGRES_USED, None):
        terminalreporter.write_line(f"postgres-marked tests ran on {used}")
