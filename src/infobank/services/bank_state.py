"""Whether the bank still takes on new business: once an operator has planned the end of the
business (事業終了), no offer is submitted or opened and no consent is given."""

from __future__ import annotations

from infobank.domain.errors import Conflict
from infobank.services.ports.unit_of_work import UnitOfWork

__all__ = ["refuse_if_closing"]


def refuse_if_closing(uow: UnitOfWork) -> None:
    """409 ``bank_terminating`` inside the caller's transaction once termination is planned."""
    plan = uow.termination.plan()
    if plan is not None:
        raise Conflict(
            "情報銀行は事業終了の手続き中のため、新しいオファーや同意は受け付けていません。"
            f" / The bank is closing (deadline {plan.deadline.date().isoformat()}): "
            "no new offers or consents are taken.",
            code="bank_terminating",
        )
