"""The guideline's moving parts in service: a new terms version pauses provision until the
person agrees again; exceptions (例外類型) admit an uncertified recipient only while approved
and unexpired; what-if reports what a version change would do, by rule."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from infobank.bootstrap import Bank
from infobank.domain.errors import PolicyViolation
from infobank.services import offers
from infobank.services.worker import run_once
from tests.fakes import FakeClock, OfflineWebhooks
from tests.support import api, trust


def _publish(client: TestClient, team: trust.Staff, version: str) -> None:
    published = client.post(
        "/v1/admin/terms",
        json={"version": version, "text_ja": "新しい利用規約", "text_en": "New terms of use"},
        headers=team.operator.headers,
    )
    assert published.status_code == 201, published.text


def _rules(body: dict[str, Any]) -> list[str]:
    return [r["rule"] for r in body.get("reasons", body.get("held_back", []))]


def test_new_terms_pause_provision_until_the_person_agrees(
    client: TestClient, bank: Bank, clock: FakeClock
) -> None:
    team = trust.staff(bank)
    recipient = trust.recipient(client, team)
    someone = trust.person(client)
    offer_id, _ = trust.open_offer(
        client, team, recipient, fetch={"mode": "periodic", "every_days": 7}
    )
    trust.accept(client, someone, offer_id)
    assert run_once(bank.context, OfflineWebhooks())["built"] == 1
    first = api.items(client, "/v1/deliveries", recipient.headers)[0]

    _publish(client, team, "2026-12")
    assert client.get("/v1/terms").json()["version"] == "2026-12"
    kinds = [n["kind"] for n in api.items(client, "/v1/me/notifications", someone.headers)]
    assert "terms.updated" in kinds
    held = api.items(client, "/v1/me/provisions", someone.headers)[0]
    assert _rules(held) == ["terms.current"]
    refused = client.get(f"/v1/deliveries/{first['id']}", headers=recipient.headers)
    assert refused.status_code == 403 and "terms.current" in _rules(refused.json())
    clock.advance(minutes=1)
    client.post(
        "/v1/me/records",
        json={"category": "lifelog.activity", "data": {"steps": 12000}},
        headers=someone.headers,
    )
    clock.advance(days=7)
    assert run_once(bank.context, OfflineWebhooks())["built"] == 0  # paused, not lost

    someone = api.Party(
        someone.id,
        api.bearer(
            client.post(
                "/v1/auth/login", json={"email": someone.email, "password": api.PASSWORD}
            ).json()["access_token"]
        ),
        email=someone.email,
    )
    stale = client.post("/v1/me/terms", json={"version": "2026-04-old"}, headers=someone.headers)
    assert stale.status_code == 422 and stale.json()["code"] == "terms_outdated"
    agreed = client.post("/v1/me/terms", json={"version": "2026-12"}, headers=someone.headers)
    assert agreed.status_code == 200
    assert client.get("/v1/me", headers=someone.headers).json()["terms_current"] is True
    assert api.items(client, "/v1/me/provisions", someone.headers)[0]["held_back"] == []
    headers = trust.fresh(client, recipient)
    assert client.get(f"/v1/deliveries/{first['id']}", headers=headers).status_code == 200
    assert run_once(bank.context, OfflineWebhooks())["built"] == 1  # the record kept back arrives


def test_sign_up_needs_the_current_terms(client: TestClient, bank: Bank) -> None:
    team = trust.staff(bank)
    old = client.get("/v1/terms").json()["version"]
    _publish(client, team, "v2")
    body = {
        "email": "late@example.jp",
        "password": api.PASSWORD,
        "display_name": "佐藤 一郎",
        "birth_date": "1990-01-01",
        "gender": "male",
        "prefecture": "27",
        "terms_version": old,
    }
    refused = client.post("/v1/persons", json=body)
    assert refused.status_code == 422 and refused.json()["code"] == "terms_outdated"
    assert client.post("/v1/persons", json={**body, "terms_version": "v2"}).status_code == 201


def test_terms_versions_are_published_once_and_only_by_operators(
    client: TestClient, bank: Bank
) -> None:
    team = trust.staff(bank)
    _publish(client, team, "v2")
    again = client.post(
        "/v1/admin/terms",
        json={"version": "v2", "text_ja": "別", "text_en": "other"},
        headers=team.operator.headers,
    )
    assert again.status_code == 409
    by_ethics = client.post(
        "/v1/admin/terms",
        json={"version": "v3", "text_ja": "別", "text_en": "other"},
        headers=team.ethics.headers,
    )
    assert by_ethics.status_code == 403
    bad = client.post(
        "/v1/admin/terms",
        json={"version": "v 3!", "text_ja": "別", "text_en": "other"},
        headers=team.operator.headers,
    )
    assert bad.status_code == 422
    assert client.get("/v1/terms").json()["version"] == "v2"


def _exception_type(client: TestClient, team: trust.Staff) -> None:
    created = client.post(
        "/v1/admin/exception-types",
        json={
            "code": "public_research",
            "name_ja": "公的研究機関",
            "name_en": "Public research institute",
            "description": "国の研究機関等",
            "evidence_required": "設置根拠法令と情報管理規程",
        },
        headers=team.operator.headers,
    )
    assert created.status_code == 201, created.text


def _approve(
    client: TestClient, team: trust.Staff, recipient_id: str, expires_at: str
) -> dict[str, Any]:
    approved = client.post(
        f"/v1/admin/recipients/{recipient_id}/exceptions",
        json={
            "type_code": "public_research",
            "evidence": "国立研究開発法人法 第3条; 情報管理規程 2026年版",
            "minutes": "研究目的と管理体制を確認し、例外として承認。",
            "expires_at": expires_at,
        },
        headers=team.ethics.headers,
    )
    assert approved.status_code == 201, approved.text
    return dict(approved.json())


def test_an_approved_exception_admits_an_uncertified_recipient_until_it_ends(
    client: TestClient, bank: Bank, clock: FakeClock
) -> None:
    team = trust.staff(bank)
    institute = trust.recipient(client, team, certified=False)
    first, second = trust.person(client), trust.person(client)
    early, refused = trust.open_offer(client, team, institute)
    assert refused["invited"] == 0 and refused["held_back"] == ["recipient_uncertified"]
    not_asked = client.post(f"/v1/me/offers/{early}/accept", headers=first.headers)
    assert not_asked.status_code == 404  # never in their inbox

    _exception_type(client, team)
    unknown_type = client.post(
        f"/v1/admin/recipients/{institute.id}/exceptions",
        json={
            "type_code": "nope",
            "evidence": "x",
            "minutes": "x",
            "expires_at": "2027-06-01T00:00:00Z",
        },
        headers=team.ethics.headers,
    )
    assert unknown_type.status_code == 422
    by_operator = client.post(
        f"/v1/admin/recipients/{institute.id}/exceptions",
        json={
            "type_code": "public_research",
            "evidence": "x",
            "minutes": "x",
            "expires_at": "2027-06-01T00:00:00Z",
        },
        headers=team.operator.headers,
    )
    assert by_operator.status_code == 403  # the ethics board decides
    approval = _approve(client, team, institute.id, "2027-02-01T00:00:00Z")
    assert approval["in_force"] is True
    offer_id, opened = trust.open_offer(client, team, institute)
    assert opened["invited"] == 2 and opened["held_back"] == []

    trust.accept(client, first, offer_id)
    explained = client.get(
        "/v1/admin/explain",
        params={"person_id": first.id, "offer_id": offer_id},
        headers=team.operator.headers,
    ).json()
    notes = {r["rule"]: r["outcome"] for r in explained["reasons"]}
    assert explained["allowed"] is True and notes["recipient.exception"] == "allow"

    # Withdrawn: nothing more is accepted or handed over.
    withdrawn = client.post(
        f"/v1/admin/recipients/{institute.id}/exceptions/{approval['id']}/withdraw",
        headers=team.operator.headers,
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["in_force"] is False
    again = client.post(f"/v1/me/offers/{offer_id}/accept", headers=second.headers)
    assert again.status_code == 403
    assert run_once(bank.context, OfflineWebhooks())["built"] == 0

    # A fresh approval that then expires.
    _approve(client, team, institute.id, (clock.now() + timedelta(days=3)).isoformat())
    assert run_once(bank.context, OfflineWebhooks())["built"] == 1
    clock.advance(days=3)
    late = client.post(
        f"/v1/me/offers/{offer_id}/accept",
        headers=api.Party(
            second.id,
            api.bearer(
                client.post(
                    "/v1/auth/login", json={"email": second.email, "password": api.PASSWORD}
                ).json()["access_token"]
            ),
        ).headers,
    )
    assert late.status_code == 403 and "recipient.certified" in _rules(late.json())


def test_retiring_a_type_ends_its_approvals(client: TestClient, bank: Bank) -> None:
    team = trust.staff(bank)
    institute = trust.recipient(client, team, certified=False)
    someone = trust.person(client)
    _exception_type(client, team)
    _approve(client, team, institute.id, "2027-06-01T00:00:00Z")
    offer_id, opened = trust.open_offer(client, team, institute)
    assert opened["invited"] == 1
    retired = client.post(
        "/v1/admin/exception-types/public_research/retire", headers=team.operator.headers
    )
    assert retired.status_code == 200 and retired.json()["retired_at"]
    refused = client.post(f"/v1/me/offers/{offer_id}/accept", headers=someone.headers)
    assert refused.status_code == 403


def test_what_if_counts_the_changes_by_rule(client: TestClient, bank: Bank) -> None:
    team = trust.staff(bank)
    # 1. an ordinary consent to a certified recipient: unchanged by any version
    insurer = trust.recipient(client, team)
    walker = trust.person(client)
    ordinary, _ = trust.open_offer(client, team, insurer)
    trust.accept(client, walker, ordinary)
    # 2. two explicit consents to health checkup data (allowed from 3.0 only)
    clinic = trust.recipient(client, team)
    patients = [trust.person(client, ("health.checkup",)) for _ in range(2)]
    health, _ = trust.open_offer(
        client,
        team,
        clinic,
        title="健診結果に基づく健康助言",
        purpose={
            "code": "health.personal_advice",
            "text": "健診結果から本人に健康助言を送る",
            "justification": "individual_benefit",
        },
        categories=["health.checkup"],
    )
    for patient in patients:
        trust.accept(client, patient, health)
    invited = trust.person(client, ("health.checkup",))  # joins the second offer's inbox
    reopened, _ = trust.open_offer(
        client,
        team,
        clinic,
        title="健診結果に基づく健康助言 2",
        purpose={
            "code": "health.personal_advice",
            "text": "健診結果から本人に健康助言を送る",
            "justification": "individual_benefit",
        },
        categories=["health.checkup"],
    )
    # 3. an uncertified recipient admitted by an exception (honoured from 2.0)
    institute = trust.recipient(client, team, certified=False)
    _exception_type(client, team)
    _approve(client, team, institute.id, "2027-06-01T00:00:00Z")
    researcher_subject = trust.person(client)
    research, _ = trust.open_offer(client, team, institute)
    trust.accept(client, researcher_subject, research)

    def what_if(version: str, **extra: str) -> dict[str, Any]:
        answer = client.post(
            "/v1/admin/what-if",
            json={"guideline_version": version, **extra},
            headers=team.operator.headers,
        )
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    same = what_if("3.0")
    assert same["changed"] == 0 and same["by_rule"] == {}

    at_22 = what_if("2.2")
    assert at_22["newly_refused"]["provide"] == 2  # the two health consents
    assert at_22["newly_refused"]["submit"] == 2  # both health offers
    assert at_22["by_rule"]["sensitive.excluded"]["newly_refusing"] >= 4
    assert "recipient.certified" not in at_22["by_rule"]

    at_10 = what_if("1.0")
    assert at_10["newly_refused"]["provide"] == 3  # health ×2 and the exception
    assert at_10["by_rule"]["recipient.certified"]["newly_refusing"] >= 1
    assert at_10["evaluated"]["provide"] == 4

    one_offer = what_if("2.2", offer_id=reopened)
    assert one_offer["evaluated"].get("provide", 0) == 0
    # the offer itself, and the three persons holding checkups it invited
    assert one_offer["newly_refused"] == {"submit": 1, "accept": 3}
    assert one_offer["examples"][0]["rules_added"] == ["sensitive.excluded"]

    assert what_if("2.2", offer_id=ordinary)["changed"] == 0
    unknown = client.post(
        "/v1/admin/what-if", json={"guideline_version": "9.9"}, headers=team.operator.headers
    )
    assert unknown.status_code == 422
    assert [o["status"] for o in api.items(client, "/v1/me/offers", invited.headers)] == ["open"]


def test_onward_parties_only_from_2_0_and_only_by_explicit_consent(
    client: TestClient, bank: Bank
) -> None:
    team = trust.staff(bank)
    recipient = trust.recipient(client, team)
    broad = trust.person(client, delegation=[{}])
    onward = {"allowed": True, "parties": ["情報銀行B株式会社"]}

    # Under guideline 1.0 an offer may not name onward parties at all.
    offer_10 = trust.draft(client, recipient, reprovision=onward)
    at_10 = replace(bank.context, guideline_version="1.0")
    with pytest.raises(PolicyViolation) as refused:
        offers.submit_offer(at_10, offer_10, recipient.id)
    assert [r.rule for r in refused.value.reasons] == ["reprovision.prohibited"]

    # Under 3.0 it may; delegation never covers it, explicit consent names the party.
    offer_id, opened = trust.open_offer(client, team, recipient, reprovision=onward)
    assert opened == {
        "offer_id": offer_id,
        "status": "open",
        "delegated": 0,
        "invited": 1,
        "not_invited": 0,
        "held_back": [],
    }
    inbox = api.items(client, "/v1/me/offers", broad.headers)
    assert inbox[0]["reprovision"]["parties"] == ["情報銀行B株式会社"]
    consent_id = trust.accept(client, broad, offer_id)
    claims = client.get(f"/v1/me/consents/{consent_id}", headers=broad.headers).json()
    assert claims["artefact_claims"]["reprovision"]["parties"] == ["情報銀行B株式会社"]
