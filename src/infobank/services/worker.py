"""The background worker. One round, in order:

    consent life (post-dated starts, expiries with notices, expiry warnings, 90-day reminders)
    ─► Mynaportal links past their 90-day window ─► due deliveries ─► revocation and expiry
    webhooks ─► idempotency keys past 24 h ─► the daily usage snapshot ─► a signed tree head
    when the log grew

Each step commits on its own, so a crash in one loses nothing the others did.

Webhook jobs are leased (their ``run_at`` pushed ahead) before the HTTP call, so a crashed
worker's job comes back when the lease lapses, and concurrent workers never send the same job
at once. A failed call is retried with exponential backoff until the recipient answers 2xx.
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
)
from infobank.services.context import Context
from infobank.services.ports.webhooks import WebhookSender

__all__ = ["run_once"]

LEASE = timedelta(seconds=120)

MAX_BACKOFF = timedelta(hours=1)


def _backoff(attempts: int) -> timedelta:
    return min(timedelta(seconds=5 * 2 ** min(attempts, 20)), MAX_BACKOFF)


def _send_webhook(ctx: Context, sender: WebhookSender, job_id: int, revocation_id: str) -> None:
    with ctx.read() as uow:
        revocation = uow.revocations.get(revocation_id)
        url = uow.endpoints.webhook(revocation.recipient_id) if revocation else None
    if revocation is None or url is None or revocation.webhook_delivered_at is not None:
        with ctx.uow() as uow:  # nothing to send: the API list remains the channel
            uow.jobs.done(job_id, ctx.clock.now())
            uow.commit()
        return
    try:
        status = sender.post(url, revocation.notice)
        error = None if 200 <= status < 300 else f"HTTP {status}"
    except Exception as exc:  # network errors are retried, never fatal to the worker
        error = f"{type(exc).__name__}: {exc}"
    now = ctx.clock.now()
    with ctx.uow() as uow:
        if error is None:
            uow.revocations.webhook_delivered(revocation_id, now)
            uow.jobs.done(job_id, now)
        else:
            attempts = uow.jobs.attempts(job_id)
            uow.jobs.failed(job_id, error, now + _backoff(attempts))
        uow.commit()


def run_once(ctx: Context, sender: WebhookSender, *, limit: int = 50) -> dict[str, int]:
    """One round of work; returns what was done (for logs and tests)."""
    life = consent_life.sweep(ctx, limit)  # starts and expiries first: they change what is due
    life["mynaportal_expired"] = mynaportal_retrieval.expire_due(ctx, limit)
    built = deliveries.build_due(ctx, limit)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        leased = uow.jobs.lease(now, now + LEASE, limit)
        if leased:
            uow.commit()
    sent = 0
    for job_id, kind, payload in leased:
        if kind == "webhook":
            _send_webhook(ctx, sender, job_id, str(payload["revocation_id"]))
            sent += 1
    idempotency.purge(ctx)
    daily.run_if_new_day(ctx)  # usage snapshot and expired transfer bundles, once a day
    interval = timedelta(seconds=ctx.limits.log_head_interval_s)
    headed = log_heads.sign_if_due(ctx, interval) is not None
    return {"built": built, "webhooks": sent, "heads": int(headed), **life}
