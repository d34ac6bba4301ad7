"""The worker's once-a-day step: when a new day (JST) begins, snapshot the usage counts and
drop transfer bundles that waited too long for their person. Other rounds only read."""

from __future__ import annotations

from infobank.services import transfers, usage
from infobank.services.context import Context

__all__ = ["run_if_new_day"]


def run_if_new_day(ctx: Context) -> bool:
    """True on the round that began a new day."""
    if not usage.snapshot_if_new_day(ctx):
        return False
    transfers.expire_pending(ctx)
    return True
