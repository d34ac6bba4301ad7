"""Steps of the trust loop over HTTP that many tests share: a recipient ready to receive, a
person holding records, an offer taken from draft to open, and opening a sealed package."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient
from joserfc import jwe, jws
from joserfc.jwk import ECKey, KeySet

from infobank.bootstrap import Bank
from infobank.domain.identity import StaffRole
from tests.support import api
from tests.support.api import Party

__all__ = [
    "Party",
    "Recipient",
    "Staff",
    "accept",
    "approve",
    "certify",
    "draft",
    "fresh",
    "offer_body",
    "open_offer",
    "person",
    "recipient",
    "register_key",
    "staff",
    "submit",
    "token",
    "unseal",
]


@dataclass(frozen=True)
class Staff:
    operator: Party
    ethics: Party


@dataclass(frozen=True)
class Recipient:
    party: Party
    key: ECKey

    @property
    def headers(self) -> dict[str, str]:
        return self.party.headers

    @property
    def id(self) -> str:
        return self.party.id


def staff(bank: Bank) -> Staff:
    return Staff(api.staff(bank), api.staff(bank, StaffRole.ETHICS))


def certify(
    client: TestClient,
    operator: Party,
    recipient_id: str,
    *,
    valid_from: str = "2025-01-01",
    valid_until: str = "2027-12-31",
) -> None:
    cert = client.post(
        f"/v1/admin/recipients/{recipient_id}/certifications",
        json={
            "kind": "pmark",
            "number": "P-1",
            "valid_from": valid_from,
            "valid_until": valid_until,
        },
        headers=operator.headers,
    )
    assert cert.status_code == 201, cert.text


def token(client: TestClient, client_id: str, client_secret: str) -> dict[str, str]:
    """Bearer headers from the client credentials grant."""
    got = client.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": client_secret,
        },
    )
    assert got.status_code == 200, got.text
    return api.bearer(got.json()["access_token"])


def register_key(client: TestClient, headers: dict[str, str]) -> ECKey:
    """A fresh P-256 key pair whose public half the recipient registers."""
    key = ECKey.generate_key("P-256", private=True, auto_kid=True)
    put = client.put(
        "/v1/recipient/keys", json={"jwk": key.as_dict(private=False)}, headers=headers
    )
    assert put.status_code == 200, put.text
    return key


def recipient(
    client: TestClient, team: Staff, *, certified: bool = True, webhook: str | None = None
) -> Recipient:
    """A recipient with an encryption key, certified (Pマーク) unless told otherwise."""
    party = api.business(client, team.operator, "recipient")
    if certified:
        certify(client, team.operator, party.id)
    key = register_key(client, party.headers)
    if webhook is not None:
        hook = client.put("/v1/recipient/webhook", json={"url": webhook}, headers=party.headers)
        assert hook.status_code == 200, hook.text
    return Recipient(party, key)


def person(
    client: TestClient,
    categories: tuple[str, ...] = ("lifelog.activity",),
    *,
    delegation: list[dict[str, Any]] | None = None,
    **profile: Any,
) -> Party:
    """A signed-up person holding one record of each category, with delegation rules if given."""
    who = api.sign_up(client, **profile)
    for category in categories:
        added = client.post(
            "/v1/me/records",
            json={"category": category, "data": {"value": f"{category} of {who.id[:8]}"}},
            headers=who.headers,
        )
        assert added.status_code == 201, added.text
    if delegation is not None:
        put = client.put("/v1/me/delegation", json={"rules": delegation}, headers=who.headers)
        assert put.status_code == 200, put.text
    return who


def offer_body(**changes: Any) -> dict[str, Any]:
    return {
        "title": "歩数に応じた保険料割引",
        "purpose": {"code": "insurance.product_design", "text": "歩数データから保険商品を設計する"},
        "categories": ["lifelog.activity"],
        "benefit": {"points": 300},
        "retention_days": 180,
        "consent_duration_days": 180,
        "fetch": {"mode": "one_time"},
        "profiling": False,
        "reprovision": {"allowed": False},
        "target": {"age_min": 20, "age_max": 70},
        "capacity": 100,
        **changes,
    }


def draft(client: TestClient, who: Recipient | Party, **changes: Any) -> str:
    created = client.post("/v1/offers", json=offer_body(**changes), headers=who.headers)
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


def submit(client: TestClient, who: Recipient | Party, offer_id: str) -> None:
    submitted = client.post(f"/v1/offers/{offer_id}/submit", headers=who.headers)
    assert submitted.status_code == 200, submitted.text


def approve(client: TestClient, team: Staff, offer_id: str, decision: str = "approve") -> None:
    reviewed = client.post(
        f"/v1/admin/offers/{offer_id}/review",
        json={"decision": decision, "minutes": "目的と便益を確認した。"},
        headers=team.ethics.headers,
    )
    assert reviewed.status_code == 200, reviewed.text


def open_offer(
    client: TestClient, team: Staff, who: Recipient | Party, **changes: Any
) -> tuple[str, dict[str, Any]]:
    """Draft, submit, approve and open an offer; returns its id and the opening counts."""
    offer_id = draft(client, who, **changes)
    submit(client, who, offer_id)
    approve(client, team, offer_id)
    opened = client.post(f"/v1/admin/offers/{offer_id}/open", headers=team.operator.headers)
    assert opened.status_code == 200, opened.text
    return offer_id, opened.json()


def accept(client: TestClient, who: Party, offer_id: str) -> str:
    accepted = client.post(f"/v1/me/offers/{offer_id}/accept", headers=who.headers)
    assert accepted.status_code == 201, accepted.text
    return str(accepted.json()["id"])


def unseal(client: TestClient, who: Recipient, sealed: str) -> dict[str, Any]:
    """Decrypt a package with the recipient's key and verify the bank's signature (JWKS)."""
    jwks = KeySet.import_key_set(client.get("/.well-known/jwks.json").json())
    inner = jwe.decrypt_compact(sealed, who.key, algorithms=["ECDH-ES+A256KW", "A256GCM"])
    assert inner.plaintext is not None
    signed = jws.deserialize_compact(inner.plaintext, jwks, algorithms=["Ed25519"])
    document: dict[str, Any] = json.loads(signed.payload)
    return document


def fresh(client: TestClient, who: Recipient) -> dict[str, str]:
    """New bearer headers for a recipient (after the clock moved past its token's life)."""
    return token(client, who.party.client_id, who.party.client_secret)
