"""The pages over HTTP (no browser): each flow in Japanese and English, calling the same use
cases as the API (SPEC §7 Pages). On SQLite only: the use cases and repositories under them are
tested on both databases elsewhere (and the page security tests run on both)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from joserfc.jwk import ECKey

from infobank.bootstrap import Bank, bootstrap
from infobank.domain.identity import StaffRole
from infobank.services import terms
from infobank.services.worker import run_once
from tests.fakes import FakeClock, RecordingWebhooks
from tests.support import api, db, web

PERSON_PAGES = (
    "/",
    "/offers",
    "/records",
    "/mynaportal",
    "/delegation",
    "/benefits",
    "/notifications",
    "/inquiries",
    "/account",
)


@pytest.fixture
def bank(tmp_path: Path, clock: FakeClock, sqlite_template: Path) -> Iterator[Bank]:
    wired = bootstrap(db.sqlite_settings(sqlite_template, tmp_path), clock=clock)
    try:
        yield wired
    finally:
        wired.close()


def _lang(html: str) -> str:
    found = re.search(r'<html lang="(\w+)">', html)
    assert found
    return found.group(1)


def _card(html: str) -> str:
    found = re.search(r'<article[^>]*data-testid="provision-card".*?</article>', html, re.S)
    assert found, "no provision card"
    return found.group(0)


def test_logged_out_visitor_gets_a_japanese_landing_page_with_the_way_in(
    client: TestClient,
) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert _lang(page.text) == "ja"
    assert "あなたのデータを、あなたの手に" in page.text
    for link in ('href="/login"', 'href="/signup"', 'href="/staff/login"', 'href="/docs"'):
        assert link in page.text
    assert 'data-testid="lang-switch"' in page.text


def test_language_switch_gives_english_and_is_remembered_until_switched_back(
    client: TestClient,
) -> None:
    english = client.get("/login?lang=en")
    assert _lang(english.text) == "en" and "Log in" in english.text
    assert "ib_lang=en" in english.headers["set-cookie"]
    assert _lang(client.get("/signup").text) == "en"
    japanese = client.get("/signup?lang=ja")
    assert _lang(japanese.text) == "ja" and "新規登録" in japanese.text
    assert _lang(client.get("/login").text) == "ja"


def test_every_person_page_renders_in_both_languages(client: TestClient, bank: Bank) -> None:
    web.sign_up(client, bank)
    for lang, word in (("en", "Log out"), ("ja", "ログアウト")):
        for path in PERSON_PAGES:
            page = client.get(f"{path}?lang={lang}")
            assert page.status_code == 200, (path, page.text)
            assert _lang(page.text) == lang, path
            assert word in page.text, path


def test_sign_up_form_shows_the_terms_and_marks_what_is_wrong(
    client: TestClient, bank: Bank
) -> None:
    page = client.get("/signup")
    assert bank.context.terms.text_ja[:20] in page.text
    refused = client.post(
        "/signup",
        data={
            "csrf_token": web.csrf(page.text),
            "email": "not-an-email",
            "password": "short",
            "display_name": "花子",
            "birth_date": "1985-04-12",
            "prefecture": "13",
            "terms_version": bank.context.terms.version,
        },
    )
    assert refused.status_code == 422
    for field in ("email", "password", "agree"):
        assert f'aria-describedby="{field}-error"' in refused.text
    assert 'value="not-an-email"' in refused.text
    assert "ib_session" not in refused.headers.get("set-cookie", "")


def test_signing_up_twice_with_one_address_is_refused(client: TestClient, bank: Bank) -> None:
    email = web.sign_up(client, bank)
    other = TestClient(client.app)
    page = other.get("/signup")
    again = other.post(
        "/signup",
        data={
            "csrf_token": web.csrf(page.text),
            "email": email,
            "password": web.PASSWORD,
            "display_name": "花子",
            "birth_date": "1985-04-12",
            "gender": "female",
            "prefecture": "13",
            "terms_version": bank.context.terms.version,
            "agree": "yes",
        },
    )
    assert again.status_code == 409
    assert "このメールアドレスのアカウントはすでにあります" in again.text


def test_wrong_password_gets_the_login_form_again_with_one_message(
    client: TestClient, bank: Bank
) -> None:
    email = web.sign_up(client, bank)
    fresh = TestClient(client.app)
    page = fresh.get("/login?lang=en")
    for address in (email, "nobody@example.jp"):
        wrong = fresh.post(
            "/login",
            data={"csrf_token": web.csrf(page.text), "email": address, "password": "wrong-one!"},
        )
        assert wrong.status_code == 401
        assert "The email address or password is not correct." in wrong.text
    web.log_in(fresh, email)
    assert "Where my data is now" in fresh.get("/").text


def test_a_record_added_through_the_form_is_listed_with_its_provenance(
    client: TestClient, bank: Bank
) -> None:
    web.sign_up(client, bank)
    added = web.post(
        client,
        "/records",
        "/records",
        category="lifelog.activity",
        field="steps",
        value="9001",
        observed_on="2026-11-20",
    )
    assert added.status_code == 303 and added.headers["location"] == "/records?msg=record_added"
    page = client.get("/records?msg=record_added")
    assert "データを追加しました" in page.text
    assert "活動量（歩数など）" in page.text and "9,001歩" in page.text
    assert "あなたが入力" in page.text and "2026-11-20" in page.text
    record_id = re.search(r'href="/records/([0-9a-f-]{36})"', page.text)
    assert record_id
    detail = client.get(f"/records/{record_id.group(1)}?lang=en")
    assert detail.status_code == 200 and "Entered by you" in detail.text
    assert "9,001 steps" in detail.text and "Kept for yourself" in detail.text
    assert "2026-11-20" in detail.text
    missing = web.post(client, "/records", "/records", category="lifelog.activity", value="")
    assert missing.status_code == 422


def test_person_accepts_an_offer_and_controls_the_provision_from_the_pages(
    client: TestClient, bank: Bank
) -> None:
    web.sign_up(client, bank)
    web.post(client, "/records", "/records", category="lifelog.activity", field="steps", value="1")
    offer_id, recipient = web.open_offer(client, bank)
    inbox = client.get("/offers")
    for disclosed in (
        "歩数に応じた保険料割引",
        "プライバシーマーク",
        "保険商品の設計・改善",
        "300 ポイント",
        "最長 180 日",
        "なし：提供先はあなたのデータを第三者に渡せません。",
    ):
        assert disclosed in inbox.text, disclosed
    assert 'data-testid="accept-offer"' in inbox.text
    accepted = web.post(client, f"/offers/{offer_id}/accept", "/offers")
    assert accepted.status_code == 303
    consent_page = accepted.headers["location"]
    consent_id = consent_page.split("/")[2].split("?")[0]
    page = client.get(consent_page)
    assert "同意しました" in page.text and consent_id in page.text
    assert 'data-testid="pause-consent"' in page.text

    artefact = client.get(f"/consents/{consent_id}/artefact")
    assert artefact.headers["content-disposition"].startswith("attachment")
    assert artefact.text.count(".") == 2  # a JWS in compact serialisation
    receipt = json.loads(client.get(f"/consents/{consent_id}/receipt").text)
    assert receipt["record_id"] == consent_id

    assert _card(client.get("/").text).count('data-status="active"') == 1
    web.post(client, f"/consents/{consent_id}/pause", f"/consents/{consent_id}")
    assert 'data-status="paused"' in _card(client.get("/").text)
    web.post(client, f"/consents/{consent_id}/resume", f"/consents/{consent_id}")

    asking = client.get(f"/consents/{consent_id}?confirm=revoke")
    assert 'data-testid="revoke-consent-confirm"' in asking.text
    revoked = web.post(client, f"/consents/{consent_id}/revoke", f"/consents/{consent_id}")
    assert revoked.headers["location"].endswith("msg=consent_revoked")
    card = _card(client.get("/").text)
    assert 'data-status="revoked"' in card and "停止済み" in card
    assert "提供先の確認待ち" in card
    api_view = client.get(f"/v1/me/consents/{consent_id}", headers=recipient.headers)
    assert api_view.status_code == 403  # a recipient's token is no person's


def test_stop_everything_asks_on_the_page_then_stops_every_consent(
    client: TestClient, bank: Bank
) -> None:
    web.sign_up(client, bank)
    web.post(client, "/records", "/records", category="lifelog.activity", value="1")
    first, _ = web.open_offer(client, bank)
    second, _ = web.open_offer(client, bank, title="睡眠と歩数の研究")
    for offer_id in (first, second):
        assert web.post(client, f"/offers/{offer_id}/accept", "/offers").status_code == 303
    home = client.get("/")
    assert 'data-testid="stop-all"' in home.text
    assert 'data-testid="stop-all-confirm"' not in home.text
    asking = client.get("/?confirm=stop-all")
    assert 'data-testid="stop-all-confirm"' in asking.text
    stopped = web.post(client, "/stop-all", "/")
    assert stopped.headers["location"] == "/?msg=stopped_all"
    after = client.get("/?msg=stopped_all")
    assert "すべての提供を停止しました" in after.text
    assert after.text.count('data-status="revoked"') == 2
    assert 'data-testid="stop-all"' not in after.text


def test_benefits_and_deliveries_show_once_the_recipient_acknowledges(
    client: TestClient, bank: Bank
) -> None:
    web.sign_up(client, bank)
    web.post(client, "/records", "/records", category="lifelog.activity", value="1")
    offer_id, recipient = web.open_offer(client, bank)
    key = ECKey.generate_key("P-256", private=True, auto_kid=True)
    client.put(
        "/v1/recipient/keys", json={"jwk": key.as_dict(private=False)}, headers=recipient.headers
    )
    web.post(client, f"/offers/{offer_id}/accept", "/offers")
    assert run_once(bank.context, RecordingWebhooks())["built"] == 1
    delivery = api.items(client, "/v1/deliveries", recipient.headers)[0]
    client.get(f"/v1/deliveries/{delivery['id']}", headers=recipient.headers)
    client.post(f"/v1/deliveries/{delivery['id']}/ack", headers=recipient.headers)

    benefits = client.get("/benefits")
    assert re.search(r'data-testid="benefit-balance">300<', benefits.text)
    assert "+300" in benefits.text
    card = _card(client.get("/?lang=en").text)
    assert "Not yet" not in card and "<dd>1</dd>" in card

    web.post(client, "/stop-all", "/")
    notice = api.items(client, "/v1/revocations", recipient.headers)[0]
    client.post(
        f"/v1/revocations/{notice['id']}/ack", json={"method": "deleted"}, headers=recipient.headers
    )
    assert "に確認済み（削除）" in _card(client.get("/?lang=ja").text)
    notes = client.get("/notifications").text
    assert "「歩数に応じた保険料割引」に同意しました" in notes
    assert "提供先が、あなたのデータを削除したことを確認しました" in notes


def test_delegation_rules_are_edited_and_restated_in_plain_language(
    client: TestClient, bank: Bank
) -> None:
    web.sign_up(client, bank)
    added = web.post(
        client,
        "/delegation/rules",
        "/delegation",
        categories=["lifelog.activity", "lifelog.sleep"],
        purposes="insurance.product_design",
        industries=["insurance", "research"],
        min_benefit_points="100",
        max_retention_days="180",
    )
    assert added.status_code == 303, added.text
    page = client.get("/delegation")
    for plain in (
        "求めるデータが次の範囲だけ：活動量（歩数など）、睡眠",
        "利用目的が次のいずれか：保険商品の設計・改善",
        "提供先の業種が次のいずれか：保険、研究機関",
        "あなたへの便益が 100 ポイント以上",
        "提供先での保存期間が 180 日以内",
        "プロファイリングを行わない",
    ):
        assert plain in page.text, plain
    english = client.get("/delegation?lang=en").text
    assert "it gives you at least 100 points" in english
    assert page.text.count('data-testid="delegation-rule"') == 1
    removed = web.post(client, "/delegation/rules/0/delete", "/delegation")
    assert removed.status_code == 303
    assert 'data-testid="delegation-rule"' not in client.get("/delegation").text


def test_delegating_health_data_is_refused_with_the_reason(client: TestClient, bank: Bank) -> None:
    web.sign_up(client, bank)
    refused = web.post(client, "/delegation/rules", "/delegation", categories="health.checkup")
    assert refused.status_code == 422
    assert "委任できるのは一般データだけです" in refused.text


def test_inquiry_goes_from_question_to_answer_to_closed(client: TestClient, bank: Bank) -> None:
    web.sign_up(client, bank)
    sent = web.post(
        client,
        "/inquiries",
        "/inquiries",
        category="consent",
        subject="同意の取り消しについて",
        body="提供を止めたあと、データはいつ消えますか？",
    )
    assert sent.status_code == 303
    inquiry_page = sent.headers["location"].split("?")[0]
    assert "回答待ち" in client.get(inquiry_page).text
    listed = client.get("/inquiries").text
    assert "回答待ち" in listed and "公開中" not in listed

    desk = TestClient(client.app)
    web.log_in(desk, web.staff_member(bank, StaffRole.SUPPORT), staff=True)
    queue = desk.get("/staff/inquiries")
    assert "同意の取り消しについて" in queue.text
    inquiry_id = inquiry_page.rsplit("/", 1)[1]
    answered = web.post(
        desk,
        f"/staff/inquiries/{inquiry_id}/answer",
        "/staff/inquiries",
        body="通知から 30 日以内に削除の確認が届きます。",
    )
    assert answered.status_code == 303

    page = client.get(inquiry_page)
    assert "通知から 30 日以内に削除の確認が届きます。" in page.text and "回答済み" in page.text
    assert "相談窓口からご相談への回答がありました" in client.get("/notifications").text
    closed = web.post(client, f"{inquiry_page}/close", inquiry_page)
    assert closed.status_code == 303
    assert "終了" in client.get(inquiry_page).text
    assert "同意の取り消しについて" not in desk.get("/staff/inquiries").text
    assert "同意の取り消しについて" in desk.get("/staff/inquiries?show=all").text


def test_account_page_exports_everything_and_deletes_after_asking(
    client: TestClient, bank: Bank
) -> None:
    email = web.sign_up(client, bank)
    web.post(client, "/records", "/records", category="interests", field="topic", value="旅行")
    account = client.get("/account")
    assert email in account.text and "東京都" in account.text
    export = client.get("/account/export")
    assert export.headers["content-disposition"].startswith("attachment")
    held = json.loads(export.text)
    assert held["profile"]["email"] == email
    assert held["records"][0]["data"] == {"topic": "旅行"}

    assert 'data-testid="delete-account-confirm"' in client.get("/account?confirm=delete").text
    deleted = web.post(client, "/account/delete", "/account")
    assert deleted.headers["location"] == "/?msg=account_deleted"
    assert "ib_session=" in deleted.headers["set-cookie"]
    assert "アカウントを削除し、データを消去しました" in client.get("/?msg=account_deleted").text
    assert client.get("/records", follow_redirects=False).status_code == 303
    fresh = TestClient(client.app)
    page = fresh.get("/login")
    again = fresh.post(
        "/login",
        data={"csrf_token": web.csrf(page.text), "email": email, "password": web.PASSWORD},
    )
    assert again.status_code == 401
    token = api.bearer("ignored")
    assert client.get("/v1/me", headers=token).status_code == 401


def test_ethics_board_decides_and_operator_opens_from_the_console(
    client: TestClient, bank: Bank
) -> None:
    person = web.sign_up(client, bank)
    web.post(client, "/records", "/records", category="lifelog.activity", value="1")
    offer_id, _ = web.offer_under_review(client, bank)

    ethics = TestClient(client.app)
    web.log_in(ethics, web.staff_member(bank, StaffRole.ETHICS), staff=True)
    queue = ethics.get("/staff/reviews")
    assert "歩数に応じた保険料割引" in queue.text and 'data-testid="review-approve"' in queue.text
    no_minutes = web.post(
        ethics, f"/staff/offers/{offer_id}/review", "/staff/reviews", decision="approve"
    )
    assert no_minutes.status_code == 422 and "決定には議事録が必要です" in no_minutes.text
    approved = web.post(
        ethics,
        f"/staff/offers/{offer_id}/review",
        "/staff/reviews",
        decision="approve",
        minutes="便益が明確。",
        conditions="年 1 回の報告\n目的外利用の禁止",
    )
    assert approved.status_code == 303
    assert "歩数に応じた保険料割引" not in ethics.get("/staff/reviews").text
    refused = web.post(ethics, f"/staff/offers/{offer_id}/open", "/staff/reviews")
    assert refused.status_code == 403

    operator = TestClient(client.app)
    web.log_in(operator, web.staff_member(bank, StaffRole.OPERATOR), staff=True)
    board = operator.get("/staff/offers")
    assert 'data-testid="open-offer"' in board.text and "年 1 回の報告" in board.text
    opened = web.post(operator, f"/staff/offers/{offer_id}/open", "/staff/offers")
    assert opened.status_code == 303
    assert "受信箱への送付：1 人" in operator.get(opened.headers["location"]).text
    assert "歩数に応じた保険料割引" in client.get("/offers").text
    assert person

    asking = operator.get(f"/staff/offers?confirm=close-{offer_id}")
    assert 'data-testid="close-offer-confirm"' in asking.text
    web.post(operator, f"/staff/offers/{offer_id}/close", "/staff/offers")
    assert 'data-testid="open-offer"' not in operator.get("/staff/offers").text


def test_operator_vets_recipients_with_expiry_warnings_and_suspension(
    client: TestClient, bank: Bank
) -> None:
    operator = TestClient(client.app)
    web.log_in(operator, web.staff_member(bank, StaffRole.OPERATOR), staff=True)
    recipient = api.business(client, api.staff(bank), "recipient", name="ヘルスケア研究所")
    recorded = web.post(
        operator,
        f"/staff/recipients/{recipient.id}/certifications",
        "/staff/recipients",
        kind="isms",
        number="IS 12345",
        valid_from="2025-01-01",
        valid_until="2026-12-31",  # the test clock stands at 2026-11-26
    )
    assert recorded.status_code == 303, recorded.text
    page = operator.get("/staff/recipients")
    assert "IS 12345" in page.text and "まもなく期限切れ" in page.text
    bad = web.post(
        operator,
        f"/staff/recipients/{recipient.id}/certifications",
        "/staff/recipients",
        kind="isms",
        number="X",
        valid_from="2026-12-31",
        valid_until="not a date",
    )
    assert bad.status_code == 422

    asking = operator.get(f"/staff/recipients?confirm=suspend-{recipient.id}")
    assert 'data-testid="suspend-recipient-confirm"' in asking.text
    web.post(operator, f"/staff/recipients/{recipient.id}/suspend", "/staff/recipients")
    assert "取引停止中" in operator.get("/staff/recipients").text
    web.post(operator, f"/staff/recipients/{recipient.id}/reinstate", "/staff/recipients")
    assert "取引停止中" not in operator.get("/staff/recipients").text


def test_new_terms_are_shown_on_the_account_page_until_the_person_agrees(
    client: TestClient, bank: Bank
) -> None:
    web.sign_up(client, bank)
    assert 'data-testid="agree-terms"' not in client.get("/account").text
    terms.publish(bank.context, "operator", "2027-01", "改定した利用規約です。", "Revised terms.")
    assert "利用規約が改定されました（第 2027-01 版）" in client.get("/notifications").text
    page = client.get("/account")
    assert "改定した利用規約です。" in page.text and 'data-testid="agree-terms"' in page.text
    agreed = web.post(client, "/account/terms", "/account", version="2027-01")
    assert agreed.headers["location"] == "/account?msg=terms_agreed"
    assert 'data-testid="agree-terms"' not in client.get("/account").text
    assert "改定した利用規約です。" in TestClient(client.app).get("/signup").text
