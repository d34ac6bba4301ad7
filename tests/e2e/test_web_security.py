"""Security of the pages (SPEC §9): CSRF tokens on every form, session cookies, sessions that
expire and end, ownership checked like the API, and staff pages closed to persons. On SQLite
and PostgreSQL."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from infobank.bootstrap import Bank
from infobank.domain.identity import StaffRole
from infobank.entrypoints.web.auth import safe_next
from tests.fakes import FakeClock
from tests.support import web

STAFF_PAGES = (
    "/staff/recipients",
    "/staff/reviews",
    "/staff/offers",
    "/staff/inquiries",
    "/staff/usage",
    "/staff/incidents",
)


def _session_cookie(response_headers: list[str]) -> str:
    found = next((h for h in response_headers if h.startswith("ib_session=")), None)
    assert found is not None, response_headers
    return found


def _accepted_consent(client: TestClient, bank: Bank) -> str:
    web.post(client, "/records", "/records", category="lifelog.activity", value="1")
    offer_id, _ = web.open_offer(client, bank)
    accepted = web.post(client, f"/offers/{offer_id}/accept", "/offers")
    assert accepted.status_code == 303
    return str(accepted.headers["location"].split("/")[2].split("?")[0])


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(
    client: TestClient, bank: Bank
) -> None:
    web.sign_up(client, bank)
    consent_id = _accepted_consent(client, bank)
    for data in ({}, {"csrf_token": ""}, {"csrf_token": "forged"}):
        refused = client.post("/stop-all", data=data)
        assert refused.status_code == 403
        assert "セキュリティ用のトークン" in refused.text
    assert 'data-status="active"' in client.get("/").text
    assert client.post(f"/consents/{consent_id}/revoke").status_code == 403
    english = client.post("/stop-all?lang=en")
    assert english.status_code == 403 and "security token" in english.text


def test_one_sessions_token_does_not_work_in_another_session(
    client: TestClient, bank: Bank
) -> None:
    web.sign_up(client, bank)
    mine = web.csrf(client.get("/").text)
    other = TestClient(client.app)
    web.sign_up(other, bank)
    assert other.post("/stop-all", data={"csrf_token": mine}).status_code == 403
    assert web.post(other, "/stop-all", "/").status_code == 303


def test_the_log_in_form_needs_the_token_of_its_pre_session_cookie(
    client: TestClient, bank: Bank
) -> None:
    email = web.sign_up(client, bank)
    fresh = TestClient(client.app)
    no_token = fresh.post("/login", data={"email": email, "password": web.PASSWORD})
    assert no_token.status_code == 403
    page = fresh.get("/login")
    token = web.csrf(page.text)
    assert fresh.cookies.get("ib_presession")
    stranger = TestClient(client.app)  # a token without its cookie, as a forging site has
    forged = stranger.post(
        "/login", data={"csrf_token": token, "email": email, "password": web.PASSWORD}
    )
    assert forged.status_code == 403
    signed_in = fresh.post(
        "/login",
        data={"csrf_token": token, "email": email, "password": web.PASSWORD},
        follow_redirects=False,
    )
    assert signed_in.status_code == 303


def test_session_cookie_is_http_only_same_site_lax_and_secure_over_https(
    client: TestClient, bank: Bank
) -> None:
    page = client.get("/signup")
    plain = client.post(
        "/signup",
        data={
            "csrf_token": web.csrf(page.text),
            "email": "cookie@example.jp",
            "password": web.PASSWORD,
            "display_name": "花子",
            "birth_date": "1985-04-12",
            "gender": "female",
            "prefecture": "13",
            "terms_version": bank.context.terms.version,
            "agree": "yes",
        },
        follow_redirects=False,
    )
    cookie = _session_cookie(plain.headers.get_list("set-cookie"))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    secure = TestClient(client.app, base_url="https://testserver")
    login = secure.get("/login")
    done = secure.post(
        "/login",
        data={
            "csrf_token": web.csrf(login.text),
            "email": "cookie@example.jp",
            "password": web.PASSWORD,
        },
        follow_redirects=False,
    )
    cookie = _session_cookie(done.headers.get_list("set-cookie"))
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=lax" in cookie


def test_sessions_are_stored_hashed_and_end_when_idle_or_logged_out(
    client: TestClient, bank: Bank, clock: FakeClock
) -> None:
    email = web.sign_up(client, bank)
    token = client.cookies["ib_session"]
    with bank.engine.connect() as conn:
        stored = conn.execute(text("SELECT token_hash FROM web_sessions")).scalars().all()
    assert stored and token not in stored

    clock.advance(seconds=bank.settings.web_session_idle_s - 1)
    assert client.get("/records").status_code == 200  # use keeps it alive
    clock.advance(seconds=bank.settings.web_session_idle_s + 1)
    idle = client.get("/records", follow_redirects=False)
    assert idle.status_code == 303 and idle.headers["location"] == "/login?next=/records"

    web.log_in(client, email)
    kept = client.cookies["ib_session"]
    logged_out = web.post(client, "/logout", "/")
    assert logged_out.headers["location"] == "/?msg=logged_out"
    replay = TestClient(client.app, cookies={"ib_session": kept})
    assert replay.get("/records", follow_redirects=False).status_code == 303


def test_sessions_end_at_their_absolute_expiry_despite_use(
    client: TestClient, bank: Bank, clock: FakeClock
) -> None:
    web.sign_up(client, bank)
    step = bank.settings.web_session_idle_s // 2
    for _ in range(bank.settings.web_session_ttl_s // step - 1):
        clock.advance(seconds=step)
        assert client.get("/benefits").status_code == 200
    clock.advance(seconds=step * 2)
    assert client.get("/benefits", follow_redirects=False).status_code == 303


def test_person_pages_send_visitors_to_log_in_and_back_but_never_off_site(
    client: TestClient, bank: Bank
) -> None:
    for path in ("/offers", "/records", "/account", "/consents/x", "/inquiries"):
        gone = client.get(path, follow_redirects=False)
        assert gone.status_code == 303 and gone.headers["location"] == f"/login?next={path}"
    email = web.sign_up(client, bank)
    fresh = TestClient(client.app)
    page = fresh.get("/login?next=/benefits")
    assert 'name="next" value="/benefits"' in page.text
    done = fresh.post(
        "/login",
        data={
            "csrf_token": web.csrf(page.text),
            "email": email,
            "password": web.PASSWORD,
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert done.headers["location"] == "/"
    assert safe_next("/benefits", "/") == "/benefits"
    for hostile in ("//evil.example", "https://evil.example", "/\\evil.example", "javascript:x"):
        assert safe_next(hostile, "/") == "/"


def test_a_person_cannot_open_another_persons_consent_record_or_inquiry(
    client: TestClient, bank: Bank
) -> None:
    web.sign_up(client, bank)
    consent_id = _accepted_consent(client, bank)
    records = client.get("/records").text
    record_id = re.search(r'href="/records/([0-9a-f-]{36})"', records)
    assert record_id
    inquiry = web.post(client, "/inquiries", "/inquiries", subject="件名", body="本文")
    inquiry_page = inquiry.headers["location"].split("?")[0]

    other = TestClient(client.app)
    web.sign_up(other, bank)
    for path in (
        f"/consents/{consent_id}",
        f"/consents/{consent_id}/artefact",
        f"/consents/{consent_id}/receipt",
        f"/records/{record_id.group(1)}",
        inquiry_page,
        "/consents/not-a-consent",
        "/records/not-a-record",
    ):
        page = other.get(path)
        assert page.status_code == 404, path
        assert "このページは存在しないか" in page.text
    revoke = web.post(other, f"/consents/{consent_id}/revoke", "/")
    assert revoke.status_code == 404
    assert web.post(other, f"{inquiry_page}/close", "/").status_code == 404
    assert 'data-status="active"' in client.get("/").text


def test_staff_pages_refuse_persons_and_send_visitors_to_the_staff_log_in(
    client: TestClient, bank: Bank
) -> None:
    for path in STAFF_PAGES:
        gone = client.get(path, follow_redirects=False)
        assert gone.status_code == 303
        assert gone.headers["location"].startswith("/staff/login?next=")
    web.sign_up(client, bank)
    for path in STAFF_PAGES:
        refused = client.get(path)
        assert refused.status_code == 403, path
        assert "このページは別の種類のアカウント用です" in refused.text
    offer_id, _ = web.offer_under_review(client, bank)
    acted = web.post(
        client, f"/staff/offers/{offer_id}/review", "/", decision="approve", minutes="x"
    )
    assert acted.status_code == 403


@pytest.mark.parametrize(
    ("role", "allowed", "refused"),
    [
        (
            StaffRole.ETHICS,
            ["/staff/reviews"],
            ["/staff/recipients", "/staff/inquiries", "/staff/usage", "/staff/incidents"],
        ),
        (
            StaffRole.SUPPORT,
            ["/staff/inquiries"],
            ["/staff/reviews", "/staff/offers", "/staff/usage", "/staff/incidents"],
        ),
        (
            StaffRole.AUDITOR,
            ["/staff/recipients", "/staff/reviews", "/staff/usage", "/staff/incidents"],
            ["/staff/inquiries"],
        ),
    ],
)
def test_staff_see_only_the_pages_of_their_role(
    client: TestClient, bank: Bank, role: StaffRole, allowed: list[str], refused: list[str]
) -> None:
    web.log_in(client, web.staff_member(bank, role), staff=True)
    for path in allowed:
        assert client.get(path).status_code == 200, path
    for path in refused:
        assert client.get(path).status_code == 403, path
    assert client.get("/", follow_redirects=False).headers["location"].startswith("/staff/")
    assert client.get("/offers").status_code == 403


def test_pages_are_not_cached_framed_or_open_to_foreign_scripts(client: TestClient) -> None:
    page = client.get("/login")
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["x-frame-options"] == "DENY"
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
