"""The demo's cast: staff, sources (情報提供元), recipients (提供先) with certificates, and a
synthetic population of persons (利用者) with the records they entrust.

Everything here is invented and drawn from a seeded generator, so two demos hold the same
people. Who each person is (profile, records, which sources they link) is decided before they
join, so a story can let them join on different days (``demo_activity``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from infobank.domain.identity import Gender, Principal, PrincipalKind, StaffRole
from infobank.domain.mynaportal import MYNAPORTAL_CATEGORIES
from infobank.domain.records import SELF_PURPOSE, AcquiredVia
from infobank.services import businesses, identity, joint_applications, records
from infobank.services.context import Context
from infobank.services.ports.crypto import Passwords

__all__ = [
    "DEMO_PASSWORD",
    "LAB",
    "MIRAI",
    "SAKURA",
    "WALKEE",
    "Cast",
    "KnownPasswords",
    "Member",
    "Profile",
    "add_recipient",
    "approve_joint_application",
    "assemble",
    "enrol",
    "profiles",
    "push_purchases",
    "push_steps",
]

DEMO_PASSWORD = "infobank-demo-2026"
SAKURA, WALKEE = "さくらマート", "歩数アプリ Walkee"
MIRAI, LAB, OLD = "みらい保険", "ヘルスケア研究所", "旧データ商事"

_FAMILY = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤"]
_GIVEN = ["陽菜", "蓮", "結衣", "湊", "葵", "大翔", "凛", "悠真", "美咲", "翔太"]
_INTERESTS = ["旅行", "料理", "ランニング", "読書", "音楽", "映画", "キャンプ", "投資", "園芸"]
_SHOPS = ["コンビニ", "スーパー", "ドラッグストア", "書店", "家電量販店"]
_PREFECTURES = ["13", "14", "27", "23", "01", "40", "11", "12", "26", "28"]


class KnownPasswords:
    """Hashes each demo password once and recognises its own hashes: a few hundred Argon2
    runs would take minutes. Every other hash is checked by the real hasher."""

    def __init__(self, inner: Passwords) -> None:
        self._inner = inner
        self._hashes: dict[str, str] = {}

    def hash(self, password: str) -> str:
        if password not in self._hashes:
            self._hashes[password] = self._inner.hash(password)
        return self._hashes[password]

    def verify(self, hashed: str | None, password: str) -> bool:
        if hashed is not None and self._hashes.get(password) == hashed:
            return True
        return self._inner.verify(hashed, password)


Typed = tuple[str, dict[str, Any], timedelta]  # category, data, how long before joining


@dataclass(frozen=True, slots=True)
class Profile:
    """One synthetic person, decided before they join."""

    index: int
    signup: identity.SignUp
    typed: tuple[Typed, ...]  # records they type in themselves
    shopper: bool  # a さくらマート member who links the shop
    walker: bool  # uses the Walkee step app and links it (steps arrive from the app)

    @property
    def email(self) -> str:
        return self.signup.email


@dataclass(frozen=True, slots=True)
class Member:
    """A person who joined, and the opaque references their linked sources know them by."""

    profile: Profile
    person_id: str
    refs: dict[str, str] = field(default_factory=dict)  # source name → person_ref


@dataclass
class Cast:
    staff: dict[StaffRole, Principal] = field(default_factory=dict)
    staff_logins: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    sources: dict[str, businesses.RegisteredBusiness] = field(default_factory=dict)
    recipients: dict[str, businesses.RegisteredBusiness] = field(default_factory=dict)
    business_logins: list[dict[str, str]] = field(default_factory=list)

    @property
    def operator(self) -> str:
        return self.staff[StaffRole.OPERATOR].id


def _typed(rng: random.Random, walker: bool) -> list[Typed]:
    made: list[Typed] = []
    for _ in range(0 if walker else rng.randint(1, 2)):
        steps = {"steps": rng.randint(1500, 16000), "active_minutes": rng.randint(5, 120)}
        made.append(("lifelog.activity", steps, timedelta(days=rng.randint(0, 60))))
    if rng.random() < 0.7:
        made.append(("interests", {"topics": rng.sample(_INTERESTS, 3)}, timedelta(0)))
    if rng.random() < 0.5:
        sleep = {"hours": round(rng.uniform(4.5, 9.0), 1)}
        made.append(("lifelog.sleep", sleep, timedelta(days=1)))
    if rng.random() < 0.3:
        checkup = {"bmi": round(rng.uniform(17, 32), 1), "systolic_bp": rng.randint(100, 165)}
        made.append(("health.checkup", checkup, timedelta(days=rng.randint(30, 300))))
    return made


def profiles(rng: random.Random, people: int) -> list[Profile]:
    """The population. The first person, whom the demo prints first, holds every kind of
    record the demo's offers ask for and uses the step app."""
    made = []
    for i in range(people):
        walker = rng.random() < 0.25
        signup = identity.SignUp(
            email=f"person{i:03d}@demo.infobank.example",
            password=DEMO_PASSWORD,
            display_name=rng.choice(_FAMILY) + " " + rng.choice(_GIVEN),
            birth_date=date(rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28)),
            gender=rng.choice(
                [Gender.FEMALE, Gender.MALE, Gender.FEMALE, Gender.MALE, Gender.OTHER]
            ),
            prefecture=rng.choice(_PREFECTURES),
            terms_version="",  # filled in when they join: the terms current then
        )
        made.append(Profile(i, signup, tuple(_typed(rng, walker)), rng.random() < 0.3, walker))
    if made:
        made[0] = replace(
            made[0],
            signup=replace(made[0].signup, birth_date=date(1984, 6, 14)),
            typed=(
                ("interests", {"topics": ["旅行", "料理", "キャンプ"]}, timedelta(0)),
                ("lifelog.sleep", {"hours": 6.4}, timedelta(days=1)),
                ("health.checkup", {"bmi": 23.8, "systolic_bp": 128}, timedelta(days=120)),
            ),
            shopper=False,
            walker=True,
        )
    return made


def assemble(ctx: Context, rng: random.Random) -> Cast:
    """Staff of every role, the two sources and the three recipients of every demo."""
    cast = Cast()
    for role in StaffRole:
        email = f"{role.value}@demo.infobank.example"
        password = f"{role.value}-demo-2026"
        issued = identity.create_staff(ctx, email, password, role)
        cast.staff[role] = issued.principal
        cast.staff_logins[role.value] = (email, password, issued.token)
    for name, industry in [(SAKURA, "retail"), (WALKEE, "healthcare_app")]:
        reg = businesses.register_business(ctx, PrincipalKind.SOURCE, name, industry)
        cast.sources[name] = reg
        cast.business_logins.append(_login("source", reg))
    today = ctx.clock.now().date()
    for name, industry, kind, since, until in [
        (MIRAI, "insurance", "pmark", -400, 330),
        (LAB, "research", "isms", -100, 630),
        (OLD, "marketing", "pmark", -1200, -40),  # its certificate has lapsed
    ]:
        valid = (today + timedelta(days=since), today + timedelta(days=until))
        add_recipient(ctx, cast, rng, name, industry, kind, valid)
    return cast


def add_recipient(
    ctx: Context,
    cast: Cast,
    rng: random.Random,
    name: str,
    industry: str,
    kind: str,
    valid: tuple[date, date],
) -> businesses.RegisteredBusiness:
    """A recipient and the certificate (Pマーク or ISMS) the operator records for it."""
    reg = businesses.register_business(
        ctx, PrincipalKind.RECIPIENT, name, industry, f"dpo@{industry}.demo.example"
    )
    number = f"{kind.upper()}-{rng.randint(10000, 99999)}"
    certificate = businesses.NewCertification(kind, number, *valid)
    businesses.add_certification(ctx, reg.business.id, certificate, recorded_by=cast.operator)
    cast.recipients[name] = reg
    cast.business_logins.append(_login("recipient", reg))
    return reg


def approve_joint_application(ctx: Context, cast: Cast, approved_on: date) -> None:
    """The research recipient's Mynaportal use is approved (連名申請)."""
    joint_applications.register(
        ctx,
        cast.operator,
        joint_applications.NewJointApplication(
            recipient_id=cast.recipients[LAB].business.id,
            purposes=["health.personal_advice", "health.research"],
            categories=sorted(MYNAPORTAL_CATEGORIES),
            approval_reference="DEMO-連名申請-2026-001",
            approved_on=approved_on,
        ),
    )


def enrol(
    ctx: Context, rng: random.Random, cast: Cast, profile: Profile, *, first_sync: bool = True
) -> Member:
    """The person signs up, entrusts the records they type in (in one transaction, as a
    connector imports many) and links the sources they use; with ``first_sync`` each source
    sends what it holds at once, else it waits for its next batch. All at the clock's time."""
    now = ctx.clock.now()
    signup = replace(profile.signup, terms_version=ctx.terms.version)
    person_id = identity.sign_up(ctx, signup)
    if profile.typed:
        with ctx.uow() as uow:
            for category, data, before in profile.typed:
                records.entrust(
                    ctx,
                    uow,
                    person_id,
                    category,
                    data,
                    now - before,
                    acquired_via=AcquiredVia.SELF,
                    source_method=None,
                    purpose=SELF_PURPOSE,
                )
            uow.commit()
    member = Member(profile, person_id)
    if profile.shopper:
        _link(ctx, member, cast, SAKURA, f"member-{profile.index:05d}")
        if first_sync:
            push_purchases(ctx, rng, cast, [member], now)
    if profile.walker:
        _link(ctx, member, cast, WALKEE, f"walkee-{profile.index:05d}")
        if first_sync:
            push_steps(ctx, rng, cast, [member], now)
    return member


def push_steps(
    ctx: Context, rng: random.Random, cast: Cast, walkers: list[Member], until: datetime
) -> None:
    """The step app sends each linked walker's week up to ``until``, in one batch."""
    if not walkers:
        return
    batch = [
        records.SourceRecord(
            member.refs[WALKEE],
            "lifelog.activity",
            {"steps": rng.randint(3000, 14000) * 7, "active_minutes": rng.randint(60, 600)},
            until,
            "app_sync",
            "step_tracking",
        )
        for member in walkers
    ]
    records.push_records(ctx, cast.sources[WALKEE].business.id, batch)


def push_purchases(
    ctx: Context, rng: random.Random, cast: Cast, shoppers: list[Member], at: datetime
) -> None:
    """The shop sends the day's purchases of its linked members, in one batch."""
    if not shoppers:
        return
    batch = [
        records.SourceRecord(
            member.refs[SAKURA],
            "purchase.history",
            {"shop": rng.choice(_SHOPS), "amount_yen": rng.randint(150, 12000)},
            at,
            "pos_purchase",
            "loyalty_programme",
        )
        for member in shoppers
    ]
    records.push_records(ctx, cast.sources[SAKURA].business.id, batch)


def _link(ctx: Context, member: Member, cast: Cast, source: str, external_ref: str) -> None:
    source_id = cast.sources[source].business.id
    code, _ = records.create_link_code(ctx, member.person_id, source_id)
    member.refs[source] = records.link_source(ctx, source_id, code, external_ref)


def _login(kind: str, reg: businesses.RegisteredBusiness) -> dict[str, str]:
    return {
        "kind": kind,
        "name": reg.business.name,
        "id": reg.business.id,
        "client_id": reg.business.client_id,
        "client_secret": reg.client_secret,
    }
