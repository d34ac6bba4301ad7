"""The migrations build exactly the schema the models declare, in one linear history, and can
be walked down to nothing and up again, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from infobank.adapters.db.engine import make_engine
from infobank.adapters.db.migrate import alembic_config, upgrade
from infobank.adapters.db.models import Base  # the package registers every table
from tests.support import db


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
        yield engine
        engine.dispose()
        return
    url = request.getfixturevalue("postgres_url")
    with db.postgres_schema(url) as schema:
        engine = make_engine(url, schema=schema)
        with engine.begin() as connection:  # start from nothing, not from the migrated schema
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "base")
        yield engine
        engine.dispose()


def _differences(engine: Engine) -> list[object]:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def test_one_linear_history_numbered_in_order() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1
    chain = [rev.revision for rev in script.walk_revisions("base", "heads")][::-1]
    assert chain == [f"{n:04d}" for n in range(1, len(chain) + 1)]
    for rev in script.walk_revisions("base", "heads"):
        assert Path(rev.path).name.startswith(rev.revision + "_")


def test_the_migrated_schema_is_the_models_schema(empty: Engine) -> None:
    upgrade(empty)
    assert _differences(empty) == []


def test_down_to_nothing_and_up_again(empty: Engine) -> None:
    upgrade(empty)
    config = alembic_config()
    with empty.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    upgrade(empty)
    assert _differences(empty) == []


def test_reviews_keep_their_free_text_as_notes_and_are_numbered_in_order(empty: Engine) -> None:
    """0015: the free-text conditions recorded so far become notes, and each offer's
    decisions are numbered by time (then id), so the one in force stays the last."""
    upgrade(empty, "0014")
    at = "2026-01-05 09:00:00+00:00"
    later = "2026-02-05 09:00:00+00:00"
    with empty.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO staff (id, email, password_hash, role, created_at) "
                "VALUES ('s1', 'e@bank.example', 'x', 'ethics', :at)"
            ),
            {"at": at},
        )
        connection.execute(
            text(
                "INSERT INTO recipients (id, name, industry, client_id, secret_hash, "
                "contact_email, created_at) VALUES ('r1', 'R', 'insurance', 'c1', 'h', '', :at)"
            ),
            {"at": at},
        )
        connection.execute(
            text(
                "INSERT INTO offers (id, recipient_id, status, title, purpose_code, purpose_text,"
                " categories, benefit_points, retention_days, consent_duration_days, fetch_mode,"
                " profiling, reprovision_parties, target, capacity, created_at) VALUES ('o1',"
                " 'r1', 'open', 'T', 'p', 't', '[]', 1, 1, 1, 'one_time', false, '[]', '{}', 1,"
                " :at)"
            ),
            {"at": at},
        )
        for review_id, decided, conditions in (
            ("b", later, '["年 1 回の報告"]'),
            ("a", at, "[]"),
        ):
            connection.execute(
                text(
                    "INSERT INTO reviews (id, offer_id, reviewer_id, decision, minutes,"
                    " conditions, decided_at) VALUES (:id, 'o1', 's1', 'approve', 'm', :c, :at)"
                ),
                {"id": review_id, "c": conditions, "at": decided},
            )

    upgrade(empty)

    with empty.connect() as connection:
        rows = connection.execute(text("SELECT id, seq, notes FROM reviews ORDER BY seq")).all()
    assert [(r[0], r[1]) for r in rows] == [("a", 1), ("b", 2)]
    assert [json.loads(r[2]) if isinstance(r[2], str) else r[2] for r in rows] == [
        [],
        ["年 1 回の報告"],
    ]
