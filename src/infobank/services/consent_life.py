"""Consent life (同意の有効期間): post-dated starts, expiries, expiry notices and the
periodic reminders (情報提供先・利用状況の定期的な通知). The worker calls ``sweep``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from infobank.domain.consents import Consent
from infobank.domain.identity import PrincipalKind
from infobank.services.consents import apply_change
from infobank.services.context import Context
from infobank.services.ports.unit_of_work import UnitOfWork

__all__ = ["sweep"]

EXPIRY_NOTICE = timedelta(days=14)

REMINDER_EVERY = timedelta(days=90)


def _each(ctx: Context, ids: list[str], act: Callable[[UnitOfWork, Consent], bool]) -> int:
    """Apply ``act`` to each consent in its own transaction, with the row locked; count the
    consents it changed (a row another worker already moved on is skipped)."""
    done = 0
    for consent_id in ids:
        with ctx.uow() as uow:
            consent = uow.consents.get(consent_id, for_update=True)
            if consent is not None and act(uow, consent):
                uow.commit()
                done += 1
    return done


def sweep(ctx: Context, limit: int = 100) -> dict[str, int]:
    """Start post-dated consents, expire ended ones (notices to person and recipient), warn
    persons of consents ending within 14 days, and remind each person of every consent that
    has been active for another 90 days (情報提供先・利用状況の定期的な通知)."""
    now = ctx.clock.now()
    with ctx.read() as uow:
        starting = uow.consents.starting(now, limit)
        ending = uow.consents.ending(now, limit)
        expiring = uow.consents.expiring(now + EXPIRY_NOTICE, limit)
        reminders = uow.consents.reminders_due(now - REMINDER_EVERY, limit)

    def start(uow: UnitOfWork, consent: Consent) -> bool:
        if consent.status != "pending" or consent.start > now:
            return False
        apply_change(ctx, uow, consent, "activate", "system", "started")
        _tell(uow, consent, "consent.started", now)
        return True

    def expire(uow: UnitOfWork, consent: Consent) -> bool:
        if consent.status not in ("pending", "active", "paused") or consent.expiry > now:
            return False
        apply_change(ctx, uow, consent, "expire", "system", "expired")
        _tell(uow, consent, "consent.expired", now)
        return True

    def warn(uow: UnitOfWork, consent: Consent) -> bool:
        if consent.status not in ("active", "paused") or uow.consents.notices(consent.id)[0]:
            return False
        _tell(uow, consent, "consent.expiring", now)
        uow.consents.mark_notice(consent.id, "expiry", now)
        return True

    def remind(uow: UnitOfWork, consent: Consent) -> bool:
        last = uow.consents.notices(consent.id)[1] or consent.start
        if consent.status != "active" or last > now - REMINDER_EVERY:
            return False
        _tell(uow, consent, "consent.reminder", now)
        uow.consents.mark_notice(consent.id, "reminder", now)
        return True

    return {
        "started": _each(ctx, starting, start),
        "expired": _each(ctx, ending, expire),
        "expiry_notices": _each(ctx, expiring, warn),
        "reminders": _each(ctx, reminders, remind),
    }


def _tell(uow: UnitOfWork, consent: Consent, kind: str, at: datetime) -> None:
    """A notification to the person about one of their consents, with what they need to
    recognise it and act on it."""
    offer = uow.offers.get(consent.offer_id)
    recipient = uow.businesses.get(PrincipalKind.RECIPIENT, consent.recipient_id)
    uow.notifications.add(
        consent.person_id,
        kind,
        {
            "consent_id": consent.id,
            "title": offer.title if offer else "",
            "recipient": recipient.name if recipient else "",
            "start": consent.start.isoformat().replace("+00:00", "Z"),
            "expiry": consent.expiry.isoformat().replace("+00:00", "Z"),
            "use_count": consent.use_count,
        },
        at,
    )
