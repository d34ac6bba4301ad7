"""Ethics review (倫理審査): a decision of the data ethics board (データ倫理審査会) on an offer.

A decision carries free-text minutes (議事録) and notes, and, on an approval, conditions
(審査会の条件) that the software checks rather than trusts (``offer.reviewed`` in the rules):

    max_retention_days    the offer keeps data no longer than this
    profiling_allowed     False: the offer must not profile
    target_age_min/max,   the offer's target lies inside these limits, and no person outside
    target_prefectures    them is ever invited or provided to
    capacity_max          consents under the offer never exceed this
    approval_valid_until  the approval is in force through this day; after it, new consents and
                          deliveries wait for a new review (再審査)
    report_after_days     the recipient files a usage report (利用報告) within this many days of
                          the approval; while it is overdue, deliveries pause

Days end at midnight UTC, as certificates' days do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from infobank.domain.errors import InvalidInput

__all__ = [
    "NO_CONDITIONS",
    "Conditions",
    "Review",
    "approval_ends",
    "check_conditions",
    "report_due",
]

_PREFECTURES = frozenset(f"{n:02d}" for n in range(1, 48))  # JIS X 0401
_MAX_DAYS = 3650
_MAX_CAPACITY = 10_000_000


@dataclass(frozen=True, slots=True)
class Conditions:
    """The structured conditions of one approval; ``None`` (or no prefectures) sets none."""

    max_retention_days: int | None = None
    profiling_allowed: bool | None = None
    target_age_min: int | None = None
    target_age_max: int | None = None
    target_prefectures: tuple[str, ...] = ()
    capacity_max: int | None = None
    approval_valid_until: date | None = None
    report_after_days: int | None = None

    @property
    def empty(self) -> bool:
        return self == NO_CONDITIONS

    def as_dict(self) -> dict[str, object]:
        """The conditions in the API's shape: target limits grouped as ``target``."""
        return {
            "max_retention_days": self.max_retention_days,
            "profiling_allowed": self.profiling_allowed,
            "target": {
                "age_min": self.target_age_min,
                "age_max": self.target_age_max,
                "prefectures": list(self.target_prefectures),
            },
            "capacity_max": self.capacity_max,
            "approval_valid_until": self.approval_valid_until,
            "report_after_days": self.report_after_days,
        }


NO_CONDITIONS = Conditions()


@dataclass(frozen=True, slots=True)
class Review:
    """A decision of the data ethics board (データ倫理審査会): ``conditions`` are checked by
    the rules; ``notes`` are free-text conditions kept beside the minutes."""

    id: str
    offer_id: str
    reviewer_id: str
    decision: str  # approve | reject
    minutes: str
    conditions: Conditions = field(default=NO_CONDITIONS)
    notes: tuple[str, ...] = ()
    decided_at: datetime | None = None


def _day_after(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC)


def approval_ends(review: Review) -> datetime | None:
    """When an approval stops being in force (exclusive), or None when it has no end date."""
    until = review.conditions.approval_valid_until
    return None if until is None else _day_after(until)


def report_due(review: Review) -> datetime | None:
    """When the usage report (利用報告) an approval asks for is due, or None."""
    days = review.conditions.report_after_days
    if days is None or review.decided_at is None:
        return None
    return review.decided_at + timedelta(days=days)


def _problems(conditions: Conditions, today: date) -> list[str]:
    c = conditions
    found = []
    for name, value, low, high in (
        ("max_retention_days", c.max_retention_days, 1, _MAX_DAYS),
        ("target.age_min", c.target_age_min, 0, 130),
        ("target.age_max", c.target_age_max, 0, 130),
        ("capacity_max", c.capacity_max, 1, _MAX_CAPACITY),
        ("report_after_days", c.report_after_days, 1, _MAX_DAYS),
    ):
        if value is not None and not low <= value <= high:
            found.append(f"{name} must be between {low} and {high}")
    if (
        c.target_age_min is not None
        and c.target_age_max is not None
        and c.target_age_min > c.target_age_max
    ):
        found.append("target.age_min must not be above target.age_max")
    unknown = sorted(set(c.target_prefectures) - _PREFECTURES)
    if unknown:
        found.append(f"target.prefectures: unknown codes {', '.join(unknown)} (JIS X 0401)")
    if len(set(c.target_prefectures)) != len(c.target_prefectures):
        found.append("target.prefectures: a code is listed twice")
    if c.approval_valid_until is not None and c.approval_valid_until < today:
        found.append("approval_valid_until must not be in the past")
    return found


def check_conditions(decision: str, conditions: Conditions, today: date) -> None:
    """Refuse conditions that cannot be meant (``InvalidInput``, code ``invalid_conditions``):
    conditions on a rejection, numbers out of range, limits that cross, unknown prefectures,
    an end date already past."""
    if decision != "approve" and not conditions.empty:
        raise InvalidInput(
            "conditions belong to an approval; a rejection sets none", code="invalid_conditions"
        )
    problems = _problems(conditions, today)
    if problems:
        raise InvalidInput("; ".join(problems), code="invalid_conditions")
