"""Reclaiming the space erased rows held, after the end of the business.

Destroying a person's wrapped data key deletes its row, but a database may keep the deleted
bytes in free pages (SQLite) or dead tuples (PostgreSQL) until the space is reused. With the
master key still on disk such a leftover could be unwrapped, so after crypto-shredding
everyone the store is rewritten: SQLite ``VACUUM`` and a WAL checkpoint that truncates the
log, PostgreSQL ``VACUUM FULL`` of the key table.
"""

from __future__ import annotations

from sqlalchemy import Engine

__all__ = ["reclaim_erased"]


def reclaim_erased(engine: Engine) -> None:
    raw = engine.raw_connection()
    try:
        if engine.dialect.name == "sqlite":
            cursor = raw.cursor()
            cursor.execute("VACUUM")  # the driver runs in autocommit (see engine.py)
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.close()
            return
        driver = raw.driver_connection
        assert driver is not None
        before = driver.autocommit
        raw.commit()
        driver.autocommit = True
        try:
            cursor = raw.cursor()
            cursor.execute("VACUUM FULL person_keys")
            cursor.close()
        finally:
            driver.autocommit = before
    finally:
        raw.close()
