"""The end of the business (事業終了) in one bank, on SQLite and PostgreSQL: planning stops new
business (409 ``bank_terminating``), persons choose, and the run revokes, transfers (a failed
transfer keeps its person for the next run), shreds and ends with a verifying signed head."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from joserfc import jwe, jws
from joserfc.jwk import KeySet, OKPKey
from typer.testing import CliRunner

from infobank.adapters.db.repos.log_source import SqlAlchemyLogSource
from infobank.bootstrap import Bank
from infobank.entrypoints.cli.main import app
from infobank.services import log_verify, records, termination
from infobank.services.ports.transfers import PeerError
from tests.fakes import FakeClock
from tests.support import api, trust

pytestmark = pytest.mark.settings(peer_banks=["https://other-bank.example"])


class FakePeer:
    """Another bank that answers from memory: its key, and the bundles it was handed."""

    def __init__(self, *, down: bool = False) -> None:
        self.key = OKPKey.generate_key("X25519", private=True)
        self.down = down
        self.sent: list[Mapping[str, Any]] = []

    def transfer_key(self, base_url: str) -> dict[str, Any]:
        if self.down:
            raise PeerError(f"{base_url} could not be reached: ConnectError")
        return {"issuer": base_url, "jwk": self.key.as_dict(private=False)}

    def jwks(self, base_url: str) -> dict[str, Any]:
        raise AssertionError("a closing bank receives nothing")

    def send_bundle(self, base_url: str, body: Mapping[str, Any]) -> dict[str, Any]:
        self.sent.append(body)
        return {"id": "held-1", "status": "pending"}


def _env(bank: Bank) -> dict[str, str]:
    settings = bank.settings
    env = {"INFOBANK_DATABASE_URL": settings.database_url, "INFOBANK_HOME": str(settings.home)}
    if settings.db_schema:
        env["INFOBANK_DB_SCHEMA"] = settings.db_schema
    return env


def test_planning_the_end_stops_new_offers_and_consents_and_asks_each_person(
    client: TestClient, bank: Bank
) -> None:
    team = trust.staff(bank)
    recipient = trust.recipient(client, team)
    person = trust.person(client)
    offer_id, _ = trust.open_offer(client, team, recipient)
    unsubmitted = trust.draft(client, recipient)
    approved = trust.draft(client, recipient)
    trust.submit(client, recipient, approved)
    trust.approve(client, team, approved)
    assert client.get("/v1/me/exit", headers=person.headers).json()["status"] == "not_planned"
    early = client.post("/v1/me/exit", json={"choice": "delete"}, headers=person.headers)
    assert early.status_code == 409 and early.json()["code"] == "bank_not_terminating"

    planned = CliRunner().invoke(app, ["terminate", "plan", "--days", "30"], env=_env(bank))
    assert planned.exit_code == 0, planned.output
    assert "persons" in planned.output and "planned: deadline" in planned.output

    refusals = [
        client.post(f"/v1/me/offers/{offer_id}/accept", headers=person.headers),
        client.post(f"/v1/offers/{unsubmitted}/submit", headers=recipient.headers),
        client.post(f"/v1/admin/offers/{approved}/open", headers=team.operator.headers),
    ]
    assert [(r.status_code, r.json()["code"]) for r in refusals] == [(409, "bank_terminating")] * 3
    again = CliRunner().invoke(app, ["terminate", "plan"], env=_env(bank))
    assert again.exit_code == 2

    told = api.items(client, "/v1/me/notifications", person.headers)
    notice = next(n for n in told if n["kind"] == "bank.terminating")
    assert "POST /v1/me/exit" in notice["params"]["message_ja"]
    mine = client.get("/v1/me/exit", headers=person.headers).json()
    assert mine["status"] == "planned" and mine["choice"] is None
    for bad in [{"choice": "transfer"}, {"choice": "transfer", "target_url": "ftp://x.example"}]:
        refused = client.post("/v1/me/exit", json=bad, headers=person.headers)
        assert refused.status_code == 422, refused.text
    chosen = client.post("/v1/me/exit", json={"choice": "export"}, headers=person.headers)
    assert chosen.status_code == 200 and chosen.json()["export_url"] == "/v1/me/export"
    assert client.get("/v1/me/export", headers=person.headers).json()["records"]
    assert client.get("/v1/me/exit", headers=person.headers).json()["choice"]["choice"] == "export"

    early_run = CliRunner().invoke(app, ["terminate", "run"], env=_env(bank))
    assert early_run.exit_code == 2 and "deadline" in early_run.output


def test_the_run_keeps_a_person_whose_transfer_failed_until_a_later_run_succeeds(
    client: TestClient, bank: Bank, clock: FakeClock
) -> None:
    ctx = bank.context
    team = trust.staff(bank)
    recipient = trust.recipient(client, team)
    mover = trust.person(client)
    stayer = trust.person(client)
    offer_id, _ = trust.open_offer(client, team, recipient)
    for who in (mover, stayer):
        trust.accept(client, who, offer_id)
    marker = {"steps": 4242, "note": "MOVING-MARKER"}
    assert client.post(
        "/v1/me/records",
        json={"category": "lifelog.sleep", "data": marker},
        headers=mover.headers,
    ).is_success
    termination.plan(ctx, "operator", clock.now() + timedelta(days=14))
    moved = client.post(
        "/v1/me/exit",
        json={"choice": "transfer", "target_url": "https://other-bank.example/"},
        headers=mover.headers,
    )
    assert moved.status_code == 200 and moved.json()["target_url"] == "https://other-bank.example"
    clock.advance(days=15)

    first = termination.run(ctx, "operator", FakePeer(down=True))
    assert first.revoked == 2 and first.deleted == 1 and not first.completed
    assert "could not be reached" in first.failed[mover.id]
    assert termination.current(ctx).status == "running"  # type: ignore[union-attr]
    assert records.list_records(ctx, mover.id)  # kept for the next run
    with ctx.uow() as uow:
        assert uow.persons.wrapped_key(stayer.id) is None

    peer = FakePeer()
    second = termination.run(ctx, "operator", peer)
    assert second.completed and second.transferred == 1 and second.revoked == 0
    assert termination.current(ctx).status == "completed"  # type: ignore[union-attr]
    with ctx.uow() as uow:
        assert uow.persons.wrapped_key(mover.id) is None
        person = uow.persons.get(mover.id)
        assert person is not None and person.prefecture == "00"  # scrubbed
        choices = {c.person_id: c.outcome for c in uow.termination.choices()}
        assert uow.log.latest_head() == second.final_head
        assert second.final_head is not None and uow.log.size() == second.final_head.tree_size
        last = uow.log.entries(uow.log.size() - 1, uow.log.size())[0][1]
    assert choices == {mover.id: "transferred", stayer.id: "deleted"}
    assert json.loads(last)["event"] == "bank.terminated"
    assert log_verify.verify(SqlAlchemyLogSource(bank.engine), ctx.signer.verify).ok

    # What the other bank was handed: signed by this bank, readable only with its key.
    sent = peer.sent[0]
    opened = jwe.decrypt_compact(sent["bundle"], peer.key, algorithms=["ECDH-ES+A256KW", "A256GCM"])
    assert opened.plaintext is not None
    assert sent["issuer"] == bank.context.base_url.rstrip("/")
    keys = KeySet.import_key_set(client.get("/.well-known/jwks.json").json())  # as B fetches it
    signed = jws.deserialize_compact(opened.plaintext, keys, algorithms=["Ed25519"])
    bundle = json.loads(signed.payload)
    assert bundle["person"] == {"email": mover.email}
    assert {"category": "lifelog.sleep", "data": marker}.items() <= next(
        r for r in bundle["records"] if r["category"] == "lifelog.sleep"
    ).items()
    assert [c["status"] for c in bundle["consents"]] == ["revoked"]

    # The recipient got a signed notice for each consent.
    headers = trust.fresh(client, recipient)
    notices = api.items(client, "/v1/revocations", headers)
    assert sorted(n["reason"] for n in notices) == ["bank_terminating", "bank_terminating"]
    jwks = KeySet.import_key_set(client.get("/.well-known/jwks.json").json())
    notice = jws.deserialize_compact(notices[0]["notice"], jwks, algorithms=["Ed25519"])
    payload = json.loads(notice.payload)
    assert payload["type"] == "revocation" and payload["reason"] == "bank_terminating"
    done = client.post(
        "/v1/me/exit", json={"choice": "delete"}, headers=api.sign_up(client).headers
    )
    assert done.status_code == 409
