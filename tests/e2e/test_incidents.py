"""Incidents (漏えい等事案) over the API, against a seeded population on SQLite and PostgreSQL:
exactly the persons whose data the recipient received in the period are told, the regulator
draft carries its deadlines, and the recipient can be suspended in the same step."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from infobank.bootstrap import Bank
from infobank.domain.identity import StaffRole
from infobank.domain.pages import PageRequest
from infobank.services import deliveries
from tests.fakes import FakeClock
from tests.support import api, worlds

EVERY = PageRequest(limit=200)


def _fetch_for(bank: Bank, world: worlds.World, persons: list[str]) -> None:
    ctx = bank.context
    for delivery in deliveries.list_deliveries(ctx, world.recipient, "ready", EVERY).items:
        if delivery.person_id in persons:
            deliveries.fetch(ctx, world.recipient, delivery.id)


def _told(bank: Bank, person_id: str) -> list[dict[str, Any]]:
    with bank.context.uow() as uow:
        return [
            n.params for n in uow.notifications.for_person(person_id) if n.kind == "incident.notice"
        ]


def test_an_incident_at_a_recipient_tells_exactly_whom_it_received_data_of_in_the_period(
    client: TestClient, bank: Bank, clock: FakeClock
) -> None:
    team = worlds.team(bank)
    leaky = worlds.world(bank, team, persons=4)
    other = worlds.world(bank, team, persons=2)
    assert deliveries.build_due(bank.context) == 6
    start = clock.now()
    clock.advance(hours=1)
    _fetch_for(bank, leaky, leaky.persons[:2])  # inside the period
    _fetch_for(bank, other, other.persons)  # another recipient
    clock.advance(days=3)
    _fetch_for(bank, leaky, leaky.persons[2:3])  # after the period; persons[3] never fetched
    operator = api.staff(bank)

    recorded = client.post(
        "/v1/admin/incidents",
        json={
            "summary": "提供先のサーバーに不正アクセスがあった",
            "discovered_at": (start + timedelta(days=2)).isoformat(),
            "recipient_id": leaky.recipient,
            "categories": ["lifelog.activity"],
            "period_from": start.isoformat(),
            "period_to": (start + timedelta(days=1)).isoformat(),
            "cause": "脆弱性を突かれた",
            "measures": "提供停止と再審査",
            "suspend_recipient": True,
        },
        headers=operator.headers,
    )
    assert recorded.status_code == 201, recorded.text
    incident = recorded.json()
    assert incident["target"] == "recipient" and incident["status"] == "draft"
    assert incident["affected_count"] == 2 and incident["notified_count"] == 2
    told = {p for p in leaky.persons + other.persons if _told(bank, p)}
    assert told == set(leaky.persons[:2])
    message = _told(bank, leaky.persons[0])[0]
    assert message["incident_id"] == incident["id"]
    assert "漏えい" in message["message_ja"] and message["what_to_do_ja"]
    assert message["what_to_do_en"]

    report = incident["report"]
    assert report["deadlines"]["preliminary"] == "2026-12-03T09:00:00Z"  # found + 5 days
    assert report["deadlines"]["final"] == "2026-12-28T09:00:00Z"  # found + 30 days
    assert report["facts"]["affected_persons"] == 2
    assert report["facts"]["categories"][0]["code"] == "lifelog.activity"
    assert report["facts"]["sensitive_involved"] is False
    assert report["report_required"] is False
    assert report["facts"]["recipient_suspended"] is True

    # The suspension came with the incident: the recipient is suspended, its consents paused.
    with bank.context.uow() as uow:
        paused = uow.consents.for_recipient(leaky.recipient, ("paused",))
        active = uow.consents.for_recipient(leaky.recipient, ("active",))
    assert len(paused) == 4 and active == []
    recipients = api.items(client, "/v1/admin/recipients", operator.headers)
    assert {r["id"]: r["suspended"] for r in recipients}[leaky.recipient] is True


def test_other_categories_or_the_system_change_whom_an_incident_touches(
    client: TestClient, bank: Bank, clock: FakeClock
) -> None:
    team = worlds.team(bank)
    world = worlds.world(bank, team, persons=3)
    deliveries.build_due(bank.context)
    start = clock.now()
    _fetch_for(bank, world, world.persons)
    operator = api.staff(bank)
    period = {
        "period_from": start.isoformat(),
        "period_to": (start + timedelta(hours=2)).isoformat(),
    }
    unrelated = client.post(
        "/v1/admin/incidents",
        json={
            "summary": "睡眠データの誤送信",
            "discovered_at": start.isoformat(),
            "recipient_id": world.recipient,
            "categories": ["lifelog.sleep"],
            **period,
        },
        headers=operator.headers,
    )
    assert unrelated.status_code == 201, unrelated.text
    assert unrelated.json()["affected_count"] == 0
    system = client.post(
        "/v1/admin/incidents",
        json={
            "summary": "当行のバックアップ媒体の紛失",
            "discovered_at": start.isoformat(),
            "target": "system",
            "categories": ["lifelog.activity"],
            "wrongful_intent": True,
            **period,
        },
        headers=operator.headers,
    )
    assert system.status_code == 201, system.text
    held = system.json()
    assert held["affected_count"] == 3 and held["recipient_suspended"] is False
    assert held["report"]["report_required"] is True  # wrongful intent
    assert held["deadlines"]["final"].startswith((start + timedelta(days=60)).date().isoformat())


def test_reports_are_filed_in_order_and_only_staff_with_the_role_see_them(
    client: TestClient, bank: Bank, clock: FakeClock
) -> None:
    operator = api.staff(bank)
    auditor = api.staff(bank, StaffRole.AUDITOR)
    support = api.staff(bank, StaffRole.SUPPORT)
    created = client.post(
        "/v1/admin/incidents",
        json={
            "summary": "健診データの誤表示",
            "discovered_at": clock.now().isoformat(),
            "target": "system",
            "categories": ["health.checkup"],
            "period_from": (clock.now() - timedelta(days=1)).isoformat(),
            "period_to": clock.now().isoformat(),
        },
        headers=operator.headers,
    )
    assert created.status_code == 201, created.text
    incident_id = created.json()["id"]
    assert created.json()["report"]["report_required"] is True  # 要配慮個人情報
    clock.advance(days=6)
    late = client.get(f"/v1/admin/incidents/{incident_id}", headers=auditor.headers).json()
    assert late["report"]["deadlines"]["preliminary_overdue"] is True

    def file(stage: str) -> Any:
        return client.post(
            f"/v1/admin/incidents/{incident_id}/report",
            json={"stage": stage},
            headers=operator.headers,
        )

    first = file("preliminary")
    assert first.status_code == 200 and first.json()["status"] == "preliminary_sent"
    assert first.json()["report"]["deadlines"]["preliminary_overdue"] is False
    again = file("preliminary")
    assert again.status_code == 409 and again.json()["code"] == "incident_report_state"
    final = file("final")
    assert final.status_code == 200 and final.json()["status"] == "final_sent"
    assert final.json()["reported"]["final"] is not None
    listed = client.get("/v1/admin/incidents", headers=auditor.headers)
    assert [i["id"] for i in listed.json()["items"]] == [incident_id]
    assert client.get("/v1/admin/incidents", headers=support.headers).status_code == 403
    assert client.get("/v1/admin/incidents/nope", headers=auditor.headers).status_code == 404
    bad = client.post(
        "/v1/admin/incidents",
        json={
            "summary": "x",
            "discovered_at": clock.now().isoformat(),
            "target": "system",
            "categories": ["no.such"],
            "period_from": clock.now().isoformat(),
            "period_to": clock.now().isoformat(),
        },
        headers=operator.headers,
    )
    assert bad.status_code == 422 and bad.json()["code"] == "unknown_category"
