"""Opening an offer at scale, and building its deliveries, on SQLite and on PostgreSQL.

    seed    ``--persons`` N persons inserted in bulk through the SQLAlchemy models (the rows
            ``identity.sign_up``, ``records.add_record`` and ``delegation.replace_rules``
            write: each person with their own wrapped data key, one ``lifelog.activity``
            record, and a delegation rule that covers the offer); timed on its own
    open    ``POST /v1/admin/offers/{id}/open`` against ``infobank serve --no-worker``: all N
            persons match and the bank consents for each (``delegated``), in committed
            batches of ``INFOBANK_OPEN_BATCH`` (1,000). Meanwhile another person of the bank
            (outside the offer's targeting) sends a request every 50 ms, alternately
            ``GET /v1/me`` and ``POST /v1/me/records``, one at a time (a slow answer delays the
            next); the slowest is ``max_other_request_ms``. The same probe runs for 2 s before
            the opening, for the idle figures.
    build   ``infobank worker`` subprocesses (no in-process worker anywhere) build the N
            packages; the time runs from the first package seen to the last (the count is
            polled every 0.2 s), so process start-up is left out. SQLite: one worker.
            PostgreSQL: one worker; then the packages are rewound (their rows deleted, each
            consent due again, the tables VACUUM ANALYZEd) and two workers build them again;
            ``scale_2w_vs_1w`` is their ratio of packages per second.

PostgreSQL runs in a throw-away schema, ANALYZEd after the bulk load (as autovacuum would
leave it). Each figure is from one run by default (a run at 100,000 takes many minutes);
``--runs`` repeats the whole and reports medians with the individual values.

    python -m bench.scale [--persons N] [--db sqlite,postgres] [--runs N] [--postgres URL]
                          [--quick] [--json]
"""

from __future__ import annotations

import argparse
import contextlib
import math
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select, text

from bench import harness
from bench.harness import Database, median, percentile
from bench.seeding import PASSWORD, RULE, bulk_persons, offer, person, recipient, team
from infobank.adapters.db import models as m
from infobank.bootstrap import Bank
from infobank.domain.identity import Gender
from infobank.domain.offers import Target

__all__ = ["scale_figures"]

TARGET = Target(age_min=20, age_max=70)


class Probe(threading.Thread):
    """Another person's requests every ``every`` seconds, one at a time, until stopped."""

    def __init__(self, base: str, token: str, every: float = 0.05) -> None:
        super().__init__(name="bench-probe", daemon=True)
        self.base, self.token, self.every = base, token, every
        self.samples: list[tuple[str, float, int]] = []  # kind, seconds, status
        self.halt = threading.Event()

    def run(self) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        record = {"category": "lifelog.sleep", "data": {"minutes": 420}}
        with httpx.Client(base_url=self.base, headers=headers, timeout=300) as client:
            tick, n = time.perf_counter(), 0
            while not self.halt.is_set():
                kind = "read" if n % 2 == 0 else "write"
                started = time.perf_counter()
                try:
                    if kind == "read":
                        status = client.get("/v1/me").status_code
                    else:
                        status = client.post("/v1/me/records", json=record).status_code
                except httpx.HTTPError:
                    status = 0
                self.samples.append((kind, time.perf_counter() - started, status))
                n += 1
                tick = max(tick + self.every, time.perf_counter() - self.every)
                self.halt.wait(max(0.0, tick - time.perf_counter()))

    def stop(self) -> list[tuple[str, float, int]]:
        self.halt.set()
        self.join(timeout=600)
        return self.samples


def _count(bank: Bank, model: Any) -> int:
    with bank.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(model)) or 0)


def _build(bank: Bank, db: Database, folder: Path, workers: int, expected: int) -> dict[str, float]:
    """Start ``workers`` worker processes and wait until ``expected`` packages exist."""
    before = _count(bank, m.DeliveryRow)
    want = before + expected
    with contextlib.ExitStack() as stack:
        procs = [
            stack.enter_context(harness.infobank_worker(db, folder, f"{workers}w{i}").start())
            for i in range(workers)
        ]
        started = time.perf_counter()
        first_at, first_n = math.nan, before
        cpu0 = {p.pid: 0.0 for p in procs}
        done = before
        deadline = started + 600 + expected / 10
        while time.perf_counter() < deadline:
            done = _count(bank, m.DeliveryRow)
            if math.isnan(first_at) and done > before:
                first_at, first_n = time.perf_counter(), done
                cpu0 = {p.pid: p.cpu() for p in procs}
            if done >= want:
                break
            if any(p.popen is not None and p.popen.poll() is not None for p in procs):
                raise RuntimeError(f"a worker exited:\n{procs[0].tail()}")
            time.sleep(0.2)
        finished = time.perf_counter()
        cpu = sum(p.cpu() - cpu0[p.pid] for p in procs)
    built, span = done - first_n, finished - first_at
    if built <= 0:  # everything appeared at the first look: count from the start instead
        built, span = done - before, finished - started
    return {
        "deliveries_per_s": built / span if built > 0 else math.nan,
        "build_s": finished - started,
        "built": float(done - before),
        "worker_cpu_ms_per_delivery": cpu / built * 1000 if built > 0 else math.nan,
    }


def _rewind(bank: Bank) -> None:
    """Make every package due again, as if never built: its rows and the records it carried
    go, each consent's next delivery is its start again. (The log keeps the first build's
    leaves; an append costs the same at 2N leaves as at N.) Then VACUUM ANALYZE the tables."""
    c = m.ConsentRow
    with bank.engine.begin() as conn:
        conn.execute(text("DELETE FROM delivered_records"))
        conn.execute(text("DELETE FROM deliveries"))
        conn.execute(c.__table__.update().values(next_delivery_at=c.start))
    with bank.engine.connect() as conn:
        auto = conn.execution_options(isolation_level="AUTOCOMMIT")
        auto.execute(text("VACUUM ANALYZE deliveries, delivered_records, consents"))


def _other_person(bank: Bank) -> None:
    # Aged over 70 and alone in their prefecture: no offer here ever matches them.
    person(
        bank.context,
        "other@scale.bench.example",
        gender=Gender.MALE,
        prefecture="47",
        birth=date(1940, 1, 1),
    )


def _open_over_http(
    db: Database, folder: Path, offer_id: str, operator_token: str, idle_s: float
) -> tuple[float, dict[str, Any], list[tuple[str, float, int]], list[tuple[str, float, int]]]:
    with harness.infobank_server(db, folder, worker=False, person_token_ttl_s=86400).start() as srv:
        login = httpx.post(
            f"{srv.base}/v1/auth/login",
            json={"email": "other@scale.bench.example", "password": PASSWORD},
            timeout=60,
        )
        login.raise_for_status()
        token = login.json()["access_token"]
        idle = Probe(srv.base, token)
        idle.start()
        time.sleep(idle_s)
        idle_samples = idle.stop()
        probe = Probe(srv.base, token)
        probe.start()
        started = time.perf_counter()
        try:
            answer = httpx.post(
                f"{srv.base}/v1/admin/offers/{offer_id}/open",
                headers={"Authorization": f"Bearer {operator_token}"},
                timeout=None,
            )
            open_s = time.perf_counter() - started
        finally:
            samples = probe.stop()
        answer.raise_for_status()
        return open_s, answer.json(), samples, idle_samples


def _one(kind: str, db: Database, folder: Path, n: int, idle_s: float) -> dict[str, float]:
    figures: dict[str, float] = {}
    with harness.open_bank(db) as bank:
        ctx = bank.context
        staff = team(ctx, "scale")
        first = recipient(ctx, staff, "ベンチ保険 1")
        _other_person(bank)
        started = time.perf_counter()
        bulk_persons(bank, n, rules=[RULE])
        figures["seed_s"] = time.perf_counter() - started
        if kind == "postgres":
            with bank.engine.connect() as conn:
                tables = "persons, person_keys, records, delegations"  # this schema's only
                conn.execution_options(isolation_level="AUTOCOMMIT").execute(
                    text(f"ANALYZE {tables}")
                )
        figures["seed_persons_per_s"] = n / figures["seed_s"]
        offer_id = offer(ctx, staff, first.id, TARGET, n + 10, "歩数に応じた保険料割引")
        open_s, opened, samples, idle = _open_over_http(
            db, folder, offer_id, staff.operator_token, idle_s
        )
        if opened.get("delegated") != n:
            raise RuntimeError(f"opening delegated {opened} of {n}")
        figures["open_s"] = open_s
        figures["opened_per_s"] = n / open_s
        times = [s * 1000 for _, s, _ in samples]
        figures["max_other_request_ms"] = max(times, default=math.nan)
        figures["max_other_read_ms"] = max(
            (s * 1000 for k, s, _ in samples if k == "read"), default=math.nan
        )
        figures["max_other_write_ms"] = max(
            (s * 1000 for k, s, _ in samples if k == "write"), default=math.nan
        )
        figures["other_request_p50_ms"] = percentile(times, 50)
        figures["other_request_p99_ms"] = percentile(times, 99)
        figures["other_requests"] = float(len(samples))
        figures["other_errors"] = float(sum(1 for *_, st in samples if not 200 <= st < 300))
        figures["idle_max_other_request_ms"] = max((s * 1000 for _, s, _ in idle), default=math.nan)
        figures["idle_other_request_p50_ms"] = percentile([s * 1000 for _, s, _ in idle], 50)
        one = _build(bank, db, folder, 1, n)
        figures.update({f"{k}_1w": v for k, v in one.items()})
        if kind == "postgres":
            started = time.perf_counter()
            _rewind(bank)
            figures["rewind_s"] = time.perf_counter() - started
            two = _build(bank, db, folder, 2, n)
            figures.update({f"{k}_2w": v for k, v in two.items()})
            figures["scale_2w_vs_1w"] = two["deliveries_per_s"] / one["deliveries_per_s"]
    return figures


def _label(n: int) -> str:
    return f"{n // 1000}k" if n % 1000 == 0 and n >= 1000 else str(n)


def scale_figures(
    *,
    persons: int = 100_000,
    backends: tuple[str, ...] = ("sqlite", "postgres"),
    pg_url: str | None = None,
    runs: int = 1,
    idle_s: float = 2.0,
) -> dict[str, Any]:
    """Every figure suffixed by its backend; the promised keys named as in the module text."""
    figures: dict[str, Any] = {"persons": float(persons)}
    label = _label(persons)
    for kind in backends:
        if kind == "postgres" and not pg_url:
            print("bench.scale: no PostgreSQL URL, skipping postgres", file=sys.stderr)
            continue
        found: dict[str, list[float]] = {}
        for run in range(runs):
            with (
                tempfile.TemporaryDirectory(prefix="infobank-bench-scale-") as tmp,
                harness.database(kind, Path(tmp), pg_url, f"scale{run}") as db,
            ):
                for name, value in _one(kind, db, Path(tmp), persons, idle_s).items():
                    found.setdefault(name, []).append(value)
        values = {name: median(v) for name, v in found.items()}
        for name, value in values.items():
            figures[f"{name}_{kind}"] = value
        figures[f"open_{label}_s_{kind}"] = values["open_s"]
        if persons == 100_000:
            figures[f"open_100k_s_{kind}"] = values["open_s"]
        if kind == "postgres":
            figures["deliveries_per_s_1w"] = values["deliveries_per_s_1w"]
            figures["deliveries_per_s_2w"] = values["deliveries_per_s_2w"]
            figures["scale_2w_vs_1w"] = values["scale_2w_vs_1w"]
        if runs > 1:
            figures[f"runs_{kind}"] = found
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--db", default="sqlite,postgres", help="backends, comma-separated")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--postgres", default=None, help=f"URL (default ${harness.POSTGRES_ENV})")
    parser.add_argument("--quick", action="store_true", help="2,000 persons")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    harness.stop_on_sigterm()
    figures = scale_figures(
        persons=2000 if args.quick else args.persons,
        backends=tuple(args.db.split(",")),
        pg_url=harness.postgres_url(args.postgres),
        runs=args.runs,
    )
    harness.print_figures(figures, args.json, "bench.scale")


if __name__ == "__main__":
    main()
