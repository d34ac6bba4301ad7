"""Properties that hold for every version, action and combination of facts.

Facts are generated around the builders' "everything allowed" world, so each property is
tested against decisions that would otherwise be allowed, not just trivially refused ones.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
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
    Sensitivity,
    decide,
)

from . import builders as b

FAST = settings(max_examples=100, deadline=None)

versions = st.sampled_from(VERSIONS)
actions = st.sampled_from(list(Action))
offsets = st.integers(min_value=-800, max_value=800).map(lambda days: b.AT + days * b.DAY)
category_codes = st.sampled_from(sorted(b.SENSITIVITY) + ["uncatalogued"])
categories = st.frozensets(category_codes, max_size=4)
kinds = st.sampled_from(["pmark", "isms", "other"])

certificates = st.builds(Certification, kinds, st.just("N-1"), offsets, offsets)
exceptions = st.builds(RecipientException, st.sampled_from(["t1", "t2"]), st.booleans(), offsets)


def certified_at(facts: Facts, at: datetime) -> bool:
    return any(
        c.kind in ("pmark", "isms") and c.valid_from <= at < c.valid_until
        for c in facts.recipient.certifications
    )


def excepted_at(facts: Facts, at: datetime) -> bool:
    types = facts.exception_types
    return any(
        e.approved and at < e.expires_at and (types is None or e.type_code in types)
        for e in facts.recipient.exceptions
    )


@st.composite
def worlds(draw: st.DrawFn) -> tuple[Request, Facts, datetime, str]:
    """A mostly-valid world with a few facts perturbed at random."""
    status = draw(st.sampled_from(list(ConsentStatus)))
    start = draw(st.sampled_from([b.AT - 30 * b.DAY, b.AT + b.DAY, b.AT]))
    facts = b.facts(
        consent=b.consent(
            status=status,
            start=start,
            mode=draw(st.sampled_from(list(ConsentMode))),
            categories=b.CATEGORIES | draw(categories),
        ),
        recipient=b.recipient(
            suspended=draw(st.booleans()),
            certifications=tuple(draw(st.lists(certificates, max_size=2))),
            exceptions=tuple(draw(st.lists(exceptions, max_size=2))),
        ),
        exception_types=draw(st.none() | st.frozensets(st.sampled_from(["t1", "t2"]))),
    )
    extra = draw(categories)
    request = b.request(draw(actions), categories=b.CATEGORIES | extra)
    return request, facts, b.AT, draw(versions)


@FAST
@given(worlds())
def test_no_provision_without_an_active_consent_in_its_window(
    world: tuple[Request, Facts, datetime, str],
) -> None:
    request, facts, at, version = world
    decision = decide(request, facts, at, version)

    assert facts.consent is not None
    inactive = facts.consent.status != ConsentStatus.ACTIVE
    not_started = at < facts.consent.start
    if request.action == Action.PROVIDE and (inactive or not_started):
        assert not decision.allowed
        assert {"consent.status", "consent.window"} & set(decision.rules)


@FAST
@given(worlds())
def test_a_sensitive_category_is_never_allowed(world: tuple[Request, Facts, datetime, str]) -> None:
    request, facts, at, version = world
    decision = decide(request, facts, at, version)

    if any(facts.sensitivity.get(c) == Sensitivity.SENSITIVE for c in request.categories):
        assert not decision.allowed
        assert "sensitive.excluded" in decision.rules


@FAST
@given(worlds())
def test_an_uncertified_recipient_needs_an_approved_unexpired_exception(
    world: tuple[Request, Facts, datetime, str],
) -> None:
    request, facts, at, version = world
    decision = decide(request, facts, at, version)

    if request.action == Action.SUBMIT or certified_at(facts, at):
        return
    if version == "1.0" or not excepted_at(facts, at):
        assert not decision.allowed
        assert "recipient.certified" in decision.rules


@FAST
@given(worlds())
def test_a_suspended_recipient_is_refused_from_2_1(
    world: tuple[Request, Facts, datetime, str],
) -> None:
    request, facts, at, version = world
    decision = decide(request, facts, at, version)

    if facts.recipient.suspended and VERSIONS.index(version) >= VERSIONS.index("2.1"):
        assert not decision.allowed
        assert "recipient.standing" in decision.rules


@FAST
@given(worlds())
def test_allowed_exactly_when_no_rule_refused(world: tuple[Request, Facts, datetime, str]) -> None:
    decision = decide(*world)

    assert decision.allowed == (decision.rules == ())


# Arbitrary facts: any shape the types allow, naive and aware datetimes mixed.
anytimes = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2100, 1, 1),
    timezones=st.sampled_from([None, UTC]),
)
texts = st.sampled_from(["", "x", "general", "active", "explicit", "mynaportal", "2025-04"])
sets = st.frozensets(texts | category_codes, max_size=3)
ints = st.integers(min_value=-10, max_value=10_000)


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
        conditions_met=st.booleans(),
        purpose_code=texts,
        categories=sets,
        profiling=st.booleans(),
        retention_days=ints,
        consent_duration_days=ints,
        fetch_mode=texts,
        industry=texts,
        benefit_points=ints,
        reprovision_parties=sets,
        justification=st.none() | texts,
        data_range_days=st.none() | ints,
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
)
any_requests = st.builds(
    Request,
    action=actions,
    categories=sets,
    purpose_code=texts,
    recipient_id=texts,
    record_observed_at=st.none() | anytimes,
)


@FAST
@given(any_requests, any_facts, anytimes, versions, st.booleans())
def test_decide_never_raises_on_arbitrary_facts(
    request: Request, facts: Facts, at: datetime, version: str, explain: bool
) -> None:
    decision = decide(request, facts, at, version, explain)

    assert isinstance(decision, Decision)
    assert decision.allowed == (decision.rules == ())
    assert decision.version == version


@FAST
@given(st.none() | st.integers() | st.text(max_size=3), st.none() | st.integers())
def test_decide_never_raises_on_values_of_the_wrong_type(junk: object, other: object) -> None:
    decision = decide(junk, other, junk, "3.0")  # type: ignore[arg-type]

    assert not decision.allowed


def test_naive_and_aware_times_do_not_mix_into_an_allow() -> None:
    naive = datetime(2025, 6, 1) + timedelta(hours=9)

    assert not decide(b.request(), b.facts(), naive).allowed
