"""The data ethics board's conditions (審査会の条件) over HTTP: one test per condition, each
kept first (the offer opens, persons consent, packages are built and fetched) and then broken
(opening, a new consent, a build and a fetch are refused with the condition's own reason), and
where the condition can be mended (a new review, a usage report) mended again.

The test clock stands at 2026-11-26; the persons are 41 and live in Tokyo (13).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from infobank.bootstrap import Bank
from tests.fakes import FakeClock
from tests.support import api, board, trust
from tests.support.board import Scene, refused_for

# Tokens outlive the months some tests move the clock on.
_LONG = 400 * 24 * 3600
pytestmark = pytest.mark.settings(
    person_token_ttl_s=_LONG, client_token_ttl_s=_LONG, staff_token_ttl_s=_LONG
)

RETENTION = "retention period exceeds the maximum"
PROFILING = "did not allow profiling"
TARGET = "offer's target (ages, prefectures) does not lie within"
PERSON = "person is outside the target"
CAPACITY = "reached the maximum number"
LAPSED = "approval has passed its end date"
REPORT = "usage report the data ethics board asked for is overdue"


def steps(s: Scene, words: str, breaks: Callable[[], None]) -> str:
    """Kept: the first person consents and the package is built and fetched; the second
    consents. Broken by ``breaks``: the third may not consent, the second's package is not
    built, the first's may not be fetched. Returns the first person's package."""
    first, second, third = s.persons
    consent = s.accepted(first)
    assert board.build(s.bank) == 1
    package = s.package(consent)
    assert s.fetch(package).status_code == 200
    s.accepted(second)

    breaks()

    refused_for(s.accept(third), words)
    assert board.build(s.bank) == 0
    refused_for(s.fetch(package), words)
    return package


def test_retention_beyond_the_boards_maximum_is_refused_at_every_step(
    client: TestClient, bank: Bank
) -> None:
    s = board.scene(client, bank, {"max_retention_days": 180}, retention_days=180)

    steps(s, RETENTION, lambda: s.renew(max_retention_days=90))

    unopened = board.scene(client, bank, {"max_retention_days": 90}, persons=0, opened=False)
    refused_for(unopened.open(), RETENTION)


def test_profiling_the_board_did_not_allow_is_refused_at_every_step(
    client: TestClient, bank: Bank
) -> None:
    s = board.scene(client, bank, {"profiling_allowed": True}, profiling=True)

    steps(s, PROFILING, lambda: s.renew(profiling_allowed=False))

    profiles = board.scene(client, bank, {"profiling_allowed": False}, persons=0, opened=False)
    assert profiles.open().status_code == 200  # this offer does not profile
    unopened = board.scene(
        client, bank, {"profiling_allowed": False}, persons=0, opened=False, profiling=True
    )
    refused_for(unopened.open(), PROFILING)


def test_an_offer_targeting_beyond_the_boards_limits_is_refused_at_every_step(
    client: TestClient, bank: Bank
) -> None:
    tokyo = {"age_min": 20, "age_max": 70, "prefectures": ["13"]}
    s = board.scene(
        client,
        bank,
        {"target": {"age_min": 18, "age_max": 75, "prefectures": ["13", "14"]}},
        target=tokyo,
    )

    steps(s, TARGET, lambda: s.renew(target={"age_min": 18, "prefectures": ["14"]}))

    limits = {"target": {"age_min": 20, "age_max": 60}}
    unopened = board.scene(client, bank, limits, persons=0, opened=False, target={"age_min": 20})
    refused_for(unopened.open(), TARGET)


def test_persons_outside_the_boards_target_are_never_asked_nor_provided_to(
    client: TestClient, bank: Bank, clock: FakeClock
) -> None:
    """Limits to persons up to 41 in Tokyo: someone in Osaka is not asked; once the persons
    turn 42 (12 April 2027) nothing more is provided to them nor consented for them."""
    limits = {"target": {"age_max": 41, "prefectures": ["13"]}}
    osaka = trust.person(client, prefecture="27")
    s = board.scene(client, bank, limits, target={"age_max": 41, "prefectures": ["13"]})
    inbox = [o["offer"] for o in api.items(client, "/v1/me/offers", osaka.headers)]
    assert s.offer_id not in inbox

    def birthdays() -> None:
        clock.at = clock.at.replace(year=2027, month=4, day=12)

    steps(s, PERSON, birthdays)


def test_consents_never_pass_the_boards_maximum(client: TestClient, bank: Bank) -> None:
    """With three asked and the maximum lowered to one, the third may not consent and the
    deliveries of the two who did stop; raised to two, they flow again but a third consent
    still may not be given."""
    s = board.scene(client, bank, {"capacity_max": 3})
    package = steps(s, CAPACITY, lambda: s.renew(capacity_max=1))

    s.renew(capacity_max=2)
    assert board.build(bank) == 1
    assert s.fetch(package).status_code == 200
    refused_for(s.accept(s.persons[2]), CAPACITY)


def test_an_opening_consents_for_no_more_persons_than_the_boards_maximum(
    client: TestClient, bank: Bank
) -> None:
    """Three persons whose delegation rules cover the offer; the board allows two consents."""
    delegating = [
        {"categories": ["lifelog.activity"], "min_benefit_points": 100, "max_retention_days": 365}
    ]
    s = board.scene(
        client, bank, {"capacity_max": 2}, opened=False, capacity=100, delegation=delegating
    )

    opened = s.open()

    assert opened.status_code == 200, opened.text
    assert (opened.json()["delegated"], opened.json()["invited"]) == (2, 0)
    tried = [s.accept(who).status_code for who in s.persons]
    assert sorted(tried) == [404, 409, 409]  # two consented for already, one never asked


def test_a_lapsed_approval_stops_consents_and_deliveries_until_a_new_review(
    client: TestClient, bank: Bank, clock: FakeClock
) -> None:
    s = board.scene(client, bank, {"approval_valid_until": "2026-12-06"})

    package = steps(s, LAPSED, lambda: clock.advance(days=11))  # 7 December

    renewal = client.post(f"/v1/offers/{s.offer_id}/submit", headers=s.recipient.headers)
    assert renewal.status_code == 200, renewal.text
    assert renewal.json()["status"] == "open" and renewal.json()["renewal_requested_at"]
    queue = api.items(client, "/v1/admin/reviews", s.team.ethics.headers)
    assert s.offer_id in [o["id"] for o in queue]
    refused_for(s.fetch(package), LAPSED)  # waiting for the board changes nothing yet

    answer = board.review(client, s.team, s.offer_id, {"approval_valid_until": "2027-06-30"})
    assert answer.status_code == 200, answer.text

    assert board.build(bank) == 1
    assert s.fetch(package).status_code == 200
    s.accepted(s.persons[2])
    offer = client.get(f"/v1/offers/{s.offer_id}", headers=s.recipient.headers).json()
    assert offer["status"] == "open" and offer["renewal_requested_at"] is None
    assert [r["conditions"]["approval_valid_until"] for r in offer["reviews"]] == [
        "2026-12-06",
        "2027-06-30",
    ]
    assert s.offer_id not in [
        o["id"] for o in api.items(client, "/v1/admin/reviews", s.team.ethics.headers)
    ]


def test_an_approval_that_lapses_before_opening_does_not_open(
    client: TestClient, bank: Bank, clock: FakeClock
) -> None:
    s = board.scene(client, bank, {"approval_valid_until": "2026-11-27"}, opened=False)
    clock.advance(days=2)

    refused_for(s.open(), LAPSED)


def test_an_overdue_usage_report_pauses_deliveries_until_it_is_filed(
    client: TestClient, bank: Bank, clock: FakeClock
) -> None:
    s = board.scene(client, bank, {"report_after_days": 30})
    offer = client.get(f"/v1/offers/{s.offer_id}", headers=s.recipient.headers).json()
    assert offer["reviews"][-1]["report_due"].startswith("2026-12-26")
    first, second, third = s.persons
    consent = s.accepted(first)
    assert board.build(bank) == 1
    package = s.package(consent)
    assert s.fetch(package).status_code == 200
    s.accepted(second)

    clock.advance(days=31)

    refused_for(s.fetch(package), REPORT)
    assert board.build(bank) == 0
    s.accepted(third)  # consents go on; deliveries wait

    filed = client.post(
        f"/v1/offers/{s.offer_id}/reports",
        json={"text": "歩数データは保険商品の設計にのみ使いました。"},
        headers=s.recipient.headers,
    )
    assert filed.status_code == 201, filed.text

    assert s.fetch(package).status_code == 200
    assert board.build(bank) == 2
    listed = api.items(client, f"/v1/admin/offers/{s.offer_id}/reports", s.team.ethics.headers)
    assert [r["text"] for r in listed] == ["歩数データは保険商品の設計にのみ使いました。"]
