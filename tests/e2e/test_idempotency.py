"""``Idempotency-Key`` on POSTs (SPEC §9): a retried request acts once and gets the first
response again; a key reused for another request, or still in flight, is refused."""

from __future__ import annotations

import hashlib
import json

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient

from infobank.bootstrap import Bank
from infobank.domain.identity import PrincipalKind
from infobank.entrypoints.api.idempotency import IdempotencyKeys
from infobank.services import idempotency
from infobank.services.worker import run_once
from tests.fakes import FakeClock, OfflineWebhooks
from tests.support import api, trust


def _offers_of(bank: Bank, recipient_id: str) -> int:
    with bank.context.uow() as uow:
        return len(uow.offers.find(recipient_id=recipient_id))


def test_a_retried_offer_is_created_once(client: TestClient, bank: Bank) -> None:
    team = trust.staff(bank)
    recipient = trust.recipient(client, team)
    headers = {**recipient.headers, "Idempotency-Key": "offer-2026-11-26-a"}
    first = client.post("/v1/offers", json=trust.offer_body(), headers=headers)
    again = client.post("/v1/offers", json=trust.offer_body(), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert _offers_of(bank, recipient.id) == 1

    # Without the header every POST acts.
    client.post("/v1/offers", json=trust.offer_body(), headers=recipient.headers)
    assert _offers_of(bank, recipient.id) == 2


def test_keys_belong_to_their_caller(client: TestClient, bank: Bank) -> None:
    team = trust.staff(bank)
    one = trust.recipient(client, team)
    two = trust.recipient(client, team)
    key = {"Idempotency-Key": "same-key"}
    a = client.post("/v1/offers", json=trust.offer_body(), headers={**one.headers, **key})
    b = client.post("/v1/offers", json=trust.offer_body(), headers={**two.headers, **key})
    assert a.status_code == b.status_code == 201
    assert a.json()["id"] != b.json()["id"]
    assert _offers_of(bank, two.id) == 1


def test_a_key_reused_for_a_different_request_is_refused(client: TestClient, bank: Bank) -> None:
    team = trust.staff(bank)
    recipient = trust.recipient(client, team)
    headers = {**recipient.headers, "Idempotency-Key": "k-1"}
    assert client.post("/v1/offers", json=trust.offer_body(), headers=headers).status_code == 201
    other = client.post("/v1/offers", json=trust.offer_body(title="別のオファー"), headers=headers)
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert _offers_of(bank, recipient.id) == 1


def test_refusals_are_replayed_too(client: TestClient, bank: Bank) -> None:
    team = trust.staff(bank)
    recipient = trust.recipient(client, team)
    offer_id = trust.draft(client, recipient, categories=["creed"])
    headers = {**recipient.headers, "Idempotency-Key": "submit-1"}
    first = client.post(f"/v1/offers/{offer_id}/submit", headers=headers)
    again = client.post(f"/v1/offers/{offer_id}/submit", headers=headers)
    assert first.status_code == again.status_code == 422
    assert again.json() == first.json()
    assert again.headers["content-type"] == "application/problem+json"


def test_acknowledgements_with_a_key_act_once(client: TestClient, bank: Bank) -> None:
    team = trust.staff(bank)
    recipient = trust.recipient(client, team)
    someone = trust.person(client)
    offer_id, _ = trust.open_offer(client, team, recipient)
    trust.accept(client, someone, offer_id)
    run_once(bank.context, OfflineWebhooks())
    delivery = api.items(client, "/v1/deliveries", recipient.headers)[0]
    assert client.get(f"/v1/deliveries/{delivery['id']}", headers=recipient.headers).is_success
    headers = {**recipient.headers, "Idempotency-Key": f"ack-{delivery['id']}"}
    first = client.post(f"/v1/deliveries/{delivery['id']}/ack", headers=headers)
    again = client.post(f"/v1/deliveries/{delivery['id']}/ack", headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert client.get("/v1/me/benefits", headers=someone.headers).json()["balance_points"] == 300


def test_malformed_keys_are_refused(client: TestClient, bank: Bank) -> None:
    team = trust.staff(bank)
    recipient = trust.recipient(client, team)
    for bad in ("x" * 256, "with space"):
        refused = client.post(
            "/v1/offers",
            json=trust.offer_body(),
            headers={**recipient.headers, "Idempotency-Key": bad},
        )
        assert refused.status_code == 422
        assert refused.json()["code"] == "invalid_idempotency_key"
    assert _offers_of(bank, recipient.id) == 0


def test_a_key_in_flight_waits_and_a_dead_one_is_taken_over(
    client: TestClient, bank: Bank, clock: FakeClock
) -> None:
    team = trust.staff(bank)
    recipient = trust.recipient(client, team)
    headers = {**recipient.headers, "Idempotency-Key": "in-flight"}
    body = trust.offer_body()
    # Another worker process holds the key (its request is still running).
    digest = hashlib.sha256()
    for part in ("POST", "/v1/offers", ""):
        digest.update(part.encode() + b"\0")
    raw = json.dumps(body).encode()
    digest.update(raw)
    principal = f"{PrincipalKind.RECIPIENT.value}:{recipient.id}"
    assert idempotency.begin(bank.context, principal, "in-flight", digest.hexdigest()) is None

    busy = client.post(
        "/v1/offers", content=raw, headers={**headers, "Content-Type": "application/json"}
    )
    assert busy.status_code == 409
    assert busy.json()["code"] == "idempotency_in_progress"
    assert _offers_of(bank, recipient.id) == 0

    clock.advance(seconds=idempotency.LEASE.total_seconds() + 1)  # that worker died
    taken = client.post(
        "/v1/offers", content=raw, headers={**headers, "Content-Type": "application/json"}
    )
    assert taken.status_code == 201
    assert _offers_of(bank, recipient.id) == 1


def test_a_server_error_releases_the_key(client: TestClient, bank: Bank) -> None:
    someone = api.sign_up(client)
    calls: list[int] = []
    inner = FastAPI()

    @inner.post("/flaky")
    def flaky() -> JSONResponse:
        calls.append(1)
        if len(calls) == 1:
            return JSONResponse({"error": "database went away"}, status_code=503)
        return JSONResponse({"done": len(calls)}, status_code=201)

    wrapped = TestClient(IdempotencyKeys(inner, bank.context))
    headers = {**someone.headers, "Idempotency-Key": "retry-me"}
    assert wrapped.post("/flaky", headers=headers).status_code == 503
    second = wrapped.post("/flaky", headers=headers)
    third = wrapped.post("/flaky", headers=headers)
    assert second.status_code == third.status_code == 201
    assert third.json() == second.json() == {"done": 2}
    assert len(calls) == 2


def test_old_keys_are_purged(client: TestClient, bank: Bank, clock: FakeClock) -> None:
    team = trust.staff(bank)
    recipient = trust.recipient(client, team)
    headers = {**recipient.headers, "Idempotency-Key": "old"}
    assert client.post("/v1/offers", json=trust.offer_body(), headers=headers).status_code == 201
    clock.advance(hours=25)
    run_once(bank.context, OfflineWebhooks())
    fresh = {**trust.fresh(client, recipient), "Idempotency-Key": "old"}
    again = client.post(
        "/v1/offers", json=trust.offer_body(title="翌日の新しいオファー"), headers=fresh
    )
    assert again.status_code == 201
    assert _offers_of(bank, recipient.id) == 2
