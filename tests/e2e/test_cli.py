"""The ``infobank`` console script, run as an operator would (SPEC §7 staff, §8)."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect
from typer.testing import CliRunner

from infobank.adapters.db.engine import make_engine
from infobank.config import Settings
from infobank.entrypoints.api.app import create_app
from infobank.entrypoints.cli.main import app
from tests.support import api, db

FAST_HASHING = {
    "INFOBANK_ARGON2_MEMORY_KIB": "1024",
    "INFOBANK_ARGON2_TIME_COST": "1",
    "INFOBANK_ARGON2_PARALLELISM": "1",
}


def _executable() -> str:
    beside = Path(sys.executable).parent / "infobank"
    found = str(beside) if beside.exists() else shutil.which("infobank")
    assert found, "the infobank console script is not installed"
    return found


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """The operator's environment: a SQLite file and a key folder, both in ``tmp_path``."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("INFOBANK_")}
    return {
        **inherited,
        **FAST_HASHING,
        "INFOBANK_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
        "INFOBANK_HOME": str(tmp_path / "home"),
    }


def _run(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_executable(), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )


AppOn = Callable[[dict[str, str]], TestClient]


@pytest.fixture
def app_on(monkeypatch: pytest.MonkeyPatch) -> Iterator[AppOn]:
    """Build the app as ``infobank serve`` would, from the same environment variables."""
    clients: list[TestClient] = []

    def build(env: dict[str, str]) -> TestClient:
        for name, value in env.items():
            if name.startswith("INFOBANK_"):
                monkeypatch.setenv(name, value)
        client = TestClient(create_app(Settings()))
        client.__enter__()
        clients.append(client)
        return client

    yield build
    for client in clients:
        client.__exit__(None, None, None)


def test_db_upgrade_creates_the_schema(env: dict[str, str], tmp_path: Path) -> None:
    done = _run(env, tmp_path, "db", "upgrade")
    assert done.returncode == 0, done.stderr
    engine = make_engine(env["INFOBANK_DATABASE_URL"])
    try:
        assert {"persons", "records", "staff"} <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    home = Path(env["INFOBANK_HOME"])
    assert (home / "master.key").exists() and (home / "signing.jwk").exists()


def test_create_staff_prints_one_json_line_with_a_working_token(
    env: dict[str, str], tmp_path: Path, app_on: AppOn
) -> None:
    done = _run(
        env,
        tmp_path,
        *("admin", "create-staff", "--role", "operator"),
        *("--email", "a@b.jp", "--password", "longpassword1"),
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1
    printed = json.loads(lines[0])
    assert set(printed) == {"id", "token"}

    client = app_on(env)
    created = client.post(
        "/v1/admin/recipients",
        json={"name": "みらい保険", "industry": "insurance", "contact_email": "dpo@mirai.jp"},
        headers=api.bearer(printed["token"]),
    )
    assert created.status_code == 201, created.text


def test_create_staff_with_a_taken_email_fails_with_a_message(
    env: dict[str, str], tmp_path: Path
) -> None:
    args = ("admin", "create-staff", "--role", "ethics", "--email", "a@b.jp")
    assert _run(env, tmp_path, *args, "--password", "longpassword1").returncode == 0
    again = _run(env, tmp_path, *args, "--password", "anotherpassword2")
    assert again.returncode != 0
    assert again.stdout.strip() == ""
    assert "exists" in again.stderr


def test_demo_prints_logins_that_work_against_its_database(
    env: dict[str, str], tmp_path: Path, app_on: AppOn
) -> None:
    demo_db = tmp_path / "demo.db"
    done = _run(env, tmp_path, "demo", "--no-serve", "--people", "20", "--db", str(demo_db))
    assert done.returncode == 0, done.stderr
    out = done.stdout

    password = re.search(r"\(password (\S+)\)", out)
    emails = re.findall(r"person\d+@[\w.-]+", out)
    operator_token = re.search(r"operator .*?\n\s+token (\S+)", out)
    client_id = re.search(r"client_id (\S+)", out)
    client_secret = re.search(r"client_secret (\S+)", out)
    assert password and emails and operator_token and client_id and client_secret, out
    start_here = out[out.index("Start here") :]
    insurer = re.search(r"recipient みらい保険\n\s+client_id (\S+)\n\s+client_secret (\S+)", out)
    assert insurer, out
    assert f"CLIENT_ID={insurer[1]} CLIENT_SECRET={insurer[2]}" in start_here
    assert "recipient_client.py" in start_here and "Mynaportal linked" in start_here
    assert demo_db.exists()
    assert not (tmp_path / ".infobank").exists()  # keys went to INFOBANK_HOME

    client = app_on({**env, "INFOBANK_DATABASE_URL": f"sqlite:///{demo_db}"})
    login = client.post("/v1/auth/login", json={"email": emails[0], "password": password[1]})
    assert login.status_code == 200, login.text
    person = api.bearer(login.json()["access_token"])
    assert api.items(client, "/v1/me/records", person)

    recipients = client.get("/v1/admin/recipients", headers=api.bearer(operator_token[1]))
    assert recipients.status_code == 200, recipients.text
    assert all(r["certifications"] for r in recipients.json()["items"])
    token = client.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": client_id[1],
            "client_secret": client_secret[1],
        },
    )
    assert token.status_code == 200, token.text


@pytest.mark.postgres
def test_demo_on_postgres_seeds_an_embedded_server_and_stops_it_at_exit(
    env: dict[str, str], tmp_path: Path
) -> None:
    if importlib.util.find_spec("pgserver") is None:
        db.cannot_run("pgserver is not installed")
    demo_db = tmp_path / "demo.db"
    args = ("--postgres", "--no-serve", "--no-sim", "--people", "20", "--db", str(demo_db))

    done = _run(env, tmp_path, "demo", *args)

    assert done.returncode == 0, done.stderr
    url = re.search(r"Database (\S+)", done.stdout)
    assert url and url[1].startswith("postgresql+psycopg://"), done.stdout
    assert f"host={tmp_path / 'demo-pg'}" in url[1]
    assert re.findall(r"person\d+@[\w.-]+", done.stdout)
    assert not demo_db.exists()
    assert (tmp_path / "demo-pg" / "PG_VERSION").exists()
    assert not (tmp_path / "demo-pg" / "postmaster.pid").exists()  # the server has stopped


def test_demo_on_postgres_without_pgserver_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    db.hide_pgserver(monkeypatch)
    args = ["demo", "--postgres", "--no-serve", "--no-sim", "--db", str(tmp_path / "d.db")]

    result = CliRunner().invoke(app, args)

    assert result.exit_code == 1
    assert "pip install 'infobank[postgres-demo]'" in " ".join(result.stderr.split())
    assert not (tmp_path / "d-pg").exists()
