"""Stop-all (提供停止) to webhooks: how long after a person stops everything each recipient
hears of it.

A person holds consents to R recipients (``--sizes``, 100 and 1,000), each recipient with a
webhook on a local receiver: a threaded HTTP server in this process that notes when each
notice arrives (``time.perf_counter``) and answers 204. One recipient's endpoint sleeps
``--slow-s`` (5 s) before answering. The bank runs as the product runs it, in a subprocess:
on SQLite ``infobank serve`` with its in-process worker; on PostgreSQL ``infobank serve
--no-worker`` beside an ``infobank worker`` process (woken by LISTEN/NOTIFY). Everything is
seeded through the services (each consent's package built), the worker is left to go idle,
then ``POST /v1/me/stop-all`` is called; each notice's time is its arrival minus the moment
that call returned. Notices are matched to the run by the consent id inside the signed notice.

    notice_p50_ms_<R>, notice_p99_ms_<R>, notice_max_ms_<R>   the R − 1 fast recipients
    slow_notice_ms_<R>                                         the slow one's notice
    (``…_postgres`` the same on PostgreSQL)

Each figure is the median of ``--runs`` runs (one person per run, all seeded up front), the
individual values beside it. A notice may arrive before the call returns (the worker is woken
by the commit, the response is sent after it): such times are negative and kept as they are.

    python -m bench.notify [--sizes 100,1000] [--runs N] [--slow-s S] [--db sqlite,postgres]
                           [--postgres URL] [--quick] [--json]
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import math
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

from bench import harness
from bench.harness import Database, Process, median, percentile
from bench.seeding import CATEGORY, PASSWORD, offer, person, recipient, team
from infobank.adapters.db import models as m
from infobank.bootstrap import Bank
from infobank.domain.identity import Gender
from infobank.domain.offers import Target
from infobank.services import consents, deliveries, offers, records

__all__ = ["Receiver", "notify_figures"]

PREFECTURE = "13"


class _Server(ThreadingHTTPServer):
    # The default listen backlog (5) drops connections when 32 notices come at once, and a
    # dropped SYN is retried after 1, 3, 7 s: the receiver, not the bank, would be measured.
    request_queue_size = 1024
    daemon_threads = True


class Receiver:
    """Recipients' webhook endpoints: ``/hook/<i>`` answers at once, ``/slow/<i>`` after
    ``slow_s``. Keeps, per consent, the first arrival time and how many times it came."""

    def __init__(self, slow_s: float) -> None:
        self.first: dict[str, float] = {}
        self.count: dict[str, int] = {}
        lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as a recipient's server would

            def do_POST(self) -> None:  # noqa: N802 (the http.server hook's name)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                arrived = time.perf_counter()
                consent = _consent_of(body)
                with lock:
                    owner.first.setdefault(consent, arrived)
                    owner.count[consent] = owner.count.get(consent, 0) + 1
                if self.path.startswith("/slow/"):
                    time.sleep(slow_s)
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def _consent_of(notice: bytes) -> str:
    """The consent a signed notice (compact JWS) is about; its payload read, not verified."""
    try:
        segment = notice.split(b".")[1]
        payload = json.loads(base64.urlsafe_b64decode(segment + b"=" * (-len(segment) % 4)))
        return str(payload["consent"])
    except (IndexError, ValueError, KeyError, TypeError):
        return "?"


def _seed(bank: Bank, size: int, runs: int, hook: str) -> tuple[list[str], list[dict[str, int]]]:
    """``runs`` persons, each consenting to ``size`` recipients (recipient 0 the slow one);
    returns the persons' emails and, per person, their consent ids → recipient index."""
    ctx = bank.context
    staff = team(ctx, f"notify{size}")
    emails = [f"stop{k}-{size}@notify.bench.example" for k in range(runs)]
    people = [person(ctx, e, gender=Gender.FEMALE, prefecture=PREFECTURE) for e in emails]
    for pid in people:
        records.add_record(ctx, pid, records.NewRecord(CATEGORY, {"steps": 9000}))
    by_consent: list[dict[str, int]] = [{} for _ in people]
    for i in range(size):
        path = f"/slow/{i}" if i == 0 else f"/hook/{i}"
        rcp = recipient(ctx, staff, f"受領者 {i}", webhook=hook + path)
        target = Target(prefectures=(PREFECTURE,), genders=(Gender.FEMALE.value,))
        oid = offer(ctx, staff, rcp.id, target, runs, f"通知 {i}")
        offers.open_offer(ctx, oid, staff.operator)
        for k, pid in enumerate(people):
            by_consent[k][consents.accept(ctx, pid, oid).id] = i
    deliveries.build_due(ctx, limit=size * runs)
    return emails, by_consent


def _idle(bank: Bank) -> bool:
    now = datetime.now(UTC)
    c, j = m.ConsentRow, m.JobRow
    with bank.engine.connect() as conn:
        due = conn.scalar(
            select(func.count()).where(c.status == "active", c.next_delivery_at <= now)
        )
        pending = conn.scalar(select(func.count()).where(j.done_at.is_(None), j.run_at <= now))
    return not due and not pending


@contextlib.contextmanager
def _bank_running(db: Database, folder: Path) -> Iterator[Process]:
    """The product as deployed: SQLite serve with its worker; PostgreSQL serve + worker."""
    on_sqlite = db.kind == "sqlite"
    with contextlib.ExitStack() as stack:
        server = stack.enter_context(
            harness.infobank_server(db, folder, worker=on_sqlite, person_token_ttl_s=86400).start()
        )
        if not on_sqlite:
            stack.enter_context(harness.infobank_worker(db, folder, 1).start())
        yield server


def _one_size(
    db: Database, folder: Path, size: int, runs: int, slow_s: float, timeout: float
) -> dict[str, Any]:
    with contextlib.ExitStack() as stack:
        receiver = stack.enter_context(Receiver(slow_s))
        bank = stack.enter_context(harness.open_bank(db))
        started = time.perf_counter()
        emails, by_consent = _seed(bank, size, runs, receiver.url)
        seed_s = time.perf_counter() - started
        server = stack.enter_context(_bank_running(db, folder))
        harness.until(lambda: _idle(bank), 120, 0.5)
        time.sleep(3.0)  # a round or two more, and the worker waits for work
        out: dict[str, list[float]] = {}
        with httpx.Client(base_url=server.base, timeout=120) as client:
            for k in range(runs):
                login = client.post(
                    "/v1/auth/login", json={"email": emails[k], "password": PASSWORD}
                )
                login.raise_for_status()
                headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
                called = time.perf_counter()
                answer = client.post("/v1/me/stop-all", headers=headers)
                returned = time.perf_counter()
                answer.raise_for_status()
                mine = by_consent[k]
                harness.until(lambda m_=mine: all(c in receiver.first for c in m_), timeout, 0.05)
                fast = [
                    (receiver.first[c] - returned) * 1000
                    for c, i in mine.items()
                    if i != 0 and c in receiver.first
                ]
                slow = [
                    (receiver.first[c] - returned) * 1000
                    for c, i in mine.items()
                    if i == 0 and c in receiver.first
                ]
                for name, value in (
                    ("notice_p50_ms", percentile(fast, 50)),
                    ("notice_p99_ms", percentile(fast, 99)),
                    ("notice_max_ms", max(fast, default=math.nan)),
                    ("notice_min_ms", min(fast, default=math.nan)),
                    ("slow_notice_ms", slow[0] if slow else math.nan),
                    ("stop_all_call_ms", (returned - called) * 1000),
                    ("notices_missing", float(size - 1 - len(fast))),
                    ("revoked", float(answer.json().get("revoked", 0))),
                ):
                    out.setdefault(name, []).append(value)
                harness.until(lambda: _idle(bank), 30, 0.2)
                time.sleep(1.0)
        repeats = sum(n - 1 for n in receiver.count.values())
    figures: dict[str, Any] = {}
    for name, values in out.items():
        total = name == "notices_missing"
        figures[f"{name}_{size}"] = float(sum(values)) if total else median(values)
    figures[f"slow_received_{size}"] = float(receiver.count.get(next(iter(by_consent[0])), 0))
    figures[f"notices_repeated_{size}"] = float(repeats)
    figures[f"seed_s_{size}"] = seed_s
    figures[f"runs_{size}"] = out
    return figures


def notify_figures(
    *,
    sizes: tuple[int, ...] = (100, 1000),
    runs: int = 3,
    slow_s: float = 5.0,
    backends: tuple[str, ...] = ("sqlite", "postgres"),
    pg_url: str | None = None,
    timeout: float = 120.0,
) -> dict[str, Any]:
    """Figures per size; SQLite's keys plain, PostgreSQL's suffixed ``_postgres``."""
    figures: dict[str, Any] = {"runs": float(runs), "slow_s": slow_s}
    for kind in backends:
        if kind == "postgres" and not pg_url:
            print("bench.notify: no PostgreSQL URL, skipping postgres", file=sys.stderr)
            continue
        suffix = "" if kind == "sqlite" else f"_{kind}"
        for size in sizes:
            with (
                tempfile.TemporaryDirectory(prefix="infobank-bench-notify-") as tmp,
                harness.database(kind, Path(tmp), pg_url, f"notify{size}") as db,
            ):
                found = _one_size(db, Path(tmp), size, runs, slow_s, timeout)
            figures.update({f"{name}{suffix}": value for name, value in found.items()})
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="100,1000", help="recipients per person")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--slow-s", type=float, default=5.0, help="the slow endpoint's sleep")
    parser.add_argument("--db", default="sqlite,postgres", help="backends, comma-separated")
    parser.add_argument("--postgres", default=None, help=f"URL (default ${harness.POSTGRES_ENV})")
    parser.add_argument("--quick", action="store_true", help="a small smoke run")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    harness.stop_on_sigterm()
    sizes = tuple(int(s) for s in args.sizes.split(","))
    runs, slow_s = args.runs, args.slow_s
    if args.quick:
        sizes, runs, slow_s = (10,), 1, 1.0
    figures = notify_figures(
        sizes=sizes,
        runs=runs,
        slow_s=slow_s,
        backends=tuple(args.db.split(",")),
        pg_url=harness.postgres_url(args.postgres),
    )
    harness.print_figures(figures, args.json, "bench.notify (ms after stop-all returned; medians)")


if __name__ == "__main__":
    main()
