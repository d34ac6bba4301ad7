"""Deliveries (提供): built by the worker for each due consent, fetched and acknowledged by the
recipient; the benefit (便益) is credited once per consent on the first acknowledgement
(``benefits.credit``).

    due consent ─► decide(provide) ─► records in scope ─► JSON ─► JWS(bank) ─► JWE(recipient)
               ─► stored with its log leaf and the next schedule, in one transaction

``decide`` runs again when the recipient fetches, so a consent revoked, a recipient suspended
or a certificate lapsed after building stops the package at the door (410 / 403).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime, timedelta
from typing import Any

from infobank.domain.deliveries import Delivery, Revocation
from infobank.domain.errors import Conflict, Gone, InvalidInput, NotFound
from infobank.domain.pages import Page, PageRequest
from infobank.domain.policy import Action, Request, decide
from infobank.services import benefits, mynaportal, transparency
from infobank.services.context import Context
from infobank.services.facts import gather
from infobank.services.ports.unit_of_work import UnitOfWork
from infobank.services.records import open_record
from infobank.services.refusals import refusal

__all__ = [
    "acknowledge",
    "acknowledge_revocation",
    "build_due",
    "build_for_consent",
    "fetch",
    "list_deliveries",
    "list_revocations",
]


def _iso(at: datetime | None) -> str | None:
    return at.isoformat().replace("+00:00", "Z") if at else None


def build_for_consent(
    ctx: Context, consent_id: str, *, skip_locked: bool = False
) -> Delivery | None:
    """Build the next package for one consent if it is due; None if not due or refused.

    The consent row is locked first, so a revocation racing with this build either commits
    before (and this sees it revoked) or after (and withdraws this package). With
    ``skip_locked`` a consent another worker is building is left to it.
    """
    now = ctx.clock.now()
    with ctx.uow() as uow:
        consent = uow.consents.get(consent_id, for_update=True, skip_locked=skip_locked)
        if (
            consent is None
            or consent.status != "active"
            or consent.next_delivery_at is None
            or consent.next_delivery_at > now
        ):
            return None
        offer = uow.offers.get(consent.offer_id)
        jwk = uow.endpoints.jwk(consent.recipient_id)
        wrapped = uow.persons.wrapped_key(consent.person_id)
        if offer is None or jwk is None or wrapped is None:
            return None  # no key registered yet: try again on the next round
        categories = consent.artefact["categories"]
        # Every record in scope not carried yet (not "newer than the last package": a record
        # whose writer committed after that build read the records must still arrive).
        carried = uow.deliveries.delivered_records(consent.id)
        stored = [
            s
            for category in categories
            for s in uow.records.list(consent.person_id, category)
            if s.id not in carried
        ]
        facts = gather(
            ctx,
            uow,
            consent.person_id,
            offer,
            consent,
            frozenset(s.acquired_via.value for s in stored),
        )
        request = Request(
            action=Action.PROVIDE,
            categories=frozenset(categories),
            purpose_code=offer.purpose_code,
            recipient_id=consent.recipient_id,
        )
        decision = decide(request, facts, now, ctx.guideline_version)
        if not decision.allowed:
            return None
        range_from = consent.artefact.get("data_range", {}).get("from")
        records = [open_record(ctx, wrapped, s) for s in stored]
        if range_from:
            start = datetime.fromisoformat(range_from)
            records = [r for r in records if (r.observed_at or r.created_at) >= start]
        every = consent.artefact.get("fetch", {}).get("every")
        next_at = (
            now + timedelta(days=int(every)) if offer.fetch_mode == "periodic" and every else None
        )
        if not records:
            uow.consents.set_schedule(consent.id, next_at)
            uow.commit()
            return None
        sequence = uow.deliveries.next_sequence(consent.id)
        delivery_id = str(uuid.uuid4())
        document: dict[str, Any] = {
            "delivery": delivery_id,
            "consent": consent.id,
            "sequence": sequence,
            "person": consent.artefact["person"],
            "identity": mynaportal.identity_claim(uow, consent.person_id),  # 本人確認
            "purpose": consent.artefact["purpose"],
            "data_life": consent.artefact["data_life"],
            "created_at": _iso(now),
            "records": [
                {
                    "id": r.id,
                    "category": r.category,
                    "observed_at": _iso(r.observed_at),
                    "acquired_via": r.acquired_via.value,
                    "data": r.data,
                }
                for r in records
            ],
        }
        payload = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
        digest = hashlib.sha256(payload).hexdigest()
        jwe = ctx.sealer.seal(payload, jwk)
        index = transparency.append(
            ctx,
            uow,
            "delivery.built",
            now,
            person_id=consent.person_id,
            consent=consent.id,
            delivery=delivery_id,
            recipient=consent.recipient_id,
            payload_sha256=digest,
            records=len(records),
        )
        delivery = Delivery(
            id=delivery_id,
            consent_id=consent.id,
            recipient_id=consent.recipient_id,
            person_id=consent.person_id,
            sequence=sequence,
            status="ready",
            jwe=jwe,
            digest=digest,
            record_count=len(records),
            categories=tuple(sorted({r.category for r in records})),
            created_at=now,
            log_index=index,
        )
        uow.deliveries.add(delivery)
        uow.deliveries.record_delivered(consent.id, delivery_id, [r.id for r in records])
        uow.consents.set_schedule(consent.id, next_at)
        uow.commit()
    return delivery


def build_due(ctx: Context, limit: int = 100) -> int:
    """Build packages for every consent that is due; each in its own transaction."""
    with ctx.read() as uow:
        due = uow.consents.due(ctx.clock.now(), limit)
    # Several workers read the same due list; each builds what the others are not building.
    built = (build_for_consent(ctx, consent_id, skip_locked=True) for consent_id in due)
    return sum(1 for delivery in built if delivery is not None)


def _owned(uow: UnitOfWork, delivery_id: str, recipient_id: str) -> Delivery:
    delivery = uow.deliveries.get(delivery_id, for_update=True)
    if delivery is None or delivery.recipient_id != recipient_id:
        raise NotFound("no such delivery")
    return delivery


def list_deliveries(
    ctx: Context, recipient_id: str, status: str | None, request: PageRequest
) -> Page[Delivery]:
    """One page of the recipient's packages, newest first."""
    with ctx.read() as uow:
        return uow.deliveries.for_recipient(recipient_id, status, request)


def fetch(ctx: Context, recipient_id: str, delivery_id: str) -> Delivery:
    """Hand over a package after deciding again; a refusal is logged and explained."""
    now = ctx.clock.now()
    with ctx.uow() as uow:
        delivery = _owned(uow, delivery_id, recipient_id)
        consent = uow.consents.get(delivery.consent_id)
        assert consent is not None
        if delivery.status == "withdrawn" or delivery.jwe is None:
            raise Gone(
                "the person stopped this provision; the package is withdrawn",
                code="consent_revoked",
            )
        offer = uow.offers.get(consent.offer_id)
        assert offer is not None
        facts = gather(ctx, uow, consent.person_id, offer, consent)
        request = Request(
            action=Action.PROVIDE,
            categories=frozenset(delivery.categories),
            purpose_code=offer.purpose_code,
            recipient_id=recipient_id,
        )
        decision = decide(request, facts, now, ctx.guideline_version)
        if not decision.allowed:
            transparency.append(
                ctx,
                uow,
                "delivery.refused",
                now,
                person_id=consent.person_id,
                delivery=delivery.id,
                consent=consent.id,
                rules=list(decision.rules),
            )
            uow.commit()
            if consent.status in ("revoked", "expired"):
                raise Gone("the consent has ended", code="consent_revoked")
            raise refusal(decision, "this package may not be provided now")
        if delivery.fetch_count >= ctx.limits.max_fetches_per_delivery:
            raise Conflict(
                f"this package was already downloaded {delivery.fetch_count} times, the most "
                "allowed; keep the copy you have",
                code="fetch_limit_reached",
            )
        if delivery.status == "ready":
            index = transparency.append(
                ctx,
                uow,
                "delivery.fetched",
                now,
                person_id=consent.person_id,
                delivery=delivery.id,
                consent=consent.id,
            )
            uow.deliveries.count_fetch(delivery.id, first_at=now, log_index=index)
            uow.consents.record_use(consent.id, now)
        else:
            uow.deliveries.count_fetch(delivery.id)
        uow.commit()
    return delivery


def acknowledge(ctx: Context, recipient_id: str, delivery_id: str) -> Delivery:
    """The recipient confirms receipt; the first acknowledgement under a consent credits the
    person's benefit exactly once (the ledger key is the consent id)."""
    now = ctx.clock.now()
    with ctx.uow() as uow:
        delivery = _owned(uow, delivery_id, recipient_id)
        if delivery.status == "withdrawn":
            raise Gone("the package was withdrawn", code="consent_revoked")
        if delivery.status == "ready":
            raise InvalidInput("fetch the package before acknowledging it", code="not_fetched")
        if delivery.status == "fetched":
            index = transparency.append(
                ctx,
                uow,
                "delivery.acknowledged",
                now,
                person_id=delivery.person_id,
                delivery=delivery.id,
                consent=delivery.consent_id,
            )
            uow.deliveries.mark(delivery.id, "acknowledged", now, index)
            consent = uow.consents.get(delivery.consent_id)
            offer = uow.offers.get(consent.offer_id) if consent else None
            if offer is not None:
                benefits.credit(uow, delivery.consent_id, offer, delivery.person_id, now)
        uow.commit()
        updated = uow.deliveries.get(delivery_id)
    assert updated is not None
    return updated


def list_revocations(ctx: Context, recipient_id: str, request: PageRequest) -> Page[Revocation]:
    """One page of the recipient's stop notices, newest first."""
    with ctx.read() as uow:
        return uow.revocations.for_recipient(recipient_id, request)


def acknowledge_revocation(
    ctx: Context, recipient_id: str, revocation_id: str, method: str
) -> Revocation:
    """The recipient confirms it deleted or de-identified the data; the person sees it."""
    if method not in ("deleted", "deidentified"):
        raise InvalidInput("method must be deleted or deidentified")
    now = ctx.clock.now()
    with ctx.uow() as uow:
        revocation = uow.revocations.get(revocation_id)
        if revocation is None or revocation.recipient_id != recipient_id:
            raise NotFound("no such revocation")
        if revocation.acknowledged_at is None:
            consent = uow.consents.get(revocation.consent_id)
            transparency.append(
                ctx,
                uow,
                "revocation.acknowledged",
                now,
                person_id=consent.person_id if consent else None,
                consent=revocation.consent_id,
                method=method,
            )
            uow.revocations.acknowledge(revocation_id, method, now)
            if consent is not None:
                uow.notifications.add(
                    consent.person_id,
                    "revocation.confirmed",
                    {"consent_id": consent.id, "method": method},
                    now,
                )
        uow.commit()
        updated = uow.revocations.get(revocation_id)
    assert updated is not None
    return updated
