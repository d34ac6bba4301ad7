"""The pages in a real browser: Debian's chromium driven by Playwright at phone width (390 px).

One live server and one browser serve the whole module. The checks: the person's journey from
sign-up to stopping everything, the staff console's review and opening, the language switch,
CSRF refusal, and for every page: no horizontal scrolling and no axe-core violation of serious
or critical impact. Only when asked (``make screenshots`` sets INFOBANK_SCREENSHOTS=1) does
it write a full-page screenshot of every person and staff page, named by page, to
``docs/screenshots``; an ordinary run leaves the checkout as it was.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import uvicorn
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, expect, sync_playwright

from infobank.bootstrap import Bank, bootstrap
from infobank.domain.business_days import local_day
from infobank.domain.identity import StaffRole
from infobank.entrypoints.api.app import create_app
from infobank.entrypoints.web.deps import PAGE_SIZE
from infobank.mynaportal_sim.population import generate
from infobank.services import incidents, mynaportal, records, usage
from tests.fakes import FakeClock
from tests.support import api, db, web
from tests.support import records as held_records

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "docs" / "screenshots"
SHOOT = os.environ.get("INFOBANK_SCREENSHOTS") == "1"
PHONE = {"width": 390, "height": 844}
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _require(path: Path, how: str) -> None:
    if path.exists():
        return
    if os.environ.get("INFOBANK_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{path} is missing: {how}")
    pytest.skip(f"{path} is missing: {how}")


@dataclass
class Live:
    url: str
    bank: Bank
    client: TestClient  # the API, for setting the scene


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[Live]:
    folder = tmp_path_factory.mktemp("browser")
    settings = db.sqlite_settings(sqlite_template, folder, peer_banks=["https://next-bank.example"])
    bank = bootstrap(settings, clock=FakeClock())
    app = create_app(bank=bank)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.02)
    try:
        yield Live(f"http://127.0.0.1:{port}", bank, TestClient(app))
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        bank.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    _require(CHROMIUM, "apt-get install chromium (never a downloaded browser)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A phone-sized tab that enforces the pages' Content-Security-Policy and records errors."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, locale="ja-JP")
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.set_default_timeout(10_000)
    yield tab
    context.close()
    assert [e for e in errors if "403" not in e] == [], errors


def _log_in(page: Page, live: Live, email: str, *, staff: bool = False) -> None:
    page.goto(f"{live.url}{'/staff/login' if staff else '/login'}")
    page.get_by_test_id("login-email").fill(email)
    page.get_by_test_id("login-password").fill(web.PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.wait_for_load_state()


def test_person_signs_up_adds_a_record_accepts_an_offer_and_stops_everything(
    page: Page, live: Live
) -> None:
    page.goto(f"{live.url}/signup")
    page.fill("#email", "hanako@example.jp")
    page.fill("#password", web.PASSWORD)
    page.fill("#display_name", "山田 花子")
    page.fill("#birth_date", "1985-04-12")
    page.select_option("#gender", "female")
    page.select_option("#prefecture", "13")
    page.check("#agree")
    page.get_by_role("button", name="アカウントを作成").click()
    expect(page.get_by_role("status")).to_have_text("ようこそ。アカウントの準備ができました。")

    page.goto(f"{live.url}/records")
    page.select_option("#category", "lifelog.activity")
    page.fill("#field", "steps")
    page.fill("#value", "9001")
    page.get_by_test_id("add-record").click()
    expect(page.get_by_role("status")).to_have_text("データを追加しました。")
    expect(page.get_by_test_id("record-item")).to_contain_text("9,001歩")

    web.open_offer(live.client, live.bank, recipient_name="みらい保険")
    page.goto(f"{live.url}/offers")
    page.get_by_test_id("accept-offer").click()
    expect(page.get_by_role("status")).to_have_text("同意しました。同意の記録は下にあります。")
    assert page.get_by_test_id("pause-consent").is_visible()

    page.goto(f"{live.url}/")
    card = page.get_by_test_id("provision-card")
    expect(card).to_have_count(1)
    expect(card).to_have_attribute("data-status", "active")
    expect(card).to_contain_text("みらい保険")
    expect(card).to_contain_text("同意中")

    page.get_by_test_id("stop-all").click()
    confirm = page.get_by_test_id("stop-all-confirm")
    expect(confirm).to_be_visible()
    assert page.url == f"{live.url}/"  # asked on the page itself, not by navigating away
    confirm.click()
    expect(page.get_by_role("status")).to_contain_text("すべての提供を停止しました")
    expect(card).to_have_attribute("data-status", "revoked")
    expect(card).to_contain_text("停止済み")
    expect(page.get_by_test_id("stop-all")).to_have_count(0)


def test_language_switch_changes_the_page_to_english_and_back(page: Page, live: Live) -> None:
    page.goto(f"{live.url}/login")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.get_by_role("heading", level=1)).to_have_text("ログイン")
    page.get_by_test_id("lang-switch").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    page.goto(f"{live.url}/signup")  # the choice is remembered
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign up")
    page.get_by_test_id("lang-switch").click()
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.get_by_role("heading", level=1)).to_have_text("新規登録")


def test_staff_member_reviews_and_another_opens_an_offer(page: Page, live: Live) -> None:
    offer_id, _ = web.offer_under_review(live.client, live.bank, recipient_name="ヘルスケア研究所")
    _log_in(page, live, web.staff_member(live.bank, StaffRole.ETHICS), staff=True)
    item = page.get_by_test_id("review-item").filter(has=page.locator(f"#rev-{offer_id}"))
    expect(item).to_contain_text("ヘルスケア研究所")
    item.get_by_test_id("review-minutes").fill("目的と便益が明確。承認する。")
    item.get_by_test_id("review-approve").click()
    expect(page.get_by_role("status")).to_have_text("決定を記録しました。")
    page.get_by_test_id("menu-button").click()  # on a phone the menu is behind its button
    page.get_by_role("button", name="ログアウト").click()
    expect(page.get_by_role("status")).to_have_text("ログアウトしました。")

    _log_in(page, live, web.staff_member(live.bank, StaffRole.OPERATOR), staff=True)
    page.goto(f"{live.url}/staff/offers")
    board = page.get_by_test_id("board-offer").filter(has=page.locator(f"#off-{offer_id}"))
    board.get_by_test_id("open-offer").click()
    expect(page.get_by_role("status")).to_have_text("オファーを公開しました。")
    opened = page.get_by_test_id("board-offer").filter(has=page.locator(f"#off-{offer_id}"))
    expect(opened).to_contain_text("公開中")
    expect(opened.get_by_test_id("open-offer")).to_have_count(0)


def test_a_form_without_its_csrf_token_is_refused(page: Page, live: Live) -> None:
    person = api.sign_up(live.client)
    _log_in(page, live, person.email)
    page.goto(f"{live.url}/records")
    page.evaluate("document.querySelectorAll('input[name=csrf_token]').forEach(e => e.remove())")
    page.fill("#value", "42")
    with page.expect_response(f"{live.url}/records") as answered:
        page.get_by_test_id("add-record").click()
    assert answered.value.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("フォームを受け付けられませんでした")
    page.goto(f"{live.url}/records")
    expect(page.get_by_test_id("record-item")).to_have_count(0)


# The menu: one line on a wide screen, a button on a phone -----------------------------------

WIDE = {"width": 1280, "height": 800}


def _axe(page: Page) -> list[Any]:
    found: list[Any] = page.evaluate(_SCRIPT)
    return [{"url": page.url, **v} for v in found]


def test_the_menu_is_one_line_on_a_wide_screen_and_a_button_on_a_phone(
    browser: Browser, live: Live
) -> None:
    """The longest menus (an operator's, a person's) in both languages; axe-core checks the
    menu open and closed."""
    _require(AXE, "run `npm ci` (make test does)")
    person = api.sign_up(live.client)
    found: list[Any] = []
    for staff, email, home in (
        (True, web.staff_member(live.bank, StaffRole.OPERATOR), "/staff/offers"),
        (False, person.email, "/records"),
    ):
        for lang, name in (("ja", "メニュー"), ("en", "Menu")):  # the button's accessible name
            context = browser.new_context(viewport=WIDE, device_scale_factor=1, bypass_csp=True)
            context.add_init_script(path=str(AXE))
            page = context.new_page()
            page.goto(f"{live.url}/login?lang={lang}")
            _log_in(page, live, email, staff=staff)
            page.goto(live.url + home)
            items = page.locator("header.site .nav")
            expect(items).to_be_visible()
            expect(page.get_by_test_id("menu-button")).to_be_hidden()
            line = float(page.evaluate("parseFloat(getComputedStyle(document.body).lineHeight)"))
            box = page.get_by_test_id("main-menu").bounding_box()
            assert box is not None and box["height"] < 2 * line, (home, lang, box, line)
            found += _axe(page)

            page.set_viewport_size(PHONE)
            button = page.get_by_test_id("menu-button")
            expect(button).to_be_visible()
            expect(button).to_have_accessible_name(name)
            expect(items).to_be_hidden()
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
            found += _axe(page)
            button.click()
            expect(items).to_be_visible()
            expect(items.get_by_role("link").first).to_be_visible()
            log_out = "ログアウト" if lang == "ja" else "Log out"
            expect(page.get_by_role("button", name=log_out)).to_be_visible()
            found += _axe(page)
            context.close()
    assert found == []


# Every page at phone width, with axe-core ---------------------------------------------------

_SCRIPT = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(" "))}));
}"""


def _check(page: Page, url: str, shot: str = "") -> list[Any]:
    """Open ``url``; the page must fit 390 px; returns axe's serious and critical findings
    (axe-core is loaded into every page by the context's init script). With screenshots
    asked for, the whole page goes to ``docs/screenshots/<shot>.png``."""
    page.goto(url)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{url} is {width}px wide"
    if shot and SHOOT:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)
    found: list[Any] = page.evaluate(_SCRIPT)
    return [{"url": url, **v} for v in found]


def _scene(live: Live) -> dict[str, str]:
    """A person with a consent, a record, a rule, an inquiry and an offer waiting, and staff
    with something in every queue; returns the ids the pages need."""
    client, bank = live.client, live.bank
    person = api.sign_up(client)
    client.post(
        "/v1/me/records",
        json={"category": "lifelog.activity", "data": {"steps": 8421}},
        headers=person.headers,
    )
    record_id = api.items(client, "/v1/me/records", person.headers)[0]["id"]
    client.put(
        "/v1/me/delegation",
        json={"rules": [{"categories": ["lifelog.sleep"], "min_benefit_points": 100}]},
        headers=person.headers,
    )
    accepted, _ = web.open_offer(client, bank, recipient_name="みらい保険")
    consent = client.post(f"/v1/me/offers/{accepted}/accept", headers=person.headers).json()
    web.open_offer(
        client, bank, recipient_name="ヘルスケア研究所", title="睡眠と活動量の研究への協力"
    )
    inquiry = client.post(
        "/v1/me/inquiries",
        json={"category": "consent", "subject": "提供の停止について", "body": "いつ消えますか？"},
        headers=person.headers,
    ).json()
    web.offer_under_review(client, bank, recipient_name="まちづくり統計", title="地域統計の作成")
    # A Mynaportal link that failed at the card step (wrong PIN), so the page shows why.
    started = client.post("/v1/me/mynaportal/link", headers=person.headers).json()
    state = parse_qs(urlsplit(started["authorization_url"]).query)["state"][0]
    mynaportal.complete_link(
        bank.context, bank.mynaportal, state, None, "access_denied", "card_pin_incorrect"
    )
    return {
        "email": person.email,
        "consent": consent["id"],
        "record": record_id,
        "inquiry": inquiry["id"],
        "incident": _operations(bank),
    }


def _operations(bank: Bank) -> str:
    """This month's targets, earlier days' counts for the usage charts, and an incident in the
    bank's own system; returns the incident's id."""
    ctx = bank.context
    now = ctx.clock.now()
    operator = api.staff(bank).id
    today = local_day(now)
    live = usage.gauges(ctx)  # the earlier days climb to today's live figures
    users, active = live.persons, live.consents.get("active", 0)
    delivered = sum(live.deliveries.values())
    plan = {"users": users + 3, "active_consents": active + 2, "deliveries": 60}
    plan["api_requests"] = 9000
    usage.set_targets(ctx, operator, [usage.MonthTargets(today.strftime("%Y-%m"), plan)])
    with ctx.uow() as uow:
        for n in range(1, today.day):
            share = n / today.day
            day = today.replace(day=n)
            uow.usage.add_snapshot(
                day, round(users * share), round(active * share), round(delivered * share), now
            )
        uow.commit()
    usage.record_api_requests(ctx, {today - timedelta(days=n): 250 + 9 * n for n in range(1, 20)})
    recorded = incidents.record_incident(
        ctx,
        operator,
        incidents.NewIncident(
            summary="設定の誤りにより、運用ログに利用者の興味・関心が記録された",
            discovered_at=now - timedelta(hours=2),
            target="system",
            recipient_id=None,
            categories=("interests",),
            period_from=now - timedelta(days=10),
            period_to=now - timedelta(hours=3),
        ),
    )
    return recorded.id


def test_every_page_fits_a_phone_and_has_no_serious_accessibility_violations(
    browser: Browser, live: Live
) -> None:
    _require(AXE, "run `npm ci` (make test does)")
    before = {p.name: p.stat().st_mtime_ns for p in SHOTS.glob("*.png")}
    scene = _scene(live)
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, bypass_csp=True)
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    found: list[Any] = []
    base = live.url
    try:
        for path, shot in (
            ("/", "landing"),
            ("/login", "login"),
            ("/signup", "signup"),
            ("/staff/login", "staff-login"),
            ("/signup?lang=en", ""),
        ):
            found += _check(page, base + path, shot)
        page.goto(f"{base}/login?lang=ja")
        _log_in(page, live, scene["email"])
        for path, shot in (
            ("/", "dashboard"),
            ("/?confirm=stop-all", ""),
            ("/offers", "offers"),
            (f"/consents/{scene['consent']}", "consent"),
            (f"/consents/{scene['consent']}?confirm=revoke", ""),
            ("/records", "records"),
            (f"/records/{scene['record']}", "record"),
            ("/mynaportal", "mynaportal"),
            ("/delegation", "delegation"),
            ("/benefits", "benefits"),
            ("/notifications", "notifications"),
            ("/inquiries", "inquiries"),
            (f"/inquiries/{scene['inquiry']}", "inquiry"),
            ("/account", "account"),
            ("/account?confirm=delete", ""),
            ("/account?confirm=transfer&target_url=https://next-bank.example", ""),
            ("/consents/not-yours", ""),
            ("/no-such-page", "not-found"),  # the error page a browser gets
            ("/v1/mynaportal/callback?state=not-a-link&error=access_denied", "mynaportal-result"),
            ("/?lang=en", ""),
        ):
            found += _check(page, base + path, shot)
        page.goto(f"{base}/?lang=ja")
        for role, paths in (
            (StaffRole.ETHICS, [("/staff/reviews", "staff-reviews")]),
            (
                StaffRole.OPERATOR,
                [
                    ("/staff/recipients", "staff-recipients"),
                    ("/staff/offers", "staff-offers"),
                    ("/staff/inquiries", "staff-inquiries"),
                    ("/staff/usage", "staff-usage"),
                    ("/staff/incidents", "staff-incidents"),
                    (f"/staff/incidents/{scene['incident']}", "staff-incident"),
                    (f"/staff/incidents/{scene['incident']}?confirm=report-preliminary", ""),
                ],
            ),
        ):
            page.context.clear_cookies()
            _log_in(page, live, web.staff_member(live.bank, role), staff=True)
            for path, shot in paths:
                found += _check(page, base + path, shot)
    finally:
        context.close()
    assert found == []
    if not SHOOT:  # screenshots are written only when asked for
        assert {p.name: p.stat().st_mtime_ns for p in SHOTS.glob("*.png")} == before


def test_records_stay_compact_at_phone_width_and_their_pages_have_no_violations(
    browser: Browser, live: Live
) -> None:
    """Mynaportal's three years of health data and a record of every category: the list is
    one short card per record, and the record pages' tables fit the phone."""
    _require(AXE, "run `npm ci` (make test does)")
    person = api.sign_up(live.client)
    today = live.bank.context.clock.now().date()
    most = max(generate(7, 6, today), key=lambda p: len(p.medication) + len(p.medical_expenses))
    imported = held_records.import_health(live.bank, person.id, most, today)
    held_records.entrust_samples(live.client, person)
    assert imported >= 50
    held = records.list_records(live.bank.context, person.id)
    checkup = max(
        (r for r in held if r.category == "health.checkup" and "resourceType" in r.data),
        key=lambda r: r.observed_at or r.created_at,
    )
    medication = next(r for r in held if r.category == "health.medication")
    expense = next(r for r in held if r.category == "health.medical_expenses")
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, bypass_csp=True)
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    try:
        _log_in(page, live, person.email)
        found = _check(page, f"{live.url}/records")
        cards = page.get_by_test_id("record-item").count()
        height = page.evaluate("document.documentElement.scrollHeight")
        assert cards == PAGE_SIZE  # a page of them, the older ones one tap away
        expect(page.get_by_test_id("page-next")).to_be_visible()
        assert height < 1500 + 75 * cards, f"{cards} records take {height}px"
        for record in (checkup, medication, expense):
            found += _check(page, f"{live.url}/records/{record.id}")
            found += _check(page, f"{live.url}/records/{record.id}?lang=en")
        page.get_by_test_id("record-raw").locator("summary").click()
        expect(page.locator("pre.raw-json")).to_contain_text('"resourceType"')
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()
    assert found == []
