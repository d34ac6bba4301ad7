"""``mynaportal.joint_application``: delegated consent never covers Mynaportal-derived data,
even for a recipient whose joint application lists it."""

from __future__ import annotations

from infobank.domain.policy import Action, ConsentMode, Outcome, decide

from . import builders as b

LISTED = b.recipient(joint_application=(b.joint_entry(),))
ORIGINS = frozenset({"mynaportal"})


def _refusal(decision_rules: tuple[str, ...]) -> bool:
    return "mynaportal.joint_application" in decision_rules


def test_bank_never_accepts_on_a_persons_behalf_for_mynaportal_data() -> None:
    facts = b.facts(record_origins=ORIGINS, recipient=LISTED)

    decision = decide(b.request(Action.DELEGATE), facts, b.AT)

    assert not decision.allowed and _refusal(decision.rules)
    [reason] = [r for r in decision.reasons if r.rule == "mynaportal.joint_application"]
    assert reason.outcome is Outcome.DENY and "委任" in reason.message_ja


def test_provision_under_a_delegated_consent_is_refused_and_explicit_is_allowed() -> None:
    delegated = b.facts(
        record_origins=ORIGINS, recipient=LISTED, consent=b.consent(mode=ConsentMode.DELEGATED)
    )
    explicit = b.facts(record_origins=ORIGINS, recipient=LISTED)

    assert _refusal(decide(b.request(), delegated, b.AT).rules)
    assert decide(b.request(), explicit, b.AT).allowed


def test_delegation_without_mynaportal_data_is_not_this_rules_business() -> None:
    facts = b.facts(record_origins=frozenset({"self"}), recipient=LISTED)

    assert not _refusal(decide(b.request(Action.DELEGATE), facts, b.AT).rules)
