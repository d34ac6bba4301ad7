"""Every page speaks Japanese: rendered in a bank where every list has something in it, no page
shows an English word or a raw code (a status, a category, an industry, a memo) outside a short
allowlist of brands and standards (``tests/support/words.py``).

The pages are found from the app's routes, so a new page is covered as soon as it exists; a
route whose path needs an id this world does not provide fails the test until it does.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from joserfc.jwk import ECKey

from infobank.bootstrap import Bank, bootstrap
from infobank.domain.identity import Gender, PrincipalKind, StaffRole
from infobank.domain.offers import Offer, Target
from infobank.domain.pages import PageRequest
from infobank.domain.reviews import Conditions
from infobank.entrypoints.web.deps import PageRoute
from infobank.services import (
    businesses,
    consents,
    delegation,
    deliveries,
    identity,
    incidents,
    inquiries,
    offers,
    recipients,
    records,
    usage_reports,
)
from infobank.services.records import NewRecord, SourceRecord
from tests.fakes import FakeClock
from tests.support import api, db, web
from tests.support.words import foreign_words

EVERY = PageRequest(limit=200)
_serial = itertools.count()


@pytest.fixture
def bank(tmp_path: Path, clock: FakeClock, sqlite_template: Path) -> Iterator[Bank]:
    wired = bootstrap(db.sqlite_settings(sqlite_template, tmp_path), clock=clock)
    try:
        yield wired
    finally:
        wired.close()


@dataclass
class World:
    """The ids a page's path may need, and the staff members who look at the console."""

    person_email: str
    staff: dict[StaffRole, str]
    ids: dict[str, list[str]] = field(default_factory=dict)


def _recipient(bank: Bank, operator: str, name: str, industry: str, kind: str) -> str:
    ctx = bank.context
    rid = businesses.register_business(
        ctx, PrincipalKind.RECIPIENT, name, industry, f"dpo{next(_serial)}@example.jp"
    ).business.id
    cert = businesses.NewCertification(
        kind, f"P-{next(_serial)}", date(2025, 1, 1), date(2027, 1, 1)
    )
    businesses.add_certification(ctx, rid, cert, operator)
    key = ECKey.generate_key("P-256", private=True, auto_kid=True)
    recipients.set_key(ctx, rid, key.as_dict(private=False))
    return rid


def _offer(bank: Bank, rid: str, staff: dict[StaffRole, str], stage: str, **changes: Any) -> str:
    """An offer for persons like ours, taken as far as ``stage``."""
    ctx = bank.context
    body: dict[str, Any] = {
        "id": "",
        "recipient_id": rid,
        "status": "draft",
        "title": "歩数に応じた保険料割引",
        "purpose_code": "insurance.product_design",
        "purpose_text": "歩数データから保険商品を設計する",
        "justification": None,
        "categories": ("lifelog.activity",),
        "benefit_points": 300,
        "retention_days": 180,
        "consent_duration_days": 180,
        "fetch_mode": "one_time",
        "fetch_every_days": None,
        "data_range_days": None,
        "profiling": False,
        "reprovision_parties": (),
        "target": Target(age_min=20, age_max=70, prefectures=("13",)),
        "capacity": 10,
        "created_at": ctx.clock.now(),
        **changes,
    }
    offer_id = offers.create_offer(ctx, rid, Offer(**body)).id
    offers.submit_offer(ctx, offer_id, rid)
    if stage == "under_review":
        return offer_id
    minutes = "目的と便益を確認した。"
    offers.review_offer(ctx, offer_id, staff[StaffRole.ETHICS], "approve", minutes, ["年1回報告"])
    if stage == "open":
        offers.open_offer(ctx, offer_id, staff[StaffRole.OPERATOR])
    return offer_id


def _tell(bank: Bank, person_id: str, kind: str, **params: Any) -> None:
    with bank.context.uow() as uow:
        uow.notifications.add(person_id, kind, params, bank.context.clock.now())
        uow.commit()


def _world(bank: Bank, clock: FakeClock) -> World:
    """Records of several categories and origins, an offer in the inbox, consents with a
    delivery and a confirmed deletion, benefits, notifications of many kinds, inquiries, an
    incident and an offer waiting for review."""
    ctx = bank.context
    members = {role: api.staff(bank, role) for role in StaffRole}
    staff = {role: member.id for role, member in members.items()}
    world = World("", {role: member.email for role, member in members.items()})
    operator = staff[StaffRole.OPERATOR]

    world.person_email = f"words{next(_serial)}@example.jp"
    pid = identity.sign_up(
        ctx,
        identity.SignUp(
            world.person_email,
            api.PASSWORD,
            "山田 花子",
            date(1985, 4, 12),
            Gender.FEMALE,
            "13",
            ctx.terms.version,
        ),
    )
    yesterday = clock.now() - timedelta(days=1)
    own = [
        records.add_record(ctx, pid, NewRecord("lifelog.activity", {"steps": 8012}, yesterday)),
        records.add_record(ctx, pid, NewRecord("lifelog.sleep", {"minutes": 412})),
        records.add_record(ctx, pid, NewRecord("interests", {"value": "登山"})),
    ]
    source = businesses.register_business(ctx, PrincipalKind.SOURCE, "さくらマート", "retail")
    code, _ = records.create_link_code(ctx, pid, source.business.id)
    ref = records.link_source(ctx, source.business.id, code, "member-00001")
    purchase = {"shop": "コンビニ", "amount_yen": 980}
    pushed = records.push_records(
        ctx,
        source.business.id,
        [
            SourceRecord(
                ref, "purchase.history", purchase, yesterday, "pos_purchase", "loyalty_programme"
            ),
            SourceRecord(
                ref, "purchase.history", purchase, yesterday, "source_system", "service_provision"
            ),
        ],
    )
    rule = {
        "categories": ["lifelog.activity"],
        "purposes": ["health.research"],
        "industries": ["research"],
        "min_benefit_points": 100,
        "allow_profiling": False,
        "max_retention_days": 365,
    }
    delegation.replace_rules(ctx, pid, [rule])

    insurer = _recipient(bank, operator, "みらい保険", "insurance", "pmark")
    lab = _recipient(bank, operator, "ヘルスケア研究所", "research", "isms")
    accepted = _offer(bank, insurer, staff, "open")
    consent = consents.accept(ctx, pid, accepted).id
    delegated_offer = _offer(
        bank,
        lab,
        staff,
        "open",
        title="生活習慣と健康の研究",
        purpose_code="health.research",
        purpose_text="歩数と健康の関係を調べる",
        justification="public_interest",
        benefit_points=150,
    )
    _offer(bank, insurer, staff, "open", title="睡眠改善プログラムのご案内", benefit_points=50)
    _offer(bank, insurer, staff, "under_review", title="購買履歴に基づくクーポン")
    statistics = _offer(bank, lab, staff, "approved", title="統計作成への協力")
    # A renewal approved with every condition the board sets; another renewal waiting; and a
    # usage report filed.
    offers.submit_offer(ctx, statistics, lab)
    conditions = Conditions(
        max_retention_days=365,
        profiling_allowed=False,
        target_age_min=20,
        target_age_max=70,
        target_prefectures=("13", "14"),
        capacity_max=10,
        approval_valid_until=date(2027, 6, 30),
        report_after_days=30,
    )
    minutes = "条件を付けて承認した。"
    ethics = staff[StaffRole.ETHICS]
    offers.review_offer(ctx, statistics, ethics, "approve", minutes, conditions=conditions)
    offers.submit_offer(ctx, accepted, insurer)
    usage_reports.file_report(ctx, lab, statistics, "統計の作成にのみ使いました。")

    deliveries.build_due(ctx)
    clock.advance(hours=1)
    for rid in (insurer, lab):
        for package in deliveries.list_deliveries(ctx, rid, "ready", EVERY).items:
            deliveries.fetch(ctx, rid, package.id)
            deliveries.acknowledge(ctx, rid, package.id)
    delegated = next(
        c.id for c in consents.list_consents(ctx, pid) if c.offer_id == delegated_offer
    )
    consents.change_status(ctx, pid, delegated, "revoke")
    for notice in deliveries.list_revocations(ctx, lab, EVERY).items:
        deliveries.acknowledge_revocation(ctx, lab, notice.id, "deidentified")

    asked = inquiries.open_inquiry(
        ctx, pid, "consent", "同意の取り消し方", "やり方を教えてください。"
    )
    inquiries.open_inquiry(ctx, pid, "complaint", "通知が多い", "お知らせの頻度を減らしたい。")
    desk = identity.authenticate(ctx, members[StaffRole.SUPPORT].headers["Authorization"][7:])
    inquiries.answer(ctx, desk, asked, "同意の画面の「この提供を停止」から取り消せます。")

    clock.advance(hours=1)
    incident = incidents.record_incident(
        ctx,
        operator,
        incidents.NewIncident(
            summary="提供先のサーバーに不正アクセスがあった",
            discovered_at=clock.now(),
            target="recipient",
            recipient_id=insurer,
            categories=("lifelog.activity",),
            period_from=clock.now() - timedelta(days=1),
            period_to=clock.now(),
            cause="脆弱性を突かれた",
            wrongful_intent=True,
        ),
    ).id

    recipient_name = "みらい保険"
    _tell(bank, pid, "terms.updated", version="2026-12")
    for kind in ("consent.expiring", "consent.reminder", "consent.expired"):
        _tell(
            bank,
            pid,
            kind,
            consent_id=consent,
            title="歩数に応じた保険料割引",
            recipient=recipient_name,
            start=clock.now().isoformat(),
            expiry=(clock.now() + timedelta(days=30)).isoformat(),
        )
    _tell(bank, pid, "mynaportal.renewal_needed")
    _tell(bank, pid, "transfer.pending", issuer="https://bank.example.jp", records=3)

    world.ids = {
        "consent_id": [consent, delegated],
        "record_id": [*own, *pushed],
        "inquiry_id": [asked],
        "incident_id": [incident],
        "offer_id": [statistics],
    }
    return world


def _visitors(client: TestClient, world: World) -> dict[str, TestClient]:
    person = TestClient(client.app)
    web.log_in(person, world.person_email)
    seen = {"anonymous": TestClient(client.app), "person": person}
    for role, email in world.staff.items():
        member = TestClient(client.app)
        web.log_in(member, email, staff=True)
        seen[role.value] = member
    return seen


def _page_routes(client: TestClient) -> list[APIRoute]:
    """Every route of the pages that answers GET (the pages' routers use ``PageRoute``)."""
    routes = (c.original_route for c in iter_route_contexts(client.app.routes))  # type: ignore[attr-defined]
    return [r for r in routes if isinstance(r, PageRoute) and "GET" in r.methods]


def _paths(route: APIRoute, ids: dict[str, list[str]]) -> list[str]:
    params = [p.name for p in route.dependant.path_params]
    missing = [p for p in params if p not in ids]
    assert not missing, f"{route.path}: give the world an id for {missing}"
    paths = [route.path]
    for name in params:
        paths = [p.replace(f"{{{name}}}", v) for p in paths for v in ids[name]]
    return paths


def test_every_page_shows_only_japanese_words_to_every_visitor(
    client: TestClient, bank: Bank, clock: FakeClock
) -> None:
    world = _world(bank, clock)
    visitors = _visitors(client, world)
    routes = _page_routes(client)
    assert len(routes) > 20
    leaks: dict[str, set[str]] = {}
    shown: set[str] = set()
    for route in routes:
        for path in _paths(route, world.ids):
            for name, visitor in visitors.items():
                page = visitor.get(path, follow_redirects=False)
                if page.status_code < 400:
                    shown.add(route.path)
                if not page.headers.get("content-type", "").startswith("text/html"):
                    continue
                for word, text in foreign_words(page.text):
                    leaks.setdefault(f"{word!r} in {text!r}", set()).add(f"{path} ({name})")
    assert shown == {route.path for route in routes}, "some pages answered no visitor"
    assert not leaks, "English or raw codes on Japanese pages:\n" + "\n".join(
        f"{leak}: {', '.join(sorted(where)[:3])}" for leak, where in sorted(leaks.items())
    )


def test_pages_asking_for_a_confirmation_or_showing_an_error_speak_japanese(
    client: TestClient, bank: Bank, clock: FakeClock
) -> None:
    world = _world(bank, clock)
    visitors = _visitors(client, world)
    consent = world.ids["consent_id"][0]
    incident = world.ids["incident_id"][0]
    for name, path in (
        ("person", "/?confirm=stop-all"),
        ("person", f"/consents/{consent}?confirm=revoke"),
        ("person", "/account?confirm=delete"),
        ("person", "/consents/no-such-consent"),
        ("person", "/staff/recipients"),
        ("operator", "/staff/offers?confirm=close-x"),
        ("operator", f"/staff/incidents/{incident}?confirm=report-preliminary"),
        ("ethics", "/staff/usage"),
    ):
        page = visitors[name].get(path, follow_redirects=False)
        assert page.headers["content-type"].startswith("text/html"), path
        assert foreign_words(page.text) == [], (path, foreign_words(page.text))


def _button(html: str, testid: str) -> str:
    found = re.search(rf'<button[^>]*data-testid="{testid}"[^>]*>([^<]*)<', html)
    assert found, f"no button {testid}"
    return found.group(1)


def test_actions_read_as_actions_and_codes_and_memos_as_words(
    client: TestClient, bank: Bank, clock: FakeClock
) -> None:
    world = _world(bank, clock)
    visitors = _visitors(client, world)
    operator, person = visitors["operator"], visitors["person"]
    offers_board = operator.get("/staff/offers").text
    assert _button(offers_board, "open-offer") == "公開する"  # the action, not the status
    assert '<span class="badge badge-open">公開中</span>' in offers_board
    assert _button(operator.get("/staff/recipients").text, "record-certificate") == "登録する"
    assert "（保険）" in offers_board or "(保険)" in offers_board
    benefits = person.get("/benefits").text
    assert "「歩数に応じた保険料割引」の便益" in benefits
    assert "Benefit for “歩数に応じた保険料割引”" in person.get("/benefits?lang=en").text
    consent = person.get(f"/consents/{world.ids['consent_id'][0]}?lang=ja").text
    assert "(受領確認済み)" in consent
    assert (
        "(Receipt confirmed)" in person.get(f"/consents/{world.ids['consent_id'][0]}?lang=en").text
    )
