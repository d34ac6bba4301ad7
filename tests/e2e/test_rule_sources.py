"""Rules an auditor can trust, over HTTP: every refusal names its source and basis; a
suspended recipient is refused at every guideline version; profiling that infers
要配慮個人情報 is refused before 2.2 and, from 2.2, needs the person's own consent that
names what is inferred, never delegation."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from infobank.bootstrap import Bank
from infobank.services.worker import run_once
from tests.fakes import OfflineWebhooks
from tests.support import api, trust

SOURCES = {"guideline", "certification", "mynaportal", "policy"}
INFERS_HEALTH = {"infers": ["interests", "health.condition"]}
# A person who lets the bank consent for them to anything, profiling included.
EVERYTHING = [{"allow_profiling": True, "max_retention_days": 3650}]


def _at(version: str) -> Any:
    return pytest.param(version, marks=pytest.mark.settings(guideline_version=version), id=version)


def _reason(problem: dict[str, Any], rule: str) -> dict[str, Any]:
    [found] = [r for r in problem["reasons"] if r["rule"] == rule]
    return dict(found)


def _explain(client: TestClient, team: trust.Staff, person: str, offer: str, action: str) -> Any:
    answer = client.get(
        "/v1/admin/explain",
        params={"person_id": person, "offer_id": offer, "action": action},
        headers=team.operator.headers,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


@pytest.mark.parametrize("version", [_at("1.0"), _at("2.0")])
def test_a_suspended_recipient_is_refused_under_early_versions_too(
    client: TestClient, bank: Bank, version: str
) -> None:
    assert bank.context.guideline_version == version
    team = trust.staff(bank)
    recipient = trust.recipient(client, team)
    someone = trust.person(client)
    offer_id, opened = trust.open_offer(client, team, recipient)
    assert opened["invited"] == 1
    suspended = client.post(
        f"/v1/admin/recipients/{recipient.id}/suspend", headers=team.operator.headers
    )
    assert suspended.status_code == 200

    refused = client.post(f"/v1/me/offers/{offer_id}/accept", headers=someone.headers)

    assert refused.status_code == 403
    assert refused.json()["code"] == "recipient_suspended"
    standing = _reason(refused.json(), "recipient.standing")
    assert standing["source"] == "policy"
    assert standing["basis_ja"].startswith("運営方針：")
    assert standing["basis_en"].startswith("Bank policy: ")
    assert standing["clause"] == standing["basis_ja"]  # kept for clients that read it
    assert standing["message"] and standing["message_en"]
    assert api.items(client, "/v1/me/consents", someone.headers) == []
    explained = _explain(client, team, someone.id, offer_id, "accept")
    rules = {r["rule"]: r for r in explained["reasons"]}
    assert explained["version"] == version and rules["recipient.standing"]["outcome"] == "deny"
    assert {r["source"] for r in explained["reasons"]} <= SOURCES
    assert all(r["basis_ja"] and r["basis_en"] for r in explained["reasons"])
    [held] = api.items(client, "/v1/me/offers", someone.headers)
    assert [(r["rule"], r["source"]) for r in held["held_back"]] == [
        ("recipient.standing", "policy")
    ]


@pytest.mark.settings(guideline_version="2.1")
def test_before_2_2_an_offer_inferring_a_sensitive_attribute_is_refused(
    client: TestClient, bank: Bank
) -> None:
    team = trust.staff(bank)
    recipient = trust.recipient(client, team)
    offer_id = trust.draft(client, recipient, profiling=INFERS_HEALTH)

    refused = client.post(f"/v1/offers/{offer_id}/submit", headers=recipient.headers)

    assert refused.status_code == 422 and refused.json()["code"] == "offer_refused"
    reason = _reason(refused.json(), "sensitive.excluded")
    assert reason["source"] == "policy" and "v2.2" in reason["basis_ja"]
    assert "要配慮個人情報" in reason["message"]
    general = trust.draft(client, recipient, profiling={"infers": ["interests"]})
    trust.submit(client, recipient, general)  # inferring general attributes is fine


def test_from_2_2_an_offer_inferring_a_sensitive_attribute_needs_explicit_consent(
    client: TestClient, bank: Bank
) -> None:
    assert bank.context.guideline_version == "3.0"
    team = trust.staff(bank)
    recipient = trust.recipient(client, team)
    broad = trust.person(client, delegation=EVERYTHING)

    offer_id, opened = trust.open_offer(client, team, recipient, profiling=INFERS_HEALTH)

    assert (opened["delegated"], opened["invited"]) == (0, 1)  # never delegated
    explained = _explain(client, team, broad.id, offer_id, "delegate")
    disclosed = _reason(explained, "profiling.disclosed")
    assert disclosed["outcome"] == "deny" and disclosed["source"] == "guideline"
    assert disclosed["basis_ja"].startswith("認定指針 v2.2：")
    [shown] = api.items(client, "/v1/me/offers", broad.headers)
    assert shown["held_back"] == []
    assert shown["profiling"] is True
    named = {i["code"]: i for i in shown["profiling_infers"]}
    assert named["health.condition"]["sensitive"] is True
    assert named["health.condition"]["name_ja"] == "健康状態・病気の可能性"
    assert named["interests"]["sensitive"] is False

    consent_id = trust.accept(client, broad, offer_id)
    claims = client.get(f"/v1/me/consents/{consent_id}", headers=broad.headers).json()
    assert claims["mode"] == "explicit"
    artefact = claims["artefact_claims"]
    assert artefact["profiling"] is True
    assert [i["code"] for i in artefact["profiling_infers"]] == ["interests", "health.condition"]
    assert artefact["profiling_infers"][1]["name_en"].startswith("Health condition")
    assert run_once(bank.context, OfflineWebhooks())["built"] == 1
    package = api.items(client, "/v1/deliveries", recipient.headers)[0]
    fetched = client.get(f"/v1/deliveries/{package['id']}", headers=recipient.headers)
    assert fetched.status_code == 200


def test_profiling_stays_a_boolean_for_existing_clients_and_names_are_checked(
    client: TestClient, bank: Bank
) -> None:
    team = trust.staff(bank)
    recipient = trust.recipient(client, team)

    def offer(profiling: Any) -> dict[str, Any]:
        created = client.post(
            "/v1/offers", json=trust.offer_body(profiling=profiling), headers=recipient.headers
        )
        assert created.status_code == 201, created.text
        shown = client.get(f"/v1/offers/{created.json()['id']}", headers=recipient.headers)
        return dict(shown.json())

    assert (offer(False)["profiling"], offer(False)["profiling_infers"]) == (False, [])
    assert (offer(True)["profiling"], offer(True)["profiling_infers"]) == (True, [])
    named = offer({"infers": ["creed", "creed", "interests"]})
    assert (named["profiling"], named["profiling_infers"]) == (True, ["creed", "interests"])
    for wrong, code in [
        ({"infers": ["palm_reading"]}, "unknown_inference"),
        ({"infers": "creed"}, "validation_error"),
        ({"infer": ["creed"]}, "validation_error"),
    ]:
        refused = client.post(
            "/v1/offers", json=trust.offer_body(profiling=wrong), headers=recipient.headers
        )
        assert refused.status_code == 422 and refused.json()["code"] == code, refused.text
    catalogue = {i["code"]: i["sensitivity"] for i in client.get("/v1/inferences").json()}
    assert catalogue["health.condition"] == "sensitive" and catalogue["interests"] == "general"


def test_what_if_names_the_source_of_each_rule_that_makes_a_difference(
    client: TestClient, bank: Bank
) -> None:
    team = trust.staff(bank)
    recipient = trust.recipient(client, team)
    trust.open_offer(client, team, recipient, profiling=INFERS_HEALTH)

    answer = client.post(
        "/v1/admin/what-if", json={"guideline_version": "2.1"}, headers=team.operator.headers
    )

    assert answer.status_code == 200, answer.text
    excluded = answer.json()["by_rule"]["sensitive.excluded"]
    assert excluded["newly_refusing"] == 1
    [basis] = excluded["bases"]
    assert basis["source"] == "policy" and basis["basis_en"].startswith("Bank policy: ")
