"""The unit of work owns the transaction (STYLE §4); migrations build the schema (SPEC §2)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from infobank.adapters.db.engine import make_engine
from infobank.adapters.db.migrate import upgrade
from infobank.bootstrap import Bank
from infobank.domain.identity import StaffMember, StaffRole
from tests.support.db import row_counts


def _member(bank: Bank) -> StaffMember:
    return StaffMember(
        id=str(uuid.uuid4()),
        email=f"{uuid.uuid4().hex[:8]}@bank.example",
        password_hash="not-a-real-hash",
        role=StaffRole.SUPPORT,
        created_at=bank.context.clock.now(),
    )


def test_rolls_back_uncommitted_work_by_default(bank: Bank) -> None:
    with bank.context.uow() as uow:
        uow.staff.add(_member(bank))
        uow.login_failures.record("acct:x", bank.context.clock.now())
    assert row_counts(bank.engine, "staff", "login_failures") == {"staff": 0, "login_failures": 0}


def test_rolls_back_when_the_block_raises(bank: Bank) -> None:
    with pytest.raises(RuntimeError), bank.context.uow() as uow:
        uow.staff.add(_member(bank))
        raise RuntimeError("a use case failed half-way")
    assert row_counts(bank.engine, "staff")["staff"] == 0


def test_commits_work_when_told_to(bank: Bank) -> None:
    member = _member(bank)
    with bank.context.uow() as uow:
        uow.staff.add(member)
        uow.commit()
    with bank.context.uow() as uow:
        found = uow.staff.by_email(member.email)
    assert found is not None and found.id == member.id


def test_migrations_build_a_fresh_sqlite_file_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "fresh.db"
    engine = make_engine(f"sqlite:///{path}")
    try:
        upgrade(engine)
        upgrade(engine)  # applying again is a no-op
        tables = set(inspect(engine).get_table_names())
        assert {"persons", "person_keys", "records", "access_tokens", "alembic_version"} <= tables
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO person_keys (person_id, wrapped_key, created_at) "
                    "VALUES ('no-such-person', x'00', '2026-01-01 00:00:00')"
                )
            )
    finally:
        engine.dispose()
    assert path.exists()
