"""Load the bank's data files (catalogue, inferences, purposes, terms, prefectures) shipped in
``infobank/data``."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from infobank.domain.catalogue import Catalogue, Category, Sensitivity
from infobank.domain.inferences import Inference, Inferences
from infobank.domain.policy import PurposeGuardrails
from infobank.domain.purposes import Purpose
from infobank.services.context import Terms

__all__ = ["load_catalogue", "load_inferences", "load_prefectures", "load_purposes", "load_terms"]


def _read(name: str) -> Any:
    return json.loads(resources.files("infobank.data").joinpath(name).read_text("utf-8"))


def load_catalogue() -> Catalogue:
    raw = _read("catalogue.json")
    return Catalogue(
        Category(
            code=item["code"],
            name_ja=item["name_ja"],
            name_en=item["name_en"],
            sensitivity=Sensitivity(item["sensitivity"]),
            description_ja=item.get("description_ja", ""),
            description_en=item.get("description_en", ""),
        )
        for item in raw["categories"]
    )


def load_inferences() -> Inferences:
    """What profiling may infer (推定属性), each general or sensitive (要配慮個人情報)."""
    return Inferences(
        Inference(
            code=item["code"],
            name_ja=item["name_ja"],
            name_en=item["name_en"],
            sensitivity=Sensitivity(item["sensitivity"]),
        )
        for item in _read("inferences.json")["inferences"]
    )


def load_terms() -> Terms:
    raw = _read("terms.json")
    return Terms(version=raw["version"], text_ja=raw["text_ja"], text_en=raw["text_en"])


def load_prefectures() -> dict[str, tuple[str, str]]:
    """JIS X 0401 code → (Japanese name, English name)."""
    return {
        p["code"]: (p["name_ja"], p["name_en"]) for p in _read("prefectures.json")["prefectures"]
    }


def load_purposes() -> dict[str, Purpose]:
    return {
        p["code"]: Purpose(
            code=p["code"],
            name_ja=p["name_ja"],
            name_en=p["name_en"],
            guardrails=PurposeGuardrails(
                code=p["code"],
                max_consent_days=p["max_consent_days"],
                max_data_range_days=p["max_data_range_days"],
                max_retention_days=p["max_retention_days"],
                allowed_fetch_modes=frozenset(p["allowed_fetch_modes"]),
            ),
        )
        for p in _read("purposes.json")["purposes"]
    }
