"""The demo story's script: the offers (オファー), what each recipient asks for and on which day
it is submitted, approved by the data ethics board and opened; the delegation rules (委任条件)
persons set; what persons ask the help desk (相談窓口) and what it answers; and the operator's
usage targets (計画)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from infobank.domain.offers import Offer, Target
from infobank.services.demo_population import LAB, MIRAI
from infobank.services.usage import MonthTargets

__all__ = ["ASKED", "OFFERS", "SLEEP_RULE", "TRAVEL", "WALKING_RULE", "Plan", "targets"]

TRAVEL = "ひかりトラベル"  # the recipient the story's incident is about

WALKING_RULE: dict[str, Any] = {
    "categories": ["lifelog.activity"],
    "purposes": ["insurance.product_design"],
    "industries": ["insurance"],
    "min_benefit_points": 200,
    "max_retention_days": 365,
}
SLEEP_RULE: dict[str, Any] = {
    "categories": ["lifelog.sleep"],
    "purposes": ["lifestyle.recommendations"],
    "min_benefit_points": 100,
    "max_retention_days": 180,
}


@dataclass(frozen=True, slots=True)
class Plan:
    """One offer and its days: ``submitted``, ``reviewed`` and ``opened`` count days before
    today; None leaves it where the story ends (under review, or approved and not open)."""

    recipient: str
    title: str
    purpose: str
    text: str
    categories: tuple[str, ...]
    points: int
    retention_days: int
    consent_days: int
    data_range_days: int
    submitted: int
    reviewed: int | None = None
    opened: int | None = None
    every_days: int | None = None  # periodic provision; one-time when None
    justification: str | None = None  # 明確な便益 or 公益性, for health categories
    conditions: tuple[str, ...] = ()

    def open_on(self, back: int) -> bool:
        return self.opened is not None and self.opened >= back

    def minutes(self) -> str:
        return (
            f"目的（{self.text}）、便益 {self.points} ポイント、保存期間 {self.retention_days} 日を"
            "確認した。データ項目は目的に照らして必要な範囲にとどまる。承認する。"
        )

    def draft(self, recipient_id: str, at: datetime) -> Offer:
        return Offer(
            id="",
            recipient_id=recipient_id,
            status="draft",
            title=self.title,
            purpose_code=self.purpose,
            purpose_text=self.text,
            justification=self.justification,
            categories=self.categories,
            benefit_points=self.points,
            retention_days=self.retention_days,
            consent_duration_days=self.consent_days,
            fetch_mode="periodic" if self.every_days else "one_time",
            fetch_every_days=self.every_days,
            data_range_days=self.data_range_days,
            profiling=False,
            reprovision_parties=(),
            target=Target(age_min=18, age_max=80),
            capacity=5000,
            created_at=at,
        )


OFFERS = {
    "walking": Plan(
        MIRAI,
        "ウォーキングで保険料が下がるプラン",
        "insurance.product_design",
        "歩数の記録から、よく歩く人ほど保険料が下がる商品を設計します。",
        ("lifelog.activity",),
        points=300,
        retention_days=365,
        consent_days=365,
        data_range_days=365,
        every_days=30,
        submitted=83,
        reviewed=81,
        opened=80,
    ),
    "sleep": Plan(
        LAB,
        "睡眠改善アドバイスプログラム",
        "lifestyle.recommendations",
        "睡眠時間の記録から、一人ひとりに合った睡眠改善の助言をお届けします。",
        ("lifelog.sleep",),
        points=150,
        retention_days=180,
        consent_days=180,
        data_range_days=90,
        submitted=58,
        reviewed=56,
        opened=55,
    ),
    "shopping": Plan(
        MIRAI,
        "お買い物の傾向に合わせた保険のご案内",
        "marketing.personalised_offers",
        "購買履歴から、暮らしに合った保険をご案内します。",
        ("purchase.history",),
        points=200,
        retention_days=180,
        consent_days=180,
        data_range_days=180,
        submitted=35,
        reviewed=33,
        opened=32,
    ),
    "travel": Plan(
        TRAVEL,
        "旅の好みに合わせたプランのご案内",
        "marketing.personalised_offers",
        "興味・関心の記録から、旅行プランをご提案します。",
        ("interests",),
        points=100,
        retention_days=90,
        consent_days=180,
        data_range_days=365,
        submitted=17,
        reviewed=15,
        opened=14,
    ),
    "health": Plan(  # opened today, once the second person has linked Mynaportal
        LAB,
        "健診結果にもとづく生活習慣アドバイス",
        "health.personal_advice",
        "特定健診の結果から、生活習慣の改善点をご本人に助言します。",
        ("health.checkup",),
        points=500,
        retention_days=365,
        consent_days=365,
        data_range_days=730,
        justification="individual_benefit",
        conditions=("助言はご本人にのみ届け、第三者に提供しないこと",),
        submitted=6,
        reviewed=3,
    ),
    "statistics": Plan(  # waits for the ethics board
        LAB,
        "生活リズムと睡眠の統計調査",
        "public.statistics",
        "睡眠と活動量の関係を統計にまとめて公表します（個人は特定しません）。",
        ("lifelog.sleep", "lifelog.activity"),
        points=50,
        retention_days=90,
        consent_days=180,
        data_range_days=180,
        submitted=1,
    ),
}

ASKED = [  # (category, subject, body, the desk's answer)
    ("question", "ポイントの使い方", "貯まったポイントはどこで使えますか。",
     "便益のページで残高と履歴をご覧いただけます。交換先は順次ご案内します。"),
    ("consent", "同意の取り消し", "一度同意した提供を止めるにはどうすればよいですか。",
     "ダッシュボードの各カードから、いつでも停止・取り消しができます。"),
    ("data", "歩数データの反映", "歩数アプリの記録が反映されるまでどのくらいかかりますか。",
     "歩数アプリからは毎週月曜日にまとめて送られます。"),
    ("other", "メールアドレスの変更", "登録したメールアドレスを変更したいです。",
     "本人確認のうえ変更いたします。このお問い合わせに新しいアドレスをお知らせください。"),
    ("complaint", "お知らせが多い", "オファーのお知らせが多くて困っています。",
     "委任条件を見直すと、銀行が代わりに判断する範囲を絞れます。"),
]  # fmt: skip


def targets(months: list[str], people: int) -> list[MonthTargets]:
    """The operator's plan for these months: growing towards the whole population, as a new
    service hopes to; consents, deliveries and requests in proportion."""
    plans = []
    for k, month in enumerate(months):
        users = round(people * (0.25 + 0.8 * (k + 1) / len(months)))
        plans.append(
            MonthTargets(
                month,
                {
                    "users": users,
                    "active_consents": round(users * 0.3),
                    "deliveries": round(users * 0.2),
                    "api_requests": 30 * (800 + users * 4),
                },
            )
        )
    return plans
