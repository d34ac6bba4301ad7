"""The help desk (GET|POST /v1/me/inquiries, staff answer and close) and the account as a
whole (GET /v1/me/export, DELETE /v1/me), over HTTP on SQLite and PostgreSQL."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import text

from infobank.bootstrap import Bank
from infobank.domain.identity import StaffRole
from tests.support import api


def test_an_inquiry_goes_from_question_to_answer_to_closed_over_the_api(
    client: TestClient, bank: Bank
) -> None:
    person = api.sign_up(client)
    desk = api.staff(bank, StaffRole.SUPPORT)
    created = client.post(
        "/v1/me/inquiries",
        json={"category": "complaint", "subject": "提供先について", "body": "説明してください"},
        headers=person.headers,
    )
    assert created.status_code == 201, created.text
    inquiry_id = created.json()["id"]
    queue = api.items(client, "/v1/admin/inquiries", desk.headers)
    assert [i["subject"] for i in queue] == ["提供先について"]
    answered = client.post(
        f"/v1/admin/inquiries/{inquiry_id}/answer",
        json={"body": "担当から説明します。"},
        headers=desk.headers,
    )
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    mine = client.get(f"/v1/me/inquiries/{inquiry_id}", headers=person.headers).json()
    assert [m["from"] for m in mine["messages"]] == ["person", "staff"]
    assert mine["messages"][1]["body"] == "担当から説明します。"
    follow = client.post(
        f"/v1/me/inquiries/{inquiry_id}/messages", json={"body": "追加です"}, headers=person.headers
    )
    assert follow.json()["status"] == "open" and len(follow.json()["messages"]) == 3
    kinds = [n["kind"] for n in api.items(client, "/v1/me/notifications", person.headers)]
    assert "inquiry.answered" in kinds
    closed = client.post(f"/v1/admin/inquiries/{inquiry_id}/close", headers=desk.headers)
    assert closed.json()["status"] == "closed"
    again = client.post(
        f"/v1/admin/inquiries/{inquiry_id}/answer", json={"body": "x"}, headers=desk.headers
    )
    assert again.status_code == 409 and again.json()["code"] == "inquiry_state"
    assert api.items(client, "/v1/admin/inquiries", desk.headers) == []
    listed = api.items(client, "/v1/admin/inquiries", desk.headers, status="closed")
    assert [i["id"] for i in listed] == [inquiry_id]


def test_inquiries_are_private_encrypted_and_checked(client: TestClient, bank: Bank) -> None:
    person = api.sign_up(client)
    other = api.sign_up(client)
    created = client.post(
        "/v1/me/inquiries",
        json={"subject": "秘密の件名", "body": "秘密の本文"},
        headers=person.headers,
    )
    inquiry_id = created.json()["id"]
    assert client.get(f"/v1/me/inquiries/{inquiry_id}", headers=other.headers).status_code == 404
    assert api.items(client, "/v1/me/inquiries", other.headers) == []
    refused = client.post(f"/v1/me/inquiries/{inquiry_id}/close", headers=other.headers)
    assert refused.status_code == 404
    assert client.get("/v1/admin/inquiries", headers=person.headers).status_code == 403
    ethics = api.staff(bank, StaffRole.ETHICS)
    assert client.get("/v1/admin/inquiries", headers=ethics.headers).status_code == 403
    for bad in (
        {"subject": "", "body": "x"},
        {"subject": "x", "body": "x", "category": "gossip"},
        {"subject": "x" * 201, "body": "x"},
    ):
        assert client.post("/v1/me/inquiries", json=bad, headers=person.headers).status_code == 422
    with bank.engine.connect() as conn:
        blobs = conn.execute(text("SELECT subject_enc FROM inquiries")).scalars().all()
        bodies = conn.execute(text("SELECT body_enc FROM inquiry_messages")).scalars().all()
    assert blobs and all("秘密".encode() not in bytes(b) for b in [*blobs, *bodies])


def test_export_holds_everything_and_deletion_erases_the_person(
    client: TestClient, bank: Bank
) -> None:
    person = api.sign_up(client)
    client.post(
        "/v1/me/records",
        json={"category": "interests", "data": {"topics": ["旅行"]}},
        headers=person.headers,
    )
    client.post(
        "/v1/me/inquiries", json={"subject": "件名", "body": "本文"}, headers=person.headers
    )
    export = client.get("/v1/me/export", headers=person.headers)
    assert export.status_code == 200
    held = export.json()
    assert held["profile"]["email"] == person.email
    assert held["records"][0]["data"] == {"topics": ["旅行"]}
    assert held["inquiries"][0]["messages"][0]["body"] == "本文"
    assert {"consents", "provisions", "delegation", "benefits", "notifications"} <= set(held)

    deleted = client.delete("/v1/me", headers=person.headers)
    assert deleted.status_code == 200 and deleted.json()["deleted"] is True
    assert client.get("/v1/me", headers=person.headers).status_code == 401
    login = client.post("/v1/auth/login", json={"email": person.email, "password": api.PASSWORD})
    assert login.status_code == 401
    with bank.engine.connect() as conn:
        keys = conn.execute(
            text("SELECT count(*) FROM person_keys WHERE person_id = :p"), {"p": person.id}
        ).scalar_one()
    assert keys == 0
    desk = client.get("/v1/admin/inquiries", headers=api.staff(bank, StaffRole.SUPPORT).headers)
    assert [(i["erased"], i["subject"]) for i in desk.json()["items"]] == [(True, "")]
    again = api.sign_up(client, email=person.email)  # the address is free again
    assert again.id != person.id
