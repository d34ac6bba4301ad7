"""The unit of work: one SQLAlchemy session, one transaction, committed once by the use case."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.orm import Session, sessionmaker

from infobank.adapters.db.consent_repos import SqlAlchemyConsents
from infobank.adapters.db.delivery_repos import SqlAlchemyDeliveries, SqlAlchemyRecipientEndpoints
from infobank.adapters.db.exit_repos import SqlAlchemyTermination, SqlAlchemyTransfers
from infobank.adapters.db.log_repo import SqlAlchemyLog
from infobank.adapters.db.mynaportal_repos import SqlAlchemyMynaportal
from infobank.adapters.db.offer_repos import SqlAlchemyOffers
from infobank.adapters.db.operations_repos import SqlAlchemyIncidents, SqlAlchemyUsage
from infobank.adapters.db.ops_repos import (
    SqlAlchemyIdempotency,
    SqlAlchemyJobs,
    SqlAlchemyLedger,
    SqlAlchemyNotifications,
    SqlAlchemyRevocations,
)
from infobank.adapters.db.repositories import (
    SqlAlchemyBusinesses,
    SqlAlchemyLoginFailures,
    SqlAlchemyPersons,
    SqlAlchemyRecords,
    SqlAlchemySourceLinks,
    SqlAlchemyStaff,
    SqlAlchemyTokens,
)
from infobank.adapters.db.rules_repos import SqlAlchemyExceptions, SqlAlchemyTermsBook
from infobank.adapters.db.stats_repo import SqlAlchemyStatistics
from infobank.adapters.db.web_repos import SqlAlchemyInquiries, SqlAlchemyWebSessions
from infobank.services.loop_ports import (
    Consents,
    Deliveries,
    Idempotency,
    Jobs,
    Ledger,
    Notifications,
    Offers,
    RecipientEndpoints,
    Revocations,
    TransparencyLog,
)
from infobank.services.mynaportal_ports import MynaportalStore
from infobank.services.operations_ports import (
    IncidentBook,
    Statistics,
    TerminationBook,
    TransferBook,
    UsageBook,
)
from infobank.services.ports import (
    Businesses,
    LoginFailures,
    Persons,
    Records,
    SourceLinks,
    StaffMembers,
    Tokens,
)
from infobank.services.rules_ports import Exceptions, TermsBook
from infobank.services.web_ports import Inquiries, WebSessions

__all__ = ["SqlAlchemyUnitOfWork"]


class SqlAlchemyUnitOfWork:
    """Rolls back by default: leaving the block without ``commit()`` writes nothing."""

    session: Session
    persons: Persons
    staff: StaffMembers
    businesses: Businesses
    tokens: Tokens
    login_failures: LoginFailures
    records: Records
    source_links: SourceLinks
    offers: Offers
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

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._factory = session_factory

    def __enter__(self) -> Self:
        self.session = self._factory()
        self.persons = SqlAlchemyPersons(self.session)
        self.staff = SqlAlchemyStaff(self.session)
        self.businesses = SqlAlchemyBusinesses(self.session)
        self.tokens = SqlAlchemyTokens(self.session)
        self.login_failures = SqlAlchemyLoginFailures(self.session)
        self.records = SqlAlchemyRecords(self.session)
        self.source_links = SqlAlchemySourceLinks(self.session)
        self.offers = SqlAlchemyOffers(self.session)
        self.consents = SqlAlchemyConsents(self.session)
        self.deliveries = SqlAlchemyDeliveries(self.session)
        self.endpoints = SqlAlchemyRecipientEndpoints(self.session)
        self.revocations = SqlAlchemyRevocations(self.session)
        self.ledger = SqlAlchemyLedger(self.session)
        self.notifications = SqlAlchemyNotifications(self.session)
        self.jobs = SqlAlchemyJobs(self.session)
        self.idempotency = SqlAlchemyIdempotency(self.session)
        self.log = SqlAlchemyLog(self.session)
        self.web_sessions = SqlAlchemyWebSessions(self.session)
        self.inquiries = SqlAlchemyInquiries(self.session)
        self.mynaportal = SqlAlchemyMynaportal(self.session)
        self.terms_book = SqlAlchemyTermsBook(self.session)
        self.exceptions = SqlAlchemyExceptions(self.session)
        self.incidents = SqlAlchemyIncidents(self.session)
        self.usage = SqlAlchemyUsage(self.session)
        self.stats = SqlAlchemyStatistics(self.session)
        self.termination = SqlAlchemyTermination(self.session)
        self.transfers = SqlAlchemyTransfers(self.session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()
