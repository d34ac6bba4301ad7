"""The port for ending the business (事業終了): the plan and each person's exit choice."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from infobank.domain.termination import ExitChoice, TerminationPlan

__all__ = ["TerminationBook"]


class TerminationBook(Protocol):
    def plan(self) -> TerminationPlan | None: ...

    def save_plan(self, plan: TerminationPlan) -> None: ...

    def choose(self, choice: ExitChoice) -> None: ...

    def choice(self, person_id: str) -> ExitChoice | None: ...

    def choices(self) -> list[ExitChoice]: ...

    def set_outcome(
        self, person_id: str, outcome: str, at: datetime, error: str | None = None
    ) -> None: ...

    def live_persons(self) -> list[str]: ...

    def scrub_person(self, person_id: str) -> None:
        """Blank what targeting kept in the clear (birth date, gender, prefecture)."""
        ...

    def purge_transient(self) -> None:
        """Drop what holds caller state only: idempotency keys, sessions, login failures."""
        ...
