"""A demo bank (``infobank demo``): staff, sources, recipients with certificates and a synthetic
population (``demo_population``); told as a ``Story``, also ninety days of their life
(``demo_activity``) and today's scenes, so a newcomer can explore at once:

    the story's days ─► today: the second person links Mynaportal through the simulator
    (card, PIN, 本人確認, FHIR import) ─► the health offer opens to everyone holding checkup
    data ─► a last worker round ─► fresh staff tokens ─► ``StartHere``: what awaits where

Everything is invented. The generator is seeded, so two demos hold the same people.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from infobank.domain.business_days import local_day
from infobank.domain.mynaportal import LinkStatus
from infobank.domain.pages import MAX_LIMIT, PageRequest
from infobank.services import benefits, identity, incidents, inquiries, mynaportal, offers
from infobank.services.context import Context
from infobank.services.demo_activity import (
    DAYS,
    PRINTED,
    Life,
    live,
    open_planned,
    worker_round,
)
from infobank.services.demo_population import (
    DEMO_PASSWORD,
    MIRAI,
    Cast,
    KnownPasswords,
    Profile,
    approve_joint_application,
    assemble,
    enrol,
    profiles,
)
from infobank.services.ports.mynaportal import Connector

__all__ = ["DEMO_PASSWORD", "DemoLogins", "StartHere", "Story", "seed_demo"]


@dataclass(frozen=True)
class Story:
    """What the simulated outsiders bring to a demo with a past: each recipient's public
    encryption key (JWK) by name; and, when a Mynaportal simulator runs, the connector to it
    and the person's hand at its card page (``present_card``: the authorization URL in, the
    query parameters of the redirect back to the bank out)."""

    recipient_key: Callable[[str], Mapping[str, Any]]
    mynaportal: Connector | None = None
    present_card: Callable[[str], Mapping[str, str]] | None = None


@dataclass(frozen=True)
class StartHere:
    """What a newcomer finds, as the story left it."""

    first_person: str
    inbox_open: int  # offers waiting in the first person's inbox
    held_back: tuple[tuple[str, str, str], ...]  # title, reason (ja), reason (en)
    points: int  # the first person's benefit balance
    second_person: str | None
    health_records: int  # imported from Mynaportal for the second person
    reviews_waiting: int
    inquiries_waiting: int  # open, with no reply yet
    incidents_open: int  # final report not yet filed
    usage_from: date
    usage_to: date
    example_recipient: dict[str, str]  # the login the recipient example runs with


@dataclass
class DemoLogins:
    staff: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # role → email, pw, token
    persons: list[str] = field(default_factory=list)
    person_password: str = DEMO_PASSWORD
    businesses: list[dict[str, str]] = field(default_factory=list)
    start_here: StartHere | None = None


def seed_demo(
    ctx: Context,
    *,
    people: int = 300,
    seed: int = 20261126,
    progress: Callable[[int], None] | None = None,
    story: Story | None = None,
) -> DemoLogins:
    """Seed the demo. Without a ``story``: the cast and the population, all joining now, and
    nothing else. With one: their past and today's scenes, and where to start."""
    rng = random.Random(seed)
    ctx = replace(ctx, passwords=KnownPasswords(ctx.passwords))
    population = profiles(rng, people)
    if story is None:
        cast = assemble(ctx, rng)
        approve_joint_application(ctx, cast, ctx.clock.now().date() - timedelta(days=30))
        for done, profile in enumerate(population, 1):
            enrol(ctx, rng, cast, profile)
            if progress is not None:
                progress(done)
        return _logins(cast, population)
    life = live(ctx, rng, population, story.recipient_key, progress)
    life.travel.catch_up()
    ctx = life.ctx
    second = life.person(1).person_id if people > 1 else None
    if second is not None and story.mynaportal is not None and story.present_card is not None:
        _link_mynaportal(ctx, story.mynaportal, story.present_card, second)
    open_planned(life, "health")  # to everyone holding checkup data, the new arrivals too
    worker_round(life)
    for role, (email, password, _) in list(life.cast.staff_logins.items()):
        issued = identity.log_in_staff(ctx, email, password, "demo")  # tokens of the present
        life.cast.staff_logins[role] = (email, password, issued.token)
    logins = _logins(life.cast, population)
    logins.start_here = _start_here(life, logins, second)
    return logins


def _link_mynaportal(
    ctx: Context,
    conn: Connector,
    present_card: Callable[[str], Mapping[str, str]],
    person_id: str,
) -> None:
    """The person links Mynaportal as in the browser: start, the card page, the callback."""
    url, _ = mynaportal.start_link(ctx, conn, person_id)
    back = present_card(url)
    outcome = mynaportal.complete_link(
        ctx,
        conn,
        back.get("state", ""),
        back.get("code"),
        back.get("error"),
        back.get("error_description"),
    )
    if outcome.status != LinkStatus.ACTIVE or not outcome.imported:
        raise RuntimeError(
            f"the demo's Mynaportal link did not import anything ({outcome.failure or 'no data'})"
        )


def _logins(cast: Cast, population: list[Profile]) -> DemoLogins:
    return DemoLogins(
        staff=dict(cast.staff_logins),
        persons=[p.email for p in population[:PRINTED]],
        businesses=list(cast.business_logins),
    )


def _start_here(life: Life, logins: DemoLogins, second: str | None) -> StartHere:
    ctx = life.ctx
    first = life.person(0).person_id
    waiting = [o for o in offers.inbox(ctx, first) if o["status"] == "open"]
    held = tuple(
        (o["title"], o["held_back"][0]["message"], o["held_back"][0]["message_en"])
        for o in waiting
        if o["held_back"]
    )
    unanswered = [i for i in inquiries.desk(ctx, ("open",)) if i.first_replied_at is None]
    today = local_day(ctx.clock.now())
    return StartHere(
        first_person=logins.persons[0],
        inbox_open=len(waiting),
        held_back=held,
        points=benefits.statement(ctx, first)[0],
        second_person=logins.persons[1] if second else None,
        health_records=mynaportal.status(ctx, second)["imported_items"] if second else 0,
        reviews_waiting=len(offers.review_queue(ctx, PageRequest(limit=MAX_LIMIT)).items),
        inquiries_waiting=len(unanswered),
        incidents_open=sum(1 for i in incidents.list_incidents(ctx) if i.status != "final_sent"),
        usage_from=today - timedelta(days=DAYS),
        usage_to=today,
        example_recipient=next(b for b in logins.businesses if b["name"] == MIRAI),
    )
