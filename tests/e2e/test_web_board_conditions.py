"""The staff console's side of the board's conditions: the review form sets each condition
(labels in Japanese first), the offer pages say what the approval holds to, when it ends, and
how the usage report (利用報告) stands, with the reports themselves; a renewal shows in the
queue."""

from __future__ import annotations

from fastapi.testclient import TestClient

from infobank.bootstrap import Bank
from infobank.domain.identity import StaffRole
from tests.fakes import FakeClock
from tests.support import trust, web

TOKYO = {"age_min": 20, "age_max": 70, "prefectures": ["13"]}


def _console(client: TestClient, bank: Bank, role: StaffRole) -> TestClient:
    member = TestClient(client.app)
    web.log_in(member, web.staff_member(bank, role), staff=True)
    return member


def test_the_board_sets_conditions_on_the_form_and_the_console_shows_them(
    client: TestClient, bank: Bank, clock: FakeClock
) -> None:
    offer_id, recipient = web.offer_under_review(client, bank, target=TOKYO)
    ethics = _console(client, bank, StaffRole.ETHICS)
    queue = ethics.get("/staff/reviews")
    for label in (
        "保存期間の上限（日）",
        "プロファイリングを認めない",
        "対象年齢の下限",
        "同意数の上限",
    ):
        assert label in queue.text
    assert 'data-testid="condition-report-after-days"' in queue.text

    wrong = web.post(
        ethics,
        f"/staff/offers/{offer_id}/review",
        "/staff/reviews",
        decision="approve",
        minutes="承認。",
        capacity_max="十",
        target_prefectures=["14"],
    )
    assert wrong.status_code == 422 and "条件を受け付けられません" in wrong.text
    assert (
        ">承認。</textarea>" in wrong.text and 'value="十"' in wrong.text
    )  # nothing typed is lost
    assert f'id="pref-{offer_id}-14" name="target_prefectures" value="14" checked' in wrong.text
    approved = web.post(
        ethics,
        f"/staff/offers/{offer_id}/review",
        "/staff/reviews",
        decision="approve",
        minutes="便益が明確。",
        max_retention_days="180",
        no_profiling="yes",
        target_age_min="20",
        target_age_max="70",
        target_prefectures=["13"],
        capacity_max="10",
        approval_valid_until="2027-01-31",
        report_after_days="30",
        notes="年 1 回の面談",
    )
    assert approved.status_code == 303, approved.text

    operator = _console(client, bank, StaffRole.OPERATOR)
    board = operator.get("/staff/offers").text
    for words in (
        "保存期間は最長 180 日",
        "プロファイリング禁止",
        "対象は 20〜70 歳の方のみ",
        "対象は 東京都 の方のみ",
        "同意は最大 10 件",
        "承認の有効期限：2027-01-31 まで",
        "承認から 30 日以内に利用報告",
        "年 1 回の面談",
    ):
        assert words in board, words
    assert 'data-state="due"' in board

    clock.advance(days=31)
    operator = _console(client, bank, StaffRole.OPERATOR)  # the earlier session has ended
    ethics = _console(client, bank, StaffRole.ETHICS)
    assert 'data-state="overdue"' in operator.get("/staff/offers").text
    filed = client.post(
        f"/v1/offers/{offer_id}/reports",
        json={"text": "設計にのみ利用しました。"},
        headers=trust.token(client, recipient.client_id, recipient.client_secret),
    )
    assert filed.status_code == 201, filed.text
    board = operator.get("/staff/offers").text
    assert 'data-state="filed"' in board and "設計にのみ利用しました。" in board
    reports = operator.get(f"/staff/offers/{offer_id}/reports")
    assert reports.status_code == 200 and "設計にのみ利用しました。" in reports.text
    assert operator.get("/staff/offers/nope/reports").status_code == 404

    renewal = client.post(
        f"/v1/offers/{offer_id}/submit",
        headers=trust.token(client, recipient.client_id, recipient.client_secret),
    )
    assert renewal.status_code == 200, renewal.text
    assert "再審査の申請あり" in ethics.get("/staff/reviews").text
