"""Revocation racing with delivery building (SPEC §6.6): whichever commits first, no package
is fetchable after the revocation. Many trials, each with the two in separate threads and
connections, released together."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from infobank.bootstrap import Bank
from infobank.domain.errors import Gone
from infobank.domain.pages import PageRequest
from infobank.services import consents, deliveries
from tests.support import worlds

EVERY = PageRequest(limit=200)

TRIALS = 40


def _together(*work: Callable[[], object]) -> list[BaseException]:
    """Run each callable in its own thread, all released at once; returns what they raised."""
    start = threading.Barrier(len(work))
    failures: list[BaseException] = []

    def run(job: Callable[[], object]) -> None:
        start.wait()
        try:
            job()
        except BaseException as exc:  # noqa: BLE001 - collected and re-raised by the test
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return failures


def test_no_package_is_fetchable_after_a_racing_revocation(bank: Bank) -> None:
    team = worlds.team(bank)
    world = worlds.world(bank, team, persons=TRIALS)
    ctx = bank.context
    outcomes = {"built_first": 0, "revoked_first": 0}
    for person, consent in zip(world.persons, world.consents, strict=True):
        failures = _together(
            lambda c=consent: deliveries.build_for_consent(ctx, c),
            lambda p=person, c=consent: consents.change_status(ctx, p, c, "revoke"),
        )
        assert failures == []
        packages = [
            d
            for d in deliveries.list_deliveries(ctx, world.recipient, None, EVERY).items
            if d.consent_id == consent
        ]
        outcomes["built_first" if packages else "revoked_first"] += 1
        for package in packages:
            assert package.status == "withdrawn" and package.jwe is None
            with pytest.raises(Gone):
                deliveries.fetch(ctx, world.recipient, package.id)
        assert deliveries.build_for_consent(ctx, consent) is None  # and nothing later
    assert sum(outcomes.values()) == TRIALS
