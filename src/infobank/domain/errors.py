"""Domain errors: what a use case can refuse, independent of HTTP, pages or exit codes.

    InfobankError                 base; carries a stable ``code``
     ├── NotFound                 the object does not exist *for this caller* (ownership included)
     ├── AuthenticationFailed     bad credentials or token (never says which part was wrong)
     ├── Forbidden                authenticated, but the role may not do this
     ├── RateLimited              too many failures; ``retry_after`` seconds
     ├── InvalidInput             the request is well-formed JSON but not acceptable
     ├── Conflict                 the state of the object does not allow it (e.g. already used)
     ├── Gone                     it existed and was withdrawn (revoked, shredded)
     ├── Busy                     a lock was not granted in time; nothing was written, retry
     │                            after ``retry_after`` seconds
     └── PolicyRefused            a guideline rule refused it; ``reasons`` name the rules

Entry points map each to a status code (404, 401, 403, 429, 422, 409, 410, 503, 403).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "AuthenticationFailed",
    "Busy",
    "Conflict",
    "Forbidden",
    "Gone",
    "InfobankError",
    "InvalidInput",
    "NotFound",
    "PolicyRefused",
    "PolicyViolation",
    "RateLimited",
    "RefusalReason",
]


class InfobankError(Exception):
    """``errors`` lists item-level problems (e.g. which records of a batch were refused)."""

    code = "error"

    def __init__(
        self,
        detail: str,
        *,
        code: str | None = None,
        errors: Sequence[Mapping[str, object]] = (),
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors: tuple[Mapping[str, object], ...] = tuple(errors)
        if code is not None:
            self.code = code


class NotFound(InfobankError):
    code = "not_found"


class AuthenticationFailed(InfobankError):
    code = "authentication_failed"


class Forbidden(InfobankError):
    code = "forbidden"


class RateLimited(InfobankError):
    code = "rate_limited"

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class InvalidInput(InfobankError):
    code = "validation_error"


class Conflict(InfobankError):
    code = "conflict"


class Gone(InfobankError):
    code = "gone"


class Busy(InfobankError):
    code = "busy"

    def __init__(self, detail: str, *, retry_after: int = 1) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class RefusalReason:
    """One rule's refusal, as shown to callers: ``{rule, message}``, the message in English,
    and where the rule comes from: its ``source`` (guideline, certification, mynaportal,
    policy) and its basis in Japanese and English (SPEC §4)."""

    rule: str
    message: str
    message_en: str = ""
    source: str = ""
    basis_ja: str = ""
    basis_en: str = ""


class PolicyRefused(InfobankError):
    code = "policy_refused"

    def __init__(
        self, detail: str, *, reasons: Sequence[RefusalReason], code: str | None = None
    ) -> None:
        super().__init__(detail, code=code)
        self.reasons: tuple[RefusalReason, ...] = tuple(reasons)


class PolicyViolation(PolicyRefused):
    """A request that breaks the guideline in itself (an offer beyond its purpose's
    guard-rails, a sensitive category): 422 with the refusing rules as ``reasons``."""

    code = "offer_refused"
