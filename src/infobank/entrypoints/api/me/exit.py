"""The end of the business (事業終了) as the person sees it: whether the bank is closing,
its deadline, and the person's choice for their data (export, transfer or delete)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from pydantic import Field

from infobank.entrypoints.api.bodies import Input
from infobank.entrypoints.api.deps import ContextDep, CurrentPerson
from infobank.services import termination

router = APIRouter()


class ExitChoiceIn(Input):
    choice: Literal["export", "transfer", "delete"]
    target_url: str | None = Field(default=None, max_length=2048)


@router.get("/v1/me/exit", tags=["persons"])
def my_exit(ctx: ContextDep, person: CurrentPerson) -> dict[str, Any]:
    """Whether the bank is closing, its deadline, and your choice."""
    plan, choice = termination.my_exit(ctx, person.id)
    return {
        "status": plan.status if plan else "not_planned",
        "deadline": plan.deadline if plan else None,
        "choices": ["export", "transfer", "delete"],
        "choice": None
        if choice is None
        else {"choice": choice.choice, "target_url": choice.target_url, "at": choice.chosen_at},
    }


@router.post("/v1/me/exit", tags=["persons"])
def choose_exit(ctx: ContextDep, person: CurrentPerson, body: ExitChoiceIn) -> dict[str, Any]:
    """Choose what happens to your data when the bank closes: ``export`` (download it now
    from ``GET /v1/me/export``), ``transfer`` to another bank (``target_url``), or
    ``delete``. You may change your mind until the deadline."""
    chosen = termination.choose(ctx, person.id, body.choice, body.target_url)
    plan, _ = termination.my_exit(ctx, person.id)
    shown: dict[str, Any] = {
        "choice": chosen.choice,
        "target_url": chosen.target_url,
        "chosen_at": chosen.chosen_at,
        "deadline": plan.deadline if plan else None,
    }
    if chosen.choice == "export":
        shown["export_url"] = "/v1/me/export"
    return shown
