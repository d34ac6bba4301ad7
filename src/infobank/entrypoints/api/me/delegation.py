"""The person's delegation rules (委任条件): the conditions under which the bank consents
for them without asking."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import Field

from infobank.entrypoints.api.bodies import Input
from infobank.entrypoints.api.deps import ContextDep, CurrentPerson
from infobank.services import delegation

router = APIRouter(tags=["persons"])


class DelegationRuleSpec(Input):
    categories: list[str] = Field(default_factory=list)
    purposes: list[str] = Field(default_factory=list)
    industries: list[str] = Field(default_factory=list)
    min_benefit_points: int = Field(default=0, ge=0)
    allow_profiling: bool = False
    max_retention_days: int = Field(default=365, ge=1, le=3650)


class DelegationBody(Input):
    rules: list[DelegationRuleSpec] = Field(max_length=50)


@router.get("/v1/me/delegation")
def get_delegation(ctx: ContextDep, person: CurrentPerson) -> dict[str, Any]:
    """The person's delegation rules (委任条件)."""
    return {"rules": delegation.rules(ctx, person.id)}


@router.put("/v1/me/delegation")
def put_delegation(ctx: ContextDep, person: CurrentPerson, body: DelegationBody) -> dict[str, Any]:
    """Replace the delegation rules; only general categories can be delegated."""
    rules = [rule.model_dump() for rule in body.rules]
    return {"rules": delegation.replace_rules(ctx, person.id, rules)}
