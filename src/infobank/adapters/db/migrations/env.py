"""Alembic environment: runs on the connection or URL that ``infobank.adapters.db.migrate``
hands it, never on a URL from an ini file."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from infobank.adapters.db.models import Base  # the package registers every table


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `infobank db upgrade`")
_run(connection)
