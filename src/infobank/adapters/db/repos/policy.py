"""The policy facts' version: one counter row, moved on by every repository write to a table
the shared facts come from, in the same transaction as that write.

A reader that reads the version first and the facts after it in one transaction holds facts
at least as new as the version, so a cache keyed by the version is never staler than the
database: the next decision after a change commits sees the change.
"""

from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from infobank.adapters.db import models as m

__all__ = ["SqlAlchemyPolicyState", "policy_changed"]

_STATE = m.PolicyStateRow.metadata.tables["policy_state"]
_VERSION = select(_STATE.c.version).where(_STATE.c.id == 1)
_BUMP = update(_STATE).where(_STATE.c.id == 1).values(version=_STATE.c.version + 1)


def policy_changed(session: Session) -> None:
    """Move the version on (the row is created on first use, like the log's state)."""
    conn = session.connection()
    if conn.execute(_BUMP).rowcount:
        return
    try:
        with session.begin_nested():
            session.connection().execute(insert(_STATE).values(id=1, version=1))
    except IntegrityError:  # a concurrent first change created it
        conn.execute(_BUMP)


class SqlAlchemyPolicyState:
    def __init__(self, session: Session) -> None:
        self.session = session

    def version(self) -> int:
        return int(self.session.connection().execute(_VERSION).scalar() or 0)

    def changed(self) -> None:
        policy_changed(self.session)
