"""The My Number card verifier against the simulator's cards: each way a card can fail has
its own reason, and only a card that holds on every check verifies."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from infobank.adapters.mynaportal import X509CardVerifier
from infobank.mynaportal_sim.cards import Card, CardAuthority
from infobank.mynaportal_sim.population import SimPerson, generate
from infobank.services.ports.mynaportal import CardAssertion

AS_OF = date(2026, 11, 26)
AT = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
SIM = "http://sim.test"
NONCE = "bank-nonce-0123456789"


@pytest.fixture(scope="module")
def population() -> list[SimPerson]:
    return generate(5, 6, AS_OF)


@pytest.fixture(scope="module")
def authority(population: list[SimPerson]) -> CardAuthority:
    authority = CardAuthority(5, SIM, AS_OF)
    for person in population:
        authority.issue(person)  # registers revoked serials on the CRL
    return authority


def _card(authority: CardAuthority, population: list[SimPerson], status: str) -> Card:
    return authority.issue(next(p for p in population if p.card_status == status))


def _assertion(card: Card, nonce: str = NONCE, signed: str = NONCE) -> CardAssertion:
    return CardAssertion(card.certificate_pem(), nonce, card.sign(signed.encode()))


def _verifier(authority: CardAuthority, crl: bytes | None = None) -> X509CardVerifier:
    fetched: list[str] = []

    def fetch(url: str) -> bytes:
        fetched.append(url)
        return crl if crl is not None else authority.crl(AT)

    verifier = X509CardVerifier(authority.root_pem().encode(), fetch, SIM)
    verifier.fetched = fetched  # type: ignore[attr-defined]
    return verifier


def test_valid_card_over_the_banks_nonce_verifies(
    authority: CardAuthority, population: list[SimPerson]
) -> None:
    card = _card(authority, population, "valid")
    verifier = _verifier(authority)

    check = verifier.verify(_assertion(card), NONCE, AT)

    assert check.failure is None
    assert check.serial == format(card.certificate.serial_number, "x")
    assert check.not_after == card.certificate.not_valid_after_utc
    assert verifier.fetched == [f"{SIM}/sim/crl/jlis.crl"]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("status", "failure"),
    [
        ("foreign_ca", "certificate_untrusted"),
        ("expired", "certificate_expired"),
        ("revoked", "certificate_revoked"),
    ],
)
def test_card_the_bank_must_refuse_fails_with_its_reason(
    authority: CardAuthority, population: list[SimPerson], status: str, failure: str
) -> None:
    card = _card(authority, population, status)

    assert _verifier(authority).verify(_assertion(card), NONCE, AT).failure == failure


def test_signature_over_another_challenge_is_refused(
    authority: CardAuthority, population: list[SimPerson]
) -> None:
    card = _card(authority, population, "valid")
    verifier = _verifier(authority)

    assert verifier.verify(_assertion(card, signed="other"), NONCE, AT).failure == (
        "signature_invalid"
    )
    assert verifier.verify(_assertion(card, nonce="other", signed="other"), NONCE, AT).failure == (
        "nonce_mismatch"
    )


def test_card_not_yet_valid_is_refused(
    authority: CardAuthority, population: list[SimPerson]
) -> None:
    card = _card(authority, population, "valid")
    early = card.certificate.not_valid_before_utc - timedelta(seconds=1)

    check = _verifier(authority, authority.crl(early)).verify(_assertion(card), NONCE, early)

    assert check.failure == "certificate_not_yet_valid"


def test_without_a_configured_root_nothing_verifies(
    authority: CardAuthority, population: list[SimPerson]
) -> None:
    card = _card(authority, population, "valid")
    verifier = X509CardVerifier(None, lambda url: b"", SIM)

    assert verifier.verify(_assertion(card), NONCE, AT).failure == "trust_root_missing"


def test_revocation_status_that_cannot_be_trusted_fails_closed(
    authority: CardAuthority, population: list[SimPerson]
) -> None:
    card = _card(authority, population, "valid")
    stale = authority.crl(AT - timedelta(days=3))
    forged = CardAuthority(99, SIM, AS_OF).crl(AT)  # same issuer name, another key

    def unreachable(url: str) -> bytes:
        raise OSError("connection refused")

    assert _verifier(authority, stale).verify(_assertion(card), NONCE, AT).failure == (
        "revocation_unknown"
    )
    assert _verifier(authority, forged).verify(_assertion(card), NONCE, AT).failure == (
        "revocation_unknown"
    )
    offline = X509CardVerifier(authority.root_pem().encode(), unreachable, SIM)
    assert offline.verify(_assertion(card), NONCE, AT).failure == "revocation_unknown"


def test_crl_is_fetched_only_from_the_configured_mynaportal(
    authority: CardAuthority, population: list[SimPerson]
) -> None:
    card = _card(authority, population, "valid")
    asked: list[str] = []
    verifier = X509CardVerifier(
        authority.root_pem().encode(), lambda url: asked.append(url) or b"", "http://other.test"
    )

    assert verifier.verify(_assertion(card), NONCE, AT).failure == "revocation_unknown"
    assert asked == []
