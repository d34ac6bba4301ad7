"""Opening an offer matches its population in committed batches. A crash at any commit of the
opening, before or after it lands, is finished by the worker exactly once: every matched
person is asked once (consented for under delegation, or invited), and progress adds up.
When the rules refuse the recipient itself (certificate expired, suspended), nobody more is
asked, and the opening records how many were left out and why, once."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date

import pytest
from joserfc.jwk import ECKey
from sqlalchemy import select

from infobank.adapters.db import models as m
from infobank.bootstrap import Bank
from infobank.domain.identity import Gender, PrincipalKind
from infobank.domain.offers import Offer, Target
from infobank.services import (
    businesses,
    delegation,
    identity,
    offers,
    recipients,
    records,
)
from infobank.services.offers import OPENING_IDLE
from infobank.services.records import NewRecord
from tests.fakes import FakeClock, RecordingWebhooks
from tests.integration.test_crash_safety import _Crash, _CrashAt
from tests.support import worlds

pytestmark = pytest.mark.settings(open_batch=4)

PERSONS = 11  # three batches of four: the last one short
DELEGATING = {0, 3, 4, 9}  # these persons' delegation rules cover the offer
RULE = {
    "categories": ["lifelog.activity"],
    "purposes": ["insurance.product_design"],
    "industries": ["insurance"],
    "min_benefit_points": 0,
    "allow_profiling": False,
    "max_retention_days": 365,
}


def _approved_offer(
    bank: Bank, serial: int, valid_until: date = date(2027, 12, 31)
) -> tuple[str, list[str], str]:
    """An approved, not yet opened offer that exactly ``PERSONS`` persons match; its
    recipient's Privacy Mark is valid through ``valid_until``."""
    ctx = bank.context
    staff = worlds.team(bank)
    rid = businesses.register_business(
        ctx, PrincipalKind.RECIPIENT, f"batch {serial}", "insurance", "dpo@example.com"
    ).business.id
    businesses.add_certification(
        ctx,
        rid,
        businesses.NewCertification("pmark", f"B-{serial}", date(2025, 1, 1), valid_until),
        staff.operator,
    )

    recipients.set_key(ctx, rid, ECKey.generate_key("P-256").as_dict(private=False))
    prefecture = f"{serial % 47 + 1:02d}"
    people = []
    for i in range(PERSONS):
        pid = identity.sign_up(
            ctx,
            identity.SignUp(
                email=f"batch{serial}-{i}@example.jp",
                password="correct horse battery",
                display_name="山田 花子",
                birth_date=date(1980, 1, 1),
                gender=Gender.OTHER,
                prefecture=prefecture,
                terms_version=ctx.terms.version,
            ),
        )
        records.add_record(ctx, pid, NewRecord("lifelog.activity", {"steps": 9000}))
        if i in DELEGATING:
            delegation.replace_rules(ctx, pid, [RULE])
        people.append(pid)
    draft = offers.create_offer(
        ctx,
        rid,
        Offer(
            id="",
            recipient_id=rid,
            status="draft",
            title=f"まとめて開く {serial}",
            purpose_code="insurance.product_design",
            purpose_text="歩数データから保険商品を設計する",
            justification=None,
            categories=("lifelog.activity",),
            benefit_points=100,
            retention_days=180,
            consent_duration_days=180,
            fetch_mode="one_time",
            fetch_every_days=None,
            data_range_days=None,
            profiling=False,
            reprovision_parties=(),
            target=Target(prefectures=(prefecture,), genders=(Gender.OTHER.value,)),
            capacity=100,
            created_at=ctx.clock.now(),
        ),
    )
    offers.submit_offer(ctx, draft.id, rid)
    offers.review_offer(ctx, draft.id, staff.ethics, "approve", "確認した。", [])
    return draft.id, people, staff.operator


def _asked(bank: Bank, offer_id: str) -> Counter[str]:
    with bank.context.read() as uow:
        rows = uow.session.scalars(  # type: ignore[attr-defined]
            select(m.InvitationRow.person_id).where(m.InvitationRow.offer_id == offer_id)
        )
        return Counter(rows)


def _check(bank: Bank, offer_id: str, people: list[str]) -> None:
    assert _asked(bank, offer_id) == Counter(people), "a person was skipped or asked twice"
    with bank.context.read() as uow:
        offer = uow.offers.get(offer_id)
        delegated = [c for p in people for c in uow.consents.for_person(p)]
    assert offer is not None and offer.opening is not None
    assert offer.opening.done_at is not None
    assert offer.opening.total == PERSONS == offer.opening.matched
    assert offer.opening.delegated == len(DELEGATING) == len(delegated)
    assert {c.mode for c in delegated} == {"delegated"}


def test_an_offer_opens_in_batches_and_reports_its_progress(bank: Bank) -> None:
    offer_id, people, operator = _approved_offer(bank, 900)

    done = offers.open_offer(bank.context, offer_id, operator)

    assert done == {
        "delegated": len(DELEGATING),
        "invited": PERSONS - len(DELEGATING),
        "not_invited": 0,
        "held_back": [],
    }
    _check(bank, offer_id, people)


def test_a_crash_at_any_commit_of_an_opening_is_finished_exactly_once(
    bank: Bank, clock: FakeClock
) -> None:
    """Crash at the 1st, 2nd, … commit of opening, before and after it lands, until an
    opening finishes without reaching the chosen commit (every commit has then been tried)."""
    at, crashes, serial = 1, 0, 901
    while at < 30:
        crashed = 0
        for after in (False, True):
            offer_id, people, operator = _approved_offer(bank, serial)
            serial += 1
            dying = replace(bank.context, uow=_CrashAt(bank.context.uow, at, after))
            try:
                offers.open_offer(dying, offer_id, operator)
            except _Crash:
                crashed += 1
                clock.advance(seconds=OPENING_IDLE.total_seconds() + 1)
                offers.resume_openings(bank.context)  # what the worker's round does
                offers.resume_openings(bank.context)  # and again: nothing more happens
            with bank.context.read() as uow:
                offer = uow.offers.get(offer_id)
            assert offer is not None
            if offer.status == "open":
                _check(bank, offer_id, people)
            else:  # died before the offer opened: nothing was asked, it can be opened again
                assert offer.opening is None and _asked(bank, offer_id) == Counter()
                offers.open_offer(bank.context, offer_id, operator)
                _check(bank, offer_id, people)
        if not crashed:
            break
        crashes += crashed
        at += 1
    assert crashes >= 2 * 4  # the opening commit and three batches, both ways


def test_the_worker_round_finishes_a_stalled_opening(bank: Bank, clock: FakeClock) -> None:
    from infobank.services.worker import run_once

    offer_id, people, operator = _approved_offer(bank, 950)
    dying = replace(bank.context, uow=_CrashAt(bank.context.uow, 2, True))
    with pytest.raises(_Crash):
        offers.open_offer(dying, offer_id, operator)
    assert 0 < sum(_asked(bank, offer_id).values()) < PERSONS

    assert run_once(bank.context, RecordingWebhooks())["openings_resumed"] == 0  # not stale yet
    clock.advance(seconds=OPENING_IDLE.total_seconds() + 1)
    assert run_once(bank.context, RecordingWebhooks())["openings_resumed"] == 1

    _check(bank, offer_id, people)


def _nobody_asked(bank: Bank, offer_id: str, people: list[str], held_back: tuple[str, ...]) -> None:
    assert _asked(bank, offer_id) == Counter(), "a person was asked about a refused recipient"
    with bank.context.read() as uow:
        offer = uow.offers.get(offer_id)
        given = [c for p in people for c in uow.consents.for_person(p)]
    assert offer is not None and offer.opening is not None and given == []
    assert offer.opening.done_at is not None
    assert offer.opening.matched == 0
    assert offer.opening.not_invited == PERSONS == offer.opening.total
    assert offer.opening.held_back == held_back


def _suspend(bank: Bank, offer_id: str) -> None:
    with bank.context.read() as uow:
        offer = uow.offers.get(offer_id)
    assert offer is not None
    businesses.set_recipient_suspended(bank.context, offer.recipient_id, True)


@pytest.mark.parametrize(
    ("refusal", "code"),
    [("expired", "certificate_expired"), ("suspended", "recipient_suspended")],
)
def test_an_offer_whose_recipient_the_rules_refuse_opens_without_inviting_anyone(
    bank: Bank, refusal: str, code: str
) -> None:
    if refusal == "expired":  # the test clock stands at 2026-11-26
        offer_id, people, operator = _approved_offer(bank, 960, valid_until=date(2026, 10, 23))
    else:
        offer_id, people, operator = _approved_offer(bank, 961)
        _suspend(bank, offer_id)

    done = offers.open_offer(bank.context, offer_id, operator)

    assert done == {"delegated": 0, "invited": 0, "not_invited": PERSONS, "held_back": [code]}
    _nobody_asked(bank, offer_id, people, (code,))


def test_a_refused_opening_that_crashes_is_finished_once_and_counted_once(
    bank: Bank, clock: FakeClock
) -> None:
    """Crash at the opening's commit and at the commit that records the refusal, before and
    after each lands: the worker finishes it, and the persons left out are counted once."""
    serial = 970
    for at in (1, 2):
        for after in (False, True):
            offer_id, people, operator = _approved_offer(bank, serial, date(2026, 10, 23))
            serial += 1
            dying = replace(bank.context, uow=_CrashAt(bank.context.uow, at, after))
            with pytest.raises(_Crash):
                offers.open_offer(dying, offer_id, operator)
            clock.advance(seconds=OPENING_IDLE.total_seconds() + 1)
            offers.resume_openings(bank.context)
            offers.resume_openings(bank.context)
            with bank.context.read() as uow:
                offer = uow.offers.get(offer_id)
            assert offer is not None
            if offer.status != "open":  # died before it opened: it can be opened again
                assert offer.opening is None
                offers.open_offer(bank.context, offer_id, operator)
            _nobody_asked(bank, offer_id, people, ("certificate_expired",))


def test_a_certificate_that_lapses_mid_opening_leaves_the_rest_unasked_exactly_once(
    bank: Bank, clock: FakeClock
) -> None:
    # The certificate is valid through the whole of today, and no longer tomorrow.
    offer_id, people, operator = _approved_offer(bank, 980, valid_until=clock.now().date())
    dying = replace(bank.context, uow=_CrashAt(bank.context.uow, 2, True))  # the 1st batch lands
    with pytest.raises(_Crash):
        offers.open_offer(dying, offer_id, operator)
    first_batch = _asked(bank, offer_id)
    assert sum(first_batch.values()) == len(first_batch) == 4  # open_batch

    clock.advance(days=1)
    offers.resume_openings(bank.context)
    offers.resume_openings(bank.context)

    assert _asked(bank, offer_id) == first_batch  # nobody after the lapse, nobody twice
    with bank.context.read() as uow:
        offer = uow.offers.get(offer_id)
    assert offer is not None and offer.opening is not None
    assert offer.opening.done_at is not None
    assert offer.opening.matched == 4
    assert offer.opening.not_invited == PERSONS - 4
    assert offer.opening.held_back == ("certificate_expired",)
