"""Mynaportal linkage (マイナポータル連携) and the data intermediary's governance (データ仲介者).

A person links the bank to the Mynaportal self-information API with their My Number card; the
card's signed assertion verifies their identity (本人確認), and one consent lets the bank fetch
for 90 days (期間連携). Data from Mynaportal goes only to the recipients and purposes of an
approved joint application (連名申請).

    pending ──callback──► active ──90 days──► expired        (failed: card or exchange refused)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from infobank.domain.policy.facts import JointApplicationEntry

__all__ = [
    "FAILURES",
    "LINK_REQUEST_TTL",
    "MYNAPORTAL_CATEGORIES",
    "WINDOW",
    "IdentityVerification",
    "JointApplication",
    "LinkStatus",
    "MynaportalLink",
    "failure_text",
]

WINDOW = timedelta(days=90)  # 期間連携: one consent at Mynaportal allows fetching this long
LINK_REQUEST_TTL = timedelta(minutes=15)  # a started link must come back within this

# The catalogue categories Mynaportal data is imported into.
MYNAPORTAL_CATEGORIES = frozenset(
    {"health.medication", "health.checkup", "health.medical_expenses"}
)


class LinkStatus(StrEnum):
    PENDING = "pending"  # the person was sent to Mynaportal; waiting for the callback
    VERIFYING = "verifying"  # the callback arrived; exchanging the code, checking the card
    ACTIVE = "active"  # identity verified; the bank may fetch until window_end
    FAILED = "failed"  # refused: failure_code says why; nothing was imported
    EXPIRED = "expired"  # the 90-day window ended; the person must link again
    SUPERSEDED = "superseded"  # a newer link replaced it


# Why a link failed, for the person (Japanese first) and the API (English).
FAILURES: dict[str, tuple[str, str]] = {
    "pin_incorrect": (
        "マイナンバーカードの暗証番号が正しくありません。もう一度連携をやり直してください。",
        "The My Number card PIN was wrong. Please start the link again.",
    ),
    "authorization_denied": (
        "マイナポータルで連携が許可されませんでした。",
        "Mynaportal did not authorise the link.",
    ),
    "certificate_untrusted": (
        "電子証明書が、信頼する地方公共団体情報システム機構（J-LIS）の認証局から発行されたもの"
        "ではありません。",
        "The card's certificate was not issued by the trusted J-LIS certificate authority.",
    ),
    "certificate_expired": (
        "マイナンバーカードの電子証明書の有効期限が切れています。市区町村の窓口で更新してください。",
        "The card's certificate has expired. Renew it at your municipal office.",
    ),
    "certificate_not_yet_valid": (
        "マイナンバーカードの電子証明書はまだ有効期間が始まっていません。",
        "The card's certificate is not valid yet.",
    ),
    "certificate_revoked": (
        "マイナンバーカードの電子証明書は失効しています（失効リストに記載）。",
        "The card's certificate has been revoked (it is on the revocation list).",
    ),
    "certificate_malformed": (
        "マイナンバーカードの電子証明書を読み取れませんでした。",
        "The card's certificate could not be read.",
    ),
    "revocation_unknown": (
        "電子証明書の失効状況を確認できなかったため、本人確認を完了できませんでした。"
        "しばらくしてからやり直してください。",
        "The certificate's revocation status could not be checked, so identity was not "
        "verified. Please try again later.",
    ),
    "signature_invalid": (
        "マイナンバーカードによる署名を検証できませんでした。",
        "The card's signature over the bank's challenge did not verify.",
    ),
    "nonce_mismatch": (
        "カードが署名した内容が、この連携の要求と一致しません。",
        "The card signed a challenge other than this link's.",
    ),
    "trust_root_missing": (
        "J-LIS のルート証明書が設定されていないため、本人確認ができません（運営者の設定不備）。",
        "No J-LIS root certificate is configured, so identity cannot be verified "
        "(an operator set-up gap).",
    ),
    "link_started_elsewhere": (
        "この連携は別のアカウントから始められました。ご自身のアカウントでログインし、"
        "最初からやり直してください。",
        "This link was started from another account. Log in to your own account and start again.",
    ),
    "card_linked_elsewhere": (
        "このマイナンバーカードは、別の利用者の本人確認に使われています。",
        "This My Number card already verified another account.",
    ),
    "token_exchange_failed": (
        "マイナポータルとの認可コードの交換に失敗しました。もう一度やり直してください。",
        "Exchanging the authorisation code with Mynaportal failed. Please try again.",
    ),
    "link_request_expired": (
        "連携の手続きの有効時間（15分）が過ぎました。最初からやり直してください。",
        "The link request expired (15 minutes). Please start again.",
    ),
    "link_request_used": (
        "この連携の手続きは既に完了しているか、使用済みです。",
        "This link request was already completed or used.",
    ),
    "unknown_request": (
        "連携の手続きが見つかりません。最初からやり直してください。",
        "No such link request. Please start again.",
    ),
}


def failure_text(code: str) -> tuple[str, str]:
    return FAILURES.get(code, ("本人確認に失敗しました。", "Identity verification failed."))


@dataclass(frozen=True, slots=True)
class MynaportalLink:
    """One linkage attempt and, once active, the 90-day window it opened."""

    id: str
    person_id: str
    state_lookup: str  # hash of the OAuth ``state``: the callback finds the link by it
    nonce: str  # the challenge the card must sign
    verifier_enc: bytes  # PKCE code_verifier, sealed under the person's data key
    status: str  # LinkStatus
    created_at: datetime
    failure_code: str | None = None
    token_enc: bytes | None = None  # Mynaportal access token, sealed under the person's key
    window_start: datetime | None = None
    window_end: datetime | None = None
    last_fetched_at: datetime | None = None
    renewal_notified_at: datetime | None = None
    completed_at: datetime | None = None

    def open_at(self, at: datetime) -> bool:
        """May the bank fetch with this link at ``at``?"""
        return (
            self.status == LinkStatus.ACTIVE
            and self.window_end is not None
            and at < self.window_end
        )


@dataclass(frozen=True, slots=True)
class IdentityVerification:
    """本人確認 by the My Number card's user-authentication certificate."""

    person_id: str
    method: str  # "mynumber_card"
    verified_at: datetime
    certificate_serial: str  # hex
    certificate_issuer: str
    certificate_not_after: datetime
    card_lookup: str  # keyed hash of issuer and serial: one card verifies one account


@dataclass(frozen=True, slots=True)
class JointApplication:
    """One approved joint application (連名申請): this recipient may receive these categories of
    Mynaportal-derived data for these purposes, under the approval named by the reference."""

    id: str
    recipient_id: str
    purposes: tuple[str, ...]
    categories: tuple[str, ...]
    approval_reference: str
    approved_on: date
    created_by: str
    created_at: datetime
    withdrawn_at: datetime | None = None
    withdrawn_by: str | None = None

    def entries(self) -> tuple[JointApplicationEntry, ...]:
        """The policy engine's view: one entry per purpose."""
        categories = frozenset(self.categories)
        return tuple(
            JointApplicationEntry(
                purpose_code=purpose,
                categories=categories,
                approved=True,
                withdrawn=self.withdrawn_at is not None,
            )
            for purpose in self.purposes
        )

    def covers(self, purpose: str, categories: frozenset[str]) -> bool:
        return (
            self.withdrawn_at is None
            and purpose in self.purposes
            and categories <= frozenset(self.categories)
        )
