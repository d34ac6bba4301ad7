"""Crash safety of the trust loop (SPEC §9): the worker or a request dies at any commit —
just before it, or just after it and before anything else happens — and after a restart no
package is lost or doubled, every benefit is credited exactly once, and the recipient still
gets its revocation notice. A webhook endpoint that is down and comes back gets the notice."""

from __future__ import annotations

import socket
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from infobank.adapters.db import models as t
from infobank.adapters.webhooks import HttpxWebhookSender
from infobank.bootstrap import Bank
from infobank.domain.errors import Conflict
from infobank.domain.pages import PageRequest
from infobank.services import benefits, consents, deliveries
from infobank.services.context import Context
from infobank.services.ports.unit_of_work import UnitOfWork
from infobank.services.worker import LEASE, MAX_BACKOFF, run_once
from tests.fakes import FakeClock, RecordingWebhooks
from tests.support import trust, worlds

EVERY = PageRequest(limit=200)


class _Crash(BaseException):
    """The process dies: nothing after this point runs (a BaseException, like SystemExit)."""


class _CrashAt:
    """A unit-of-work factory that dies at the ``at``-th commit, before or after it lands."""

    def __init__(self, factory: Callable[[], UnitOfWork], at: int, after: bool) -> None:
        self.factory = factory
        self.at = at
        self.after = after
        self.commits = 0

    def __call__(self) -> UnitOfWork:
        uow = self.factory()
        real_commit = uow.commit

        def commit() -> None:
            self.commits += 1
            if self.commits == self.at and not self.after:
                raise _Crash
            real_commit()
            if self.commits == self.at and self.after:
                raise _Crash

        uow.commit = commit  # type: ignore[method-assign]
        return uow


def _steps(world: worlds.World, hooks: RecordingWebhooks) -> list[Callable[[Context], object]]:
    """What the worker and the recipient do, each step safe to repeat as a client would."""
    rid = world.recipient

    def fetch_and_ack(ctx: Context) -> None:
        for d in deliveries.list_deliveries(ctx, rid, None, EVERY).items:
            if d.status in ("ready", "fetched"):
                deliveries.fetch(ctx, rid, d.id)
                deliveries.acknowledge(ctx, rid, d.id)

    def revoke_first(ctx: Context) -> None:
        try:
            consents.change_status(ctx, world.persons[0], world.consents[0], "revoke")
        except Conflict:  # it had landed before the crash: the person sees it revoked
            pass

    def ack_revocations(ctx: Context) -> None:
        for r in deliveries.list_revocations(ctx, rid, EVERY).items:
            deliveries.acknowledge_revocation(ctx, rid, r.id, "deleted")

    return [
        lambda ctx: run_once(ctx, hooks),
        fetch_and_ack,
        revoke_first,
        lambda ctx: run_once(ctx, hooks),
        ack_revocations,
    ]


def _play(
    bank: Bank, clock: FakeClock, world: worlds.World, hooks: RecordingWebhooks, crash: _CrashAt
) -> bool:
    """Run the steps with the crashing factory; after a crash, restart with a sound one,
    repeat the interrupted step and finish. Returns whether a crash happened."""
    crashing = replace(bank.context, uow=crash)
    crashed = False
    for step in _steps(world, hooks):
        if not crashed:
            try:
                step(crashing)
                continue
            except _Crash:
                crashed = True
        step(bank.context)
    # The restarted worker: leases taken by the dead one lapse, then everything is sent.
    clock.advance(seconds=LEASE.total_seconds() + 1)
    run_once(bank.context, hooks)
    _steps(world, hooks)[-1](bank.context)
    return crashed


def _check(bank: Bank, world: worlds.World, hooks: RecordingWebhooks) -> None:
    rid = world.recipient
    packages = deliveries.list_deliveries(bank.context, rid, None, EVERY).items
    per_consent = Counter(d.consent_id for d in packages)
    assert per_consent == Counter(world.consents), "a package was lost or doubled"
    assert all(d.status == "acknowledged" for d in packages)
    for person in world.persons:
        balance, entries = benefits.statement(bank.context, person)
        assert (balance, len(entries)) == (300, 1), "a benefit was lost or credited twice"
    revocations = deliveries.list_revocations(bank.context, rid, EVERY).items
    assert len(revocations) == 1 and revocations[0].webhook_delivered_at is not None
    assert revocations[0].notice in hooks.received
    assert revocations[0].ack_method == "deleted"
    with bank.context.uow() as uow:
        leaves = uow.session.scalars(select(t.LogLeafRow.leaf)).all()
    mine = [leaf for leaf in leaves if any(c in leaf for c in world.consents)]
    events = Counter(leaf.split('"event":"')[1].split('"')[0] for leaf in mine)
    assert events["delivery.built"] == 3 and events["delivery.acknowledged"] == 3
    assert events["consent.revoked"] == 1 and events["revocation.acknowledged"] == 1


def test_a_crash_at_any_commit_loses_and_doubles_nothing(
    bank: Bank, clock: FakeClock, request: pytest.FixtureRequest
) -> None:
    """Crash at the 1st, 2nd, ... commit of the run, before and after it, until a run
    finishes without reaching the chosen commit (every commit has then been tried)."""
    team = worlds.team(bank)
    # Every commit on SQLite; on PostgreSQL every third one (the code paths are the same).
    stride = 1 if "sqlite" in request.node.callspec.id else 3
    at, crashes = 1, 0
    while at < 100:
        crashed = 0
        for after in (False, True):
            world = worlds.world(bank, team, webhook=_HOOK)
            hooks = RecordingWebhooks()
            crashed += _play(bank, clock, world, hooks, _CrashAt(bank.context.uow, at, after))
            _check(bank, world, hooks)
        if not crashed:
            break
        crashes += crashed
        at += stride
    assert crashes >= 2 * (10 // stride)  # at least ten commit positions, both ways


_HOOK = "https://recipient.example/hooks"


# --- a webhook endpoint that is down, then answers errors, then comes back ---------------


class _Flaky(BaseHTTPRequestHandler):
    answers: list[int] = []
    received: list[bytes] = []

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        status = type(self).answers.pop(0) if type(self).answers else 204
        if status < 300:
            type(self).received.append(body)
        self.send_response(status)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def sender() -> Iterator[HttpxWebhookSender]:
    http = HttpxWebhookSender()
    yield http
    http.close()


def test_a_webhook_endpoint_that_comes_back_gets_the_notice(
    client: TestClient,
    bank: Bank,
    clock: FakeClock,
    free_port: int,
    sender: HttpxWebhookSender,
) -> None:
    team = trust.staff(bank)
    url = f"http://127.0.0.1:{free_port}/hooks"
    recipient = trust.recipient(client, team, webhook=url)
    someone = trust.person(client)
    offer_id, _ = trust.open_offer(client, team, recipient)
    consent_id = trust.accept(client, someone, offer_id)
    client.post(f"/v1/me/consents/{consent_id}/revoke", headers=someone.headers)

    # Down: nothing listens on the port. The job is retried later, not lost.
    assert run_once(bank.context, sender)["webhooks"] == 1
    assert run_once(bank.context, sender)["webhooks"] == 0  # backing off
    with bank.context.uow() as uow:
        job = uow.session.scalars(select(t.JobRow)).one()
        assert job.attempts == 1 and job.done_at is None and job.last_error

    # Up, but failing twice, then healthy.
    received: list[bytes] = []
    handler = type("Flaky", (_Flaky,), {"answers": [503, 500], "received": received})
    server = HTTPServer(("127.0.0.1", free_port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        rounds = 0
        while not received and rounds < 10:
            clock.advance(seconds=MAX_BACKOFF.total_seconds())
            run_once(bank.context, sender)
            rounds += 1
    finally:
        server.shutdown()
        server.server_close()
    assert rounds == 3 and len(received) == 1
    revocation = deliveries.list_revocations(bank.context, recipient.id, EVERY).items[0]
    assert received[0].decode() == revocation.notice
    assert revocation.webhook_delivered_at is not None
    clock.advance(seconds=MAX_BACKOFF.total_seconds())
    assert run_once(bank.context, sender)["webhooks"] == 0  # delivered: never sent again
