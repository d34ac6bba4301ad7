"""Worlds for the benchmarks, built through the services (as ``tests/support/worlds.py`` does):
staff, certified recipients with a key, approved offers, persons with records; and, for
populations too large for that, persons inserted in bulk through the SQLAlchemy models with
the same columns ``identity.sign_up`` writes (each with their own wrapped data key)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from joserfc.jwk import ECKey
from sqlalchemy import insert

from infobank.adapters.db import models as m
from infobank.bootstrap import Bank
from infobank.domain.identity import Gender, PrincipalKind, StaffRole
from infobank.domain.offers import Offer, Target
from infobank.domain.records import SELF_PURPOSE
from infobank.services import businesses, identity, offers, recipients
from infobank.services.context import Context
from infobank.services.identity import email_lookup

__all__ = [
    "PASSWORD",
    "RULE",
    "Recipient",
    "Team",
    "activity",
    "bulk_persons",
    "offer",
    "person",
    "recipient",
    "team",
]

PASSWORD = "bench-password-2026"
CATEGORY = "lifelog.activity"
PURPOSE = "insurance.product_design"
# A delegation rule (委任条件) that covers the benchmark offers.
RULE: dict[str, Any] = {
    "categories": [CATEGORY],
    "purposes": [PURPOSE],
    "industries": ["insurance"],
    "min_benefit_points": 0,
    "allow_profiling": False,
    "max_retention_days": 365,
}


@dataclass(frozen=True)
class Team:
    operator: str
    operator_token: str  # Bearer for the admin API
    ethics: str


@dataclass(frozen=True)
class Recipient:
    id: str
    client_id: str
    client_secret: str
    key: ECKey  # its private P-256 key (the bank holds only the public half)


def team(ctx: Context, tag: str = "bench") -> Team:
    op = identity.create_staff(ctx, f"operator-{tag}@bench.example", PASSWORD, StaffRole.OPERATOR)
    ethics = identity.create_staff(ctx, f"ethics-{tag}@bench.example", PASSWORD, StaffRole.ETHICS)
    return Team(op.principal.id, op.token, ethics.principal.id)


def recipient(ctx: Context, staff: Team, name: str, webhook: str | None = None) -> Recipient:
    """A certified insurance recipient with an EC P-256 key (and a webhook if given)."""
    reg = businesses.register_business(
        ctx, PrincipalKind.RECIPIENT, name, "insurance", "dpo@bench.example"
    )
    rid = reg.business.id
    today = ctx.clock.now().date()
    businesses.add_certification(
        ctx,
        rid,
        businesses.NewCertification(
            "pmark", f"P-{rid[:8]}", today - timedelta(days=30), today + timedelta(days=365)
        ),
        recorded_by=staff.operator,
    )
    key = ECKey.generate_key("P-256", private=True, auto_kid=True)
    recipients.set_key(ctx, rid, key.as_dict(private=False))
    if webhook is not None:
        recipients.set_webhook(ctx, rid, webhook)
    return Recipient(rid, reg.business.client_id, reg.client_secret, key)


def offer(ctx: Context, staff: Team, rid: str, target: Target, capacity: int, title: str) -> str:
    """An approved offer of ``lifelog.activity`` for insurance design, not opened yet."""
    draft = offers.create_offer(
        ctx,
        rid,
        Offer(
            id="",
            recipient_id=rid,
            status="draft",
            title=title,
            purpose_code=PURPOSE,
            purpose_text="歩数データから保険商品を設計する",
            justification=None,
            categories=(CATEGORY,),
            benefit_points=300,
            retention_days=180,
            consent_duration_days=180,
            fetch_mode="one_time",
            fetch_every_days=None,
            data_range_days=None,
            profiling=False,
            reprovision_parties=(),
            target=target,
            capacity=capacity,
            created_at=ctx.clock.now(),
        ),
    )
    offers.submit_offer(ctx, draft.id, rid)
    offers.review_offer(ctx, draft.id, staff.ethics, "approve", "ベンチマーク用。承認。", [])
    return draft.id


def person(
    ctx: Context, email: str, *, gender: Gender, prefecture: str, birth: date | None = None
) -> str:
    return identity.sign_up(
        ctx,
        identity.SignUp(
            email=email,
            password=PASSWORD,
            display_name="山田 花子",
            birth_date=birth or date(1985, 4, 12),
            gender=gender,
            prefecture=prefecture,
            terms_version=ctx.terms.version,
        ),
    )


def activity(i: int, size: int = 2048) -> dict[str, Any]:
    """A day of step counts padded to ``size`` bytes as the bank serialises it (about)."""
    data: dict[str, Any] = {
        "date": "2026-11-25",
        "steps": 8000 + i,
        "steps_by_hour": [(i * 7 + h * 131) % 1200 for h in range(24)],
        "device": "bench-pedometer",
        "note": "",
    }
    used = len(json.dumps(data, separators=(",", ":"), sort_keys=True, ensure_ascii=False))
    data["note"] = "x" * max(0, size - used)
    return data


def bulk_persons(
    bank: Bank,
    count: int,
    *,
    chunk: int = 5000,
    rules: list[dict[str, Any]] | None = None,
    progress: Callable[[int], None] | None = None,
) -> None:
    """``count`` persons aged 21–69 across all prefectures and genders, each with their own
    wrapped data key, one small ``lifelog.activity`` record and (``rules``) delegation rules.

    Rows are what ``identity.sign_up``, ``records.add_record`` and
    ``delegation.replace_rules`` write, inserted a chunk per transaction. Everyone shares one
    password hash (the same password hashed once): valid, and Argon2 100,000 times is not what
    is measured. Records are sealed with the person's data key and bound to their row."""
    ctx = bank.context
    keys = ctx.data_keys
    now = ctx.clock.now()
    today = now.date()
    password_hash = ctx.passwords.hash(PASSWORD)
    terms = ctx.terms.version
    genders = [g.value for g in Gender]
    for start in range(0, count, chunk):
        persons, person_keys, stored, delegations = [], [], [], []
        for i in range(start, min(count, start + chunk)):
            pid = str(uuid.uuid4())
            wrapped = keys.new_wrapped_key(pid)
            email = f"p{i:07d}@bulk.bench.example"
            persons.append(
                {
                    "id": pid,
                    "email_lookup": email_lookup(ctx, email),
                    "email_enc": keys.encrypt(
                        wrapped, pid, email.encode(), f"person:{pid}:email".encode()
                    ),
                    "display_name_enc": keys.encrypt(
                        wrapped, pid, "山田 花子".encode(), f"person:{pid}:display_name".encode()
                    ),
                    "birth_date": date(today.year - 21 - i % 48, 1, 1),
                    "gender": genders[i % len(genders)],
                    "prefecture": f"{i % 47 + 1:02d}",
                    "password_hash": password_hash,
                    "terms_version": terms,
                    "terms_agreed_at": now,
                    "created_at": now,
                    "deleted_at": None,
                }
            )
            person_keys.append({"person_id": pid, "wrapped_key": wrapped, "created_at": now})
            rid = str(uuid.uuid4())
            payload = json.dumps({"steps": 8000 + i % 5000}, separators=(",", ":")).encode()
            aad = f"record:{rid}:{pid}:{CATEGORY}".encode()
            stored.append(
                {
                    "id": rid,
                    "person_id": pid,
                    "category": CATEGORY,
                    "payload": keys.encrypt(wrapped, pid, payload, aad),
                    "size_bytes": len(payload),
                    "observed_at": None,
                    "acquired_via": "self",
                    "source_id": None,
                    "source_method": None,
                    "purpose": SELF_PURPOSE,
                    "created_at": now,
                }
            )
            if rules is not None:
                delegations.append({"person_id": pid, "rules": rules, "updated_at": now})
        with bank.engine.begin() as conn:
            conn.execute(insert(m.Person), persons)
            conn.execute(insert(m.PersonKey), person_keys)
            conn.execute(insert(m.RecordRow), stored)
            if delegations:
                conn.execute(insert(m.DelegationRow), delegations)
        if progress is not None:
            progress(min(count, start + chunk))
