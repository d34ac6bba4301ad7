"""The criteria of the evidence pack (``services/compliance.py``): what each looks for, the
rules that enforce it and where they come from, and what counts as evidence behind it.

Each criterion cites its sources as the rules do (SPEC §4): the rules in force at the report's
guideline version that enforce it, each with its source and basis; a criterion that no rule
enforces (security, the help desk, incidents, termination) is this bank's own operating
commitment and says so (``policy``), never a clause of a document not in hand.

A criterion with nothing behind it yet (no consent signed, no recipient registered, no
inquiry asked) is ``no_evidence``, not ``ok``: an empty bank proves nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from infobank.domain.policy import Basis, rule_pack
from infobank.domain.policy.sources import policy

__all__ = ["CRITERIA", "Criterion", "cites"]

Evidence = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Criterion:
    key: str
    title_ja: str
    title_en: str
    requirement: str  # what the criterion looks for, in this bank's words
    shown_by: Callable[[Evidence], bool]  # True once the evidence holds something
    rules: tuple[str, ...] = ()  # the rules that enforce it, cited with their sources
    basis: Basis | None = None  # for a criterion no rule enforces: this bank's commitment


def _any(*keys: str) -> Callable[[Evidence], bool]:
    """Evidence is there once any of these counts (or tallies by status) is not empty."""
    return lambda evidence: any(bool(evidence.get(key)) for key in keys)


CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "consent",
        "同意の取得と記録",
        "Consent",
        "provide only under a consent the person gave (or delegated within their conditions), "
        "recorded and signed",
        _any("signed_artefacts"),
        rules=(
            "consent.scope",
            "consent.window",
            "consent.status",
            "delegation.scope",
            "terms.current",
            "profiling.disclosed",
        ),
    ),
    Criterion(
        "controllability",
        "個人のコントローラビリティ",
        "Controllability",
        "the person sees where their data is and can stop provision at any time; recipients "
        "confirm deletion",
        _any("revocations", "paused_consents", "persons_with_delegation_rules", "accounts_erased"),
        rules=("consent.status",),
    ),
    Criterion(
        "recipient_vetting",
        "提供先第三者の選定と監督",
        "Recipient vetting",
        "provide only to recipients with a valid Privacy Mark or ISMS (or an approved exception), "
        "and suspend those with problems",
        _any("recipients"),
        rules=(
            "recipient.certified",
            "recipient.exception",
            "recipient.standing",
            "mynaportal.joint_application",
        ),
    ),
    Criterion(
        "ethics_board",
        "データ倫理審査会",
        "Data ethics board",
        "every offer reviewed, with minutes, before it opens",
        _any("reviews_by_decision"),
        rules=("offer.reviewed", "health.conditions"),
    ),
    Criterion(
        "security",
        "情報セキュリティ・透明性",
        "Security and transparency",
        "data encrypted at rest under per-person keys; every event in a tamper-evident log",
        _any("records_encrypted_at_rest", "log_size"),
        basis=policy(
            "預託データは本人ごとの鍵で暗号化して保管し、すべての出来事を改ざんを検知できる"
            "ログに残す（鍵の消去でデータを消せるように、また記録を後から確かめられるように）",
            "entrusted data is encrypted at rest under a key per person, and every event goes "
            "into a tamper-evident log (so that erasing a key erases the data, and the record "
            "can be checked later)",
        ),
    ),
    Criterion(
        "help_desk",
        "相談窓口",
        "Help desk",
        "persons' inquiries and complaints answered within the target",
        _any("inquiries_by_status"),
        basis=policy(
            "本人からの相談・苦情を受け付け、目標とする営業日数のうちに最初の回答をする"
            "（本人が問題を伝え、答えを得られるように）",
            "persons' inquiries and complaints are taken and first answered within the target "
            "number of business days (so that a person can raise a problem and get an answer)",
        ),
    ),
    Criterion(
        "incidents",
        "漏えい等事案への対応",
        "Incidents",
        "affected persons told; reports to the commission within the deadlines",
        _any("incidents_by_status"),
        basis=policy(
            "漏えい等事案が起きたときは、影響を受けた本人に知らせ、個人情報保護委員会への報告を"
            "期限のうちに行う（期限を見落とさないよう、期限を計算して示す）",
            "when an incident happens, the persons affected are told and the reports to the "
            "personal information protection commission are made within their deadlines "
            "(computed and shown so that none is missed)",
        ),
    ),
    Criterion(
        "termination",
        "事業終了時の扱い",
        "Termination",
        "a defined end: persons export, move or delete their data; recipients told",
        lambda evidence: (
            evidence.get("status") not in (None, "not_planned")
            or _any("exit_choices", "transfers_out", "transfers_in")(evidence)
        ),
        basis=policy(
            "事業を終えるときの手順を定め、本人がデータを持ち出し・他の情報銀行へ移し・削除"
            "できるようにし、提供先に知らせる（本人のデータが行き場を失わないように）",
            "a defined procedure for the end of the business: persons export their data, move "
            "it to another information bank or delete it, and recipients are told (so that no "
            "person's data is left stranded)",
        ),
    ),
)


def cites(criterion: Criterion, version: str) -> list[dict[str, str | None]]:
    """Where the criterion comes from at ``version``: each of its rules in force then, with
    its source and basis, or else this bank's own commitment."""
    pack = {rule.id: rule for rule in rule_pack(version)}
    found: list[dict[str, str | None]] = [
        {
            "rule": rule_id,
            "source": pack[rule_id].source.value,
            "basis_ja": pack[rule_id].basis.ja,
            "basis_en": pack[rule_id].basis.en,
        }
        for rule_id in criterion.rules
        if rule_id in pack
    ]
    if criterion.basis is not None:
        basis = criterion.basis
        found.append(
            {"rule": None, "source": basis.source.value, "basis_ja": basis.ja, "basis_en": basis.en}
        )
    return found
