"""The help desk's additions (相談窓口): assignment, age, a first-reply target in business days
with overdue inquiries flagged, and the person seeing every step, on SQLite and PostgreSQL."""

from __future__ import annotations

from fastapi.testclient import TestClient

from infobank.bootstrap import Bank
from infobank.domain.identity import StaffRole
from tests.fakes import FakeClock
from tests.support import api


def _ask(client: TestClient, person: api.Party, subject: str = "提供先について") -> str:
    created = client.post(
        "/v1/me/inquiries",
        json={"category": "consent", "subject": subject, "body": "どこに提供されましたか"},
        headers=person.headers,
    )
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


def _again(client: TestClient, person: api.Party) -> api.Party:
    """The person logs in again (their token lasts an hour; these tests move the clock)."""
    token = client.post("/v1/auth/login", json={"email": person.email, "password": api.PASSWORD})
    assert token.status_code == 200, token.text
    return api.Party(person.id, api.bearer(token.json()["access_token"]), email=person.email)


def test_the_person_sees_each_step_from_creation_to_reply_to_closure(
    client: TestClient, bank: Bank, clock: FakeClock
) -> None:
    person = api.sign_up(client)
    desk = api.staff(bank, StaffRole.SUPPORT)
    inquiry_id = _ask(client, person)

    def mine() -> dict[str, object]:
        got = client.get(f"/v1/me/inquiries/{inquiry_id}", headers=_again(client, person).headers)
        assert got.status_code == 200, got.text
        return dict(got.json())

    def kinds() -> list[str]:
        listed = client.get("/v1/me/notifications", headers=_again(client, person).headers)
        assert listed.status_code == 200, listed.text
        return [n["kind"] for n in listed.json()["items"]]

    seen = mine()
    assert seen["status"] == "open" and seen["assigned"] is False and seen["category"] == "consent"
    assert seen["first_replied_at"] is None and seen["overdue"] is False
    assert "assigned_to" not in seen  # which staff member handles it is the desk's business

    assigned = client.post(
        f"/v1/admin/inquiries/{inquiry_id}/assign",
        json={"staff_id": desk.id},
        headers=desk.headers,
    )
    assert assigned.status_code == 200, assigned.text
    assert assigned.json()["assigned_to"] == desk.id
    assert mine()["assigned"] is True
    queue = api.items(client, "/v1/admin/inquiries", desk.headers, assigned_to="me")
    assert [i["id"] for i in queue] == [inquiry_id]

    clock.advance(hours=5)
    answered = client.post(
        f"/v1/admin/inquiries/{inquiry_id}/answer",
        json={"body": "みらい保険に提供されています。"},
        headers=desk.headers,
    )
    assert answered.status_code == 200, answered.text
    seen = mine()
    assert seen["status"] == "answered"
    assert seen["messages"][-1] == {
        "from": "staff",
        "body": "みらい保険に提供されています。",
        "at": seen["first_replied_at"],
    }
    assert seen["age_seconds"] == 5 * 3600
    assert "inquiry.answered" in kinds()

    closed = client.post(f"/v1/admin/inquiries/{inquiry_id}/close", headers=desk.headers)
    assert closed.status_code == 200, closed.text
    clock.advance(days=3)
    seen = mine()
    assert seen["status"] == "closed" and seen["closed_at"] is not None
    assert seen["age_seconds"] == 5 * 3600  # age stops at closure
    assert "inquiry.closed" in kinds()


def test_an_inquiry_without_a_first_reply_is_flagged_after_three_business_days(
    client: TestClient, bank: Bank, clock: FakeClock
) -> None:
    person = api.sign_up(client)
    desk = api.staff(bank, StaffRole.SUPPORT)
    late = _ask(client, person, "返事がありません")  # Thursday 18:00 JST
    answered = _ask(client, person, "答えてもらえる件")
    assert client.post(
        f"/v1/admin/inquiries/{answered}/answer", json={"body": "回答です"}, headers=desk.headers
    ).is_success

    def overdue_ids() -> list[str]:
        got = client.get("/v1/admin/inquiries?overdue=true", headers=desk.headers)
        assert got.status_code == 200, got.text
        return [i["id"] for i in got.json()["items"]]

    clock.advance(days=5, hours=5)  # Tuesday 23:00 JST: the third business day is not over
    assert overdue_ids() == []
    clock.advance(hours=1)  # Wednesday 00:00 JST
    assert overdue_ids() == [late]
    shown = client.get(f"/v1/me/inquiries/{late}", headers=_again(client, person).headers).json()
    assert shown["overdue"] is True
    assert shown["first_reply_due_at"].startswith("2026-12-01T15:00:00")
    assert shown["age_days"] == 5
    every = api.items(client, "/v1/admin/inquiries", desk.headers)
    assert {i["id"]: i["overdue"] for i in every} == {late: True, answered: False}

    assert client.post(
        f"/v1/admin/inquiries/{late}/answer",
        json={"body": "遅れてすみません"},
        headers=desk.headers,
    ).is_success
    assert overdue_ids() == []


def test_only_desk_staff_can_be_assigned(client: TestClient, bank: Bank) -> None:
    person = api.sign_up(client)
    desk = api.staff(bank, StaffRole.SUPPORT)
    ethics = api.staff(bank, StaffRole.ETHICS)
    inquiry_id = _ask(client, person)
    refused = client.post(
        f"/v1/admin/inquiries/{inquiry_id}/assign",
        json={"staff_id": ethics.id},
        headers=desk.headers,
    )
    assert refused.status_code == 422 and refused.json()["code"] == "not_desk_staff"
    forbidden = client.post(
        f"/v1/admin/inquiries/{inquiry_id}/assign",
        json={"staff_id": desk.id},
        headers=ethics.headers,
    )
    assert forbidden.status_code == 403
    taken_back = client.post(
        f"/v1/admin/inquiries/{inquiry_id}/assign", json={"staff_id": None}, headers=desk.headers
    )
    assert taken_back.status_code == 200 and taken_back.json()["assigned_to"] is None
