"""Argon2id for passwords, HMAC for lookups.

Passwords are low-entropy and need a slow, memory-hard hash (Argon2id). Lookup hashes (e.g. of
an email address) are keyed HMACs so the database alone does not reveal which address an
account belongs to. (High-entropy tokens need only SHA-256: ``infobank.services.credentials``.)
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher as _Argon2
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

__all__ = ["Argon2Passwords", "HmacLookup"]


class Argon2Passwords:
    def __init__(self, *, time_cost: int, memory_kib: int, parallelism: int) -> None:
        self._hasher = _Argon2(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)
        # A real hash to verify against when the account does not exist, so that an unknown
        # email costs the same time as a wrong password (no account enumeration by timing).
        self._decoy = self._hasher.hash(secrets.token_urlsafe(16))

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, hashed: str | None, password: str) -> bool:
        try:
            return bool(self._hasher.verify(hashed or self._decoy, password)) and bool(hashed)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False


class HmacLookup:
    """Keyed hash for finding rows by a personal value without storing the value."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def __call__(self, kind: str, value: str) -> str:
        return hmac.new(self._key, f"{kind}\x00{value}".encode(), hashlib.sha256).hexdigest()
