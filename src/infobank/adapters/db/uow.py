"""The unit of work: one SQLAlchemy session, one transaction, committed once by the use case.

A read-only one (``ctx.read()``) answers queries without taking SQLite's write lock and cannot
commit."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import literal, select
from sqlalchemy.orm import Session, sessionmaker

from infobank.adapters.db.engine import READ_ONLY
from infobank.adapters.db.repos.benefits import SqlAlchemyLedger
from infobank.adapters.db.repos.businesses import SqlAlchemyBusinesses
from infobank.adapters.db.repos.consents import SqlAlchemyConsents
from infobank.adapters.db.repos.deliveries import (
    SqlAlchemyDeliveries,
    SqlAlchemyRecipientEndpoints,
    SqlAlchemyRevocations,
)
from infobank.adapters.db.repos.exceptions import SqlAlchemyExceptions
from infobank.adapters.db.repos.idempotency import SqlAlchemyIdempotency
from infobank.adapters.db.repos.identity import (
    SqlAlchemyLoginFailures,
    SqlAlchemyPersons,
    SqlAlchemyStaff,
    SqlAlchemyTokens,
)
from infobank.adapters.db.repos.incidents import SqlAlchemyIncidents
from infobank.adapters.db.repos.inquiries import SqlAlchemyInquiries
from infobank.adapters.db.repos.jobs import SqlAlchemyJobs
from infobank.adapters.db.repos.log import SqlAlchemyLog
from infobank.adapters.db.repos.mynaportal import SqlAlchemyMynaportal
from infobank.adapters.db.repos.notifications import SqlAlchemyNotifications
from infobank.adapters.db.repos.offers import SqlAlchemyOffers
from infobank.adapters.db.repos.policy import SqlAlchemyPolicyState
from infobank.adapters.db.repos.records import SqlAlchemyRecords, SqlAlchemySourceLinks
from infobank.adapters.db.repos.reviews import SqlAlchemyReviews
from infobank.adapters.db.repos.sessions import SqlAlchemyWebSessions
from infobank.adapters.db.repos.statistics import SqlAlchemyStatistics
from infobank.adapters.db.repos.termination import SqlAlchemyTermination
from infobank.adapters.db.repos.terms import SqlAlchemyTermsBook
from infobank.adapters.db.repos.transfers import SqlAlchemyTransfers
from infobank.adapters.db.repos.usage import SqlAlchemyUsage
from infobank.adapters.db.repos.usage_reports import SqlAlchemyUsageReports
from infobank.adapters.db.wakeup import Wakeup
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

__all__ = ["SqlAlchemyUnitOfWork"]


_PING = select(literal(1))


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

    def __init__(
        self, session_factory: sessionmaker[Session], wakeup: Wakeup | None = None
    ) -> None:
        self._factory = session_factory
        self._wakeup = wakeup

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
        self.reviews = SqlAlchemyReviews(self.session)
        self.usage_reports = SqlAlchemyUsageReports(self.session)
        self.policy = SqlAlchemyPolicyState(self.session)
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
        if self.session.info.get(READ_ONLY):
            raise RuntimeError("a read-only unit of work cannot commit; use ctx.uow()")
        made_work = self._wakeup is not None and self._wakeup.before_commit(self.session)
        self.session.commit()
        if made_work and self._wakeup is not None:
            self._wakeup.notify()

    def rollback(self) -> None:
        self.session.rollback()

    def ping(self) -> None:
        self.session.execute(_PING).scalar_one()
