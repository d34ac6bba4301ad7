"""Rules about what kind of data moves: 健診等情報 (checkup-type data) and Mynaportal-derived data.

``sensitive.excluded`` (要配慮個人情報 in general) is in ``sensitive.py``. Both rules here
rest on a source whose words are broad, and refine it with this bank's reading, which their
refusals cite as ``policy``: the v3.0 conditions for checkup-type data, and how a joint
application (連名申請) must cover a provision.
"""

from __future__ import annotations

from datetime import datetime

from ..decision import Reason
from ..facts import Action, ConsentMode, Facts, Justification, Request
from ..sources import V3_HEALTH, mynaportal, policy
from .base import ALL_ACTIONS, HEALTH, Rule, deny, has_class

__all__ = ["HEALTH_CONDITIONS", "MYNAPORTAL_JOINT_APPLICATION"]

_PROVIDE = Action.PROVIDE
_DELEGATE = Action.DELEGATE
_SUBMIT = Action.SUBMIT
_EXPLICIT = ConsentMode.EXPLICIT
_JUSTIFICATIONS = frozenset(Justification)
_MYNAPORTAL = "mynaportal"

# health.conditions -----------------------------------------------------------------------

_HEALTH = "health.conditions"
# Which conditions v3.0 means is this bank's reading (SPEC §4).
_HEALTH_CONDITIONS = policy(
    "認定指針 v3.0 が検診等情報に求める条件として、本人の明示的な同意（委任は不可）、"
    "明確な便益または公益性の記録、データ倫理審査会の承認を求める",
    "as the conditions guideline v3.0 sets for checkup-type data, this bank requires the "
    "person's explicit consent (never delegation), a recorded justification (a clear benefit "
    "to the person or the public interest) and the data ethics board's approval",
)
_HEALTH_DELEGATED = deny(
    _HEALTH,
    _HEALTH_CONDITIONS,
    "健診等情報は、委任ではなく本人の明示的な同意がある場合に限り提供できます。",
    "Health check-up data can be provided only with the person's explicit consent, "
    "never under delegation.",
)
_HEALTH_UNJUSTIFIED = deny(
    _HEALTH,
    _HEALTH_CONDITIONS,
    "健診等情報の提供には、本人への明確な便益または公益性の記録が必要です。",
    "Health check-up data needs a recorded justification: a clear benefit to the person "
    "or the public interest.",
)
_HEALTH_UNAPPROVED = deny(
    _HEALTH,
    _HEALTH_CONDITIONS,
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
    basis=V3_HEALTH,
    applies_to=ALL_ACTIONS,
    check=_check_health,
    summary="health_checkup only with explicit consent, a justification and ethics approval",
)

# mynaportal.joint_application ------------------------------------------------------------

_JOINT = "mynaportal.joint_application"
_JOINT_BASIS = mynaportal(
    "取得したデータは、承認された連名申請に記載された提供先と利用目的に限り提供する",
    "data obtained through the API goes only to recipients and purposes listed in an "
    "approved joint application (連名申請)",
)
_JOINT_CATEGORIES = policy(
    "連名申請の記載は提供先・利用目的だけでなくデータ項目も覆っていなければならない"
    "（申請で示した範囲を超えて渡さないため）",
    "a joint application entry must cover the data categories as well as the recipient "
    "and purpose (so that nothing beyond what the application showed is passed on)",
)
_JOINT_EXPLICIT = policy(
    "マイナポータルから取得したデータは委任による同意では提供しない"
    "（本人が提供先と目的を確かめて自ら同意するため）",
    "data obtained from Mynaportal is never provided under delegated consent (so that the "
    "person sees the recipient and purpose and consents themself)",
)
_NOT_LISTED = deny(
    _JOINT,
    _JOINT_BASIS,
    "マイナポータルから取得したデータは、承認済みの連名申請に記載された提供先・利用目的に"
    "限り提供できます。",
    "Data obtained from Mynaportal goes only to recipients and purposes listed in an "
    "approved joint application.",
)
_CATEGORIES_NOT_LISTED = deny(
    _JOINT,
    _JOINT_CATEGORIES,
    "連名申請のこの提供先・利用目的の記載に、求められたデータ項目が含まれていません。",
    "The joint application lists this recipient and purpose, but not every requested "
    "data category.",
)
_JOINT_DELEGATED = deny(
    _JOINT,
    _JOINT_EXPLICIT,
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
    listed = False
    for entry in facts.recipient.joint_application:
        if entry.approved and not entry.withdrawn and entry.purpose_code == purpose:
            if categories <= entry.categories:
                return None
            listed = True
    return _CATEGORIES_NOT_LISTED if listed else _NOT_LISTED


MYNAPORTAL_JOINT_APPLICATION = Rule(
    id=_JOINT,
    since="1.0",
    basis=_JOINT_BASIS,
    applies_to=frozenset({Action.PROVIDE, Action.ACCEPT, Action.DELEGATE}),
    check=_check_joint,
    summary="Mynaportal-derived records only under explicit consent and an approved, "
    "unwithdrawn joint application entry covering purpose and categories",
)
