"""Webhooks go out concurrently: a slow recipient delays only itself, no recipient gets more
calls at once than allowed, and a commit that makes work wakes the worker at once."""

from __future__ import annotations

import threading
import time
from collections import Counter

from infobank.bootstrap import Bank
from infobank.entrypoints.worker import start_thread
from infobank.services import consents
from infobank.services.webhooks import Webhooks
from infobank.services.worker import run_once
from tests.support import worlds

SLOW = "https://slow.example/hook"


class GatedWebhooks:
    """Fast recipients answer at once; the slow one answers only when ``release`` is set.
    Counts calls in flight per URL."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.received: list[str] = []
        self.in_flight: Counter[str] = Counter()
        self.most_at_once: Counter[str] = Counter()
        self._lock = threading.Lock()

    def post(self, url: str, body: str) -> int:
        with self._lock:
            self.in_flight[url] += 1
            self.most_at_once[url] = max(self.most_at_once[url], self.in_flight[url])
        try:
            if url == SLOW:
                self.release.wait(30)
            else:
                time.sleep(0.01)
            with self._lock:
                self.received.append(url)
            return 204
        finally:
            with self._lock:
                self.in_flight[url] -= 1

    def fast_count(self) -> int:
        with self._lock:
            return sum(1 for url in self.received if url != SLOW)


def _revoked_worlds(bank: Bank, fast: int, slow_notices: int) -> None:
    staff = worlds.team(bank)
    slow = worlds.world(bank, staff, persons=slow_notices, webhook=SLOW)
    for consent, person in zip(slow.consents, slow.persons, strict=True):
        consents.change_status(bank.context, person, consent, "revoke")
    for i in range(fast):
        world = worlds.world(bank, staff, persons=1, webhook=f"https://fast-{i}.example/hook")
        consents.change_status(bank.context, world.persons[0], world.consents[0], "revoke")


def _wait_for(condition: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.01)
    return False


def test_a_slow_recipient_delays_only_its_own_notices(bank: Bank) -> None:
    _revoked_worlds(bank, fast=6, slow_notices=3)
    hooks = GatedWebhooks()
    webhooks = Webhooks(bank.context, hooks, concurrency=4, per_recipient=1)
    try:
        run_once(bank.context, webhooks=webhooks)

        everyone_else_served = _wait_for(lambda: hooks.fast_count() == 6, 10)
        slow_still_waiting = not hooks.release.is_set() and SLOW not in hooks.received
    finally:
        hooks.release.set()
        webhooks.wait()
        webhooks.close()

    assert everyone_else_served and slow_still_waiting
    assert hooks.most_at_once[SLOW] == 1  # its limit: the other notices waited for their turn


def test_every_notice_is_delivered_once_the_slow_recipient_answers(bank: Bank) -> None:
    _revoked_worlds(bank, fast=2, slow_notices=3)
    hooks = GatedWebhooks()
    hooks.release.set()

    sent = 0
    for _ in range(5):  # rounds back to back, as the worker loop drains
        sent += run_once(bank.context, hooks)["webhooks"]

    assert sent == 5
    assert Counter(hooks.received) == Counter(
        {SLOW: 3, "https://fast-0.example/hook": 1, "https://fast-1.example/hook": 1}
    )
    with bank.context.read() as uow:
        assert uow.jobs.pending("webhook") == 0


def test_a_commit_that_makes_work_wakes_the_worker_at_once(bank: Bank) -> None:
    """The worker polls only every 60 s here, so a notice within seconds means it was woken."""
    staff = worlds.team(bank)
    world = worlds.world(bank, staff, persons=1, webhook="https://fast-0.example/hook")
    hooks = GatedWebhooks()
    slow_poll = bank.settings.model_copy(update={"worker_poll_s": 60.0})
    thread, stop = start_thread(_with_settings(bank, slow_poll), hooks)
    try:
        idle = _wait_for(lambda: False, 0.5)  # let the first rounds drain the build
        consents.change_status(bank.context, world.persons[0], world.consents[0], "revoke")
        woken = _wait_for(lambda: hooks.fast_count() == 1, 10)
    finally:
        stop.set()
        bank.wakeup.notify()
        thread.join(timeout=10)

    assert not idle and woken
    assert not thread.is_alive()


def _with_settings(bank: Bank, settings: object) -> Bank:
    from dataclasses import replace

    return replace(bank, settings=settings)
