"""The background worker. One round, in order:

    consent life (post-dated starts, expiries with notices, expiry warnings, 90-day reminders)
    ─► Mynaportal links past their 90-day window ─► due deliveries ─► revocation and expiry
    webhooks (sent concurrently, see ``webhooks``) ─► idempotency keys past 24 h ─► the daily
    usage snapshot ─► a signed tree head when the log grew

Each step commits on its own, so a crash in one loses nothing the others did. Each step takes
at most ``limit`` items; the worker loop runs rounds back to back while they find work, so
everything due is drained, and several worker processes share it (rows are locked with
``SKIP LOCKED`` on PostgreSQL, and every step re-checks under the lock).
"""

from __future__ import annotations

from datetime import timedelta

from infobank.services import (
    consent_life,
    daily,
    deliveries,
    idempotency,
    log_heads,
    mynaportal_retrieval,
    offers,
)
from infobank.services.context import Context
from infobank.services.ports.webhooks import WebhookSender
from infobank.services.webhooks import LEASE, MAX_BACKOFF, Webhooks

__all__ = ["LEASE", "MAX_BACKOFF", "run_once"]


def run_once(
    ctx: Context,
    sender: WebhookSender | None = None,
    *,
    limit: int = 200,
    webhooks: Webhooks | None = None,
) -> dict[str, int]:
    """One round of work; returns what was done (for logs and tests).

    With a long-lived ``webhooks`` (the worker loop's) the calls it starts go on after the
    round; with only a ``sender`` the round sends concurrently and waits for every call."""
    own = webhooks is None
    if webhooks is None:
        if sender is None:
            raise ValueError("run_once needs a sender or a running Webhooks")
        webhooks = Webhooks(ctx, sender)
    try:
        life = consent_life.sweep(ctx, limit)  # starts and expiries first: they change what's due
        life["mynaportal_expired"] = mynaportal_retrieval.expire_due(ctx, limit)
        life["openings_resumed"] = offers.resume_openings(ctx)
        built = deliveries.build_due(ctx, limit)
        now = ctx.clock.now()
        with ctx.uow() as uow:
            leased = uow.jobs.lease_webhooks(
                now,
                now + timedelta(seconds=ctx.limits.webhook_lease_s),
                limit,
                in_flight=webhooks.in_flight(),
                per_recipient=webhooks.per_recipient,
            )
            if leased:
                uow.commit()
        for job_id, revocation_id, recipient_id in leased:
            webhooks.submit(job_id, revocation_id, recipient_id)
        idempotency.purge(ctx)
        daily.run_if_new_day(ctx)  # usage snapshot and expired transfer bundles, once a day
        interval = timedelta(seconds=ctx.limits.log_head_interval_s)
        headed = log_heads.sign_if_due(ctx, interval) is not None
    finally:
        if own:
            webhooks.wait()
            webhooks.close()
    return {"built": built, "webhooks": len(leased), "heads": int(headed), **life}
