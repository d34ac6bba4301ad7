"""The conditions the data ethics board sets on an approval (審査会の条件), as ``offer.reviewed``
checks them: each one refuses when broken and allows when kept, at every step it names
(accept, delegate, provide; opening decides on the facts without a person), with a reason of
its own, in every guideline version.

Each case starts from the builders' "everything allowed" world and changes the conditions and
the one fact the condition is about. A broken case must be refused by ``offer.reviewed`` alone,
with the condition's own message, so a rule that refused for any other reason fails it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from infobank.domain.policy import (
    VERSIONS,
    Action,
    Decision,
    Facts,
    Outcome,
    ReviewConditions,
    decide,
)

from . import builders as b

PROVIDE, DELEGATE, ACCEPT = Action.PROVIDE, Action.DELEGATE, Action.ACCEPT
STEPS = (ACCEPT, DELEGATE, PROVIDE)
BORN = date(1985, 4, 12)  # 40 on builders.AT

# The English message of each condition's reason: what the test expects each one to say.
RETENTION = "retention period exceeds the maximum the data ethics board set"
PROFILING = "did not allow profiling"
TARGET = "offer's target (ages, prefectures) does not lie within"
CAPACITY = "reached the maximum number"
PERSON = "person is outside the target"
PERSON_UNKNOWN = "birth date or prefecture is not known"
LAPSED = "approval has passed its end date"
REPORT = "usage report the data ethics board asked for is overdue"


def world(person: dict[str, Any] | None = None, **offer: Any) -> Facts:
    """The allowed world with the board's ``conditions`` and offer fields changed; the person
    is 40 and lives in Tokyo (13) unless told otherwise. Profiling is consented to and
    delegated, so that only the board's condition can refuse it."""
    who = {"birth_date": BORN, "prefecture": "13", **(person or {})}
    return b.facts(
        person=b.person(
            delegation_rules=(b.delegation_rule(allow_profiling=True),),
            **who,
        ),
        offer=b.offer(**offer),
        consent=b.consent(profiling=True),
    )


def limits(**changes: Any) -> ReviewConditions:
    return ReviewConditions(**changes)


IN_TOKYO = {"target_age_min": 20, "target_age_max": 60, "target_prefectures": frozenset({"13"})}
TOKYO_AREA = limits(age_min=18, age_max=65, prefectures=frozenset({"13", "14"}))


def case(
    name: str, facts: Facts, broken: str | None, steps: tuple[Action, ...] = STEPS, **kw: Any
) -> list[Any]:
    outcome = kw.pop("outcome", Outcome.DENY)
    return [pytest.param(step, facts, broken, outcome, id=f"{name}-{step.value}") for step in steps]


CASES = [
    # max_retention_days: the offer keeps data 180 days
    *case("retention-kept", world(conditions=limits(max_retention_days=180)), None),
    *case("retention-broken", world(conditions=limits(max_retention_days=90)), RETENTION),
    # profiling_allowed
    *case("profiling-not-allowed-kept", world(conditions=limits(profiling_allowed=False)), None),
    *case(
        "profiling-allowed",
        world(conditions=limits(profiling_allowed=True), profiling=True),
        None,
    ),
    *case(
        "profiling-not-allowed-broken",
        world(conditions=limits(profiling_allowed=False), profiling=True),
        PROFILING,
    ),
    # target limits: the offer's target
    *case("target-within", world(conditions=TOKYO_AREA, **IN_TOKYO), None),
    *case(
        "target-no-age-floor",
        world(conditions=TOKYO_AREA, **{**IN_TOKYO, "target_age_min": None}),
        TARGET,
    ),
    *case(
        "target-too-old",
        world(conditions=TOKYO_AREA, **{**IN_TOKYO, "target_age_max": 70}),
        TARGET,
    ),
    *case(
        "target-any-prefecture",
        world(conditions=TOKYO_AREA, **{**IN_TOKYO, "target_prefectures": frozenset()}),
        TARGET,
    ),
    *case(
        "target-other-prefecture",
        world(conditions=TOKYO_AREA, **{**IN_TOKYO, "target_prefectures": frozenset({"27"})}),
        TARGET,
    ),
    # target limits: the person (who may have aged or moved since they were matched)
    *case(
        "person-at-the-age-limit",
        world({"birth_date": date(1960, 6, 1)}, conditions=TOKYO_AREA, **IN_TOKYO),
        None,
    ),
    *case(
        "person-too-old",
        world({"birth_date": date(1959, 6, 1)}, conditions=TOKYO_AREA, **IN_TOKYO),
        PERSON,
    ),
    *case(
        "person-too-young",
        world({"birth_date": date(2008, 6, 2)}, conditions=TOKYO_AREA, **IN_TOKYO),
        PERSON,
    ),
    *case("person-moved", world({"prefecture": "27"}, conditions=TOKYO_AREA, **IN_TOKYO), PERSON),
    *case(
        "person-unknown",
        world({"birth_date": None}, conditions=TOKYO_AREA, **IN_TOKYO),
        PERSON_UNKNOWN,
        outcome=Outcome.GAP,
    ),
    # capacity_max: a new consent may not pass it; a provision under one already given may
    *case("capacity-room", world(conditions=limits(capacity_max=10), consents=9), None),
    *case(
        "capacity-reached",
        world(conditions=limits(capacity_max=10), consents=10),
        CAPACITY,
        (ACCEPT, DELEGATE),
    ),
    *case(
        "capacity-full-provides",
        world(conditions=limits(capacity_max=10), consents=10),
        None,
        (PROVIDE,),
    ),
    *case(
        "capacity-exceeded",
        world(conditions=limits(capacity_max=10), consents=11),
        CAPACITY,
    ),
    # approval_valid_until: in force while at < valid_until (the day after the last day)
    *case("approval-in-force", world(conditions=limits(valid_until=b.AT + b.DAY)), None),
    *case("approval-ends-now", world(conditions=limits(valid_until=b.AT)), LAPSED),
    *case("approval-lapsed", world(conditions=limits(valid_until=b.AT - b.DAY)), LAPSED),
    # report_after_days: an overdue report pauses deliveries, not consents
    *case(
        "report-not-yet-due",
        world(conditions=limits(report_due=b.AT + b.DAY)),
        None,
    ),
    *case("report-overdue", world(conditions=limits(report_due=b.AT)), REPORT, (PROVIDE,)),
    *case(
        "report-overdue-consents",
        world(conditions=limits(report_due=b.AT - b.DAY)),
        None,
        (ACCEPT, DELEGATE),
    ),
    *case(
        "report-filed",
        world(conditions=limits(report_due=b.AT - b.DAY), report_filed=True),
        None,
    ),
]


def _refusing(decision: Decision) -> list[tuple[str, str, Outcome]]:
    return [(r.rule, r.message_en, r.outcome) for r in decision.reasons if r.refuses]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(("step", "facts", "broken", "outcome"), CASES)
def test_each_condition_refuses_when_broken_and_allows_when_kept(
    version: str, step: Action, facts: Facts, broken: str | None, outcome: Outcome
) -> None:
    decision = decide(b.request(step), facts, b.AT, version)

    if broken is None:
        assert decision.allowed, _refusing(decision)
    else:
        [(rule, message, got)] = _refusing(decision)
        assert (rule, got) == ("offer.reviewed", outcome)
        assert broken in message


def test_every_condition_has_a_reason_of_its_own_in_both_languages() -> None:
    broken = {
        RETENTION: world(conditions=limits(max_retention_days=90)),
        PROFILING: world(conditions=limits(profiling_allowed=False), profiling=True),
        TARGET: world(conditions=TOKYO_AREA),
        CAPACITY: world(conditions=limits(capacity_max=1), consents=2),
        PERSON: world({"prefecture": "27"}, conditions=TOKYO_AREA, **IN_TOKYO),
        LAPSED: world(conditions=limits(valid_until=b.AT)),
        REPORT: world(conditions=limits(report_due=b.AT)),
    }
    reasons = {
        expected: next(r for r in decide(b.request(), facts, b.AT).reasons if r.refuses)
        for expected, facts in broken.items()
    }

    for expected, reason in reasons.items():
        assert expected in reason.message_en
    assert len({r.message_ja for r in reasons.values()}) == len(reasons)
    assert len({r.message_en for r in reasons.values()}) == len(reasons)


def test_opening_decides_without_a_person_so_only_the_offer_is_held_to_the_limits() -> None:
    """Opening asks on the facts every person shares (no person): the offer's own target
    counts, nobody's age or prefecture does."""
    nobody = world(conditions=TOKYO_AREA, **IN_TOKYO)
    nobody = replace(nobody, person=b.person(id="", birth_date=None, prefecture=None))
    outside = replace(nobody, offer=replace(nobody.offer, target_prefectures=frozenset()))

    assert decide(b.request(ACCEPT), nobody, b.AT).allowed
    [(rule, message, _)] = _refusing(decide(b.request(ACCEPT), outside, b.AT))
    assert rule == "offer.reviewed" and TARGET in message


def test_conditions_are_checked_only_under_an_approval_in_force() -> None:
    """An offer the board has not approved is refused as such, whatever its conditions."""
    facts = world(conditions=limits(max_retention_days=90), review_approved=False)

    [(rule, message, _)] = _refusing(decide(b.request(), facts, b.AT))
    assert rule == "offer.reviewed" and "has not been approved" in message
