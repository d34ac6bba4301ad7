"""The notifications a person reads (お知らせ)."""

from __future__ import annotations

from typing import Any

from infobank.services.context import Context

__all__ = ["for_person"]


def for_person(ctx: Context, person_id: str) -> list[dict[str, Any]]:
    with ctx.read() as uow:
        return [
            {
                "id": n.id,
                "kind": n.kind,
                "params": n.params,
                "created_at": n.created_at,
                "read_at": n.read_at,
            }
            for n in uow.notifications.for_person(person_id)
        ]
