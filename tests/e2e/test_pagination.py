"""Every list endpoint pages the same way: ``limit`` (1-200) and an opaque ``cursor`` in,
``{items, next_cursor, prev_cursor}`` out, newest first, with no item lost or repeated across
pages while new items arrive."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from fastapi.testclient import TestClient

from infobank.bootstrap import Bank
from infobank.domain.identity import StaffRole
from infobank.entrypoints.web.deps import PAGE_SIZE
from infobank.services import worker
from tests.fakes import FakeClock, RecordingWebhooks
from tests.support import api, trust, web

PROBLEM = "application/problem+json"


def _page(client: TestClient, path: str, headers: dict[str, str], **query: Any) -> dict[str, Any]:
    got = client.get(path, headers=headers, params=query)
    assert got.status_code == 200, got.text
    body: dict[str, Any] = got.json()
    assert {"items", "next_cursor", "prev_cursor"} <= body.keys()
    return body


def _walk(client: TestClient, path: str, headers: dict[str, str], limit: int) -> list[str]:
    ids: list[str] = []
    cursor = None
    while True:
        body = _page(client, path, headers, limit=limit, **({"cursor": cursor} if cursor else {}))
        assert len(body["items"]) <= limit
        ids.extend(item["id"] for item in body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            return ids


def _add_record(client: TestClient, person: api.Party, n: int) -> str:
    made = client.post(
        "/v1/me/records",
        json={"category": "lifelog.activity", "data": {"steps": 1000 + n}},
        headers=person.headers,
    )
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


def test_records_page_newest_first_and_nothing_is_lost_or_repeated_while_new_ones_arrive(
    client: TestClient, clock: FakeClock
) -> None:
    person = api.sign_up(client)
    older = [_add_record(client, person, n) for n in range(4)]
    clock.advance(minutes=1)
    newer = [_add_record(client, person, n) for n in range(4, 7)]
    # Same-time records are ordered by id, so the order is total and stable.
    everything = _walk(client, "/v1/me/records", person.headers, limit=3)
    assert sorted(everything) == sorted(older + newer)
    assert set(everything[:3]) == set(newer)  # newest first

    first = _page(client, "/v1/me/records", person.headers, limit=3)
    assert first["prev_cursor"] is None
    clock.advance(seconds=1)
    arrived = [_add_record(client, person, 100 + n) for n in range(2)]  # while paging
    seen = [item["id"] for item in first["items"]]
    cursor = first["next_cursor"]
    while cursor:
        body = _page(client, "/v1/me/records", person.headers, limit=3, cursor=cursor)
        seen.extend(item["id"] for item in body["items"])
        cursor = body["next_cursor"]
    assert len(seen) == len(set(seen)) == 7  # none repeated, none lost
    assert sorted(seen) == sorted(older + newer)
    assert set(_walk(client, "/v1/me/records", person.headers, limit=200)) >= set(arrived)


def test_prev_cursor_reads_the_page_before(client: TestClient) -> None:
    person = api.sign_up(client)
    for n in range(5):
        _add_record(client, person, n)
    first = _page(client, "/v1/me/records", person.headers, limit=2)
    second = _page(client, "/v1/me/records", person.headers, limit=2, cursor=first["next_cursor"])
    assert second["prev_cursor"] is not None
    back = _page(client, "/v1/me/records", person.headers, limit=2, cursor=second["prev_cursor"])
    assert [i["id"] for i in back["items"]] == [i["id"] for i in first["items"]]
    assert back["prev_cursor"] is None
    last = _page(client, "/v1/me/records", person.headers, limit=2, cursor=second["next_cursor"])
    assert len(last["items"]) == 1 and last["next_cursor"] is None


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ({"limit": 0}, "validation_error"),
        ({"limit": 201}, "validation_error"),
        ({"cursor": "not-a-cursor"}, "invalid_cursor"),
        ({"cursor": "eyJkIjoic2lkZXdheXMiLCJ0IjoiMjAyNiIsImkiOiJ4In0"}, "invalid_cursor"),
    ],
)
def test_a_bad_limit_or_cursor_is_a_clear_problem(
    client: TestClient, query: dict[str, Any], code: str
) -> None:
    person = api.sign_up(client)
    got = client.get("/v1/me/records", headers=person.headers, params=query)
    assert got.status_code == 422, got.text
    assert got.headers["content-type"].startswith(PROBLEM)
    assert got.json()["code"] == code


def test_a_recipients_deliveries_and_stop_notices_page_without_gaps(
    bank: Bank, client: TestClient
) -> None:
    staff = trust.staff(bank)
    recipient = trust.recipient(client, staff)
    persons = [trust.person(client) for _ in range(5)]
    offer_id, _ = trust.open_offer(client, staff, recipient)
    consents = [trust.accept(client, who, offer_id) for who in persons]
    worker.run_once(bank.context, RecordingWebhooks())

    delivered = _walk(client, "/v1/deliveries", recipient.headers, limit=2)
    assert len(delivered) == len(set(delivered)) == 5
    assert _walk(client, "/v1/deliveries", recipient.headers, limit=200) == delivered
    for who, consent_id in zip(persons, consents, strict=True):
        revoked = client.post(f"/v1/me/consents/{consent_id}/revoke", headers=who.headers)
        assert revoked.status_code == 200, revoked.text
    notices = _walk(client, "/v1/revocations", recipient.headers, limit=2)
    assert len(notices) == len(set(notices)) == 5


@pytest.mark.parametrize(
    ("path", "who"),
    [
        ("/v1/me/records", "person"),
        ("/v1/me/consents", "person"),
        ("/v1/me/provisions", "person"),
        ("/v1/me/notifications", "person"),
        ("/v1/me/inquiries", "person"),
        ("/v1/me/offers", "person"),
        ("/v1/deliveries", "recipient"),
        ("/v1/revocations", "recipient"),
        ("/v1/admin/reviews", "ethics"),
        ("/v1/admin/recipients", "operator"),
        ("/v1/admin/incidents", "operator"),
        ("/v1/admin/inquiries", "operator"),
        ("/v1/admin/joint-applications", "operator"),
    ],
)
def test_every_list_endpoint_answers_in_pages(
    bank: Bank, client: TestClient, path: str, who: str
) -> None:
    parties = {
        "person": lambda: api.sign_up(client).headers,
        "recipient": lambda: trust.recipient(client, trust.staff(bank)).headers,
        "ethics": lambda: api.staff(bank, StaffRole.ETHICS).headers,
        "operator": lambda: api.staff(bank, StaffRole.OPERATOR).headers,
    }
    headers = parties[who]()
    body = _page(client, path, headers, limit=1)
    assert isinstance(body["items"], list) and len(body["items"]) <= 1
    bad = client.get(path, headers=headers, params={"cursor": "%%%"})
    assert bad.status_code == 422, bad.text


_LINK = re.compile(r'data-testid="page-(next|prev)" href="([^"]+)"')


def _links(html: str) -> dict[str, str]:
    return {kind: unescape(href) for kind, href in _LINK.findall(html)}


def test_the_ethics_queue_page_pages_with_next_and_previous_links(
    bank: Bank, client: TestClient
) -> None:
    titles = [f"審査待ちのオファー {n:02d}" for n in range(PAGE_SIZE + 3)]
    for title in titles:
        web.offer_under_review(client, bank, title=title)
    web.log_in(client, web.staff_member(bank, StaffRole.ETHICS), staff=True)

    first = client.get("/staff/reviews")
    assert first.status_code == 200, first.text
    links = _links(first.text)
    assert set(links) == {"next"}  # the newest page has nothing newer
    second = client.get(links["next"])
    assert second.status_code == 200, second.text
    shown = [t for t in titles if t in first.text] + [t for t in titles if t in second.text]
    assert sorted(shown) == sorted(titles)  # each once, across both pages
    assert set(_links(second.text)) == {"prev"}
    back = client.get(_links(second.text)["prev"])
    assert [t for t in titles if t in back.text] == [t for t in titles if t in first.text]


def test_a_page_with_a_broken_cursor_says_so(bank: Bank, client: TestClient) -> None:
    web.sign_up(client, bank)
    got = client.get("/notifications", params={"cursor": "broken"})
    assert got.status_code == 422
    assert "最初のページ" in got.text


def test_each_inbox_section_pages_on_its_own(bank: Bank, client: TestClient) -> None:
    email = trust.person(client).email  # holds the offers' category, so each invites them
    titles = [f"お誘い {n:02d}" for n in range(PAGE_SIZE + 2)]
    for title in titles:
        web.open_offer(client, bank, title=title)
    web.log_in(client, email)

    first = client.get("/offers")
    assert first.status_code == 200, first.text
    links = _links(first.text)
    assert set(links) == {"next"} and "waiting=" in links["next"]
    second = client.get(links["next"])
    on_first = [t for t in titles if t in first.text]
    on_second = [t for t in titles if t in second.text]
    assert len(on_first) == PAGE_SIZE and sorted(on_first + on_second) == sorted(titles)
    assert 'data-testid="offers-accepted"' in second.text  # the other sections stay
