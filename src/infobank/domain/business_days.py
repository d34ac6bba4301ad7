"""Business days (営業日) in Japan Standard Time, for the help desk's reply targets.

    received Thu 18:00 JST, target 3 business days
      Fri (1) · Sat, Sun skipped · Mon (2) · Tue (3) ──► due at the end of Tue (Wed 00:00 JST)

Weekends are skipped; national holidays are not (the operator sets a target with that margin).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

__all__ = ["JST", "add_business_days", "local_day"]

JST = timezone(timedelta(hours=9), "JST")


def local_day(at: datetime) -> date:
    """The calendar day in Japan at ``at`` (which must be timezone-aware)."""
    return at.astimezone(JST).date()


def add_business_days(start: datetime, days: int) -> datetime:
    """The end of the ``days``-th business day after the day of ``start`` (as the next
    midnight JST, given in UTC): the moment a reply "within ``days`` business days" is late."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = local_day(start)
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if day.weekday() < 5:
            counted += 1
    return datetime.combine(day + timedelta(days=1), time(0), JST).astimezone(UTC)
