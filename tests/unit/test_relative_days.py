"""Relative days on the pages (今日 / 昨日 / N 日前, 本日期限 / あと N 日) in both languages,
with the catalogues the pages load: calendar days in Japan time, English plurals right."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from infobank.entrypoints.web.i18n import load_translations
from infobank.entrypoints.web.relative_days import days_apart, relative_day

TR = load_translations()
# 2026-11-26 18:00 in Japan
NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def _moment(days: int) -> datetime:
    return NOW + timedelta(days=days)


@pytest.mark.parametrize(
    ("days", "ja", "en"),
    [
        (0, "今日", "today"),
        (-1, "昨日", "yesterday"),
        (-2, "2 日前", "2 days ago"),
        (-3, "3 日前", "3 days ago"),
        (1, "明日", "tomorrow"),
        (2, "2 日後", "in 2 days"),
    ],
)
def test_a_moment_reads_as_today_yesterday_or_days_ago(days: int, ja: str, en: str) -> None:
    assert relative_day(TR["ja"], _moment(days), NOW) == ja
    assert relative_day(TR["en"], _moment(days), NOW) == en


@pytest.mark.parametrize(
    ("days", "ja", "en"),
    [
        (1, "明日期限", "due tomorrow"),
        (2, "あと 2 日", "due in 2 days"),
        (-1, "1 日超過", "1 day overdue"),  # the English singular
        (-3, "3 日超過", "3 days overdue"),
    ],
)
def test_a_deadline_reads_as_due_in_days_or_overdue(days: int, ja: str, en: str) -> None:
    assert relative_day(TR["ja"], _moment(days), NOW, due=True) == ja
    assert relative_day(TR["en"], _moment(days), NOW, due=True) == en


def test_a_deadline_later_today_is_due_today_and_one_passed_today_is_overdue() -> None:
    later = NOW + timedelta(hours=3)  # 21:00 in Japan
    assert relative_day(TR["ja"], later, NOW, due=True) == "本日期限"
    assert relative_day(TR["en"], later, NOW, due=True) == "due today"
    earlier = NOW - timedelta(hours=3)
    assert relative_day(TR["ja"], earlier, NOW, due=True) == "期限超過"
    assert relative_day(TR["en"], earlier, NOW, due=True) == "overdue"
    assert relative_day(TR["en"], NOW, NOW, due=True) == "overdue"  # reached is overdue


def test_days_are_calendar_days_in_japan_not_periods_of_24_hours() -> None:
    just_after_midnight = datetime(2026, 11, 26, 15, 10, tzinfo=UTC)  # 11-27 00:10 JST
    before_midnight = just_after_midnight - timedelta(minutes=20)  # 11-26 23:50 JST
    assert relative_day(TR["ja"], before_midnight, just_after_midnight) == "昨日"
    assert relative_day(TR["en"], before_midnight, just_after_midnight) == "yesterday"
    # Early morning UTC is already the next day in Japan.
    assert days_apart(datetime(2026, 11, 27, 1, 0, tzinfo=UTC), NOW) == 1


def test_a_deadline_at_midnight_belongs_to_the_day_before() -> None:
    midnight = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)  # 11-27 00:00 JST
    assert days_apart(midnight, NOW, due=True) == 0
    assert relative_day(TR["ja"], midnight, NOW, due=True) == "本日期限"
    assert relative_day(TR["ja"], midnight, NOW) == "明日"  # as a moment, it is tomorrow


def test_stored_times_as_text_and_nothing_at_all_are_understood() -> None:
    assert relative_day(TR["en"], "2026-11-24T09:00:00Z", NOW) == "2 days ago"
    assert relative_day(TR["en"], "2026-11-24T09:00:00", NOW) == "2 days ago"  # naive is UTC
    assert relative_day(TR["en"], None, NOW) == ""
    assert relative_day(TR["en"], "", NOW) == ""
