"""The board's review API takes conditions as a strict object (the earlier list of strings is
kept as notes), refuses conditions that cannot be meant without storing anything; usage
reports are filed only by the offer's own recipient on an approved offer and read in pages;
a renewal (再審査) waits once and, rejected, ends the offer's approval."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from infobank.bootstrap import Bank
from tests.support import api, board, trust


def _under_review(client: TestClient, bank: Bank) -> tuple[trust.Staff, trust.Recipient, str]:
    team = trust.staff(bank)
    recipient = trust.recipient(client, team)
    offer_id = trust.draft(client, recipient)
    trust.submit(client, recipient, offer_id)
    return team, recipient, offer_id


def _offer(client: TestClient, who: trust.Recipient, offer_id: str) -> dict[str, Any]:
    answer = client.get(f"/v1/offers/{offer_id}", headers=who.headers)
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found


@pytest.mark.parametrize(
    ("conditions", "decision", "code"),
    [
        ({"max_retention": 90}, "approve", "validation_error"),
        ({"target": {"age_min": 20, "genders": ["female"]}}, "approve", "validation_error"),
        ({"capacity_max": 0}, "approve", "validation_error"),
        ({"max_retention_days": "ninety"}, "approve", "validation_error"),
        ({"target": {"age_min": 60, "age_max": 20}}, "approve", "invalid_conditions"),
        ({"target": {"prefectures": ["48"]}}, "approve", "invalid_conditions"),
        ({"approval_valid_until": "2026-11-25"}, "approve", "invalid_conditions"),
        ({"max_retention_days": 90}, "reject", "invalid_conditions"),
    ],
    ids=[
        "unknown-key",
        "unknown-target-key",
        "capacity-zero",
        "not-a-number",
        "ages-crossed",
        "unknown-prefecture",
        "end-date-past",
        "conditions-on-rejection",
    ],
)
def test_conditions_that_cannot_be_meant_are_refused_and_nothing_is_recorded(
    client: TestClient, bank: Bank, conditions: dict[str, Any], decision: str, code: str
) -> None:
    team, recipient, offer_id = _under_review(client, bank)

    answer = board.review(client, team, offer_id, conditions, decision)

    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["code"] == code
    offer = _offer(client, recipient, offer_id)
    assert offer["status"] == "under_review" and offer["reviews"] == []


def test_the_earlier_list_of_conditions_is_kept_as_notes(client: TestClient, bank: Bank) -> None:
    team, recipient, offer_id = _under_review(client, bank)

    answer = board.review(client, team, offer_id, ["年 1 回の報告", "目的外利用の禁止"])

    assert answer.status_code == 200, answer.text
    [review] = _offer(client, recipient, offer_id)["reviews"]
    assert review["notes"] == ["年 1 回の報告", "目的外利用の禁止"]
    assert review["conditions"]["max_retention_days"] is None
    assert review["minutes"] == "審査した。"


def test_structured_conditions_and_notes_are_stored_together(
    client: TestClient, bank: Bank
) -> None:
    team, recipient, offer_id = _under_review(client, bank)
    conditions = {
        "max_retention_days": 180,
        "profiling_allowed": False,
        "target": {"age_min": 20, "age_max": 70, "prefectures": ["13", "14"]},
        "capacity_max": 50,
        "approval_valid_until": "2027-11-30",
        "report_after_days": 90,
    }
    answer = client.post(
        f"/v1/admin/offers/{offer_id}/review",
        json={
            "decision": "approve",
            "minutes": "承認。",
            "conditions": conditions,
            "notes": ["半年ごとに面談"],
        },
        headers=team.ethics.headers,
    )
    assert answer.status_code == 200, answer.text

    [review] = _offer(client, recipient, offer_id)["reviews"]
    assert review["conditions"] == conditions
    assert review["notes"] == ["半年ごとに面談"]
    assert review["report_due"].startswith("2027-02-24")


def test_only_the_offers_recipient_reports_and_only_on_an_approved_offer(
    client: TestClient, bank: Bank
) -> None:
    team, recipient, offer_id = _under_review(client, bank)
    other = trust.recipient(client, team)
    text = {"text": "利用状況の報告です。"}

    early = client.post(f"/v1/offers/{offer_id}/reports", json=text, headers=recipient.headers)
    assert early.status_code == 409, early.text
    answer = board.review(client, team, offer_id, {"report_after_days": 30})
    assert answer.status_code == 200, answer.text
    stranger = client.post(f"/v1/offers/{offer_id}/reports", json=text, headers=other.headers)
    assert stranger.status_code == 404
    empty = client.post(
        f"/v1/offers/{offer_id}/reports", json={"text": "  "}, headers=recipient.headers
    )
    assert empty.status_code == 422
    for n in range(3):
        filed = client.post(
            f"/v1/offers/{offer_id}/reports", json={"text": f"報告 {n}"}, headers=recipient.headers
        )
        assert filed.status_code == 201, filed.text

    path = f"/v1/admin/offers/{offer_id}/reports"
    first = client.get(path, params={"limit": 2}, headers=team.ethics.headers).json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    assert len(api.items(client, path, team.ethics.headers)) == 3
    assert client.get(path, headers=recipient.headers).status_code in (401, 403)
    assert (
        client.get("/v1/admin/offers/nope/reports", headers=team.ethics.headers).status_code == 404
    )


def test_a_renewal_waits_once_and_a_rejected_renewal_ends_the_approval(
    client: TestClient, bank: Bank
) -> None:
    s = board.scene(client, bank, {})
    consent = s.accepted(s.persons[0])
    assert board.build(bank) == 1
    package = s.package(consent)

    submitted = client.post(f"/v1/offers/{s.offer_id}/submit", headers=s.recipient.headers)
    assert submitted.status_code == 200, submitted.text
    again = client.post(f"/v1/offers/{s.offer_id}/submit", headers=s.recipient.headers)
    assert again.status_code == 409 and again.json()["code"] == "offer_state"
    assert s.fetch(package).status_code == 200  # the approval in force still holds

    rejected = board.review(client, s.team, s.offer_id, {}, "reject")
    assert rejected.status_code == 200, rejected.text

    offer = _offer(client, s.recipient, s.offer_id)
    assert offer["status"] == "rejected" and offer["renewal_requested_at"] is None
    board.refused_for(s.fetch(package), "has not been approved")
    assert s.accept(s.persons[1]).status_code == 409  # the offer is no longer open


def test_closing_an_offer_waiting_for_a_new_review_takes_it_out_of_the_queue(
    client: TestClient, bank: Bank
) -> None:
    s = board.scene(client, bank, {}, persons=0)
    submitted = client.post(f"/v1/offers/{s.offer_id}/submit", headers=s.recipient.headers)
    assert submitted.status_code == 200, submitted.text
    queued = [o["id"] for o in api.items(client, "/v1/admin/reviews", s.team.ethics.headers)]
    assert s.offer_id in queued

    closed = client.post(f"/v1/admin/offers/{s.offer_id}/close", headers=s.team.operator.headers)

    assert closed.status_code == 200 and closed.json()["renewal_requested_at"] is None
    queued = [o["id"] for o in api.items(client, "/v1/admin/reviews", s.team.ethics.headers)]
    assert s.offer_id not in queued
    late = board.review(client, s.team, s.offer_id, {})
    assert late.status_code == 409 and late.json()["code"] == "offer_state"
