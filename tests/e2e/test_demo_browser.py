"""The demo as printed, walked in a real browser (Debian's chromium driven by Playwright) at
phone width (390 px) and on a desktop (1280 px): what the first person and the staff find,
with no serious or critical axe-core finding and no English word or raw code on a Japanese page.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, expect, sync_playwright

from infobank.bootstrap import Bank
from infobank.domain.identity import StaffRole
from infobank.entrypoints.api.app import create_app
from infobank.entrypoints.cli.demo import card_hand, new_recipient_key, pick_cards
from infobank.entrypoints.web.deps import PAGE_SIZE
from infobank.mynaportal_sim.server import RunningSim
from infobank.services.demo import DEMO_PASSWORD, DemoLogins, Story, seed_demo
from tests.fakes import FakeClock
from tests.support import api, trust, web
from tests.support import mynaportal as mp
from tests.support.words import foreign_words

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
PEOPLE = 60
RAW = ("{'", "['", "resourceType", "urn:uuid")
# Names the demo's own data gives (a step-counting app's brand, the prefix of its joint
# application's reference number): data, not words of the pages.
DEMO_NAMES = frozenset({"Walkee", "DEMO"})
_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(" "))}));
}"""


@dataclass
class Demo:
    url: str
    bank: Bank
    logins: DemoLogins
    client: TestClient


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="module")
def sim(clock: FakeClock) -> Iterator[RunningSim]:
    with mp.simulator(clock) as running:
        yield running


@pytest.fixture(scope="module", params=["sqlite"])
def bank(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, clock: FakeClock
) -> Iterator[Bank]:
    yield from mp.wired_bank(request, tmp_path_factory.mktemp("demo-browser"), clock)


@pytest.fixture(scope="module")
def demo(bank: Bank, sim: RunningSim) -> Iterator[Demo]:
    if not CHROMIUM.exists() or not AXE.exists():
        pytest.skip("needs /usr/bin/chromium (apt-get) and axe-core (npm ci)")
    story = Story(
        recipient_key=new_recipient_key,
        mynaportal=bank.mynaportal,
        present_card=card_hand(sim, pick_cards(sim).linked),
    )
    logins = seed_demo(bank.context, people=PEOPLE, story=story)
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
        yield Demo(f"http://127.0.0.1:{port}", bank, logins, TestClient(app))
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture(params=list(SIZES))
def tab(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport=SIZES[request.param], device_scale_factor=1, locale="ja-JP", bypass_csp=True
    )
    context.add_init_script(path=str(AXE))
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    context.close()


def _log_in(tab: Page, demo: Demo, email: str, password: str, *, staff: bool = False) -> None:
    tab.context.clear_cookies()
    tab.goto(f"{demo.url}{'/staff/login' if staff else '/login'}")
    tab.get_by_test_id("login-email").fill(email)
    tab.get_by_test_id("login-password").fill(password)
    tab.get_by_test_id("login-submit").click()
    tab.wait_for_load_state()


def _visit(tab: Page, url: str) -> list[Any]:
    """Open a page; it fits the screen, and the findings are axe's serious and critical ones
    plus every English word or raw code in its Japanese text."""
    tab.goto(url)
    width = tab.evaluate("document.documentElement.scrollWidth")
    screen = tab.viewport_size
    assert screen is not None and width <= screen["width"], f"{url} is {width}px wide"
    found: list[Any] = [{"url": url, **v} for v in tab.evaluate(_AXE)]
    found += [
        {"url": url, "word": w, "in": t}
        for w, t in foreign_words(tab.content())
        if w not in DEMO_NAMES
    ]
    return found


@pytest.fixture(scope="module")
def crowded(demo: Demo) -> Demo:
    """Enough records and offers for the first person, and offers in the ethics queue, that each
    list needs a second page (the demo holds fewer), and one approved offer to open."""
    client, bank = demo.client, demo.bank
    first = demo.logins.persons[0]
    login = client.post("/v1/auth/login", json={"email": first, "password": DEMO_PASSWORD})
    person = api.bearer(login.json()["access_token"])
    held = len(api.items(client, "/v1/me/records", person))
    for n in range(max(1, PAGE_SIZE + 1 - held)):
        added = client.post(
            "/v1/me/records",
            json={"category": "lifelog.activity", "data": {"steps": 7000 + n}},
            headers=person,
        )
        assert added.status_code == 201, added.text
    waiting = len(api.items(client, "/v1/me/offers", person, status="open"))
    for n in range(max(0, PAGE_SIZE + 1 - waiting)):
        # below the points of the person's walking rule, so they are asked, not delegated
        web.open_offer(client, bank, title=f"歩数の活用のお願い {n:02d}", benefit={"points": 150})
    queue = len(api.items(client, "/v1/admin/reviews", api.staff(bank, StaffRole.ETHICS).headers))
    for n in range(max(0, PAGE_SIZE + 1 - queue)):
        web.offer_under_review(client, bank, title=f"審査をお願いするオファー {n:02d}")
    approved, _ = web.offer_under_review(client, bank, title="公開を待つオファー")
    trust.approve(client, trust.staff(bank), approved)
    return demo


def test_the_first_person_finds_offers_one_held_back_and_readable_records(
    tab: Page, crowded: Demo
) -> None:
    demo = crowded
    person = demo.logins.persons[0]
    _log_in(tab, demo, person, DEMO_PASSWORD)
    found = _visit(tab, f"{demo.url}/")
    found += _visit(tab, f"{demo.url}/offers")
    waiting = tab.get_by_test_id("offers-waiting")
    expect(waiting.get_by_test_id("offer-card").first).to_be_visible()
    held = waiting.get_by_test_id("offer-card").filter(has=tab.get_by_test_id("held-back-reason"))
    expect(held).to_have_count(1)
    expect(held.get_by_test_id("held-back-reason")).not_to_have_text("")
    expect(held.get_by_test_id("accept-offer")).to_have_count(0)
    expect(waiting.get_by_test_id("accept-offer").first).to_be_visible()  # the others can
    waiting.get_by_test_id("page-next").click()
    tab.wait_for_load_state()
    expect(tab.get_by_test_id("offers-waiting").get_by_test_id("offer-card").first).to_be_visible()

    found += _visit(tab, f"{demo.url}/records")
    content = tab.content()
    for raw in RAW:
        assert raw not in content, raw
    expect(tab.get_by_test_id("record-item").first).to_be_visible()
    tab.get_by_test_id("page-next").click()
    tab.wait_for_load_state()
    expect(tab.get_by_test_id("record-item").first).to_be_visible()
    for path in ("/benefits", "/notifications", "/delegation"):
        found += _visit(tab, f"{demo.url}{path}")
    assert found == [], "\n".join(map(str, found))


def test_staff_find_the_queue_paged_and_buttons_that_read_as_actions(
    tab: Page, crowded: Demo
) -> None:
    demo = crowded
    ethics_email, ethics_password, _ = demo.logins.staff["ethics"]
    _log_in(tab, demo, ethics_email, ethics_password, staff=True)
    found = _visit(tab, f"{demo.url}/staff/reviews")
    expect(tab.get_by_test_id("review-approve").first).to_be_visible()
    tab.get_by_test_id("page-next").click()
    tab.wait_for_load_state()
    expect(tab.get_by_test_id("review-approve").first).to_be_visible()

    operator_email, operator_password, _ = demo.logins.staff["operator"]
    _log_in(tab, demo, operator_email, operator_password, staff=True)
    found += _visit(tab, f"{demo.url}/staff/offers")
    for path in ("/staff/recipients", "/staff/inquiries", "/staff/incidents", "/staff/usage"):
        found += _visit(tab, f"{demo.url}{path}")
    tab.goto(f"{demo.url}/staff/offers")
    expect(tab.locator("form[action$='/open'] button").first).to_contain_text("公開する")
    tab.goto(f"{demo.url}/staff/recipients")
    expect(tab.locator("form[action$='/certifications'] button").first).to_contain_text("登録")
    assert found == [], "\n".join(map(str, found))
