"""The repository for ending the business: the plan and persons' exit choices."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from infobank.adapters.db import models as m
from infobank.domain.identity import Gender
from infobank.domain.termination import ExitChoice, TerminationPlan

__all__ = ["SqlAlchemyTermination"]

_PLAN_ID = 1

# What a scrubbed person row keeps in the columns targeting reads: nothing about them.
_SCRUBBED = {"birth_date": date(1900, 1, 1), "gender": Gender.UNSPECIFIED.value, "prefecture": "00"}


def _choice(row: m.ExitChoiceRow) -> ExitChoice:
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
        row = self.session.get(m.BankTerminationRow, _PLAN_ID)
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
        row = self.session.get(m.BankTerminationRow, _PLAN_ID, with_for_update=True)
        if row is None:
            row = m.BankTerminationRow(id=_PLAN_ID)
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
        row = self.session.get(m.ExitChoiceRow, choice.person_id)
        if row is None:
            row = m.ExitChoiceRow(person_id=choice.person_id)
            self.session.add(row)
        row.choice, row.target_url, row.chosen_at = (
            choice.choice,
            choice.target_url,
            choice.chosen_at,
        )
        row.outcome, row.outcome_at, row.error = None, None, None

    def choice(self, person_id: str) -> ExitChoice | None:
        row = self.session.get(m.ExitChoiceRow, person_id)
        return _choice(row) if row else None

    def choices(self) -> list[ExitChoice]:
        rows = self.session.scalars(select(m.ExitChoiceRow).order_by(m.ExitChoiceRow.chosen_at))
        return [_choice(r) for r in rows]

    def set_outcome(
        self, person_id: str, outcome: str, at: datetime, error: str | None = None
    ) -> None:
        row = self.session.get(m.ExitChoiceRow, person_id)
        if row is None:
            row = m.ExitChoiceRow(person_id=person_id, choice="none", chosen_at=at)
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
        self.session.execute(delete(m.DelegationRow).where(m.DelegationRow.person_id == person_id))

    def purge_transient(self) -> None:
        self.session.execute(delete(m.IdempotencyRow))
        self.session.execute(delete(m.WebSessionRow))
        self.session.execute(delete(m.LoginFailure))
