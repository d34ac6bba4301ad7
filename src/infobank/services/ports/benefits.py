"""The port for benefits (便益): the double-entry points ledger."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from infobank.domain.pages import Page, PageRequest

__all__ = ["Ledger"]


class Ledger(Protocol):
    def post(self, key: str, memo: str, legs: dict[str, int], at: datetime) -> bool: ...

    def balance(self, account: str) -> int: ...

    def entries_page(self, account: str, request: PageRequest) -> Page[dict[str, Any]]: ...

    def entries(self, account: str) -> list[dict[str, Any]]: ...
