"""Pages of a list: newest first, cut by an opaque cursor (keyset pagination).

A list is ordered by ``(at, id)`` descending, where ``at`` is the item's time and ``id`` breaks
ties. A cursor names the position of an item already shown and the direction to read from it:
``older`` (the next page) or ``newer`` (the previous page). Because a position is a key and not
an offset, items that arrive while someone pages never push an item already seen onto the next
page, nor hide one: new items are newer than every position handed out before them.

The cursor is base64url JSON. It is opaque to clients (they pass back what they were given) and
carries no authority: every query still filters by the caller's ownership.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, Literal, TypeVar

from infobank.domain.errors import InvalidInput

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "Page",
    "PageRequest",
    "Position",
    "cut",
    "decode_cursor",
    "encode_cursor",
]

T = TypeVar("T")
U = TypeVar("U")

DEFAULT_LIMIT = 50
MAX_LIMIT = 200

Direction = Literal["older", "newer"]


@dataclass(frozen=True)
class Position:
    """Where an item sits in a newest-first list."""

    at: datetime
    id: str


@dataclass(frozen=True)
class PageRequest:
    """``limit`` items read from ``after`` in ``direction``; no position means the newest."""

    limit: int = DEFAULT_LIMIT
    after: Position | None = None
    direction: Direction = "older"

    def __post_init__(self) -> None:
        if not 1 <= self.limit <= MAX_LIMIT:
            raise InvalidInput(f"limit must be between 1 and {MAX_LIMIT}", code="invalid_limit")

    @classmethod
    def parse(cls, limit: int = DEFAULT_LIMIT, cursor: str | None = None) -> PageRequest:
        if not cursor:
            return cls(limit=limit)
        direction, position = decode_cursor(cursor)
        return cls(limit=limit, after=position, direction=direction)


@dataclass(frozen=True)
class Page(Generic[T]):
    """Items newest first; ``next_cursor`` reads older ones, ``prev_cursor`` newer ones."""

    items: list[T]
    next_cursor: str | None = None
    prev_cursor: str | None = None

    def map(self, fn: Callable[[T], U]) -> Page[U]:
        return Page([fn(item) for item in self.items], self.next_cursor, self.prev_cursor)


def encode_cursor(direction: Direction, position: Position) -> str:
    raw = json.dumps(
        {"d": direction, "t": position.at.isoformat(), "i": position.id}, separators=(",", ":")
    )
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[Direction, Position]:
    """The direction and position a cursor names; ``InvalidInput`` for anything else."""
    bad = InvalidInput("the cursor is not one this list handed out", code="invalid_cursor")
    if len(cursor) > 512:
        raise bad
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        direction, at, item_id = data["d"], data["t"], data["i"]
        if direction not in ("older", "newer") or not isinstance(item_id, str):
            raise bad
        return direction, Position(datetime.fromisoformat(at), item_id)
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise bad from exc


def cut(rows: Sequence[T], request: PageRequest, position: Callable[[T], Position]) -> Page[T]:
    """The page from rows read ``limit + 1`` at a time in the request's direction.

    Rows come newest first when reading older items and oldest first when reading newer ones
    (the query walks away from the position); the extra row only says whether more exist.
    """
    more = len(rows) > request.limit
    items = list(rows[: request.limit])
    if request.direction == "newer":
        items.reverse()
    if not items:
        return Page([])
    older_exists = more if request.direction == "older" else True
    newer_exists = request.after is not None if request.direction == "older" else more
    return Page(
        items,
        encode_cursor("older", position(items[-1])) if older_exists else None,
        encode_cursor("newer", position(items[0])) if newer_exists else None,
    )
