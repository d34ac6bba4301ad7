"""The notifications a person reads (お知らせ)."""

from __future__ import annotations

from typing import Any

from infobank.domain.deliveries import Notification
from infobank.domain.pages import Page, PageRequest
from infobank.services.context import Context

__all__ = ["for_person", "notifications_page"]


def for_person(ctx: Context, person_id: str) -> list[dict[str, Any]]:
    """All of them, newest first (for the person's export)."""
    with ctx.read() as uow:
        return [_public(n) for n in uow.notifications.for_person(person_id)]


def notifications_page(ctx: Context, person_id: str, request: PageRequest) -> Page[dict[str, Any]]:
    """One page, newest first."""
    with ctx.read() as uow:
        return uow.notifications.page(person_id, request).map(_public)


def _public(n: Notification) -> dict[str, Any]:
    return {
        "id": n.id,
        "kind": n.kind,
        "params": n.params,
        "created_at": n.created_at,
        "read_at": n.read_at,
    }
