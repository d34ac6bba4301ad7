"""The migrations build exactly the schema the models declare, in one linear history, and can
be walked down to nothing and up again, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

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
