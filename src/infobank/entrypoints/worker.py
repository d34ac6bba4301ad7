"""The background worker's run loop, shared by ``infobank worker`` and the in-process worker of
``serve``: one round after another until told to stop."""

from __future__ import annotations

import logging
import threading

from infobank.bootstrap import Bank
from infobank.services.worker import run_once

__all__ = ["run_forever", "start_thread"]

log = logging.getLogger("infobank.worker")


def run_forever(bank: Bank, stop: threading.Event, interval_s: float = 2.0) -> None:
    ctx = bank.context
    sender = bank.webhook_sender()
    try:
        while not stop.is_set():
            try:
                done = run_once(ctx, sender)
                if any(done.values()):
                    log.info("worker round: %s", done)
            except Exception:  # one bad round must not stop deliveries for everyone
                log.exception("worker round failed")
            stop.wait(interval_s)
    finally:
        sender.close()


def start_thread(bank: Bank) -> tuple[threading.Thread, threading.Event]:
    stop = threading.Event()
    thread = threading.Thread(
        target=run_forever, args=(bank, stop), name="infobank-worker", daemon=True
    )
    thread.start()
    return thread, stop
