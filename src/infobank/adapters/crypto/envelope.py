"""Envelope encryption of personal data: a data key per person, wrapped by the master key.

    master key ──HKDF("data-key-wrap")──► wrap key
    wrap key ──AES-256-GCM(aad=person id)──► wrapped data key        (stored in the database)
    data key ──AES-256-GCM(aad=record id…)──► record payload         (stored in the database)

Destroying a person's wrapped data key makes every ciphertext under it unreadable, wherever
copies of it live (backups included): crypto-shredding.

Misuse warnings: never reuse a nonce (each call draws 96 random bits); always pass an ``aad``
that binds the ciphertext to its row, so a ciphertext copied onto another row fails to open.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

__all__ = ["AesGcmDataKeys", "DecryptionFailed"]

_NONCE = 12


class DecryptionFailed(Exception):
    """The ciphertext, its key or its associated data do not match."""


def _seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    nonce = secrets.token_bytes(_NONCE)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def _open(key: bytes, blob: bytes, aad: bytes) -> bytes:
    try:
        return AESGCM(key).decrypt(blob[:_NONCE], blob[_NONCE:], aad)
    except (InvalidTag, ValueError) as exc:
        raise DecryptionFailed("ciphertext does not open with this key") from exc


class AesGcmDataKeys:
    """Creates, wraps and uses per-person AES-256-GCM data keys."""

    def __init__(self, wrap_key: bytes) -> None:
        if len(wrap_key) != 32:
            raise ValueError("wrap key must be 32 bytes")
        self._wrap_key = wrap_key

    def new_wrapped_key(self, owner_id: str) -> bytes:
        """A fresh random data key, returned only in wrapped form."""
        return _seal(self._wrap_key, AESGCM.generate_key(bit_length=256), owner_id.encode())

    def encrypt(self, wrapped_key: bytes, owner_id: str, plaintext: bytes, aad: bytes) -> bytes:
        return _seal(self._unwrap(wrapped_key, owner_id), plaintext, aad)

    def decrypt(self, wrapped_key: bytes, owner_id: str, blob: bytes, aad: bytes) -> bytes:
        return _open(self._unwrap(wrapped_key, owner_id), blob, aad)

    def derive(self, wrapped_key: bytes, owner_id: str, label: str) -> bytes:
        """A value only holders of this owner's data key can compute (e.g. a log pseudonym
        key); it dies with the data key."""
        key = self._unwrap(wrapped_key, owner_id)
        return hmac.new(key, label.encode(), hashlib.sha256).digest()

    def _unwrap(self, wrapped_key: bytes, owner_id: str) -> bytes:
        return _open(self._wrap_key, wrapped_key, owner_id.encode())
