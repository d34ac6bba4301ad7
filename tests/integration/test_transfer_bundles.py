"""Receiving a bundle from another bank (POST /v1/transfers): only a bundle from a peer bank
the operator listed, sealed to this bank's key, signed by the keys that bank publishes
(fetched from it, never taken from the request), meant for this bank and not expired is held;
it is held once, only its person can import it, and not after it expired."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from infobank.adapters.crypto.keystore import KeyStore
from infobank.adapters.crypto.sealer import JoseSealer
from infobank.adapters.crypto.signer import JoseSigner
from infobank.adapters.db.compaction import reclaim_erased
from infobank.bootstrap import Bank
from infobank.entrypoints.api.deps import bank_peer
from infobank.services import account, daily, termination
from tests.fakes import FakeClock
from tests.support import api

ISSUER = "https://sending-bank.example"
OTHER_PEER = "https://third-bank.example"
pytestmark = pytest.mark.settings(peer_banks=[ISSUER, OTHER_PEER])


class _Published:
    """The sending banks as this bank reaches them: each publishes its signing keys."""

    def __init__(self, keys: dict[str, dict[str, Any]]) -> None:
        self.keys = keys

    def jwks(self, base_url: str) -> dict[str, Any]:
        return self.keys[base_url]

    def transfer_key(self, base_url: str) -> dict[str, Any]:
        raise AssertionError("not used when receiving")

    def send_bundle(self, base_url: str, body: Any) -> dict[str, Any]:
        raise AssertionError("not used when receiving")


@pytest.fixture
def sender(tmp_path: Path) -> JoseSigner:
    return JoseSigner(KeyStore.open(tmp_path / "sender").signing_key)


def _bundle(client: TestClient, signer: JoseSigner, clock: FakeClock, **changes: Any) -> str:
    key = client.get("/v1/bank/transfer-key").json()
    doc: dict[str, Any] = {
        "format": "infobank-transfer/1",
        "id": str(uuid.uuid4()),
        "issuer": ISSUER,
        "audience": key["issuer"],
        "issued_at": clock.now().isoformat(),
        "expires_at": (clock.now() + timedelta(days=7)).isoformat(),
        "person": {"email": "moving@example.jp"},
        "records": [
            {
                "id": "r1",
                "category": "interests",
                "data": {"topics": ["旅行"]},
                "observed_at": None,
                "acquired_via": "self",
                "source_method": None,
                "purpose": "self_entrusted",
            }
        ],
        "consents": [],
        **changes,
    }
    payload = json.dumps(doc).encode()
    return JoseSealer(signer).seal(payload, key["jwk"], typ="infobank-transfer+jwt")


def _post(client: TestClient, bundle: str, jwks: dict[str, Any], issuer: str = ISSUER) -> Any:
    """Hand ``bundle`` over as ``issuer``, a bank that publishes ``jwks``."""
    published = _Published({ISSUER: jwks, OTHER_PEER: jwks})
    client.app.dependency_overrides[bank_peer] = lambda: published  # type: ignore[attr-defined]
    return client.post("/v1/transfers", json={"bundle": bundle, "issuer": issuer})


def test_only_a_sound_bundle_for_this_bank_is_held_and_only_once(
    client: TestClient, sender: JoseSigner, clock: FakeClock, tmp_path: Path
) -> None:
    jwks = sender.jwks()
    bundle = _bundle(client, sender, clock)
    first = _post(client, bundle, jwks)
    assert first.status_code == 201 and first.json()["status"] == "pending"
    assert _post(client, bundle, jwks).json()["id"] == first.json()["id"]
    impostor = JoseSigner(KeyStore.open(tmp_path / "impostor").signing_key).jwks()
    refusals = [
        _post(client, bundle, impostor),
        _post(client, _bundle(client, sender, clock, audience="https://elsewhere.example"), jwks),
        _post(client, _bundle(client, sender, clock, format="other/1"), jwks),
        _post(client, bundle[:-8] + "AAAAAAAA", jwks),
    ]
    assert [(r.status_code, r.json()["code"]) for r in refusals] == [(422, "bundle_invalid")] * 4
    # A bank that is not a peer may not send at all; a peer may not speak for another.
    stranger = _post(client, bundle, jwks, issuer="https://stranger.example")
    assert (stranger.status_code, stranger.json()["code"]) == (403, "unknown_peer_bank")
    posing = _post(client, bundle, jwks, issuer=OTHER_PEER)
    assert (posing.status_code, posing.json()["code"]) == (422, "bundle_invalid")
    old = _bundle(
        client, sender, clock, expires_at=(clock.now() - timedelta(seconds=1)).isoformat()
    )
    assert _post(client, old, jwks).json()["code"] == "bundle_expired"


def test_only_the_person_imports_it_and_only_before_it_expires(
    client: TestClient, bank: Bank, sender: JoseSigner, clock: FakeClock
) -> None:
    held = _post(client, _bundle(client, sender, clock), sender.jwks()).json()["id"]
    late = _post(client, _bundle(client, sender, clock), sender.jwks()).json()["id"]
    other = api.sign_up(client)
    refused = client.post(f"/v1/me/transfers/{held}/confirm", headers=other.headers)
    assert refused.status_code == 404
    assert client.get("/v1/me/transfers", headers=other.headers).json()["incoming"] == []
    person = api.sign_up(client, email="Moving@example.jp")  # the lookup ignores case
    listed = client.get("/v1/me/transfers", headers=person.headers).json()["incoming"]
    assert [(t["issuer"], t["records"], t["status"]) for t in listed] == [
        (ISSUER, 1, "pending")
    ] * 2
    imported = client.post(f"/v1/me/transfers/{held}/confirm", headers=person.headers)
    assert imported.status_code == 200 and imported.json()["imported"] == 1

    clock.advance(days=91)
    headers = _login(client, person.email)
    expired = client.post(f"/v1/me/transfers/{late}/confirm", headers=headers)
    assert expired.status_code == 410 and expired.json()["code"] == "transfer_expired"
    assert daily.run_if_new_day(bank.context) is True  # drops bundles nobody confirmed in time
    dropped = client.post(f"/v1/me/transfers/{late}/confirm", headers=headers)
    assert dropped.status_code == 409 and dropped.json()["code"] == "transfer_state"
    shown = client.get("/v1/me/transfers", headers=headers).json()["incoming"]
    assert [(t["id"], t["status"]) for t in shown] == [(held, "imported")]


def _login(client: TestClient, email: str) -> dict[str, str]:
    token = client.post("/v1/auth/login", json={"email": email, "password": api.PASSWORD})
    assert token.status_code == 200, token.text
    return api.bearer(token.json()["access_token"])


def test_a_closing_bank_takes_in_no_bundles(
    client: TestClient, bank: Bank, sender: JoseSigner, clock: FakeClock
) -> None:
    termination.plan(bank.context, "operator", clock.now() + timedelta(days=30))
    refused = _post(client, _bundle(client, sender, clock), sender.jwks())
    assert refused.status_code == 409 and refused.json()["code"] == "bank_terminating"


def test_reclaiming_erased_space_leaves_the_database_usable(client: TestClient, bank: Bank) -> None:
    person = api.sign_up(client)
    account.delete_account(bank.context, person.id)
    reclaim_erased(bank.engine)
    reclaim_erased(bank.engine)
    assert api.sign_up(client).id  # writes still work on the same pool
