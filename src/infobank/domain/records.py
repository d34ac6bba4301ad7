"""Entrusted records (預託データ): one piece of a person's data with its provenance.

A record keeps where it came from, how it was acquired and the purpose it was collected for,
because the person, the ethics board and the recipient all need to know it (SPEC §6.1).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

__all__ = ["SELF_PURPOSE", "AcquiredVia", "LinkCode", "Record", "SourceLink", "StoredRecord"]

SELF_PURPOSE = "self_entrusted"  # 本人による預託: the person typed it in to keep it here


class AcquiredVia(StrEnum):
    """How the bank acquired a record (取得方法)."""

    SELF = "self"  # entered by the person
    SOURCE = "source"  # sent by a linked source (情報提供元) at the person's request
    MYNAPORTAL = "mynaportal"  # pulled from the Mynaportal self-information API


@dataclass(frozen=True, slots=True)
class Record:
    id: str
    person_id: str
    category: str
    data: dict[str, Any]
    observed_at: datetime | None
    acquired_via: AcquiredVia
    source_id: str | None
    source_method: str | None  # how the source itself obtained it, e.g. "pos_purchase"
    purpose: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class StoredRecord:
    """A record as stored: the payload is ciphertext under the person's data key."""

    id: str
    person_id: str
    category: str
    payload: bytes
    size_bytes: int
    observed_at: datetime | None
    acquired_via: AcquiredVia
    source_id: str | None
    source_method: str | None
    purpose: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class SourceLink:
    """A person's link with a source (情報提供元). The source knows only ``person_ref``."""

    id: str
    person_id: str
    source_id: str
    person_ref: str
    external_ref_enc: bytes
    created_at: datetime
    unlinked_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class LinkCode:
    code_hash: str
    person_id: str
    source_id: str
    expires_at: datetime
    created_at: datetime
    used_at: datetime | None = None
