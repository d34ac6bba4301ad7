"""Signed tree heads (STH): what the bank vouches for about the transparency log at a moment.

    claims    {"root_hash": base64(MTH of the first tree_size leaves),
               "timestamp": "2026-11-26T09:00:00Z", "tree_size": n}
    payload   canonical JSON of the claims (sorted keys, no spaces, UTF-8)
    signature compact JWS (Ed25519) over exactly that payload, key in /.well-known/jwks.json

Hashes travel as standard base64 with padding (RFC 4648 section 4), as in RFC 9162's API.
Timestamps are whole seconds in UTC, so the stored head renders back to the signed bytes.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from infobank.domain.merkle import canonical_json

__all__ = [
    "HASH_SIZE",
    "TreeHead",
    "claims_from_payload",
    "decode_hash",
    "encode_hash",
    "head_time",
    "rfc3339",
]

HASH_SIZE = 32
_CLAIMS = frozenset({"root_hash", "timestamp", "tree_size"})


def encode_hash(value: bytes) -> str:
    """Standard base64 (with padding) of a hash."""
    return base64.b64encode(value).decode("ascii")


def decode_hash(text: object) -> bytes | None:
    """The 32-byte hash in ``text`` (standard base64), or None if it is anything else."""
    if not isinstance(text, str):
        return None
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        return None
    return raw if len(raw) == HASH_SIZE else None


def head_time(at: datetime) -> datetime:
    """``at`` as a head timestamp: UTC, whole seconds."""
    return at.astimezone(UTC).replace(microsecond=0)


def rfc3339(at: datetime) -> str:
    """RFC 3339 in UTC with a ``Z``, e.g. ``2026-11-26T09:00:00Z``."""
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True, slots=True)
class TreeHead:
    """A tree head; ``signature`` is empty until the bank signs ``payload()``."""

    tree_size: int
    root_hash: bytes
    timestamp: datetime
    signature: str = ""

    def claims(self) -> dict[str, Any]:
        return {
            "root_hash": encode_hash(self.root_hash),
            "timestamp": rfc3339(self.timestamp),
            "tree_size": self.tree_size,
        }

    def payload(self) -> bytes:
        """The exact bytes the signature covers."""
        return canonical_json(self.claims())

    def public(self) -> dict[str, Any]:
        """``{tree_size, root_hash, timestamp, signature}`` as the API publishes it."""
        return {**self.claims(), "signature": self.signature}


def claims_from_payload(payload: bytes) -> dict[str, Any] | None:
    """The claims of a signed head payload, or None unless it is exactly a canonical head.

    A verifier must trust only what was signed: the payload has to be canonical JSON holding
    nothing but the three claims, with a non-negative integer size and a 32-byte root.
    """
    try:
        claims = json.loads(payload)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(claims, dict) or set(claims) != _CLAIMS:
        return None
    size = claims["tree_size"]
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        return None
    if decode_hash(claims["root_hash"]) is None or not isinstance(claims["timestamp"], str):
        return None
    if canonical_json(claims) != payload:
        return None
    return claims
