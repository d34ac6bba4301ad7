"""Identities over HTTP (SPEC §7 Authentication, §9): sign-up, log-in, tokens, roles, keys."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, text

from infobank.bootstrap import Bank
from infobank.domain.identity import StaffRole
from tests.fakes import FakeClock
from tests.support import api
from tests.support.db import row_counts

PROBLEM = "application/problem+json"


def _sign_up_body(client: TestClient, **overrides: Any) -> dict[str, Any]:
    return {
        "email": "hanako@example.jp",
        "password": api.PASSWORD,
        "display_name": "山田 花子",
        "birth_date": "1985-04-12",
        "gender": "female",
        "prefecture": "13",
        "terms_version": client.get("/v1/terms").json()["version"],
        **overrides,
    }


def _login(client: TestClient, email: str, password: str = api.PASSWORD) -> Any:
    return client.post("/v1/auth/login", json={"email": email, "password": password})


def _client_token(client: TestClient, party: api.Party, **form: str) -> Any:
    data = {
        "grant_type": "client_credentials",
        "client_id": party.client_id,
        "client_secret": party.client_secret,
        **form,
    }
    return client.post("/oauth/token", data=data)


def _assert_problem(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    assert {"type", "title", "status", "detail", "code"} <= body.keys()
    assert body["status"] == status
    if code is not None:
        assert body["code"] == code
    return body


# Sign-up and the person's own account


def test_sign_up_answers_201_with_the_new_id_and_me_shows_the_account(client: TestClient) -> None:
    body = _sign_up_body(client)
    created = client.post("/v1/persons", json=body)
    assert created.status_code == 201, created.text
    assert set(created.json()) == {"id"}

    token = _login(client, body["email"]).json()["access_token"]
    me = client.get("/v1/me", headers=api.bearer(token))
    assert me.status_code == 200
    shown = me.json()
    assert {
        "id",
        "email",
        "display_name",
        "birth_date",
        "gender",
        "prefecture",
        "terms_version",
        "terms_agreed_at",
    } <= shown.keys()
    assert shown["id"] == created.json()["id"]
    assert shown["email"] == body["email"]
    assert shown["display_name"] == "山田 花子"
    assert shown["birth_date"] == "1985-04-12"
    assert shown["terms_version"] == body["terms_version"]


def test_sign_up_with_an_outdated_terms_version_is_refused_with_terms_outdated(
    client: TestClient, bank: Bank
) -> None:
    refused = client.post("/v1/persons", json=_sign_up_body(client, terms_version="2001-01"))
    _assert_problem(refused, 422, "terms_outdated")
    assert row_counts(bank.engine, "persons", "person_keys") == {"persons": 0, "person_keys": 0}


def test_sign_up_with_an_email_already_taken_gets_409(client: TestClient, bank: Bank) -> None:
    assert client.post("/v1/persons", json=_sign_up_body(client)).status_code == 201
    again = client.post(
        "/v1/persons", json=_sign_up_body(client, email="HANAKO@example.jp", display_name="別人")
    )
    _assert_problem(again, 409)
    assert row_counts(bank.engine, "persons")["persons"] == 1


@pytest.mark.parametrize(
    "overrides",
    [
        {"email": "not-an-email"},
        {"password": "short"},
        {"birth_date": "yesterday"},
        {"gender": "unicorn"},
        {"prefecture": "99"},
        {"display_name": ""},
        {"is_admin": True},
    ],
    ids=lambda o: next(iter(o)),
)
def test_sign_up_with_bad_fields_gets_422_and_creates_nobody(
    client: TestClient, bank: Bank, overrides: dict[str, Any]
) -> None:
    refused = client.post("/v1/persons", json=_sign_up_body(client, **overrides))
    _assert_problem(refused, 422, "validation_error")
    assert row_counts(bank.engine, "persons")["persons"] == 0


# Log-in, failures and rate limits


def test_login_returns_an_access_token_and_its_lifetime(client: TestClient, bank: Bank) -> None:
    person = api.sign_up(client)
    token = _login(client, person.email)
    assert token.status_code == 200
    body = token.json()
    assert isinstance(body["access_token"], str) and len(body["access_token"]) >= 32
    assert body["expires_in"] == bank.settings.person_token_ttl_s
    assert client.get("/v1/me", headers=api.bearer(body["access_token"])).status_code == 200


def test_unknown_email_and_wrong_password_get_the_same_401(client: TestClient) -> None:
    person = api.sign_up(client)
    wrong_password = _login(client, person.email, "not the password at all")
    unknown_email = _login(client, "nobody@example.jp", "not the password at all")
    _assert_problem(wrong_password, 401)
    _assert_problem(unknown_email, 401)
    assert wrong_password.content == unknown_email.content
    assert wrong_password.headers.get("www-authenticate") == unknown_email.headers.get(
        "www-authenticate"
    )


def test_repeated_failures_on_one_account_get_429_with_retry_after(
    client: TestClient, bank: Bank, clock: FakeClock
) -> None:
    person = api.sign_up(client)
    limit = bank.settings.login_max_failures_per_account
    for _ in range(limit):
        _assert_problem(_login(client, person.email, "wrong password!"), 401)

    locked = _login(client, person.email)  # even the right password waits out the window
    _assert_problem(locked, 429, "rate_limited")
    assert int(locked.headers["retry-after"]) > 0

    clock.advance(seconds=bank.settings.login_failure_window_s + 1)
    assert _login(client, person.email).status_code == 200


def test_failures_from_one_address_across_accounts_get_429(client: TestClient, bank: Bank) -> None:
    person = api.sign_up(client)
    for i in range(bank.settings.login_max_failures_per_address):
        _assert_problem(_login(client, f"guess{i}@example.jp", "wrong password!"), 401)
    blocked = _login(client, person.email)
    _assert_problem(blocked, 429, "rate_limited")
    assert int(blocked.headers["retry-after"]) > 0


# Tokens


def test_an_expired_person_token_gets_401(client: TestClient, bank: Bank, clock: FakeClock) -> None:
    person = api.sign_up(client)
    assert client.get("/v1/me", headers=person.headers).status_code == 200
    clock.advance(seconds=bank.settings.person_token_ttl_s + 1)
    _assert_problem(client.get("/v1/me", headers=person.headers), 401)


def test_a_missing_or_unknown_bearer_token_gets_401_problem(client: TestClient) -> None:
    missing = client.get("/v1/me")
    _assert_problem(missing, 401)
    assert missing.headers["www-authenticate"].startswith("Bearer")
    _assert_problem(client.get("/v1/me", headers=api.bearer("ibp_made-up")), 401)
    _assert_problem(client.get("/v1/me", headers={"Authorization": "Basic dXNlcjpwdw=="}), 401)


def test_a_token_of_a_business_that_no_longer_exists_gets_401(
    client: TestClient, bank: Bank
) -> None:
    recipient = api.business(client, api.staff(bank))
    with bank.engine.begin() as conn:
        conn.execute(text("DELETE FROM recipients WHERE id = :id"), {"id": recipient.id})
    _assert_problem(client.get("/v1/me", headers=recipient.headers), 401)


# Staff roles


def test_operator_created_by_create_staff_can_register_businesses(
    client: TestClient, bank: Bank
) -> None:
    operator = api.staff(bank, StaffRole.OPERATOR)
    created = client.post(
        "/v1/admin/recipients",
        json={"name": "みらい保険", "industry": "insurance", "contact_email": "dpo@mirai.jp"},
        headers=operator.headers,
    )
    assert created.status_code == 201, created.text
    assert set(created.json()) == {"id", "client_id", "client_secret"}
    source_body = {"name": "さくらマート", "industry": "retail"}
    source = client.post("/v1/admin/sources", json=source_body, headers=operator.headers)
    assert source.status_code == 201, source.text
    listed = client.get("/v1/admin/recipients", headers=operator.headers)
    assert [r["id"] for r in listed.json()["items"]] == [created.json()["id"]]


@pytest.mark.parametrize("role", [StaffRole.ETHICS, StaffRole.AUDITOR, StaffRole.SUPPORT])
def test_staff_without_the_operator_role_get_403_on_registering_recipients(
    client: TestClient, bank: Bank, role: StaffRole
) -> None:
    member = api.staff(bank, role)
    refused = client.post(
        "/v1/admin/recipients",
        json={"name": "x", "industry": "insurance", "contact_email": "dpo@x.jp"},
        headers=member.headers,
    )
    _assert_problem(refused, 403)
    assert row_counts(bank.engine, "recipients")["recipients"] == 0


def test_a_person_or_a_business_gets_403_on_operator_endpoints(
    client: TestClient, bank: Bank
) -> None:
    person = api.sign_up(client)
    recipient = api.business(client, api.staff(bank))
    for caller in (person, recipient):
        refused = client.post(
            "/v1/admin/recipients",
            json={"name": "x", "industry": "insurance", "contact_email": "dpo@x.jp"},
            headers=caller.headers,
        )
        _assert_problem(refused, 403)
        _assert_problem(client.get("/v1/admin/recipients", headers=caller.headers), 403)
    assert row_counts(bank.engine, "recipients")["recipients"] == 1


# OAuth client credentials


def test_client_credentials_grant_issues_a_bearer_token(client: TestClient, bank: Bank) -> None:
    recipient = api.business(client, api.staff(bank))
    issued = _client_token(client, recipient)
    assert issued.status_code == 200
    body = issued.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == bank.settings.client_token_ttl_s
    assert body["access_token"]


def test_client_credentials_with_a_wrong_secret_get_401(client: TestClient, bank: Bank) -> None:
    recipient = api.business(client, api.staff(bank))
    _assert_problem(_client_token(client, recipient, client_secret="ibsec_wrong"), 401)
    _assert_problem(_client_token(client, recipient, client_id="rcp_unknown"), 401)
    _assert_problem(_client_token(client, recipient, client_id="rcp_\x00"), 401)


def test_client_credentials_with_another_grant_type_get_4xx(client: TestClient, bank: Bank) -> None:
    recipient = api.business(client, api.staff(bank))
    refused = _client_token(client, recipient, grant_type="password")
    assert 400 <= refused.status_code < 500
    assert refused.headers["content-type"].startswith(PROBLEM)
    missing = client.post("/oauth/token", data={"grant_type": "client_credentials"})
    assert 400 <= missing.status_code < 500
    assert missing.headers["content-type"].startswith(PROBLEM)


def test_client_secrets_and_tokens_are_stored_only_hashed(client: TestClient, bank: Bank) -> None:
    operator = api.staff(bank)
    recipient = api.business(client, operator)
    person = api.sign_up(client)
    raw = [
        recipient.client_secret,
        recipient.headers["Authorization"].removeprefix("Bearer "),
        operator.headers["Authorization"].removeprefix("Bearer "),
        person.headers["Authorization"].removeprefix("Bearer "),
    ]
    with bank.engine.connect() as conn:
        secret_hashes = conn.execute(text("SELECT secret_hash FROM recipients")).scalars().all()
        token_hashes = conn.execute(text("SELECT token_hash FROM access_tokens")).scalars().all()
        token_rows = conn.execute(text("SELECT * FROM access_tokens")).all()
    assert len(secret_hashes) == 1 and len(token_hashes) >= 3
    stored = " ".join([*secret_hashes, *(repr(tuple(row)) for row in token_rows)])
    for value in raw:
        assert value not in stored


# Public endpoints


def test_jwks_publishes_an_ed25519_public_key_without_its_private_part(
    client: TestClient,
) -> None:
    keys = client.get("/.well-known/jwks.json").json()["keys"]
    assert keys
    for key in keys:
        assert key["kty"] == "OKP"
        assert key["crv"] == "Ed25519"
        assert key["kid"]
        assert key["x"]
        assert "d" not in key


def test_catalogue_lists_the_three_sensitivity_classes_with_both_names(
    client: TestClient,
) -> None:
    categories = client.get("/v1/catalogue").json()
    assert {c["sensitivity"] for c in categories} == {"general", "health_checkup", "sensitive"}
    by_code = {c["code"]: c for c in categories}
    assert by_code["health.checkup"]["sensitivity"] == "health_checkup"
    assert by_code["health.diagnosis"]["sensitivity"] == "sensitive"
    assert by_code["purchase.history"]["sensitivity"] == "general"
    for category in categories:
        assert category["name_ja"] and category["name_en"]
    assert any(any(ord(ch) > 0x3000 for ch in c["name_ja"]) for c in categories)


def test_health_asks_the_database_one_trivial_question_whatever_its_size(
    client: TestClient, bank: Bank
) -> None:
    asked: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        asked.append(statement)

    event.listen(bank.engine, "before_cursor_execute", note)
    try:
        answer = client.get("/healthz")
    finally:
        event.remove(bank.engine, "before_cursor_execute", note)
    assert answer.status_code == 200 and answer.json()["status"] == "ok"
    reads = [s for s in asked if s.lstrip().upper().startswith("SELECT")]
    assert len(reads) == 1 and " FROM " not in reads[0].upper(), asked


def test_health_docs_and_index_page_answer(client: TestClient) -> None:
    assert client.get("/healthz").status_code == 200
    assert client.get("/docs").status_code == 200
    index = client.get("/")
    assert index.status_code == 200
    assert index.headers["content-type"].startswith("text/html")
    assert "/docs" in index.text


def test_an_unknown_path_gets_a_404_problem(client: TestClient) -> None:
    _assert_problem(client.get("/v1/nothing-here"), 404)
