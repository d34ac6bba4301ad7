"""Keyset pagination for repositories: one page of a newest-first list (see domain/pages.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, and_, or_
from sqlalchemy.orm import InstrumentedAttribute, Session

from infobank.domain.pages import Page, PageRequest, Position, cut

__all__ = ["page_of"]

T = TypeVar("T")


def page_of(
    session: Session,
    query: Select[*tuple[Any, ...]],
    at: InstrumentedAttribute[datetime],
    ident: InstrumentedAttribute[str],
    request: PageRequest,
    convert: Callable[[Any], T],
) -> Page[T]:
    """Run ``query`` (already filtered by owner) for one page ordered by ``(at, ident)``.

    ``convert`` turns a row (the entity, or a tuple when several are selected) into the item;
    the position is read from the row, so the cursor carries exactly what the database holds.
    """
    pos = request.after
    if request.direction == "older":
        if pos is not None:
            query = query.where(or_(at < pos.at, and_(at == pos.at, ident < pos.id)))
        query = query.order_by(at.desc(), ident.desc())
    else:
        if pos is not None:
            query = query.where(or_(at > pos.at, and_(at == pos.at, ident > pos.id)))
        query = query.order_by(at.asc(), ident.asc())
    query = query.limit(request.limit + 1)
    key_at, key_id = at.key, ident.key
    if len(query.column_descriptions) == 1:
        rows: list[Any] = list(session.scalars(query))
        return cut(rows, request, lambda r: Position(getattr(r, key_at), getattr(r, key_id))).map(
            convert
        )
    # Several entities or columns: the first one carries the position.
    tuples: list[Any] = list(session.execute(query).all())
    page = cut(tuples, request, lambda r: Position(getattr(r[0], key_at), getattr(r[0], key_id)))
    return page.map(convert)
