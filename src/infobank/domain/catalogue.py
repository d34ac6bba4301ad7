"""The data catalogue (データ項目): which categories exist and how sensitive each is.

The catalogue itself is data (``infobank/data/catalogue.json``); this module only gives it a
shape and answers questions about it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Catalogue", "Category", "Sensitivity"]


class Sensitivity(StrEnum):
    """How a category may be provided (SPEC §3)."""

    GENERAL = "general"
    HEALTH_CHECKUP = "health_checkup"  # 健診等情報: v3.0 allows it under conditions
    SENSITIVE = "sensitive"  # other 要配慮個人情報: never provided


@dataclass(frozen=True, slots=True)
class Category:
    code: str
    name_ja: str
    name_en: str
    sensitivity: Sensitivity
    description_ja: str = ""
    description_en: str = ""


class Catalogue:
    """An immutable lookup over categories, keyed by code."""

    def __init__(self, categories: Iterable[Category]) -> None:
        self._by_code: dict[str, Category] = {}
        for category in categories:
            if category.code in self._by_code:
                raise ValueError(f"duplicate category code {category.code!r}")
            self._by_code[category.code] = category
        self._sensitivity = {code: c.sensitivity for code, c in self._by_code.items()}

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __iter__(self) -> Iterator[Category]:
        return iter(self._by_code.values())

    def __len__(self) -> int:
        return len(self._by_code)

    def get(self, code: str) -> Category | None:
        return self._by_code.get(code)

    def unknown(self, codes: Iterable[str]) -> list[str]:
        """The codes that are not in the catalogue, in the order given."""
        return [code for code in codes if code not in self._by_code]

    def sensitivity_map(self) -> Mapping[str, Sensitivity]:
        """Code → class, built once (policy decisions read it on every call)."""
        return self._sensitivity
