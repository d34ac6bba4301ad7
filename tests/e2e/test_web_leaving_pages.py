"""Leaving the bank from the account page over HTTP (no browser), in Japanese and English:
moving data to another bank at any time (情報銀行間連携) and importing it there after the
person confirms; the choice asked for when the bank closes (事業終了時の扱い); and words for
every kind of notification. On SQLite only: the use cases are tested on both databases
elsewhere (the move between two live servers in ``test_moving_banks``)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from infobank.adapters.bank_peer import HttpxBankPeer
from infobank.bootstrap import Bank, bootstrap
from infobank.entrypoints.api.app import create_app
from infobank.entrypoints.api.deps import bank_peer
from infobank.entrypoints.web.messages import LABELS
from infobank.services import termination
from infobank.services.ports.transfers import PeerError
from tests.fakes import FakeClock
from tests.support import api, db, web


def _bank(
    request: pytest.FixtureRequest, folder: Path, clock: FakeClock, url: str, peer: str
) -> Bank:
    """A bank at ``url`` that trusts ``peer`` (``@pytest.mark.settings`` may change that)."""
    folder.mkdir()
    marker = request.node.get_closest_marker("settings")
    settings = {"base_url": url, "peer_banks": [peer], **(marker.kwargs if marker else {})}
    template = request.getfixturevalue("sqlite_template")
    return bootstrap(db.sqlite_settings(template, folder, **settings), clock=clock)


@pytest.fixture
def bank(request: pytest.FixtureRequest, tmp_path: Path, clock: FakeClock) -> Iterator[Bank]:
    wired = _bank(request, tmp_path / "a", clock, "http://bank-a.test", "http://bank-b.test")
    try:
        yield wired
    finally:
        wired.close()


@pytest.fixture
def other_bank(request: pytest.FixtureRequest, tmp_path: Path, clock: FakeClock) -> Iterator[Bank]:
    wired = _bank(request, tmp_path / "b", clock, "http://bank-b.test", "http://bank-a.test")
    try:
        yield wired
    finally:
        wired.close()


def _ask(client: TestClient, key: str, target: str) -> str:
    page = client.get("/account", params={"confirm": key, "target_url": target})
    assert page.status_code == 200
    return page.text


# moving to another bank at any time ----------------------------------------------------------


def test_a_person_moves_their_data_to_another_bank_and_imports_it_there_after_confirming(
    client: TestClient, bank: Bank, other_bank: Bank
) -> None:
    there = TestClient(create_app(bank=other_bank))
    here = TestClient(client.app)
    client.app.dependency_overrides[bank_peer] = lambda: HttpxBankPeer(client=there)
    there.app.dependency_overrides[bank_peer] = lambda: HttpxBankPeer(client=here)
    email = web.sign_up(client, bank)
    web.post(client, "/records", "/records", category="interests", field="topic", value="登山")
    web.sign_up(there, other_bank, email=email)

    listed = client.get("/account").text
    assert '<option value="http://bank-b.test">' in listed
    asked = _ask(client, "transfer", "http://bank-b.test/")
    assert 'data-testid="transfer-data-target">http://bank-b.test<' in asked
    assert 'data-testid="transfer-data-confirm"' in asked
    sent = web.post(client, "/account/transfer", "/account", target_url="http://bank-b.test")
    assert sent.headers["location"] == "/account?msg=transfer_sent", sent.text
    assert "データを移行先の情報銀行へ送りました" in client.get(sent.headers["location"]).text
    assert "登山" in client.get("/records").text  # a copy went; nothing here is deleted

    told = there.get("/notifications").text
    assert "http://bank-a.test からあなたのデータ（1 件）が届きました" in told
    account = there.get("/account").text
    (held,) = re.findall(r'<li data-testid="incoming-transfer">.*?</li>', account, re.S)
    assert "あなたの確認待ち" in held and "登山" not in there.get("/records").text
    transfer_id = re.search(r'action="/account/transfers/([^/]+)/confirm"', held)
    assert transfer_id

    stranger = TestClient(there.app)
    web.sign_up(stranger, other_bank)
    path = f"/account/transfers/{transfer_id.group(1)}/confirm"
    assert web.post(stranger, path, "/account").status_code == 404
    imported = web.post(there, path, "/account")
    assert imported.headers["location"] == "/account?msg=transfer_imported"
    assert "登山" in there.get("/records").text
    english = there.get("/account?lang=en").text
    assert "Imported" in english and "Data sent here by another bank" in english
    twice = web.post(there, path, "/account")
    assert twice.status_code == 409 and "already been imported or has expired" in twice.text


class _Unreachable:
    def transfer_key(self, base_url: str) -> dict[str, Any]:
        raise PeerError(f"{base_url} could not be reached: ConnectError")

    def jwks(self, base_url: str) -> dict[str, Any]:
        raise PeerError(f"{base_url} could not be reached: ConnectError")

    def send_bundle(self, base_url: str, body: Mapping[str, Any]) -> dict[str, Any]:
        raise AssertionError("nothing is sent without the other bank's key")


def test_moving_to_an_unlisted_or_unreachable_bank_says_so_and_calls_no_one_else(
    client: TestClient, bank: Bank
) -> None:
    client.app.dependency_overrides[bank_peer] = _Unreachable
    web.sign_up(client, bank)
    for wrong in ("ftp://bank-b.test", "http://bank-a.test", "http://user:pw@bank-b.test"):
        asked = _ask(client, "transfer", wrong)
        assert 'data-testid="transfer-data-confirm"' not in asked, wrong
        assert "入力内容に誤りがあります。" in asked, wrong
    elsewhere = _ask(client, "transfer", "https://elsewhere.example")
    assert 'data-testid="transfer-data-confirm"' not in elsewhere
    assert "当行が挙げている情報銀行にだけデータを移せます" in elsewhere
    refused = web.post(
        client, "/account/transfer", "/account", target_url="https://elsewhere.example"
    )
    assert refused.status_code == 422
    failed = web.post(client, "/account/transfer", "/account", target_url="http://bank-b.test")
    assert failed.status_code == 409
    assert "移行先の情報銀行がデータを受け取れませんでした" in failed.text
    english = client.get("/account?lang=en&confirm=transfer&target_url=ftp://x.test").text
    assert "Some of the input is not acceptable" in english
    assert "Move my data to another bank" in english


@pytest.mark.settings(peer_banks=[])
def test_a_bank_with_no_peers_offers_no_move(client: TestClient, bank: Bank) -> None:
    web.sign_up(client, bank)
    page = client.get("/account").text
    assert 'data-testid="transfer-data-none"' in page and 'data-testid="transfer-data"' not in page
    assert "移せる他の情報銀行はまだありません" in page
    refused = web.post(client, "/account/transfer", "/account", target_url="http://bank-b.test")
    assert refused.status_code == 422


# the end of the business ------------------------------------------------------------------------


def test_a_closing_bank_asks_for_a_choice_and_confirms_the_irreversible_ones_on_the_page(
    client: TestClient, bank: Bank, clock: FakeClock
) -> None:
    person = api.sign_up(client)
    web.log_in(client, person.email)
    assert 'data-testid="bank-closing"' not in client.get("/account").text
    early = web.post(client, "/account/exit", "/account", choice="export")
    assert early.status_code == 409 and "当行は事業終了の予定がないため" in early.text

    termination.plan(bank.context, "operator", clock.now() + timedelta(days=30))
    notice = client.get("/notifications").text
    assert "当行は事業を終了します。2026-12-26 18:00 までに" in notice
    assert 'href="/account"' in notice
    page = client.get("/account").text
    assert 'data-testid="bank-closing"' in page and "2026-12-26 18:00 までに" in page
    assert 'data-testid="exit-choice"' not in page

    exported = web.post(client, "/account/exit", "/account", choice="export")
    assert exported.headers["location"] == "/account?msg=exit_export"
    chosen = re.search(r'data-testid="exit-choice">.*?</p>', client.get("/account").text, re.S)
    assert chosen and "あなたの選択： <strong>データのダウンロード</strong>" in chosen.group(0)

    asked = client.get("/account?confirm=exit-delete").text
    assert 'data-testid="exit-delete-confirm"' in asked
    deleted = web.post(client, "/account/exit", "/account", choice="delete")
    assert deleted.headers["location"] == "/account?msg=exit_delete"
    _, choice = termination.my_exit(bank.context, person.id)
    assert choice is not None and choice.choice == "delete"

    asked = _ask(client, "exit-transfer", "http://bank-b.test/")
    assert 'data-testid="exit-transfer-target">http://bank-b.test<' in asked
    assert 'data-testid="exit-transfer-confirm"' in asked
    moved = web.post(
        client, "/account/exit", "/account", choice="transfer", target_url="http://bank-b.test"
    )
    assert moved.headers["location"] == "/account?msg=exit_transfer"
    _, choice = termination.my_exit(bank.context, person.id)
    assert choice is not None and choice.target_url == "http://bank-b.test"
    unlisted = web.post(
        client, "/account/exit", "/account", choice="transfer", target_url="https://x.example"
    )
    assert unlisted.status_code == 422
    assert "当行が挙げている情報銀行にだけデータを移せます" in unlisted.text
    no_url = web.post(client, "/account/exit", "/account", choice="transfer")
    assert no_url.status_code == 422
    english = client.get("/account?lang=en").text
    assert "This bank is closing" in english and "Move my data to another bank" in english


# words for every notification ------------------------------------------------------------------

_WHEN = "2026-12-10T03:00:00Z"
_CONSENT = {"consent_id": "c-1", "title": "歩数に応じた割引", "recipient": "みらい保険"}
NOTIFICATIONS: dict[str, dict[str, Any]] = {
    "consent.receipt": {**_CONSENT},
    "consent.delegated": {**_CONSENT},
    "consent.started": {**_CONSENT, "start": _WHEN, "expiry": _WHEN},
    "consent.expiring": {**_CONSENT, "start": _WHEN, "expiry": _WHEN},
    "consent.expired": {**_CONSENT, "start": _WHEN, "expiry": _WHEN},
    "consent.reminder": {**_CONSENT, "start": _WHEN, "expiry": _WHEN},
    "consent.suspended": {"consent_id": "c-1", "recipient_id": "r-1"},
    "consent.reinstated": {"consent_id": "c-1", "recipient_id": "r-1"},
    "revocation.confirmed": {"consent_id": "c-1", "method": "deleted"},
    "inquiry.answered": {"inquiry_id": "i-1"},
    "inquiry.closed": {"inquiry_id": "i-1"},
    "mynaportal.linked": {"imported": 7},
    "mynaportal.renewal_needed": {"window_end": _WHEN},
    "terms.updated": {"version": "2027-01"},
    "incident.notice": {
        "incident_id": "x-1",
        "message_ja": "提供先で事案が発生しました。",
        "message_en": "An incident happened at a recipient.",
        "what_to_do_ja": "同意を取り消せます。",
        "what_to_do_en": "You can revoke the consent.",
    },
    "bank.terminating": {"deadline": _WHEN, "message_ja": "終了します", "message_en": "Closing"},
    "transfer.pending": {"transfer_id": "t-1", "issuer": "https://old-bank.example", "records": 4},
}


def test_every_kind_of_notification_is_worded_in_both_languages(
    client: TestClient, bank: Bank
) -> None:
    assert set(NOTIFICATIONS) == set(LABELS["notification"])
    person = api.sign_up(client)
    web.log_in(client, person.email)
    with bank.context.uow() as uow:
        for kind, params in NOTIFICATIONS.items():
            uow.notifications.add(person.id, kind, params, bank.context.clock.now())
        uow.commit()
    for lang, expected in (
        (
            "ja",
            [
                "「歩数に応じた割引」（みらい保険）への同意は 2026-12-10 に期限を迎えます",
                "お知らせ：「歩数に応じた割引」により、みらい保険 にあなたのデータを提供しています",
                "提供先で事案が発生しました。",
                "同意を取り消せます。",
                "2026-12-10 12:00 までに",
                "https://old-bank.example からあなたのデータ（4 件）が届きました",
                "相談窓口がお問い合わせを終了しました。",
            ],
        ),
        (
            "en",
            [
                "Your consent to “歩数に応じた割引” (みらい保険) ends on 2026-12-10.",
                "An incident happened at a recipient.",
                "You can revoke the consent.",
                "By 2026-12-10 12:00, choose",
                "https://old-bank.example sent your data here (4 records).",
                "The help desk closed your inquiry.",
            ],
        ),
    ):
        page = client.get(f"/notifications?lang={lang}").text
        for kind in NOTIFICATIONS:
            assert f'data-kind="{kind}"' in page, kind
            assert f"<p>{kind}</p>" not in page, (lang, kind)  # a code, not words
        for words in expected:
            assert words in page, (lang, words)
    assert "提供先で事案が発生しました。" not in page  # English page: the English message
