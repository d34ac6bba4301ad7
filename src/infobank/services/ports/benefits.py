"""The port for benefits (便益): the double-entry points ledger."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

__all__ = ["Ledger"]


class Ledger(Protocol):
    def post(self, key: str, memo: str, legs: dict[str, int], at: datetime) -> bool: ...

    def balance(self, account: str) -> int: ...

    def entries(self, account: str) -> list[dict[str, Any]]: ...
