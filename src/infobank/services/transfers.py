"""Moving a person's data to another information bank, and taking it in from one
(情報銀行間連携; see ``infobank.domain.transfers`` for the exchange drawn out).

Sending is the person's own act (``POST /v1/me/transfer``, or their choice when the bank
closes); receiving holds the bundle, still encrypted, until the person confirms it here.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from infobank.domain.errors import Conflict, Forbidden, Gone, InvalidInput, NotFound
from infobank.domain.identity import PrincipalKind
from infobank.domain.records import AcquiredVia
from infobank.domain.transfers import (
    BUNDLE_FORMAT,
    BUNDLE_TYP,
    IncomingTransfer,
    OutgoingTransfer,
)
from infobank.services import bank_state, persons, records, transparency
from infobank.services.context import Context
from infobank.services.identity import email_lookup
from infobank.services.ports.transfers import BankPeer, PeerError, TransferKey

__all__ = [
    "BUNDLE_LIFE",
    "HOLD",
    "check_target",
    "confirm",
    "expire_pending",
    "history",
    "mine",
    "receive",
    "send",
]

BUNDLE_LIFE = timedelta(days=7)  # a bundle not received within this is refused
HOLD = timedelta(days=90)  # how long a received bundle waits for the person to confirm it


def _iso(at: datetime | None) -> str | None:
    return at.isoformat().replace("+00:00", "Z") if at else None


def _normal(url: str) -> str:
    parts = urlsplit(url.strip())
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def check_target(ctx: Context, target_url: str) -> str:
    """The other bank's base URL in normal form, or InvalidInput. Only banks the operator
    listed as peers (``INFOBANK_PEER_BANKS``) are called: a person's input never makes this
    bank send requests to an address of their choosing."""
    parts = urlsplit(target_url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput("target_url must be an http(s) URL", code="validation_error")
    if parts.username or parts.password or parts.query or parts.fragment:
        raise InvalidInput(
            "target_url must be a bank's base URL, without credentials, query or fragment",
            code="validation_error",
        )
    normal = _normal(target_url)
    if normal == ctx.base_url.rstrip("/"):
        raise InvalidInput("target_url is this bank", code="validation_error")
    peers = {_normal(peer) for peer in ctx.limits.peer_banks}
    if normal not in peers:
        listed = ", ".join(sorted(peers)) or "none"
        raise InvalidInput(
            f"{normal} is not one of the banks this bank transfers to ({listed})",
            code="unknown_peer_bank",
        )
    return normal


def _bundle(ctx: Context, person_id: str, transfer_id: str, audience: str) -> dict[str, Any]:
    """What moves: the person's records with their provenance and the history of their
    consents (signed artefacts and status changes). Only the e-mail of the profile goes, so
    the receiving bank can match the person who confirms."""
    now = ctx.clock.now()
    profile = persons.profile(ctx, person_id)
    with ctx.read() as uow:
        sources = {b.id: b.name for b in uow.businesses.list(PrincipalKind.SOURCE)}
        history = []
        for consent in uow.consents.for_person(person_id):
            recipient = uow.businesses.get(PrincipalKind.RECIPIENT, consent.recipient_id)
            offer = uow.offers.get(consent.offer_id)
            history.append(
                {
                    "id": consent.id,
                    "recipient": recipient.name if recipient else "",
                    "title": offer.title if offer else "",
                    "mode": consent.mode,
                    "status": consent.status,
                    "artefact": consent.jws,
                    "events": [
                        {"kind": kind, "at": _iso(at)}
                        for kind, _actor, at, _index in uow.consents.events(consent.id)
                    ],
                }
            )
    return {
        "format": BUNDLE_FORMAT,
        "id": transfer_id,
        "issuer": ctx.base_url.rstrip("/"),
        "audience": audience,
        "issued_at": _iso(now),
        "expires_at": _iso(now + BUNDLE_LIFE),
        "person": {"email": profile.email},
        "records": [
            {
                "id": r.id,
                "category": r.category,
                "data": r.data,
                "observed_at": _iso(r.observed_at),
                "acquired_via": r.acquired_via.value,
                "source": sources.get(r.source_id or "", None),
                "source_method": r.source_method,
                "purpose": r.purpose,
                "created_at": _iso(r.created_at),
            }
            for r in records.list_records(ctx, person_id)
        ],
        "consents": history,
    }


def send(ctx: Context, person_id: str, target_url: str, peer: BankPeer) -> OutgoingTransfer:
    """Seal the person's bundle to the other bank's key and hand it over; the other bank
    imports it once the person confirms there. Refused with 409 ``transfer_failed`` if the
    other bank cannot be reached or refuses it."""
    target = check_target(ctx, target_url)
    transfer_id = str(uuid.uuid4())
    try:
        advertised = peer.transfer_key(target)
        jwk = ctx.sealer.validate_recipient_key(advertised.get("jwk") or {})
        audience = str(advertised.get("issuer") or target).rstrip("/")
    except (PeerError, ValueError) as exc:
        raise Conflict(f"the other bank's key is unusable: {exc}", code="transfer_failed") from exc
    bundle = _bundle(ctx, person_id, transfer_id, audience)
    sealed = ctx.sealer.seal(
        json.dumps(bundle, ensure_ascii=False, separators=(",", ":")).encode(),
        jwk,
        typ=BUNDLE_TYP,
    )
    started = OutgoingTransfer(
        id=transfer_id,
        person_id=person_id,
        target_url=target,
        status="sending",
        created_at=ctx.clock.now(),
        record_count=len(bundle["records"]),
        consent_count=len(bundle["consents"]),
    )
    with ctx.uow() as uow:
        uow.transfers.add_outgoing(started)
        uow.commit()
    try:
        answer = peer.send_bundle(target, {"bundle": sealed, "issuer": ctx.base_url.rstrip("/")})
        error = None
    except PeerError as exc:
        answer, error = {}, str(exc)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        if error is None:
            remote = str(answer.get("id", ""))[:64] or None
            uow.transfers.finish_outgoing(transfer_id, "sent", now, remote_id=remote)
            transparency.append(
                ctx,
                uow,
                "person.transferred",
                now,
                person_id=person_id,
                transfer=transfer_id,
                target=target,
                records=started.record_count,
                consents=started.consent_count,
            )
        else:
            uow.transfers.finish_outgoing(transfer_id, "failed", now, error=error)
        uow.commit()
    if error is not None:
        raise Conflict(f"the transfer failed: {error}", code="transfer_failed")
    remote = answer.get("id")
    return replace(started, status="sent", sent_at=now, remote_id=str(remote) if remote else None)


def _read(key: TransferKey, token: str, jwks: dict[str, Any]) -> tuple[dict[str, Any], str]:
    try:
        payload, kid = key.open(token, jwks, BUNDLE_TYP)
        doc = json.loads(payload)
    except ValueError as exc:
        raise InvalidInput(str(exc), code="bundle_invalid") from exc
    if not isinstance(doc, dict) or doc.get("format") != BUNDLE_FORMAT:
        raise InvalidInput(f"the bundle is not {BUNDLE_FORMAT}", code="bundle_invalid")
    return doc, kid


def receive(
    ctx: Context, key: TransferKey, token: str, issuer_url: str, peer: BankPeer
) -> IncomingTransfer:
    """Take a bundle from another bank: check it, then hold it encrypted under the person's
    e-mail lookup until they confirm. The same bundle twice is held once.

    Only a bank the operator listed as a peer may send one, and its signature is checked
    against the keys that bank publishes (fetched from it), never keys the request brings."""
    sender = _normal(issuer_url)
    if sender not in {_normal(p) for p in ctx.limits.peer_banks}:
        raise Forbidden(f"{sender} is not a bank this bank trusts", code="unknown_peer_bank")
    try:
        jwks = peer.jwks(sender)
    except PeerError as exc:
        raise Conflict(
            f"the sending bank's keys could not be read: {exc}", code="peer_unreachable"
        ) from exc
    doc, kid = _read(key, token, jwks)
    now = ctx.clock.now()
    issuer = str(doc.get("issuer") or "")
    if _normal(issuer) != sender:
        raise InvalidInput("the bundle was issued by another bank", code="bundle_invalid")
    if doc.get("audience") != ctx.base_url.rstrip("/"):
        raise InvalidInput("the bundle is meant for another bank", code="bundle_invalid")
    try:
        expires = datetime.fromisoformat(str(doc.get("expires_at")))
        email = str(doc["person"]["email"])
        counts = len(doc["records"]), len(doc["consents"])
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidInput("the bundle is incomplete", code="bundle_invalid") from exc
    if expires <= now:
        raise InvalidInput("the bundle has expired", code="bundle_expired")
    if not issuer or issuer == ctx.base_url.rstrip("/"):
        raise InvalidInput("the bundle names no other issuing bank", code="bundle_invalid")
    ref = hashlib.sha256(f"{issuer}\n{doc.get('id')}".encode()).hexdigest()
    held = IncomingTransfer(
        id=str(uuid.uuid4()),
        transfer_ref=ref,
        issuer=issuer[:2048],
        sender_kid=kid[:256],
        sender_jwks=dict(jwks),
        email_lookup=email_lookup(ctx, email),
        bundle=token,
        status="pending",
        received_at=now,
        expires_at=now + HOLD,
        record_count=counts[0],
        consent_count=counts[1],
    )
    with ctx.uow() as uow:
        bank_state.refuse_if_closing(uow)
        if not uow.transfers.add_incoming(held):
            existing = uow.transfers.incoming_by_ref(ref)
            assert existing is not None
            return existing
        someone = uow.persons.by_email_lookup(held.email_lookup)
        if someone is not None:
            uow.notifications.add(
                someone.id,
                "transfer.pending",
                {"transfer_id": held.id, "issuer": issuer, "records": counts[0]},
                now,
            )
        transparency.append(
            ctx, uow, "transfer.received", now, person_id=None, transfer=held.id, issuer=issuer
        )
        uow.commit()
    return held


def mine(ctx: Context, person_id: str) -> list[IncomingTransfer]:
    """Bundles held for the person (by their e-mail), and the ones they imported."""
    with ctx.read() as uow:
        person = uow.persons.get(person_id)
        if person is None:
            raise NotFound("no such person")
        return uow.transfers.incoming_for(person.email_lookup, person_id)


def confirm(ctx: Context, key: TransferKey, person_id: str, transfer_id: str) -> dict[str, Any]:
    """The person confirms: records are imported under their own data key, and the consent
    history from the other bank is kept, sealed under that key, with the import."""
    now = ctx.clock.now()
    with ctx.uow() as uow:
        person = uow.persons.get(person_id)
        try:
            uuid.UUID(transfer_id)
            held = uow.transfers.incoming(transfer_id, for_update=True)
        except ValueError:
            held = None
        # Another person's bundle is answered exactly like a missing one.
        if person is None or held is None or held.email_lookup != person.email_lookup:
            raise NotFound("no such transfer")
        if held.status != "pending" or held.bundle is None:
            raise Conflict(f"this transfer is {held.status}", code="transfer_state")
        if held.expires_at <= now:
            raise Gone("this transfer expired before it was confirmed", code="transfer_expired")
        doc, _kid = _read(key, held.bundle, held.sender_jwks)
        imported: dict[str, str] = {}
        skipped: list[str] = []
        for item in doc["records"]:
            if item.get("category") not in ctx.catalogue:
                skipped.append(str(item.get("id")))
                continue
            observed = item.get("observed_at")
            imported[str(item.get("id"))] = records.entrust(
                ctx,
                uow,
                person_id,
                str(item["category"]),
                item.get("data") or {},
                datetime.fromisoformat(observed) if observed else None,
                acquired_via=AcquiredVia(item.get("acquired_via", "self")),
                source_method=item.get("source_method"),
                purpose=str(item.get("purpose") or "self_entrusted"),
            )
        history = {
            "issuer": held.issuer,
            "transferred_at": doc.get("issued_at"),
            "records": imported,
            "skipped": skipped,
            "consents": doc["consents"],
        }
        wrapped = uow.persons.wrapped_key(person_id)
        assert wrapped is not None
        sealed = ctx.data_keys.encrypt(
            wrapped, person_id, json.dumps(history).encode(), f"transfer:{held.id}".encode()
        )
        uow.transfers.mark_imported(held.id, person_id, now, sealed)
        transparency.append(
            ctx,
            uow,
            "transfer.imported",
            now,
            person_id=person_id,
            transfer=held.id,
            records=len(imported),
        )
        uow.commit()
    return {"id": held.id, "issuer": held.issuer, "imported": len(imported), "skipped": skipped}


def history(ctx: Context, person_id: str, held: IncomingTransfer) -> dict[str, Any] | None:
    """The consent history an imported transfer brought, opened with the person's key."""
    if held.history_enc is None or held.person_id != person_id:
        return None
    with ctx.read() as uow:
        wrapped = uow.persons.wrapped_key(person_id)
    if wrapped is None:
        return None
    plain = ctx.data_keys.decrypt(
        wrapped, person_id, held.history_enc, f"transfer:{held.id}".encode()
    )
    opened: dict[str, Any] = json.loads(plain)
    return opened


def expire_pending(ctx: Context, *, everything: bool = False) -> int:
    """Drop the bundles nobody confirmed in time (or all pending ones, when the bank closes)."""
    with ctx.uow() as uow:
        dropped = uow.transfers.expire_incoming(None if everything else ctx.clock.now())
        uow.commit()
    return dropped
