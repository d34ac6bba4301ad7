"""The end of the business (事業終了時の扱い) and moving banks (情報銀行間連携).

    plan ──► planned: no new offers or consents (409 bank_terminating); every person told the
             deadline and the choices: export (download), transfer (to another bank), delete
    run  ──► running: every consent revoked (signed notices to recipients), transfers carried
             out, everyone else's data key destroyed (crypto-shredding)
         ──► completed: a final leaf and a final signed tree head

A transfer that fails leaves its person untouched, so a later ``run`` can try again; the run is
complete only when no one's data is left.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

__all__ = ["EXIT_CHOICES", "ExitChoice", "TerminationPlan"]

EXIT_CHOICES = ("export", "transfer", "delete")


@dataclass(frozen=True, slots=True)
class TerminationPlan:
    planned_at: datetime
    planned_by: str
    deadline: datetime
    status: str  # planned | running | completed
    counts: dict[str, Any]
    started_at: datetime | None = None
    completed_at: datetime | None = None
    final_tree_size: int | None = None


@dataclass(frozen=True, slots=True)
class ExitChoice:
    """What a person chose to happen to their data when the bank closes."""

    person_id: str
    choice: str
    target_url: str | None
    chosen_at: datetime
    outcome: str | None = None  # transferred | deleted | failed
    outcome_at: datetime | None = None
    error: str | None = None
