"""The Mynaportal page (マイナポータル連携) over HTTP, beside the simulator: a logged-in person
links from the page, goes through the card page and comes back verified with their data
imported; then fetches again until the 90-day window ends. In Japanese and English. On SQLite
only: the use cases under the page are tested on both databases in ``test_mynaportal``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from infobank.bootstrap import Bank
from infobank.domain.mynaportal import FAILURES
from infobank.entrypoints.web.templating import JST
from infobank.mynaportal_sim.server import RunningSim
from infobank.services import mynaportal
from tests.fakes import FakeClock
from tests.support import api, web
from tests.support import mynaportal as mp


@pytest.fixture
def sim(clock: FakeClock) -> Iterator[RunningSim]:
    with mp.simulator(clock) as running:
        yield running


@pytest.fixture(params=["sqlite"])
def bank(request: pytest.FixtureRequest, tmp_path: Path, clock: FakeClock) -> Iterator[Bank]:
    yield from mp.wired_bank(request, tmp_path, clock)


def _shown(html: str) -> tuple[str, str, int]:
    """What the page says: identity verified (yes/no), the link's status, items imported."""
    section = re.search(
        r'data-testid="mynaportal-status" data-verified="(\w+)" data-link="(\w+)"', html
    )
    count = re.search(r'data-testid="mynaportal-imported" data-count="(\d+)"', html)
    assert section and count, html
    return section.group(1), section.group(2), int(count.group(1))


def _press(client: TestClient, button: str) -> httpx.Response:
    """Press the page's ``link`` or ``refresh`` button (a form post with the page's token)."""
    page = client.get("/mynaportal")
    assert f'data-testid="mynaportal-{button}"' in page.text, page.text
    return client.post(
        f"/mynaportal/{button}",
        data={"csrf_token": web.csrf(page.text)},
        follow_redirects=False,
    )


def _link_from_the_page(client: TestClient, sim: RunningSim, pin: str | None = None) -> str:
    """Press the link button, go through the simulator's card page and follow its redirect
    back to the callback in the same logged-in client; returns the callback's page."""
    pressed = client.post(
        "/mynaportal/link",
        data={"csrf_token": web.csrf(client.get("/mynaportal").text)},
        follow_redirects=False,
    )
    assert pressed.status_code == 303, pressed.text
    location = pressed.headers["location"]
    assert location.startswith(f"{sim.url}/oauth/authorize?")
    chosen = mp.card(sim)
    back = client.get(mp.card_step(sim, location, chosen["id"], pin or chosen["pin"]))
    assert 'href="/mynaportal"' in back.text  # the result leads back to the page
    return back.text


def _jst(moment: datetime) -> str:
    return moment.astimezone(JST).strftime("%Y-%m-%d %H:%M")


def test_person_links_from_the_page_and_comes_back_verified_with_their_data_imported(
    client: TestClient, bank: Bank, sim: RunningSim
) -> None:
    person = api.sign_up(client)
    web.log_in(client, person.email)
    before = client.get("/mynaportal")
    # The button's answer redirects to Mynaportal: the page's form-action must allow it.
    assert f"form-action 'self' {sim.url};" in before.headers["content-security-policy"]

    back = _link_from_the_page(client, sim)

    assert 'data-status="active"' in back and "本人確認が完了し" in back
    state = mynaportal.status(bank.context, person.id)
    held = api.items(client, "/v1/me/records", person.headers)
    assert state["imported_items"] > 0 and state["imported_items"] == len(held)
    page = client.get("/mynaportal")
    assert page.status_code == 200
    assert _shown(page.text) == ("yes", "active", len(held))
    assert "マイナンバーカードで確認済み" in page.text and "連携中" in page.text
    assert f"{len(held)} 件" in page.text
    assert _jst(state["link"]["window_end"]) in page.text
    assert 'data-testid="mynaportal-refresh"' in page.text
    assert 'data-testid="mynaportal-link"' not in page.text

    english = client.get("/mynaportal?lang=en")
    assert '<html lang="en">' in english.text
    assert "Verified with your My Number card on" in english.text
    assert "Linked" in english.text and f"{len(held)} records" in english.text
    assert "End of the 90-day window" in english.text and "Fetch new data now" in english.text


def test_the_result_is_a_page_of_the_app_in_the_chosen_language_leading_on_to_the_records(
    client: TestClient, bank: Bank, sim: RunningSim
) -> None:
    person = api.sign_up(client)
    web.log_in(client, person.email)
    client.get("/mynaportal?lang=en")  # the choice is remembered across the card step

    back = _link_from_the_page(client, sim)

    imported = mynaportal.status(bank.context, person.id)["imported_items"]
    assert '<html lang="en">' in back and 'data-testid="main-menu"' in back  # the layout
    assert 'data-testid="mynaportal-result" data-status="active"' in back
    assert f"Your identity is verified and {imported} health records were imported" in back
    assert "本人確認" not in back and "マイナポータル連携" not in back  # English only
    assert '<a href="/records" data-testid="mynaportal-to-records">See the imported records' in back
    assert '<a href="/">Go to where my data is now</a>' in back


def test_a_failed_result_says_so_in_the_chosen_language_only_and_offers_to_try_again(
    client: TestClient, sim: RunningSim
) -> None:
    person = api.sign_up(client)
    web.log_in(client, person.email)
    chosen = mp.card(sim)
    wrong = f"{(int(chosen['pin']) + 1) % 10000:04d}"
    ja, en = FAILURES["pin_incorrect"]

    back = _link_from_the_page(client, sim, pin=wrong)

    assert '<html lang="ja">' in back and 'data-testid="main-menu"' in back
    assert 'data-status="failed" data-code="pin_incorrect"' in back and 'role="alert"' in back
    assert "連携は完了せず、データは何も取り込まれていません" in back
    assert ja in back and en not in back
    assert 'href="/mynaportal" data-testid="mynaportal-try-again"' in back
    assert 'data-testid="mynaportal-to-records"' not in back  # nothing was imported

    client.get("/mynaportal?lang=en")
    again = _link_from_the_page(client, sim, pin=wrong)
    assert en in again and ja not in again
    assert "did not complete, and nothing was imported" in again


def test_refresh_adds_what_is_new_and_after_90_days_stops_and_offers_to_link_again(
    client: TestClient, bank: Bank, sim: RunningSim, clock: FakeClock
) -> None:
    person = api.sign_up(client)
    web.log_in(client, person.email)
    _link_from_the_page(client, sim)
    first = _shown(client.get("/mynaportal").text)[2]

    same = _press(client, "refresh")
    assert same.status_code == 303
    page = client.get(same.headers["location"])
    assert "新しいデータはありませんでした" in page.text
    assert _shown(page.text) == ("yes", "active", first)

    clock.advance(days=45)
    web.log_in(client, person.email)  # the web session ended long ago
    later = _press(client, "refresh")
    page = client.get(later.headers["location"])
    assert "マイナポータルから新しいデータを取り込みました" in page.text
    grown = _shown(page.text)[2]
    assert grown > first
    assert grown == mynaportal.status(bank.context, person.id)["imported_items"]

    clock.advance(days=46)  # 91 days after linking: the window is over
    web.log_in(client, person.email)
    page = client.get("/mynaportal")
    assert _shown(page.text) == ("yes", "expired", grown)
    assert mynaportal.RENEW["message_ja"] in page.text
    assert 'data-testid="mynaportal-link"' in page.text and "もう一度連携する" in page.text
    assert 'data-testid="mynaportal-refresh"' not in page.text

    # A refresh sent from a page shown before the window ended fetches nothing and says so.
    calls = len(sim.state.calls)
    stopped = client.post(
        "/mynaportal/refresh", data={"csrf_token": web.csrf(page.text)}, follow_redirects=False
    )
    assert stopped.status_code == 303, stopped.text
    page = client.get(stopped.headers["location"])
    assert len(sim.state.calls) == calls  # the bank did not call Mynaportal
    assert "期間連携（90日間）が終了したため、取得しませんでした" in page.text
    assert _shown(page.text) == ("yes", "expired", grown)
    english = client.get("/mynaportal?lang=en")
    assert mynaportal.RENEW["message_en"] in english.text and "Ended: link again" in english.text


def test_a_failed_link_shows_why_in_the_pages_language_and_offers_to_try_again(
    client: TestClient, sim: RunningSim
) -> None:
    person = api.sign_up(client)
    web.log_in(client, person.email)
    chosen = mp.card(sim)
    wrong = f"{(int(chosen['pin']) + 1) % 10000:04d}"

    back = _link_from_the_page(client, sim, pin=wrong)

    assert 'data-code="pin_incorrect"' in back
    ja, en = FAILURES["pin_incorrect"]
    page = client.get("/mynaportal")
    assert _shown(page.text) == ("no", "failed", 0)
    assert 'data-testid="mynaportal-failure" data-code="pin_incorrect"' in page.text
    assert ja in page.text and en not in page.text
    assert "もう一度連携する" in page.text
    english = client.get("/mynaportal?lang=en")
    assert en in english.text and ja not in english.text
    assert "Not completed" in english.text and "Not verified" in english.text


def test_a_person_without_a_link_sees_the_button_and_the_way_there(
    client: TestClient, bank: Bank
) -> None:
    assert client.get("/mynaportal", follow_redirects=False).headers["location"] == (
        "/login?next=/mynaportal"
    )
    web.sign_up(client, bank)

    page = client.get("/mynaportal")
    assert page.status_code == 200
    assert _shown(page.text) == ("no", "none", 0)
    assert "未確認" in page.text and "未連携" in page.text
    assert 'data-testid="mynaportal-link"' in page.text
    assert "マイナンバーカードで連携する" in page.text
    assert 'data-testid="mynaportal-refresh"' not in page.text
    records = client.get("/records")
    assert 'href="/mynaportal" data-testid="records-mynaportal"' in records.text
    assert 'href="/mynaportal"' in records.text.split("</nav>")[0]  # in the main menu too

    refused = client.post(
        "/mynaportal/refresh", data={"csrf_token": web.csrf(page.text)}, follow_redirects=False
    )
    assert refused.status_code == 409
    assert "マイナポータルとまだ連携していません" in refused.text
    english = client.get("/mynaportal?lang=en")
    assert "Link with my My Number card" in english.text and "Not linked" in english.text


def test_the_buttons_refuse_a_post_without_this_browsers_csrf_token(
    client: TestClient, bank: Bank
) -> None:
    person = api.sign_up(client)
    web.log_in(client, person.email)
    for button in ("link", "refresh"):
        for data in ({}, {"csrf_token": "not-this-browsers"}):
            refused = client.post(f"/mynaportal/{button}", data=data, follow_redirects=False)
            assert refused.status_code == 403, (button, refused.text)
            assert "フォームを受け付けられませんでした" in refused.text
    assert mynaportal.status(bank.context, person.id)["link"] is None  # no link was started
