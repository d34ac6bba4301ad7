"""The recipient's offers (提供の申し出): drafting one with its purpose, categories, benefit
and targeting, submitting it for ethics review, listing its own, reading one and its reach;
and how an offer is shown."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any, Literal

from fastapi import APIRouter, status
from pydantic import AwareDatetime, BaseModel, Field

from infobank.domain.errors import InvalidInput
from infobank.domain.offers import Offer, Review, Target
from infobank.domain.reviews import report_due
from infobank.entrypoints.api.bodies import Input
from infobank.entrypoints.api.deps import ContextDep, CurrentRecipient
from infobank.entrypoints.api.listing import Listing, PageDep, listing
from infobank.services import offers

router = APIRouter(tags=["recipients"])


class PurposeSpec(Input):
    code: str = Field(min_length=1, max_length=64)
    text: str = Field(min_length=1, max_length=2000)
    justification: Literal["individual_benefit", "public_interest"] | None = None


class BenefitSpec(Input):
    points: int = Field(ge=0, le=1_000_000)


class FetchSpec(Input):
    mode: Literal["one_time", "periodic"]
    every_days: int | None = Field(default=None, ge=1, le=365)


class ReprovisionSpec(Input):
    allowed: bool = False
    parties: list[str] = Field(default_factory=list, max_length=20)


class ProfilingSpec(Input):
    """Profiling (プロファイリング) that names what it infers: codes of the inference
    catalogue (``GET /v1/inferences``). An attribute marked sensitive (要配慮個人情報) is
    refused before guideline 2.2 and, from 2.2, needs each person's explicit consent."""

    infers: list[str] = Field(default_factory=list, max_length=20)


class TargetSpec(Input):
    age_min: int | None = Field(default=None, ge=0, le=130)
    age_max: int | None = Field(default=None, ge=0, le=130)
    prefectures: list[str] = Field(default_factory=list, max_length=47)
    genders: list[Literal["female", "male", "other", "unspecified"]] = Field(default_factory=list)


class OfferCreate(Input):
    title: str = Field(min_length=1, max_length=200)
    purpose: PurposeSpec
    categories: list[str] = Field(min_length=1, max_length=50)
    benefit: BenefitSpec
    retention_days: int = Field(ge=1, le=3650)
    consent_duration_days: int = Field(ge=1, le=3650)
    fetch: FetchSpec
    data_range_days: int | None = Field(default=None, ge=1, le=3650)
    profiling: bool | ProfilingSpec = Field(
        default=False,
        description="false: no profiling; {infers: [codes]}: profiling that infers these "
        "attributes of the inference catalogue (GET /v1/inferences); true (kept for existing "
        "clients): profiling that names nothing it infers, read as inferring nothing sensitive",
    )
    reprovision: ReprovisionSpec = Field(default_factory=ReprovisionSpec)
    target: TargetSpec = Field(default_factory=TargetSpec)
    capacity: int = Field(ge=1, le=10_000_000)
    starts_at: AwareDatetime | None = Field(
        default=None, description="post-dated start: consents given earlier begin then"
    )


class OfferPublic(BaseModel):
    id: str
    status: str
    title: str
    recipient_id: str
    purpose: dict[str, Any]
    categories: list[str]
    benefit: dict[str, int]
    retention_days: int
    consent_duration_days: int
    fetch: dict[str, Any]
    data_range_days: int | None
    profiling: bool
    profiling_infers: list[str] = Field(
        default_factory=list, description="what its profiling infers (inference codes)"
    )
    reprovision: dict[str, Any]
    target: dict[str, Any]
    capacity: int
    created_at: datetime
    submitted_at: datetime | None
    opened_at: datetime | None
    closed_at: datetime | None
    starts_at: datetime | None = None
    renewal_requested_at: datetime | None = Field(
        default=None, description="submitted again for a new review (再審査), still waiting"
    )
    reviews: list[dict[str, Any]] = Field(
        default_factory=list,
        description="the ethics board's decisions, oldest first (the last is in force): "
        "minutes, notes (free text), conditions the rules check, and report_due: when the "
        "usage report the approval asks for is due",
    )
    opening: dict[str, Any] | None = Field(
        default=None,
        description="once opened: persons matched so far (delegated + invited) of the total "
        "matched at opening, and when matching finished; not_invited: persons matched but not "
        "asked because the rules refuse the recipient itself, held_back: why (reason codes "
        "recipient_uncertified, certificate_expired, recipient_suspended)",
    )


def offer_public(offer: Offer, reviews: list[Review] | None = None) -> OfferPublic:
    return OfferPublic(
        id=offer.id,
        status=offer.status,
        title=offer.title,
        recipient_id=offer.recipient_id,
        purpose={
            "code": offer.purpose_code,
            "text": offer.purpose_text,
            "justification": offer.justification,
        },
        categories=list(offer.categories),
        benefit={"points": offer.benefit_points},
        retention_days=offer.retention_days,
        consent_duration_days=offer.consent_duration_days,
        fetch={"mode": offer.fetch_mode, "every_days": offer.fetch_every_days},
        data_range_days=offer.data_range_days,
        profiling=offer.profiling,
        profiling_infers=list(offer.profiling_infers),
        reprovision={
            "allowed": bool(offer.reprovision_parties),
            "parties": list(offer.reprovision_parties),
        },
        target=asdict(offer.target),
        capacity=offer.capacity,
        created_at=offer.created_at,
        submitted_at=offer.submitted_at,
        opened_at=offer.opened_at,
        closed_at=offer.closed_at,
        starts_at=offer.starts_at,
        renewal_requested_at=offer.renewal_requested_at,
        reviews=[
            {
                "decision": r.decision,
                "minutes": r.minutes,
                "conditions": r.conditions.as_dict(),
                "notes": list(r.notes),
                "decided_at": r.decided_at,
                "report_due": report_due(r),
            }
            for r in reviews or []
        ],
        opening=None
        if offer.opening is None
        else {
            "total": offer.opening.total,
            "matched": offer.opening.matched,
            "delegated": offer.opening.delegated,
            "invited": offer.opening.invited,
            "done": offer.opening.done_at is not None,
            "done_at": offer.opening.done_at,
            "not_invited": offer.opening.not_invited,
            "held_back": list(offer.opening.held_back),
        },
    )


@router.get("/v1/offers")
def list_offers(
    ctx: ContextDep, recipient: CurrentRecipient, page: PageDep
) -> Listing[OfferPublic]:
    """This recipient's own offers with their reviews, newest first, a page at a time."""
    return listing(offers.list_offers(ctx, recipient.id, page), lambda pair: offer_public(*pair))


@router.post("/v1/offers", status_code=status.HTTP_201_CREATED)
def create_offer(ctx: ContextDep, recipient: CurrentRecipient, body: OfferCreate) -> dict[str, str]:
    """Draft an offer; submit it for ethics review with /submit."""
    if body.reprovision.allowed and not body.reprovision.parties:
        raise InvalidInput(
            "onward provision (再提供) must name each onward party", code="reprovision_unnamed"
        )
    parties = tuple(body.reprovision.parties) if body.reprovision.allowed else ()
    profiling = body.profiling
    infers = tuple(dict.fromkeys(profiling.infers)) if isinstance(profiling, ProfilingSpec) else ()
    draft = Offer(
        id="",
        recipient_id=recipient.id,
        status="draft",
        title=body.title,
        purpose_code=body.purpose.code,
        purpose_text=body.purpose.text,
        justification=body.purpose.justification,
        categories=tuple(dict.fromkeys(body.categories)),
        benefit_points=body.benefit.points,
        retention_days=body.retention_days,
        consent_duration_days=body.consent_duration_days,
        fetch_mode=body.fetch.mode,
        fetch_every_days=body.fetch.every_days,
        data_range_days=body.data_range_days,
        profiling=profiling is not False,
        profiling_infers=infers,
        reprovision_parties=parties,
        target=Target(
            age_min=body.target.age_min,
            age_max=body.target.age_max,
            prefectures=tuple(body.target.prefectures),
            genders=tuple(body.target.genders),
        ),
        capacity=body.capacity,
        created_at=datetime.now(UTC),
        starts_at=body.starts_at.astimezone(UTC) if body.starts_at else None,
    )
    created = offers.create_offer(ctx, recipient.id, draft)
    return {"id": created.id, "status": created.status}


@router.post("/v1/offers/{offer_id}/submit")
def submit_offer(ctx: ContextDep, recipient: CurrentRecipient, offer_id: str) -> OfferPublic:
    """Submit a draft: guard-rails are checked (422 with reasons), then ethics review. An
    approved or open offer submitted again waits for a new review (再審査) as it is."""
    return offer_public(offers.submit_offer(ctx, offer_id, recipient.id))


@router.get("/v1/offers/{offer_id}")
def get_offer(ctx: ContextDep, recipient: CurrentRecipient, offer_id: str) -> OfferPublic:
    """One of this recipient's offers with its reviews."""
    offer, reviews = offers.get_offer(ctx, offer_id, recipient.id)
    return offer_public(offer, reviews)


@router.get("/v1/offers/{offer_id}/reach")
def offer_reach(ctx: ContextDep, recipient: CurrentRecipient, offer_id: str) -> dict[str, Any]:
    """How many persons the offer's targeting and categories could reach: ``estimate``
    rounded to tens, ``suppressed`` (estimate 0) below the minimum group size."""
    return offers.reach(ctx, offer_id, recipient.id)
