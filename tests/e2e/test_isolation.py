"""Ownership: a recipient never sees another recipient's offers, deliveries or revocations
(404, exactly as if they did not exist); a person never acts on another person's consent."""

from __future__ import annotations

from fastapi.testclient import TestClient

from infobank.bootstrap import Bank
from infobank.services.worker import run_once
from tests.fakes import OfflineWebhooks
from tests.support import api, trust


def test_recipients_see_only_their_own(client: TestClient, bank: Bank) -> None:
    team = trust.staff(bank)
    owner = trust.recipient(client, team)
    other = trust.recipient(client, team)
    someone = trust.person(client)
    offer_id, _ = trust.open_offer(client, team, owner)
    trust.accept(client, someone, offer_id)
    run_once(bank.context, OfflineWebhooks())
    delivery = api.items(client, "/v1/deliveries", owner.headers)[0]
    assert client.post("/v1/me/stop-all", headers=someone.headers).json() == {"revoked": 1}
    revocation = api.items(client, "/v1/revocations", owner.headers)[0]

    assert api.items(client, "/v1/deliveries", other.headers) == []
    assert api.items(client, "/v1/revocations", other.headers) == []
    missing = [
        client.get(f"/v1/offers/{offer_id}", headers=other.headers),
        client.get(f"/v1/offers/{offer_id}/reach", headers=other.headers),
        client.post(f"/v1/offers/{offer_id}/submit", headers=other.headers),
        client.get(f"/v1/deliveries/{delivery['id']}", headers=other.headers),
        client.post(f"/v1/deliveries/{delivery['id']}/ack", headers=other.headers),
        client.post(
            f"/v1/revocations/{revocation['id']}/ack",
            json={"method": "deleted"},
            headers=other.headers,
        ),
    ]
    assert [r.status_code for r in missing] == [404] * len(missing)
    unknown = client.get("/v1/deliveries/no-such-id", headers=other.headers)
    assert missing[3].json()["code"] == unknown.json()["code"] == "not_found"
    # Nothing the other recipient tried changed the owner's view.
    assert api.items(client, "/v1/revocations", owner.headers)[0]["acknowledged_at"] is None


def test_a_person_never_acts_on_anothers_consent(client: TestClient, bank: Bank) -> None:
    team = trust.staff(bank)
    recipient = trust.recipient(client, team)
    owner = trust.person(client)
    intruder = trust.person(client)
    offer_id, _ = trust.open_offer(client, team, recipient)
    consent_id = trust.accept(client, owner, offer_id)

    attempts = [
        client.get(f"/v1/me/consents/{consent_id}", headers=intruder.headers),
        client.post(f"/v1/me/consents/{consent_id}/pause", headers=intruder.headers),
        client.post(f"/v1/me/consents/{consent_id}/resume", headers=intruder.headers),
        client.post(f"/v1/me/consents/{consent_id}/revoke", headers=intruder.headers),
    ]
    assert [r.status_code for r in attempts] == [404] * len(attempts)
    assert client.post("/v1/me/stop-all", headers=intruder.headers).json() == {"revoked": 0}
    assert api.items(client, "/v1/me/provisions", intruder.headers) == []
    mine = client.get(f"/v1/me/consents/{consent_id}", headers=owner.headers).json()
    assert mine["status"] == "active"


def test_a_person_cannot_accept_an_offer_meant_for_someone_else(
    client: TestClient, bank: Bank
) -> None:
    team = trust.staff(bank)
    recipient = trust.recipient(client, team)
    invited = trust.person(client)
    offer_id, _ = trust.open_offer(client, team, recipient)
    # Signed up after the offer opened, and holding nothing it asks for: not invited.
    outsider = trust.person(client, ())
    assert api.items(client, "/v1/me/offers", outsider.headers) == []
    refused = client.post(f"/v1/me/offers/{offer_id}/accept", headers=outsider.headers)
    assert refused.status_code == 404
    assert (
        client.post(f"/v1/me/offers/{offer_id}/decline", headers=outsider.headers).status_code
        == 404
    )
    assert trust.accept(client, invited, offer_id)


def test_persons_and_recipients_cannot_use_each_others_endpoints(
    client: TestClient, bank: Bank
) -> None:
    team = trust.staff(bank)
    recipient = trust.recipient(client, team)
    someone = trust.person(client)
    assert client.get("/v1/deliveries", headers=someone.headers).status_code == 403
    assert client.get("/v1/me/consents", headers=recipient.headers).status_code == 403
    assert client.get("/v1/admin/reviews", headers=recipient.headers).status_code == 403
