"""Pure rules of operating the bank: business days, incident deadlines and report states,
usage series against targets."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from infobank.domain.business_days import JST, add_business_days, local_day
from infobank.domain.errors import Conflict
from infobank.domain.incidents import (
    Incident,
    deadlines,
    regulator_draft,
    report_reasons,
    status_after_report,
)
from infobank.domain.usage import days_between, series

THURSDAY_EVENING_JST = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # 18:00 JST, a Thursday


def test_a_reply_within_three_business_days_skips_the_weekend() -> None:
    due = add_business_days(THURSDAY_EVENING_JST, 3)
    # Fri 27, Mon 30, Tue 1 Dec: late from the start of Wed 2 Dec in Japan.
    assert due == datetime(2026, 12, 2, 0, 0, tzinfo=JST)


def test_an_inquiry_received_on_saturday_counts_from_monday() -> None:
    saturday = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)  # 12:00 JST
    assert add_business_days(saturday, 1) == datetime(2026, 12, 1, 0, 0, tzinfo=JST)


def test_the_day_is_the_day_in_japan() -> None:
    assert local_day(datetime(2026, 11, 26, 15, 0, tzinfo=UTC)) == date(2026, 11, 27)
    assert local_day(datetime(2026, 11, 26, 14, 59, tzinfo=UTC)) == date(2026, 11, 26)


def test_deadlines_are_five_days_and_thirty_or_sixty_for_wrongful_intent() -> None:
    found = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    assert deadlines(found, False) == (found + timedelta(days=5), found + timedelta(days=30))
    assert deadlines(found, True)[1] == found + timedelta(days=60)


def test_reports_go_preliminary_then_final_and_never_back() -> None:
    assert status_after_report("draft", "preliminary") == "preliminary_sent"
    assert status_after_report("preliminary_sent", "final") == "final_sent"
    assert status_after_report("draft", "final") == "final_sent"
    for status, stage in [("preliminary_sent", "preliminary"), ("final_sent", "final")]:
        with pytest.raises(Conflict):
            status_after_report(status, stage)


def test_a_report_is_mandatory_for_sensitive_data_intent_or_over_a_thousand_persons() -> None:
    assert report_reasons(10, False, False) == []
    assert len(report_reasons(10, True, False)) == 1
    assert len(report_reasons(10, False, True)) == 1
    assert len(report_reasons(1001, False, False)) == 1
    assert report_reasons(1000, False, False) == []


def _incident(**changes: object) -> Incident:
    found = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    preliminary, final = deadlines(found, False)
    values: dict[str, object] = {
        "id": "i",
        "summary": "提供先のサーバーへの不正アクセス",
        "discovered_at": found,
        "target": "recipient",
        "recipient_id": "r",
        "categories": ("health.checkup",),
        "period_from": found - timedelta(days=10),
        "period_to": found,
        "cause": "",
        "measures": "",
        "secondary_damage": "",
        "wrongful_intent": False,
        "sensitive_involved": True,
        "status": "draft",
        "affected_count": 3,
        "notified_count": 3,
        "recipient_suspended": True,
        "created_by": "s",
        "created_at": found,
        "preliminary_due_at": preliminary,
        "final_due_at": final,
    }
    values.update(changes)
    return Incident(**values)  # type: ignore[arg-type]


def test_the_draft_flags_a_late_preliminary_report_until_one_is_filed() -> None:
    incident = _incident()
    late = datetime(2026, 11, 26, 0, 0, tzinfo=UTC)
    draft = regulator_draft(incident, target_name="X", categories=[], at=late)
    assert draft["report_required"] is True
    assert draft["deadlines"]["preliminary"] == "2026-11-25T10:00:00Z"
    assert draft["deadlines"]["final"] == "2026-12-20T10:00:00Z"
    assert draft["deadlines"]["preliminary_overdue"] is True
    assert draft["facts"]["affected_persons"] == 3
    sent = _incident(status="preliminary_sent", preliminary_sent_at=late)
    later = regulator_draft(sent, target_name="X", categories=[], at=late)
    assert later["deadlines"]["preliminary_overdue"] is False
    assert later["deadlines"]["final_overdue"] is False


def test_usage_series_spread_monthly_flow_targets_over_days_and_leave_gaps() -> None:
    days = days_between(date(2026, 11, 29), date(2026, 12, 1))
    actual = {
        "users": {date(2026, 11, 29): 10, date(2026, 12, 1): 12},
        "deliveries": {date(2026, 11, 29): 4, date(2026, 11, 30): 6, date(2026, 12, 1): 1},
    }
    targets = {"2026-11": {"users": 20, "deliveries": 300}, "2026-12": {"users": 25}}
    daily = series(days, actual, targets)
    assert [(p.actual, p.target) for p in daily["users"]] == [(10, 20.0), (None, 20.0), (12, 25.0)]
    assert [p.target for p in daily["deliveries"]] == [10.0, 10.0, None]
    monthly = series(days, actual, targets, "month")
    assert [(p.period, p.actual, p.target) for p in monthly["users"]] == [
        ("2026-11", 10, 20.0),
        ("2026-12", 12, 25.0),
    ]
    assert [p.actual for p in monthly["deliveries"]] == [10, 1]
    assert [p.actual for p in monthly["api_requests"]] == [None, None]


def test_a_usage_range_is_ordered_and_bounded() -> None:
    with pytest.raises(ValueError):
        days_between(date(2026, 12, 2), date(2026, 12, 1))
    with pytest.raises(ValueError):
        days_between(date(2020, 1, 1), date(2026, 1, 1))
