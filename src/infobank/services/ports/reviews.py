"""The port for the data ethics board's decisions on offers (倫理審査)."""

from __future__ import annotations

from typing import Protocol

from infobank.domain.reviews import Review

__all__ = ["Reviews"]


class Reviews(Protocol):
    def add(self, review: Review) -> None:
        """Record a decision; the policy facts' version moves on with it."""

    def for_offer(self, offer_id: str) -> list[Review]:
        """The offer's decisions, oldest first (the last one is in force)."""
        ...
