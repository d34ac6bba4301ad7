"""Rules about the recipient (提供先第三者): certification, exceptions, standing.

From guideline 2.0 an approved, unexpired exception (例外類型) stands in for a Privacy Mark or
ISMS certificate. The two rules split the work so each reason means one thing:
``recipient.certified`` refuses only when neither holds, and ``recipient.exception`` adds an
``allow`` note when the exception is what let the recipient through, so the person and the
auditor can see that the recipient is uncertified.
"""

from __future__ import annotations

from datetime import datetime

from ..decision import Reason
from ..facts import Action, Facts, RecipientFacts, Request
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
_CERTIFIED_CLAUSE_V1 = "認定指針 v1.0 提供先第三者の情報セキュリティ（Pマーク・ISMS）"
_CERTIFIED_CLAUSE_V2 = "認定指針 v2.0 提供先第三者の情報セキュリティ（Pマーク・ISMS・例外）"
_UNCERTIFIED_V1 = deny(
    _CERTIFIED,
    _CERTIFIED_CLAUSE_V1,
    "この提供先はプライバシーマークまたはISMS認証を有効期間内に保有していません。",
    "The recipient holds no Privacy Mark or ISMS certificate valid at this time.",
)
_UNCERTIFIED_V2 = deny(
    _CERTIFIED,
    _CERTIFIED_CLAUSE_V2,
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
    clause=_CERTIFIED_CLAUSE_V1,
    applies_to=_JUDGED,
    check=_check_certified_v1,
    summary="a pmark or isms certificate valid at `at`",
)
RECIPIENT_CERTIFIED_V2 = Rule(
    id=_CERTIFIED,
    since="1.0",
    revision="2.0",
    clause=_CERTIFIED_CLAUSE_V2,
    applies_to=_JUDGED,
    check=_check_certified_v2,
    summary="a pmark or isms certificate valid at `at`, or else recipient.exception",
)

# recipient.exception ---------------------------------------------------------------------

_EXCEPTION = "recipient.exception"
_EXCEPTION_CLAUSE = "認定指針 v2.0 例外類型（データ倫理審査会の承認）"
_ADMITTED_BY_EXCEPTION = note(
    _EXCEPTION,
    _EXCEPTION_CLAUSE,
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
    clause=_EXCEPTION_CLAUSE,
    applies_to=_JUDGED,
    check=_check_exception,
    summary="notes (allow) when an approved, unexpired exception replaces a certificate",
)

# recipient.standing ----------------------------------------------------------------------

_STANDING = "recipient.standing"
_STANDING_CLAUSE = "認定指針 v2.1 提供先第三者の選定（統制環境）"
_SUSPENDED = deny(
    _STANDING,
    _STANDING_CLAUSE,
    "この提供先は統制環境に問題があるため、提供を停止されています。",
    "The recipient is suspended because of problems with its control environment.",
)


def _check_standing(_request: Request, facts: Facts, _at: datetime, /) -> Reason | None:
    return _SUSPENDED if facts.recipient.suspended else None


RECIPIENT_STANDING = Rule(
    id=_STANDING,
    since="2.1",
    clause=_STANDING_CLAUSE,
    applies_to=ALL_ACTIONS,
    check=_check_standing,
    summary="the recipient is not suspended",
)
