"""The person's delegation rules (委任条件): the offers the bank may accept on their behalf,
adding a rule and removing one."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Depends, Form
from pydantic import ValidationError
from starlette.responses import Response

from infobank.domain import errors as e
from infobank.entrypoints.api.me.delegation import DelegationRuleSpec
from infobank.entrypoints.web.deps import PageRoute, PersonVisit, Visit, csrf_guard
from infobank.services import delegation

router = APIRouter(route_class=PageRoute, dependencies=[Depends(csrf_guard)])

Text = Annotated[str, Form(max_length=1024)]
Many = Annotated[list[str] | None, Form()]


def _delegation_page(visit: Visit, *, status: int = 200, error: str = "") -> Response:
    return visit.render(
        "delegation.html",
        status=status,
        rules=delegation.rules(visit.ctx, visit.principal_id),
        error=error,
    )


@router.get("/delegation")
def delegation_page(visit: PersonVisit) -> Response:
    return _delegation_page(visit)


@router.post("/delegation/rules")
def add_rule(
    visit: PersonVisit,
    categories: Many = None,
    purposes: Many = None,
    industries: Text = "",
    min_benefit_points: Text = "0",
    max_retention_days: Text = "365",
    allow_profiling: Text = "",
) -> Response:
    try:
        rule = DelegationRuleSpec.model_validate(
            {
                "categories": categories or [],
                "purposes": purposes or [],
                "industries": [i for i in re.split(r"[\s,、，]+", industries) if i],
                "min_benefit_points": min_benefit_points or "0",
                "max_retention_days": max_retention_days or "365",
                "allow_profiling": allow_profiling == "yes",
            }
        )
    except ValidationError:
        return _delegation_page(visit, status=422, error="validation_error")
    current = delegation.rules(visit.ctx, visit.principal_id)
    try:
        delegation.replace_rules(visit.ctx, visit.principal_id, [*current, rule.model_dump()])
    except e.InvalidInput as exc:
        return _delegation_page(visit, status=422, error=exc.code)
    return visit.redirect("/delegation", "rule_added")


@router.post("/delegation/rules/{index}/delete")
def remove_rule(visit: PersonVisit, index: int) -> Response:
    current = delegation.rules(visit.ctx, visit.principal_id)
    if not 0 <= index < len(current):
        raise e.NotFound("no such rule")
    kept = [rule for i, rule in enumerate(current) if i != index]
    delegation.replace_rules(visit.ctx, visit.principal_id, kept)
    return visit.redirect("/delegation", "rule_removed")
