"""``sensitive.excluded``: 要配慮個人情報 is never provided, and what profiling may infer.

Three wordings, one per change of the guideline that moves the line:

- v1.0 (the base): only ``general`` categories. An offer whose profiling infers an attribute
  the inference catalogue marks ``sensitive`` (a health condition, a creed, …) is refused too:
  the guideline first speaks of profiling that involves 要配慮個人情報 at v2.2, and until then
  this bank treats inferring such an attribute as handling it (a ``policy`` reason).
- v2.2: the categories as before; sensitive inferences are left to ``profiling.disclosed``
  (explicit consent that discloses them, never delegation).
- v3.0: ``health_checkup`` categories pass here too, left to ``health.conditions``;
  ``sensitive`` categories never.

A category missing from the data catalogue, or an inference code missing from the inference
catalogue, is a gap at every version, reported here and only here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from ..decision import Reason
from ..facts import Facts, Request, Sensitivity
from ..sources import V1_NO_SENSITIVE, V3_HEALTH, Basis, policy
from .base import ALL_ACTIONS, GENERAL, HEALTH, Rule, deny, gap, infers_sensitive

__all__ = ["SENSITIVE_EXCLUDED_V1", "SENSITIVE_EXCLUDED_V2_2", "SENSITIVE_EXCLUDED_V3"]

_SENSITIVE = "sensitive.excluded"
_SENSITIVE_V1 = deny(
    _SENSITIVE,
    V1_NO_SENSITIVE,
    "要配慮個人情報（健診等情報を含む）は提供できません。",
    "Sensitive personal data, including health check-up data, cannot be provided.",
)
_SENSITIVE_V3 = deny(
    _SENSITIVE,
    V3_HEALTH,
    "要配慮個人情報（健診等情報を除く）は提供できません。",
    "Sensitive personal data (other than health check-up data) cannot be provided.",
)
_INFERENCE_BEFORE_V2_2 = policy(
    "認定指針 v2.2 より前の版では、要配慮個人情報を推定するプロファイリングも"
    "要配慮個人情報の取扱いとみなして受け付けない（当初の版は要配慮個人情報を扱わず、"
    "それを含むプロファイリングの取扱いは v2.2 で初めて定められたため）",
    "before guideline v2.2, profiling that infers 要配慮個人情報 counts as handling it and is "
    "refused (the first version handles no 要配慮個人情報, and the guideline first addresses "
    "profiling that involves it at v2.2)",
)
_INFERS_SENSITIVE = deny(
    _SENSITIVE,
    _INFERENCE_BEFORE_V2_2,
    "このオファーのプロファイリングは要配慮個人情報（健康状態・信条など）を推定します。"
    "この指針の版のもとでは扱えません。",
    "This offer's profiling infers sensitive personal data (a health condition, a creed or "
    "the like), which cannot be handled under this guideline version.",
)
_UNCATALOGUED = (
    "データ項目「{}」の機微区分がデータカタログにありません。",
    "The data catalogue has no sensitivity class for category '{}'.",
)
_UNCATALOGUED_INFERENCE = (
    "プロファイリングで推定する属性「{}」が推定属性カタログにありません。",
    "The inference catalogue has no entry for the inferred attribute '{}'.",
)


def _check(
    request: Request,
    facts: Facts,
    basis: Basis,
    passing: frozenset[Sensitivity],
    refusal: Reason,
    refuse_inferences: bool,
) -> Reason | None:
    sensitivity = facts.sensitivity
    missing = None
    for category in request.categories:
        cls = sensitivity.get(category)
        if cls is None:
            missing = category
        elif cls not in passing:
            return refusal
    if missing is not None:
        ja, en = _UNCATALOGUED
        return gap(_SENSITIVE, basis, ja.format(missing), en.format(missing))
    inferred = facts.offer.profiling_infers
    if not inferred:
        return None
    inferences: Mapping[str, Sensitivity] = facts.inference_sensitivity
    for code in sorted(inferred):
        if code not in inferences:
            ja, en = _UNCATALOGUED_INFERENCE
            return gap(_SENSITIVE, basis, ja.format(code), en.format(code))
    if refuse_inferences and infers_sensitive(facts.offer, inferences):
        return _INFERS_SENSITIVE
    return None


_GENERAL_ONLY = frozenset({GENERAL})
_GENERAL_OR_HEALTH = frozenset({GENERAL, HEALTH})


def _check_v1(request: Request, facts: Facts, _at: datetime, /) -> Reason | None:
    return _check(request, facts, V1_NO_SENSITIVE, _GENERAL_ONLY, _SENSITIVE_V1, True)


def _check_v2_2(request: Request, facts: Facts, _at: datetime, /) -> Reason | None:
    return _check(request, facts, V1_NO_SENSITIVE, _GENERAL_ONLY, _SENSITIVE_V1, False)


def _check_v3(request: Request, facts: Facts, _at: datetime, /) -> Reason | None:
    return _check(request, facts, V3_HEALTH, _GENERAL_OR_HEALTH, _SENSITIVE_V3, False)


SENSITIVE_EXCLUDED_V1 = Rule(
    id=_SENSITIVE,
    since="1.0",
    basis=V1_NO_SENSITIVE,
    applies_to=ALL_ACTIONS,
    check=_check_v1,
    summary="general categories only, no sensitive inference; uncatalogued is a gap",
)
SENSITIVE_EXCLUDED_V2_2 = Rule(
    id=_SENSITIVE,
    since="1.0",
    revision="2.2",
    basis=V1_NO_SENSITIVE,
    applies_to=ALL_ACTIONS,
    check=_check_v2_2,
    summary="general categories only; sensitive inferences left to profiling.disclosed",
)
SENSITIVE_EXCLUDED_V3 = Rule(
    id=_SENSITIVE,
    since="1.0",
    revision="3.0",
    basis=V3_HEALTH,
    applies_to=ALL_ACTIONS,
    check=_check_v3,
    summary="never sensitive; health_checkup left to health.conditions; uncatalogued is a gap",
)
