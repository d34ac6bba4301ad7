"""The output of a policy decision: a value, never an exception.

A refusal has two flavours, kept apart as the fides policy engine does:

- ``deny``: a *violation* — the facts are known and a rule forbids the provision.
- ``gap``: a *gap* — a fact or a piece of configuration the rule needs is missing (a category
  absent from the catalogue, a purpose without guard-rails, malformed facts). It denies too,
  but it points at the operator's set-up rather than at the recipient or the person.

``allow`` reasons are notes: a rule may add one when the way it passed matters (a recipient
admitted under an exception instead of a certificate), and ``decide(..., explain=True)`` adds
one for every rule that passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .frozen import quick_init
from .sources import Basis, Source

__all__ = ["Decision", "Outcome", "Reason"]


class Outcome(StrEnum):
    DENY = "deny"
    GAP = "gap"
    ALLOW = "allow"


@dataclass(frozen=True, slots=True)
class Reason:
    """Why one rule said what it said, in Japanese first and English, and on what basis.

    ``basis`` is usually the rule's own; a refusal that rests only on this bank's reading of
    its source (which conditions, which categories) carries that ``policy`` basis instead.
    """

    rule: str  # stable rule id, e.g. "recipient.certified"
    basis: Basis  # where the rule comes from (SPEC §4 source) and its basis in words
    outcome: Outcome
    message_ja: str
    message_en: str

    @property
    def refuses(self) -> bool:
        return self.outcome is not Outcome.ALLOW

    @property
    def source(self) -> Source:
        return self.basis.source

    @property
    def basis_ja(self) -> str:
        return self.basis.ja

    @property
    def basis_en(self) -> str:
        return self.basis.en


@quick_init
@dataclass(frozen=True, slots=True)
class Decision:
    """The verdict on one request: allowed iff no reason is a deny or a gap."""

    allowed: bool
    reasons: tuple[Reason, ...]
    version: str  # the guideline version whose rule pack decided

    @property
    def rules(self) -> tuple[str, ...]:
        """The ids of the rules that refused (deny or gap), in pipeline order."""
        return tuple(r.rule for r in self.reasons if r.outcome is not Outcome.ALLOW)

    @property
    def violations(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if r.outcome is Outcome.DENY)

    @property
    def gaps(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if r.outcome is Outcome.GAP)
