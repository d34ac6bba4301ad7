"""Consents (同意): the immutable artefact of SPEC §5 and the status that lives beside it.

    pending ──► active ⇄ paused ──► revoked | expired        (rejected: never became active)

The artefact is built here as plain data; the service signs it (JWS) and records it. A change
of terms is a new consent, never an edit.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from infobank.domain.errors import Conflict
from infobank.domain.offers import Offer

__all__ = [
    "Consent",
    "artefact_for",
    "notice_digest",
    "receipt_for",
    "status_after",
]

_ALLOWED = {
    ("active", "pause"): "paused",
    ("paused", "resume"): "active",
    ("active", "revoke"): "revoked",
    ("paused", "revoke"): "revoked",
    ("pending", "revoke"): "revoked",
    ("pending", "activate"): "active",
    ("pending", "expire"): "expired",
    ("active", "expire"): "expired",
    ("paused", "expire"): "expired",
}


def status_after(status: str, action: str) -> str:
    following = _ALLOWED.get((status, action))
    if following is None:
        raise Conflict(f"a consent that is {status} cannot be {action}d", code="consent_state")
    return following


@dataclass(frozen=True, slots=True)
class Consent:
    id: str
    person_id: str
    recipient_id: str
    offer_id: str
    mode: str
    artefact: dict[str, Any]
    jws: str
    status: str
    start: datetime
    expiry: datetime
    use_count: int
    last_used_at: datetime | None
    status_changed_at: datetime
    created_at: datetime
    next_delivery_at: datetime | None = None
    log_index: int | None = None


def _iso(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")


def notice_digest(disclosure: dict[str, Any]) -> str:
    """SHA-256 of exactly what the person was shown, as canonical JSON."""
    raw = json.dumps(disclosure, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


def artefact_for(
    *,
    consent_id: str,
    pseudonym: str,
    offer: Offer,
    mode: str,
    terms_version: str,
    disclosure_digest: str,
    at: datetime,
    start: datetime | None = None,
    profiling_infers: Sequence[Mapping[str, object]] = (),
) -> dict[str, Any]:
    """The consent artefact (SPEC §5), modelled on India's Account Aggregator artefact.

    ``start`` is when provision may begin (a post-dated offer), ``at`` when it was given;
    the duration and the data range count from the start. ``profiling_infers`` names what
    the offer's profiling infers, as the person was shown it (code, names, sensitive)."""
    start = max(start, at) if start is not None else at
    expiry = start + timedelta(days=offer.consent_duration_days)
    range_days = offer.data_range_days
    return {
        "id": consent_id,
        "person": pseudonym,
        "recipient": offer.recipient_id,
        "offer": offer.id,
        "purpose": {
            "code": offer.purpose_code,
            "text": offer.purpose_text,
            "justification": offer.justification,
        },
        "categories": sorted(offer.categories),
        "data_range": {
            "from": _iso(start - timedelta(days=range_days)) if range_days else None,
            "to": _iso(expiry),
        },
        "start": _iso(start),
        "expiry": _iso(expiry),
        "data_life": {"days": offer.retention_days},
        "fetch": {"mode": offer.fetch_mode, "every": offer.fetch_every_days},
        "reprovision": {"parties": list(offer.reprovision_parties)},
        "profiling": offer.profiling,
        "profiling_infers": [dict(item) for item in profiling_infers],
        "benefit": {"points": offer.benefit_points},
        "mode": mode,
        "terms_version": terms_version,
        "notice_digest": disclosure_digest,
        "created_at": _iso(at),
    }


def receipt_for(artefact: dict[str, Any], recipient_name: str, bank_url: str) -> dict[str, Any]:
    """A consent record in ISO/IEC TS 27560 terms (the fields a person's app can show)."""
    return {
        "schema_version": "ISO/IEC TS 27560:2023",
        "record_id": artefact["id"],
        "data_subject": artefact["person"],
        "data_controller": {"name": "infobank", "url": bank_url},
        "recipients": [{"id": artefact["recipient"], "name": recipient_name}],
        "purposes": [
            {
                "purpose": artefact["purpose"]["code"],
                "description": artefact["purpose"]["text"],
                "legal_basis": "consent",
                "justification": artefact["purpose"]["justification"],
            }
        ],
        "personal_data_categories": artefact["categories"],
        "processing": {
            "profiling": artefact["profiling"],
            "profiling_infers": artefact.get("profiling_infers", []),
            "reprovision": artefact["reprovision"],
        },
        "storage": {"duration_days": artefact["data_life"]["days"]},
        "consent_type": "explicit" if artefact["mode"] == "explicit" else "delegated",
        "valid_from": artefact["start"],
        "valid_until": artefact["expiry"],
        "timestamp": artefact["created_at"],
        "notice_digest": artefact["notice_digest"],
    }
