"""Suspending a recipient pauses its consents at once (and tells the persons); reinstating it
resumes exactly those. Reach estimates never single out a small group."""

from __future__ import annotations

from fastapi.testclient import TestClient

from infobank.bootstrap import Bank
from infobank.services.worker import run_once
from tests.fakes import OfflineWebhooks
from tests.support import api, trust


def _status(client: TestClient, who: trust.Party, consent_id: str) -> str:
    return str(client.get(f"/v1/me/consents/{consent_id}", headers=who.headers).json()["status"])


def test_suspension_pauses_consents_and_reinstatement_resumes_them(
    client: TestClient, bank: Bank
) -> None:
    team = trust.staff(bank)
    recipient = trust.recipient(client, team)
    bystander = trust.recipient(client, team)
    first, second = trust.person(client), trust.person(client)
    offer_id, _ = trust.open_offer(client, team, recipient)
    other_offer, _ = trust.open_offer(client, team, bystander)
    one = trust.accept(client, first, offer_id)
    two = trust.accept(client, second, offer_id)
    untouched = trust.accept(client, first, other_offer)
    paused_by_person = client.post(f"/v1/me/consents/{two}/pause", headers=second.headers)
    assert paused_by_person.status_code == 200
    run_once(bank.context, OfflineWebhooks())
    package = next(
        d for d in api.items(client, "/v1/deliveries", recipient.headers) if d["consent_id"] == one
    )

    suspended = client.post(
        f"/v1/admin/recipients/{recipient.id}/suspend", headers=team.operator.headers
    )
    assert suspended.status_code == 200
    assert _status(client, first, one) == "paused"
    assert _status(client, first, untouched) == "active"
    kinds = [n["kind"] for n in api.items(client, "/v1/me/notifications", first.headers)]
    assert "consent.suspended" in kinds
    refused = client.get(f"/v1/deliveries/{package['id']}", headers=recipient.headers)
    assert refused.status_code == 403
    rules = [r["rule"] for r in refused.json()["reasons"]]
    assert "consent.status" in rules and "recipient.standing" in rules
    assert run_once(bank.context, OfflineWebhooks())["built"] == 0

    # Suspending twice changes nothing more.
    again = client.post(
        f"/v1/admin/recipients/{recipient.id}/suspend", headers=team.operator.headers
    )
    assert again.status_code == 200

    reinstated = client.post(
        f"/v1/admin/recipients/{recipient.id}/reinstate", headers=team.operator.headers
    )
    assert reinstated.status_code == 200 and reinstated.json()["suspended"] is False
    assert _status(client, first, one) == "active"
    assert _status(client, second, two) == "paused"  # the person's own pause stands
    fetched = client.get(f"/v1/deliveries/{package['id']}", headers=recipient.headers)
    assert fetched.status_code == 200
    history = client.get(f"/v1/me/consents/{one}", headers=first.headers).json()
    assert [e["status"] for e in history["history"]] == ["granted", "paused", "active"]
    assert history["history"][1]["actor"].startswith("suspension:")


def test_suspending_an_unknown_recipient_is_404(client: TestClient, bank: Bank) -> None:
    team = trust.staff(bank)
    missing = client.post("/v1/admin/recipients/nope/suspend", headers=team.operator.headers)
    assert missing.status_code == 404


def test_reach_is_rounded_and_small_groups_are_suppressed(client: TestClient, bank: Bank) -> None:
    team = trust.staff(bank)
    recipient = trust.recipient(client, team)
    for _ in range(12):
        trust.person(client, prefecture="13")
    trust.person(client, prefecture="47")
    broad = trust.draft(client, recipient)
    reach = client.get(f"/v1/offers/{broad}/reach", headers=recipient.headers)
    assert reach.status_code == 200
    assert reach.json()["estimate"] == 10 and reach.json()["suppressed"] is False

    narrow = trust.draft(client, recipient, target={"prefectures": ["47"]})
    small = client.get(f"/v1/offers/{narrow}/reach", headers=recipient.headers).json()
    assert small["suppressed"] is True and small["estimate"] == 0

    nobody = trust.draft(client, recipient, categories=["lifelog.sleep"])
    empty = client.get(f"/v1/offers/{nobody}/reach", headers=recipient.headers).json()
    assert empty["suppressed"] is True and empty["estimate"] == 0
