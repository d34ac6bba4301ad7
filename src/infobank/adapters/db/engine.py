"""Engines for SQLite (the zero-setup default) and PostgreSQL (production)."""

from __future__ import annotations

import re
import threading
from collections import deque
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.orm import Session, sessionmaker

from infobank.domain.errors import Busy

__all__ = ["READ_ONLY", "is_lock_timeout", "make_engine", "make_session_factory"]

# The execution option that marks a read-only unit of work's connection.
READ_ONLY = "infobank_read_only"

_SCHEMA = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def make_engine(
    url: str,
    *,
    schema: str | None = None,
    echo: bool = False,
    lock_timeout_ms: int = 10_000,
    pool_size: int = 5,
) -> Engine:
    """An engine for ``url``.

    SQLite gets WAL, foreign keys and a busy timeout. A transaction that may write starts with
    ``BEGIN IMMEDIATE``, so two writers queue instead of failing half-way; a read-only one
    (``READ_ONLY``, see ``make_session_factory``) starts with a plain deferred ``BEGIN`` and
    never waits for the write lock: in WAL mode it reads its snapshot while a writer works.
    A write waits for a lock at most ``lock_timeout_ms`` (SQLite's busy timeout, PostgreSQL's
    ``lock_timeout``), then fails as ``Busy`` (503 with Retry-After). On PostgreSQL a ``schema``
    puts every table in that schema (one per test run or tenant).
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"check_same_thread": False},
            **_pool(parsed.database, pool_size),
        )
        _tune_sqlite(engine, lock_timeout_ms)
        _busy_is_retryable(engine)
        return engine
    options = [f"-clock_timeout={lock_timeout_ms}"]
    if schema:
        if not _SCHEMA.match(schema):
            raise ValueError(f"invalid schema name {schema!r}")
        options.append(f"-csearch_path={schema}")
    engine = create_engine(
        url,
        echo=echo,
        pool_pre_ping=True,
        connect_args={"options": " ".join(options)},
        pool_size=pool_size,
        max_overflow=pool_size,
    )
    _busy_is_retryable(engine)
    if schema:
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    return engine


def _pool(database: str | None, size: int) -> dict[str, Any]:
    """A file database gets a queue pool of ``size`` (and as many again for bursts); an
    in-memory one keeps SQLAlchemy's default, a single shared connection."""
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return {}
    return {"pool_size": size, "max_overflow": size}


def is_lock_timeout(exc: BaseException) -> bool:
    """Whether a database error means a lock was not granted in time (SQLite busy, PostgreSQL
    ``lock_not_available``): the request may be retried, nothing was written."""
    orig = getattr(exc, "orig", exc)
    if getattr(orig, "sqlstate", None) == "55P03":
        return True
    message = str(orig).lower()
    return type(orig).__name__ == "OperationalError" and (
        "database is locked" in message or "database table is locked" in message
    )


def _busy_is_retryable(engine: Engine) -> None:
    @event.listens_for(engine, "handle_error")
    def _on_error(context: ExceptionContext) -> None:
        if is_lock_timeout(context.original_exception):
            raise Busy(
                "the bank is busy with other changes; nothing was written, try again shortly"
            ) from context.sqlalchemy_exception


class _WriteGate:
    """SQLite has one write lock, and a writer that finds it taken sleeps and polls (the busy
    timeout), so under load a writer can lose the race again and again while newcomers win:
    a few wait seconds while the median waits a millisecond. Within one process, writers
    queue here first, in arrival order, and reach ``BEGIN IMMEDIATE`` one at a time; other
    processes on the same file still take turns through the busy timeout."""

    _HELD = "infobank_write_gate"

    def __init__(self, timeout_s: float) -> None:
        self._timeout_s = timeout_s
        self._lock = threading.Lock()
        self._turn = threading.Condition(self._lock)
        self._queue: deque[object] = deque()
        self._busy = False

    def enter(self, conn: Any) -> bool:
        """Wait for this connection's turn; False if it already has it (a unit of work that
        committed and writes again before it is closed)."""
        if conn.info.get(self._HELD):
            return False
        me = object()
        with self._turn:
            self._queue.append(me)
            granted = self._turn.wait_for(
                lambda: not self._busy and self._queue[0] is me, timeout=self._timeout_s
            )
            if not granted:
                self._queue.remove(me)
                self._turn.notify_all()
                raise Busy(
                    "the bank is busy with other changes; nothing was written, try again shortly"
                )
            self._queue.popleft()
            self._busy = True
        conn.info[self._HELD] = True
        return True

    def leave(self, info: dict[Any, Any]) -> None:
        if info.pop(self._HELD, False):
            with self._turn:
                self._busy = False
                self._turn.notify_all()


def _tune_sqlite(engine: Engine, lock_timeout_ms: int) -> None:
    gate = _WriteGate(lock_timeout_ms / 1000)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(lock_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get(READ_ONLY, False):
            conn.exec_driver_sql("BEGIN")
            return
        entered = gate.enter(conn)
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            if entered:
                gate.leave(conn.info)
            raise

    # The turn ends when the connection goes back to the pool: by then its COMMIT (or
    # ROLLBACK) has finished, so the next writer's BEGIN IMMEDIATE finds the lock free.
    @event.listens_for(engine.pool, "checkin")
    def _on_checkin(_dbapi: Any, record: Any) -> None:
        if record is not None:
            gate.leave(record.info)

    @event.listens_for(engine.pool, "invalidate")
    def _on_invalidate(_dbapi: Any, record: Any, _exc: Any) -> None:
        if record is not None:  # a connection thrown away mid-transaction gives its turn up
            gate.leave(record.info)


def make_session_factory(engine: Engine, *, read_only: bool = False) -> sessionmaker[Session]:
    """Sessions for units of work; ``read_only`` ones never take SQLite's write lock and, on
    PostgreSQL, run in a READ ONLY transaction, so the database itself refuses a write."""
    if not read_only:
        return sessionmaker(engine, expire_on_commit=False, autoflush=True)
    options: dict[str, Any] = {READ_ONLY: True}
    if engine.dialect.name == "postgresql":
        options["postgresql_readonly"] = True
    return sessionmaker(
        engine.execution_options(**options),
        expire_on_commit=False,
        autoflush=False,
        info={READ_ONLY: True},
    )
