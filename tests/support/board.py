"""Steps over HTTP for the data ethics board's conditions (審査会の条件): an offer approved with
conditions and opened to a few persons, a renewal (再審査) with other conditions, and the steps
a condition is checked at (opening, accepting, building, fetching)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient

from infobank.bootstrap import Bank
from infobank.services.worker import run_once
from tests.fakes import OfflineWebhooks
from tests.support import api, trust
from tests.support.api import Party

__all__ = ["Scene", "build", "refused_for", "review", "scene"]


@dataclass(frozen=True)
class Scene:
    client: TestClient
    bank: Bank
    team: trust.Staff
    recipient: trust.Recipient
    offer_id: str
    persons: tuple[Party, ...]

    def accept(self, who: Party) -> Any:
        return self.client.post(f"/v1/me/offers/{self.offer_id}/accept", headers=who.headers)

    def accepted(self, who: Party) -> str:
        answer = self.accept(who)
        assert answer.status_code == 201, answer.text
        return str(answer.json()["id"])

    def package(self, consent_id: str) -> str:
        found = api.items(self.client, "/v1/deliveries", self.recipient.headers)
        return next(str(d["id"]) for d in found if d["consent_id"] == consent_id)

    def fetch(self, delivery_id: str) -> Any:
        return self.client.get(f"/v1/deliveries/{delivery_id}", headers=self.recipient.headers)

    def renew(self, **conditions: Any) -> None:
        """The recipient submits the open offer again; the board approves it with
        ``conditions``."""
        trust.submit(self.client, self.recipient, self.offer_id)
        answer = review(self.client, self.team, self.offer_id, conditions)
        assert answer.status_code == 200, answer.text

    def open(self) -> Any:
        return self.client.post(
            f"/v1/admin/offers/{self.offer_id}/open", headers=self.team.operator.headers
        )


def review(
    client: TestClient,
    team: trust.Staff,
    offer_id: str,
    conditions: dict[str, Any] | list[str],
    decision: str = "approve",
) -> Any:
    return client.post(
        f"/v1/admin/offers/{offer_id}/review",
        json={"decision": decision, "minutes": "審査した。", "conditions": conditions},
        headers=team.ethics.headers,
    )


def scene(
    client: TestClient,
    bank: Bank,
    conditions: dict[str, Any],
    *,
    persons: int = 3,
    opened: bool = True,
    delegation: list[dict[str, Any]] | None = None,
    **offer: Any,
) -> Scene:
    """A certified recipient's offer approved with ``conditions`` and (unless told otherwise)
    opened to ``persons`` persons (40-something, in Tokyo), each holding a record."""
    team = trust.staff(bank)
    recipient = trust.recipient(client, team)
    people = tuple(trust.person(client, delegation=delegation) for _ in range(persons))
    offer_id = trust.draft(client, recipient, **offer)
    trust.submit(client, recipient, offer_id)
    approved = review(client, team, offer_id, conditions)
    assert approved.status_code == 200, approved.text
    made = Scene(client, bank, team, recipient, offer_id, people)
    if opened:
        answer = made.open()
        assert answer.status_code == 200, answer.text
    return made


def build(bank: Bank) -> int:
    """Run the worker once; how many packages it built."""
    return int(run_once(bank.context, OfflineWebhooks())["built"])


def refused_for(answer: Any, words: str, status: int = 403) -> None:
    """The answer is a policy refusal by ``offer.reviewed`` whose English message says
    ``words``."""
    assert answer.status_code == status, answer.text
    reasons = answer.json()["reasons"]
    assert any(r["rule"] == "offer.reviewed" and words in r["message_en"] for r in reasons), reasons
