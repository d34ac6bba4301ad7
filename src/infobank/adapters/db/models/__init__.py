"""The tables, one module per concept (SQLAlchemy 2 declarative).

Importing this package registers every table on ``Base.metadata`` (Alembic and the tests rely on
it), and re-exports each row class so ``models.ConsentRow`` names a table wherever it lives.
Schema changes go through Alembic migrations; table names never follow module moves.
"""

from __future__ import annotations

from infobank.adapters.db.models.base import ID, NAMING, Base
from infobank.adapters.db.models.benefits import LedgerEntryRow, LedgerTxnRow
from infobank.adapters.db.models.businesses import Certification, Recipient, Source
from infobank.adapters.db.models.consents import ConsentEventRow, ConsentRow, DelegationRow
from infobank.adapters.db.models.deliveries import (
    DeliveredRecordRow,
    DeliveryRow,
    RecipientKeyRow,
    RevocationRow,
)
from infobank.adapters.db.models.exceptions import ExceptionTypeRow, RecipientExceptionRow
from infobank.adapters.db.models.idempotency import IdempotencyRow
from infobank.adapters.db.models.identity import AccessToken, LoginFailure, Person, PersonKey, Staff
from infobank.adapters.db.models.incidents import IncidentPersonRow, IncidentRow
from infobank.adapters.db.models.inquiries import InquiryMessageRow, InquiryRow
from infobank.adapters.db.models.jobs import JobRow
from infobank.adapters.db.models.log import LogLeafRow, LogNodeRow, LogStateRow, TreeHeadRow
from infobank.adapters.db.models.mynaportal import (
    IdentityVerificationRow,
    JointApplicationRow,
    MynaportalItemRow,
    MynaportalLinkRow,
)
from infobank.adapters.db.models.notifications import NotificationRow
from infobank.adapters.db.models.offers import InvitationRow, OfferRow
from infobank.adapters.db.models.policy import PolicyStateRow
from infobank.adapters.db.models.records import LinkCode, RecordRow, SourceLink
from infobank.adapters.db.models.reviews import ReviewRow
from infobank.adapters.db.models.sessions import WebSessionRow
from infobank.adapters.db.models.termination import BankTerminationRow, ExitChoiceRow
from infobank.adapters.db.models.terms import TermsVersionRow
from infobank.adapters.db.models.transfers import TransferInRow, TransferOutRow
from infobank.adapters.db.models.usage import ApiRequestDayRow, UsageSnapshotRow, UsageTargetRow
from infobank.adapters.db.models.usage_reports import UsageReportRow

__all__ = [
    "PolicyStateRow",
    "AccessToken",
    "ApiRequestDayRow",
    "BankTerminationRow",
    "Base",
    "Certification",
    "ConsentEventRow",
    "ConsentRow",
    "DelegationRow",
    "DeliveredRecordRow",
    "DeliveryRow",
    "ExceptionTypeRow",
    "ExitChoiceRow",
    "ID",
    "IdempotencyRow",
    "IdentityVerificationRow",
    "IncidentPersonRow",
    "IncidentRow",
    "InquiryMessageRow",
    "InquiryRow",
    "InvitationRow",
    "JobRow",
    "JointApplicationRow",
    "LedgerEntryRow",
    "LedgerTxnRow",
    "LinkCode",
    "LogLeafRow",
    "LogNodeRow",
    "LogStateRow",
    "LoginFailure",
    "MynaportalItemRow",
    "MynaportalLinkRow",
    "NAMING",
    "NotificationRow",
    "OfferRow",
    "Person",
    "PersonKey",
    "Recipient",
    "RecipientExceptionRow",
    "RecipientKeyRow",
    "RecordRow",
    "ReviewRow",
    "RevocationRow",
    "Source",
    "SourceLink",
    "Staff",
    "TermsVersionRow",
    "TransferInRow",
    "TransferOutRow",
    "TreeHeadRow",
    "UsageReportRow",
    "UsageSnapshotRow",
    "UsageTargetRow",
    "WebSessionRow",
]
