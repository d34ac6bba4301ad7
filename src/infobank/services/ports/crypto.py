"""Crypto ports: password hashing, envelope encryption of personal data, signatures and
sealed packages. Their docstrings say how each must (and must not) be used."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

__all__ = ["DataKeys", "Passwords", "Sealer", "Signer"]


class Passwords(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, hashed: str | None, password: str) -> bool:
        """Constant work whether or not ``hashed`` exists; False on any mismatch."""
        ...


class DataKeys(Protocol):
    """Envelope encryption. ``aad`` must bind each ciphertext to the row that holds it."""

    def new_wrapped_key(self, owner_id: str) -> bytes: ...

    def encrypt(self, wrapped_key: bytes, owner_id: str, plaintext: bytes, aad: bytes) -> bytes: ...

    def decrypt(self, wrapped_key: bytes, owner_id: str, blob: bytes, aad: bytes) -> bytes: ...

    def derive(self, wrapped_key: bytes, owner_id: str, label: str) -> bytes: ...


class Signer(Protocol):
    """The bank's signature. ``verify`` checks only the signature, never what it says."""

    kid: str

    def sign(self, payload: bytes, *, typ: str = "JOSE") -> str: ...

    def verify(self, token: str) -> bytes | None: ...

    def jwks(self) -> dict[str, Any]: ...


class Sealer(Protocol):
    """Sign (bank, JWS) then encrypt (recipient, JWE). Never seal to an unvalidated key."""

    def validate_recipient_key(self, jwk: Mapping[str, Any]) -> dict[str, Any]: ...

    def seal(self, payload: bytes, recipient_jwk: Mapping[str, Any], *, typ: str = ...) -> str: ...
