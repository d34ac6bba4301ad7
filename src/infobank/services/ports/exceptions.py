"""The port for exception types (例外類型) and the ethics board's approvals of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

__all__ = ["ExceptionApproval", "ExceptionType", "Exceptions"]


@dataclass(frozen=True, slots=True)
class ExceptionType:
    """例外類型 configured by the operator: what it admits and what evidence it needs."""

    code: str
    name_ja: str
    name_en: str
    description: str
    evidence_required: str
    created_by: str
    created_at: datetime
    retired_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ExceptionApproval:
    """The ethics board's approval of an exception for one recipient, until ``expires_at``."""

    id: str
    recipient_id: str
    type_code: str
    evidence: str
    minutes: str
    approved_by: str
    approved_at: datetime
    expires_at: datetime
    withdrawn_at: datetime | None = None


class Exceptions(Protocol):
    def add_type(self, kind: ExceptionType) -> None: ...

    def type(self, code: str) -> ExceptionType | None: ...

    def types(self) -> list[ExceptionType]: ...

    def retire_type(self, code: str, at: datetime) -> None: ...

    def approve(self, approval: ExceptionApproval) -> None: ...

    def get(self, approval_id: str) -> ExceptionApproval | None: ...

    def withdraw(self, approval_id: str, at: datetime) -> None: ...

    def for_recipient(self, recipient_id: str) -> list[ExceptionApproval]: ...

    def live_for_recipient(self, recipient_id: str) -> list[ExceptionApproval]:
        """Not withdrawn and of a type not retired, in one read (decisions call this)."""
        ...
