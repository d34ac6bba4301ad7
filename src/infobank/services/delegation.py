"""A person's delegation rules (委任条件): the standing conditions under which the bank may
accept offers on their behalf."""

from __future__ import annotations

from typing import Any

from infobank.domain.errors import InvalidInput
from infobank.services.context import Context

__all__ = ["replace_rules", "rules"]

_RULE_KEYS = {
    "categories",
    "purposes",
    "industries",
    "min_benefit_points",
    "allow_profiling",
    "max_retention_days",
}


def rules(ctx: Context, person_id: str) -> list[dict[str, Any]]:
    with ctx.read() as uow:
        return uow.consents.delegation(person_id)


def replace_rules(
    ctx: Context, person_id: str, rules: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Replace the person's delegation rules. Only general categories can be delegated."""
    for i, rule in enumerate(rules):
        unknown_keys = set(rule) - _RULE_KEYS
        if unknown_keys:
            raise InvalidInput(f"rule {i}: unknown fields {sorted(unknown_keys)}")
        for code in rule.get("categories") or ():
            category = ctx.catalogue.get(code)
            if category is None:
                raise InvalidInput(f"rule {i}: unknown category {code!r}", code="unknown_category")
            if category.sensitivity != "general":
                raise InvalidInput(
                    f"rule {i}: {code} is not a general category; it can only be consented "
                    "to explicitly",
                    code="delegation_not_general",
                )
    with ctx.uow() as uow:
        uow.consents.set_delegation(person_id, rules, ctx.clock.now())
        uow.commit()
    return rules
