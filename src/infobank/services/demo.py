"""A demo bank: staff, sources, recipients with certificates, and a synthetic population.

Everything here is invented. The generator is seeded, so two demos hold the same people.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from infobank.domain.identity import Gender, PrincipalKind, StaffRole
from infobank.domain.mynaportal import MYNAPORTAL_CATEGORIES
from infobank.services import businesses, identity, joint_applications, records
from infobank.services.context import Context
from infobank.services.ports.crypto import Passwords

__all__ = ["DemoLogins", "seed_demo"]

DEMO_PASSWORD = "infobank-demo-2026"

_FAMILY = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤"]
_GIVEN = ["陽菜", "蓮", "結衣", "湊", "葵", "大翔", "凛", "悠真", "美咲", "翔太"]
_INTERESTS = ["旅行", "料理", "ランニング", "読書", "音楽", "映画", "キャンプ", "投資", "園芸"]
_SHOPS = ["コンビニ", "スーパー", "ドラッグストア", "書店", "家電量販店"]


@dataclass
class DemoLogins:
    staff: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # role → email, pw, token
    persons: list[str] = field(default_factory=list)
    person_password: str = DEMO_PASSWORD
    businesses: list[dict[str, str]] = field(default_factory=list)


class _SharedHash:
    """Hashes the one demo password once; a few hundred Argon2 runs would take minutes."""

    def __init__(self, inner: Passwords) -> None:
        self._inner = inner
        self._cached = inner.hash(DEMO_PASSWORD)

    def hash(self, password: str) -> str:
        return self._cached if password == DEMO_PASSWORD else self._inner.hash(password)

    def verify(self, hashed: str | None, password: str) -> bool:
        return self._inner.verify(hashed, password)


def _records_for(rng: random.Random, at: datetime) -> list[tuple[str, dict[str, Any], datetime]]:
    made: list[tuple[str, dict[str, Any], datetime]] = []
    for _ in range(rng.randint(1, 3)):
        made.append(
            (
                "lifelog.activity",
                {"steps": rng.randint(1500, 16000), "active_minutes": rng.randint(5, 120)},
                at - timedelta(days=rng.randint(0, 60)),
            )
        )
    if rng.random() < 0.7:
        made.append(("interests", {"topics": rng.sample(_INTERESTS, 3)}, at))
    if rng.random() < 0.5:
        made.append(
            ("lifelog.sleep", {"hours": round(rng.uniform(4.5, 9.0), 1)}, at - timedelta(days=1))
        )
    if rng.random() < 0.3:
        made.append(
            (
                "health.checkup",
                {"bmi": round(rng.uniform(17, 32), 1), "systolic_bp": rng.randint(100, 165)},
                at - timedelta(days=rng.randint(30, 300)),
            )
        )
    return made


def seed_demo(
    ctx: Context,
    *,
    people: int = 300,
    seed: int = 20261126,
    progress: Callable[[int], None] | None = None,
) -> DemoLogins:
    rng = random.Random(seed)
    ctx = replace(ctx, passwords=_SharedHash(ctx.passwords))
    logins = DemoLogins()
    now = ctx.clock.now()
    for role in StaffRole:
        email = f"{role.value}@demo.infobank.example"
        password = f"{role.value}-demo-2026"
        issued = identity.create_staff(ctx, email, password, role)
        logins.staff[role.value] = (email, password, issued.token)
        if role is StaffRole.OPERATOR:
            operator_id = issued.principal.id

    sources = []
    for name, industry in [("さくらマート", "retail"), ("歩数アプリ Walkee", "healthcare_app")]:
        reg = businesses.register_business(ctx, PrincipalKind.SOURCE, name, industry)
        sources.append(reg)
        logins.businesses.append(_business_login("source", reg))
    today = now.date()
    recipients = [
        (
            "みらい保険",
            "insurance",
            "pmark",
            today - timedelta(days=400),
            today + timedelta(days=330),
        ),
        (
            "ヘルスケア研究所",
            "research",
            "isms",
            today - timedelta(days=100),
            today + timedelta(days=630),
        ),
        (
            "旧データ商事",
            "marketing",
            "pmark",
            today - timedelta(days=1200),
            today - timedelta(days=40),
        ),
    ]
    for name, industry, kind, start, end in recipients:
        reg = businesses.register_business(
            ctx, PrincipalKind.RECIPIENT, name, industry, f"dpo@{industry}.demo.example"
        )
        businesses.add_certification(
            ctx,
            reg.business.id,
            businesses.NewCertification(
                kind, f"{kind.upper()}-{rng.randint(10000, 99999)}", start, end
            ),
            recorded_by=operator_id,
        )
        logins.businesses.append(_business_login("recipient", reg))
        if industry == "research":  # its Mynaportal use is approved (連名申請)
            joint_applications.register(
                ctx,
                operator_id,
                joint_applications.NewJointApplication(
                    recipient_id=reg.business.id,
                    purposes=["health.personal_advice", "health.research"],
                    categories=sorted(MYNAPORTAL_CATEGORIES),
                    approval_reference="DEMO-連名申請-2026-001",
                    approved_on=today - timedelta(days=30),
                ),
            )

    prefectures = ["13", "14", "27", "23", "01", "40", "11", "12", "26", "28"]
    for i in range(people):
        email = f"person{i:03d}@demo.infobank.example"
        person_id = identity.sign_up(
            ctx,
            identity.SignUp(
                email=email,
                password=DEMO_PASSWORD,
                display_name=rng.choice(_FAMILY) + " " + rng.choice(_GIVEN),
                birth_date=date(rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28)),
                gender=rng.choice(
                    [Gender.FEMALE, Gender.MALE, Gender.FEMALE, Gender.MALE, Gender.OTHER]
                ),
                prefecture=rng.choice(prefectures),
                terms_version=ctx.terms.version,
            ),
        )
        if i < 3:
            logins.persons.append(email)
        for category, data, observed in _records_for(rng, now):
            records.add_record(ctx, person_id, records.NewRecord(category, data, observed))
        if rng.random() < 0.4:
            code, _ = records.create_link_code(ctx, person_id, sources[0].business.id)
            ref = records.link_source(ctx, sources[0].business.id, code, f"member-{i:05d}")
            purchase = {"shop": rng.choice(_SHOPS), "amount_yen": rng.randint(150, 12000)}
            records.push_records(
                ctx,
                sources[0].business.id,
                [
                    records.SourceRecord(
                        ref, "purchase.history", purchase, now, "pos_purchase", "loyalty_programme"
                    )
                ],
            )
        if progress is not None:
            progress(i + 1)
    return logins


def _business_login(kind: str, reg: businesses.RegisteredBusiness) -> dict[str, str]:
    return {
        "kind": kind,
        "name": reg.business.name,
        "id": reg.business.id,
        "client_id": reg.business.client_id,
        "client_secret": reg.client_secret,
    }
