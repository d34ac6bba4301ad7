"""Rules about what kind of data moves: 要配慮個人情報, 健診等情報, Mynaportal-derived data."""

from __future__ import annotations

from datetime import datetime

from ..decision import Reason
from ..facts import Action, ConsentMode, Facts, Justification, Request
from .base import ALL_ACTIONS, GENERAL, HEALTH, Rule, deny, gap, has_class

__all__ = [
    "HEALTH_CONDITIONS",
    "MYNAPORTAL_JOINT_APPLICATION",
    "SENSITIVE_EXCLUDED_V1",
    "SENSITIVE_EXCLUDED_V3",
]

_PROVIDE = Action.PROVIDE
_DELEGATE = Action.DELEGATE
_SUBMIT = Action.SUBMIT
_EXPLICIT = ConsentMode.EXPLICIT
_JUSTIFICATIONS = frozenset(Justification)
_MYNAPORTAL = "mynaportal"

# sensitive.excluded ----------------------------------------------------------------------

_SENSITIVE = "sensitive.excluded"
_SENSITIVE_CLAUSE_V1 = "認定指針 v1.0 要配慮個人情報の取扱い"
_SENSITIVE_CLAUSE_V3 = "認定指針 v3.0 要配慮個人情報の取扱い（健診等情報を除く）"
_SENSITIVE_V1 = deny(
    _SENSITIVE,
    _SENSITIVE_CLAUSE_V1,
    "要配慮個人情報（健診等情報を含む）は提供できません。",
    "Sensitive personal data, including health check-up data, cannot be provided.",
)
_SENSITIVE_V3 = deny(
    _SENSITIVE,
    _SENSITIVE_CLAUSE_V3,
    "要配慮個人情報（健診等情報を除く）は提供できません。",
    "Sensitive personal data (other than health check-up data) cannot be provided.",
)
_UNCATALOGUED = (
    "データ項目「{}」の機微区分がデータカタログにありません。",
    "The data catalogue has no sensitivity class for category '{}'.",
)


def _uncatalogued(clause: str, category: str) -> Reason:
    ja, en = _UNCATALOGUED
    return gap(_SENSITIVE, clause, ja.format(category), en.format(category))


def _check_sensitive_v1(request: Request, facts: Facts, _at: datetime, /) -> Reason | None:
    sensitivity = facts.sensitivity
    missing = None
    for category in request.categories:
        cls = sensitivity.get(category)
        if cls is None:
            missing = category
        elif cls != GENERAL:
            return _SENSITIVE_V1
    return None if missing is None else _uncatalogued(_SENSITIVE_CLAUSE_V1, missing)


def _check_sensitive_v3(request: Request, facts: Facts, _at: datetime, /) -> Reason | None:
    sensitivity = facts.sensitivity
    missing = None
    for category in request.categories:
        cls = sensitivity.get(category)
        if cls is None:
            missing = category
        elif cls != GENERAL and cls != HEALTH:
            return _SENSITIVE_V3
    return None if missing is None else _uncatalogued(_SENSITIVE_CLAUSE_V3, missing)


SENSITIVE_EXCLUDED_V1 = Rule(
    id=_SENSITIVE,
    since="1.0",
    clause=_SENSITIVE_CLAUSE_V1,
    applies_to=ALL_ACTIONS,
    check=_check_sensitive_v1,
    summary="general categories only; an uncatalogued category is a gap",
)
SENSITIVE_EXCLUDED_V3 = Rule(
    id=_SENSITIVE,
    since="1.0",
    revision="3.0",
    clause=_SENSITIVE_CLAUSE_V3,
    applies_to=ALL_ACTIONS,
    check=_check_sensitive_v3,
    summary="never sensitive; health_checkup left to health.conditions; uncatalogued is a gap",
)

# health.conditions -----------------------------------------------------------------------

_HEALTH = "health.conditions"
_HEALTH_CLAUSE = "認定指針 v3.0 健診等情報の取扱い条件"
_HEALTH_DELEGATED = deny(
    _HEALTH,
    _HEALTH_CLAUSE,
    "健診等情報は、委任ではなく本人の明示的な同意がある場合に限り提供できます。",
    "Health check-up data can be provided only with the person's explicit consent, "
    "never under delegation.",
)
_HEALTH_UNJUSTIFIED = deny(
    _HEALTH,
    _HEALTH_CLAUSE,
    "健診等情報の提供には、本人への明確な便益または公益性の記録が必要です。",
    "Health check-up data needs a recorded justification: a clear benefit to the person "
    "or the public interest.",
)
_HEALTH_UNAPPROVED = deny(
    _HEALTH,
    _HEALTH_CLAUSE,
    "健診等情報の提供には、データ倫理審査会の承認が必要です。",
    "Health check-up data needs the approval of the data ethics board.",
)


def _check_health(request: Request, facts: Facts, _at: datetime, /) -> Reason | None:
    if not has_class(request.categories, facts.sensitivity, HEALTH):
        return None
    action = request.action
    if action == _DELEGATE:
        return _HEALTH_DELEGATED
    offer = facts.offer
    if action == _PROVIDE:
        consent = facts.consent
        if consent is None:
            return None  # consent.scope reports it
        if consent.mode != _EXPLICIT:
            return _HEALTH_DELEGATED
        justification = consent.justification
    else:
        justification = offer.justification
    if justification not in _JUSTIFICATIONS:
        return _HEALTH_UNJUSTIFIED
    if action != _SUBMIT and not offer.review_approved:
        return _HEALTH_UNAPPROVED
    return None


HEALTH_CONDITIONS = Rule(
    id=_HEALTH,
    since="3.0",
    clause=_HEALTH_CLAUSE,
    applies_to=ALL_ACTIONS,
    check=_check_health,
    summary="health_checkup only with explicit consent, a justification and ethics approval",
)

# mynaportal.joint_application ------------------------------------------------------------

_JOINT = "mynaportal.joint_application"
_JOINT_CLAUSE = "認定指針 v3.0 マイナポータル連携（連名申請）"
_NOT_LISTED = deny(
    _JOINT,
    _JOINT_CLAUSE,
    "マイナポータルから取得したデータは、承認済みの連名申請に記載された提供先・利用目的・"
    "データ項目に限り提供できます。",
    "Data obtained from Mynaportal goes only to recipients, purposes and categories listed "
    "in an approved joint application.",
)
_JOINT_DELEGATED = deny(
    _JOINT,
    _JOINT_CLAUSE,
    "マイナポータルから取得したデータは、委任による同意では提供できません。"
    "本人の明示的な同意が必要です。",
    "Data obtained from Mynaportal is never provided under delegated consent; it needs the "
    "person's explicit consent.",
)


def _check_joint(request: Request, facts: Facts, _at: datetime, /) -> Reason | None:
    if _MYNAPORTAL not in facts.record_origins:
        return None
    action = request.action
    if action == _DELEGATE or (
        action == _PROVIDE and facts.consent is not None and facts.consent.mode != _EXPLICIT
    ):
        return _JOINT_DELEGATED
    purpose = request.purpose_code
    categories = request.categories
    for entry in facts.recipient.joint_application:
        if (
            entry.approved
            and not entry.withdrawn
            and entry.purpose_code == purpose
            and categories <= entry.categories
        ):
            return None
    return _NOT_LISTED


MYNAPORTAL_JOINT_APPLICATION = Rule(
    id=_JOINT,
    since="3.0",
    clause=_JOINT_CLAUSE,
    applies_to=frozenset({Action.PROVIDE, Action.ACCEPT, Action.DELEGATE}),
    check=_check_joint,
    summary="Mynaportal-derived records only under explicit consent and an approved, "
    "unwithdrawn joint application entry covering purpose and categories",
)
