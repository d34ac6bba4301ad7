"""Small steps over the HTTP API that many tests take (sign up, log in, register a business)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient

from infobank.bootstrap import Bank
from infobank.domain.identity import StaffRole
from infobank.services import identity

PASSWORD = "correct horse battery"
_serial = itertools.count()


@dataclass(frozen=True)
class Party:
    id: str
    headers: dict[str, str]
    email: str = ""
    client_id: str = ""
    client_secret: str = ""


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def sign_up(client: TestClient, **overrides: Any) -> Party:
    email = overrides.pop("email", f"person{next(_serial)}@example.jp")
    terms = client.get("/v1/terms").json()["version"]
    body = {
        "email": email,
        "password": PASSWORD,
        "display_name": "山田 花子",
        "birth_date": "1985-04-12",
        "gender": "female",
        "prefecture": "13",
        "terms_version": terms,
        **overrides,
    }
    created = client.post("/v1/persons", json=body)
    assert created.status_code == 201, created.text
    token = client.post("/v1/auth/login", json={"email": email, "password": body["password"]})
    assert token.status_code == 200, token.text
    return Party(created.json()["id"], bearer(token.json()["access_token"]), email=email)


def staff(bank: Bank, role: StaffRole = StaffRole.OPERATOR) -> Party:
    email = f"{role.value}{next(_serial)}@bank.example"
    issued = identity.create_staff(bank.context, email, PASSWORD, role)
    return Party(issued.principal.id, bearer(issued.token), email=email)


def business(client: TestClient, operator: Party, kind: str = "recipient", **body: Any) -> Party:
    payload = {"name": f"{kind} {next(_serial)}", "industry": "insurance", **body}
    if kind == "recipient":
        payload.setdefault("contact_email", "dpo@example.com")
    created = client.post(f"/v1/admin/{kind}s", json=payload, headers=operator.headers)
    assert created.status_code == 201, created.text
    data = created.json()
    token = client.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": data["client_id"],
            "client_secret": data["client_secret"],
        },
    )
    assert token.status_code == 200, token.text
    return Party(
        data["id"],
        bearer(token.json()["access_token"]),
        client_id=data["client_id"],
        client_secret=data["client_secret"],
    )


def link(client: TestClient, person: Party, source: Party, external_ref: str = "M-1") -> str:
    code = client.post("/v1/me/source-links", json={"source_id": source.id}, headers=person.headers)
    assert code.status_code == 201, code.text
    linked = client.post(
        "/v1/source/links",
        json={"code": code.json()["code"], "external_ref": external_ref},
        headers=source.headers,
    )
    assert linked.status_code == 201, linked.text
    return str(linked.json()["person_ref"])


def items(
    client: TestClient, path: str, headers: dict[str, str], **params: Any
) -> list[dict[str, Any]]:
    """Every item of a paginated list, newest first, following ``next_cursor`` to the end."""
    found: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        query = {**params, "limit": 200, **({"cursor": cursor} if cursor else {})}
        answer = client.get(path, headers=headers, params=query)
        assert answer.status_code == 200, answer.text
        page = answer.json()
        found.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return found
