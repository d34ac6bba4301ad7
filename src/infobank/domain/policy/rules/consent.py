"""Rules about the consent (同意) a provision relies on, and the person's terms (約款).

``consent.scope`` is the one rule that reports a missing consent for ``provide``; the other
consent rules stay silent then, so one absent artefact gives one reason, not three.
"""

from __future__ import annotations

from datetime import datetime

from ..decision import Reason
from ..facts import Action, ConsentStatus, Facts, Request
from ..sources import V1_CONSENT, certification
from .base import Rule, deny, gap

__all__ = ["CONSENT_SCOPE", "CONSENT_STATUS", "CONSENT_WINDOW", "TERMS_CURRENT"]

_PROVIDE_ONLY = frozenset({Action.PROVIDE})
_PERSON_ACTIONS = frozenset({Action.PROVIDE, Action.ACCEPT, Action.DELEGATE})

# consent.scope ---------------------------------------------------------------------------

_SCOPE = "consent.scope"
_NO_CONSENT = deny(
    _SCOPE,
    V1_CONSENT,
    "この提供の根拠となる同意がありません。",
    "There is no consent for this provision.",
)
_OTHER_RECIPIENT = deny(
    _SCOPE,
    V1_CONSENT,
    "この同意は別の提供先に対するものです。",
    "The consent was given to a different recipient.",
)
_OTHER_PURPOSE = deny(
    _SCOPE,
    V1_CONSENT,
    "この同意は別の利用目的に対するものです。",
    "The consent was given for a different purpose.",
)
_OTHER_CATEGORIES = deny(
    _SCOPE,
    V1_CONSENT,
    "同意されていないデータ項目が含まれています。",
    "Some requested data categories are not covered by the consent.",
)


def _check_scope(request: Request, facts: Facts, _at: datetime, /) -> Reason | None:
    consent = facts.consent
    if consent is None:
        return _NO_CONSENT
    if consent.recipient_id != request.recipient_id:
        return _OTHER_RECIPIENT
    if consent.purpose_code != request.purpose_code:
        return _OTHER_PURPOSE
    if not request.categories <= consent.categories:
        return _OTHER_CATEGORIES
    return None


CONSENT_SCOPE = Rule(
    id=_SCOPE,
    since="1.0",
    basis=V1_CONSENT,
    applies_to=_PROVIDE_ONLY,
    check=_check_scope,
    summary="categories, purpose and recipient are all covered by the consent",
)

# consent.window --------------------------------------------------------------------------

_WINDOW = "consent.window"
_NOT_STARTED = deny(
    _WINDOW,
    V1_CONSENT,
    "この同意の有効期間はまだ始まっていません。",
    "The consent period has not started yet.",
)
_ENDED = deny(
    _WINDOW,
    V1_CONSENT,
    "この同意の有効期間は終了しています。",
    "The consent period has ended.",
)
_OUT_OF_RANGE = deny(
    _WINDOW,
    V1_CONSENT,
    "このデータは同意されたデータ範囲（期間）の外にあります。",
    "The record lies outside the data range the consent covers.",
)


def _check_window(request: Request, facts: Facts, at: datetime, /) -> Reason | None:
    consent = facts.consent
    if consent is None:
        return None
    if at < consent.start:
        return _NOT_STARTED
    if at >= consent.expiry:
        return _ENDED
    observed = request.record_observed_at
    if observed is not None:
        low = consent.data_range_from
        if low is not None and observed < low:
            return _OUT_OF_RANGE
        high = consent.data_range_to
        if high is not None and observed > high:
            return _OUT_OF_RANGE
    return None


CONSENT_WINDOW = Rule(
    id=_WINDOW,
    since="1.0",
    basis=V1_CONSENT,
    applies_to=_PROVIDE_ONLY,
    check=_check_window,
    summary="start <= at < expiry; a record's time inside [data_range_from, data_range_to]",
)

# consent.status --------------------------------------------------------------------------

_STATUS = "consent.status"
_STATUS_REASONS: dict[str, Reason] = {
    ConsentStatus.PENDING: deny(
        _STATUS,
        V1_CONSENT,
        "この同意はまだ有効になっていません（確認待ち）。",
        "The consent is still pending.",
    ),
    ConsentStatus.PAUSED: deny(
        _STATUS,
        V1_CONSENT,
        "本人がこの同意に基づく提供を一時停止しています。",
        "The person has paused this consent.",
    ),
    ConsentStatus.REVOKED: deny(
        _STATUS,
        V1_CONSENT,
        "本人がこの同意を撤回しました（提供停止）。",
        "The person has revoked this consent.",
    ),
    ConsentStatus.EXPIRED: deny(
        _STATUS,
        V1_CONSENT,
        "この同意は期限切れです。",
        "The consent has expired.",
    ),
    ConsentStatus.REJECTED: deny(
        _STATUS,
        V1_CONSENT,
        "この同意は拒否されています。",
        "The consent was rejected.",
    ),
}
_STATUS_UNKNOWN = deny(
    _STATUS,
    V1_CONSENT,
    "この同意は有効な状態ではありません。",
    "The consent is not active.",
)


def _check_status(_request: Request, facts: Facts, _at: datetime, /) -> Reason | None:
    consent = facts.consent
    if consent is None or consent.status == ConsentStatus.ACTIVE:
        return None
    return _STATUS_REASONS.get(consent.status, _STATUS_UNKNOWN)


CONSENT_STATUS = Rule(
    id=_STATUS,
    since="1.0",
    basis=V1_CONSENT,
    applies_to=_PROVIDE_ONLY,
    check=_check_status,
    summary="the consent is active (not pending, paused, revoked, expired or rejected)",
)

# terms.current ---------------------------------------------------------------------------

_TERMS = "terms.current"
_TERMS_BASIS = certification("モデル約款（対個人）", "the model contract with individuals (対個人)")
_TERMS_MISSING = gap(
    _TERMS,
    _TERMS_BASIS,
    "現行の約款の版が設定されていません。",
    "No current terms version is configured.",
)
_TERMS_NEVER = deny(
    _TERMS,
    _TERMS_BASIS,
    "本人が約款に同意していません。",
    "The person has not agreed to the terms.",
)
_TERMS_OUTDATED = deny(
    _TERMS,
    _TERMS_BASIS,
    "本人が現行の約款にまだ同意していません。",
    "The person has not yet agreed to the current terms.",
)


def _check_terms(_request: Request, facts: Facts, _at: datetime, /) -> Reason | None:
    current = facts.current_terms_version
    if not current:
        return _TERMS_MISSING
    agreed = facts.person.agreed_terms_version
    if agreed == current:
        return None
    return _TERMS_NEVER if agreed is None else _TERMS_OUTDATED


TERMS_CURRENT = Rule(
    id=_TERMS,
    since="1.0",
    basis=_TERMS_BASIS,
    applies_to=_PERSON_ACTIONS,
    check=_check_terms,
    summary="the person agreed to the current terms version",
)
