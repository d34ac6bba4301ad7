"""Bearer tokens, client secrets and one-time codes: random, shown once, stored as SHA-256.

These values carry 256 (codes: 60) bits of randomness, so a single SHA-256 stores them safely
and lets the server find a row by the hash of what the caller presents.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

__all__ = ["digest", "matches", "new_code", "new_token", "normalise_code"]

_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: people read these aloud


def new_token(prefix: str) -> str:
    """A 256-bit random token, prefixed by its kind so a leaked one is easy to recognise."""
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def new_code() -> str:
    """A 12-character one-time code in groups of four, e.g. ``K7QX-M2PA-9RTD``."""
    chars = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
    return "-".join(chars[i : i + 4] for i in range(0, 12, 4))


def normalise_code(code: str) -> str:
    return code.strip().upper().replace(" ", "").replace("-", "")


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def matches(value: str, stored_digest: str) -> bool:
    return hmac.compare_digest(digest(value), stored_digest)
