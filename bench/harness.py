"""What the benchmarks share: throw-away databases (a SQLite file, a PostgreSQL schema),
servers and workers in subprocesses that run this checkout's code, their CPU time from
``/proc``, and small statistics.

Everything here cleans up after itself on the way out, Ctrl-C included: temp folders and
schemas are context managers, and child processes are stopped in ``finally`` (and, should the
bench itself be killed, told to stop by the kernel: ``PR_SET_PDEATHSIG``).
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import math
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text

import infobank
from infobank.adapters.db.engine import make_engine
from infobank.adapters.db.migrate import upgrade
from infobank.bootstrap import Bank, bootstrap
from infobank.config import Settings

__all__ = [
    "FAST_HASHING",
    "POSTGRES_ENV",
    "Database",
    "Process",
    "cpu_seconds",
    "database",
    "free_port",
    "infobank_server",
    "infobank_worker",
    "median",
    "open_bank",
    "percentile",
    "postgres_url",
    "print_figures",
    "python_command",
    "stop_on_sigterm",
    "until",
]

POSTGRES_ENV = "INFOBANK_TEST_POSTGRES_URL"
# Argon2 at its cheapest: seeding signs up thousands of persons, and no bench measures hashing.
FAST_HASHING = {"argon2_time_cost": 1, "argon2_memory_kib": 1024, "argon2_parallelism": 1}
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
_SRC = Path(infobank.__file__).resolve().parents[1]  # the src/ whose code this bench runs
_ROOT = Path(__file__).resolve().parents[1]  # the checkout (for ``bench.*`` in children)


def stop_on_sigterm() -> None:
    """Turn SIGTERM into KeyboardInterrupt, so ``finally`` blocks clean up as on Ctrl-C."""

    def _interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _interrupt)


def postgres_url(given: str | None = None) -> str | None:
    """The PostgreSQL server to use: ``--postgres URL``, else ``INFOBANK_TEST_POSTGRES_URL``."""
    return given or os.environ.get(POSTGRES_ENV) or None


# -- databases ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Database:
    """A fresh, migrated database for one bench: a SQLite file or a PostgreSQL schema."""

    kind: str  # "sqlite" or "postgres"
    url: str
    schema: str | None
    home: Path  # the bank's key folder, shared by the bench and its servers and workers

    def settings(self, **overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "database_url": self.url,
            "db_schema": self.schema,
            "home": self.home,
            **FAST_HASHING,
        }
        values.update(overrides)
        return Settings(**values)

    def env(self, **overrides: Any) -> dict[str, str]:
        """The environment of a server or worker on this database (``INFOBANK_*``)."""
        values: dict[str, Any] = {
            "database_url": self.url,
            "db_schema": self.schema or "",
            "home": self.home,
            **FAST_HASHING,
        }
        values.update(overrides)
        return {f"INFOBANK_{k.upper()}": str(v) for k, v in values.items()}


@contextlib.contextmanager
def database(kind: str, folder: Path, pg_url: str | None, tag: str) -> Iterator[Database]:
    """A migrated database of ``kind`` for one bench; a PostgreSQL schema is
    ``bench_<pid>_<tag>_<random>`` and is dropped afterwards, whatever happened."""
    home = folder / f"home-{tag}"
    if kind == "sqlite":
        path = folder / f"{tag}.db"
        engine = make_engine(f"sqlite:///{path}")
        upgrade(engine)
        engine.dispose()
        yield Database("sqlite", f"sqlite:///{path}", None, home)
        return
    if kind != "postgres" or not pg_url:
        raise ValueError(f"no such database: {kind}")
    schema = f"bench_{os.getpid()}_{tag}_{uuid.uuid4().hex[:6]}"
    try:
        engine = make_engine(pg_url, schema=schema)
        try:
            upgrade(engine)
        finally:
            engine.dispose()
        yield Database("postgres", pg_url, schema, home)
    finally:
        admin = make_engine(pg_url)
        try:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        finally:
            admin.dispose()


@contextlib.contextmanager
def open_bank(db: Database, **overrides: Any) -> Iterator[Bank]:
    bank = bootstrap(db.settings(**overrides))
    try:
        yield bank
    finally:
        bank.close()


# -- processes ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def python_command(code: str, *args: str) -> list[str]:
    return [sys.executable, "-c", code, *args]


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads) so far, from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS  # utime, stime


@dataclass
class Process:
    """A child process running this checkout's code, its output kept in a log file."""

    name: str
    argv: list[str]
    env: dict[str, str]
    log: Path
    ready_url: str | None = None  # polled until it answers 200
    base: str = ""  # a server's base URL
    popen: subprocess.Popen[bytes] | None = field(default=None, init=False)

    def start(self, timeout: float = 90.0) -> Process:
        inherited = {k: v for k, v in os.environ.items() if not k.startswith("INFOBANK_")}
        path = os.pathsep.join([str(_SRC), str(_ROOT), inherited.get("PYTHONPATH", "")])
        env = {**inherited, **self.env, "PYTHONPATH": path.rstrip(os.pathsep)}
        with open(self.log, "ab") as out:
            self.popen = subprocess.Popen(
                self.argv,
                env=env,
                cwd=self.log.parent,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent,  # noqa: PLW1509 - no threads touch the fork
            )
        if self.ready_url is not None:
            self._wait_ready(timeout)
        return self

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        assert self.popen is not None and self.ready_url is not None
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                raise RuntimeError(f"{self.name} exited on start:\n{self.tail()}")
            try:
                if httpx.get(self.ready_url, timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not answer {self.ready_url}:\n{self.tail()}")

    @property
    def pid(self) -> int:
        assert self.popen is not None
        return self.popen.pid

    def cpu(self) -> float:
        return cpu_seconds(self.pid)

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self, grace: float = 15.0) -> None:
        """SIGINT (a graceful stop for uvicorn and ``infobank worker``), then SIGKILL."""
        if self.popen is None or self.popen.poll() is not None:
            return
        self.popen.send_signal(signal.SIGINT)
        try:
            self.popen.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait(timeout=10)

    def __enter__(self) -> Process:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


_CLI = "from infobank.entrypoints.cli.main import main; main()"


def infobank_server(db: Database, folder: Path, *, worker: bool, **env: Any) -> Process:
    """``infobank serve`` (one process) on ``db``, from this checkout; not started yet."""
    port = free_port()
    flag = "--worker" if worker else "--no-worker"
    argv = python_command(_CLI, "serve", "--host", "127.0.0.1", "--port", str(port), flag)
    base = f"http://127.0.0.1:{port}"
    log = folder / f"serve-{port}.log"
    return Process("infobank serve", argv, db.env(**env), log, f"{base}/healthz", base)


def infobank_worker(db: Database, folder: Path, name: str | int, **env: Any) -> Process:
    """``infobank worker`` on ``db``, from this checkout; not started yet."""
    argv = python_command(_CLI, "worker")
    return Process("infobank worker", argv, db.env(**env), folder / f"worker-{name}.log")


# -- statistics -----------------------------------------------------------------------------


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values)) if values else math.nan


def percentile(values: Sequence[float], p: float) -> float:
    """The ``p``-th percentile (0–100) by linear interpolation between closest ranks."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def print_figures(figures: dict[str, Any], as_json: bool, title: str = "") -> None:
    """One JSON object, or a table of the scalar figures followed by the nested ones."""
    if as_json:
        print(json.dumps(figures))
        return
    if title:
        print(title)
    for name, value in figures.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        print(f"  {name:<44} {value:14.3f}")
    for name, value in figures.items():
        if isinstance(value, dict | list | str):
            print(f"  {name}: {json.dumps(value)}")


def until(condition: Callable[[], bool], seconds: float, step: float = 0.1) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()
