"""Rules about the recipient (提供先第三者): certification, exceptions, standing.

From guideline 2.0 an approved, unexpired exception (例外類型) stands in for a Privacy Mark or
ISMS certificate. The two rules split the work so each reason means one thing:
``recipient.certified`` refuses only when neither holds, and ``recipient.exception`` adds an
``allow`` note when the exception is what let the recipient through, so the person and the
auditor can see that the recipient is uncertified.

The guideline's version history gives the exception types to v2.0; one passage of the
material in hand dates them to v2.1. This bank keeps v2.0.

``recipient.standing`` is this bank's policy and holds at every version, 1.0 included: a
recipient the operator has suspended receives nothing and no consent to it is given, whatever
its certificates say.
"""

from __future__ import annotations

from datetime import datetime

from ..decision import Reason
from ..facts import Action, Facts, RecipientFacts, Request
from ..sources import V1_CERTIFIED, V2_CERTIFIED_OR_EXCEPTED, V2_EXCEPTION_TYPES, policy
from .base import ALL_ACTIONS, Rule, deny, note

__all__ = [
    "RECIPIENT_CERTIFIED_V1",
    "RECIPIENT_CERTIFIED_V2",
    "RECIPIENT_EXCEPTION",
    "RECIPIENT_STANDING",
    "exception_holds",
    "is_certified",
]

_JUDGED = frozenset({Action.PROVIDE, Action.ACCEPT, Action.DELEGATE})
_CERTIFICATE_KINDS = frozenset({"pmark", "isms"})


def is_certified(recipient: RecipientFacts, at: datetime) -> bool:
    """A Privacy Mark (Pマーク) or ISMS (ISO/IEC 27001) certificate valid at ``at``."""
    for cert in recipient.certifications:
        if cert.kind in _CERTIFICATE_KINDS and cert.valid_from <= at < cert.valid_until:
            return True
    return False


def exception_holds(recipient: RecipientFacts, types: frozenset[str] | None, at: datetime) -> bool:
    """An approved, unexpired exception of a type the operator configured."""
    for exc in recipient.exceptions:
        if exc.approved and at < exc.expires_at and (types is None or exc.type_code in types):
            return True
    return False


# recipient.certified ---------------------------------------------------------------------

_CERTIFIED = "recipient.certified"
_UNCERTIFIED_V1 = deny(
    _CERTIFIED,
    V1_CERTIFIED,
    "この提供先はプライバシーマークまたはISMS認証を有効期間内に保有していません。",
    "The recipient holds no Privacy Mark or ISMS certificate valid at this time.",
)
_UNCERTIFIED_V2 = deny(
    _CERTIFIED,
    V2_CERTIFIED_OR_EXCEPTED,
    "この提供先はプライバシーマークまたはISMS認証を有効期間内に保有しておらず、"
    "データ倫理審査会が承認した有効な例外類型にも該当しません。",
    "The recipient holds no Privacy Mark or ISMS certificate valid at this time, "
    "nor an unexpired exception approved by the ethics board.",
)


def _check_certified_v1(_request: Request, facts: Facts, at: datetime, /) -> Reason | None:
    return None if is_certified(facts.recipient, at) else _UNCERTIFIED_V1


def _check_certified_v2(_request: Request, facts: Facts, at: datetime, /) -> Reason | None:
    recipient = facts.recipient
    if is_certified(recipient, at) or exception_holds(recipient, facts.exception_types, at):
        return None
    return _UNCERTIFIED_V2


RECIPIENT_CERTIFIED_V1 = Rule(
    id=_CERTIFIED,
    since="1.0",
    basis=V1_CERTIFIED,
    applies_to=_JUDGED,
    check=_check_certified_v1,
    summary="a pmark or isms certificate valid at `at`",
)
RECIPIENT_CERTIFIED_V2 = Rule(
    id=_CERTIFIED,
    since="1.0",
    revision="2.0",
    basis=V2_CERTIFIED_OR_EXCEPTED,
    applies_to=_JUDGED,
    check=_check_certified_v2,
    summary="a pmark or isms certificate valid at `at`, or else recipient.exception",
)

# recipient.exception ---------------------------------------------------------------------

_EXCEPTION = "recipient.exception"
_ADMITTED_BY_EXCEPTION = note(
    _EXCEPTION,
    V2_EXCEPTION_TYPES,
    "この提供先は認証を保有していませんが、データ倫理審査会が承認した有効な例外類型に該当します。",
    "The recipient is not certified but holds an unexpired exception approved by the ethics board.",
)


def _check_exception(_request: Request, facts: Facts, at: datetime, /) -> Reason | None:
    recipient = facts.recipient
    if not recipient.exceptions or is_certified(recipient, at):
        return None
    if exception_holds(recipient, facts.exception_types, at):
        return _ADMITTED_BY_EXCEPTION
    return None  # recipient.certified reports the refusal


RECIPIENT_EXCEPTION = Rule(
    id=_EXCEPTION,
    since="2.0",
    basis=V2_EXCEPTION_TYPES,
    applies_to=_JUDGED,
    check=_check_exception,
    summary="notes (allow) when an approved, unexpired exception replaces a certificate",
)

# recipient.standing ----------------------------------------------------------------------

_STANDING = "recipient.standing"
_STANDING_BASIS = policy(
    "運営者が停止した提供先には、停止が解かれるまで何も提供せず、同意も受け付けない"
    "（提供先の問題が分かってから解消されるまでの間、本人のデータを守るため）",
    "a recipient the operator has suspended receives nothing, and no consent to it is "
    "given, until it is reinstated (to protect persons' data from a recipient found at "
    "fault until the problem is resolved)",
)
_SUSPENDED = deny(
    _STANDING,
    _STANDING_BASIS,
    "この提供先は運営者により停止されているため、提供も同意もできません。",
    "The recipient has been suspended by the operator, so nothing can be provided to it "
    "or consented to.",
)


def _check_standing(_request: Request, facts: Facts, _at: datetime, /) -> Reason | None:
    return _SUSPENDED if facts.recipient.suspended else None


RECIPIENT_STANDING = Rule(
    id=_STANDING,
    since="1.0",
    basis=_STANDING_BASIS,
    applies_to=ALL_ACTIONS,
    check=_check_standing,
    summary="the recipient is not suspended",
)
