"""Consents (同意): granted by the person or, within delegation rules, by the bank for them;
paused, resumed, revoked or all stopped at once, with effect in the same transaction.

Every status change is a consent event and a transparency log leaf, committed together. A
revocation withdraws undelivered packages at once and leaves a signed notice for the recipient
(API list, and a webhook job retried until it is acknowledged). Starts, expiries and
reminders over time are in ``consent_life``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from collections.abc import Callable
from datetime import datetime

from infobank.domain.consents import Consent, artefact_for, notice_digest, status_after
from infobank.domain.deliveries import Invitation, Revocation
from infobank.domain.errors import Conflict, NotFound
from infobank.domain.identity import PrincipalKind
from infobank.domain.offers import Offer
from infobank.domain.pages import Page, PageRequest
from infobank.domain.policy import Action, Request, decide
from infobank.services import bank_state, transparency
from infobank.services.context import Context
from infobank.services.disclosure import disclosure
from infobank.services.facts import gather
from infobank.services.ports.unit_of_work import UnitOfWork
from infobank.services.refusals import refusal

__all__ = [
    "accept",
    "change_status",
    "decline",
    "get_consent",
    "grant",
    "invite",
    "consents_page",
    "list_consents",
    "pause_for_suspension",
    "resume_after_reinstatement",
    "revoke_everything",
    "stop_all",
]


def _pseudonym(ctx: Context, person_id: str, recipient_id: str) -> str:
    """The person as this recipient sees them: stable per recipient, unlinkable across."""
    key = ctx.lookup("pseudonym-key", "v1").encode()
    digest = hmac.new(key, f"{person_id}:{recipient_id}".encode(), hashlib.sha256).digest()
    return "psn_" + base64.urlsafe_b64encode(digest[:18]).decode()


def invite(uow: UnitOfWork, offer: Offer, person_id: str, at: datetime) -> None:
    uow.offers.add_invitation(
        Invitation(
            id=str(uuid.uuid4()),
            offer_id=offer.id,
            person_id=person_id,
            status="open",
            created_at=at,
        )
    )


def grant(
    ctx: Context, uow: UnitOfWork, offer: Offer, person_id: str, *, mode: str, actor: str
) -> Consent:
    """Create the signed artefact, its log leaf and its first delivery schedule."""
    now = ctx.clock.now()
    person = uow.persons.get(person_id)
    consent_id = str(uuid.uuid4())
    shown = disclosure(ctx, uow, offer)
    # A post-dated offer gathers consents now that start later (pending until then).
    start = offer.starts_at if offer.starts_at is not None and offer.starts_at > now else now
    artefact = artefact_for(
        consent_id=consent_id,
        pseudonym=_pseudonym(ctx, person_id, offer.recipient_id),
        offer=offer,
        mode=mode,
        terms_version=person.terms_version if person else "",
        disclosure_digest=notice_digest(shown),
        at=now,
        start=start,
        profiling_infers=shown["profiling_infers"],
    )
    signed = ctx.signer.sign(
        json.dumps(artefact, sort_keys=True, separators=(",", ":")).encode(),
        typ="infobank-consent+jwt",
    )
    index = transparency.append(
        ctx,
        uow,
        "consent.granted",
        now,
        person_id=person_id,
        consent=consent_id,
        recipient=offer.recipient_id,
        offer=offer.id,
        mode=mode,
        artefact_sha256=hashlib.sha256(signed.encode()).hexdigest(),
    )
    consent = Consent(
        id=consent_id,
        person_id=person_id,
        recipient_id=offer.recipient_id,
        offer_id=offer.id,
        mode=mode,
        artefact=artefact,
        jws=signed,
        status="active" if start <= now else "pending",
        start=start,
        expiry=datetime.fromisoformat(artefact["expiry"]),
        use_count=0,
        last_used_at=None,
        status_changed_at=now,
        created_at=now,
        next_delivery_at=start,
        log_index=index,
    )
    uow.consents.add(consent)
    uow.consents.add_event(consent_id, "granted", actor, now, index)
    existing = uow.offers.invitation(offer.id, person_id)
    if existing is None:
        uow.offers.add_invitation(
            Invitation(
                id=str(uuid.uuid4()),
                offer_id=offer.id,
                person_id=person_id,
                status="accepted" if mode == "explicit" else "delegated",
                created_at=now,
                responded_at=now,
            )
        )
    else:
        uow.offers.answer_invitation(
            existing.id, "accepted" if mode == "explicit" else "delegated", now
        )
    uow.notifications.add(
        person_id,
        "consent.delegated" if mode == "delegated" else "consent.receipt",
        {"consent_id": consent_id, "offer_id": offer.id, "title": offer.title},
        now,
    )
    return consent


def accept(ctx: Context, person_id: str, offer_id: str) -> Consent:
    """The person accepts an offer in their inbox (explicit consent)."""
    now = ctx.clock.now()
    with ctx.uow() as uow:
        bank_state.refuse_if_closing(uow)
        offer = uow.offers.get(offer_id, for_update=True)
        invitation = uow.offers.invitation(offer_id, person_id)
        if offer is None or invitation is None:
            raise NotFound("no such offer in your inbox")
        if offer.status != "open":
            raise Conflict("the offer is not open", code="offer_closed")
        if uow.consents.exists_for(offer_id, person_id):
            raise Conflict("you already consented to this offer", code="already_consented")
        if uow.consents.count_for_offer(offer_id) >= offer.capacity:
            raise Conflict("the offer is full", code="offer_full")
        facts = gather(ctx, uow, person_id, offer, None)
        request = Request(
            action=Action.ACCEPT,
            categories=frozenset(offer.categories),
            purpose_code=offer.purpose_code,
            recipient_id=offer.recipient_id,
        )
        decision = decide(request, facts, now, ctx.guideline_version)
        if not decision.allowed:
            raise refusal(decision, "this offer cannot be accepted")
        consent = grant(ctx, uow, offer, person_id, mode="explicit", actor=person_id)
        uow.commit()
    return consent


def decline(ctx: Context, person_id: str, offer_id: str) -> None:
    with ctx.uow() as uow:
        invitation = uow.offers.invitation(offer_id, person_id)
        if invitation is None:
            raise NotFound("no such offer in your inbox")
        if invitation.status != "open":
            raise Conflict(f"this offer was already {invitation.status}", code="already_answered")
        uow.offers.answer_invitation(invitation.id, "declined", ctx.clock.now())
        uow.commit()


def _mine(
    uow: UnitOfWork, consent_id: str, person_id: str | None, *, for_update: bool = True
) -> Consent:
    consent = uow.consents.get(consent_id, for_update=for_update)
    if consent is None or (person_id is not None and consent.person_id != person_id):
        raise NotFound("no such consent")
    return consent


def apply_change(
    ctx: Context, uow: UnitOfWork, consent: Consent, action: str, actor: str, reason: str
) -> str:
    """Apply a status change (pause, resume, activate, revoke, expire) with its effects: the
    event and its log leaf, and for revoke or expire the withdrawn packages and the signed
    notice with its webhook job. Returns the new status."""
    now = ctx.clock.now()
    status = status_after(consent.status, action)
    uow.consents.set_status(consent.id, status, now)
    index = transparency.append(
        ctx,
        uow,
        f"consent.{status}",
        now,
        person_id=consent.person_id,
        consent=consent.id,
        recipient=consent.recipient_id,
    )
    uow.consents.add_event(consent.id, status, actor, now, index)
    if status in ("revoked", "expired"):
        withdrawn = uow.deliveries.withdraw_for_consent(consent.id, now)
        expired = status == "expired"
        notice = ctx.signer.sign(
            json.dumps(
                {
                    "type": "expiry" if expired else "revocation",
                    "consent": consent.id,
                    "person": consent.artefact.get("person"),
                    "reason": reason,
                    "withdrawn_deliveries": withdrawn,
                    "at": now.isoformat().replace("+00:00", "Z"),
                    "data_life": consent.artefact.get("data_life"),
                    "required": (
                        "no further provision; delete or de-identify the data when its data "
                        "life ends, and confirm"
                        if expired
                        else "stop using the data and delete or de-identify it"
                    ),
                },
                sort_keys=True,
                separators=(",", ":"),
            ).encode(),
            typ="infobank-revocation+jwt",
        )
        revocation = Revocation(
            id=str(uuid.uuid4()),
            consent_id=consent.id,
            recipient_id=consent.recipient_id,
            reason=reason,
            notice=notice,
            created_at=now,
        )
        uow.revocations.add(revocation)
        uow.jobs.enqueue("webhook", revocation.id, {"revocation_id": revocation.id}, now)
    return status


def change_status(
    ctx: Context, person_id: str, consent_id: str, action: str, *, reason: str = "person_request"
) -> Consent:
    """Pause, resume or revoke one of the person's consents, with effect at once."""
    with ctx.uow() as uow:
        consent = _mine(uow, consent_id, person_id)
        apply_change(ctx, uow, consent, action, person_id, reason)
        uow.commit()
        updated = uow.consents.get(consent_id)
    assert updated is not None
    return updated


def stop_all(ctx: Context, person_id: str) -> int:
    """提供停止: revoke every consent that is not already over, in one transaction."""
    with ctx.uow() as uow:
        revoked = 0
        for consent in uow.consents.for_person(person_id, ("active", "paused", "pending")):
            locked = _mine(uow, consent.id, person_id)
            apply_change(ctx, uow, locked, "revoke", person_id, "stop_all")
            revoked += 1
        uow.commit()
    return revoked


def revoke_everything(
    ctx: Context,
    actor: str,
    reason: str = "bank_terminating",
    *,
    batch: int = 100,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """End of the business (事業終了): revoke every consent that is not over, a batch per
    transaction; each recipient gets the signed notice (API list and webhook). Returns how many."""
    with ctx.read() as uow:
        ids = [c.id for c in uow.consents.with_status(("active", "paused", "pending"))]
    revoked = 0
    for start in range(0, len(ids), batch):
        with ctx.uow() as uow:
            for consent_id in ids[start : start + batch]:
                consent = _mine(uow, consent_id, None)
                if consent.status in ("active", "paused", "pending"):
                    apply_change(ctx, uow, consent, "revoke", actor, reason)
                    revoked += 1
            uow.commit()
        if progress is not None:
            progress(min(start + batch, len(ids)), len(ids))
    return revoked


def list_consents(ctx: Context, person_id: str) -> list[Consent]:
    with ctx.read() as uow:
        return uow.consents.for_person(person_id)


def consents_page(ctx: Context, person_id: str, request: PageRequest) -> Page[Consent]:
    """One page of the person's consents, newest first."""
    with ctx.read() as uow:
        return uow.consents.page_for_person(person_id, request)


def get_consent(
    ctx: Context, person_id: str, consent_id: str
) -> tuple[Consent, list[tuple[str, str, datetime, int | None]], str]:
    """The consent, its status history and the recipient's name."""
    with ctx.read() as uow:
        consent = _mine(uow, consent_id, person_id, for_update=False)
        recipient = uow.businesses.get(PrincipalKind.RECIPIENT, consent.recipient_id)
        return consent, uow.consents.events(consent_id), recipient.name if recipient else ""


def pause_for_suspension(ctx: Context, uow: UnitOfWork, recipient_id: str, actor: str) -> int:
    """A suspended recipient (統制環境に問題のある事業者) gets nothing: pause each of its active
    consents in the caller's transaction, and tell each person why. Returns how many."""
    now = ctx.clock.now()
    paused = 0
    for found in uow.consents.for_recipient(recipient_id, ("active",)):
        consent = _mine(uow, found.id, None)
        if consent.status != "active":
            continue
        apply_change(ctx, uow, consent, "pause", f"{_SUSPENSION}{actor}", "recipient_suspended")
        uow.notifications.add(
            consent.person_id,
            "consent.suspended",
            {"consent_id": consent.id, "recipient_id": recipient_id},
            now,
        )
        paused += 1
    return paused


def resume_after_reinstatement(ctx: Context, uow: UnitOfWork, recipient_id: str, actor: str) -> int:
    """Resume the consents that the suspension paused (not those the person paused)."""
    now = ctx.clock.now()
    resumed = 0
    for found in uow.consents.for_recipient(recipient_id, ("paused",)):
        events = uow.consents.events(found.id)
        if not events or not events[-1][1].startswith(_SUSPENSION):
            continue
        consent = _mine(uow, found.id, None)
        if consent.expiry <= now:
            continue  # the worker expires it; nothing to resume
        apply_change(ctx, uow, consent, "resume", f"reinstatement:{actor}", "recipient_reinstated")
        uow.notifications.add(
            consent.person_id,
            "consent.reinstated",
            {"consent_id": consent.id, "recipient_id": recipient_id},
            now,
        )
        resumed += 1
    return resumed


_SUSPENSION = "suspension:"
