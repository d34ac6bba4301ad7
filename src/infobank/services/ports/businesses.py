"""The port for businesses: recipients (提供先第三者) and sources (情報提供元), their
certifications (Pマーク / ISMS) and suspension."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from infobank.domain.identity import (
    Business,
    Certification,
    PrincipalKind,
)
from infobank.domain.pages import Page, PageRequest

__all__ = ["Businesses"]


class Businesses(Protocol):
    def add(self, business: Business) -> None: ...

    def get(self, kind: PrincipalKind, business_id: str) -> Business | None: ...

    def by_client_id(self, client_id: str) -> Business | None: ...

    def list(self, kind: PrincipalKind) -> Sequence[Business]: ...

    def page(self, kind: PrincipalKind, request: PageRequest) -> Page[Business]: ...

    def add_certification(self, certification: Certification) -> None: ...

    def certifications(self, recipient_id: str) -> Sequence[Certification]: ...

    def set_suspended(self, recipient_id: str, at: datetime | None) -> None: ...
