"""The trust loop set up through the services (no HTTP): a certified recipient with a key, an
approved and open offer, and persons who accepted it. For tests that need many such worlds."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date

from joserfc.jwk import ECKey

from infobank.bootstrap import Bank
from infobank.domain.identity import Gender, PrincipalKind, StaffRole
from infobank.domain.offers import Offer, Target
from infobank.services import businesses, consents, identity, offers, recipients, records
from infobank.services.records import NewRecord

__all__ = ["Team", "World", "team", "world"]

_serial = itertools.count()
_GENDERS = tuple(Gender)


@dataclass(frozen=True)
class Team:
    operator: str
    ethics: str


@dataclass(frozen=True)
class World:
    recipient: str
    key: ECKey
    offer: str
    persons: list[str]
    consents: list[str]


def team(bank: Bank) -> Team:
    n = next(_serial)
    operator = identity.create_staff(
        bank.context, f"op{n}@bank.example", "correct horse battery", StaffRole.OPERATOR
    )
    ethics = identity.create_staff(
        bank.context, f"ethics{n}@bank.example", "correct horse battery", StaffRole.ETHICS
    )
    return Team(operator.principal.id, ethics.principal.id)


def world(
    bank: Bank,
    staff: Team,
    *,
    persons: int = 3,
    webhook: str | None = None,
    fetch_every_days: int | None = None,
    points: int = 300,
) -> World:
    """A certified recipient, an open offer and ``persons`` explicit consents to it."""
    ctx = bank.context
    n = next(_serial)
    # Each world's persons share a prefecture and gender no other recent world has, so an
    # offer opened in one world invites exactly its own persons.
    prefecture = f"{n % 47 + 1:02d}"
    gender = _GENDERS[(n // 47) % len(_GENDERS)]
    registered = businesses.register_business(
        ctx, PrincipalKind.RECIPIENT, f"recipient {n}", "insurance", "dpo@example.com"
    )
    rid = registered.business.id
    businesses.add_certification(
        ctx,
        rid,
        businesses.NewCertification("pmark", f"P-{n}", date(2025, 1, 1), date(2027, 12, 31)),
        staff.operator,
    )
    key = ECKey.generate_key("P-256", private=True, auto_kid=True)
    recipients.set_key(ctx, rid, key.as_dict(private=False))
    if webhook is not None:
        recipients.set_webhook(ctx, rid, webhook)
    people = []
    for i in range(persons):
        pid = identity.sign_up(
            ctx,
            identity.SignUp(
                email=f"world{n}-{i}@example.jp",
                password="correct horse battery",
                display_name="山田 花子",
                birth_date=date(1985, 4, 12),
                gender=gender,
                prefecture=prefecture,
                terms_version=ctx.terms.version,
            ),
        )
        records.add_record(ctx, pid, NewRecord("lifelog.activity", {"steps": 8000 + i}))
        people.append(pid)
    draft = offers.create_offer(
        ctx,
        rid,
        Offer(
            id="",
            recipient_id=rid,
            status="draft",
            title=f"歩数に応じた保険料割引 {n}",
            purpose_code="insurance.product_design",
            purpose_text="歩数データから保険商品を設計する",
            justification=None,
            categories=("lifelog.activity",),
            benefit_points=points,
            retention_days=180,
            consent_duration_days=180,
            fetch_mode="periodic" if fetch_every_days else "one_time",
            fetch_every_days=fetch_every_days,
            data_range_days=None,
            profiling=False,
            reprovision_parties=(),
            target=Target(age_min=20, age_max=70, prefectures=(prefecture,), genders=(gender,)),
            capacity=persons + 10,
            created_at=ctx.clock.now(),
        ),
    )
    offers.submit_offer(ctx, draft.id, rid)
    offers.review_offer(ctx, draft.id, staff.ethics, "approve", "目的と便益を確認した。", [])
    offers.open_offer(ctx, draft.id, staff.operator)
    granted = [consents.accept(ctx, pid, draft.id).id for pid in people]
    return World(rid, key, draft.id, people, granted)
