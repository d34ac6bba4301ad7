"""Every refusal of the trust loop names the rule that refused it in ``reasons`` (SPEC §4, §7)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from infobank.bootstrap import Bank
from infobank.services.worker import run_once
from tests.fakes import FakeClock, OfflineWebhooks
from tests.support import api, trust


def _rules(problem: dict[str, Any]) -> list[str]:
    return [reason["rule"] for reason in problem["reasons"]]


def _explain(client: TestClient, team: trust.Staff, person_id: str, offer_id: str, **q: str) -> Any:
    answer = client.get(
        "/v1/admin/explain",
        params={"person_id": person_id, "offer_id": offer_id, **q},
        headers=team.operator.headers,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def _refusing(explained: dict[str, Any]) -> list[str]:
    return [r["rule"] for r in explained["reasons"] if r["outcome"] != "allow"]


def test_recipient_without_a_certificate_is_refused(client: TestClient, bank: Bank) -> None:
    team = trust.staff(bank)
    uncertified = trust.recipient(client, team, certified=False)
    someone = trust.person(client)
    offer_id, opened = trust.open_offer(client, team, uncertified)
    assert opened["invited"] == 0 and opened["delegated"] == 0  # nobody is asked in vain
    assert opened["not_invited"] == 1 and opened["held_back"] == ["recipient_uncertified"]
    assert api.items(client, "/v1/me/offers", someone.headers) == []

    explained = _explain(client, team, someone.id, offer_id, action="accept")
    assert "recipient.certified" in _refusing(explained)
    refused = client.post(f"/v1/me/offers/{offer_id}/accept", headers=someone.headers)
    assert refused.status_code == 404  # never in their inbox
    assert api.items(client, "/v1/me/consents", someone.headers) == []


def test_recipient_whose_certificate_expired_after_opening_is_refused(
    client: TestClient, bank: Bank, clock: FakeClock
) -> None:
    team = trust.staff(bank)
    lapsing = trust.recipient(client, team, certified=False)
    trust.certify(client, team.operator, lapsing.id, valid_until="2026-12-31")
    someone = trust.person(client)
    offer_id, opened = trust.open_offer(client, team, lapsing)
    assert opened["invited"] == 1

    clock.advance(days=40)  # past valid_until
    login = {"email": someone.email, "password": api.PASSWORD}
    headers = api.bearer(client.post("/v1/auth/login", json=login).json()["access_token"])
    [waiting] = api.items(client, "/v1/me/offers", headers)
    assert [r["rule"] for r in waiting["held_back"]] == ["recipient.certified"]
    refused = client.post(f"/v1/me/offers/{offer_id}/accept", headers=headers)
    assert refused.status_code == 403
    assert refused.json()["code"] == "recipient_uncertified"
    assert "recipient.certified" in _rules(refused.json())
    assert api.items(client, "/v1/me/consents", headers) == []


def test_certificate_lapsing_after_building_stops_the_package_at_fetch(
    client: TestClient, bank: Bank, clock: FakeClock
) -> None:
    team = trust.staff(bank)
    recipient = trust.recipient(client, team, certified=False)
    trust.certify(client, team.operator, recipient.id, valid_until="2026-12-31")
    someone = trust.person(client)
    offer_id, _ = trust.open_offer(client, team, recipient)
    trust.accept(client, someone, offer_id)
    assert run_once(bank.context, OfflineWebhooks())["built"] == 1
    package = api.items(client, "/v1/deliveries", recipient.headers)[0]

    clock.advance(days=40)  # past valid_until
    refused = client.get(f"/v1/deliveries/{package['id']}", headers=trust.fresh(client, recipient))
    assert refused.status_code == 403
    assert "recipient.certified" in _rules(refused.json())


def test_suspended_recipient_is_refused(client: TestClient, bank: Bank) -> None:
    team = trust.staff(bank)
    recipient = trust.recipient(client, team)
    someone = trust.person(client)
    offer_id, _ = trust.open_offer(client, team, recipient)
    suspended = client.post(
        f"/v1/admin/recipients/{recipient.id}/suspend", headers=team.operator.headers
    )
    assert suspended.status_code == 200 and suspended.json()["suspended"] is True

    refused = client.post(f"/v1/me/offers/{offer_id}/accept", headers=someone.headers)
    assert refused.status_code == 403
    assert refused.json()["code"] == "recipient_suspended"
    assert "recipient.standing" in _rules(refused.json())


@pytest.mark.parametrize("stage", ["draft", "under_review", "rejected"])
def test_offer_without_approval_is_refused(client: TestClient, bank: Bank, stage: str) -> None:
    team = trust.staff(bank)
    recipient = trust.recipient(client, team)
    someone = trust.person(client)
    offer_id = trust.draft(client, recipient)
    if stage != "draft":
        trust.submit(client, recipient, offer_id)
    if stage == "rejected":
        trust.approve(client, team, offer_id, decision="reject")

    explained = _explain(client, team, someone.id, offer_id)
    assert explained["allowed"] is False
    assert "offer.reviewed" in _refusing(explained)
    opening = client.post(f"/v1/admin/offers/{offer_id}/open", headers=team.operator.headers)
    assert opening.status_code == 409
    assert api.items(client, "/v1/me/offers", someone.headers) == []


def test_sensitive_category_is_refused_at_submission(client: TestClient, bank: Bank) -> None:
    team = trust.staff(bank)
    recipient = trust.recipient(client, team)
    offer_id = trust.draft(client, recipient, categories=["lifelog.activity", "health.diagnosis"])
    refused = client.post(f"/v1/offers/{offer_id}/submit", headers=recipient.headers)
    assert refused.status_code == 422
    assert refused.json()["code"] == "offer_refused"
    assert "sensitive.excluded" in _rules(refused.json())
    assert client.get(f"/v1/offers/{offer_id}", headers=recipient.headers).json()["status"] == (
        "draft"
    )


@pytest.mark.parametrize(
    ("change", "value"),
    [
        ("retention_days", 3000),
        ("consent_duration_days", 3000),
        ("data_range_days", 3000),
    ],
)
def test_guard_rail_breach_is_refused_at_submission(
    client: TestClient, bank: Bank, change: str, value: int
) -> None:
    team = trust.staff(bank)
    recipient = trust.recipient(client, team)
    offer_id = trust.draft(client, recipient, **{change: value})
    refused = client.post(f"/v1/offers/{offer_id}/submit", headers=recipient.headers)
    assert refused.status_code == 422
    assert _rules(refused.json()) == ["purpose.guardrails"]


def test_fetch_mode_outside_the_purpose_is_refused(client: TestClient, bank: Bank) -> None:
    team = trust.staff(bank)
    recipient = trust.recipient(client, team)
    offer_id = trust.draft(
        client,
        recipient,
        purpose={"code": "public.statistics", "text": "統計"},
        fetch={"mode": "periodic", "every_days": 30},
        retention_days=30,
        consent_duration_days=90,
    )
    refused = client.post(f"/v1/offers/{offer_id}/submit", headers=recipient.headers)
    assert refused.status_code == 422
    assert "purpose.guardrails" in _rules(refused.json())


def test_delegation_never_covers_a_non_general_category(client: TestClient, bank: Bank) -> None:
    team = trust.staff(bank)
    recipient = trust.recipient(client, team)
    # "Any purpose, any category": the widest rule a person can write.
    delegating = trust.person(client, ("health.checkup",), delegation=[{}])
    offer_id, opened = trust.open_offer(
        client,
        team,
        recipient,
        title="健診結果に基づく健康助言",
        purpose={
            "code": "health.personal_advice",
            "text": "健診結果から本人に健康助言を送る",
            "justification": "individual_benefit",
        },
        categories=["health.checkup"],
    )
    assert opened["delegated"] == 0 and opened["invited"] == 1
    assert api.items(client, "/v1/me/consents", delegating.headers) == []

    explained = _explain(client, team, delegating.id, offer_id, action="delegate")
    assert explained["action"] == "delegate" and explained["allowed"] is False
    assert "delegation.scope" in _refusing(explained)
    # The person can still decide for themselves.
    assert trust.accept(client, delegating, offer_id)


def test_delegation_rules_cannot_name_a_non_general_category(
    client: TestClient, bank: Bank
) -> None:
    someone = trust.person(client)
    rules = {"rules": [{"categories": ["health.medication"]}]}
    refused = client.put("/v1/me/delegation", json=rules, headers=someone.headers)
    assert refused.status_code == 422
    assert refused.json()["code"] == "delegation_not_general"
    assert client.get("/v1/me/delegation", headers=someone.headers).json() == {"rules": []}


def test_explain_rejects_an_unknown_action(client: TestClient, bank: Bank) -> None:
    team = trust.staff(bank)
    recipient = trust.recipient(client, team)
    someone = trust.person(client)
    offer_id = trust.draft(client, recipient)
    answer = client.get(
        "/v1/admin/explain",
        params={"person_id": someone.id, "offer_id": offer_id, "action": "steal"},
        headers=team.operator.headers,
    )
    assert answer.status_code == 422
