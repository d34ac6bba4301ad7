"""Fixtures shared by the integration and end-to-end tiers: a wired bank on SQLite and,
marked ``postgres``, on PostgreSQL; and an HTTP client on the app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from infobank.bootstrap import Bank, bootstrap
from infobank.entrypoints.api.app import create_app
from tests.fakes import FakeClock
from tests.support import db

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return db.make_sqlite_template(tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="session")
def postgres_run_schema() -> Iterator[tuple[str, str]]:
    url = db.postgres_url()
    assert url is not None
    with db.postgres_schema(url) as schema:
        yield url, schema


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
