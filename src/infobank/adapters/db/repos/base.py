"""What every repository shares: the session of the unit of work it belongs to."""

from __future__ import annotations

from sqlalchemy.orm import Session

__all__ = ["Repository"]


class Repository:
    def __init__(self, session: Session) -> None:
        self.session = session
