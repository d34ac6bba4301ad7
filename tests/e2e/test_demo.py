"""``infobank demo`` seeds a bank a newcomer can explore at once: ninety days of life played
through the use cases, seen here through the API as each newcomer would see it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from rich.console import Console
from typer.testing import CliRunner

from infobank.bootstrap import Bank
from infobank.domain.business_days import local_day
from infobank.entrypoints.api.app import create_app
from infobank.entrypoints.cli.demo import (
    card_hand,
    new_recipient_key,
    pick_cards,
    print_start_here,
)
from infobank.entrypoints.cli.main import app
from infobank.mynaportal_sim.server import RunningSim
from infobank.services.demo import DEMO_PASSWORD, DemoLogins, Story, seed_demo
from infobank.services.demo_activity import DAYS
from tests.fakes import FakeClock
from tests.support import api
from tests.support import mynaportal as mp

PEOPLE = 60


# One demo per backend for the whole module: the tests only read what the story left.
@pytest.fixture(scope="module")
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="module")
def sim(clock: FakeClock) -> Iterator[RunningSim]:
    with mp.simulator(clock) as running:
        yield running


@pytest.fixture(scope="module", params=mp.BACKENDS)
def bank(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, clock: FakeClock
) -> Iterator[Bank]:
    yield from mp.wired_bank(request, tmp_path_factory.mktemp("demo"), clock)


@pytest.fixture(scope="module")
def logins(bank: Bank, sim: RunningSim) -> DemoLogins:
    story = Story(
        recipient_key=new_recipient_key,
        mynaportal=bank.mynaportal,
        present_card=card_hand(sim, pick_cards(sim).linked),
    )
    return seed_demo(bank.context, people=PEOPLE, story=story)


@pytest.fixture(scope="module")
def client(bank: Bank, logins: DemoLogins) -> Iterator[TestClient]:
    assert logins.start_here is not None  # seeded before any request
    with TestClient(create_app(bank=bank)) as test_client:
        yield test_client


def _person(client: TestClient, email: str) -> dict[str, str]:
    got = client.post("/v1/auth/login", json={"email": email, "password": DEMO_PASSWORD})
    assert got.status_code == 200, got.text
    return api.bearer(got.json()["access_token"])


def _staff(logins: DemoLogins, role: str) -> dict[str, str]:
    return api.bearer(logins.staff[role][2])


def _get(client: TestClient, path: str, headers: dict[str, str], **params: Any) -> Any:
    got = client.get(path, headers=headers, params=params)
    assert got.status_code == 200, got.text
    return got.json()


def test_the_first_person_finds_offers_a_held_back_one_a_delegated_delivery_and_points(
    client: TestClient, logins: DemoLogins
) -> None:
    me = _person(client, logins.persons[0])

    inbox = [o for o in api.items(client, "/v1/me/offers", me) if o["status"] == "open"]
    free = [o for o in inbox if not o["held_back"]]
    held = [o for o in inbox if o["held_back"]]
    assert len(free) >= 2 and len(held) == 1, inbox
    assert any(not o["mynaportal"] for o in free)  # a general offer
    health = next(o for o in free if o["mynaportal"])
    assert {c["sensitivity"] for c in health["categories"]} == {"health_checkup"}
    assert health["mynaportal"]["joint_application"]["approval_reference"]
    assert [r["rule"] for r in held[0]["held_back"]] == ["recipient.standing"]
    assert held[0]["held_back"][0]["message"] and held[0]["held_back"][0]["message_en"]

    delegated = [p for p in api.items(client, "/v1/me/provisions", me) if p["mode"] == "delegated"]
    assert delegated and delegated[0]["status"] == "active"
    assert any(d["status"] == "acknowledged" for d in delegated[0]["deliveries"])
    assert _get(client, "/v1/me/benefits", me)["balance_points"] > 0
    kinds = {n["kind"] for n in api.items(client, "/v1/me/notifications", me)}
    assert "consent.delegated" in kinds

    told = logins.start_here
    assert told is not None and told.first_person == logins.persons[0]
    assert (told.inbox_open, len(told.held_back)) == (len(inbox), 1)
    assert told.points == _get(client, "/v1/me/benefits", me)["balance_points"]


def test_the_second_person_has_linked_mynaportal_and_holds_the_imported_health_records(
    client: TestClient, logins: DemoLogins
) -> None:
    me = _person(client, logins.persons[1])

    linked = _get(client, "/v1/me/mynaportal", me)

    assert linked["identity"]["verified"] is True
    assert linked["link"]["status"] == "active"
    imported = [
        r for r in api.items(client, "/v1/me/records", me) if r["acquired_via"] == "mynaportal"
    ]
    assert imported and len(imported) == linked["imported_items"]
    assert logins.start_here is not None
    assert logins.start_here.health_records == len(imported)


def test_staff_find_a_review_an_unanswered_inquiry_an_open_incident_and_90_days_of_usage(
    client: TestClient, bank: Bank, logins: DemoLogins
) -> None:
    reviews = api.items(client, "/v1/admin/reviews", _staff(logins, "ethics"))
    assert [o["status"] for o in reviews] == ["under_review"]

    support = _staff(logins, "support")
    desk = api.items(client, "/v1/admin/inquiries", support)
    waiting = [i for i in desk if i["status"] == "open" and not i["first_replied_at"]]
    assert len(waiting) == 1
    assert api.items(client, "/v1/admin/inquiries", support, status="closed")  # answered earlier

    operator = _staff(logins, "operator")
    found = api.items(client, "/v1/admin/incidents", operator)
    assert [i["status"] for i in found] == ["preliminary_sent"]  # open: no final report yet
    suspended = [
        r for r in api.items(client, "/v1/admin/recipients", operator) if r["suspended_at"]
    ]
    assert [r["id"] for r in suspended] == [found[0]["recipient_id"]]

    today = local_day(bank.context.clock.now())
    start = today - timedelta(days=DAYS - 1)
    metrics = _get(client, "/v1/admin/usage", operator, **{"from": start, "to": today})["metrics"]
    for metric in ("users", "active_consents", "api_requests"):
        values = [p["actual"] for p in metrics[metric]]
        assert len(values) == DAYS and None not in values, metric
        assert len(set(values)) > 5, (metric, values)
    assert metrics["users"][-1]["actual"] == PEOPLE
    assert all(p["target"] is not None for p in metrics["users"])
    deliveries = [p["actual"] for p in metrics["deliveries"]]
    assert None not in deliveries and sum(deliveries) > 0 and len(set(deliveries)) > 1
    assert logins.start_here is not None
    assert (logins.start_here.reviews_waiting, logins.start_here.inquiries_waiting) == (1, 1)
    assert logins.start_here.incidents_open == 1


def test_the_log_the_story_wrote_verifies(
    bank: Bank, logins: DemoLogins, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert logins.start_here is not None
    monkeypatch.setenv("INFOBANK_DATABASE_URL", bank.settings.database_url)
    monkeypatch.setenv("INFOBANK_HOME", str(bank.settings.home))
    if bank.settings.db_schema:
        monkeypatch.setenv("INFOBANK_DB_SCHEMA", bank.settings.db_schema)

    ran = CliRunner().invoke(app, ["log", "verify", "--json"])

    assert ran.exit_code == 0, ran.output
    report = json.loads(ran.stdout)
    assert report["ok"] is True and report["heads_checked"] > 1, report


def test_the_start_here_block_names_logins_what_awaits_and_the_example_command(
    logins: DemoLogins, sim: RunningSim
) -> None:
    console = Console(record=True, width=100)
    card = pick_cards(sim).to_try

    print_start_here(console, logins, "http://127.0.0.1:8000", (sim.url, card))

    text = console.export_text()
    told = logins.start_here
    assert told is not None
    insurer = told.example_recipient
    assert f"http://127.0.0.1:8000/login  {logins.persons[0]} / {DEMO_PASSWORD}" in text
    assert f"{logins.persons[1]} / {DEMO_PASSWORD}: Mynaportal linked" in text
    assert "http://127.0.0.1:8000/staff/login" in text
    for role in ("ethics", "support", "operator"):
        email, password, _ = logins.staff[role]
        assert f"{email} / {password}" in text
    assert f"card of {card.name} ({card.card_number}), PIN {card.pin}" in text
    assert f"{sim.url}/sim/people" in text
    assert f"/staff/usage?from={told.usage_from}&to={told.usage_to}" in text
    command = next(line for line in text.splitlines() if "recipient_client.py" in line)
    assert f"CLIENT_ID={insurer['client_id']} CLIENT_SECRET={insurer['client_secret']}" in command
    assert "INFOBANK_URL=http://127.0.0.1:8000 " in command
    held_title = told.held_back[0][0]
    assert f"held back: {held_title}" in text
