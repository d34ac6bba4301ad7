"""The Mynaportal simulator beside a bank for tests, and a person's walk through the card page
by plain form posts (what a browser would send), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient

from infobank.bootstrap import Bank, bootstrap
from infobank.mynaportal_sim import SimOptions
from infobank.mynaportal_sim.server import RunningSim, free_port, start_in_thread
from tests.fakes import FakeClock
from tests.support import db, web
from tests.support.api import Party

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
SEED = 7
HEALTH = ["health.medication", "health.checkup", "health.medical_expenses"]


@contextmanager
def simulator(clock: FakeClock, people: int = 6) -> Iterator[RunningSim]:
    """A small simulated population on a free port, on the tests' clock, answering at once."""
    port = free_port()
    options = SimOptions(
        seed=SEED,
        people=people,
        base_url=f"http://127.0.0.1:{port}",
        clock=clock.now,
        retry_after_s=0,
    )
    running = start_in_thread(options, "127.0.0.1", port)
    try:
        yield running
    finally:
        running.stop()


def wired_bank(request: pytest.FixtureRequest, tmp_path: Path, clock: FakeClock) -> Iterator[Bank]:
    """Like the ``bank`` fixture, but configured for the ``sim`` fixture and trusting its root.
    The database comes first, so a skipped PostgreSQL run starts no simulator."""
    target = request.getfixturevalue(
        "sqlite_template" if request.param == "sqlite" else "postgres_run_schema"
    )
    sim: RunningSim = request.getfixturevalue("sim")
    root = tmp_path / "jlis-root.pem"
    root.write_text(sim.state.authority.root_pem())
    extra: dict[str, Any] = {"mynaportal_url": sim.url, "jlis_root": root}
    if request.param == "sqlite":
        settings = db.sqlite_settings(target, tmp_path, **extra)
    else:
        url, schema = target
        settings = db.postgres_settings(url, schema, tmp_path, **extra)
    wired = bootstrap(settings, clock=clock)
    if request.param == "postgres":
        db.truncate_all(wired.engine)
    try:
        yield wired
    finally:
        wired.close()


def card(sim: RunningSim, status: str = "valid") -> dict[str, Any]:
    """A simulated person whose card has ``status`` (the one with the fewest items, for speed)."""
    people = httpx.get(f"{sim.url}/sim/people").json()
    matching = [p for p in people if p["card_status"] == status]
    return min(matching, key=lambda p: sum(p["items"].values()))


class _Form(HTMLParser):
    """The card page's form: its action and, per data-testid, the field name and values."""

    def __init__(self) -> None:
        super().__init__()
        self.action = ""
        self.hidden: dict[str, str] = {}
        self.named: dict[str, str] = {}
        self.options: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.action = a.get("action", "")
        elif tag == "input" and a.get("type") == "hidden":
            self.hidden[a["name"]] = a.get("value", "")
        elif tag == "option":
            self.options.append(a.get("value", ""))
        if "data-testid" in a:
            self.named[a["data-testid"]] = a.get("name", "")


def link(
    client: TestClient,
    sim: RunningSim,
    person: Party,
    sim_person: str,
    pin: str,
    *,
    log_in: bool = True,
) -> Any:
    """Start the link at the bank, choose the card and enter the PIN at the simulator, and
    follow the redirect back to the bank's callback (in a browser logged in to the bank as
    ``person`` unless told otherwise); returns the callback's response."""
    if log_in:
        web.log_in(client, person.email)
    started = client.post("/v1/me/mynaportal/link", headers=person.headers)
    assert started.status_code == 201, started.text
    return client.get(card_step(sim, started.json()["authorization_url"], sim_person, pin))


def card_step(sim: RunningSim, authorization_url: str, sim_person: str, pin: str) -> str:
    """At the simulator, choose the card and enter the PIN as a browser would; returns where
    it sends the browser back to: the bank's callback (path and query)."""
    with httpx.Client() as browser:
        page = browser.get(authorization_url)
        assert page.status_code == 200, page.text
        form = _Form()
        form.feed(page.text)
        assert {"card-select", "card-pin", "card-submit"} <= set(form.named)
        assert sim_person in form.options
        sent = browser.post(
            sim.url + form.action,
            data={
                **form.hidden,
                form.named["card-select"]: sim_person,
                form.named["card-pin"]: pin,
            },
            follow_redirects=False,
        )
    assert sent.status_code == 303, sent.text
    back = urlsplit(sent.headers["location"])
    assert back.path == "/v1/mynaportal/callback"
    return f"{back.path}?{back.query}"
