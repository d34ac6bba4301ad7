"""Two infobank instances on one machine, each a live server with its own SQLite database and
key folder (acceptance: the end of the business and moving banks, 情報銀行間連携).

Bank A ends its business: one person's data moves to bank B (imported there only after they
confirm), another downloads theirs, a third has theirs deleted; recipients get revocations;
afterwards nothing readable of anyone remains in A's database, and A's final head verifies.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient
from joserfc import jws
from joserfc.jwk import KeySet
from sqlalchemy import text
from typer.testing import CliRunner

from infobank.adapters.db.repos.log_source import SqlAlchemyLogSource
from infobank.bootstrap import Bank, bootstrap
from infobank.domain.errors import Gone
from infobank.entrypoints.api.app import create_app
from infobank.entrypoints.cli.main import app as cli
from infobank.services import log_verify, records
from tests.support import api, db, trust


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Live:
    bank: Bank
    url: str
    client: TestClient
    database: Path

    @property
    def env(self) -> dict[str, str]:
        settings = self.bank.settings
        return {
            "INFOBANK_DATABASE_URL": settings.database_url,
            "INFOBANK_HOME": str(settings.home),
            "INFOBANK_BASE_URL": self.url,
            "INFOBANK_PEER_BANKS": json.dumps(settings.peer_banks),
        }


@pytest.fixture
def banks(sqlite_template: Path, tmp_path: Path) -> Iterator[tuple[Live, Live]]:
    """Bank A and bank B, each served on a free port from a thread."""
    running: list[tuple[uvicorn.Server, threading.Thread, Live]] = []
    ports = {"a": _free_port(), "b": _free_port()}
    for name, port in ports.items():
        url = f"http://127.0.0.1:{port}"
        other = f"http://127.0.0.1:{ports['b' if name == 'a' else 'a']}"
        folder = tmp_path / name
        folder.mkdir()
        bank = bootstrap(
            db.sqlite_settings(sqlite_template, folder, base_url=url, peer_banks=[other])
        )
        server = uvicorn.Server(
            uvicorn.Config(create_app(bank=bank), host="127.0.0.1", port=port, log_level="warning")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        client = TestClient(create_app(bank=bank))
        client.__enter__()
        running.append((server, thread, Live(bank, url, client, folder / "infobank.db")))
    try:
        deadline = time.monotonic() + 10
        while not all(server.started for server, _, _ in running):
            assert time.monotonic() < deadline, "a server did not start"
            time.sleep(0.05)
        yield running[0][2], running[1][2]
    finally:
        for server, thread, live in running:
            live.client.__exit__(None, None, None)
            server.should_exit = True
            thread.join(timeout=10)
            live.bank.close()


def _on_file(live: Live) -> bytes:
    return b"".join(
        path.read_bytes()
        for path in (live.database, live.database.with_name("infobank.db-wal"))
        if path.exists()
    )


def test_ending_the_business_moves_exports_and_deletes_and_leaves_nothing_readable(
    banks: tuple[Live, Live],
) -> None:
    a, b = banks
    team = trust.staff(a.bank)
    recipient = trust.recipient(a.client, team)
    mover = trust.person(a.client, email="mover@example.jp")
    leaver = trust.person(a.client, email="leaver@example.jp")
    deleter = trust.person(a.client, email="deleter@example.jp")
    silent = trust.person(a.client, email="silent@example.jp")
    people = {"mover": mover, "leaver": leaver, "deleter": deleter, "silent": silent}
    markers = {}
    for name, who in people.items():
        markers[name] = f"MARKER-{name}-7f3a"
        added = a.client.post(
            "/v1/me/records",
            json={"category": "interests", "data": {"topics": [markers[name]]}},
            headers=who.headers,
        )
        assert added.status_code == 201, added.text
    offer_id, _ = trust.open_offer(a.client, team, recipient)
    granted = [trust.accept(a.client, who, offer_id) for who in people.values()]

    planned = CliRunner().invoke(cli, ["terminate", "plan", "--days", "30"], env=a.env)
    assert planned.exit_code == 0, planned.output
    choices = {
        "mover": {"choice": "transfer", "target_url": b.url},
        "leaver": {"choice": "export"},
        "deleter": {"choice": "delete"},
    }
    for name, body in choices.items():
        chosen = a.client.post("/v1/me/exit", json=body, headers=people[name].headers)
        assert chosen.status_code == 200, chosen.text
    exported = a.client.get("/v1/me/export", headers=leaver.headers).json()
    assert markers["leaver"] in json.dumps(exported, ensure_ascii=False)
    with a.bank.context.uow() as uow:
        wrapped = [uow.persons.wrapped_key(who.id) for who in people.values()]
    assert all(wrapped) and all(w in _on_file(a) for w in wrapped if w)

    ran = CliRunner().invoke(cli, ["terminate", "run", "--now"], env=a.env)
    assert ran.exit_code == 0, ran.output
    assert "transferred: 1" in ran.output and "deleted: 4" in ran.output

    # At bank B the bundle waits for the person, who confirms after signing up there.
    arrived = api.sign_up(b.client, email="mover@example.jp")
    held = b.client.get("/v1/me/transfers", headers=arrived.headers).json()["incoming"]
    assert [(t["issuer"], t["status"]) for t in held] == [(a.url, "pending")]
    assert api.items(b.client, "/v1/me/records", arrived.headers) == []
    stranger = api.sign_up(b.client)
    not_theirs = b.client.post(
        f"/v1/me/transfers/{held[0]['id']}/confirm", headers=stranger.headers
    )
    assert not_theirs.status_code == 404
    confirmed = b.client.post(f"/v1/me/transfers/{held[0]['id']}/confirm", headers=arrived.headers)
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["imported"] == 2  # the record of the trust loop and the marker
    moved = api.items(b.client, "/v1/me/records", arrived.headers)
    assert {"topics": [markers["mover"]]} in [r["data"] for r in moved]
    history = b.client.get("/v1/me/transfers", headers=arrived.headers).json()["incoming"][0]
    assert history["status"] == "imported"
    artefact = history["history"]["consents"][0]["artefact"]
    jwks_a = KeySet.import_key_set(a.client.get("/.well-known/jwks.json").json())
    claims = json.loads(jws.deserialize_compact(artefact, jwks_a, algorithms=["Ed25519"]).payload)
    assert claims["id"] in granted
    twice = b.client.post(f"/v1/me/transfers/{held[0]['id']}/confirm", headers=arrived.headers)
    assert twice.status_code == 409

    # The recipient was told, with a notice signed by bank A, for every consent.
    notices = api.items(a.client, "/v1/revocations", trust.fresh(a.client, recipient))
    assert sorted(n["consent_id"] for n in notices) == sorted(granted)
    assert {n["reason"] for n in notices} == {"bank_terminating"}

    # Nothing readable remains at A: no keys, records that cannot be opened, no markers.
    ctx = a.bank.context
    with ctx.uow() as uow:
        assert all(uow.persons.wrapped_key(who.id) is None for who in people.values())
    with a.bank.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM person_keys")).scalar_one() == 0
        assert conn.execute(text("SELECT count(*) FROM records")).scalar_one() == 8
    for who in people.values():
        with pytest.raises(Gone):
            records.list_records(ctx, who.id)
    on_file = _on_file(a)
    for marker in [*markers.values(), *(f"{n}@example.jp" for n in people)]:
        assert marker.encode() not in on_file
    assert not any(w in on_file for w in wrapped if w)  # not even in freed pages

    # A's final signed head covers the whole log, and the log verifies.
    report = log_verify.verify(SqlAlchemyLogSource(a.bank.engine), ctx.signer.verify)
    assert report.ok, report.problems
    head = a.client.get("/v1/log/head").json()
    assert head["tree_size"] == report.size
    last = a.client.get(f"/v1/log/entries/{report.size - 1}").json()
    assert json.loads(last["leaf"])["event"] == "bank.terminated"


def test_a_person_moves_their_data_to_another_bank_at_any_time(banks: tuple[Live, Live]) -> None:
    a, b = banks
    person = trust.person(a.client, ("lifelog.sleep",), email="anytime@example.jp")
    sent = a.client.post("/v1/me/transfer", json={"target_url": b.url}, headers=person.headers)
    assert sent.status_code == 201, sent.text
    assert sent.json()["records"] == 1 and sent.json()["status"] == "sent"
    again = a.client.post("/v1/me/transfer", json={"target_url": a.url}, headers=person.headers)
    assert again.status_code == 422  # not to itself
    nowhere = a.client.post(
        "/v1/me/transfer", json={"target_url": f"http://127.0.0.1:{_free_port()}"},
        headers=person.headers,
    )  # fmt: skip
    # not a bank A was told to trust: A never calls it
    assert nowhere.status_code == 422 and nowhere.json()["code"] == "unknown_peer_bank"
    assert a.client.get("/v1/bank/peers").json() == {"peers": [b.url]}
    outgoing = a.client.get("/v1/me/transfers", headers=person.headers).json()["outgoing"]
    assert [t["status"] for t in outgoing] == ["sent"]

    there = api.sign_up(b.client, email="anytime@example.jp")
    pending = b.client.get("/v1/me/transfers", headers=there.headers).json()["incoming"]
    confirmed = b.client.post(f"/v1/me/transfers/{pending[0]['id']}/confirm", headers=there.headers)
    assert confirmed.status_code == 200 and confirmed.json()["imported"] == 1
    assert [r["category"] for r in api.items(b.client, "/v1/me/records", there.headers)] == [
        "lifelog.sleep"
    ]
    # The data stays at A until the person deletes their account there.
    assert api.items(a.client, "/v1/me/records", person.headers)
