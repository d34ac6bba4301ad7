"""Properties that hold for every guideline version, action and combination of facts.

The safety invariant, checked on every decision that allows:

- a provision (提供) needs a consent that is ``active`` and inside its window: never a
  pending, paused, revoked, expired or rejected consent, nor one not yet started or past expiry;
- no ``sensitive`` category (要配慮個人情報) is ever allowed;
- a recipient is certified (Pマーク/ISMS valid at ``at``) or, from 2.0, holds an approved,
  unexpired exception (例外類型) of a configured type;
- a suspended recipient never is (``recipient.standing``, this bank's policy, at every version).

Two generators feed it. ``worlds`` starts from the builders' "everything allowed" world and
perturbs the facts the invariant is about, with times on both sides of every boundary, so
that many decisions would otherwise be allowed (a guard test makes sure of it). ``any_facts``
is any shape the types allow, naive and aware datetimes mixed.
"""

from __future__ import annotations

from dataclasses import astuple, fields
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar

import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st

from infobank.domain.policy import (
    VERSIONS,
    Action,
    Certification,
    ConsentFacts,
    ConsentMode,
    ConsentStatus,
    Decision,
    DelegationRule,
    Facts,
    JointApplicationEntry,
    OfferFacts,
    OfferStatus,
    PersonFacts,
    PurposeGuardrails,
    RecipientException,
    RecipientFacts,
    Request,
    ReviewConditions,
    Sensitivity,
    decide,
)

from . import builders as b

PROPERTY = settings(max_examples=200, deadline=None)

World = tuple[Request, Facts, datetime, str]
T = TypeVar("T")

versions = st.sampled_from(VERSIONS)
actions = st.sampled_from(list(Action))
TICK = timedelta(microseconds=1)


def around_at(*days: int) -> st.SearchStrategy[datetime]:
    """``AT`` shifted by whole days, or by one microsecond either side of ``AT``."""
    shifts = [d * b.DAY for d in days] + [-TICK, timedelta(0), TICK]
    return st.sampled_from(shifts).map(lambda shift: b.AT + shift)


def mostly(usual: T, other: st.SearchStrategy[T]) -> st.SearchStrategy[T]:
    """``usual`` (the allowed world's value) about half the time, else anything ``other`` draws."""
    return st.one_of(st.just(usual), other)


category_codes = st.sampled_from(sorted(b.SENSITIVITY) + ["uncatalogued"])
extra_categories = mostly(frozenset(), st.frozensets(category_codes, max_size=3))
exception_types = st.sampled_from(["public_research", "t1"])
inferred = st.frozensets(st.sampled_from(sorted(b.INFERENCES) + ["uncatalogued"]), max_size=2)

certificates = st.builds(
    Certification,
    st.sampled_from(["pmark", "isms", "other"]),
    st.just("N-1"),
    around_at(-365, 1),
    around_at(365, -1),
)
exceptions = st.builds(RecipientException, exception_types, st.booleans(), around_at(90, -1))
statuses = mostly(ConsentStatus.ACTIVE, st.sampled_from(list(ConsentStatus)))


def version_at_least(version: str, floor: str) -> bool:
    return VERSIONS.index(version) >= VERSIONS.index(floor)


def before(low: datetime, high: datetime) -> bool:
    """``low <= high``; False when the two cannot be compared (naive beside aware)."""
    try:
        return low <= high
    except TypeError:
        return False


def strictly_before(low: datetime, high: datetime) -> bool:
    try:
        return low < high
    except TypeError:
        return False


def certified_at(facts: Facts, at: datetime) -> bool:
    return any(
        c.kind in ("pmark", "isms")
        and before(c.valid_from, at)
        and strictly_before(at, c.valid_until)
        for c in facts.recipient.certifications
    )


def excepted_at(facts: Facts, at: datetime) -> bool:
    types = facts.exception_types
    return any(
        e.approved and strictly_before(at, e.expires_at) and (types is None or e.type_code in types)
        for e in facts.recipient.exceptions
    )


SENSITIVE = Sensitivity.SENSITIVE


def is_sensitive(facts: Facts, category: str) -> bool:
    return facts.sensitivity.get(category) == Sensitivity.SENSITIVE


def assert_safe(request: Request, facts: Facts, at: datetime, version: str) -> None:
    """What every allowed decision must satisfy, whatever the other facts say."""
    if request.action == Action.PROVIDE:
        consent = facts.consent
        assert consent is not None
        assert consent.status == ConsentStatus.ACTIVE
        assert before(consent.start, at) and strictly_before(at, consent.expiry)
    assert not any(is_sensitive(facts, c) for c in request.categories)
    if request.action != Action.SUBMIT:
        assert certified_at(facts, at) or (version != "1.0" and excepted_at(facts, at))
    assert not facts.recipient.suspended
    inferences = facts.inference_sensitivity
    sensitive = {c for c in facts.offer.profiling_infers if inferences.get(c) == SENSITIVE}
    if sensitive:  # profiling that infers 要配慮個人情報
        assert version_at_least(version, "2.2")
        assert request.action != Action.DELEGATE
        if request.action == Action.PROVIDE:
            assert facts.consent is not None and facts.consent.mode == ConsentMode.EXPLICIT
            assert sensitive <= facts.consent.profiling_infers


@st.composite
def worlds(draw: st.DrawFn) -> World:
    """The builders' allowed world with the facts of the invariant perturbed at random.

    The offer asks for exactly what is requested (so ``offer.reviewed`` does not refuse extra
    categories first), and the person's delegation rule takes any category.
    """
    categories = b.CATEGORIES | draw(extra_categories)
    infers = draw(mostly(frozenset(), inferred))
    profiling = bool(infers) or draw(st.booleans())
    consent = b.consent(
        profiling=profiling,
        profiling_infers=draw(mostly(infers, inferred)),
        status=draw(statuses),
        mode=draw(st.sampled_from(list(ConsentMode))),
        categories=categories | draw(extra_categories),
        start=draw(mostly(b.AT - 30 * b.DAY, around_at(-30, 1))),
        expiry=draw(mostly(b.AT + 335 * b.DAY, around_at(335, -1))),
        justification=draw(st.sampled_from([None, "individual_benefit", "public_interest"])),
    )
    facts = b.facts(
        person=b.person(
            delegation_rules=(
                b.delegation_rule(categories=frozenset(), allow_profiling=draw(st.booleans())),
            )
        ),
        offer=b.offer(
            categories=categories,
            justification=consent.justification,
            profiling=profiling,
            profiling_infers=infers,
        ),
        consent=draw(st.sampled_from([consent, consent, consent, None])),
        recipient=b.recipient(
            suspended=draw(mostly(False, st.booleans())),
            certifications=draw(
                mostly((b.certificate(),), st.lists(certificates, max_size=2).map(tuple))
            ),
            exceptions=tuple(draw(st.lists(exceptions, max_size=2))),
        ),
        exception_types=draw(st.none() | st.frozensets(exception_types)),
    )
    observed = draw(st.none() | around_at(-200, -1, 1))
    request = b.request(draw(actions), categories=categories, record_observed_at=observed)
    return request, facts, b.AT, draw(versions)


@PROPERTY
@given(worlds())
def test_an_allowed_decision_is_always_safe(world: World) -> None:
    decision = decide(*world)

    if decision.allowed:
        assert_safe(*world)


@PROPERTY
@given(worlds())
def test_no_provision_under_a_consent_that_is_not_active(world: World) -> None:
    request, facts, at, version = world
    decision = decide(request, facts, at, version)

    consent = facts.consent
    if request.action == Action.PROVIDE and consent and consent.status != ConsentStatus.ACTIVE:
        assert not decision.allowed
        assert "consent.status" in decision.rules


@PROPERTY
@given(worlds())
def test_no_provision_before_a_consent_starts_or_after_it_expires(world: World) -> None:
    request, facts, at, version = world
    decision = decide(request, facts, at, version)

    consent = facts.consent
    if request.action == Action.PROVIDE and consent:
        if at < consent.start or at >= consent.expiry:
            assert not decision.allowed
            assert "consent.window" in decision.rules


@PROPERTY
@given(worlds())
def test_a_sensitive_category_is_never_allowed(world: World) -> None:
    request, facts, at, version = world
    decision = decide(request, facts, at, version)

    if any(is_sensitive(facts, c) for c in request.categories):
        assert not decision.allowed
        assert "sensitive.excluded" in decision.rules


@PROPERTY
@given(worlds())
def test_an_uncertified_recipient_needs_an_approved_unexpired_exception(world: World) -> None:
    request, facts, at, version = world
    decision = decide(request, facts, at, version)

    if request.action == Action.SUBMIT or certified_at(facts, at):
        return
    if version == "1.0" or not excepted_at(facts, at):
        assert not decision.allowed
        assert "recipient.certified" in decision.rules


@PROPERTY
@given(worlds())
def test_a_suspended_recipient_is_refused_at_every_version(world: World) -> None:
    request, facts, at, version = world
    decision = decide(request, facts, at, version)

    if facts.recipient.suspended:
        assert not decision.allowed
        assert "recipient.standing" in decision.rules


@PROPERTY
@given(worlds())
def test_explaining_never_changes_the_verdict(world: World) -> None:
    plain = decide(*world)
    explained = decide(*world, explain=True)

    assert explained.allowed == plain.allowed == (plain.rules == ())
    assert explained.rules == plain.rules


@pytest.mark.parametrize("version", VERSIONS)
def test_the_worlds_include_allowed_provisions_at_every_version(version: str) -> None:
    """Guards the properties above against passing only because everything is refused."""
    request, facts, at, _ = find(
        worlds().map(lambda w: (*w[:3], version)),
        lambda w: w[0].action == Action.PROVIDE and decide(*w).allowed,
        settings=settings(max_examples=2000, database=None),
    )

    assert_safe(request, facts, at, version)


# Arbitrary facts: any shape the types allow, naive and aware datetimes mixed.
anytimes = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2100, 1, 1),
    timezones=st.sampled_from([None, UTC]),
)
texts = st.sampled_from(["", "x", "general", "active", "explicit", "mynaportal", "2025-04"])
sets = st.frozensets(texts | category_codes, max_size=3)
ints = st.integers(min_value=-10, max_value=10_000)
kinds = st.sampled_from(["pmark", "isms", "other"])

any_facts = st.builds(
    Facts,
    person=st.builds(
        PersonFacts,
        id=texts,
        agreed_terms_version=st.none() | texts,
        delegation_rules=st.tuples(
            st.builds(
                DelegationRule,
                categories=sets,
                purposes=sets,
                industries=sets,
                min_benefit_points=ints,
                allow_profiling=st.booleans(),
                max_retention_days=ints,
            )
        ),
        birth_date=st.none() | st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
        prefecture=st.none() | texts,
    ),
    recipient=st.builds(
        RecipientFacts,
        id=texts,
        suspended=st.booleans(),
        certifications=st.lists(
            st.builds(Certification, kinds, texts, anytimes, anytimes), max_size=2
        ).map(tuple),
        exceptions=st.lists(
            st.builds(RecipientException, texts, st.booleans(), anytimes), max_size=2
        ).map(tuple),
        joint_application=st.lists(
            st.builds(JointApplicationEntry, texts, sets, st.booleans(), st.booleans()), max_size=2
        ).map(tuple),
    ),
    offer=st.builds(
        OfferFacts,
        id=texts,
        recipient_id=texts,
        status=st.sampled_from(list(OfferStatus)) | texts,
        review_approved=st.booleans(),
        purpose_code=texts,
        categories=sets,
        profiling=st.booleans(),
        profiling_infers=sets,
        retention_days=ints,
        consent_duration_days=ints,
        fetch_mode=texts,
        industry=texts,
        benefit_points=ints,
        reprovision_parties=sets,
        justification=st.none() | texts,
        data_range_days=st.none() | ints,
        conditions=st.builds(
            ReviewConditions,
            max_retention_days=st.none() | ints,
            profiling_allowed=st.none() | st.booleans(),
            age_min=st.none() | ints,
            age_max=st.none() | ints,
            prefectures=sets,
            capacity_max=st.none() | ints,
            valid_until=st.none() | anytimes,
            report_due=st.none() | anytimes,
        ),
        target_age_min=st.none() | ints,
        target_age_max=st.none() | ints,
        target_prefectures=sets,
        consents=ints,
        report_filed=st.booleans(),
    ),
    consent=st.none()
    | st.builds(
        ConsentFacts,
        id=texts,
        status=st.sampled_from(list(ConsentStatus)) | texts,
        mode=st.sampled_from(list(ConsentMode)) | texts,
        recipient_id=texts,
        offer_id=texts,
        purpose_code=texts,
        categories=sets,
        start=anytimes,
        expiry=anytimes,
        data_range_from=st.none() | anytimes,
        data_range_to=st.none() | anytimes,
        reprovision_parties=sets,
        profiling=st.booleans(),
        profiling_infers=sets,
        justification=st.none() | texts,
        terms_version=texts,
    ),
    sensitivity=st.dictionaries(category_codes, st.sampled_from(list(Sensitivity))),
    guardrails=st.none()
    | st.builds(
        PurposeGuardrails,
        code=texts,
        max_consent_days=ints,
        max_data_range_days=ints,
        max_retention_days=ints,
        allowed_fetch_modes=sets,
    ),
    current_terms_version=texts,
    record_origins=sets,
    exception_types=st.none() | sets,
    inference_sensitivity=st.dictionaries(
        texts | category_codes, st.sampled_from(list(Sensitivity))
    ),
)
any_requests = st.builds(
    Request,
    action=actions,
    categories=sets,
    purpose_code=texts,
    recipient_id=texts,
    record_observed_at=st.none() | anytimes,
)


@PROPERTY
@given(any_requests, any_facts, anytimes, versions, st.booleans())
def test_decide_never_raises_and_is_safe_on_arbitrary_facts(
    request: Request, facts: Facts, at: datetime, version: str, explain: bool
) -> None:
    decision = decide(request, facts, at, version, explain)

    assert isinstance(decision, Decision)
    assert decision.allowed == (decision.rules == ())
    assert decision.version == version
    if decision.allowed:
        assert_safe(request, facts, at, version)


@PROPERTY
@given(st.none() | st.integers() | st.text(max_size=3), st.none() | st.integers())
def test_decide_never_raises_on_values_of_the_wrong_type(junk: object, other: object) -> None:
    decision = decide(junk, other, junk, "3.0")  # type: ignore[arg-type]

    assert not decision.allowed


def test_naive_and_aware_times_do_not_mix_into_an_allow() -> None:
    naive = datetime(2025, 6, 1) + timedelta(hours=9)

    assert not decide(b.request(), b.facts(), naive).allowed


@PROPERTY
@given(st.data())
def test_inputs_hold_exactly_the_values_they_were_built_with(data: st.DataObject) -> None:
    """The inputs' quicker ``__init__`` (``policy.frozen``) stores what the dataclass would."""
    kw_only = data.draw(any_facts)
    positional = data.draw(certificates)

    offer = kw_only.offer
    for value in (kw_only, kw_only.person, kw_only.recipient, offer, offer.conditions, positional):
        given_values = {f.name: getattr(value, f.name) for f in fields(value)}
        rebuilt = type(value)(**given_values)
        assert rebuilt == value
        assert all(getattr(rebuilt, name) is v for name, v in given_values.items())
    again = Certification(positional.kind, positional.number, *astuple(positional)[2:])
    assert again == positional
