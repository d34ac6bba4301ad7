"""The repository for notifications to persons."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from infobank.adapters.db import models as m
from infobank.adapters.db.paging import page_of
from infobank.domain.deliveries import Notification
from infobank.domain.pages import Page, PageRequest

__all__ = ["SqlAlchemyNotifications"]


class SqlAlchemyNotifications:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, person_id: str, kind: str, params: dict[str, Any], at: datetime) -> None:
        self.session.add(
            m.NotificationRow(
                id=str(uuid.uuid4()), person_id=person_id, kind=kind, params=params, created_at=at
            )
        )

    def for_person(self, person_id: str) -> list[Notification]:
        rows = self.session.scalars(
            select(m.NotificationRow)
            .where(m.NotificationRow.person_id == person_id)
            .order_by(m.NotificationRow.created_at.desc(), m.NotificationRow.id.desc())
        )
        return [_notification(r) for r in rows]

    def page(self, person_id: str, request: PageRequest) -> Page[Notification]:
        row = m.NotificationRow
        query = select(row).where(row.person_id == person_id)
        return page_of(self.session, query, row.created_at, row.id, request, _notification)


def _notification(r: m.NotificationRow) -> Notification:
    return Notification(
        id=r.id,
        person_id=r.person_id,
        kind=r.kind,
        params=dict(r.params),
        created_at=r.created_at,
        read_at=r.read_at,
    )
