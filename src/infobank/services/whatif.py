"""What-if (影響分析): what a change of guideline version would do to the decisions in force.

For the current consents (active or paused: would their provision be allowed), the open
invitations (could the person accept) and the open offers themselves (would they pass
submission), ``decide`` runs under the version in force and under the proposed one. Every
decision that changes is counted, by action and by the rules that made the difference, each
rule with the sources and bases (SPEC §4) of the reasons it gave: a rule refusing anew under
the proposed version cites that version's wording, one no longer refusing the wording in force.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from infobank.domain.consents import Consent
from infobank.domain.errors import InvalidInput, NotFound
from infobank.domain.offers import Offer
from infobank.domain.policy import VERSIONS, Action, Basis, Decision, Facts, Request, decide
from infobank.services.context import Context
from infobank.services.facts import gather
from infobank.services.ports.unit_of_work import UnitOfWork

__all__ = ["what_if"]

_EXAMPLES = 20


@dataclass
class _Tally:
    evaluated: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)  # by action
    allowed: Counter[str] = field(default_factory=Counter)
    rules_refusing: Counter[str] = field(default_factory=Counter)
    rules_lifting: Counter[str] = field(default_factory=Counter)
    bases: dict[str, dict[Basis, None]] = field(default_factory=dict)  # rule → bases, in order
    examples: list[dict[str, Any]] = field(default_factory=list)

    def _cite(self, decision: Decision, rules: list[str]) -> None:
        for reason in decision.reasons:
            if reason.refuses and reason.rule in rules:
                self.bases.setdefault(reason.rule, {})[reason.basis] = None

    def compare(
        self, kind: str, subject: dict[str, str], before: Decision, after: Decision
    ) -> None:
        self.evaluated[kind] += 1
        if before.allowed == after.allowed and set(before.rules) == set(after.rules):
            return
        gained = sorted(set(after.rules) - set(before.rules))
        lost = sorted(set(before.rules) - set(after.rules))
        if before.allowed and not after.allowed:
            self.refused[kind] += 1
        elif after.allowed and not before.allowed:
            self.allowed[kind] += 1
        self.rules_refusing.update(gained)
        self.rules_lifting.update(lost)
        self._cite(after, gained)
        self._cite(before, lost)
        if len(self.examples) < _EXAMPLES:
            self.examples.append(
                {
                    "action": kind,
                    **subject,
                    "allowed_before": before.allowed,
                    "allowed_after": after.allowed,
                    "rules_added": gained,
                    "rules_lifted": lost,
                }
            )


def _both(ctx: Context, facts: Facts, request: Request, version: str) -> tuple[Decision, Decision]:
    now = ctx.clock.now()
    return (
        decide(request, facts, now, ctx.guideline_version),
        decide(request, facts, now, version),
    )


def _request(action: Action, offer: Offer, categories: list[str] | None = None) -> Request:
    return Request(
        action=action,
        categories=frozenset(categories if categories is not None else offer.categories),
        purpose_code=offer.purpose_code,
        recipient_id=offer.recipient_id,
    )


def _consents(
    ctx: Context, uow: UnitOfWork, tally: _Tally, version: str, offer_id: str | None
) -> None:
    offers: dict[str, Offer | None] = {}
    for consent in uow.consents.with_status(("active", "paused"), offer_id):
        offer = offers.setdefault(consent.offer_id, uow.offers.get(consent.offer_id))
        if offer is None:
            continue
        facts = gather(ctx, uow, consent.person_id, offer, _as_active(consent))
        request = _request(Action.PROVIDE, offer, list(consent.artefact["categories"]))
        before, after = _both(ctx, facts, request, version)
        tally.compare("provide", {"consent_id": consent.id}, before, after)


def _as_active(consent: Consent) -> Consent:
    """A paused consent is judged as if resumed: would it be allowed once the person resumes?"""
    return consent if consent.status != "paused" else replace(consent, status="active")


def what_if(ctx: Context, version: str, offer_id: str | None = None) -> dict[str, Any]:
    if version not in VERSIONS:
        raise InvalidInput(
            f"guideline_version must be one of {', '.join(VERSIONS)}", code="validation_error"
        )
    tally = _Tally()
    with ctx.read() as uow:
        if offer_id is not None:
            chosen = uow.offers.get(offer_id)
            if chosen is None:
                raise NotFound("no such offer")
            open_offers = [chosen] if chosen.status == "open" else []
        else:
            open_offers = uow.offers.find(statuses=("open",))
        _consents(ctx, uow, tally, version, offer_id)
        for offer in open_offers:
            facts = gather(ctx, uow, "", offer, None)
            before, after = _both(ctx, facts, _request(Action.SUBMIT, offer), version)
            tally.compare("submit", {"offer_id": offer.id}, before, after)
            for person_id in uow.offers.open_invitations(offer.id):
                facts = gather(ctx, uow, person_id, offer, None)
                before, after = _both(ctx, facts, _request(Action.ACCEPT, offer), version)
                tally.compare(
                    "accept", {"offer_id": offer.id, "person_id": person_id}, before, after
                )
    return {
        "from_version": ctx.guideline_version,
        "to_version": version,
        "evaluated": dict(tally.evaluated),
        "changed": sum(tally.refused.values()) + sum(tally.allowed.values()),
        "newly_refused": dict(tally.refused),
        "newly_allowed": dict(tally.allowed),
        "by_rule": {
            rule: {
                "newly_refusing": tally.rules_refusing[rule],
                "no_longer_refusing": tally.rules_lifting[rule],
                "bases": [
                    {"source": b.source.value, "basis_ja": b.ja, "basis_en": b.en}
                    for b in tally.bases.get(rule, {})
                ],
            }
            for rule in sorted(set(tally.rules_refusing) | set(tally.rules_lifting))
        },
        "examples": tally.examples,
    }
