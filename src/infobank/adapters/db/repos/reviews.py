"""SQLAlchemy repository of the data ethics board's decisions (倫理審査), each structured
condition in a column of its own. Rows in, domain values out."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from infobank.adapters.db import models as m
from infobank.adapters.db.repos.policy import policy_changed
from infobank.domain.reviews import Conditions, Review

__all__ = ["SqlAlchemyReviews"]


def _review(row: m.ReviewRow) -> Review:
    return Review(
        id=row.id,
        offer_id=row.offer_id,
        reviewer_id=row.reviewer_id,
        decision=row.decision,
        minutes=row.minutes,
        conditions=Conditions(
            max_retention_days=row.max_retention_days,
            profiling_allowed=row.profiling_allowed,
            target_age_min=row.target_age_min,
            target_age_max=row.target_age_max,
            target_prefectures=tuple(row.target_prefectures or ()),
            capacity_max=row.capacity_max,
            approval_valid_until=row.approval_valid_until,
            report_after_days=row.report_after_days,
        ),
        notes=tuple(row.notes or ()),
        decided_at=row.decided_at,
    )


class SqlAlchemyReviews:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, review: Review) -> None:
        """Numbered after the offer's earlier decisions (the caller holds the offer's lock),
        so the one in force is the last even when two share a timestamp."""
        policy_changed(self.session)  # decisions' shared facts change
        c = review.conditions
        row = m.ReviewRow
        earlier = self.session.scalar(
            select(func.count()).select_from(row).where(row.offer_id == review.offer_id)
        )
        self.session.add(
            m.ReviewRow(
                id=review.id,
                offer_id=review.offer_id,
                seq=(earlier or 0) + 1,
                reviewer_id=review.reviewer_id,
                decision=review.decision,
                minutes=review.minutes,
                notes=list(review.notes),
                decided_at=review.decided_at,
                max_retention_days=c.max_retention_days,
                profiling_allowed=c.profiling_allowed,
                target_age_min=c.target_age_min,
                target_age_max=c.target_age_max,
                target_prefectures=list(c.target_prefectures) or None,
                capacity_max=c.capacity_max,
                approval_valid_until=c.approval_valid_until,
                report_after_days=c.report_after_days,
            )
        )

    def for_offer(self, offer_id: str) -> list[Review]:
        rows = self.session.scalars(
            select(m.ReviewRow).where(m.ReviewRow.offer_id == offer_id).order_by(m.ReviewRow.seq)
        )
        return [_review(r) for r in rows]
