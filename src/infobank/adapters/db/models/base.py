"""The declarative base and the naming convention every table follows.

Schema changes go through Alembic. Personal values are stored encrypted (``*_enc`` columns,
AES-256-GCM under the person's data key) or as keyed lookup hashes (``*_lookup``). Only what
set-wise targeting needs in SQL — birth date, gender, prefecture — is kept in the clear."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    MetaData,
    String,
)
from sqlalchemy.orm import DeclarativeBase

from infobank.adapters.db.types import UtcDateTime

__all__ = ["Base"]

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ID = String(36)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UtcDateTime, date: Date, str: String(255)}
