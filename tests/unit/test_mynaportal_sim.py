"""The simulator's population and cards: the same seed gives the same people, PINs and
certificates; the cards meant to be refused are what they claim to be."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from cryptography import x509
from cryptography.exceptions import InvalidSignature

from infobank.mynaportal_sim.cards import CardAuthority
from infobank.mynaportal_sim.population import generate, visible_items

AS_OF = date(2026, 11, 26)


def test_same_seed_gives_the_same_people_pins_and_certificates() -> None:
    first, second = generate(3, 8, AS_OF), generate(3, 8, AS_OF)

    assert first == second
    assert generate(4, 8, AS_OF) != first
    one, other = CardAuthority(3, "http://sim", AS_OF), CardAuthority(3, "http://sim", AS_OF)
    assert one.root_pem() == other.root_pem()
    assert one.issue(first[0]).certificate_pem() == other.issue(first[0]).certificate_pem()
    assert all(len(p.pin) == 4 and p.pin.isdigit() for p in first)


def test_population_holds_each_card_the_bank_must_refuse() -> None:
    people = generate(3, 8, AS_OF)
    authority = CardAuthority(3, "http://sim", AS_OF)
    cards = {p.card_status: authority.issue(p) for p in people}
    at = datetime(2026, 11, 26, tzinfo=UTC)

    assert set(cards) == {"valid", "expired", "revoked", "foreign_ca"}
    cards["valid"].certificate.verify_directly_issued_by(authority.root)
    assert cards["expired"].certificate.not_valid_after_utc < at
    try:
        cards["foreign_ca"].certificate.verify_directly_issued_by(authority.root)
        raise AssertionError("a foreign CA's certificate verified under the J-LIS root")
    except InvalidSignature:
        pass
    crl = x509.load_der_x509_crl(authority.crl(at))
    assert crl.is_signature_valid(authority.root.public_key())  # type: ignore[arg-type]
    revoked = cards["revoked"].certificate.serial_number
    assert crl.get_revoked_certificate_by_serial_number(revoked) is not None
    assert (
        crl.get_revoked_certificate_by_serial_number(cards["valid"].certificate.serial_number)
        is None
    )


def test_data_is_years_deep_and_new_items_appear_as_time_passes() -> None:
    person = generate(3, 8, AS_OF)[0]
    kinds = ["medication", "checkup", "medical_expenses"]

    now = visible_items(person, kinds, AS_OF)
    later = visible_items(person, kinds, AS_OF + timedelta(days=45))

    assert min(i["date"] for i in now["checkup"]) <= str(AS_OF.year - 3)
    assert all(now[k] for k in kinds)
    assert sum(map(len, later.values())) > sum(map(len, now.values()))
    assert all(item["date"] <= AS_OF.isoformat() for items in now.values() for item in items)
    checkup = now["checkup"][-1]
    assert {"body", "blood_pressure", "blood", "urine", "questionnaire"} <= set(checkup)
    assert checkup["metabolic_syndrome"] in {"基準該当", "予備群該当", "非該当"}
    assert checkup["guidance_level"] in {"積極的支援", "動機付け支援", "なし"}
