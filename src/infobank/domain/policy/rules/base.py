"""What a rule is, and the small helpers every rule module shares.

A rule is a value: an id, the guideline version it first appears in (``since``), the version of
the wording this object implements (``revision``), its ``basis`` (the source it comes from,
SPEC §4, and what that source says, in Japanese and English), the actions it judges, and a
``check`` function. ``check`` returns ``None`` when the rule is satisfied, or a
``Reason``. Checks are plain functions over frozen facts: no I/O, no clock, no allocation on the
happy path (refusal reasons are built once, at import).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from ..decision import Outcome, Reason
from ..facts import Action, Facts, OfferFacts, Request, Sensitivity
from ..sources import Basis, Source

__all__ = [
    "ALL_ACTIONS",
    "GENERAL",
    "HEALTH",
    "SENSITIVE",
    "Check",
    "Rule",
    "deny",
    "gap",
    "has_class",
    "infers_sensitive",
    "note",
]

ALL_ACTIONS = frozenset(Action)
GENERAL = Sensitivity.GENERAL
HEALTH = Sensitivity.HEALTH_CHECKUP
SENSITIVE = Sensitivity.SENSITIVE

_PASSED_JA = "この規則を満たしています。"
_PASSED_EN = "This rule is satisfied."
_BROKEN_JA = "判定に必要な情報が不正な形式のため、この規則を判定できません。"
_BROKEN_EN = "The facts this rule needs are malformed, so it cannot be decided."


class Check(Protocol):
    def __call__(self, request: Request, facts: Facts, at: datetime, /) -> Reason | None: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    id: str
    since: str  # first guideline version the rule id is in force
    basis: Basis  # its source (guideline, certification, mynaportal, policy) and basis
    applies_to: frozenset[Action]
    check: Check
    revision: str = ""  # guideline version this wording took effect; "" means ``since``
    summary: str = ""  # one line for the README and the explain endpoint
    passed: Reason = field(init=False, repr=False, compare=False)
    broken: Reason = field(init=False, repr=False, compare=False)

    @property
    def source(self) -> Source:
        return self.basis.source

    def __post_init__(self) -> None:
        # Prebuilt so that decide() allocates nothing for a pass or a malformed fact.
        if not self.revision:
            object.__setattr__(self, "revision", self.since)
        object.__setattr__(
            self, "passed", Reason(self.id, self.basis, Outcome.ALLOW, _PASSED_JA, _PASSED_EN)
        )
        object.__setattr__(
            self, "broken", Reason(self.id, self.basis, Outcome.GAP, _BROKEN_JA, _BROKEN_EN)
        )


def deny(rule_id: str, basis: Basis, ja: str, en: str) -> Reason:
    return Reason(rule_id, basis, Outcome.DENY, ja, en)


def gap(rule_id: str, basis: Basis, ja: str, en: str) -> Reason:
    return Reason(rule_id, basis, Outcome.GAP, ja, en)


def note(rule_id: str, basis: Basis, ja: str, en: str) -> Reason:
    return Reason(rule_id, basis, Outcome.ALLOW, ja, en)


def has_class(
    categories: Iterable[str], sensitivity: Mapping[str, Sensitivity], cls: Sensitivity
) -> bool:
    """True if any category is known to be of ``cls``; unknown categories are not counted.

    A category missing from the catalogue is reported once, as a gap, by
    ``sensitive.excluded``; other rules skip it rather than repeat the gap.
    """
    for category in categories:
        if sensitivity.get(category) == cls:
            return True
    return False


def infers_sensitive(offer: OfferFacts, inferences: Mapping[str, Sensitivity]) -> bool:
    """True if the offer's profiling infers an attribute the inference catalogue marks
    ``sensitive`` (要配慮個人情報: a health condition, a creed, …). Codes missing from the
    catalogue are not counted here: ``sensitive.excluded`` reports them, once, as a gap."""
    for code in offer.profiling_infers:
        if inferences.get(code) == SENSITIVE:
            return True
    return False
