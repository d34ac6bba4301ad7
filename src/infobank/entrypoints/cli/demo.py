"""What ``infobank demo`` brings from outside the bank, and the "start here" block it prints.

The demo's story needs outsiders the bank only meets over its API: recipients holding their
own keys, and a person at the Mynaportal simulator's card page. Both are simulated here, the
person with plain form posts to the simulator, as a browser would send them.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
from joserfc.jwk import ECKey
from rich.console import Console
from rich.markup import escape

from infobank.mynaportal_sim.population import SimPerson, visible_items
from infobank.mynaportal_sim.server import RunningSim
from infobank.services.demo import DemoLogins

__all__ = ["SimCards", "card_hand", "new_recipient_key", "pick_cards", "print_start_here"]

_REQUEST_ID = re.compile(r'name="request_id" value="([^"]+)"')


def new_recipient_key(_name: str) -> dict[str, Any]:
    """The public half of a fresh P-256 key pair for a simulated recipient. The private half
    is not kept: the simulated recipients fetch and acknowledge their packages but never open
    them, and the recipient example registers a key of its own."""
    return ECKey.generate_key("P-256", private=True, auto_kid=True).as_dict(private=False)


@dataclass(frozen=True)
class SimCards:
    linked: SimPerson  # the card the second demo person links with
    to_try: SimPerson  # a valid card nobody has linked, for the newcomer


def pick_cards(sim: RunningSim) -> SimCards:
    """Two valid cards whose holders have checkup results (特定健診) to import; the one with
    fewer items links during seeding (less to validate), the other is left to try."""
    today = sim.state.options.clock().date()
    ready = [
        p
        for p in sim.state.people.values()
        if p.card_status == "valid" and visible_items(p, ["checkup"], today)["checkup"]
    ]
    ready.sort(key=lambda p: (len(p.medication) + len(p.checkup) + len(p.medical_expenses), p.id))
    if len(ready) < 2:
        raise RuntimeError("the Mynaportal simulator has fewer than two valid cards with checkups")
    return SimCards(linked=ready[0], to_try=ready[1])


def card_hand(sim: RunningSim, card: SimPerson) -> Callable[[str], dict[str, str]]:
    """A person at the simulator's card page: choose ``card``, type its PIN, and hand back the
    query parameters of the redirect to the bank (``code`` and ``state``, or an error)."""

    def present(authorization_url: str) -> dict[str, str]:
        with httpx.Client(timeout=10) as browser:
            page = browser.get(authorization_url)
            page.raise_for_status()
            found = _REQUEST_ID.search(page.text)
            if found is None:
                raise RuntimeError("the simulator's card page has no request to answer")
            sent = browser.post(
                f"{sim.url}/oauth/card",
                data={"request_id": found[1], "card": card.id, "pin": card.pin},
                follow_redirects=False,
            )
        if sent.status_code != 303:
            raise RuntimeError(f"the simulator's card step answered {sent.status_code}")
        return dict(parse_qsl(urlsplit(sent.headers["location"]).query))

    return present


def _example_command(base_url: str, recipient: dict[str, str]) -> str:
    """The one command that runs the recipient example against this demo."""
    here = Path.cwd()
    example = Path(__file__).resolve().parents[4] / "examples" / "recipient_client.py"

    def shown(path: Path) -> str:
        return str(path.relative_to(here)) if path.is_relative_to(here) else str(path)

    script = shown(example) if example.exists() else "examples/recipient_client.py"
    python = shown(Path(sys.executable).absolute())
    return (
        f"INFOBANK_URL={base_url} CLIENT_ID={recipient['client_id']} "
        f"CLIENT_SECRET={recipient['client_secret']} {python} {script} --wait 60"
    )


def print_start_here(
    out: Console,
    logins: DemoLogins,
    base_url: str,
    sim: tuple[str, SimPerson] | None,
) -> None:
    """Where a newcomer starts: who to log in as, what awaits them, what to try."""
    told = logins.start_here
    if told is None:
        return
    staff = {role: (email, password) for role, (email, password, _) in logins.staff.items()}
    pw = logins.person_password

    def line(text: str) -> None:
        out.print(text, soft_wrap=True, highlight=False)

    steps = iter(range(1, 10))
    line("[bold]Start here[/bold] (ここから)")
    line(f"  {next(steps)}. Person  {base_url}/login  {told.first_person} / {pw}")
    line(f"     {told.inbox_open} offers waiting at {base_url}/offers, one from a recipient")
    line("        with its Mynaportal joint application (連名申請) for health data")
    for title, reason_ja, reason_en in told.held_back:
        line(f"     held back: {escape(title)}: {escape(reason_ja)} / {escape(reason_en)}")
    line(f"     a delegated consent (委任) with its package delivered: {base_url}/")
    line(f"     {told.points} points at {base_url}/benefits; news at {base_url}/notifications")
    if told.second_person is not None and told.health_records:
        line(f"  {next(steps)}. Person  {told.second_person} / {pw}: Mynaportal linked,")
        line(f"     {told.health_records} health records imported ({base_url}/records)")
    line(f"  {next(steps)}. Staff   {base_url}/staff/login")
    ethics, support, operator = staff["ethics"], staff["support"], staff["operator"]
    line(f"     {ethics[0]} / {ethics[1]}: {told.reviews_waiting} offer(s) to review")
    line(f"        at {base_url}/staff/reviews")
    line(f"     {support[0]} / {support[1]}: {told.inquiries_waiting} inquiry awaiting a reply")
    line(f"        at {base_url}/staff/inquiries")
    line(f"     {operator[0]} / {operator[1]}: {told.incidents_open} open incident at")
    line(f"        {base_url}/staff/incidents; usage since {told.usage_from}:")
    line(f"        {base_url}/staff/usage?from={told.usage_from}&to={told.usage_to}")
    if sim is not None:
        sim_url, card = sim
        third = logins.persons[2] if len(logins.persons) > 2 else told.first_person
        line(f"  {next(steps)}. Mynaportal simulator: as {third}, open {base_url}/mynaportal,")
        line(f"     link with the card of {escape(card.name)} ({card.card_number}), PIN {card.pin}")
        line(f"     (every card and PIN: {sim_url}/sim/people)")
    recipient = told.example_recipient
    line(f"  {next(steps)}. Recipient example, as {escape(recipient['name'])}:")
    line(f"     {_example_command(base_url, recipient)}")
    line("     then approve its offer (ethics), open it (operator), accept it as a person;")
    line("     the example fetches and opens the package (see README: The trust loop)")
    out.print()
