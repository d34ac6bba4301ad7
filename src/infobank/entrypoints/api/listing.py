"""Every list endpoint's shape: ``?limit=`` (1-200, default 50) and an opaque ``?cursor=`` in,
``{items, next_cursor, prev_cursor}`` out, newest first (see domain/pages.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel

from infobank.domain.pages import DEFAULT_LIMIT, MAX_LIMIT, Page, PageRequest

__all__ = ["Listing", "PageDep", "listing"]

T = TypeVar("T")
U = TypeVar("U")


class Listing(BaseModel, Generic[T]):
    """One page: ``next_cursor`` reads older items, ``prev_cursor`` newer ones; null at an end."""

    items: list[T]
    next_cursor: str | None
    prev_cursor: str | None = None


def _page_request(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="items per page")] = DEFAULT_LIMIT,
    cursor: Annotated[
        str | None,
        Query(max_length=512, description="next_cursor or prev_cursor of a page you were given"),
    ] = None,
) -> PageRequest:
    return PageRequest.parse(limit, cursor)


PageDep = Annotated[PageRequest, Depends(_page_request)]


def listing(page: Page[T], public: Callable[[T], U]) -> Listing[U]:
    return Listing(
        items=[public(item) for item in page.items],
        next_cursor=page.next_cursor,
        prev_cursor=page.prev_cursor,
    )
