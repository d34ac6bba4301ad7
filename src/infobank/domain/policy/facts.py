"""The inputs of a policy decision (判定の前提事実).

Every type here is a frozen, slotted dataclass of plain values, so a service can build one
straight from a database row without touching the domain's behaviour, and a decision can be
replayed later from the same values. Nothing here has methods that do I/O or read the clock.

Enumerations are ``StrEnum``: a plain string read from a row (``"active"``) compares equal to
the member (``ConsentStatus.ACTIVE``) and hashes the same, so services may pass either.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from infobank.domain.catalogue import Sensitivity

from .frozen import quick_init

__all__ = [
    "Action",
    "Certification",
    "ConsentFacts",
    "ConsentMode",
    "ConsentStatus",
    "DelegationRule",
    "Facts",
    "FetchMode",
    "JointApplicationEntry",
    "Justification",
    "OfferFacts",
    "OfferStatus",
    "PersonFacts",
    "PurposeGuardrails",
    "RecipientException",
    "RecipientFacts",
    "Request",
    "ReviewConditions",
    "Sensitivity",
]


class _NoInferences(Mapping[str, Sensitivity]):
    """The empty inference catalogue: immutable and hashable, so it may be a field default."""

    def __getitem__(self, code: str) -> Sensitivity:
        raise KeyError(code)

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __hash__(self) -> int:
        return 0


_NO_INFERENCES: Mapping[str, Sensitivity] = _NoInferences()


class ConsentStatus(StrEnum):
    """Mutable status beside the immutable consent artefact (SPEC §5)."""

    PENDING = "pending"
    ACTIVE = "active"
    PAUSED = "paused"
    REVOKED = "revoked"
    EXPIRED = "expired"
    REJECTED = "rejected"


class ConsentMode(StrEnum):
    """Who said yes: the person themself, or the bank under their delegation rules (委任)."""

    EXPLICIT = "explicit"
    DELEGATED = "delegated"


class OfferStatus(StrEnum):
    DRAFT = "draft"
    UNDER_REVIEW = "under_review"
    APPROVED = "approved"
    REJECTED = "rejected"
    OPEN = "open"
    CLOSED = "closed"


class Justification(StrEnum):
    """Why a health_checkup use is acceptable (guideline 3.0)."""

    INDIVIDUAL_BENEFIT = "individual_benefit"  # 明確な便益
    PUBLIC_INTEREST = "public_interest"  # 公益性


class FetchMode(StrEnum):
    ONE_TIME = "one_time"
    PERIODIC = "periodic"


class Action(StrEnum):
    """What the caller wants to do; each rule declares which actions it judges."""

    PROVIDE = "provide"  # build or fetch a delivery (提供) under a consent
    DELEGATE = "delegate"  # the bank accepts an offer on the person's behalf (委任)
    ACCEPT = "accept"  # the person accepts an offer explicitly
    SUBMIT = "submit"  # a recipient submits an offer for review (guard-rails)


@quick_init
@dataclass(frozen=True, slots=True, kw_only=True)
class ConsentFacts:
    """The consent artefact (同意) a provision would rely on."""

    id: str
    status: str  # ConsentStatus
    mode: str  # ConsentMode
    recipient_id: str
    offer_id: str
    purpose_code: str
    categories: frozenset[str]
    start: datetime
    expiry: datetime
    data_range_from: datetime | None = None
    data_range_to: datetime | None = None
    reprovision_parties: frozenset[str] = frozenset()  # onward parties the person named
    profiling: bool = False
    profiling_infers: frozenset[str] = frozenset()  # what it told the person is inferred
    justification: str | None = None  # Justification
    terms_version: str = ""


@quick_init
@dataclass(frozen=True, slots=True)
class Certification:
    kind: str  # "pmark" | "isms" | "other"
    number: str
    valid_from: datetime
    valid_until: datetime  # exclusive: valid while valid_from <= at < valid_until


@quick_init
@dataclass(frozen=True, slots=True)
class RecipientException:
    """An exception (例外類型) the ethics board approved for a recipient without Pマーク/ISMS."""

    type_code: str
    approved: bool
    expires_at: datetime  # exclusive


@quick_init
@dataclass(frozen=True, slots=True)
class JointApplicationEntry:
    """One line of the Mynaportal joint application (連名申請)."""

    purpose_code: str
    categories: frozenset[str]
    approved: bool
    withdrawn: bool = False


@quick_init
@dataclass(frozen=True, slots=True, kw_only=True)
class RecipientFacts:
    """The recipient (提供先第三者) as vetted by the operator."""

    id: str
    suspended: bool = False
    certifications: tuple[Certification, ...] = ()
    exceptions: tuple[RecipientException, ...] = ()
    joint_application: tuple[JointApplicationEntry, ...] = ()


@quick_init
@dataclass(frozen=True, slots=True, kw_only=True)
class ReviewConditions:
    """The conditions the data ethics board set on the approval in force (審査会の条件), as
    the rules check them; ``None`` (or no prefectures) means no such condition."""

    max_retention_days: int | None = None
    profiling_allowed: bool | None = None  # False: the offer must not profile
    age_min: int | None = None  # the offer's target, and every person, within these
    age_max: int | None = None
    prefectures: frozenset[str] = frozenset()
    capacity_max: int | None = None  # consents under the offer never exceed it
    valid_until: datetime | None = None  # exclusive: the approval is in force while at < it
    report_due: datetime | None = None  # a usage report (利用報告) is due by then


NO_REVIEW_CONDITIONS = ReviewConditions()


@quick_init
@dataclass(frozen=True, slots=True, kw_only=True)
class OfferFacts:
    """The offer (オファー) as submitted and reviewed by the ethics board (データ倫理審査会).

    ``conditions`` are those of the approval in force; ``consents`` counts the consents given
    under the offer so far and ``report_filed`` says whether the recipient has filed a usage
    report since that approval. ``target_*`` is the offer's own targeting."""

    id: str
    recipient_id: str
    status: str  # OfferStatus
    review_approved: bool
    purpose_code: str
    categories: frozenset[str]
    profiling: bool
    retention_days: int
    consent_duration_days: int
    fetch_mode: str  # FetchMode
    industry: str
    benefit_points: int
    reprovision_parties: frozenset[str] = frozenset()  # empty: no onward provision
    justification: str | None = None  # Justification
    data_range_days: int | None = None  # None: the purpose's maximum applies
    # what its profiling infers (codes of the inference catalogue); empty with ``profiling``:
    # profiling that names nothing it infers, read as inferring nothing sensitive
    profiling_infers: frozenset[str] = frozenset()
    conditions: ReviewConditions = NO_REVIEW_CONDITIONS
    target_age_min: int | None = None
    target_age_max: int | None = None
    target_prefectures: frozenset[str] = frozenset()  # empty: any prefecture
    consents: int = 0
    report_filed: bool = False


@quick_init
@dataclass(frozen=True, slots=True, kw_only=True)
class PurposeGuardrails:
    """Limits of a purpose code in the purpose catalogue."""

    code: str
    max_consent_days: int
    max_data_range_days: int
    max_retention_days: int
    allowed_fetch_modes: frozenset[str]


@quick_init
@dataclass(frozen=True, slots=True, kw_only=True)
class DelegationRule:
    """One standing condition (委任条件) under which the bank may accept for the person.

    An empty set means "any". A rule covers an offer only if every field covers it.
    """

    categories: frozenset[str] = frozenset()
    purposes: frozenset[str] = frozenset()
    industries: frozenset[str] = frozenset()
    min_benefit_points: int = 0
    allow_profiling: bool = False
    max_retention_days: int = 0


@quick_init
@dataclass(frozen=True, slots=True, kw_only=True)
class PersonFacts:
    """The person (利用者・本人)."""

    id: str
    agreed_terms_version: str | None
    delegation_rules: tuple[DelegationRule, ...] = ()
    birth_date: date | None = None  # read when the board limited the target by age
    prefecture: str | None = None  # read when the board limited the target by prefecture


@quick_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Facts:
    """Everything a decision may look at, gathered by the service before calling ``decide``.

    ``sensitivity`` maps each category code to its class; a category missing from it is a
    *gap* (the catalogue is incomplete) and the decision denies. ``inference_sensitivity`` does
    the same for the inference catalogue (what profiling may infer, プロファイリングで推定する
    属性): code → ``general`` or ``sensitive``. ``exception_types`` lists the
    exception types the operator configured; ``None`` means the service already filtered the
    recipient's exceptions to configured types.
    """

    person: PersonFacts
    recipient: RecipientFacts
    offer: OfferFacts
    consent: ConsentFacts | None
    sensitivity: Mapping[str, Sensitivity]
    guardrails: PurposeGuardrails | None
    current_terms_version: str
    record_origins: frozenset[str] = frozenset()  # e.g. {"self", "source", "mynaportal"}
    exception_types: frozenset[str] | None = None
    inference_sensitivity: Mapping[str, Sensitivity] = _NO_INFERENCES


@quick_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Request:
    """What is being asked. For accept, delegate and submit the categories are the offer's."""

    action: Action
    categories: frozenset[str]
    purpose_code: str
    recipient_id: str
    record_observed_at: datetime | None = None  # one record's time, for the data range
