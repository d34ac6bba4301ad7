"""Load on the serving path: a recipient fetching its packages from ``infobank serve``,
against a bare FastAPI app served the same way, on SQLite and on PostgreSQL.

    fetch    GET /v1/deliveries/{id} of never-fetched packages, each fetched once (authenticate,
             lock the package, decide again, mark it fetched, log leaf, commit; a ~5.2 KiB answer)
    repeat   GET /v1/deliveries/{id} of packages already fetched, round robin (no log leaf)
    bare     GET /bare on ``bench.bare``: one plain ``def`` route returning ~2 KiB of JSON

The world is seeded through the services into a fresh database: a certified recipient with
an EC P-256 key, persons with one 2 KiB ``lifelog.activity`` record each, an approved offer
they accept, and their packages built by ``deliveries.build_due``. The recipient's token comes
from ``POST /oauth/token``. Both servers are subprocesses (``infobank serve --no-worker`` and
``python -m bench.bare``, one uvicorn process each, the same uvicorn settings); the bank runs
with ``INFOBANK_MAX_FETCHES_PER_DELIVERY=1000000`` so repeats are never refused.

The load generator is httpx's AsyncClient, ``--concurrency`` tasks in a closed loop for
``--seconds``. A short first-fetch run measures how many packages a second the bank serves;
enough packages are then seeded for every run (at most ``--seed-seconds`` of seeding; each run
takes an equal share of the pool, and stops early if its share runs out: the seconds actually
measured are reported). Each run is bare, fetch, bare, repeat; ratios are taken within a run
(fetch ÷ the bare run before it, repeat ÷ the bare run before it), and each figure is the
median of ``--runs`` runs, the individual values beside it (``errors`` are totals over the
runs: non-2xx answers and failed requests). Server CPU per request is the
server process's user + system time (``/proc/<pid>/stat``) over the run ÷ requests answered;
the load generator's own CPU per request is printed too (``client_cpu_ms_per_request_*``):
where it is near the bare server's wall time per request, the bare figure is the client's
limit, and ``server_cpu_fetch_vs_bare`` is the fairer ratio.

    python -m bench.http [--seconds S] [--concurrency C] [--runs N] [--db sqlite,postgres]
                         [--seed-seconds S] [--postgres URL] [--quick] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import math
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from bench import harness
from bench.harness import Database, Process, median, percentile
from bench.seeding import CATEGORY, Recipient, Team, activity, offer, person, recipient, team
from infobank.adapters.db import models as m
from infobank.bootstrap import Bank
from infobank.domain.identity import Gender
from infobank.domain.offers import Target
from infobank.services import consents, deliveries, offers, records

__all__ = ["http_figures"]

GENDERS = list(Gender)


@dataclass
class Load:
    """One closed-loop run against one server."""

    ok: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    server_cpu_s: float = 0.0
    client_cpu_s: float = 0.0
    body_bytes: int = 0

    @property
    def per_s(self) -> float:
        return self.ok / self.seconds if self.seconds > 0 else math.nan

    def ms(self, p: float) -> float:
        return percentile(self.latencies, p) * 1000

    def cpu_ms(self, cpu_s: float) -> float:
        return cpu_s / self.ok * 1000 if self.ok else math.nan


async def _drive(
    base: str,
    next_path: Callable[[], str | None],
    token: str | None,
    seconds: float,
    concurrency: int,
    server: Process,
    fetched: list[str] | None,
) -> Load:
    load = Load()
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(
        base_url=base, headers=headers, limits=limits, timeout=60
    ) as client:

        async def loop(deadline: float) -> None:
            while time.perf_counter() < deadline:
                path = next_path()
                if path is None:  # the pool ran out: stop early
                    return
                started = time.perf_counter()
                try:
                    response = await client.get(path)
                except httpx.HTTPError:
                    load.errors += 1
                    continue
                if 200 <= response.status_code < 300:
                    load.latencies.append(time.perf_counter() - started)
                    load.ok += 1
                    load.body_bytes = len(response.content)
                    if fetched is not None:
                        fetched.append(path)
                else:
                    load.errors += 1

        cpu, client_cpu = server.cpu(), time.process_time()
        start = time.perf_counter()
        await asyncio.gather(*(loop(start + seconds) for _ in range(concurrency)))
        load.seconds = time.perf_counter() - start
        load.server_cpu_s = server.cpu() - cpu
        load.client_cpu_s = time.process_time() - client_cpu
    return load


def drive(
    server: Process,
    next_path: Callable[[], str | None],
    seconds: float,
    concurrency: int,
    token: str | None = None,
    fetched: list[str] | None = None,
) -> Load:
    return asyncio.run(_drive(server.base, next_path, token, seconds, concurrency, server, fetched))


class Packages:
    """Never-fetched packages of one recipient, seeded through the services in batches; each
    batch's persons share a prefecture and gender no other batch has, so its offer invites
    exactly them."""

    def __init__(self, bank: Bank, staff: Team, rcp: Recipient) -> None:
        self.bank, self.staff, self.rcp = bank, staff, rcp
        self.ready: deque[str] = deque()
        self.batches = 0
        self.seeded = 0
        self.seed_s = 0.0

    def seed(self, n: int) -> None:
        started = time.perf_counter()
        ctx = self.bank.context
        serial = self.batches
        self.batches += 1
        prefecture, gender = f"{serial % 47 + 1:02d}", GENDERS[(serial // 47) % len(GENDERS)]
        people = [
            person(ctx, f"b{serial}-{i}@http.bench.example", gender=gender, prefecture=prefecture)
            for i in range(n)
        ]
        for i, pid in enumerate(people):
            records.add_record(ctx, pid, records.NewRecord(CATEGORY, activity(i)))
        target = Target(prefectures=(prefecture,), genders=(gender.value,))
        oid = offer(ctx, self.staff, self.rcp.id, target, n, f"歩数 {serial}")
        offers.open_offer(ctx, oid, self.staff.operator)
        granted = [consents.accept(ctx, pid, oid).id for pid in people]
        deliveries.build_due(ctx, limit=n)
        with ctx.read() as uow:
            session = uow.session  # type: ignore[attr-defined]
            for start in range(0, len(granted), 500):
                chunk = granted[start : start + 500]
                query = select(m.DeliveryRow.id).where(m.DeliveryRow.consent_id.in_(chunk))
                self.ready.extend(session.scalars(query))
        self.seeded = self.seeded + n
        self.seed_s += time.perf_counter() - started

    def take(self, n: int) -> Callable[[], str | None]:
        """A source of at most ``n`` paths of never-fetched packages."""
        share = [self.ready.popleft() for _ in range(min(n, len(self.ready)))]
        it = iter(share)
        return lambda: next((f"/v1/deliveries/{d}" for d in it), None)


def _token(server: Process, rcp: Recipient) -> str:
    response = httpx.post(
        f"{server.base}/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": rcp.client_id,
            "client_secret": rcp.client_secret,
        },
        timeout=30,
    )
    response.raise_for_status()
    return str(response.json()["access_token"])


def _bare(folder: Path) -> Process:
    port = harness.free_port()
    argv = [sys.executable, "-m", "bench.bare", "--port", str(port)]
    base = f"http://127.0.0.1:{port}"
    return Process("bench.bare", argv, {}, folder / "bare.log", f"{base}/healthz", base)


def _backend(
    db: Database,
    folder: Path,
    *,
    seconds: float,
    concurrency: int,
    runs: int,
    seed_seconds: float,
    first_batch: int,
    batch: int,
) -> dict[str, Any]:
    with contextlib.ExitStack() as stack:
        bank = stack.enter_context(harness.open_bank(db))
        staff = team(bank.context)
        rcp = recipient(bank.context, staff, "ベンチ保険")
        pool = Packages(bank, staff, rcp)
        pool.seed(first_batch)
        server = stack.enter_context(
            harness.infobank_server(
                db,
                folder,
                worker=False,
                max_fetches_per_delivery=1_000_000,
                client_token_ttl_s=86400,
            ).start()
        )
        bare = stack.enter_context(_bare(folder).start())
        token = _token(server, rcp)
        warm = min(seconds, 3.0)
        drive(bare, lambda: "/bare", warm, concurrency)
        fetched: list[str] = []
        calibration = drive(server, pool.take(len(pool.ready)), warm, concurrency, token, fetched)
        wanted = math.ceil(calibration.per_s * seconds * runs * 1.15) if calibration.ok else 0
        deadline = time.perf_counter() + seed_seconds
        while len(pool.ready) < wanted and time.perf_counter() < deadline:
            pool.seed(min(batch, wanted - len(pool.ready)))
        out: dict[str, list[float]] = {}

        def keep(name: str, value: float) -> None:
            out.setdefault(name, []).append(value)

        for run in range(runs):
            floor = drive(bare, lambda: "/bare", seconds, concurrency)
            first = drive(
                server,
                pool.take(math.ceil(len(pool.ready) / (runs - run))),
                seconds,
                concurrency,
                token,
                fetched,
            )
            floor2 = drive(bare, lambda: "/bare", seconds, concurrency)
            cycle = itertools.cycle(list(fetched))
            repeat = drive(server, lambda c=cycle: next(c, None), seconds, concurrency, token)
            for prefix, load, base in (("", first, floor), ("repeat_", repeat, floor2)):
                keep(f"{prefix}fetch_per_s", load.per_s)
                keep(f"{prefix}bare_per_s", base.per_s)
                keep(f"{prefix}fetch_vs_bare", load.per_s / base.per_s)
                keep(f"{prefix}fetch_p50_ms", load.ms(50))
                keep(f"{prefix}fetch_p99_ms", load.ms(99))
                keep(f"{prefix}errors", float(load.errors))
                keep(f"{prefix}fetch_measured_s", load.seconds)
                keep(f"{prefix}server_cpu_ms_per_request_fetch", load.cpu_ms(load.server_cpu_s))
                keep(f"{prefix}server_cpu_ms_per_request_bare", base.cpu_ms(base.server_cpu_s))
                keep(f"{prefix}client_cpu_ms_per_request_fetch", load.cpu_ms(load.client_cpu_s))
                keep(f"{prefix}client_cpu_ms_per_request_bare", base.cpu_ms(base.client_cpu_s))
                keep(f"{prefix}bare_errors", float(base.errors))
            keep("fetch_body_bytes", float(first.body_bytes or repeat.body_bytes))
            keep("bare_body_bytes", float(floor.body_bytes))
        figures: dict[str, Any] = {}
        for name, values in out.items():
            total = name.endswith("errors")
            figures[name] = float(sum(values)) if total else median(values)
        for prefix in ("", "repeat_"):
            fetch = figures[f"{prefix}server_cpu_ms_per_request_fetch"]
            bare_cpu = figures[f"{prefix}server_cpu_ms_per_request_bare"]
            figures[f"{prefix}server_cpu_fetch_vs_bare"] = fetch / bare_cpu
        figures["server_cpu_ms_per_request"] = figures["server_cpu_ms_per_request_fetch"]
        figures["calibration_fetch_per_s"] = calibration.per_s
        figures["packages_seeded"] = float(pool.seeded)
        figures["packages_wanted"] = float(wanted + calibration.ok)
        figures["seed_s"] = pool.seed_s
        figures["seeded_per_s"] = pool.seeded / pool.seed_s if pool.seed_s else math.nan
        figures["runs"] = dict(out)
        return figures


def http_figures(
    *,
    seconds: float = 15.0,
    concurrency: int = 16,
    runs: int = 3,
    backends: tuple[str, ...] = ("sqlite", "postgres"),
    pg_url: str | None = None,
    seed_seconds: float = 240.0,
    first_batch: int = 300,
    batch: int = 1000,
) -> dict[str, Any]:
    """Figures for each backend, keys suffixed ``_sqlite`` / ``_postgres``."""
    figures: dict[str, Any] = {"seconds": seconds, "concurrency": float(concurrency)}
    for kind in backends:
        if kind == "postgres" and not pg_url:
            print("bench.http: no PostgreSQL URL, skipping postgres", file=sys.stderr)
            continue
        with (
            tempfile.TemporaryDirectory(prefix="infobank-bench-http-") as tmp,
            harness.database(kind, Path(tmp), pg_url, "http") as db,
        ):
            found = _backend(
                db,
                Path(tmp),
                seconds=seconds,
                concurrency=concurrency,
                runs=runs,
                seed_seconds=seed_seconds,
                first_batch=first_batch,
                batch=batch,
            )
        figures.update({f"{name}_{kind}": value for name, value in found.items()})
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", default="sqlite,postgres", help="backends, comma-separated")
    parser.add_argument("--seed-seconds", type=float, default=240.0, help="cap on seeding")
    parser.add_argument("--postgres", default=None, help=f"URL (default ${harness.POSTGRES_ENV})")
    parser.add_argument("--quick", action="store_true", help="a small smoke run")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    harness.stop_on_sigterm()
    options: dict[str, Any] = {
        "seconds": args.seconds,
        "concurrency": args.concurrency,
        "runs": args.runs,
        "seed_seconds": args.seed_seconds,
    }
    if args.quick:
        options.update(seconds=1.0, runs=1, seed_seconds=5.0, first_batch=40, batch=100)
    figures = http_figures(
        backends=tuple(args.db.split(",")), pg_url=harness.postgres_url(args.postgres), **options
    )
    harness.print_figures(figures, args.json, "bench.http (medians; per-run values below)")


if __name__ == "__main__":
    main()
