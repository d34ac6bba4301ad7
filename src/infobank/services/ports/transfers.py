"""Ports for moving banks (情報銀行間連携): transfer records, the bank's transfer key and
the other banks it talks to."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol

from infobank.domain.transfers import IncomingTransfer, OutgoingTransfer

__all__ = ["BankPeer", "PeerError", "TransferBook", "TransferKey"]


class TransferBook(Protocol):
    def add_outgoing(self, transfer: OutgoingTransfer) -> None: ...

    def finish_outgoing(
        self,
        transfer_id: str,
        status: str,
        at: datetime,
        *,
        remote_id: str | None = None,
        error: str | None = None,
    ) -> None: ...

    def outgoing(self, person_id: str) -> list[OutgoingTransfer]: ...

    def add_incoming(self, transfer: IncomingTransfer) -> bool:
        """False (nothing written) if a bundle with the same ``transfer_ref`` is held."""
        ...

    def incoming(
        self, transfer_id: str, *, for_update: bool = False
    ) -> IncomingTransfer | None: ...

    def incoming_by_ref(self, transfer_ref: str) -> IncomingTransfer | None: ...

    def incoming_for(self, email_lookup: str, person_id: str) -> list[IncomingTransfer]: ...

    def mark_imported(
        self, transfer_id: str, person_id: str, at: datetime, history_enc: bytes
    ) -> None: ...

    def expire_incoming(self, before: datetime | None) -> int:
        """Drop the bundles of pending imports that expired (all pending ones if None)."""
        ...


class TransferKey(Protocol):
    """The bank's own encryption key for bundles from other banks (X25519, ``use: enc``)."""

    def public_jwk(self) -> dict[str, Any]: ...

    def open(self, token: str, sender_jwks: Mapping[str, Any], typ: str) -> tuple[bytes, str]:
        """Decrypt, then verify the inner signature against ``sender_jwks``; returns the payload
        and the signing key's kid. ValueError if either step fails."""
        ...


class PeerError(Exception):
    """The other bank could not be reached, or refused the request (``status`` if it answered)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class BankPeer(Protocol):
    """Another infobank instance, reached over HTTP(S)."""

    def transfer_key(self, base_url: str) -> dict[str, Any]: ...

    def jwks(self, base_url: str) -> dict[str, Any]:
        """The bank's published signing keys (``/.well-known/jwks.json``)."""
        ...

    def send_bundle(self, base_url: str, body: Mapping[str, Any]) -> dict[str, Any]: ...
