"""``infobank log verify`` against a real database (SQLite and PostgreSQL): it passes an
untouched log, and fails naming the first bad index when leaves are changed, deleted or
reordered in the tables, or when a signed head is tampered with."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from typer.testing import CliRunner

from infobank.adapters.crypto.signer import JwksVerifier
from infobank.adapters.log_http import HttpLogSource
from infobank.bootstrap import Bank
from infobank.entrypoints.api.app import create_app
from infobank.entrypoints.cli.main import app
from infobank.services.log_verify import verify
from tests.support import log

HEADS = [8, 21, 40]
SIZE = 45  # the last five leaves are under no signed head yet


# Reading the tables is all that differs between databases: PostgreSQL gets one case of each
# kind, SQLite every case.
ON_POSTGRES = ("leaf text and stored hash changed", "leaf deleted", "leaves swapped")


def sqlite_only(*params: str) -> list[Any]:
    return [pytest.param("sqlite", *params, id="-".join(("sqlite", *params)))]


def both(*params: str) -> list[Any]:
    pg = pytest.param(
        "postgres", *params, marks=pytest.mark.postgres, id="-".join(("postgres", *params))
    )
    return [*sqlite_only(*params), pg]


@pytest.fixture
def cli(
    bank: Bank, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., tuple[int, dict[str, Any], str]]:
    """Run ``infobank log verify --json`` on the bank's database, as an operator would."""
    monkeypatch.setenv("INFOBANK_DATABASE_URL", bank.settings.database_url)
    monkeypatch.setenv("INFOBANK_HOME", str(bank.settings.home))
    if bank.settings.db_schema:
        monkeypatch.setenv("INFOBANK_DB_SCHEMA", bank.settings.db_schema)
    else:
        monkeypatch.delenv("INFOBANK_DB_SCHEMA", raising=False)

    def run(*extra: str) -> tuple[int, dict[str, Any], str]:
        result = CliRunner().invoke(app, ["log", "verify", "--json", *extra])
        report = json.loads(result.stdout) if result.stdout.strip() else {}
        return result.exit_code, report, result.stderr

    return run


def test_an_untouched_log_verifies(bank: Bank, cli: Callable[..., Any]) -> None:
    log.grow(bank, HEADS, SIZE)
    code, report, _ = cli()
    assert code == 0, report
    assert report["ok"] and report["first_bad_index"] is None
    assert (report["tree_size"], report["leaves_checked"], report["heads_checked"]) == (45, 45, 3)


@pytest.mark.parametrize("bank", sqlite_only(), indirect=True)
def test_an_empty_log_verifies(bank: Bank, cli: Callable[..., Any]) -> None:
    code, report, _ = cli()
    assert code == 0 and report["tree_size"] == 0


Tamper = Callable[[Engine], None]

CASES: dict[str, tuple[Tamper, int]] = {
    "leaf text changed": (lambda e: log.change(e, 13, rehash=False), 13),
    "leaf text and stored hash changed": (lambda e: log.change(e, 13, rehash=True), 13),
    "leaf after the last head changed": (lambda e: log.change(e, 42, rehash=True), 42),
    "first leaf changed": (lambda e: log.change(e, 0, rehash=True), 0),
    "leaf deleted": (lambda e: log.delete(e, 30), 30),
    "last leaf deleted": (lambda e: log.delete(e, 44), 44),
    "leaves swapped": (lambda e: log.swap(e, 11, 35), 11),
    "neighbours swapped across a head": (lambda e: log.swap(e, 20, 21), 20),
    "leaf cut out and the rest renumbered": (lambda e: log.cut_out(e, 17), 17),
    "signed leaves truncated with the size": (lambda e: log.truncate(e, 33), 33),
}


@pytest.mark.parametrize(
    ("bank", "case"),
    [p for case in CASES for p in (both(case) if case in ON_POSTGRES else sqlite_only(case))],
    indirect=["bank"],
)
def test_tampering_fails_and_names_the_first_bad_index(
    bank: Bank, cli: Callable[..., Any], case: str
) -> None:
    log.grow(bank, HEADS, SIZE)
    tamper, expected = CASES[case]
    tamper(bank.engine)
    code, report, stderr = cli()
    assert code == 1, report
    assert report["first_bad_index"] == expected
    assert f"first bad index {expected}" in stderr


def test_a_tampered_head_signature_fails(bank: Bank, cli: Callable[..., Any]) -> None:
    log.grow(bank, HEADS, SIZE)
    log.sql(
        bank.engine,
        "UPDATE tree_heads SET signature = (SELECT signature FROM tree_heads WHERE tree_size = 8)"
        " WHERE tree_size = 21",
    )
    code, report, stderr = cli()
    assert code == 1
    assert "head at size 21: the published fields differ from the signed ones" in report["problems"]
    assert "does not verify" in stderr


@pytest.mark.parametrize("bank", sqlite_only(), indirect=True)
def test_a_head_signed_by_another_key_fails(
    bank: Bank, cli: Callable[..., Any], tmp_path: Any
) -> None:
    log.grow(bank, HEADS, SIZE)
    stranger = tmp_path / "stranger.jwks"
    from joserfc.jwk import OKPKey

    from infobank.adapters.crypto.signer import JoseSigner

    key = OKPKey.generate_key("Ed25519", private=True, auto_kid=True)
    stranger.write_text(json.dumps(JoseSigner(key).jwks()))
    code, report, _ = cli("--jwks", str(stranger))
    assert code == 1
    assert "head at size 8: the signature does not verify" in report["problems"]


@pytest.mark.parametrize("bank", sqlite_only(), indirect=True)
def test_a_changed_head_root_fails(bank: Bank, cli: Callable[..., Any]) -> None:
    log.grow(bank, HEADS, SIZE)
    log.sql(
        bank.engine,
        "UPDATE tree_heads SET root_hash = (SELECT root_hash FROM tree_heads WHERE tree_size = 8)"
        " WHERE tree_size = 40",
    )
    code, report, _ = cli()
    assert code == 1
    assert "head at size 40: the published fields differ from the signed ones" in report["problems"]


@pytest.mark.parametrize("bank", sqlite_only(), indirect=True)
def test_verify_cannot_run_without_the_banks_key(
    bank: Bank, cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.setenv("INFOBANK_HOME", str(tmp_path / "nowhere"))
    code, _, stderr = cli()
    assert code == 2
    assert "no signing key" in stderr
    assert not (tmp_path / "nowhere").exists()


def test_the_public_api_serves_a_log_that_verifies_and_shows_tampering(bank: Bank) -> None:
    log.grow(bank, HEADS, SIZE)
    with TestClient(create_app(bank=bank)) as client:
        source = HttpLogSource(client, page=7)
        keys = JwksVerifier(source.jwks())
        report = verify(source, keys.verify)
        assert report.ok, report.problems
        # GET /v1/log/head signed a head over the unheaded tail, so it is covered too.
        assert report.size == SIZE and report.heads_checked == len(HEADS) + 1
        log.swap(bank.engine, 3, 43)
        assert verify(source, keys.verify).first_bad_index == 3
