"""Waking the worker when work is committed, instead of waiting for its next poll.

    a unit of work that enqueued a job or created or resumed a consent
      ──► marks its session (``mark_work``)
      ──► PostgreSQL: ``pg_notify('infobank_work')`` in the same transaction, delivered to
          every listening worker process only if the transaction commits
      ──► after commit: this process's workers wake at once (an in-process event)

A worker waits on ``Wakeup.wait(timeout)``; the timeout is the fallback poll, so a lost
notification (a listener reconnecting, a process started later) only delays work, never
loses it: every round still reads what is due from the tables.
"""

from __future__ import annotations

import logging
import threading

import psycopg
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

__all__ = ["CHANNEL", "Wakeup", "mark_work"]

CHANNEL = "infobank_work"
_WORK = "infobank_work_committed"

log = logging.getLogger("infobank.worker")


def mark_work(session: Session) -> None:
    """Say that this transaction, once committed, gives the worker something to do."""
    session.info[_WORK] = True


class Wakeup:
    """One per process: set by commits that made work, waited on by the worker loop."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._event = threading.Event()
        self._postgres = engine.dialect.name == "postgresql"
        self._listener: threading.Thread | None = None
        self._stop = threading.Event()

    def before_commit(self, session: Session) -> bool:
        """Called by the unit of work just before it commits; True if it made work."""
        made = bool(session.info.pop(_WORK, False))
        if made and self._postgres:
            session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})
        return made

    def notify(self) -> None:
        self._event.set()

    def wait(self, timeout: float) -> bool:
        """Block until woken or ``timeout`` seconds pass; True if woken. Clears the signal."""
        woken = self._event.wait(timeout)
        self._event.clear()
        return woken

    def listen(self) -> None:
        """On PostgreSQL, also wake on commits of other processes (``LISTEN``)."""
        if not self._postgres or self._listener is not None:
            return
        self._listener = threading.Thread(target=self._listen, name="infobank-wakeup", daemon=True)
        self._listener.start()

    def _listen(self) -> None:
        url = self._engine.url.set(drivername="postgresql")
        conninfo = url.render_as_string(hide_password=False)
        while not self._stop.is_set():
            try:
                with psycopg.connect(conninfo, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.notify()  # anything committed while not listening is due now
                    while not self._stop.is_set():
                        for _ in conn.notifies(timeout=1.0, stop_after=1):
                            self.notify()
            except psycopg.Error:
                log.warning("worker wake-up listener lost its connection; reconnecting")
                self._stop.wait(1.0)

    def close(self) -> None:
        self._stop.set()
        if self._listener is not None:
            self._listener.join(timeout=5)
            self._listener = None
