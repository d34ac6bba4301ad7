"""Reads never wait for the write lock; a write that cannot get its lock in time is answered
503 with Retry-After and writes nothing.

Another connection holds the lock the way a long write would: on SQLite ``BEGIN IMMEDIATE``
(the database's one write lock), on PostgreSQL an exclusive lock on the records table.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from infobank.bootstrap import Bank
from tests.support import api, db, web

pytestmark = pytest.mark.settings(db_lock_timeout_ms=300)

RECORD = {"category": "lifelog.sleep", "data": {"minutes": 420}}


@contextmanager
def write_lock_held(bank: Bank) -> Iterator[None]:
    """Hold the lock a record insert needs, from a connection outside the bank's pool."""
    if bank.engine.dialect.name == "sqlite":
        path = bank.engine.url.database
        assert path is not None
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()
        return
    with bank.engine.connect() as other:
        other.execute(text("LOCK TABLE records IN EXCLUSIVE MODE"))  # readers still read
        try:
            yield
        finally:
            other.rollback()


def test_a_read_answers_while_another_connection_holds_the_write_lock(
    client: TestClient, bank: Bank
) -> None:
    person = api.sign_up(client)
    assert client.post("/v1/me/records", json=RECORD, headers=person.headers).status_code == 201

    with write_lock_held(bank):
        me = client.get("/v1/me", headers=person.headers)
        records = client.get("/v1/me/records", headers=person.headers)

    assert me.status_code == 200, me.text
    assert records.status_code == 200, records.text
    assert len(records.json()["items"]) == 1


def test_a_write_that_cannot_get_the_lock_is_503_with_retry_after_and_writes_nothing(
    client: TestClient, bank: Bank
) -> None:
    person = api.sign_up(client)

    with write_lock_held(bank):
        refused = client.post("/v1/me/records", json=RECORD, headers=person.headers)

    assert refused.status_code == 503, refused.text
    assert refused.headers["Retry-After"] == "1"
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["code"] == "busy"
    assert db.row_counts(bank.engine, "records") == {"records": 0}
    again = client.post("/v1/me/records", json=RECORD, headers=person.headers)
    assert again.status_code == 201, again.text


def test_a_page_that_cannot_get_the_lock_says_so_in_the_visitors_language(
    client: TestClient, bank: Bank
) -> None:
    web.sign_up(client, bank)
    token = web.csrf(client.get("/records").text)

    with write_lock_held(bank):
        refused = client.post(
            "/records",
            data={"csrf_token": token, "category": "lifelog.sleep", "value": "7 時間"},
        )

    assert refused.status_code == 503
    assert refused.headers["Retry-After"] == "1"
    assert "混み合っています" in refused.text
    assert db.row_counts(bank.engine, "records") == {"records": 0}


def test_a_read_only_unit_of_work_cannot_commit(bank: Bank) -> None:
    with bank.context.read() as uow, pytest.raises(RuntimeError, match="read-only"):
        uow.commit()


def test_writes_queue_behind_each_other_instead_of_failing(client: TestClient, bank: Bank) -> None:
    """Lock waits shorter than the timeout are not errors: held briefly, then let go."""
    person = api.sign_up(client)
    answers: list[int] = []

    with write_lock_held(bank):
        writer = threading.Thread(
            target=lambda: answers.append(
                client.post("/v1/me/records", json=RECORD, headers=person.headers).status_code
            )
        )
        writer.start()
        writer.join(timeout=0.05)  # the write is now waiting for the lock
    writer.join(timeout=10)

    assert answers == [201]
