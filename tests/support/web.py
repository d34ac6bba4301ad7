"""Steps over the pages that many web tests take: read a form's CSRF token, sign up and log in
through the forms, and an offer taken from draft to open through the API."""

from __future__ import annotations

import itertools
import re
from typing import Any

from fastapi.testclient import TestClient

from infobank.bootstrap import Bank
from infobank.domain.identity import StaffRole
from tests.support import api, trust

PASSWORD = api.PASSWORD
_serial = itertools.count()
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf(html: str) -> str:
    found = _TOKEN.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def sign_up(client: TestClient, bank: Bank, email: str | None = None) -> str:
    """Sign up through the form; the client is then logged in. Returns the email."""
    email = email or f"web{next(_serial)}@example.jp"
    page = client.get("/signup")
    assert page.status_code == 200, page.text
    done = client.post(
        "/signup",
        data={
            "csrf_token": csrf(page.text),
            "email": email,
            "password": PASSWORD,
            "display_name": "山田 花子",
            "birth_date": "1985-04-12",
            "gender": "female",
            "prefecture": "13",
            "terms_version": bank.context.terms.version,
            "agree": "yes",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    return email


def log_in(client: TestClient, email: str, *, staff: bool = False) -> None:
    path = "/staff/login" if staff else "/login"
    page = client.get(path)
    done = client.post(
        path,
        data={"csrf_token": csrf(page.text), "email": email, "password": PASSWORD},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text


def staff_member(bank: Bank, role: StaffRole) -> str:
    """A staff member with ``role``; returns their email (password ``PASSWORD``)."""
    return api.staff(bank, role).email


def post(client: TestClient, path: str, page: str, **data: Any) -> Any:
    """Submit a form found on ``page`` (for its CSRF token) to ``path``."""
    token = csrf(client.get(page).text)
    return client.post(path, data={"csrf_token": token, **data}, follow_redirects=False)


def offer_under_review(
    client: TestClient, bank: Bank, recipient_name: str = "", **changes: Any
) -> tuple[str, api.Party]:
    """A certified recipient's offer for ``lifelog.activity``, submitted for review."""
    operator = api.staff(bank)
    name = recipient_name or f"みらい保険 {next(_serial)}"
    recipient = api.business(client, operator, "recipient", name=name)
    trust.certify(client, operator, recipient.id)
    offer_id = trust.draft(client, recipient, **changes)
    trust.submit(client, recipient, offer_id)
    return offer_id, recipient


def open_offer(
    client: TestClient, bank: Bank, recipient_name: str = "", **changes: Any
) -> tuple[str, api.Party]:
    """An offer approved by the ethics board and opened by an operator, through the API."""
    offer_id, recipient = offer_under_review(client, bank, recipient_name, **changes)
    ethics = api.staff(bank, StaffRole.ETHICS)
    reviewed = client.post(
        f"/v1/admin/offers/{offer_id}/review",
        json={"decision": "approve", "minutes": "目的と便益が明確。承認。"},
        headers=ethics.headers,
    )
    assert reviewed.status_code == 200, reviewed.text
    opened = client.post(f"/v1/admin/offers/{offer_id}/open", headers=api.staff(bank).headers)
    assert opened.status_code == 200, opened.text
    return offer_id, recipient
