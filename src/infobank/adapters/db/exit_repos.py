"""SQLAlchemy repositories for the end of the business (事業終了) and transfers between banks."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from infobank.adapters.db import models as m
from infobank.adapters.db import models_loop as t
from infobank.adapters.db import models_ops as o
from infobank.adapters.db import models_web as w
from infobank.domain.identity import Gender
from infobank.domain.termination import ExitChoice, TerminationPlan
from infobank.domain.transfers import IncomingTransfer, OutgoingTransfer

__all__ = ["SqlAlchemyTermination", "SqlAlchemyTransfers"]

_PLAN_ID = 1
# What a scrubbed person row keeps in the columns targeting reads: nothing about them.
_SCRUBBED = {"birth_date": date(1900, 1, 1), "gender": Gender.UNSPECIFIED.value, "prefecture": "00"}


def _choice(row: o.ExitChoiceRow) -> ExitChoice:
    return ExitChoice(
        person_id=row.person_id,
        choice=row.choice,
        target_url=row.target_url,
        chosen_at=row.chosen_at,
        outcome=row.outcome,
        outcome_at=row.outcome_at,
        error=row.error,
    )


class SqlAlchemyTermination:
    def __init__(self, session: Session) -> None:
        self.session = session

    def plan(self) -> TerminationPlan | None:
        row = self.session.get(o.BankTerminationRow, _PLAN_ID)
        if row is None:
            return None
        return TerminationPlan(
            planned_at=row.planned_at,
            planned_by=row.planned_by,
            deadline=row.deadline,
            status=row.status,
            counts=dict(row.counts),
            started_at=row.started_at,
            completed_at=row.completed_at,
            final_tree_size=row.final_tree_size,
        )

    def save_plan(self, plan: TerminationPlan) -> None:
        row = self.session.get(o.BankTerminationRow, _PLAN_ID, with_for_update=True)
        if row is None:
            row = o.BankTerminationRow(id=_PLAN_ID)
            self.session.add(row)
        row.planned_at, row.planned_by, row.deadline = (
            plan.planned_at,
            plan.planned_by,
            plan.deadline,
        )
        row.status, row.counts = plan.status, dict(plan.counts)
        row.started_at, row.completed_at = plan.started_at, plan.completed_at
        row.final_tree_size = plan.final_tree_size
        self.session.flush()

    def choose(self, choice: ExitChoice) -> None:
        row = self.session.get(o.ExitChoiceRow, choice.person_id)
        if row is None:
            row = o.ExitChoiceRow(person_id=choice.person_id)
            self.session.add(row)
        row.choice, row.target_url, row.chosen_at = (
            choice.choice,
            choice.target_url,
            choice.chosen_at,
        )
        row.outcome, row.outcome_at, row.error = None, None, None

    def choice(self, person_id: str) -> ExitChoice | None:
        row = self.session.get(o.ExitChoiceRow, person_id)
        return _choice(row) if row else None

    def choices(self) -> list[ExitChoice]:
        rows = self.session.scalars(select(o.ExitChoiceRow).order_by(o.ExitChoiceRow.chosen_at))
        return [_choice(r) for r in rows]

    def set_outcome(
        self, person_id: str, outcome: str, at: datetime, error: str | None = None
    ) -> None:
        row = self.session.get(o.ExitChoiceRow, person_id)
        if row is None:
            row = o.ExitChoiceRow(person_id=person_id, choice="none", chosen_at=at)
            self.session.add(row)
        row.outcome, row.outcome_at, row.error = outcome, at, error

    def live_persons(self) -> list[str]:
        return list(
            self.session.scalars(
                select(m.Person.id).where(m.Person.deleted_at.is_(None)).order_by(m.Person.id)
            )
        )

    def scrub_person(self, person_id: str) -> None:
        self.session.execute(update(m.Person).where(m.Person.id == person_id).values(**_SCRUBBED))
        self.session.execute(delete(t.DelegationRow).where(t.DelegationRow.person_id == person_id))

    def purge_transient(self) -> None:
        self.session.execute(delete(t.IdempotencyRow))
        self.session.execute(delete(w.WebSessionRow))
        self.session.execute(delete(m.LoginFailure))


def _outgoing(row: o.TransferOutRow) -> OutgoingTransfer:
    return OutgoingTransfer(
        id=row.id,
        person_id=row.person_id,
        target_url=row.target_url,
        status=row.status,
        created_at=row.created_at,
        record_count=row.record_count,
        consent_count=row.consent_count,
        remote_id=row.remote_id,
        error=row.error,
        sent_at=row.sent_at,
    )


def _incoming(row: o.TransferInRow) -> IncomingTransfer:
    return IncomingTransfer(
        id=row.id,
        transfer_ref=row.transfer_ref,
        issuer=row.issuer,
        sender_kid=row.sender_kid,
        sender_jwks=dict(row.sender_jwks),
        email_lookup=row.email_lookup,
        bundle=row.bundle,
        status=row.status,
        received_at=row.received_at,
        expires_at=row.expires_at,
        record_count=row.record_count,
        consent_count=row.consent_count,
        person_id=row.person_id,
        imported_at=row.imported_at,
        history_enc=row.history_enc,
    )


class SqlAlchemyTransfers:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_outgoing(self, transfer: OutgoingTransfer) -> None:
        self.session.add(
            o.TransferOutRow(
                id=transfer.id,
                person_id=transfer.person_id,
                target_url=transfer.target_url,
                status=transfer.status,
                record_count=transfer.record_count,
                consent_count=transfer.consent_count,
                created_at=transfer.created_at,
            )
        )

    def finish_outgoing(
        self,
        transfer_id: str,
        status: str,
        at: datetime,
        *,
        remote_id: str | None = None,
        error: str | None = None,
    ) -> None:
        self.session.execute(
            update(o.TransferOutRow)
            .where(o.TransferOutRow.id == transfer_id)
            .values(
                status=status,
                sent_at=at if status == "sent" else None,
                remote_id=remote_id,
                error=None if error is None else error[:2000],
            )
        )

    def outgoing(self, person_id: str) -> list[OutgoingTransfer]:
        rows = self.session.scalars(
            select(o.TransferOutRow)
            .where(o.TransferOutRow.person_id == person_id)
            .order_by(o.TransferOutRow.created_at)
        )
        return [_outgoing(r) for r in rows]

    def add_incoming(self, transfer: IncomingTransfer) -> bool:
        values = {
            name: getattr(transfer, name) for name in o.TransferInRow.__table__.columns.keys()
        }
        try:
            with self.session.begin_nested():
                self.session.add(o.TransferInRow(**values))
                self.session.flush()
        except IntegrityError:
            return False
        return True

    def incoming(self, transfer_id: str, *, for_update: bool = False) -> IncomingTransfer | None:
        query = select(o.TransferInRow).where(o.TransferInRow.id == transfer_id)
        row = self.session.scalar(query.with_for_update() if for_update else query)
        return _incoming(row) if row else None

    def incoming_by_ref(self, transfer_ref: str) -> IncomingTransfer | None:
        row = self.session.scalar(
            select(o.TransferInRow).where(o.TransferInRow.transfer_ref == transfer_ref)
        )
        return _incoming(row) if row else None

    def incoming_for(self, email_lookup: str, person_id: str) -> list[IncomingTransfer]:
        i = o.TransferInRow
        rows = self.session.scalars(
            select(i)
            .where(
                ((i.status == "pending") & (i.email_lookup == email_lookup))
                | (i.person_id == person_id)
            )
            .order_by(i.received_at)
        )
        return [_incoming(r) for r in rows]

    def mark_imported(
        self, transfer_id: str, person_id: str, at: datetime, history_enc: bytes
    ) -> None:
        self.session.execute(
            update(o.TransferInRow)
            .where(o.TransferInRow.id == transfer_id)
            .values(
                status="imported",
                person_id=person_id,
                imported_at=at,
                history_enc=history_enc,
                bundle=None,
            )
        )

    def expire_incoming(self, before: datetime | None) -> int:
        query = update(o.TransferInRow).where(o.TransferInRow.status == "pending")
        if before is not None:
            query = query.where(o.TransferInRow.expires_at <= before)
        result = self.session.execute(query.values(status="expired", bundle=None))
        return int(getattr(result, "rowcount", 0) or 0)
