"""The facts every decision about an offer shares are cached per process, and the cache is
never staler than the database: a suspension, a lapsed certificate, or a change committed by
another process refuses the very next fetch."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from infobank.bootstrap import Bank, bootstrap
from infobank.services import businesses
from infobank.services.shared_facts import SharedFactsCache
from infobank.services.worker import run_once
from tests.fakes import FakeClock, RecordingWebhooks
from tests.support import api, trust


@dataclass(frozen=True)
class Provision:
    team: trust.Staff
    recipient: trust.Recipient
    packages: list[str]


def _provision(client: TestClient, bank: Bank, *, valid_until: str = "2027-12-31") -> Provision:
    """Two persons consented; their packages built; the first fetched (the cache is warm)."""
    team = trust.staff(bank)
    recipient = trust.recipient(client, team, certified=False)
    trust.certify(client, team.operator, recipient.id, valid_until=valid_until)
    people = [trust.person(client) for _ in range(2)]
    offer_id, _ = trust.open_offer(client, team, recipient)
    for person in people:
        trust.accept(client, person, offer_id)
    run_once(bank.context, RecordingWebhooks())
    listed = api.items(client, "/v1/deliveries", recipient.headers)
    packages = [d["id"] for d in listed]
    first = client.get(f"/v1/deliveries/{packages[0]}", headers=recipient.headers)
    assert first.status_code == 200, first.text
    assert len(bank.context.shared_facts._entries) == 1  # the offer's shared facts are cached
    return Provision(team, recipient, packages)


def _fetch(
    client: TestClient, p: Provision, index: int, headers: dict[str, str] | None = None
) -> tuple[int, list[str]]:
    """The status and the rules that refused (empty when served)."""
    got = client.get(f"/v1/deliveries/{p.packages[index]}", headers=headers or p.recipient.headers)
    reasons = got.json().get("reasons", []) if got.status_code != 200 else []
    return got.status_code, [r["rule"] for r in reasons]


def test_a_suspension_refuses_the_very_next_fetch(client: TestClient, bank: Bank) -> None:
    p = _provision(client, bank)

    suspended = client.post(
        f"/v1/admin/recipients/{p.recipient.id}/suspend", headers=p.team.operator.headers
    )
    assert suspended.status_code == 200, suspended.text

    # Its consents are paused too; that the recipient's own standing refuses shows the
    # shared facts were read again, not taken from the cache.
    for index in (1, 0):  # a first download, and a repeat
        status, rules = _fetch(client, p, index)
        assert status == 403 and "recipient.standing" in rules


def test_reinstating_serves_the_next_fetch_again(client: TestClient, bank: Bank) -> None:
    p = _provision(client, bank)
    for step in ("suspend", "reinstate"):
        done = client.post(
            f"/v1/admin/recipients/{p.recipient.id}/{step}", headers=p.team.operator.headers
        )
        assert done.status_code == 200, done.text

    assert _fetch(client, p, 1)[0] == 200


def test_a_certificate_that_lapses_refuses_the_next_fetch(
    client: TestClient, bank: Bank, clock: FakeClock
) -> None:
    p = _provision(client, bank, valid_until=clock.now().date().isoformat())

    clock.advance(hours=15)  # past midnight: nothing changed in the database, only time passed
    fresh = trust.token(client, p.recipient.party.client_id, p.recipient.party.client_secret)

    status, rules = _fetch(client, p, 1, fresh)
    assert status == 403 and "recipient.certified" in rules


@pytest.fixture
def other_process(bank: Bank, clock: FakeClock) -> Iterator[Bank]:
    """A second wiring of the same bank, with its own cache, as another process would be."""
    other = bootstrap(bank.settings, clock=clock)
    try:
        yield other
    finally:
        other.close()


def test_a_change_committed_by_another_process_refuses_the_next_fetch(
    client: TestClient, bank: Bank, other_process: Bank
) -> None:
    p = _provision(client, bank)

    businesses.set_recipient_suspended(
        other_process.context, p.recipient.id, True, p.team.operator.id
    )

    status, rules = _fetch(client, p, 1)
    assert status == 403 and "recipient.standing" in rules


def test_the_cache_answers_only_for_the_version_it_was_read_at() -> None:
    from infobank.domain.policy import RecipientFacts
    from infobank.services.shared_facts import SharedFacts

    cache = SharedFactsCache(size=2)
    facts = SharedFacts(7, RecipientFacts(id="r"), True, "insurance", "2026-04")
    cache.put("offer-1", facts)

    assert cache.get("offer-1", 7) is facts
    assert cache.get("offer-1", 8) is None
    cache.put("offer-2", facts)
    cache.put("offer-3", facts)
    assert cache.get("offer-1", 7) is None  # least recently used, dropped past its size
