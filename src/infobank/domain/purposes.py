"""The purpose catalogue (利用目的): codes with names and guard-rails (SPEC §4
``purpose.guardrails``). The catalogue itself is data (``infobank/data/purposes.json``)."""

from __future__ import annotations

from dataclasses import dataclass

from infobank.domain.policy import PurposeGuardrails

__all__ = ["Purpose"]


@dataclass(frozen=True, slots=True)
class Purpose:
    code: str
    name_ja: str
    name_en: str
    guardrails: PurposeGuardrails
