"""Entrusted records over HTTP (SPEC §7 Persons, Sources, Staff; §9): ownership, source links,
all-or-nothing batches, bad input that writes nothing, and recipient vetting."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from infobank.bootstrap import Bank
from tests.fakes import FakeClock
from tests.support import api
from tests.support.db import row_counts

PROBLEM = "application/problem+json"
TABLES = ("records", "persons", "source_links", "link_codes")


def _assert_problem(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    assert {"type", "title", "status", "detail", "code"} <= body.keys()
    if code is not None:
        assert body["code"] == code
    return body


def _add(client: TestClient, person: api.Party, **body: Any) -> Any:
    payload = {"category": "lifelog.activity", "data": {"steps": 8123}, **body}
    return client.post("/v1/me/records", json=payload, headers=person.headers)


def _push(client: TestClient, source: api.Party, *records: dict[str, Any]) -> Any:
    return client.post(
        "/v1/source/records", json={"records": list(records)}, headers=source.headers
    )


def _item(person_ref: str, **overrides: Any) -> dict[str, Any]:
    return {
        "person_ref": person_ref,
        "category": "purchase.history",
        "data": {"shop": "コンビニ", "amount_yen": 420},
        "observed_at": "2026-11-25T10:00:00Z",
        "acquired_via": "pos_purchase",
        **overrides,
    }


def _link_code(client: TestClient, person: api.Party, source: api.Party) -> str:
    made = client.post("/v1/me/source-links", json={"source_id": source.id}, headers=person.headers)
    assert made.status_code == 201, made.text
    assert {"code", "expires_at"} <= made.json().keys()
    return str(made.json()["code"])


def _redeem(client: TestClient, source: api.Party, code: str) -> Any:
    return client.post(
        "/v1/source/links", json={"code": code, "external_ref": "M-1"}, headers=source.headers
    )


# Ownership


def test_a_person_reading_another_persons_record_gets_404(client: TestClient) -> None:
    owner = api.sign_up(client)
    other = api.sign_up(client)
    record_id = _add(client, owner).json()["id"]
    _add(client, other, data={"steps": 10})

    _assert_problem(client.get(f"/v1/me/records/{record_id}", headers=other.headers), 404)
    unknown = client.get(
        "/v1/me/records/00000000-0000-0000-0000-000000000000", headers=owner.headers
    )
    assert unknown.status_code == 404
    assert unknown.content.replace(b"00000000-0000-0000-0000-000000000000", b"") == (
        client.get(f"/v1/me/records/{record_id}", headers=other.headers).content.replace(
            record_id.encode(), b""
        )
    )
    assert client.get(f"/v1/me/records/{record_id}", headers=owner.headers).status_code == 200


def test_a_persons_list_shows_only_their_own_records(client: TestClient) -> None:
    owner = api.sign_up(client)
    other = api.sign_up(client)
    mine = {
        _add(client, owner).json()["id"],
        _add(client, owner, category="interests").json()["id"],
    }
    theirs = _add(client, other).json()["id"]

    listed = api.items(client, "/v1/me/records", owner.headers)
    assert {r["id"] for r in listed} == mine
    assert theirs not in {r["id"] for r in listed}
    only = client.get("/v1/me/records", params={"category": "interests"}, headers=owner.headers)
    assert [r["category"] for r in only.json()["items"]] == ["interests"]


def test_a_record_keeps_how_and_why_it_was_acquired(client: TestClient, bank: Bank) -> None:
    source = api.business(client, api.staff(bank), "source")
    person = api.sign_up(client)
    ref = api.link(client, person, source)
    pushed = _push(client, source, _item(ref, purpose="loyalty_programme"))
    assert pushed.status_code == 201, pushed.text
    (record_id,) = pushed.json()["ids"]
    got = client.get(f"/v1/me/records/{record_id}", headers=person.headers).json()
    assert got["acquired_via"] == "source"
    assert got["source_id"] == source.id
    assert got["source_method"] == "pos_purchase"
    assert got["purpose"] == "loyalty_programme"
    assert got["observed_at"].startswith("2026-11-25T10:00:00")


# Sources and links


def test_a_source_pushing_for_a_person_who_did_not_link_it_is_refused(
    client: TestClient, bank: Bank
) -> None:
    operator = api.staff(bank)
    linked_source = api.business(client, operator, "source")
    other_source = api.business(client, operator, "source")
    person = api.sign_up(client)
    ref = api.link(client, person, linked_source)
    before = row_counts(bank.engine, *TABLES)

    for attempt in (_item(ref), _item("pref_made_up")):
        refused = _push(client, other_source, attempt)
        _assert_problem(refused, 403, "person_not_linked")
    mixed = _push(client, linked_source, _item(ref), _item("pref_made_up"))
    body = _assert_problem(mixed, 403, "person_not_linked")
    assert [e["index"] for e in body["errors"]] == [1]

    assert row_counts(bank.engine, *TABLES) == before
    assert api.items(client, "/v1/me/records", person.headers) == []


def test_a_person_or_recipient_cannot_use_the_source_endpoints(
    client: TestClient, bank: Bank
) -> None:
    person = api.sign_up(client)
    recipient = api.business(client, api.staff(bank), "recipient")
    for caller in (person, recipient):
        _assert_problem(_push(client, caller, _item("pref_x")), 403)


def test_a_link_code_works_once(client: TestClient, bank: Bank) -> None:
    source = api.business(client, api.staff(bank), "source")
    person = api.sign_up(client)
    code = _link_code(client, person, source)
    first = _redeem(client, source, code)
    assert first.status_code == 201, first.text
    assert first.json()["person_ref"]
    _assert_problem(_redeem(client, source, code), 422, "invalid_link_code")


def test_a_link_code_is_only_for_the_source_it_was_made_for(client: TestClient, bank: Bank) -> None:
    operator = api.staff(bank)
    intended = api.business(client, operator, "source")
    other = api.business(client, operator, "source")
    person = api.sign_up(client)
    code = _link_code(client, person, intended)
    _assert_problem(_redeem(client, other, code), 422, "invalid_link_code")
    assert _redeem(client, intended, code).status_code == 201


def test_a_link_code_expires(client: TestClient, bank: Bank, clock: FakeClock) -> None:
    source = api.business(client, api.staff(bank), "source")
    person = api.sign_up(client)
    code = _link_code(client, person, source)
    clock.advance(seconds=bank.settings.link_code_ttl_s + 1)
    api_token = client.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": source.client_id,
            "client_secret": source.client_secret,
        },
    )
    fresh = api.Party(source.id, api.bearer(api_token.json()["access_token"]))
    _assert_problem(_redeem(client, fresh, code), 422, "invalid_link_code")
    assert row_counts(bank.engine, "source_links")["source_links"] == 0


def test_a_link_code_for_an_unknown_source_gets_404(client: TestClient) -> None:
    person = api.sign_up(client)
    made = client.post(
        "/v1/me/source-links", json={"source_id": "no-such-source"}, headers=person.headers
    )
    _assert_problem(made, 404)


# Batches are all-or-nothing


def test_a_batch_with_one_bad_record_stores_none(client: TestClient, bank: Bank) -> None:
    source = api.business(client, api.staff(bank), "source")
    person = api.sign_up(client)
    ref = api.link(client, person, source)
    before = row_counts(bank.engine, *TABLES)

    refused = _push(client, source, _item(ref), _item(ref, category="no.such.category"), _item(ref))
    body = _assert_problem(refused, 422)
    assert [e["index"] for e in body["errors"]] == [1]
    assert {"index", "code", "detail"} <= body["errors"][0].keys()
    assert body["errors"][0]["code"] == "unknown_category"
    assert row_counts(bank.engine, *TABLES) == before


def test_a_batch_with_one_oversized_record_stores_none(client: TestClient, bank: Bank) -> None:
    source = api.business(client, api.staff(bank), "source")
    person = api.sign_up(client)
    ref = api.link(client, person, source)
    before = row_counts(bank.engine, *TABLES)
    big = {"blob": "x" * (bank.settings.max_record_bytes + 1)}

    body = _assert_problem(_push(client, source, _item(ref), _item(ref, data=big)), 422)
    assert [(e["index"], e["code"]) for e in body["errors"]] == [(1, "payload_too_large")]
    assert row_counts(bank.engine, *TABLES) == before


def test_an_empty_batch_gets_422(client: TestClient, bank: Bank) -> None:
    source = api.business(client, api.staff(bank), "source")
    _assert_problem(_push(client, source), 422, "validation_error")


# Bad input: a 4xx problem and nothing written


def test_malformed_json_gets_400_and_writes_nothing(client: TestClient, bank: Bank) -> None:
    person = api.sign_up(client)
    before = row_counts(bank.engine, *TABLES)
    broken = client.post(
        "/v1/me/records",
        content=b'{"category": "lifelog.activity", "data": {',
        headers={**person.headers, "Content-Type": "application/json"},
    )
    _assert_problem(broken, 400, "malformed_json")
    signup = client.post(
        "/v1/persons", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    _assert_problem(signup, 400, "malformed_json")
    assert row_counts(bank.engine, *TABLES) == before


@pytest.mark.parametrize(
    "body",
    [
        {"category": "lifelog.activity", "data": "steps=8123"},
        {"category": "lifelog.activity", "data": [1, 2]},
        {"category": 42, "data": {"steps": 1}},
        {"category": "lifelog.activity"},
        {"category": "lifelog.activity", "data": {"steps": 1}, "observed_at": "last tuesday"},
        {"category": "lifelog.activity", "data": {"steps": 1}, "owner": "someone-else"},
    ],
    ids=["data-string", "data-list", "category-int", "data-missing", "bad-time", "extra-field"],
)
def test_wrong_types_get_422_validation_error_and_write_nothing(
    client: TestClient, bank: Bank, body: dict[str, Any]
) -> None:
    person = api.sign_up(client)
    before = row_counts(bank.engine, *TABLES)
    refused = client.post("/v1/me/records", json=body, headers=person.headers)
    problem = _assert_problem(refused, 422, "validation_error")
    assert problem["errors"]
    assert row_counts(bank.engine, *TABLES) == before


def test_a_time_without_a_zone_gets_422_and_writes_nothing(client: TestClient, bank: Bank) -> None:
    person = api.sign_up(client)
    before = row_counts(bank.engine, *TABLES)
    refused = _add(client, person, observed_at="2026-11-25T10:00:00")
    _assert_problem(refused, 422)
    assert row_counts(bank.engine, *TABLES) == before


def test_numbers_that_json_cannot_carry_get_422_and_write_nothing(
    client: TestClient, bank: Bank
) -> None:
    person = api.sign_up(client)
    before = row_counts(bank.engine, *TABLES)
    for literal in (b"NaN", b"Infinity", b"-Infinity", b"1e999"):
        refused = client.post(
            "/v1/me/records",
            content=b'{"category": "lifelog.activity", "data": {"steps": ' + literal + b"}}",
            headers={**person.headers, "Content-Type": "application/json"},
        )
        assert 400 <= refused.status_code < 500, (literal, refused.text)
        assert refused.headers["content-type"].startswith(PROBLEM)
    assert row_counts(bank.engine, *TABLES) == before
    assert client.get("/v1/me/records", headers=person.headers).status_code == 200


def test_an_unknown_category_gets_422_and_writes_nothing(client: TestClient, bank: Bank) -> None:
    person = api.sign_up(client)
    before = row_counts(bank.engine, *TABLES)
    _assert_problem(_add(client, person, category="lifelog.dreams"), 422, "unknown_category")
    assert row_counts(bank.engine, *TABLES) == before


def test_a_record_over_one_mebibyte_gets_a_4xx_problem_and_writes_nothing(
    client: TestClient, bank: Bank
) -> None:
    person = api.sign_up(client)
    before = row_counts(bank.engine, *TABLES)
    over = _add(client, person, data={"blob": "x" * (1024 * 1024)})
    assert over.status_code in (413, 422), over.text
    assert over.headers["content-type"].startswith(PROBLEM)
    assert over.json()["code"] == "payload_too_large"
    assert row_counts(bank.engine, *TABLES) == before


def test_a_request_body_far_over_the_limit_is_cut_off_with_413(
    client: TestClient, bank: Bank
) -> None:
    person = api.sign_up(client)
    before = row_counts(bank.engine, *TABLES)
    huge = b'{"category": "lifelog.activity", "data": {"blob": "' + b"x" * (40 * 1024 * 1024)
    refused = client.post(
        "/v1/me/records",
        content=huge + b'"}}',
        headers={**person.headers, "Content-Type": "application/json"},
    )
    _assert_problem(refused, 413, "payload_too_large")
    assert row_counts(bank.engine, *TABLES) == before


def test_text_with_a_nul_character_gets_a_4xx_problem(client: TestClient, bank: Bank) -> None:
    source = api.business(client, api.staff(bank), "source")
    person = api.sign_up(client)
    ref = api.link(client, person, source)
    before = row_counts(bank.engine, *TABLES)
    for response in (
        _add(client, person, purpose="care\x00"),
        _push(client, source, _item(ref, acquired_via="pos\x00")),
        _push(client, source, _item(ref + "\x00")),
        client.get("/v1/me/records/abc%00def", headers=person.headers),
        client.post("/v1/me/source-links", json={"source_id": "a\x00"}, headers=person.headers),
        client.get("/v1/me/records", params={"category": "x\x00"}, headers=person.headers),
    ):
        assert 400 <= response.status_code < 500, response.text
        assert response.headers["content-type"].startswith(PROBLEM)
    assert row_counts(bank.engine, *TABLES) == before


def test_a_record_of_japanese_text_round_trips(client: TestClient) -> None:
    person = api.sign_up(client)
    data = {"memo": "朝ごはん：納豆と味噌汁 🍚", "nested": {"list": [1, 2.5, None, True]}}
    record_id = _add(client, person, category="lifelog.meals", data=data).json()["id"]
    got = client.get(f"/v1/me/records/{record_id}", headers=person.headers)
    assert got.json()["data"] == data
    assert json.loads(got.content)["data"]["memo"] == data["memo"]


# Recipient vetting (operator)


def test_an_operator_records_certifications_of_a_recipient(client: TestClient, bank: Bank) -> None:
    operator = api.staff(bank)
    recipient = api.business(client, operator)
    cert = {
        "kind": "pmark",
        "number": "10820001",
        "valid_from": "2026-01-01",
        "valid_until": "2028-01-01",
    }
    added = client.post(
        f"/v1/admin/recipients/{recipient.id}/certifications", json=cert, headers=operator.headers
    )
    assert added.status_code == 201, added.text
    assert {k: added.json()[k] for k in cert} == cert

    listed = api.items(client, "/v1/admin/recipients", operator.headers)
    (shown,) = listed
    assert [c["number"] for c in shown["certifications"]] == ["10820001"]


def test_certifications_for_unknown_recipients_or_with_a_reversed_window_are_refused(
    client: TestClient, bank: Bank
) -> None:
    operator = api.staff(bank)
    recipient = api.business(client, operator)
    cert = {
        "kind": "isms",
        "number": "IS 1",
        "valid_from": "2026-01-01",
        "valid_until": "2027-01-01",
    }
    unknown = client.post(
        "/v1/admin/recipients/00000000-0000-0000-0000-000000000000/certifications",
        json=cert,
        headers=operator.headers,
    )
    _assert_problem(unknown, 404)
    reversed_window = client.post(
        f"/v1/admin/recipients/{recipient.id}/certifications",
        json={**cert, "valid_from": "2027-01-02"},
        headers=operator.headers,
    )
    _assert_problem(reversed_window, 422)
    bad_kind = client.post(
        f"/v1/admin/recipients/{recipient.id}/certifications",
        json={**cert, "kind": "self-declared"},
        headers=operator.headers,
    )
    _assert_problem(bad_kind, 422)
    assert row_counts(bank.engine, "certifications")["certifications"] == 0


def test_suspend_and_reinstate_flip_a_recipients_standing(client: TestClient, bank: Bank) -> None:
    operator = api.staff(bank)
    recipient = api.business(client, operator)

    def standing() -> bool:
        (shown,) = api.items(client, "/v1/admin/recipients", operator.headers)
        return bool(shown["suspended"])

    assert standing() is False
    suspended = client.post(
        f"/v1/admin/recipients/{recipient.id}/suspend", headers=operator.headers
    )
    assert suspended.status_code == 200, suspended.text
    assert suspended.json()["suspended"] is True
    assert standing() is True
    reinstated = client.post(
        f"/v1/admin/recipients/{recipient.id}/reinstate", headers=operator.headers
    )
    assert reinstated.json()["suspended"] is False
    assert standing() is False
    missing = client.post(
        "/v1/admin/recipients/00000000-0000-0000-0000-000000000000/suspend",
        headers=operator.headers,
    )
    _assert_problem(missing, 404)
