"""The port for the version of the facts shared by every decision about an offer."""

from __future__ import annotations

from typing import Protocol

__all__ = ["PolicyState"]


class PolicyState(Protocol):
    def version(self) -> int:
        """Moves on whenever a recipient's standing or certificates, an exception, a joint
        application, a review or the terms change (in the transaction of the change)."""
        ...

    def changed(self) -> None: ...
