"""Two ``infobank worker`` processes on one PostgreSQL database share the work, and when one is
killed (``kill -9``) mid-way, every delivery is built exactly once and every revocation notice
reaches its recipient's webhook and is recorded delivered exactly once.

Notices are at-least-once on the wire: a worker killed after a recipient answered but before
the answer was committed leaves that notice to be sent again, so the receiver may see a
notice twice, never more often than a worker had calls in flight.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import text

from infobank.bootstrap import Bank
from infobank.services import consents
from tests.e2e.test_cli import FAST_HASHING, _executable
from tests.support import worlds

pytestmark = pytest.mark.parametrize(
    "bank", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)

CONCURRENCY = 4


class Receiver:
    """Recipients' webhook endpoints: a local HTTP server that keeps every notice it got."""

    def __init__(self) -> None:
        self.notices: list[str] = []
        lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (the http.server hook's name)
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                time.sleep(0.02)  # a little work, so calls are in flight when a worker dies
                with lock:
                    owner.notices.append(body)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as running:
        yield running


def _worker(bank: Bank, folder: Path) -> subprocess.Popen[bytes]:
    settings = bank.settings
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("INFOBANK_")},
        **FAST_HASHING,
        "INFOBANK_DATABASE_URL": settings.database_url,
        "INFOBANK_DB_SCHEMA": settings.db_schema or "",
        "INFOBANK_HOME": str(settings.home),
        "INFOBANK_WORKER_POLL_S": "0.2",
        "INFOBANK_WEBHOOK_TIMEOUT_S": "1",
        "INFOBANK_WEBHOOK_LEASE_S": "3",
        "INFOBANK_WEBHOOK_CONCURRENCY": str(CONCURRENCY),
    }
    return subprocess.Popen(
        [_executable(), "worker"],
        env=env,
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _until(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def _count(bank: Bank, sql: str) -> int:
    with bank.engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar_one())


def test_two_workers_one_killed_build_and_notify_everything_exactly_once(
    bank: Bank, receiver: Receiver, tmp_path: Path
) -> None:
    staff = worlds.team(bank)
    delivering = [
        worlds.world(bank, staff, persons=12, webhook=f"{receiver.url}/d{i}") for i in range(4)
    ]
    revoking = [
        worlds.world(bank, staff, persons=6, webhook=f"{receiver.url}/r{i}") for i in range(3)
    ]
    for world in revoking:
        for person, consent in zip(world.persons, world.consents, strict=True):
            consents.change_status(bank.context, person, consent, "revoke")
    due = sum(len(w.consents) for w in delivering)
    with bank.engine.connect() as conn:
        notices = {r[0] for r in conn.execute(text("SELECT notice FROM revocations"))}
    assert len(notices) == 18

    first, second = _worker(bank, tmp_path), _worker(bank, tmp_path)
    try:
        started = _until(lambda: _count(bank, "SELECT count(*) FROM deliveries") > 0, 30)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        finished = _until(
            lambda: (
                _count(bank, "SELECT count(*) FROM deliveries") == due
                and _count(bank, "SELECT count(*) FROM jobs WHERE done_at IS NULL") == 0
            ),
            60,
        )
    finally:
        for worker in (first, second):
            if worker.poll() is None:
                worker.terminate()
                worker.wait(timeout=10)

    assert started and finished
    assert _count(bank, "SELECT count(*) FROM deliveries") == due
    assert (
        _count(
            bank,
            "SELECT count(*) FROM (SELECT consent_id FROM deliveries GROUP BY consent_id "
            "HAVING count(*) > 1) doubled",
        )
        == 0
    )
    assert _count(bank, "SELECT count(*) FROM revocations WHERE webhook_delivered_at IS NULL") == 0
    received = Counter(receiver.notices)
    assert set(received) == notices
    assert sum(received.values()) - len(notices) <= CONCURRENCY
