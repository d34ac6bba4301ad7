"""The background worker's run loop, shared by ``infobank worker`` and the in-process worker of
``serve``: rounds back to back while they find work, then a wait that a commit which made
work ends at once (``Bank.wakeup``; on PostgreSQL also other processes' commits), with
``worker_poll_s`` as the fallback."""

from __future__ import annotations

import logging
import threading

from infobank.bootstrap import Bank
from infobank.services.ports.webhooks import WebhookSender
from infobank.services.webhooks import Webhooks
from infobank.services.worker import run_once

__all__ = ["run_forever", "start_thread"]

log = logging.getLogger("infobank.worker")


def run_forever(bank: Bank, stop: threading.Event, sender: WebhookSender | None = None) -> None:
    """Work until ``stop`` is set (and the wake-up notified); ``sender`` replaces the HTTP
    webhook sender (tests)."""
    ctx, settings = bank.context, bank.settings
    own_sender = bank.webhook_sender() if sender is None else None
    sender = sender or own_sender
    assert sender is not None
    webhooks = Webhooks(
        ctx,
        sender,
        concurrency=settings.webhook_concurrency,
        per_recipient=settings.webhook_per_recipient,
        on_done=bank.wakeup.notify,  # a recipient with more notices waiting is free again
    )
    bank.wakeup.listen()
    try:
        while not stop.is_set():
            try:
                done = run_once(ctx, webhooks=webhooks)
                if any(done.values()):
                    log.info("worker round: %s", done)
                    continue  # more may be due: drain before waiting
            except Exception:  # one bad round must not stop deliveries for everyone
                log.exception("worker round failed")
            bank.wakeup.wait(settings.worker_poll_s)
    finally:
        webhooks.close()
        if own_sender is not None:
            own_sender.close()


def start_thread(
    bank: Bank, sender: WebhookSender | None = None
) -> tuple[threading.Thread, threading.Event]:
    """The worker in a thread of this process; set the event and ``bank.wakeup.notify()``
    to stop it."""
    stop = threading.Event()
    thread = threading.Thread(
        target=run_forever, args=(bank, stop, sender), name="infobank-worker", daemon=True
    )
    thread.start()
    return thread, stop
