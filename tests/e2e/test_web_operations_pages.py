"""The operating pages of the staff console over HTTP (no browser), in Japanese and English:
usage against targets, incidents with their regulator reports, and the help desk's queue with
categories, assignment, age and overdue flags. On SQLite only: the use cases under them are
tested on both databases elsewhere."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from infobank.bootstrap import Bank, bootstrap
from infobank.domain.identity import StaffRole
from infobank.domain.pages import PageRequest
from infobank.services import deliveries, notifications, persons
from tests.fakes import FakeClock
from tests.support import api, db, web, worlds

EVERY = PageRequest(limit=200)


@pytest.fixture
def bank(tmp_path: Path, clock: FakeClock, sqlite_template: Path) -> Iterator[Bank]:
    wired = bootstrap(db.sqlite_settings(sqlite_template, tmp_path), clock=clock)
    try:
        yield wired
    finally:
        wired.close()


def _staff(client: TestClient, bank: Bank, role: StaffRole) -> TestClient:
    member = TestClient(client.app)
    web.log_in(member, web.staff_member(bank, role), staff=True)
    return member


def _section(html: str, testid: str) -> str:
    found = re.search(rf'<section[^>]*data-testid="{testid}".*?</section>', html, re.S)
    assert found, f"no section {testid}"
    return found.group(0)


def _row(html: str, metric: str, period: str) -> tuple[str, str]:
    """(actual, target) as the table under ``metric``'s chart shows them for ``period``."""
    section = _section(html, f"usage-{metric}")
    found = re.search(
        rf'<tr data-period="{period}"><th scope="row">[^<]*</th><td>([^<]*)</td><td>([^<]*)</td>',
        section,
    )
    assert found, f"no row {period} under {metric}"
    return found.group(1), found.group(2)


def _articles(html: str, testid: str) -> list[str]:
    return re.findall(rf'<article[^>]*data-testid="{testid}".*?</article>', html, re.S)


# usage against targets (計画と実績) -------------------------------------------------------------


def test_usage_page_charts_actual_figures_against_the_targets_the_operator_sets(
    client: TestClient, bank: Bank
) -> None:
    api.sign_up(client)
    api.sign_up(client)  # two users; three API requests each
    operator = _staff(client, bank, StaffRole.OPERATOR)
    page = operator.get("/staff/usage")
    assert page.status_code == 200
    for metric in ("users", "active_consents", "deliveries", "api_requests"):
        section = _section(page.text, f"usage-{metric}")
        assert re.search(r'<svg [^>]*role="img"[^>]*><title>[^<]+</title><desc>', section)
        assert 'data-testid="usage-table"' in section
    assert "<title>利用者数</title>" in page.text
    assert _row(page.text, "users", "2026-11-26") == ("2", "—")
    assert _row(page.text, "api_requests", "2026-11-26") == ("6", "—")
    assert _row(page.text, "users", "2026-11-25") == ("—", "—")  # no count: a gap, not 0

    saved = web.post(
        operator,
        "/staff/usage/targets",
        "/staff/usage",
        month="2026-11",
        users="100",
        deliveries="300",
        active_consents="",
        api_requests="",
    )
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"] == (
        "/staff/usage?msg=targets_saved&from=2026-11-01&to=2026-11-30"
    )
    shown = operator.get(saved.headers["location"])
    assert "目標を保存しました。" in shown.text
    assert _row(shown.text, "users", "2026-11-26") == ("2", "100")
    assert _row(shown.text, "deliveries", "2026-11-30") == ("—", "10")  # 300 over 30 days
    assert _row(shown.text, "active_consents", "2026-11-26") == ("0", "—")
    assert "目標: 2026-11-01 100" in _section(shown.text, "usage-users")
    assert 'data-month="2026-11"' in shown.text

    monthly = operator.get("/staff/usage?from=2026-10-01&to=2026-11-30&granularity=month&lang=en")
    assert monthly.status_code == 200 and "<title>Users</title>" in monthly.text
    assert _row(monthly.text, "users", "2026-11") == ("2", "100")
    assert _row(monthly.text, "deliveries", "2026-11") == ("—", "300")
    assert _row(monthly.text, "users", "2026-10") == ("—", "—")
    assert "Target" in monthly.text and "Save the targets" in monthly.text


def test_usage_targets_refuse_bad_figures_and_staff_who_may_not_set_them(
    client: TestClient, bank: Bank
) -> None:
    operator = _staff(client, bank, StaffRole.OPERATOR)
    targets = "/staff/usage/targets"
    negative = web.post(operator, targets, "/staff/usage", month="2026-11", users="-5")
    assert negative.status_code == 422 and "入力内容に誤りがあります。" in negative.text
    empty = web.post(operator, "/staff/usage/targets", "/staff/usage", month="2026-11")
    assert empty.status_code == 422 and "目標を一つ以上入力してください。" in empty.text
    bad_month = web.post(
        operator, "/staff/usage/targets", "/staff/usage", month="2026-13", users="5"
    )
    assert bad_month.status_code == 422
    backwards = operator.get("/staff/usage?from=2026-11-20&to=2026-11-01")
    assert backwards.status_code == 422 and 'data-testid="usage-users"' in backwards.text
    assert 'data-month="2026-11"' not in operator.get("/staff/usage").text

    auditor = _staff(client, bank, StaffRole.AUDITOR)
    read = auditor.get("/staff/usage")
    assert read.status_code == 200 and 'data-testid="set-targets"' not in read.text
    ethics = _staff(client, bank, StaffRole.ETHICS)
    assert ethics.get("/staff/usage").status_code == 403
    for member in (ethics, auditor):
        refused = web.post(member, "/staff/usage/targets", "/", month="2026-11", users="5")
        assert refused.status_code == 403
    assert 'data-month="2026-11"' not in operator.get("/staff/usage").text
    web.sign_up(client, bank)
    assert client.get("/staff/usage").status_code == 403


# incidents (漏えい等事案) ---------------------------------------------------------------------


def _fetched(bank: Bank, world: worlds.World, who: list[str]) -> None:
    for delivery in deliveries.list_deliveries(bank.context, world.recipient, "ready", EVERY).items:
        if delivery.person_id in who:
            deliveries.fetch(bank.context, world.recipient, delivery.id)


def _told(bank: Bank, person_id: str) -> bool:
    found = notifications.for_person(bank.context, person_id)
    return any(n["kind"] == "incident.notice" for n in found)


def test_operator_records_an_incident_after_confirming_and_files_its_reports(
    client: TestClient, bank: Bank, clock: FakeClock
) -> None:
    team = worlds.team(bank)
    leaky = worlds.world(bank, team, persons=3)
    other = worlds.world(bank, team, persons=1)
    deliveries.build_due(bank.context)
    clock.advance(hours=1)  # 2026-11-26 19:00 JST
    _fetched(bank, leaky, leaky.persons[:2])
    _fetched(bank, other, other.persons)
    clock.advance(days=1)  # the next day, outside the period
    _fetched(bank, leaky, leaky.persons[2:])
    operator = _staff(client, bank, StaffRole.OPERATOR)
    form = {
        "summary": "提供先のサーバーに不正アクセスがあった",
        "discovered_at": "2026-11-27T12:00",
        "where": leaky.recipient,
        "categories": ["lifelog.activity"],
        "period_from": "2026-11-26",
        "period_to": "2026-11-26",
        "cause": "脆弱性を突かれた",
        "suspend_recipient": "yes",
    }

    asked = web.post(operator, "/staff/incidents", "/staff/incidents", **form)
    assert asked.status_code == 200
    assert 'data-testid="record-incident-confirm"' in asked.text
    assert "同時に recipient" in asked.text  # the suspension is named before it happens
    assert not any(_told(bank, p) for p in leaky.persons)  # nothing done yet
    recorded = operator.post(
        "/staff/incidents",
        data={"csrf_token": web.csrf(asked.text), **form, "confirmed": "yes"},
        follow_redirects=False,
    )
    assert recorded.status_code == 303, recorded.text
    detail_url, _, msg = recorded.headers["location"].partition("?")
    assert msg == "msg=incident_recorded"

    detail = operator.get(recorded.headers["location"]).text
    assert "事案を記録し、影響を受けた本人全員に通知しました。" in detail
    assert 'data-testid="affected-count">2<' in detail
    assert "期限：2026-12-02 12:00" in detail and "期限：2026-12-27 12:00" in detail  # 5, 30 days
    assert "(あと 5 日)" in detail and "(あと 30 日)" in detail  # seen on 11-27
    assert {p for p in leaky.persons + other.persons if _told(bank, p)} == set(leaky.persons[:2])
    with bank.context.uow() as uow:
        assert len(uow.consents.for_recipient(leaky.recipient, ("paused",))) == 3
    listed = _articles(operator.get("/staff/incidents").text, "incident-item")
    assert len(listed) == 1 and "未報告" in listed[0]

    person = TestClient(client.app)
    web.log_in(person, persons.profile(bank.context, leaky.persons[0]).email)
    told = person.get("/notifications").text
    assert "あなたのデータに関わる漏えい等の事案が発生したおそれがあります。" in told
    assert "提供先のサーバーに不正アクセスがあった" in told
    assert person.get("/staff/incidents").status_code == 403

    asking = operator.get(f"{detail_url}?confirm=report-preliminary")
    assert 'data-testid="report-preliminary-confirm"' in asking.text
    filed = web.post(operator, f"{detail_url}/report", detail_url, stage="preliminary")
    assert filed.status_code == 303
    after = operator.get(detail_url).text
    assert "速報提出済み" in after and 'data-testid="report-preliminary"' not in after
    assert 'data-testid="report-final"' in after
    again = web.post(operator, f"{detail_url}/report", detail_url, stage="preliminary")
    assert again.status_code == 409 and "その報告を記録できません" in again.text

    draft = operator.get(f"{detail_url}/report.json")
    assert draft.headers["content-disposition"].startswith("attachment")
    facts = json.loads(draft.text)["facts"]
    assert facts["affected_persons"] == 2 and facts["cause"] == "脆弱性を突かれた"
    english = operator.get(f"{detail_url}?lang=en").text
    assert "Preliminary report filed" in english and "Persons affected" in english


def test_incident_form_refuses_unreadable_input_and_staff_who_may_not_record(
    client: TestClient, bank: Bank
) -> None:
    operator = _staff(client, bank, StaffRole.OPERATOR)
    form = {
        "summary": "システムの設定誤り",
        "discovered_at": "2026-11-26T12:00",
        "where": "system",
        "categories": ["interests"],
        "period_from": "not a date",
        "period_to": "2026-11-26",
    }
    bad = web.post(operator, "/staff/incidents", "/staff/incidents", **form)
    assert bad.status_code == 422 and 'data-testid="record-incident-confirm"' not in bad.text
    assert "システムの設定誤り" in bad.text  # the form keeps what was typed
    later = web.post(
        operator,
        "/staff/incidents",
        "/staff/incidents",
        **{**form, "period_from": "2026-11-27", "confirmed": "yes"},
    )
    assert later.status_code == 422  # the period ends before it starts
    assert _articles(operator.get("/staff/incidents").text, "incident-item") == []

    auditor = _staff(client, bank, StaffRole.AUDITOR)
    read = auditor.get("/staff/incidents?lang=en")
    assert read.status_code == 200 and "Recorded incidents" in read.text
    assert 'data-testid="record-incident"' not in read.text
    fine = {**form, "period_from": "2026-11-26", "confirmed": "yes"}
    refused = web.post(auditor, "/staff/incidents", "/", **fine)
    assert refused.status_code == 403
    assert _staff(client, bank, StaffRole.ETHICS).get("/staff/incidents").status_code == 403
    assert _articles(operator.get("/staff/incidents").text, "incident-item") == []


# the help desk (相談窓口) ---------------------------------------------------------------------


def test_help_desk_shows_category_assignee_and_age_and_flags_overdue_inquiries(
    client: TestClient, bank: Bank, clock: FakeClock
) -> None:
    person_email = web.sign_up(client, bank)
    sent = web.post(
        client,
        "/inquiries",
        "/inquiries",
        category="complaint",
        subject="提供先からの不審な連絡",
        body="心当たりのない電話がありました。",
    )
    inquiry_id = sent.headers["location"].split("?")[0].rsplit("/", 1)[1]
    desk_email = web.staff_member(bank, StaffRole.SUPPORT)
    desk = TestClient(client.app)
    web.log_in(desk, desk_email, staff=True)
    colleague = _staff(client, bank, StaffRole.OPERATOR)
    (item,) = _articles(desk.get("/staff/inquiries").text, "desk-inquiry")
    assert 'data-testid="inquiry-category">苦情<' in item
    assert 'data-assignee="none"' in item and "overdue-badge" not in item
    assert "(今日)" in item and "期限 2026-12-02 00:00" in item  # 3 business days
    assert "(あと 5 日)" in item  # a midnight deadline ends the day before: 12-01
    assert ">対応を完了する<" in item  # closing the case, not a deadline word (締め切る)

    taken = web.post(desk, f"/staff/inquiries/{inquiry_id}/assign", "/staff/inquiries", to="me")
    assert taken.headers["location"] == "/staff/inquiries?msg=inquiry_assigned"
    assert 'data-assignee="me"' in desk.get("/staff/inquiries").text
    assert 'data-assignee="other"' in colleague.get("/staff/inquiries").text
    assert _articles(colleague.get("/staff/inquiries?mine=true").text, "desk-inquiry") == []
    assert len(_articles(desk.get("/staff/inquiries?mine=true").text, "desk-inquiry")) == 1
    assert _articles(desk.get("/staff/inquiries?overdue=true").text, "desk-inquiry") == []

    clock.advance(days=7)  # sessions end after a while unused: log in again
    web.log_in(desk, desk_email, staff=True)
    web.log_in(client, person_email)
    (late,) = _articles(desk.get("/staff/inquiries?overdue=true").text, "desk-inquiry")
    assert 'data-testid="overdue-badge">期限超過<' in late and "(7 日前)" in late
    assert "(2 日超過)" in late
    english = desk.get("/staff/inquiries?lang=en").text
    assert "(7 days ago)" in english and "(2 days overdue)" in english
    assert ">Close inquiry<" in english
    assert "Overdue" in english and "Complaint" in english and "Assigned to you" in english
    released = web.post(desk, f"/staff/inquiries/{inquiry_id}/assign", "/staff/inquiries")
    assert released.headers["location"] == "/staff/inquiries?msg=inquiry_released"
    assert 'data-assignee="none"' in desk.get("/staff/inquiries").text

    listing = client.get("/inquiries").text
    (mine,) = re.findall(r'<li class="card" data-testid="inquiry-item">.*?</li>', listing, re.S)
    assert "種類：苦情" in mine and "相談窓口からの回答：0 件" in mine and "回答待ち" in mine
    web.post(desk, f"/staff/inquiries/{inquiry_id}/answer", "/staff/inquiries", body="確認します。")
    listed = client.get("/inquiries?lang=en").text
    assert "Kind: Complaint" in listed and "answers from the help desk: 1" in listed
    assert "Answered" in listed
    assert "overdue-badge" not in desk.get("/staff/inquiries").text  # the first reply came

    by_person = web.post(client, f"/staff/inquiries/{inquiry_id}/assign", "/", to="me")
    assert by_person.status_code == 403
    web.post(desk, f"/staff/inquiries/{inquiry_id}/close", "/staff/inquiries")
    closed = web.post(desk, f"/staff/inquiries/{inquiry_id}/assign", "/staff/inquiries", to="me")
    assert closed.status_code == 409


# vetting: who suspended is recorded ------------------------------------------------------------


def test_suspending_from_the_console_records_which_staff_member_did_it(
    client: TestClient, bank: Bank
) -> None:
    world = worlds.world(bank, worlds.team(bank), persons=1)
    member = api.staff(bank)
    operator = TestClient(client.app)
    web.log_in(operator, member.email, staff=True)
    web.post(operator, f"/staff/recipients/{world.recipient}/suspend", "/staff/recipients")
    with bank.context.uow() as uow:
        assert uow.consents.events(world.consents[0])[-1][1] == f"suspension:{member.id}"
    web.post(operator, f"/staff/recipients/{world.recipient}/reinstate", "/staff/recipients")
    with bank.context.uow() as uow:
        assert uow.consents.events(world.consents[0])[-1][1] == f"reinstatement:{member.id}"
