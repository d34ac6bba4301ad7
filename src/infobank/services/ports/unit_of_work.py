"""The unit of work: one transaction, with every repository a use case may touch."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self

from infobank.services.ports.benefits import Ledger
from infobank.services.ports.businesses import Businesses
from infobank.services.ports.consents import Consents
from infobank.services.ports.deliveries import Deliveries, RecipientEndpoints, Revocations
from infobank.services.ports.exceptions import Exceptions
from infobank.services.ports.idempotency import Idempotency
from infobank.services.ports.identity import LoginFailures, Persons, StaffMembers, Tokens
from infobank.services.ports.incidents import IncidentBook
from infobank.services.ports.inquiries import Inquiries
from infobank.services.ports.jobs import Jobs
from infobank.services.ports.log import TransparencyLog
from infobank.services.ports.mynaportal import MynaportalStore
from infobank.services.ports.notifications import Notifications
from infobank.services.ports.offers import Offers
from infobank.services.ports.policy import PolicyState
from infobank.services.ports.records import Records, SourceLinks
from infobank.services.ports.reviews import Reviews
from infobank.services.ports.sessions import WebSessions
from infobank.services.ports.statistics import Statistics
from infobank.services.ports.termination import TerminationBook
from infobank.services.ports.terms import TermsBook
from infobank.services.ports.transfers import TransferBook
from infobank.services.ports.usage import UsageBook
from infobank.services.ports.usage_reports import UsageReports

__all__ = ["UnitOfWork"]


class UnitOfWork(Protocol):
    """One transaction. Nothing is written unless ``commit()`` is called; leaving the
    ``with`` block rolls back whatever was not committed."""

    persons: Persons
    staff: StaffMembers
    businesses: Businesses
    tokens: Tokens
    login_failures: LoginFailures
    records: Records
    source_links: SourceLinks
    offers: Offers
    reviews: Reviews
    usage_reports: UsageReports
    policy: PolicyState
    consents: Consents
    deliveries: Deliveries
    endpoints: RecipientEndpoints
    revocations: Revocations
    ledger: Ledger
    notifications: Notifications
    jobs: Jobs
    idempotency: Idempotency
    log: TransparencyLog
    web_sessions: WebSessions
    inquiries: Inquiries
    mynaportal: MynaportalStore
    terms_book: TermsBook
    exceptions: Exceptions
    incidents: IncidentBook
    usage: UsageBook
    stats: Statistics
    termination: TerminationBook
    transfers: TransferBook

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...

    def ping(self) -> None:
        """Ask the store one trivial question; raises if it cannot answer."""
        ...
