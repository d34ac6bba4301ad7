"""Rules about the offer (オファー): ethics review, onward provision, purpose guard-rails."""

from __future__ import annotations

from datetime import datetime

from infobank.domain.identity import age_on

from ..decision import Reason
from ..facts import Action, ConsentMode, Facts, OfferFacts, OfferStatus, Request
from ..sources import V1_ETHICS_BOARD, V1_NO_ONWARD, V2_ONWARD_EXCEPTIONS, policy
from .base import ALL_ACTIONS, Rule, deny, gap

__all__ = [
    "OFFER_REVIEWED",
    "PURPOSE_GUARDRAILS",
    "REPROVISION_PROHIBITED_V1",
    "REPROVISION_PROHIBITED_V2",
]

_PROVIDE = Action.PROVIDE
_DELEGATE = Action.DELEGATE
_EXPLICIT = ConsentMode.EXPLICIT
_LIVE = frozenset({OfferStatus.APPROVED, OfferStatus.OPEN})

# offer.reviewed --------------------------------------------------------------------------

_REVIEWED = "offer.reviewed"
_REVIEWED_CLAUSE = V1_ETHICS_BOARD
_NOT_APPROVED = deny(
    _REVIEWED,
    _REVIEWED_CLAUSE,
    "このオファーはデータ倫理審査会の承認を受けていません。",
    "The offer has not been approved by the data ethics board.",
)
_NOT_LIVE = deny(
    _REVIEWED,
    _REVIEWED_CLAUSE,
    "このオファーは承認済みまたは公開中の状態ではありません。",
    "The offer is neither approved nor open.",
)
_BEYOND_OFFER = deny(
    _REVIEWED,
    _REVIEWED_CLAUSE,
    "要求が審査済みのオファー（提供先・利用目的・データ項目）の範囲を超えています。",
    "The request goes beyond the reviewed offer (recipient, purpose or categories).",
)
_OTHER_OFFER = gap(
    _REVIEWED,
    _REVIEWED_CLAUSE,
    "同意と判定対象のオファーが一致しません。",
    "The consent belongs to a different offer than the one supplied.",
)
# One reason per condition the board set (審査会の条件), so everyone sees which one broke.
# Which conditions an approval may carry, and that the software holds every step to them, is
# this bank's reading of the board's role.
_BOARD_CONDITIONS = policy(
    "データ倫理審査会が承認に付した条件（保存期間・プロファイリング・対象・同意数の上限・承認の"
    "有効期限・利用報告）は、公開・同意・提供のたびにシステムが確かめ、満たさないあいだは"
    "行わない（審査会の判断が実際に守られるようにするため）",
    "the conditions the data ethics board sets on an approval (retention, profiling, target, "
    "most consents, an end date, a usage report) are checked by the software at opening, at "
    "each consent and at each delivery, and nothing proceeds while one is broken (so that the "
    "board's decision holds in practice)",
)
_APPROVAL_LAPSED = deny(
    _REVIEWED,
    _BOARD_CONDITIONS,
    "データ倫理審査会の承認の有効期限が過ぎています。再審査で承認されるまで、新たな同意も提供も"
    "できません。",
    "The data ethics board's approval has passed its end date; no new consent or delivery "
    "until a new review approves the offer again.",
)
_RETENTION_OVER = deny(
    _REVIEWED,
    _BOARD_CONDITIONS,
    "オファーの保存期間が、データ倫理審査会が定めた上限を超えています。",
    "The offer's retention period exceeds the maximum the data ethics board set.",
)
_PROFILING_FORBIDDEN = deny(
    _REVIEWED,
    _BOARD_CONDITIONS,
    "データ倫理審査会はプロファイリングを認めていませんが、このオファーはプロファイリングを"
    "行います。",
    "The data ethics board did not allow profiling, but the offer profiles.",
)
_TARGET_OUTSIDE = deny(
    _REVIEWED,
    _BOARD_CONDITIONS,
    "オファーの対象（年齢・都道府県）が、データ倫理審査会が定めた範囲に収まっていません。",
    "The offer's target (ages, prefectures) does not lie within the limits the data ethics "
    "board set.",
)
_CAPACITY_REACHED = deny(
    _REVIEWED,
    _BOARD_CONDITIONS,
    "このオファーへの同意の数が、データ倫理審査会が定めた上限に達しています。",
    "Consents under the offer have reached the maximum number the data ethics board set.",
)
_PERSON_OUTSIDE = deny(
    _REVIEWED,
    _BOARD_CONDITIONS,
    "本人は、データ倫理審査会が定めた対象（年齢・都道府県）の範囲外です。",
    "The person is outside the target (ages, prefectures) the data ethics board set.",
)
_PERSON_UNKNOWN = gap(
    _REVIEWED,
    _BOARD_CONDITIONS,
    "データ倫理審査会が対象を限定していますが、本人の生年月日または都道府県が分からないため"
    "判定できません。",
    "The data ethics board limited the target, but the person's birth date or prefecture is "
    "not known, so this cannot be decided.",
)
_REPORT_OVERDUE = deny(
    _REVIEWED,
    _BOARD_CONDITIONS,
    "データ倫理審査会が求めた利用報告が期限までに提出されていないため、提出されるまで提供を"
    "止めています。",
    "The usage report the data ethics board asked for is overdue; deliveries are paused until "
    "the recipient files it.",
)


def _target_outside(offer: OfferFacts) -> bool:
    """Whether the offer's own target reaches beyond the board's limits."""
    limits = offer.conditions
    low, high, places = limits.age_min, limits.age_max, limits.prefectures
    return (
        (low is not None and (offer.target_age_min is None or offer.target_age_min < low))
        or (high is not None and (offer.target_age_max is None or offer.target_age_max > high))
        or (bool(places) and not (offer.target_prefectures and offer.target_prefectures <= places))
    )


def _person_outside(facts: Facts, at: datetime) -> Reason | None:
    limits, person = facts.offer.conditions, facts.person
    low, high, places = limits.age_min, limits.age_max, limits.prefectures
    if low is not None or high is not None:
        if person.birth_date is None:
            return _PERSON_UNKNOWN
        age = age_on(person.birth_date, at.date())
        if (low is not None and age < low) or (high is not None and age > high):
            return _PERSON_OUTSIDE
    if places:
        if person.prefecture is None:
            return _PERSON_UNKNOWN
        if person.prefecture not in places:
            return _PERSON_OUTSIDE
    return None


def _conditions(request: Request, facts: Facts, at: datetime) -> Reason | None:
    """The first condition of the approval in force that is broken, else None. The offer's
    own terms are checked at every step; the number of consents before a new one (accept,
    delegate) and never above the maximum (provide); the person, when there is one; the usage
    report only before a delivery (it pauses deliveries, not consents)."""
    offer = facts.offer
    limits = offer.conditions
    if limits.max_retention_days is not None and offer.retention_days > limits.max_retention_days:
        return _RETENTION_OVER
    if limits.profiling_allowed is False and offer.profiling:
        return _PROFILING_FORBIDDEN
    if _target_outside(offer):
        return _TARGET_OUTSIDE
    cap = limits.capacity_max
    providing = request.action == _PROVIDE
    if cap is not None and (offer.consents > cap if providing else offer.consents >= cap):
        return _CAPACITY_REACHED
    if facts.person.id:
        outside = _person_outside(facts, at)
        if outside is not None:
            return outside
    due = limits.report_due
    if providing and due is not None and at >= due and not offer.report_filed:
        return _REPORT_OVERDUE
    return None


def _check_reviewed(request: Request, facts: Facts, at: datetime, /) -> Reason | None:
    offer = facts.offer
    if not offer.review_approved:
        return _NOT_APPROVED
    ends = offer.conditions.valid_until
    if ends is not None and at >= ends:
        return _APPROVAL_LAPSED
    if offer.status not in _LIVE:
        return _NOT_LIVE
    if (
        offer.recipient_id != request.recipient_id
        or offer.purpose_code != request.purpose_code
        or not request.categories <= offer.categories
    ):
        return _BEYOND_OFFER
    consent = facts.consent
    if request.action == _PROVIDE and consent is not None and consent.offer_id != offer.id:
        return _OTHER_OFFER
    return _conditions(request, facts, at)


OFFER_REVIEWED = Rule(
    id=_REVIEWED,
    since="1.0",
    basis=_REVIEWED_CLAUSE,
    applies_to=frozenset({Action.PROVIDE, Action.ACCEPT, Action.DELEGATE}),
    check=_check_reviewed,
    summary="ethics approval in force, offer approved/open, request inside the offer, and every "
    "condition the board set holds (retention, profiling, target, capacity, usage report)",
)

# reprovision.prohibited ------------------------------------------------------------------

_REPROVISION = "reprovision.prohibited"
# Which onward provision the v2.0 exceptions admit is this bank's reading: only parties the
# person named in their own explicit consent.
_ONWARD_CONDITIONS = policy(
    "認定指針 v2.0 の再提供禁止の例外は、本人が明示的な同意で名指しした再提供先に限り認め、"
    "委任による同意では認めない（本人が誰に渡るかを自ら確かめられるようにするため）",
    "the v2.0 exceptions to the ban on onward provision are allowed only for onward parties "
    "the person named in their own explicit consent, never under delegation (so that the "
    "person sees for themself who receives their data)",
)
_ONWARD_V1 = deny(
    _REPROVISION,
    V1_NO_ONWARD,
    "提供先からの第三者への再提供は認められていません。",
    "Onward provision by the recipient to another party is not allowed.",
)
_ONWARD_DELEGATED = deny(
    _REPROVISION,
    _ONWARD_CONDITIONS,
    "再提供を伴うオファーは、委任では同意できません。本人の明示的な同意が必要です。",
    "An offer with onward provision cannot be accepted under delegation; "
    "the person must consent explicitly.",
)
_ONWARD_NOT_NAMED = deny(
    _REPROVISION,
    _ONWARD_CONDITIONS,
    "本人の同意で名指しされていない再提供先が含まれています。",
    "The offer names an onward party that the person's consent does not name.",
)


def _check_reprovision_v1(request: Request, facts: Facts, _at: datetime, /) -> Reason | None:
    if facts.offer.reprovision_parties:
        return _ONWARD_V1
    consent = facts.consent
    if request.action == _PROVIDE and consent is not None and consent.reprovision_parties:
        return _ONWARD_V1
    return None


def _check_reprovision_v2(request: Request, facts: Facts, _at: datetime, /) -> Reason | None:
    parties = facts.offer.reprovision_parties
    if not parties:
        return None
    action = request.action
    if action == _DELEGATE:
        return _ONWARD_DELEGATED
    if action == _PROVIDE:
        consent = facts.consent
        if consent is None:
            return None  # consent.scope reports it
        if consent.mode != _EXPLICIT:
            return _ONWARD_DELEGATED
        if not parties <= consent.reprovision_parties:
            return _ONWARD_NOT_NAMED
    # submit declares the parties; accept is the person's explicit consent naming them.
    return None


REPROVISION_PROHIBITED_V1 = Rule(
    id=_REPROVISION,
    since="1.0",
    basis=V1_NO_ONWARD,
    applies_to=ALL_ACTIONS,
    check=_check_reprovision_v1,
    summary="no onward party in the offer (or the consent)",
)
REPROVISION_PROHIBITED_V2 = Rule(
    id=_REPROVISION,
    since="1.0",
    revision="2.0",
    basis=V2_ONWARD_EXCEPTIONS,
    applies_to=ALL_ACTIONS,
    check=_check_reprovision_v2,
    summary="onward parties only under explicit consent naming every one; never delegated",
)

# purpose.guardrails ----------------------------------------------------------------------

_GUARDRAILS = "purpose.guardrails"
_GUARDRAILS_BASIS = policy(
    "オファーは目的カタログの制限（同意期間・データ範囲・保存期間・取得方法の上限）の内に"
    "とどめる（利用目的ごとに、求めてよい範囲を運営者があらかじめ定めておくため）",
    "offers stay inside the purpose catalogue's limits (consent duration, data range, "
    "retention, fetch modes), so that the operator sets beforehand how much each purpose "
    "may ask for",
)
_NO_GUARDRAILS = gap(
    _GUARDRAILS,
    _GUARDRAILS_BASIS,
    "この利用目的の制限（ガードレール）が目的カタログに登録されていません。",
    "The purpose catalogue has no guard-rails for this purpose.",
)
_OTHER_GUARDRAILS = gap(
    _GUARDRAILS,
    _GUARDRAILS_BASIS,
    "渡されたガードレールがオファーの利用目的と一致しません。",
    "The guard-rails supplied are for a different purpose than the offer's.",
)
_CONSENT_TOO_LONG = deny(
    _GUARDRAILS,
    _GUARDRAILS_BASIS,
    "同意の有効期間が、この利用目的で認められる上限を超えています。",
    "The consent duration exceeds the maximum allowed for this purpose.",
)
_RANGE_TOO_LONG = deny(
    _GUARDRAILS,
    _GUARDRAILS_BASIS,
    "データ範囲（期間）が、この利用目的で認められる上限を超えています。",
    "The data range exceeds the maximum allowed for this purpose.",
)
_RETENTION_TOO_LONG = deny(
    _GUARDRAILS,
    _GUARDRAILS_BASIS,
    "保存期間が、この利用目的で認められる上限を超えています。",
    "The retention period exceeds the maximum allowed for this purpose.",
)
_FETCH_MODE = deny(
    _GUARDRAILS,
    _GUARDRAILS_BASIS,
    "この取得方法（一回限り・定期）は、この利用目的では認められていません。",
    "This fetch mode (one-time or periodic) is not allowed for this purpose.",
)


def _check_guardrails(_request: Request, facts: Facts, _at: datetime, /) -> Reason | None:
    rails = facts.guardrails
    if rails is None:
        return _NO_GUARDRAILS
    offer = facts.offer
    if rails.code != offer.purpose_code:
        return _OTHER_GUARDRAILS
    if offer.consent_duration_days > rails.max_consent_days:
        return _CONSENT_TOO_LONG
    if offer.data_range_days is not None and offer.data_range_days > rails.max_data_range_days:
        return _RANGE_TOO_LONG
    if offer.retention_days > rails.max_retention_days:
        return _RETENTION_TOO_LONG
    if offer.fetch_mode not in rails.allowed_fetch_modes:
        return _FETCH_MODE
    return None


PURPOSE_GUARDRAILS = Rule(
    id=_GUARDRAILS,
    since="1.0",
    basis=_GUARDRAILS_BASIS,
    applies_to=frozenset({Action.SUBMIT}),
    check=_check_guardrails,
    summary="consent duration, data range, retention and fetch mode inside the purpose's limits",
)
