"""The whole trust loop over HTTP, on SQLite and PostgreSQL (SPEC §6)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from fastapi.testclient import TestClient
from joserfc import jwe, jws
from joserfc.jwk import ECKey, KeySet

from infobank.adapters.webhooks import HttpxWebhookSender
from infobank.bootstrap import Bank
from infobank.domain.identity import StaffRole
from infobank.services.worker import run_once
from tests.support import api, trust


class _Hook(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers["Content-Length"])
        type(self).received.append(self.rfile.read(length))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def webhook_server() -> Iterator[tuple[str, list[bytes]]]:
    received: list[bytes] = []
    handler = type("Hook", (_Hook,), {"received": received})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/revocations", received
    server.shutdown()
    server.server_close()


@pytest.fixture
def sender() -> Iterator[HttpxWebhookSender]:
    http = HttpxWebhookSender()
    yield http
    http.close()


def test_whole_loop_from_sign_up_to_confirmed_deletion(
    client: TestClient,
    bank: Bank,
    webhook_server: tuple[str, list[bytes]],
    sender: HttpxWebhookSender,
) -> None:
    url, received = webhook_server
    operator = api.staff(bank)
    ethics = api.staff(bank, StaffRole.ETHICS)
    recipient = api.business(client, operator, "recipient")
    cert = client.post(
        f"/v1/admin/recipients/{recipient.id}/certifications",
        json={
            "kind": "pmark",
            "number": "P-1",
            "valid_from": "2025-01-01",
            "valid_until": "2027-12-31",
        },
        headers=operator.headers,
    )
    assert cert.status_code == 201
    key = ECKey.generate_key("P-256", private=True, auto_kid=True)
    put = client.put(
        "/v1/recipient/keys", json={"jwk": key.as_dict(private=False)}, headers=recipient.headers
    )
    assert put.status_code == 200, put.text
    assert (
        client.put(
            "/v1/recipient/webhook", json={"url": url}, headers=recipient.headers
        ).status_code
        == 200
    )

    explicit = api.sign_up(client)
    delegating = api.sign_up(client)
    for person in (explicit, delegating):
        added = client.post(
            "/v1/me/records",
            json={"category": "lifelog.activity", "data": {"steps": 9001}},
            headers=person.headers,
        )
        assert added.status_code == 201
    rules = {"rules": [{"categories": ["lifelog.activity"], "max_retention_days": 365}]}
    assert (
        client.put("/v1/me/delegation", json=rules, headers=delegating.headers).status_code == 200
    )

    offer_id = trust.draft(client, recipient)
    assert (
        client.post(f"/v1/offers/{offer_id}/submit", headers=recipient.headers).status_code == 200
    )
    reviewed = client.post(
        f"/v1/admin/offers/{offer_id}/review",
        json={"decision": "approve", "minutes": "目的と便益が明確。承認。"},
        headers=ethics.headers,
    )
    assert reviewed.status_code == 200, reviewed.text
    opened = client.post(f"/v1/admin/offers/{offer_id}/open", headers=operator.headers)
    assert opened.json() == {
        "offer_id": offer_id,
        "status": "open",
        "delegated": 1,
        "invited": 1,
        "not_invited": 0,
        "held_back": [],
    }

    inbox = api.items(client, "/v1/me/offers", explicit.headers)
    assert inbox[0]["recipient"]["certifications"][0]["kind"] == "pmark"
    accepted = client.post(f"/v1/me/offers/{offer_id}/accept", headers=explicit.headers)
    assert accepted.status_code == 201, accepted.text
    consent_id = accepted.json()["id"]
    assert accepted.json()["mode"] == "explicit"
    delegated = api.items(client, "/v1/me/consents", delegating.headers)
    assert [c["mode"] for c in delegated] == ["delegated"]

    jwks = KeySet.import_key_set(client.get("/.well-known/jwks.json").json())
    detail = client.get(f"/v1/me/consents/{consent_id}", headers=explicit.headers).json()
    claims = json.loads(
        jws.deserialize_compact(detail["artefact"], jwks, algorithms=["Ed25519"]).payload
    )
    assert claims["id"] == consent_id and claims["categories"] == ["lifelog.activity"]
    assert detail["receipt"]["record_id"] == consent_id

    assert run_once(bank.context, sender)["built"] == 2
    listed = api.items(client, "/v1/deliveries", recipient.headers)
    assert len(listed) == 2
    mine = next(d for d in listed if d["consent_id"] == consent_id)
    sealed = client.get(f"/v1/deliveries/{mine['id']}", headers=recipient.headers).json()["jwe"]
    inner = jwe.decrypt_compact(sealed, key, algorithms=["ECDH-ES+A256KW", "A256GCM"]).plaintext
    assert inner is not None
    document = json.loads(jws.deserialize_compact(inner, jwks, algorithms=["Ed25519"]).payload)
    assert document["records"][0]["data"] == {"steps": 9001}
    assert (
        client.post(f"/v1/deliveries/{mine['id']}/ack", headers=recipient.headers).status_code
        == 200
    )
    assert (
        client.post(f"/v1/deliveries/{mine['id']}/ack", headers=recipient.headers).status_code
        == 200
    )
    assert client.get("/v1/me/benefits", headers=explicit.headers).json()["balance_points"] == 300

    provisions = api.items(client, "/v1/me/provisions", explicit.headers)
    assert provisions[0]["status"] == "active" and provisions[0]["use_count"] == 1

    # The delegated person revokes before their package is fetched: it is gone at once.
    other = next(d for d in listed if d["consent_id"] != consent_id)
    revoked = client.post("/v1/me/stop-all", headers=delegating.headers)
    assert revoked.json() == {"revoked": 1}
    gone = client.get(f"/v1/deliveries/{other['id']}", headers=recipient.headers)
    assert gone.status_code == 410 and gone.json()["code"] == "consent_revoked"

    run_once(bank.context, sender)
    assert len(received) == 1
    notice = json.loads(jws.deserialize_compact(received[0], jwks, algorithms=["Ed25519"]).payload)
    assert notice["type"] == "revocation"
    revocations = api.items(client, "/v1/revocations", recipient.headers)
    acked = client.post(
        f"/v1/revocations/{revocations[0]['id']}/ack",
        json={"method": "deleted"},
        headers=recipient.headers,
    )
    assert acked.status_code == 200
    seen = api.items(client, "/v1/me/provisions", delegating.headers)
    assert seen[0]["status"] == "revoked"
    assert seen[0]["deletion"]["method"] == "deleted"


def test_offer_with_sensitive_category_is_refused_at_submission(
    client: TestClient, bank: Bank
) -> None:
    operator = api.staff(bank)
    recipient = api.business(client, operator, "recipient")
    offer_id = trust.draft(client, recipient, categories=["health.diagnosis"])
    refused = client.post(f"/v1/offers/{offer_id}/submit", headers=recipient.headers)
    assert refused.status_code == 422
    assert "sensitive.excluded" in [e["rule"] for e in refused.json()["reasons"]]


def test_recipient_never_sees_another_recipients_offer(client: TestClient, bank: Bank) -> None:
    operator = api.staff(bank)
    owner = api.business(client, operator, "recipient")
    other = api.business(client, operator, "recipient")
    offer_id = trust.draft(client, owner)
    assert client.get(f"/v1/offers/{offer_id}", headers=other.headers).status_code == 404
    assert client.post(f"/v1/offers/{offer_id}/submit", headers=other.headers).status_code == 404
