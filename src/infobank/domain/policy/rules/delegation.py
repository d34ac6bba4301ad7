"""Rules about acting on the person's behalf (委任) and about profiling (プロファイリング).

``delegation.scope`` judges the moment the bank accepts an offer for the person: one single
delegation rule must cover the whole offer, profiling included. From 2.2 ``profiling.disclosed``
also judges every provision: a delegated consent keeps covering profiling only while the
person's rules still allow it, and profiling over anything but ``general`` data needs the
person's explicit consent.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from ..decision import Reason
from ..facts import Action, ConsentMode, DelegationRule, Facts, OfferFacts, Request
from .base import GENERAL, Rule, deny

__all__ = ["DELEGATION_SCOPE", "PROFILING_DISCLOSED", "covered_by_delegation"]

_EXPLICIT = ConsentMode.EXPLICIT


def _covers(
    rule: DelegationRule,
    categories: frozenset[str],
    purpose_code: str,
    offer: OfferFacts,
    profiling: bool,
) -> bool:
    if rule.categories and not categories <= rule.categories:
        return False
    if rule.purposes and purpose_code not in rule.purposes:
        return False
    if rule.industries and offer.industry not in rule.industries:
        return False
    if offer.benefit_points < rule.min_benefit_points:
        return False
    if offer.retention_days > rule.max_retention_days:
        return False
    return rule.allow_profiling or not profiling


def covered_by_delegation(
    rules: Iterable[DelegationRule],
    categories: frozenset[str],
    purpose_code: str,
    offer: OfferFacts,
    profiling: bool,
) -> bool:
    """True if some single rule covers categories, purpose, industry, benefit, retention and,
    when ``profiling``, allows profiling. Rules are not combined: each is one instruction."""
    for rule in rules:
        if _covers(rule, categories, purpose_code, offer, profiling):
            return True
    return False


# delegation.scope ------------------------------------------------------------------------

_SCOPE = "delegation.scope"
_SCOPE_CLAUSE = "認定指針 v1.0 個人の指示（委任条件）の範囲"
_NOT_GENERAL = deny(
    _SCOPE,
    _SCOPE_CLAUSE,
    "一般データ以外のデータ項目は、委任による同意の対象にできません。",
    "Only general data categories can be consented to under delegation.",
)
_NO_RULES = deny(
    _SCOPE,
    _SCOPE_CLAUSE,
    "本人は委任条件を設定していません。",
    "The person has set no delegation rules.",
)
_OUTSIDE = deny(
    _SCOPE,
    _SCOPE_CLAUSE,
    "このオファーは本人のどの委任条件の範囲にも収まりません。",
    "The offer falls outside every one of the person's delegation rules.",
)


def _check_scope(request: Request, facts: Facts, _at: datetime, /) -> Reason | None:
    sensitivity = facts.sensitivity
    for category in request.categories:
        cls = sensitivity.get(category)
        if cls is not None and cls != GENERAL:
            return _NOT_GENERAL
    rules = facts.person.delegation_rules
    if not rules:
        return _NO_RULES
    offer = facts.offer
    if covered_by_delegation(
        rules, request.categories, request.purpose_code, offer, offer.profiling
    ):
        return None
    return _OUTSIDE


DELEGATION_SCOPE = Rule(
    id=_SCOPE,
    since="1.0",
    clause=_SCOPE_CLAUSE,
    applies_to=frozenset({Action.DELEGATE}),
    check=_check_scope,
    summary="general categories only; one delegation rule covers the whole offer",
)

# profiling.disclosed ---------------------------------------------------------------------

_PROFILING = "profiling.disclosed"
_PROFILING_CLAUSE = "認定指針 v2.2 プロファイリングの明示"
_UNDECLARED = deny(
    _PROFILING,
    _PROFILING_CLAUSE,
    "このオファーはプロファイリングを行いますが、同意でそれが示されていません。",
    "The offer involves profiling, but the consent does not disclose it.",
)
_NEEDS_EXPLICIT = deny(
    _PROFILING,
    _PROFILING_CLAUSE,
    "一般データ以外を用いるプロファイリングには、本人の明示的な同意が必要です。",
    "Profiling over data other than general categories needs the person's explicit consent.",
)
_RULES_DISALLOW = deny(
    _PROFILING,
    _PROFILING_CLAUSE,
    "本人の委任条件はプロファイリングを認めていません。",
    "The person's delegation rules do not allow profiling.",
)


def _check_profiling(request: Request, facts: Facts, _at: datetime, /) -> Reason | None:
    consent = facts.consent
    if consent is None:
        return None
    offer = facts.offer
    if offer.profiling and not consent.profiling:
        return _UNDECLARED
    if not consent.profiling or consent.mode == _EXPLICIT:
        return None
    categories = request.categories
    sensitivity = facts.sensitivity
    for category in categories:
        cls = sensitivity.get(category)
        if cls is not None and cls != GENERAL:
            return _NEEDS_EXPLICIT
    if covered_by_delegation(
        facts.person.delegation_rules, categories, request.purpose_code, offer, True
    ):
        return None
    return _RULES_DISALLOW


PROFILING_DISCLOSED = Rule(
    id=_PROFILING,
    since="2.2",
    clause=_PROFILING_CLAUSE,
    applies_to=frozenset({Action.PROVIDE}),
    check=_check_profiling,
    summary="profiling disclosed in the consent; delegated only if the rules allow it, "
    "and over general data only",
)
