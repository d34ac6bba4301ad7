"""A recipient lists its own offers (GET /v1/offers): newest first, in pages joined by an
opaque cursor, never another recipient's."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from infobank.bootstrap import Bank
from tests.fakes import FakeClock
from tests.support import trust


def _pages(client: TestClient, headers: dict[str, str], limit: int) -> list[dict[str, Any]]:
    pages, cursor = [], None
    while True:
        params: dict[str, Any] = {"limit": limit}
        if cursor is not None:
            params["cursor"] = cursor
        got = client.get("/v1/offers", params=params, headers=headers)
        assert got.status_code == 200, got.text
        pages.append(got.json())
        cursor = got.json()["next_cursor"]
        if cursor is None:
            return pages


def test_offers_come_newest_first_in_pages_that_miss_and_repeat_nothing(
    client: TestClient, bank: Bank, clock: FakeClock
) -> None:
    team = trust.staff(bank)
    mine = trust.recipient(client, team)
    made = []
    for n in range(3):
        made.append(trust.draft(client, mine, title=f"offer {n}"))
        clock.advance(minutes=1)
    # Three more in the same instant: the id breaks the tie, so the keyset still holds.
    made += [trust.draft(client, mine, title=f"same instant {n}") for n in range(3)]
    trust.submit(client, mine, made[0])

    pages = _pages(client, mine.headers, limit=4)

    assert [len(p["items"]) for p in pages] == [4, 2]
    listed = [item["id"] for page in pages for item in page["items"]]
    same_instant = sorted(made[3:], reverse=True)
    assert listed == [*same_instant, made[2], made[1], made[0]]
    first = pages[-1]["items"][-1]
    assert first["title"] == "offer 0" and first["status"] == "under_review"
    assert pages[0]["next_cursor"] and pages[-1]["next_cursor"] is None


def test_another_recipients_offers_are_never_listed(client: TestClient, bank: Bank) -> None:
    team = trust.staff(bank)
    mine, theirs = trust.recipient(client, team), trust.recipient(client, team)
    own = trust.draft(client, mine, title="mine")
    trust.draft(client, theirs, title="theirs")

    listed = client.get("/v1/offers", headers=mine.headers).json()

    assert [item["id"] for item in listed["items"]] == [own]
    assert listed["next_cursor"] is None
    empty = trust.recipient(client, team)
    assert client.get("/v1/offers", headers=empty.headers).json() == {
        "items": [],
        "next_cursor": None,
        "prev_cursor": None,
    }


@pytest.mark.parametrize(
    "cursor",
    ["not a cursor", "bm90IGpzb24", "WyJub3QtYS1kYXRlIiwiaWQiXQ", "WzEsMl0", "e30", "!!!"],
)
def test_a_cursor_this_list_did_not_give_out_is_refused_as_every_list_refuses_it(
    client: TestClient, bank: Bank, cursor: str
) -> None:
    mine = trust.recipient(client, trust.staff(bank))

    got = client.get("/v1/offers", params={"cursor": cursor}, headers=mine.headers)

    assert got.status_code == 422, got.text
    assert got.headers["content-type"].startswith("application/problem+json")
    assert got.json()["code"] == "invalid_cursor"


@pytest.mark.parametrize("limit", [0, 201, -1])
def test_a_limit_outside_1_to_200_is_refused(client: TestClient, bank: Bank, limit: int) -> None:
    mine = trust.recipient(client, trust.staff(bank))

    got = client.get("/v1/offers", params={"limit": limit}, headers=mine.headers)

    assert got.status_code == 422, got.text


def test_only_a_recipient_may_list_offers(client: TestClient, bank: Bank) -> None:
    team = trust.staff(bank)

    assert client.get("/v1/offers").status_code == 401
    assert client.get("/v1/offers", headers=team.operator.headers).status_code in (401, 403)
