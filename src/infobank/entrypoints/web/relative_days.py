"""Relative days on the pages: 今日 / 昨日 / N 日前 ("today", "yesterday", "N days ago") for
moments, 本日期限 / あと N 日 ("due today", "due in N days") for deadlines.

Days are calendar days in Japan time, not periods of 24 hours: something received at 23:50
is "yesterday" ten minutes after midnight. A deadline at midnight ends the day before it (a
reply due at 2026-12-02 00:00 is due on 12-01), so "due today" holds until the deadline itself.
English plurals come from the catalogue (``ngettext``), so "1 day" and "2 days" both read
right; single words ("today", "overdue") carry a context, as the same English word may need
other Japanese elsewhere.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol

from infobank.domain.business_days import local_day

__all__ = ["Translator", "days_apart", "relative_day"]

_INSTANT = timedelta(microseconds=1)


class Translator(Protocol):
    """The parts of a gettext catalogue the wording needs (Babel's translations have them)."""

    def ngettext(self, singular: str, plural: str, n: int) -> str: ...

    def pgettext(self, context: str, message: str) -> str | object: ...  # Babel's own typing


def _aware(value: datetime | str) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def days_apart(moment: datetime, now: datetime, *, due: bool = False) -> int:
    """Calendar days in Japan from ``now``'s day to ``moment``'s (negative: in the past).
    For a deadline (``due``) the day is that of the last instant before it."""
    day = local_day(moment - _INSTANT if due else moment)
    return (day - local_day(now)).days


def relative_day(
    tr: Translator, moment: datetime | str | None, now: datetime, *, due: bool = False
) -> str:
    """``moment`` relative to ``now`` in words; with ``due``, as a deadline (overdue once
    ``now`` reaches it). Nothing for no moment."""
    if moment is None or moment == "":
        return ""
    moment, now = _aware(moment), _aware(now)
    days = days_apart(moment, now, due=due)
    if due:
        return _deadline(tr, days, passed=now >= moment)
    if days == 0:
        return str(tr.pgettext("relative day", "today"))
    if days == -1:
        return str(tr.pgettext("relative day", "yesterday"))
    if days == 1:
        return str(tr.pgettext("relative day", "tomorrow"))
    if days < 0:
        return tr.ngettext("%(num)d day ago", "%(num)d days ago", -days) % {"num": -days}
    return tr.ngettext("in %(num)d day", "in %(num)d days", days) % {"num": days}


def _deadline(tr: Translator, days: int, *, passed: bool) -> str:
    if passed:
        late = max(-days, 0)
        if late == 0:  # passed earlier today
            return str(tr.pgettext("deadline", "overdue"))
        return tr.ngettext("%(num)d day overdue", "%(num)d days overdue", late) % {"num": late}
    if days <= 0:
        return str(tr.pgettext("deadline", "due today"))
    if days == 1:
        return str(tr.pgettext("deadline", "due tomorrow"))
    return tr.ngettext("due in %(num)d day", "due in %(num)d days", days) % {"num": days}
