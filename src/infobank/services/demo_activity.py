"""The demo bank's past: ninety days of its life played through the use cases with the bank's
clock moved back (``Travel``), so every figure a newcomer sees was made the way a real one is.

    day -90   staff, sources and recipients; the first persons; the operator's usage targets
    each day  00:00 the worker's usage snapshot · persons join (more each week) and set their
              delegation rules (委任条件) · offers are submitted, reviewed by the ethics board
              and opened (``demo_script``) · persons answer their inbox, a few revoke · the
              help desk answers · a worker round builds packages, which the recipients fetch
              and acknowledge (benefits credited) · the day's API requests · a signed tree head
    weekly    the step app and the shop send their linked members' records in one batch
    day -33   the research recipient's joint application (連名申請) is registered
    day -4    an incident at ひかりトラベル: the recipient is suspended, its consents pause
    day -1    an offer waits for the ethics board; the first person asks the help desk

The printed persons never answer their inbox here: it stays for the newcomer.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from typing import Any, TypeVar

from infobank.domain.business_days import JST, local_day
from infobank.domain.identity import Principal, StaffRole
from infobank.domain.pages import MAX_LIMIT, Page, PageRequest
from infobank.services import (
    consent_life,
    consents,
    delegation,
    deliveries,
    incidents,
    inquiries,
    log_heads,
    offers,
    recipients,
    usage,
)
from infobank.services import demo_population as cast_of
from infobank.services.context import Context
from infobank.services.demo_population import LAB, MIRAI, Cast, Member, Profile
from infobank.services.demo_script import ASKED, OFFERS, SLEEP_RULE, TRAVEL, WALKING_RULE, targets
from infobank.services.ports.clock import Clock

__all__ = [
    "DAYS",
    "PRINTED",
    "Life",
    "Travel",
    "day_start",
    "live",
    "open_planned",
    "worker_round",
]

T = TypeVar("T")

DAYS = 90  # how far back the story starts; the days of its events (and demo_script's) count back
PRINTED = 3  # the persons the demo prints; their inboxes are left for the newcomer


class Travel:
    """The bank's clock moved back while the story is told. It only moves forward, and never
    past the present; ``catch_up`` returns it to the clock it wraps."""

    def __init__(self, clock: Clock, at: datetime) -> None:
        self._clock = clock
        self._behind = max(timedelta(0), clock.now() - at)

    def now(self) -> datetime:
        return self._clock.now() - self._behind

    def go_to(self, at: datetime) -> None:
        self._behind = max(timedelta(0), min(self._behind, self._clock.now() - at))

    def catch_up(self) -> None:
        self._behind = timedelta(0)


def day_start(day: date) -> datetime:
    """Midnight in Japan, when the worker takes the day's usage snapshot."""
    return datetime.combine(day, time(0), JST).astimezone(UTC)


@dataclass
class Life:
    """What the story made, for the scenes of today and the start-here summary."""

    ctx: Context
    travel: Travel
    rng: random.Random
    cast: Cast
    today: date
    members: list[Member] = field(default_factory=list)
    offer_ids: dict[str, str] = field(default_factory=dict)
    suspended: set[str] = field(default_factory=set)  # recipient names
    fates: dict[tuple[str, str], tuple[int, str]] = field(default_factory=dict)  # offer, person
    accepted: list[tuple[str, str, str]] = field(default_factory=list)  # person, consent, to
    revoked: set[str] = field(default_factory=set)  # recipients with a notice to confirm
    asked: dict[str, tuple[int, str]] = field(default_factory=dict)  # inquiry → day, answer
    actions: int = 0  # requests the cast made today, for the day's API request count
    progress: Callable[[int], None] | None = None

    def staff(self, role: StaffRole) -> Principal:
        return self.cast.staff[role]

    def person(self, index: int) -> Member:
        """The member who joined as the ``index``-th profile (person000 is 0)."""
        return next(m for m in self.members if m.profile.index == index)

    def recipient_id(self, name: str) -> str:
        return self.cast.recipients[name].business.id

    def at(self, back: int, hour: float) -> datetime:
        return day_start(self.today - timedelta(days=back)) + timedelta(hours=hour)


def live(
    ctx: Context,
    rng: random.Random,
    people: list[Profile],
    recipient_key: Callable[[str], Mapping[str, Any]],
    progress: Callable[[int], None] | None = None,
) -> Life:
    """Play the ``DAYS`` days up to the start of today (JST) on a clock moved back; the life
    returned holds that clock (``life.ctx``), now at today's first moment."""
    days = DAYS
    today = local_day(ctx.clock.now())
    travel = Travel(ctx.clock, day_start(today - timedelta(days=days)))
    ctx = replace(ctx, clock=travel)
    life = Life(ctx, travel, rng, cast_of.Cast(), today, progress=progress)
    usage.snapshot_if_new_day(ctx)  # the first day's: an empty bank
    travel.go_to(life.at(days, 9))
    life.cast = cast_of.assemble(ctx, rng)
    valid = (today - timedelta(days=500), today + timedelta(days=200))
    cast_of.add_recipient(ctx, life.cast, rng, TRAVEL, "retail", "pmark", valid)
    for name in (MIRAI, LAB, TRAVEL):  # the simulated recipients' encryption keys
        recipients.set_key(ctx, life.recipient_id(name), dict(recipient_key(name)))
    _set_targets(life, len(people), days)
    joining: dict[int, list[Profile]] = {}
    for profile in people:
        back = days if profile.index < PRINTED else 1 + int((1 - rng.random() ** 0.5) * (days - 1))
        joining.setdefault(back, []).append(profile)
    for back in range(days, 0, -1):
        _day(life, back, joining.get(back, []), first=back == days)
    travel.go_to(day_start(today))
    usage.snapshot_if_new_day(ctx)
    return life


def _set_targets(life: Life, people: int, days: int) -> None:
    """The operator's plan, month by month (``demo_script.targets``)."""
    months = sorted({(life.today - timedelta(days=n)).strftime("%Y-%m") for n in range(days + 1)})
    usage.set_targets(life.ctx, life.cast.operator, targets(months, people))


def _day(life: Life, back: int, joining: list[Profile], *, first: bool) -> None:
    life.travel.go_to(life.at(back, 0))
    usage.snapshot_if_new_day(life.ctx)
    life.actions = 0
    events: list[tuple[float, Callable[[], None]]] = [
        (life.rng.uniform(9.5 if first else 7, 23), partial(_join, life, profile))
        for profile in joining
    ]
    weekday = (life.today - timedelta(days=back)).weekday()
    if weekday == 0:  # the step app sends the week's steps every Monday morning
        events.append((6, partial(_sync_steps, life)))
    if weekday == 6:  # the shop sends the week's purchases every Sunday night
        events.append((22.5, partial(_purchases, life)))
    for name, plan in OFFERS.items():
        for hour, step, day in ((10, "submit", plan.submitted), (15, "review", plan.reviewed)):
            if day == back:
                events.append((hour, partial(_offer_step, life, name, step)))
        if plan.opened == back:
            events.append((10, partial(open_planned, life, name)))
    if back == 33:  # its Mynaportal use was approved three days before (連名申請)
        approved = life.today - timedelta(days=36)
        events.append(
            (9, partial(cast_of.approve_joint_application, life.ctx, life.cast, approved))
        )
    events += _desk(life, back)
    if back == 4:
        events.append((11, partial(_incident, life)))
    if back == 2:
        events.append((16, partial(_report, life)))
    events += [(20, partial(_answer, life, back)), (23, partial(worker_round, life))]
    events.append((23.9, partial(_close_day, life, back)))
    for when, act in sorted(events, key=lambda event: event[0]):
        life.travel.go_to(life.at(back, when))
        act()


def _join(life: Life, profile: Profile) -> None:
    member = cast_of.enrol(life.ctx, life.rng, life.cast, profile, first_sync=False)
    rules = [WALKING_RULE] if profile.index == 0 else []
    if profile.index and life.rng.random() < 0.35:
        rules.append(WALKING_RULE)
    if profile.index and life.rng.random() < 0.2:
        rules.append(SLEEP_RULE)
    if rules:
        delegation.replace_rules(life.ctx, member.person_id, rules)
    life.members.append(member)
    life.actions += 4 + len(profile.typed) + len(rules)
    if life.progress is not None:
        life.progress(len(life.members))


def _sync_steps(life: Life) -> None:
    walkers = [m for m in life.members if cast_of.WALKEE in m.refs]
    cast_of.push_steps(life.ctx, life.rng, life.cast, walkers, life.travel.now())
    life.actions += 1


def _purchases(life: Life) -> None:
    buyers = [m for m in life.members if cast_of.SAKURA in m.refs and life.rng.random() < 0.5]
    cast_of.push_purchases(life.ctx, life.rng, life.cast, buyers, life.travel.now())
    life.actions += 1 if buyers else 0


def _offer_step(life: Life, name: str, step: str) -> None:
    plan = OFFERS[name]
    if step == "submit":
        draft = plan.draft(life.recipient_id(plan.recipient), life.travel.now())
        created = offers.create_offer(life.ctx, draft.recipient_id, draft)
        offers.submit_offer(life.ctx, created.id, created.recipient_id)
        life.offer_ids[name] = created.id
    else:
        offers.review_offer(
            life.ctx,
            life.offer_ids[name],
            life.staff(StaffRole.ETHICS).id,
            "approve",
            plan.minutes(),
            list(plan.conditions),
        )
    life.actions += 2


def open_planned(life: Life, name: str) -> None:
    offers.open_offer(life.ctx, life.offer_ids[name], life.cast.operator)
    life.actions += 1


def _answer(life: Life, back: int) -> None:
    """Persons answer their inbox. On the evening an offer opens, each person it reached
    settles what they will do: accept after a few days, decline, or leave it; the printed
    persons leave theirs for the newcomer. A few who accepted revoke later."""
    ctx, rng = life.ctx, life.rng
    printed = {m.person_id for m in life.members if m.profile.index < PRINTED}
    for name, plan in OFFERS.items():
        if plan.opened != back:
            continue
        with ctx.read() as uow:
            waiting = uow.offers.open_invitations(life.offer_ids[name])
        for person_id in waiting:
            if person_id not in printed:
                answer = rng.choices(["accept", "decline", "ignore"], [0.35, 0.2, 0.45])[0]
                day = back - 1 - min(int(rng.expovariate(1 / 5)), 30)
                life.fates[(name, person_id)] = (day, answer)
    for (name, person_id), (day, answer) in life.fates.items():
        recipient = OFFERS[name].recipient
        if day != back or answer == "ignore" or recipient in life.suspended:
            continue
        if answer == "accept":
            consent = consents.accept(ctx, person_id, life.offer_ids[name])
            life.accepted.append((person_id, consent.id, recipient))
        else:
            consents.decline(ctx, person_id, life.offer_ids[name])
        life.actions += 3
    for person_id, consent_id, recipient in list(life.accepted):
        if rng.random() < 0.004:
            consents.change_status(ctx, person_id, consent_id, "revoke")
            life.accepted.remove((person_id, consent_id, recipient))
            life.revoked.add(recipient)
            life.actions += 2


def worker_round(life: Life) -> None:
    """A worker round; then each recipient in good standing fetches and acknowledges what
    was built, and confirms deleting what persons revoked. (A recipient polls all day; its
    calls are counted in the day's requests, and are read here only when there is news.)"""
    ctx = life.ctx
    consent_life.sweep(ctx, 1000)
    built = deliveries.build_due(ctx, 1000)
    for name in (MIRAI, LAB, TRAVEL):
        if name in life.suspended:
            continue
        rid = life.recipient_id(name)
        ready = _every(partial(deliveries.list_deliveries, ctx, rid, "ready")) if built else []
        for delivery in ready:
            deliveries.fetch(ctx, rid, delivery.id)
            deliveries.acknowledge(ctx, rid, delivery.id)
            life.actions += 2
        if name in life.revoked:
            for revocation in _every(partial(deliveries.list_revocations, ctx, rid)):
                if revocation.acknowledged_at is None:
                    deliveries.acknowledge_revocation(ctx, rid, revocation.id, "deleted")
                    life.actions += 1
            life.revoked.discard(name)


def _every(read: Callable[[PageRequest], Page[T]]) -> list[T]:
    """Every item of a list read a page at a time, as a recipient's client reads it."""
    found: list[T] = []
    request = PageRequest(limit=MAX_LIMIT)
    while True:
        page = read(request)
        found += page.items
        if page.next_cursor is None:
            return found
        request = PageRequest.parse(MAX_LIMIT, page.next_cursor)


def _desk(life: Life, back: int) -> list[tuple[float, Callable[[], None]]]:
    """Persons ask the help desk now and then; support answers the next day and closes the
    inquiry two days later. The first person's last question, yesterday, awaits a reply."""
    asked_on = {70: 2, 61: 0, 47: 4, 36: 1, 22: 3, 12: 0}
    events: list[tuple[float, Callable[[], None]]] = []
    if back in asked_on and life.members:
        who = life.person(0) if back == 70 else life.rng.choice(life.members)
        events.append((19, partial(_ask, life, back, who, ASKED[asked_on[back]])))
    if back == 1:
        last = ("question", "ポイントの有効期限", "便益のポイントに有効期限はありますか。", "")
        events.append((21, partial(_ask, life, back, life.person(0), last)))
    desk = life.staff(StaffRole.SUPPORT)
    for inquiry_id, (asked, answer) in life.asked.items():
        if asked - 1 == back:
            events.append((10, partial(inquiries.answer, life.ctx, desk, inquiry_id, answer)))
        if asked - 3 == back:
            events.append((17, partial(inquiries.close, life.ctx, desk, inquiry_id)))
    return events


def _ask(life: Life, back: int, who: Member, question: tuple[str, str, str, str]) -> None:
    category, subject, body, answer = question
    inquiry_id = inquiries.open_inquiry(life.ctx, who.person_id, category, subject, body)
    if answer:
        life.asked[inquiry_id] = (back, answer)
    life.actions += 2


def _incident(life: Life) -> None:
    """A travel agency's mailing went to the wrong list: recorded, persons told, suspended."""
    life.suspended.add(TRAVEL)
    incidents.record_incident(
        life.ctx,
        life.cast.operator,
        incidents.NewIncident(
            summary="ひかりトラベルの委託先が、会員の興味・関心データを含むファイルを"
            "誤った宛先にメール送信した。",
            discovered_at=life.at(5, 15),
            target="recipient",
            recipient_id=life.recipient_id(TRAVEL),
            categories=("interests",),
            period_from=life.at(14, 0),
            period_to=life.at(5, 15),
            cause="委託先での宛先の選択誤り",
            measures="送信先への削除依頼、委託先の監査、提供の停止",
            suspend_recipient=True,
        ),
    )
    life.actions += 1


def _report(life: Life) -> None:
    found = incidents.list_incidents(life.ctx)
    incidents.mark_reported(life.ctx, found[0].id, "preliminary", life.cast.operator)


def _close_day(life: Life, back: int) -> None:
    """The day's API requests (each recipient with a key polls every five minutes, persons
    open the app now and then, more at weekends, and every step above was a request); then
    the worker's signed tree head, if the log grew."""
    rng = life.rng
    weekend = (life.today - timedelta(days=back)).weekday() >= 5
    polling = 288 * sum(1 for name in (MIRAI, LAB, TRAVEL) if name not in life.suspended)
    visits = sum(
        rng.randint(3, 9) for _ in life.members if rng.random() < (0.35 if weekend else 0.22)
    )
    day = life.today - timedelta(days=back)
    usage.record_api_requests(life.ctx, {day: polling + visits + 3 * life.actions})
    log_heads.sign_if_due(life.ctx, timedelta(seconds=life.ctx.limits.log_head_interval_s))
