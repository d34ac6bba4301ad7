"""The person's inbox and home page are honest about what will happen (SPEC §6.4, §7 Pages):
an offer the rules would refuse says why in plain words and has no accept button; a
recipient's certificate past or near its date is flagged on the bank's clock; health offers
say their data comes from Mynaportal under which joint application (連名申請); answered
offers leave the waiting list; a consent's state reads the same in both languages. And the
operator sees how many persons an opening left out, and why. On SQLite only, like the other
page tests."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from infobank.bootstrap import Bank, bootstrap
from infobank.domain.identity import StaffRole
from tests.fakes import FakeClock
from tests.support import api, db, trust, web


@pytest.fixture
def bank(tmp_path: Path, clock: FakeClock, sqlite_template: Path) -> Iterator[Bank]:
    wired = bootstrap(db.sqlite_settings(sqlite_template, tmp_path), clock=clock)
    try:
        yield wired
    finally:
        wired.close()


def _card(html: str, offer_id: str) -> str:
    found = re.search(rf'<article[^>]*data-offer="{offer_id}".*?</article>', html, re.S)
    assert found, f"no card for offer {offer_id}"
    return found.group(0)


def _section(html: str, name: str) -> str:
    found = re.search(rf'<section[^>]*data-testid="offers-{name}".*?</section>', html, re.S)
    assert found, f"no {name} section"
    return found.group(0)


def _offer_from(
    client: TestClient, team: trust.Staff, valid_until: str, **changes: Any
) -> tuple[str, dict[str, Any], api.Party]:
    """An offer opened through the API by a recipient whose Privacy Mark ends ``valid_until``."""
    recipient = api.business(client, team.operator, "recipient")
    trust.certify(client, team.operator, recipient.id, valid_until=valid_until)
    offer_id, opened = trust.open_offer(client, team, recipient, **changes)
    return offer_id, opened, recipient


def _person_with_steps(client: TestClient, bank: Bank) -> str:
    email = web.sign_up(client, bank)
    web.post(client, "/records", "/records", category="lifelog.activity", field="steps", value="1")
    return email


def test_an_offer_the_rules_refuse_says_why_and_cannot_be_accepted(
    client: TestClient, bank: Bank, clock: FakeClock
) -> None:
    team = trust.staff(bank)
    email = _person_with_steps(client, bank)
    lapsing, opened, _ = _offer_from(client, team, "2026-12-31")  # the clock: 2026-11-26
    sound, _, _ = _offer_from(client, team, "2027-12-31", title="睡眠と歩数の研究")
    consented, _, _ = _offer_from(client, team, "2026-12-31", title="運動習慣の調査")
    assert opened["invited"] == 1
    assert web.post(client, f"/offers/{consented}/accept", "/offers").status_code == 303

    clock.advance(days=40)  # the Privacy Mark of the first has now lapsed
    web.log_in(client, email)
    page = client.get("/offers")
    card = _card(page.text, lapsing)
    reasons = re.findall(r'data-testid="held-back-reason" data-rule="([^"]+)">([^<]*)<', card)
    assert [rule for rule, _ in reasons] == ["recipient.certified"]
    assert "有効なプライバシーマークまたはISMS認証を保有していない" in reasons[0][1]
    assert "有効期間内に保有しておらず" not in card  # the rule's own message is not shown
    assert 'data-testid="accept-offer"' not in card
    assert 'data-testid="decline-offer"' in card
    warning = re.search(r'data-testid="cert-warning" data-state="expired">([^<]*)<', card)
    assert warning and "期限切れ" in warning.group(1) and "2026-12-31" in warning.group(1)
    other = _card(page.text, sound)
    assert 'data-testid="accept-offer"' in other and "held-back-reason" not in other
    assert 'data-testid="cert-warning"' not in other

    english = _card(client.get("/offers?lang=en").text, lapsing)
    assert "This company has no valid Privacy Mark or ISMS certificate" in english
    assert "Expired: this certificate ended on 2026-12-31." in english
    assert "The recipient holds no Privacy Mark" not in english
    client.get("/offers?lang=ja")

    refused = web.post(client, f"/offers/{lapsing}/accept", "/offers")
    assert refused.status_code == 403
    assert "情報銀行のルールにより、この操作はできません" in refused.text
    basis = re.search(r'data-testid="reason-basis" data-source="([a-z]+)">([^<]*)<', refused.text)
    assert basis and basis.group(1) == "guideline" and basis.group(2).startswith("認定指針 v2.0：")
    home = client.get("/")
    assert home.text.count('data-testid="provision-card"') == 1  # the refused one added none
    held = re.search(r'data-testid="waiting-held-back">([^<]*)<', home.text)
    assert held and "うち 1 件は現在同意できません" in held.group(1)
    # The consent given before the lapse is in force but provides nothing, and says why.
    provision = re.search(
        r'<article[^>]*data-testid="provision-card".*?</article>', home.text, re.S
    )
    assert provision and 'data-status="active"' in provision.group(0)
    assert 'data-rule="recipient.certified"' in provision.group(0)
    assert "提供は現在行われていません" in provision.group(0)

    declined = web.post(client, f"/offers/{lapsing}/decline", "/offers")
    assert declined.status_code == 303
    after = client.get("/offers").text
    assert lapsing in _section(after, "declined") and lapsing not in _section(after, "waiting")


def test_a_certificate_is_flagged_within_30_days_of_its_date_and_not_at_31(
    client: TestClient, bank: Bank, clock: FakeClock
) -> None:
    team = trust.staff(bank)
    _person_with_steps(client, bank)
    today = clock.now().date()
    last_day = (today + timedelta(days=30)).isoformat()
    near, _, _ = _offer_from(client, team, last_day)
    far, _, _ = _offer_from(client, team, (today + timedelta(days=31)).isoformat())

    page = client.get("/offers").text
    warning = re.search(
        r'data-testid="cert-warning" data-state="expiring">([^<]*)<', _card(page, near)
    )
    assert warning and "まもなく期限" in warning.group(1) and last_day in warning.group(1)
    assert 'data-testid="accept-offer"' in _card(page, near)  # still valid: a warning only
    assert 'data-testid="cert-warning"' not in _card(page, far)
    english = _card(client.get("/offers?lang=en").text, near)
    assert f"Expires soon: this certificate is valid only until {last_day}." in english


def test_a_health_offer_shows_its_mynaportal_origin_and_joint_application(
    client: TestClient, bank: Bank
) -> None:
    team = trust.staff(bank)
    patient = trust.person(client, ("health.checkup",))
    clinic = trust.recipient(client, team)
    registered = client.post(
        "/v1/admin/joint-applications",
        json={
            "recipient_id": clinic.id,
            "purposes": ["health.personal_advice"],
            "categories": ["health.checkup"],
            "approval_reference": "連名申請 第2026-0042号",
            "approved_on": "2026-10-01",
        },
        headers=team.operator.headers,
    )
    assert registered.status_code == 201, registered.text
    offer_id, _ = trust.open_offer(
        client,
        team,
        clinic,
        title="健診結果に基づく健康助言",
        purpose={
            "code": "health.personal_advice",
            "text": "健診結果から本人に健康助言を送る",
            "justification": "individual_benefit",
        },
        categories=["health.checkup"],
    )
    web.log_in(client, patient.email)

    card = _card(client.get("/offers").text, offer_id)
    origin = re.search(r'data-testid="mynaportal-origin">.*?</div>', card, re.S)
    assert origin, "the card does not say the data may come from Mynaportal"
    assert "マイナポータル（自己情報取得API）から取得したデータ" in origin.group(0)
    assert "連名申請の承認：連名申請 第2026-0042号（2026-10-01 承認）" in origin.group(0)
    english = _card(client.get("/offers?lang=en").text, offer_id)
    assert "Mynaportal self-information API" in english
    assert "Joint application approval: 連名申請 第2026-0042号 (approved on 2026-10-01)" in english


def test_answered_offers_leave_the_waiting_list_and_a_stopped_consent_says_so(
    client: TestClient, bank: Bank
) -> None:
    team = trust.staff(bank)
    _person_with_steps(client, bank)
    kept, _, _ = _offer_from(client, team, "2027-12-31", title="歩数に応じた保険料割引")
    stopped, _, _ = _offer_from(client, team, "2027-12-31", title="睡眠と歩数の研究")
    declined, _, _ = _offer_from(client, team, "2027-12-31", title="位置情報の研究")
    waiting, _, _ = _offer_from(client, team, "2027-12-31", title="運動習慣の調査")
    consents = {}
    for offer_id in (kept, stopped):
        accepted = web.post(client, f"/offers/{offer_id}/accept", "/offers")
        consents[offer_id] = accepted.headers["location"].split("?")[0]
    web.post(client, f"/offers/{declined}/decline", "/offers")
    web.post(client, f"{consents[stopped]}/revoke", consents[stopped])

    for lang, in_force, revoked in (
        ("ja", "同意中", "停止済み"),
        ("en", "Consent in force", "Consent stopped"),
    ):
        page = client.get(f"/offers?lang={lang}").text
        open_ids = re.findall(r'data-offer="([^"]+)"', _section(page, "waiting"))
        assert open_ids == [waiting]
        consented = _section(page, "accepted")
        assert set(re.findall(r'data-offer="([^"]+)"', consented)) == {kept, stopped}
        assert re.findall(r'data-offer="([^"]+)"', _section(page, "declined")) == [declined]
        for offer_id, label in ((kept, in_force), (stopped, revoked)):
            card = _card(consented, offer_id)
            assert f'href="{consents[offer_id]}"' in card
            assert (
                f'class="badge badge-{"active" if offer_id == kept else "revoked"}">{label}<'
                in card
            )
            assert "同意済み" not in card and "Accepted" not in card

        consent_page = client.get(f"{consents[stopped]}?lang={lang}").text
        assert f'class="badge badge-revoked">{revoked}<' in consent_page
        home = client.get(f"/?lang={lang}").text
        assert f'class="badge badge-revoked">{revoked}<' in home
        assert f'class="badge badge-active">{in_force}<' in home
    client.get("/?lang=ja")


def test_a_profiling_offer_names_what_it_infers_before_and_after_consent(
    client: TestClient, bank: Bank
) -> None:
    """Profiling that infers 要配慮個人情報 (guideline 2.2): the person is shown each inferred
    attribute, the sensitive one flagged, on the offer and again on the consent it leads to."""
    team = trust.staff(bank)
    _person_with_steps(client, bank)
    infers = {"infers": ["interests", "health.condition"]}
    profiling, _, _ = _offer_from(client, team, "2027-12-31", profiling=infers)
    card = _card(client.get("/offers").text, profiling)
    found = re.search(r'<ul class="plain" data-testid="profiling-infers">.*?</ul>', card, re.S)
    assert found
    assert re.findall(r'data-code="([^"]+)"', found.group(0)) == ["interests", "health.condition"]
    assert "健康状態・病気の可能性" in found.group(0)
    assert found.group(0).count('data-testid="infers-sensitive"') == 1
    assert "要配慮個人情報" in found.group(0) and 'data-testid="accept-offer"' in card

    accepted = web.post(client, f"/offers/{profiling}/accept", "/offers")
    consent_page = client.get(accepted.headers["location"].split("?")[0] + "?lang=en").text
    assert "Health condition, or the likelihood of an illness" in consent_page
    assert "Special care-required personal data" in consent_page
    client.get("/?lang=ja")


def test_the_operator_sees_how_many_an_opening_left_out_and_why(
    client: TestClient, bank: Bank
) -> None:
    team = trust.staff(bank)
    someone = trust.person(client)
    offer_id, opened, recipient = _offer_from(client, team, "2026-10-23")  # already lapsed
    assert opened["invited"] == 0 and opened["delegated"] == 0
    assert opened["not_invited"] == 1 and opened["held_back"] == ["certificate_expired"]
    assert api.items(client, "/v1/me/offers", someone.headers) == []

    shown = client.get(f"/v1/offers/{offer_id}", headers=recipient.headers).json()["opening"]
    assert shown["not_invited"] == 1 and shown["held_back"] == ["certificate_expired"]
    assert shown["invited"] == 0 and shown["total"] == 1 and shown["done"] is True

    operator = TestClient(client.app)
    web.log_in(operator, web.staff_member(bank, StaffRole.OPERATOR), staff=True)
    board = operator.get("/staff/offers").text
    left_out = re.search(r'data-testid="opening-not-invited">(.*?)</dd>', board, re.S)
    assert left_out and left_out.group(1).lstrip().startswith("1 人")
    assert 'data-code="certificate_expired"' in left_out.group(1)
    assert "提供先のプライバシーマークまたはISMS認証の有効期限が切れています。" in left_out.group(1)

    sound, _, _ = _offer_from(client, team, "2027-12-31")
    assert 'data-testid="opening-not-invited"' not in _board_card(operator, sound)


def _board_card(operator: TestClient, offer_id: str) -> str:
    board = operator.get("/staff/offers").text
    found = re.search(rf'<article[^>]*aria-labelledby="off-{offer_id}".*?</article>', board, re.S)
    assert found
    return found.group(0)
