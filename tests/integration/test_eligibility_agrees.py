"""Population-scale eligibility agrees with the per-person path (random populations).

For random persons (age, gender, prefecture, records held, terms agreed, delegation rules,
deleted or not) and random offers, two things must hold on SQLite and PostgreSQL:

1. the SQL matching (``eligible_persons``) finds exactly the persons a plain Python reading of
   the offer's targeting and categories admits;
2. the batched decisions (``eligibility.decide_population``) equal ``decide`` on facts gathered
   one person at a time (``eligibility.decide_one``), rule for rule, also when the ethics
   board approved the offer with random conditions (age and prefecture limits, a maximum).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infobank.bootstrap import Bank
from infobank.domain.errors import PolicyViolation
from infobank.domain.identity import Gender, PrincipalKind, StaffRole
from infobank.domain.offers import Offer, Target
from infobank.domain.reviews import Conditions
from infobank.services import businesses, delegation, eligibility, identity, offers, records
from infobank.services.records import NewRecord
from tests.support import api

CATEGORIES = ("lifelog.activity", "lifelog.sleep", "interests", "health.checkup")
PREFECTURES = ("01", "13", "27")
PURPOSES = ("insurance.product_design", "marketing.personalised_offers")
_serial = itertools.count()


@dataclass(frozen=True)
class Someone:
    birth_date: date
    gender: Gender
    prefecture: str
    held: frozenset[str]
    old_terms: bool
    deleted: bool
    rules: tuple[dict[str, object], ...] = ()


@dataclass
class Population:
    """What the test created, kept in memory as the reference."""

    people: dict[str, Someone] = field(default_factory=dict)


general = st.sampled_from(CATEGORIES[:3])
rules = st.fixed_dictionaries(
    {},
    optional={
        "categories": st.lists(general, max_size=2, unique=True),
        "purposes": st.lists(st.sampled_from(PURPOSES), max_size=1, unique=True),
        "min_benefit_points": st.integers(0, 400),
        "allow_profiling": st.booleans(),
        "max_retention_days": st.sampled_from([30, 180, 365]),
    },
)
someone = st.builds(
    Someone,
    birth_date=st.dates(date(1935, 1, 1), date(2011, 12, 31)),
    gender=st.sampled_from(list(Gender)),
    prefecture=st.sampled_from(PREFECTURES),
    held=st.frozensets(st.sampled_from(CATEGORIES), max_size=3),
    old_terms=st.booleans(),
    deleted=st.booleans() | st.just(False),
    rules=st.lists(rules, max_size=2).map(tuple),
)
targets = st.builds(
    Target,
    age_min=st.none() | st.integers(15, 60),
    age_max=st.none() | st.integers(30, 95),
    prefectures=st.lists(st.sampled_from(PREFECTURES), max_size=2, unique=True).map(tuple),
    genders=st.lists(st.sampled_from([g.value for g in Gender]), max_size=2, unique=True).map(
        tuple
    ),
)
asks = st.fixed_dictionaries(
    {
        # None: a draft the board never saw; else the board's most consents, with the offer's
        # own targeting as its limits (so that each matched person is judged against them)
        "capacity_max": st.none() | st.integers(1, 5),
        "reviewed": st.booleans(),
        "categories": st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=2, unique=True),
        "target": targets,
        "purpose": st.sampled_from(PURPOSES),
        "points": st.integers(0, 500),
        "retention": st.sampled_from([30, 180, 365]),
        "profiling": st.booleans(),
    }
)


def _add(bank: Bank, population: Population, who: Someone) -> None:
    ctx = bank.context
    n = next(_serial)
    pid = identity.sign_up(
        ctx,
        identity.SignUp(
            email=f"p{n}@example.jp",
            password="correct horse battery",
            display_name="試験 太郎",
            birth_date=who.birth_date,
            gender=who.gender,
            prefecture=who.prefecture,
            terms_version=ctx.terms.version,
        ),
    )
    for category in sorted(who.held):
        records.add_record(ctx, pid, NewRecord(category, {"n": n}))
    if who.rules:
        delegation.replace_rules(ctx, pid, [dict(r) for r in who.rules])
    with ctx.uow() as uow:
        if who.old_terms:
            uow.persons.agree_terms(pid, "2020-01", ctx.clock.now())
        if who.deleted:
            uow.persons.mark_deleted(pid, ctx.clock.now())
            uow.persons.destroy_key(pid)
        uow.commit()
    population.people[pid] = who


def _years_ago(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _admits(offer: Offer, who: Someone, today: date) -> bool:
    """The targeting and categories read plainly, person by person."""
    t = offer.target
    if who.deleted or not set(offer.categories) <= who.held:
        return False
    if t.age_min is not None and who.birth_date > _years_ago(today, t.age_min):
        return False
    if t.age_max is not None and who.birth_date <= _years_ago(today, t.age_max + 1):
        return False
    if t.prefectures and who.prefecture not in t.prefectures:
        return False
    return not (t.genders and who.gender.value not in t.genders)


def test_sql_eligibility_and_batched_decisions_agree_with_the_per_person_path(bank: Bank) -> None:
    ctx = bank.context
    registered = businesses.register_business(
        ctx, PrincipalKind.RECIPIENT, "property insurer", "insurance", "dpo@example.com"
    )
    population = Population()
    ethics = api.staff(bank, StaffRole.ETHICS).id

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(people=st.lists(someone, min_size=1, max_size=6), ask=asks)
    def check(people: list[Someone], ask: dict[str, object]) -> None:
        for who in people:
            _add(bank, population, who)
        offer = offers.create_offer(
            ctx,
            registered.business.id,
            Offer(
                id="",
                recipient_id=registered.business.id,
                status="draft",
                title="property test",
                purpose_code=str(ask["purpose"]),
                purpose_text="test",
                justification=None,
                categories=tuple(ask["categories"]),  # type: ignore[arg-type]
                benefit_points=int(ask["points"]),  # type: ignore[call-overload]
                retention_days=int(ask["retention"]),  # type: ignore[call-overload]
                consent_duration_days=90,
                fetch_mode="one_time",
                fetch_every_days=None,
                data_range_days=None,
                profiling=bool(ask["profiling"]),
                reprovision_parties=(),
                target=ask["target"],  # type: ignore[arg-type]
                capacity=10_000,
                created_at=ctx.clock.now(),
            ),
        )
        if ask["reviewed"]:
            target = offer.target
            conditions = Conditions(
                target_age_min=target.age_min,
                target_age_max=target.age_max
                if target.age_min is None or target.age_max is None
                else max(target.age_min, target.age_max),
                target_prefectures=target.prefectures,
                capacity_max=ask["capacity_max"],  # type: ignore[arg-type]
            )
            try:
                offers.submit_offer(ctx, offer.id, registered.business.id)
            except PolicyViolation:  # a guard-rail refused it: it stays a draft
                pass
            else:
                offers.review_offer(ctx, offer.id, ethics, "approve", "m", conditions=conditions)
            offer, _ = offers.get_offer(ctx, offer.id, None)
        now = ctx.clock.now()
        today = now.date()
        expected = {pid for pid, who in population.people.items() if _admits(offer, who, today)}
        with ctx.uow() as uow:
            found = uow.offers.eligible_persons(offer, today, 10_000)
            assert len(found) == len(set(found))
            assert set(found) == expected
            batched = eligibility.decide_population(ctx, uow, offer, now, 10_000)
            assert [pid for pid, _ in batched] == found
            for pid, decision in batched:
                reference = eligibility.decide_one(ctx, uow, offer, pid, now)
                assert decision.allowed == reference.allowed, pid
                assert decision.reasons == reference.reasons, pid

    check()
    assert len(population.people) >= 25
