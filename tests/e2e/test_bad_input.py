"""Bad input gets a clear 4xx, never a 500, and writes nothing: values the database cannot
hold, requests racing to create the same account, and OAuth token errors in RFC 6749 shape."""

from __future__ import annotations

import threading

from fastapi.testclient import TestClient

from infobank.bootstrap import Bank
from tests.support import api


def test_a_nul_character_is_refused_or_kept_never_a_500(client: TestClient, bank: Bank) -> None:
    operator = api.staff(bank)
    body = {"name": "bad\u0000name", "industry": "insurance", "contact_email": "a@example.com"}
    answer = client.post("/v1/admin/recipients", json=body, headers=operator.headers)
    listed = api.items(client, "/v1/admin/recipients", operator.headers)
    if bank.engine.dialect.name == "postgresql":  # text cannot hold NUL there
        assert answer.status_code == 422
        assert answer.json()["code"] == "unstorable_value"
        assert [r for r in listed if r["name"].startswith("bad")] == []
    else:
        assert answer.status_code == 201
        assert any(r["name"] == "bad\u0000name" for r in listed)


def test_racing_sign_ups_of_one_address_make_one_account(client: TestClient, bank: Bank) -> None:
    terms = client.get("/v1/terms").json()["version"]
    body = {
        "email": "twice@example.jp",
        "password": api.PASSWORD,
        "display_name": "二重 登録",
        "birth_date": "1980-02-02",
        "gender": "other",
        "prefecture": "01",
        "terms_version": terms,
    }
    start = threading.Barrier(6)
    codes: list[int] = []

    def sign_up() -> None:
        start.wait()
        codes.append(client.post("/v1/persons", json=body).status_code)

    threads = [threading.Thread(target=sign_up) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(codes) == [201] + [409] * 5
    with bank.context.uow() as uow:
        assert uow.persons.count() == 1


def test_token_errors_speak_rfc_6749(client: TestClient, bank: Bank) -> None:
    operator = api.staff(bank)
    recipient = api.business(client, operator, "recipient")
    wrong = client.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": recipient.client_id,
            "client_secret": "not-the-secret",
        },
    )
    assert wrong.status_code == 401
    assert wrong.json()["error"] == "invalid_client"
    assert wrong.headers["cache-control"] == "no-store"
    grant = client.post(
        "/oauth/token",
        data={"grant_type": "password", "client_id": "x", "client_secret": "y"},
    )
    assert grant.status_code == 400 and grant.json()["error"] == "unsupported_grant_type"
    missing = client.post("/oauth/token", data={"grant_type": "client_credentials"})
    assert missing.status_code == 400 and missing.json()["error"] == "invalid_request"
    assert missing.json()["error_description"]
