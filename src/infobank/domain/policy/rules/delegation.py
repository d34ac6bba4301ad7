"""Rules about acting on the person's behalf (委任) and about profiling (プロファイリング).

``delegation.scope`` judges the moment the bank accepts an offer for the person: one single
delegation rule must cover the whole offer, profiling included. From 2.2 ``profiling.disclosed``
judges delegation and every provision: profiling that uses (a category that is not
``general``) or infers (an attribute the inference catalogue marks ``sensitive``)
要配慮個人情報 is never consented to under delegation, and is provided only under the
person's explicit consent that discloses every sensitive attribute it infers (the guideline,
v2.2). Beyond that, this bank's policy: a consent must disclose any profiling of its offer and
all it infers, and a delegated consent keeps covering profiling only while the person's rules
still allow it. Before 2.2 an offer that infers a sensitive attribute is refused altogether
(``sensitive.excluded``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from ..decision import Reason
from ..facts import Action, ConsentMode, DelegationRule, Facts, OfferFacts, Request
from ..sources import V1_DELEGATION, V2_2_PROFILING, policy
from .base import GENERAL, SENSITIVE, Rule, deny, infers_sensitive

__all__ = ["DELEGATION_SCOPE", "PROFILING_DISCLOSED", "covered_by_delegation"]

_EXPLICIT = ConsentMode.EXPLICIT
_DELEGATE = Action.DELEGATE


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
_GENERAL_ONLY = policy(
    "委任による同意は一般データのデータ項目に限る（要配慮個人情報にあたるデータは、"
    "本人がそのつど自ら判断するため）",
    "delegated consent covers general data categories only (data that is 要配慮個人情報 "
    "is for the person to decide each time)",
)
_NOT_GENERAL = deny(
    _SCOPE,
    _GENERAL_ONLY,
    "一般データ以外のデータ項目は、委任による同意の対象にできません。",
    "Only general data categories can be consented to under delegation.",
)
_NO_RULES = deny(
    _SCOPE,
    V1_DELEGATION,
    "本人は委任条件を設定していません。",
    "The person has set no delegation rules.",
)
_OUTSIDE = deny(
    _SCOPE,
    V1_DELEGATION,
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
    basis=V1_DELEGATION,
    applies_to=frozenset({Action.DELEGATE}),
    check=_check_scope,
    summary="general categories only; one delegation rule covers the whole offer",
)

# profiling.disclosed ---------------------------------------------------------------------

_PROFILING = "profiling.disclosed"
_DECLARED = policy(
    "プロファイリングを行うオファーは、そのことと推定する属性を、本人が与える同意で示す"
    "（本人が何に同意したかを知るため）",
    "an offer that profiles says so, and what it infers, in the consent the person gives "
    "(so that the person knows what they agreed to)",
)
_RULES_ALLOW = policy(
    "委任による同意でのプロファイリングは、本人の委任条件がそれを認めている間に限る",
    "profiling under delegated consent only while the person's delegation rules allow it",
)
_SENSITIVE_DELEGATED = deny(
    _PROFILING,
    V2_2_PROFILING,
    "要配慮個人情報を用いる、または推定するプロファイリングには、本人の明示的な同意が"
    "必要です。委任による同意ではできません。",
    "Profiling that uses or infers sensitive personal data needs the person's explicit "
    "consent; it cannot be consented to under delegation.",
)
_SENSITIVE_UNDISCLOSED = deny(
    _PROFILING,
    V2_2_PROFILING,
    "この同意は、要配慮個人情報を用いる、または推定するプロファイリングと、推定する属性を"
    "本人に示していません。",
    "The consent does not disclose the profiling that uses or infers sensitive personal data, "
    "or the sensitive attributes it infers.",
)
_UNDECLARED = deny(
    _PROFILING,
    _DECLARED,
    "このオファーはプロファイリングを行いますが、同意でそれ（または推定する属性）が"
    "示されていません。",
    "The offer involves profiling, but the consent does not disclose it or what it infers.",
)
_RULES_DISALLOW = deny(
    _PROFILING,
    _RULES_ALLOW,
    "本人の委任条件はプロファイリングを認めていません。",
    "The person's delegation rules do not allow profiling.",
)


def _sensitive_disclosed(facts: Facts, disclosed: frozenset[str]) -> bool:
    """Every attribute the offer infers that the catalogue marks sensitive was disclosed."""
    inferences = facts.inference_sensitivity
    for code in facts.offer.profiling_infers:
        if inferences.get(code) == SENSITIVE and code not in disclosed:
            return False
    return True


def _sensitive(request: Request, facts: Facts) -> bool:
    """Profiling here would use (a category that is not ``general``) or infer (a code the
    inference catalogue marks ``sensitive``) 要配慮個人情報."""
    if infers_sensitive(facts.offer, facts.inference_sensitivity):
        return True
    sensitivity = facts.sensitivity
    for category in request.categories:
        cls = sensitivity.get(category)
        if cls is not None and cls != GENERAL:
            return True
    return False


def _check_profiling(request: Request, facts: Facts, _at: datetime, /) -> Reason | None:
    offer = facts.offer
    offer_profiles = offer.profiling or bool(offer.profiling_infers)
    if request.action == _DELEGATE:
        return _SENSITIVE_DELEGATED if offer_profiles and _sensitive(request, facts) else None
    consent = facts.consent
    if consent is None:
        return None  # consent.scope reports it
    if not offer_profiles and not consent.profiling:
        return None
    if _sensitive(request, facts):  # the guideline, v2.2
        if consent.mode != _EXPLICIT:
            return _SENSITIVE_DELEGATED
        if not consent.profiling or not _sensitive_disclosed(facts, consent.profiling_infers):
            return _SENSITIVE_UNDISCLOSED
    if offer_profiles and not consent.profiling:  # this bank's policy from here on
        return _UNDECLARED
    if not offer.profiling_infers <= consent.profiling_infers:
        return _UNDECLARED
    if consent.mode == _EXPLICIT:
        return None
    if covered_by_delegation(
        facts.person.delegation_rules, request.categories, request.purpose_code, offer, True
    ):
        return None
    return _RULES_DISALLOW


PROFILING_DISCLOSED = Rule(
    id=_PROFILING,
    since="2.2",
    basis=V2_2_PROFILING,
    applies_to=frozenset({Action.PROVIDE, Action.DELEGATE}),
    check=_check_profiling,
    summary="profiling that uses or infers 要配慮個人情報: explicit consent disclosing it, "
    "never delegated; any profiling disclosed (policy); delegated only if the rules allow it",
)
