"""Where a rule comes from (SPEC §4 "sources must be honest"): its ``source`` and its basis
in words, Japanese and English.

An auditor reads these, so each basis says only what its source supports:

- ``guideline``: a change the guideline's own version history states (認定指針 v1.0 to
  v3.0); the basis gives the version and the change.
- ``certification``: the certification body's materials (the model contracts, the review
  checklist, the ethics board guide); the basis names which material.
- ``mynaportal``: the conditions for using the Mynaportal API through an intermediary
  (連名申請); the basis states that condition.
- ``policy``: this bank's own operating rule, the same at every version; the basis says
  "運営方針 / bank policy" and why.

No basis cites an item or clause number: none of the material in hand supports one. What the
guideline's version history states is gathered here, once (``V1_…`` to ``V3_…``), so that an
auditor checks every claim made in its name in one place; anything finer (which conditions,
which categories count as checkup-type data) is this bank's reading and is a ``policy`` basis,
written beside the rule that applies it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "V1_CERTIFIED",
    "V1_CONSENT",
    "V1_DELEGATION",
    "V1_ETHICS_BOARD",
    "V1_NO_ONWARD",
    "V1_NO_SENSITIVE",
    "V2_CERTIFIED_OR_EXCEPTED",
    "V2_EXCEPTION_TYPES",
    "V2_ONWARD_EXCEPTIONS",
    "V2_2_PROFILING",
    "V3_HEALTH",
    "Basis",
    "Source",
    "certification",
    "guideline",
    "mynaportal",
    "policy",
]


class Source(StrEnum):
    """Where a rule comes from; the four kinds of SPEC §4."""

    GUIDELINE = "guideline"  # 認定指針, as its version history states
    CERTIFICATION = "certification"  # 認定団体の資料 (model contracts, checklist, board guide)
    MYNAPORTAL = "mynaportal"  # マイナポータルAPIの利用条件 (連名申請)
    POLICY = "policy"  # 運営方針: this bank's own rule, the same at every version


@dataclass(frozen=True, slots=True)
class Basis:
    """A rule's (or one refusal's) source and its basis in words."""

    source: Source
    ja: str
    en: str


def guideline(version: str, change_ja: str, change_en: str) -> Basis:
    """A change the guideline's version history states, in its words, with its version."""
    return Basis(
        Source.GUIDELINE,
        f"認定指針 v{version}：{change_ja}",
        f"Certification guideline v{version}: {change_en}",
    )


def certification(material_ja: str, material_en: str) -> Basis:
    """One of the certification body's materials, by name."""
    return Basis(
        Source.CERTIFICATION,
        f"認定団体の資料：{material_ja}",
        f"The certification body's material: {material_en}",
    )


def mynaportal(condition_ja: str, condition_en: str) -> Basis:
    """A condition of using the Mynaportal API through an intermediary."""
    return Basis(
        Source.MYNAPORTAL,
        f"マイナポータルAPIを仲介者経由で利用する条件：{condition_ja}",
        f"A condition of using the Mynaportal API through an intermediary: {condition_en}",
    )


def policy(why_ja: str, why_en: str) -> Basis:
    """This bank's own operating rule, and why it has it."""
    return Basis(Source.POLICY, f"運営方針：{why_ja}", f"Bank policy: {why_en}")


# What the guideline's version history states, by version (SPEC §4). ------------------------

# v1.0, the first version: the base.
V1_CONSENT = guideline(
    "1.0",
    "本人の同意にもとづく提供（当初の版）",
    "provision on the person's consent (the first version)",
)
V1_DELEGATION = guideline(
    "1.0",
    "本人の指示の範囲内での委任（当初の版）",
    "delegation within the person's instructions (the first version)",
)
V1_CERTIFIED = guideline(
    "1.0",
    "プライバシーマークまたはISMS認証を有する提供先第三者（当初の版）",
    "recipients holding a Privacy Mark or ISMS certificate (the first version)",
)
V1_ETHICS_BOARD = guideline(
    "1.0", "データ倫理審査会（当初の版）", "the data ethics board (the first version)"
)
V1_NO_ONWARD = guideline(
    "1.0",
    "提供先第三者からの再提供の禁止（当初の版）",
    "no onward provision by recipients (the first version)",
)
V1_NO_SENSITIVE = guideline(
    "1.0",
    "要配慮個人情報は扱わない（当初の版）",
    "no special care-required personal data, 要配慮個人情報 (the first version)",
)
# v2.0. One passage of the material in hand dates the exception types to v2.1; this bank
# keeps v2.0, as the version history does (see the rules' README).
V2_ONWARD_EXCEPTIONS = guideline(
    "2.0",
    "提供先第三者からの再提供禁止の例外",
    "exceptions to the ban on onward provision by recipients",
)
V2_EXCEPTION_TYPES = guideline(
    "2.0",
    "第三者認証を有しない提供先のための例外類型",
    "exception types (例外類型) for recipients without third-party certification",
)
V2_CERTIFIED_OR_EXCEPTED = guideline(
    "2.0",
    "第三者認証を有しない提供先のための例外類型（当初の版からのプライバシーマークまたはISMS認証に"
    "加えて）",
    "exception types (例外類型) for recipients without third-party certification, beside "
    "the Privacy Mark or ISMS certificate of the first version",
)
# v2.2
V2_2_PROFILING = guideline(
    "2.2",
    "要配慮個人情報を含むプロファイリングの取扱い",
    "the handling of profiling that involves 要配慮個人情報",
)
# v3.0
V3_HEALTH = guideline(
    "3.0",
    "健康・医療分野の要配慮個人情報は、検診等情報に限り、条件付きで扱える",
    "health and medical 要配慮個人情報: checkup-type data (検診等情報) only, under conditions",
)
