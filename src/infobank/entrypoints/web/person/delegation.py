"""The person's delegation rules (委任条件): the offers the bank may accept on their behalf,
adding a rule and removing one.

The form offers choices, never codes to type: the general data categories (only those can be
delegated), the purposes of the purpose catalogue and the industries the bank names, each by
its name. A rule that narrows nothing (no category, purpose or industry chosen, or every one of
them, and no least benefit) lets the bank consent to every approved offer for general data, so
it is saved only after the person confirms it on the page.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form
from pydantic import ValidationError
from starlette.responses import Response

from infobank.domain import errors as e
from infobank.domain.catalogue import Sensitivity
from infobank.entrypoints.api.me.delegation import DelegationRuleSpec
from infobank.entrypoints.web.deps import PageRoute, PersonVisit, Visit, csrf_guard
from infobank.entrypoints.web.messages import LABELS
from infobank.services import delegation

router = APIRouter(route_class=PageRoute, dependencies=[Depends(csrf_guard)])

Text = Annotated[str, Form(max_length=1024)]
Many = Annotated[list[str] | None, Form()]

INDUSTRIES = tuple(LABELS["industry"])


def _choices(visit: Visit) -> dict[str, tuple[str, ...]]:
    """What the form offers, by field: the codes a rule may name."""
    general = tuple(c.code for c in visit.ctx.catalogue if c.sensitivity == Sensitivity.GENERAL)
    return {"categories": general, "purposes": tuple(visit.ctx.purposes), "industries": INDUSTRIES}


def _delegation_page(
    visit: Visit,
    *,
    status: int = 200,
    error: str = "",
    form: dict[str, Any] | None = None,
    confirming: bool = False,
) -> Response:
    return visit.render(
        "delegation.html",
        status=status,
        rules=delegation.rules(visit.ctx, visit.principal_id),
        choices=_choices(visit),
        error=error,
        form=form or {},
        confirming=confirming,
    )


@router.get("/delegation")
def delegation_page(visit: PersonVisit) -> Response:
    return _delegation_page(visit)


def covers_everything(rule: DelegationRuleSpec, choices: dict[str, tuple[str, ...]]) -> bool:
    """True when the rule narrows nothing: each of categories, purposes and industries is
    left open or has every choice ticked, and any benefit, none included, is enough."""

    def open_(chosen: Collection[str], every: Collection[str]) -> bool:
        return not chosen or set(every) <= set(chosen)

    return (
        open_(rule.categories, choices["categories"])
        and open_(rule.purposes, choices["purposes"])
        and open_(rule.industries, choices["industries"])
        and rule.min_benefit_points == 0
    )


@router.post("/delegation/rules")
def add_rule(
    visit: PersonVisit,
    categories: Many = None,
    purposes: Many = None,
    industries: Many = None,
    min_benefit_points: Text = "0",
    max_retention_days: Text = "365",
    allow_profiling: Text = "no",
    confirmed: Text = "",
) -> Response:
    form = {
        "categories": categories or [],
        "purposes": purposes or [],
        "industries": industries or [],
        "min_benefit_points": min_benefit_points,
        "max_retention_days": max_retention_days,
        "allow_profiling": allow_profiling,
    }
    choices = _choices(visit)
    # categories are checked by the use case, which says why a special-care one is refused
    if not all(set(form[name]) <= set(choices[name]) for name in ("purposes", "industries")):
        return _delegation_page(visit, status=422, error="validation_error", form=form)
    try:
        rule = DelegationRuleSpec.model_validate(
            {
                **form,
                "min_benefit_points": min_benefit_points.strip() or "0",
                "max_retention_days": max_retention_days.strip() or "365",
                "allow_profiling": allow_profiling == "yes",
            }
        )
    except ValidationError:
        return _delegation_page(visit, status=422, error="validation_error", form=form)
    if confirmed != "yes" and covers_everything(rule, choices):
        return _delegation_page(visit, form=form, confirming=True)
    current = delegation.rules(visit.ctx, visit.principal_id)
    try:
        delegation.replace_rules(visit.ctx, visit.principal_id, [*current, rule.model_dump()])
    except e.InvalidInput as exc:
        return _delegation_page(visit, status=422, error=exc.code, form=form)
    return visit.redirect("/delegation", "rule_added")


@router.post("/delegation/rules/{index}/delete")
def remove_rule(visit: PersonVisit, index: int) -> Response:
    current = delegation.rules(visit.ctx, visit.principal_id)
    if not 0 <= index < len(current):
        raise e.NotFound("no such rule")
    kept = [rule for i, rule in enumerate(current) if i != index]
    delegation.replace_rules(visit.ctx, visit.principal_id, kept)
    return visit.redirect("/delegation", "rule_removed")
