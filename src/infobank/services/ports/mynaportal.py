"""Ports for the Mynaportal connector (マイナポータル連携): the API, the card-certificate check,
FHIR validation and what the bank stores about links, identity verification and joint
applications (連名申請)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from infobank.domain.mynaportal import (
    WINDOW,
    IdentityVerification,
    JointApplication,
    MynaportalLink,
)
from infobank.domain.pages import Page, PageRequest
from infobank.domain.policy import JointApplicationEntry

__all__ = [
    "CardAssertion",
    "CardCheck",
    "CardVerifier",
    "Connector",
    "FhirValidator",
    "MynaportalApi",
    "MynaportalError",
    "MynaportalStore",
    "TokenGrant",
]


class MynaportalError(Exception):
    """The API refused or failed. ``code``: ``expired`` (the 90-day consent ended at
    Mynaportal), ``invalid_grant``, ``unavailable`` (network, 5xx, still pending) or ``error``."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(detail or code)
        self.code = code


@dataclass(frozen=True, slots=True)
class CardAssertion:
    """What the card produced after the PIN: its certificate and its signature over a nonce."""

    certificate_pem: str
    nonce: str
    signature: bytes


@dataclass(frozen=True, slots=True)
class TokenGrant:
    access_token: str
    expires_in: int
    assertion: CardAssertion | None


@dataclass(frozen=True, slots=True)
class CardCheck:
    """The verdict on a card assertion: ``failure`` is None when everything held."""

    failure: str | None
    serial: str = ""
    issuer: str = ""
    not_after: datetime | None = None


class MynaportalApi(Protocol):
    def authorization_url(
        self, *, state: str, nonce: str, code_challenge: str, redirect_uri: str
    ) -> str: ...

    def exchange(self, code: str, code_verifier: str, redirect_uri: str) -> TokenGrant:
        """Trade the authorisation code for a token; raises ``MynaportalError``."""
        ...

    def fetch(self, access_token: str) -> dict[str, list[dict[str, Any]]]:
        """IF001-style request then result, polled until done; raises ``MynaportalError``."""
        ...


class CardVerifier(Protocol):
    def verify(self, assertion: CardAssertion, nonce: str, at: datetime) -> CardCheck:
        """Chain to the trusted J-LIS root, validity at ``at``, not revoked, and a signature
        over exactly ``nonce``. Never raises: every problem is a ``failure`` code."""
        ...


class FhirValidator(Protocol):
    def validate(self, resource: Mapping[str, Any]) -> None:
        """Raise ``ValueError`` saying what is wrong if ``resource`` is not valid FHIR."""
        ...


def _nothing() -> None:
    return None


@dataclass(frozen=True)
class Connector:
    """The connector's adapters, the callback URL registered with Mynaportal, the window."""

    api: MynaportalApi
    cards: CardVerifier
    fhir: FhirValidator
    redirect_uri: str
    window: timedelta = WINDOW
    close: Callable[[], None] = field(default=_nothing)  # releases the adapters' connections


class MynaportalStore(Protocol):
    """Links, identity verifications, imported items and joint applications."""

    def add_link(self, link: MynaportalLink) -> None: ...

    def link_by_state(self, state_lookup: str) -> MynaportalLink | None:
        """The link for this state, locked for update."""
        ...

    def current_link(self, person_id: str) -> MynaportalLink | None:
        """The person's newest link that is not superseded."""
        ...

    def update_link(self, link_id: str, **values: Any) -> None: ...

    def supersede(self, person_id: str, keep: str, at: datetime) -> None: ...

    def links_past_window(self, at: datetime, limit: int) -> list[MynaportalLink]:
        """Active links whose window has ended, locked (skipping rows others hold)."""
        ...

    def verification(self, person_id: str) -> IdentityVerification | None: ...

    def card_owner(self, card_lookup: str) -> str | None: ...

    def set_verification(self, verification: IdentityVerification) -> None: ...

    def item_lookups(self, person_id: str) -> set[str]: ...

    def add_item(self, person_id: str, item_lookup: str, record_id: str, at: datetime) -> None: ...

    def record_origins(self, person_id: str, categories: Sequence[str]) -> frozenset[str]:
        """How the person's records of these categories were acquired (``acquired_via``)."""
        ...

    def add_joint_application(self, application: JointApplication) -> None: ...

    def joint_application(self, application_id: str) -> JointApplication | None: ...

    def joint_applications(self, recipient_id: str | None = None) -> list[JointApplication]: ...

    def joint_applications_page(
        self, request: PageRequest, recipient_id: str | None = None
    ) -> Page[JointApplication]: ...

    def withdraw_joint_application(self, application_id: str, by: str, at: datetime) -> None: ...

    def joint_entries(self, recipient_id: str) -> tuple[JointApplicationEntry, ...]: ...
