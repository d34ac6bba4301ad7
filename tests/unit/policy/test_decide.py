"""How ``decide`` behaves as a whole: reasons, gaps, explain, packs, and bad input."""

from __future__ import annotations

from datetime import datetime

import pytest

from infobank.domain.policy import VERSIONS, Action, Outcome, Source, decide, rule_pack

from . import builders as b

EXCEPTED = b.facts(recipient=b.recipient(certifications=(), exceptions=(b.exception(),)))


def test_every_refusal_carries_its_source_basis_and_both_languages() -> None:
    decision = decide(b.request(), b.facts(consent=b.consent(status="revoked")), b.AT)

    (reason,) = decision.reasons
    assert reason.source is Source.GUIDELINE
    assert reason.basis_ja.startswith("認定指針 v1.0")
    assert reason.basis_en.startswith("Certification guideline v1.0")
    assert reason.message_ja and reason.message_en
    assert reason.message_ja != reason.message_en


def test_an_exception_that_admits_an_uncertified_recipient_is_shown() -> None:
    decision = decide(b.request(), EXCEPTED, b.AT, "2.0")

    assert decision.allowed
    assert [(r.rule, r.outcome) for r in decision.reasons] == [
        ("recipient.exception", Outcome.ALLOW)
    ]


def test_a_missing_sensitivity_is_a_gap_not_a_violation() -> None:
    decision = decide(b.request(), b.facts(sensitivity={}), b.AT)

    assert decision.rules == ("sensitive.excluded",)
    assert decision.gaps and not decision.violations
    assert (
        "profile.basic" in decision.gaps[0].message_en or "purchase" in decision.gaps[0].message_en
    )


def test_explain_lists_every_rule_that_passed() -> None:
    decision = decide(b.request(), b.facts(), b.AT, "3.0", explain=True)

    expected = [r.id for r in rule_pack("3.0") if Action.PROVIDE in r.applies_to]
    assert decision.allowed
    assert [r.rule for r in decision.reasons] == expected
    assert all(r.outcome is Outcome.ALLOW for r in decision.reasons)


def test_malformed_facts_become_a_gap_instead_of_an_exception() -> None:
    naive = datetime(2025, 6, 1, 9, 0)

    decision = decide(b.request(), b.facts(), naive)

    assert not decision.allowed
    assert "consent.window" in decision.rules
    assert all(r.outcome is Outcome.GAP for r in decision.reasons)


def test_an_unknown_version_refuses_inside_decide_but_raises_at_configuration() -> None:
    decision = decide(b.request(), b.facts(), b.AT, "9.9")

    assert not decision.allowed
    assert decision.rules == ("policy.configuration",)
    with pytest.raises(ValueError, match="9.9"):
        rule_pack("9.9")


def test_rule_packs_grow_with_the_guideline() -> None:
    ids = {v: [r.id for r in rule_pack(v)] for v in VERSIONS}

    assert "recipient.exception" not in ids["1.0"] and "recipient.exception" in ids["2.0"]
    assert "profiling.disclosed" not in ids["2.1"] and "profiling.disclosed" in ids["2.2"]
    assert "health.conditions" not in ids["2.2"] and "health.conditions" in ids["3.0"]
    for version in VERSIONS:  # policy and Mynaportal conditions hold at every version
        assert "recipient.standing" in ids[version]
        assert "mynaportal.joint_application" in ids[version]
        assert "purpose.guardrails" in ids[version]
    assert len(ids["3.0"]) == 15 == len(set(ids["3.0"]))
    for version, rules in zip(VERSIONS, (rule_pack(v) for v in VERSIONS), strict=True):
        assert all(VERSIONS.index(r.revision) <= VERSIONS.index(version) for r in rules)
