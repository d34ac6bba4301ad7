"""Mynaportal through the bank end to end: the simulator and the bank side by side, a person
linking with their My Number card, and Mynaportal-derived data reaching a recipient only under
explicit consent and an approved joint application (連名申請). On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from fhir.resources.R4B import get_fhir_model_class
from joserfc import jwe, jws
from joserfc.jwk import ECKey, KeySet

from infobank.bootstrap import Bank
from infobank.domain.identity import StaffRole
from infobank.entrypoints.api.app import create_app
from infobank.mynaportal_sim.server import RunningSim
from infobank.services.worker import run_once
from tests.fakes import FakeClock, OfflineWebhooks
from tests.support import api, web
from tests.support import mynaportal as mp


@pytest.fixture
def sim(clock: FakeClock) -> Iterator[RunningSim]:
    with mp.simulator(clock) as running:
        yield running


@pytest.fixture(params=mp.BACKENDS)
def bank(request: pytest.FixtureRequest, tmp_path: Path, clock: FakeClock) -> Iterator[Bank]:
    yield from mp.wired_bank(request, tmp_path, clock)


@pytest.fixture
def client(bank: Bank) -> Iterator[TestClient]:
    with TestClient(create_app(bank=bank)) as test_client:
        yield test_client


def _recipient(client: TestClient, operator: api.Party) -> tuple[api.Party, ECKey]:
    party = api.business(client, operator, "recipient", industry="healthcare")
    cert = client.post(
        f"/v1/admin/recipients/{party.id}/certifications",
        json={
            "kind": "pmark",
            "number": "P-9",
            "valid_from": "2025-01-01",
            "valid_until": "2028-03-31",
        },
        headers=operator.headers,
    )
    assert cert.status_code == 201, cert.text
    key = ECKey.generate_key("P-256", private=True, auto_kid=True)
    put = client.put(
        "/v1/recipient/keys", json={"jwk": key.as_dict(private=False)}, headers=party.headers
    )
    assert put.status_code == 200, put.text
    return party, key


def _joint_application(
    client: TestClient, operator: api.Party, recipient_id: str
) -> dict[str, Any]:
    created = client.post(
        "/v1/admin/joint-applications",
        json={
            "recipient_id": recipient_id,
            "purposes": ["health.personal_advice"],
            "categories": mp.HEALTH,
            "approval_reference": "厚労省 連名申請 第2026-0042号",
            "approved_on": "2026-10-01",
        },
        headers=operator.headers,
    )
    assert created.status_code == 201, created.text
    return dict(created.json())


def _open_offer(
    client: TestClient, recipient: api.Party, operator: api.Party, ethics: api.Party
) -> tuple[str, dict[str, Any]]:
    created = client.post(
        "/v1/offers",
        json={
            "title": "服薬と健診結果にもとづく健康アドバイス",
            "purpose": {
                "code": "health.personal_advice",
                "text": "薬剤情報・特定健診・医療費から本人に合った健康助言を届ける",
                "justification": "individual_benefit",
            },
            "categories": mp.HEALTH,
            "benefit": {"points": 500},
            "retention_days": 365,
            "consent_duration_days": 180,
            "fetch": {"mode": "one_time"},
            "data_range_days": 1825,
            "profiling": False,
            "capacity": 10,
        },
        headers=recipient.headers,
    )
    assert created.status_code == 201, created.text
    offer_id = str(created.json()["id"])
    submitted = client.post(f"/v1/offers/{offer_id}/submit", headers=recipient.headers)
    assert submitted.status_code == 200, submitted.text
    reviewed = client.post(
        f"/v1/admin/offers/{offer_id}/review",
        json={"decision": "approve", "minutes": "本人への明確な便益あり。承認。"},
        headers=ethics.headers,
    )
    assert reviewed.status_code == 200, reviewed.text
    opened = client.post(f"/v1/admin/offers/{offer_id}/open", headers=operator.headers)
    assert opened.status_code == 200, opened.text
    return offer_id, opened.json()


def _linked_person(client: TestClient, sim: RunningSim) -> api.Party:
    person = api.sign_up(client)
    chosen = mp.card(sim)
    back = mp.link(client, sim, person, chosen["id"], chosen["pin"])
    assert back.status_code == 200, back.text
    assert 'data-status="active"' in back.text and "本人確認が完了し" in back.text
    return person


def _log_in_again(client: TestClient, person: api.Party) -> api.Party:
    """After the clock moved days ahead the person's bearer token has lapsed."""
    token = client.post("/v1/auth/login", json={"email": person.email, "password": api.PASSWORD})
    assert token.status_code == 200, token.text
    return api.Party(person.id, api.bearer(token.json()["access_token"]), email=person.email)


def _resource_types(resource: dict[str, Any]) -> set[str]:
    if resource["resourceType"] == "Bundle":
        return {e["resource"]["resourceType"] for e in resource["entry"]}
    return {resource["resourceType"]}


def test_verified_persons_mynaportal_data_reaches_an_approved_recipient_as_valid_fhir(
    client: TestClient, bank: Bank, sim: RunningSim, clock: FakeClock
) -> None:
    operator, ethics = api.staff(bank), api.staff(bank, StaffRole.ETHICS)
    recipient, key = _recipient(client, operator)
    approval = _joint_application(client, operator, recipient.id)
    person = _linked_person(client, sim)

    state = client.get("/v1/me/mynaportal", headers=person.headers).json()
    assert state["identity"]["verified"] is True
    assert state["identity"]["method"] == "mynumber_card"
    assert state["link"]["status"] == "active"
    held = api.items(client, "/v1/me/records", person.headers)
    assert held and state["imported_items"] == len(held)
    assert {r["acquired_via"] for r in held} == {"mynaportal"}
    assert {r["category"] for r in held} == set(mp.HEALTH)

    offer_id, opened = _open_offer(client, recipient, operator, ethics)
    assert opened["delegated"] == 0 and opened["invited"] == 1
    shown = next(
        o for o in api.items(client, "/v1/me/offers", person.headers) if o["offer"] == offer_id
    )
    assert shown["mynaportal"]["categories"] == mp.HEALTH
    assert (
        shown["mynaportal"]["joint_application"]["approval_reference"]
        == (approval["approval_reference"])
    )
    assert "マイナポータル" in shown["mynaportal"]["source_ja"]
    accepted = client.post(f"/v1/me/offers/{offer_id}/accept", headers=person.headers)
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["mode"] == "explicit"

    assert run_once(bank.context, OfflineWebhooks())["built"] == 1
    [listed] = api.items(client, "/v1/deliveries", recipient.headers)
    sealed = client.get(f"/v1/deliveries/{listed['id']}", headers=recipient.headers)
    assert sealed.status_code == 200, sealed.text
    # A FHIR package outgrows joserfc's default 64 KiB limits; a recipient raises them.
    jwe_registry = jwe.JWERegistry(algorithms=["ECDH-ES+A256KW", "A256GCM"])
    jwe_registry.max_ciphertext_length = 8 * 1024 * 1024
    jws_registry = jws.JWSRegistry(algorithms=["Ed25519"])
    jws_registry.max_payload_length = 8 * 1024 * 1024
    inner = jwe.decrypt_compact(sealed.json()["jwe"], key, registry=jwe_registry).plaintext
    assert inner is not None
    jwks = KeySet.import_key_set(client.get("/.well-known/jwks.json").json())
    document = json.loads(jws.deserialize_compact(inner, jwks, registry=jws_registry).payload)
    assert document["identity"]["verified"] is True
    start = clock.now() - timedelta(days=1825)  # the offer's data range: five years back
    in_range = {r["id"] for r in held if datetime.fromisoformat(r["observed_at"]) >= start}
    assert {r["id"] for r in document["records"]} == in_range
    types: set[str] = set()
    for record in document["records"]:
        assert record["acquired_via"] == "mynaportal"
        resource = record["data"]
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
        types |= _resource_types(resource)
    assert {
        "MedicationRequest",
        "MedicationDispense",
        "Observation",
        "DiagnosticReport",
        "ExplanationOfBenefit",
    } <= types

    exported = client.get("/v1/me/export", params={"format": "fhir"}, headers=person.headers)
    assert exported.status_code == 200, exported.text
    assert exported.headers["content-type"].startswith("application/fhir+json")
    bundle = get_fhir_model_class("Bundle").model_validate(exported.json())
    assert bundle.type == "collection"
    entries = exported.json()["entry"]
    assert entries[0]["resource"]["resourceType"] == "Patient"
    assert {"MedicationDispense", "DiagnosticReport", "ExplanationOfBenefit"} <= {
        e["resource"]["resourceType"] for e in entries
    }


def _refusing_rules(response: Any) -> list[str]:
    return [r["rule"] for r in response.json().get("reasons", [])]


def test_recipient_without_joint_application_is_refused_and_delegation_never_covers_it(
    client: TestClient, bank: Bank, sim: RunningSim
) -> None:
    operator, ethics = api.staff(bank), api.staff(bank, StaffRole.ETHICS)
    approved, _ = _recipient(client, operator)
    unlisted, _ = _recipient(client, operator)
    application = _joint_application(client, operator, approved.id)
    person = _linked_person(client, sim)
    # The broadest delegation a person can give (any category, purpose, industry).
    rules = {"rules": [{"max_retention_days": 3650, "allow_profiling": True}]}
    assert client.put("/v1/me/delegation", json=rules, headers=person.headers).status_code == 200

    unlisted_offer, opened = _open_offer(client, unlisted, operator, ethics)
    assert opened["delegated"] == 0 and opened["invited"] == 1
    refused = client.post(f"/v1/me/offers/{unlisted_offer}/accept", headers=person.headers)
    assert refused.status_code == 403, refused.text
    assert "mynaportal.joint_application" in _refusing_rules(refused)

    approved_offer, opened = _open_offer(client, approved, operator, ethics)
    assert opened["delegated"] == 0 and opened["invited"] == 1  # never delegated, even approved
    assert api.items(client, "/v1/me/consents", person.headers) == []
    explained = client.get(
        "/v1/admin/explain",
        params={"person_id": person.id, "offer_id": approved_offer, "action": "delegate"},
        headers=operator.headers,
    ).json()
    assert explained["allowed"] is False
    assert any(
        r["rule"] == "mynaportal.joint_application" and r["outcome"] == "deny"
        for r in explained["reasons"]
    )

    withdrawn = client.post(
        f"/v1/admin/joint-applications/{application['id']}/withdraw", headers=operator.headers
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    refused = client.post(f"/v1/me/offers/{approved_offer}/accept", headers=person.headers)
    assert refused.status_code == 403, refused.text
    assert "mynaportal.joint_application" in _refusing_rules(refused)
    listed = api.items(client, "/v1/admin/joint-applications", operator.headers)
    assert [a["status"] for a in listed] == ["withdrawn"]


# (card, wrong PIN?, the failure code, what the person is told)
CARD_FAILURES = [
    ("valid", True, "pin_incorrect", "暗証番号が正しくありません"),
    ("foreign_ca", False, "certificate_untrusted", "認証局から発行されたものではありません"),
    ("expired", False, "certificate_expired", "有効期限が切れています"),
    ("revoked", False, "certificate_revoked", "失効しています"),
]


def test_wrong_pin_foreign_expired_or_revoked_card_fails_with_its_reason_and_imports_nothing(
    client: TestClient, sim: RunningSim
) -> None:
    for card_status, wrong_pin, failure, said in CARD_FAILURES:
        person = api.sign_up(client)
        chosen = mp.card(sim, card_status)
        pin = f"{(int(chosen['pin']) + 1) % 10000:04d}" if wrong_pin else chosen["pin"]

        back = mp.link(client, sim, person, chosen["id"], pin)

        assert back.status_code == 400, failure
        assert f'data-code="{failure}"' in back.text and said in back.text, back.text
        state = client.get("/v1/me/mynaportal", headers=person.headers).json()
        assert state["identity"]["verified"] is False, failure
        assert state["link"]["status"] == "failed", failure
        assert state["link"]["failure"]["code"] == failure
        assert state["link"]["failure"]["message_en"], failure
        assert state["imported_items"] == 0, failure
        assert api.items(client, "/v1/me/records", person.headers) == [], failure
    assert "request" not in sim.state.calls  # the bank never asked Mynaportal for data


def test_bank_stops_fetching_after_90_days_and_tells_the_person_how_to_renew(
    client: TestClient, sim: RunningSim, clock: FakeClock
) -> None:
    person = _linked_person(client, sim)
    first = len(api.items(client, "/v1/me/records", person.headers))

    again = client.post("/v1/me/mynaportal/refresh", headers=person.headers)
    assert again.status_code == 200, again.text
    assert again.json()["imported"] == 0  # nothing new yet, nothing duplicated

    clock.advance(days=45)
    person = _log_in_again(client, person)
    later = client.post("/v1/me/mynaportal/refresh", headers=person.headers).json()
    assert later["status"] == "active" and later["imported"] > 0
    held = api.items(client, "/v1/me/records", person.headers)
    assert len(held) == first + later["imported"]

    clock.advance(days=46)  # 91 days after linking: the 期間連携 window is over
    person = _log_in_again(client, person)
    calls = len(sim.state.calls)
    stopped = client.post("/v1/me/mynaportal/refresh", headers=person.headers)
    assert stopped.status_code == 200, stopped.text
    assert stopped.json()["status"] == "expired" and stopped.json()["imported"] == 0
    assert stopped.json()["renew"]["path"] == "/v1/me/mynaportal/link"
    assert len(sim.state.calls) == calls  # the bank did not call Mynaportal at all
    assert len(api.items(client, "/v1/me/records", person.headers)) == len(held)
    client.post("/v1/me/mynaportal/refresh", headers=person.headers)

    notices = [
        n
        for n in api.items(client, "/v1/me/notifications", person.headers)
        if n["kind"] == "mynaportal.renewal_needed"
    ]
    assert len(notices) == 1  # told once, not on every attempt
    assert notices[0]["params"]["path"] == "/v1/me/mynaportal/link"
    assert "マイナンバーカードで連携をやり直してください" in notices[0]["params"]["message_ja"]
    state = client.get("/v1/me/mynaportal", headers=person.headers).json()
    assert state["link"]["status"] == "expired" and state["identity"]["verified"] is True


def test_the_callback_completes_only_for_the_person_who_started_the_link(
    client: TestClient, sim: RunningSim
) -> None:
    """Whoever enters a card's PIN on a link someone else started must not hand their data
    to that account: the callback needs the starter's own logged-in browser."""
    starter = api.sign_up(client)
    chosen = mp.card(sim)

    # No web session: sent to log in, and the link is still pending.
    back = mp.link(client, sim, starter, chosen["id"], chosen["pin"], log_in=False)
    assert back.status_code == 200  # followed the redirect to the log-in page
    assert back.url.path == "/login" and "next=" in str(back.url)
    assert client.get("/v1/me/mynaportal", headers=starter.headers).json()["link"]["status"] == (
        "pending"
    )

    # Someone else's session in that browser: the link ends, unused, and nothing is imported.
    other = api.sign_up(client)
    web.log_in(client, other.email)
    redirect = client.get(str(back.url.params["next"]))
    assert redirect.status_code == 400
    assert 'data-code="link_started_elsewhere"' in redirect.text
    state = client.get("/v1/me/mynaportal", headers=starter.headers).json()
    assert state["link"]["status"] == "failed" and state["imported_items"] == 0
    assert state["identity"]["verified"] is False
    assert client.get("/v1/me/mynaportal", headers=other.headers).json()["imported_items"] == 0


def test_logging_in_after_the_card_step_completes_the_link(
    client: TestClient, sim: RunningSim
) -> None:
    person = api.sign_up(client)
    chosen = mp.card(sim)
    back = mp.link(client, sim, person, chosen["id"], chosen["pin"], log_in=False)
    assert back.url.path == "/login"
    page = client.get(str(back.url))
    done = client.post(
        "/login",
        data={
            "csrf_token": web.csrf(page.text),
            "email": person.email,
            "password": api.PASSWORD,
            "next": back.url.params["next"],
        },
    )
    assert done.status_code == 200, done.text
    assert 'data-status="active"' in done.text
    assert client.get("/v1/me/mynaportal", headers=person.headers).json()["identity"]["verified"]
