"""Moving a person's data between information banks (情報銀行間連携).

    sending bank                                   receiving bank
      bundle: records, consent history, profile      GET /v1/bank/transfer-key (X25519, use enc)
      JWS (sending bank, Ed25519) ──► JWE (ECDH-ES+A256KW, A256GCM) to the receiving bank's key
      POST /v1/transfers {bundle, jwks} ────────────► decrypt, verify, check audience and expiry;
                                                       hold it, still encrypted, under the
                                                       person's e-mail lookup (pending)
                                                     the person signs up or logs in there and
                                                       confirms ──► records re-encrypted under
                                                       their own data key; history kept sealed

The receiving bank learns nothing of the person until it decrypts the bundle, and imports
nothing until the person confirms.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["BUNDLE_FORMAT", "BUNDLE_TYP", "IncomingTransfer", "OutgoingTransfer"]

BUNDLE_FORMAT = "infobank-transfer/1"
BUNDLE_TYP = "infobank-transfer+jwt"


@dataclass(frozen=True, slots=True)
class OutgoingTransfer:
    id: str
    person_id: str
    target_url: str
    status: str  # sending | sent | failed
    created_at: datetime
    record_count: int = 0
    consent_count: int = 0
    remote_id: str | None = None
    error: str | None = None
    sent_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class IncomingTransfer:
    id: str
    transfer_ref: str  # issuer and the sender's transfer id, hashed: one import per bundle
    issuer: str
    sender_kid: str
    sender_jwks: dict[str, object]
    email_lookup: str
    bundle: str | None  # the JWE as received; dropped once imported or expired
    status: str  # pending | imported | expired
    received_at: datetime
    expires_at: datetime
    record_count: int
    consent_count: int
    person_id: str | None = None
    imported_at: datetime | None = None
    history_enc: bytes | None = None
