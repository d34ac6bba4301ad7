"""Webhook delivery to recipients: revocation and expiry notices, sent concurrently.

    worker round ──► lease due webhook jobs, leaving out recipients already at their limit
                 ──► Webhooks.submit: one thread per call, at most ``concurrency`` at once and
                     ``per_recipient`` to one recipient
                 ──► each call: POST the signed notice; 2xx marks it delivered, anything else
                     is retried with exponential backoff (``run_at`` pushed ahead)

A slow or dead recipient holds only its own slots until its timeout: every other recipient's
notices go out meanwhile. A job is leased (its ``run_at`` pushed past the lease) before the
call, so a crashed worker's job comes back when the lease lapses and two workers never send
the same job at once. The notice is at-least-once: a worker killed after the recipient
answered but before the answer was recorded sends it again, and recipients deduplicate by
the notice's consent id.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from datetime import timedelta

from infobank.services.context import Context
from infobank.services.ports.webhooks import WebhookSender

__all__ = ["LEASE", "MAX_BACKOFF", "Webhooks", "send_one"]

LEASE = timedelta(seconds=120)
MAX_BACKOFF = timedelta(hours=1)

log = logging.getLogger("infobank.worker")


def _backoff(attempts: int) -> timedelta:
    return min(timedelta(seconds=5 * 2 ** min(attempts, 20)), MAX_BACKOFF)


def send_one(ctx: Context, sender: WebhookSender, job_id: int, revocation_id: str) -> None:
    """Send one leased notice and record the outcome (delivered, or a retry with backoff)."""
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


class Webhooks:
    """The calls in flight. ``submit`` returns at once; ``wait`` blocks until all are done."""

    def __init__(
        self,
        ctx: Context,
        sender: WebhookSender,
        *,
        concurrency: int = 8,
        per_recipient: int = 2,
        on_done: Callable[[], None] | None = None,
    ) -> None:
        self._ctx = ctx
        self._sender = sender
        self._per_recipient = per_recipient
        self._on_done = on_done
        self._pool = ThreadPoolExecutor(concurrency, thread_name_prefix="infobank-webhook")
        self._lock = threading.Lock()
        self._in_flight: Counter[str] = Counter()
        self._futures: set[Future[None]] = set()

    @property
    def per_recipient(self) -> int:
        return self._per_recipient

    def in_flight(self) -> dict[str, int]:
        """Calls in flight per recipient, so a round leases no more than each may take."""
        with self._lock:
            return dict(self._in_flight)

    def submit(self, job_id: int, revocation_id: str, recipient_id: str) -> None:
        with self._lock:
            self._in_flight[recipient_id] += 1
        future = self._pool.submit(send_one, self._ctx, self._sender, job_id, revocation_id)
        with self._lock:
            self._futures.add(future)
        future.add_done_callback(lambda done: self._finished(done, recipient_id))

    def _finished(self, future: Future[None], recipient_id: str) -> None:
        failure = future.exception()
        if failure is not None:  # the job's lease lapses and it is tried again
            log.error("sending a webhook failed", exc_info=failure)
        with self._lock:
            self._futures.discard(future)
            self._in_flight[recipient_id] -= 1
            if self._in_flight[recipient_id] <= 0:
                del self._in_flight[recipient_id]
        if self._on_done is not None:
            self._on_done()  # the recipient may have more waiting

    def wait(self) -> None:
        with self._lock:
            pending = set(self._futures)
        wait(pending)
        for future in pending:
            future.result()  # the first failure (or a simulated crash) surfaces to the caller

    def close(self) -> None:
        self._pool.shutdown(wait=True)
