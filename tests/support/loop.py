"""The trust loop's set-up over HTTP: a certified recipient with a key, an offer approved by
the ethics board and opened by an operator."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from joserfc.jwk import ECKey

from infobank.bootstrap import Bank
from infobank.domain.identity import StaffRole
from tests.support import api


def token(client: TestClient, client_id: str, client_secret: str) -> dict[str, str]:
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


def certified_recipient(client: TestClient, operator: api.Party) -> api.Party:
    recipient = api.business(client, operator, "recipient")
    cert = client.post(
        f"/v1/admin/recipients/{recipient.id}/certifications",
        json={
            "kind": "pmark",
            "number": "P-1",
            "valid_from": "2025-01-01",
            "valid_until": "2027-12-31",
        },
        headers=operator.headers,
    )
    assert cert.status_code == 201, cert.text
    return recipient


def register_key(client: TestClient, headers: dict[str, str]) -> ECKey:
    key = ECKey.generate_key("P-256", private=True, auto_kid=True)
    put = client.put(
        "/v1/recipient/keys", json={"jwk": key.as_dict(private=False)}, headers=headers
    )
    assert put.status_code == 200, put.text
    return key


def open_offer(
    client: TestClient, bank: Bank, recipient_headers: dict[str, str], **changes: Any
) -> str:
    """An offer for lifelog.activity, submitted, approved and opened; returns its id."""
    operator = api.staff(bank)
    ethics = api.staff(bank, StaffRole.ETHICS)
    body = {
        "title": "歩数に応じた保険料割引",
        "purpose": {"code": "insurance.product_design", "text": "歩数データから保険商品を設計する"},
        "categories": ["lifelog.activity"],
        "benefit": {"points": 300},
        "retention_days": 180,
        "consent_duration_days": 180,
        "fetch": {"mode": "one_time"},
        "profiling": False,
        "reprovision": {"allowed": False},
        "target": {},
        "capacity": 1000,
        **changes,
    }
    created = client.post("/v1/offers", json=body, headers=recipient_headers)
    assert created.status_code == 201, created.text
    offer_id = str(created.json()["id"])
    submitted = client.post(f"/v1/offers/{offer_id}/submit", headers=recipient_headers)
    assert submitted.status_code == 200, submitted.text
    reviewed = client.post(
        f"/v1/admin/offers/{offer_id}/review",
        json={"decision": "approve", "minutes": "目的と便益が明確。承認。"},
        headers=ethics.headers,
    )
    assert reviewed.status_code == 200, reviewed.text
    opened = client.post(f"/v1/admin/offers/{offer_id}/open", headers=operator.headers)
    assert opened.status_code == 200, opened.text
    return offer_id
