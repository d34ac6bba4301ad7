"""A person's own account as a whole: everything the bank holds about them (export, データの
ポータビリティ), and closing the account (退会), which erases their data everywhere.

Deleting revokes every consent first (recipients get signed notices and must delete), then in
one transaction closes the account, ends every token and web session, logs the deletion and
destroys the person's data key, so every ciphertext of theirs, backups included, is unreadable.
"""

from __future__ import annotations

from typing import Any

from infobank.domain.identity import PrincipalKind
from infobank.services import (
    benefits,
    consents,
    delegation,
    inquiries,
    notifications,
    persons,
    provisions,
    records,
    transparency,
)
from infobank.services.context import Context

__all__ = ["delete_account", "export", "source_names"]


def source_names(ctx: Context) -> dict[str, str]:
    """Source id → name, to show where records came from (情報提供元)."""
    with ctx.read() as uow:
        return {b.id: b.name for b in uow.businesses.list(PrincipalKind.SOURCE)}


def export(ctx: Context, person_id: str) -> dict[str, Any]:
    """Everything held about the person, in one JSON document they can take elsewhere."""
    profile = persons.profile(ctx, person_id)
    balance, entries = benefits.statement(ctx, person_id)
    return {
        "format": "infobank-export/1",
        "exported_at": ctx.clock.now(),
        "profile": {
            "id": profile.id,
            "email": profile.email,
            "display_name": profile.display_name,
            "birth_date": profile.birth_date,
            "gender": profile.gender.value,
            "prefecture": profile.prefecture,
            "terms_version": profile.terms_version,
            "terms_agreed_at": profile.terms_agreed_at,
            "created_at": profile.created_at,
        },
        "records": [
            {
                "id": r.id,
                "category": r.category,
                "data": r.data,
                "observed_at": r.observed_at,
                "acquired_via": r.acquired_via.value,
                "source_id": r.source_id,
                "source_method": r.source_method,
                "purpose": r.purpose,
                "created_at": r.created_at,
            }
            for r in records.list_records(ctx, person_id)
        ],
        "consents": [
            {
                "id": c.id,
                "status": c.status,
                "mode": c.mode,
                "artefact": c.jws,
                "artefact_claims": c.artefact,
                "status_changed_at": c.status_changed_at,
            }
            for c in consents.list_consents(ctx, person_id)
        ],
        "provisions": provisions.provisions(ctx, person_id),
        "delegation": delegation.rules(ctx, person_id),
        "benefits": {"balance_points": balance, "entries": entries},
        "notifications": notifications.for_person(ctx, person_id),
        "inquiries": [
            {
                "id": i.id,
                "category": i.category,
                "subject": i.subject,
                "status": i.status,
                "created_at": i.created_at,
                "messages": [
                    {"from": m.author_kind, "body": m.body, "at": m.created_at} for m in i.messages
                ],
            }
            for i in inquiries.list_inquiries(ctx, person_id)
        ],
    }


def delete_account(ctx: Context, person_id: str) -> int:
    """Close the account and crypto-shred the person's data; returns how many consents were
    revoked on the way."""
    revoked = consents.stop_all(ctx, person_id)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        # The leaf is written while the key still exists, under the person's log pseudonym.
        transparency.append(ctx, uow, "person.deleted", now, person_id=person_id)
        uow.persons.mark_deleted(person_id, now)
        uow.tokens.revoke_for(PrincipalKind.PERSON, person_id, now)
        uow.web_sessions.revoke_for(PrincipalKind.PERSON, person_id, now)
        uow.persons.destroy_key(person_id)
        uow.commit()
    return revoked
