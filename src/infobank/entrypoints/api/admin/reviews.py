"""The ethics review (倫理審査) of offers: the queue waiting for the data ethics board
(データ倫理審査会), first reviews and renewals (再審査), and its decisions with minutes, free-text
notes and the structured conditions the rules check."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter
from pydantic import Field, model_validator

from infobank.domain.reviews import Conditions
from infobank.entrypoints.api.bodies import Input
from infobank.entrypoints.api.deps import ContextDep, Ethics, Staff
from infobank.entrypoints.api.listing import Listing, PageDep, listing
from infobank.entrypoints.api.recipient.offers import OfferPublic, offer_public
from infobank.services import offers

router = APIRouter(tags=["staff"])

Note = Annotated[str, Field(min_length=1, max_length=2000)]
Notes = Annotated[list[Note], Field(max_length=50)]


class TargetLimits(Input):
    age_min: int | None = Field(default=None, ge=0, le=130)
    age_max: int | None = Field(default=None, ge=0, le=130)
    prefectures: list[str] = Field(
        default_factory=list, max_length=47, description="JIS X 0401 codes; empty: any"
    )


class ConditionsSpec(Input):
    """Conditions the software checks (審査会の条件); leave one out to set none."""

    max_retention_days: int | None = Field(default=None, ge=1, le=3650)
    profiling_allowed: bool | None = Field(
        default=None, description="false: the offer must not profile"
    )
    target: TargetLimits = Field(
        default_factory=TargetLimits,
        description="the offer's target must lie within; nobody outside is invited or provided to",
    )
    capacity_max: int | None = Field(default=None, ge=1, le=10_000_000)
    approval_valid_until: date | None = Field(
        default=None,
        description="the approval is in force through this day (UTC); after it, new consents "
        "and deliveries wait for a new review",
    )
    report_after_days: int | None = Field(
        default=None,
        ge=1,
        le=3650,
        description="the recipient files a usage report within this many days of the "
        "approval; while it is overdue, deliveries pause",
    )

    def domain(self) -> Conditions:
        return Conditions(
            max_retention_days=self.max_retention_days,
            profiling_allowed=self.profiling_allowed,
            target_age_min=self.target.age_min,
            target_age_max=self.target.age_max,
            target_prefectures=tuple(self.target.prefectures),
            capacity_max=self.capacity_max,
            approval_valid_until=self.approval_valid_until,
            report_after_days=self.report_after_days,
        )


class ReviewCreate(Input):
    decision: Literal["approve", "reject"]
    minutes: str = Field(min_length=1, max_length=20000)
    conditions: ConditionsSpec = Field(
        default_factory=ConditionsSpec,
        description="the conditions the rules check; a list of strings instead (the earlier "
        "form) is kept as free-text notes",
    )
    notes: Notes = Field(default_factory=list, description="free-text conditions")

    @model_validator(mode="before")
    @classmethod
    def _earlier_form(cls, data: Any) -> Any:
        """``conditions: ["…"]`` as earlier clients send it: free text, so notes."""
        if isinstance(data, dict) and isinstance(data.get("conditions"), list):
            data = dict(data)
            words = data.pop("conditions")
            notes = data.get("notes", [])
            data["notes"] = [*words, *notes] if isinstance(notes, list) else notes
        return data


@router.get("/v1/admin/reviews")
def review_queue(ctx: ContextDep, _staff: Staff, page: PageDep) -> Listing[OfferPublic]:
    """Offers waiting for the data ethics board (データ倫理審査会), newest first: those under
    review and approved or open ones submitted again for a new review (再審査)."""
    return listing(offers.review_queue(ctx, page), offer_public)


@router.post("/v1/admin/offers/{offer_id}/review")
def review(ctx: ContextDep, member: Ethics, offer_id: str, body: ReviewCreate) -> dict[str, Any]:
    """Approve or reject an offer, with minutes, and on approval the conditions the rules
    check from then on (ethics role)."""
    r = offers.review_offer(
        ctx,
        offer_id,
        member.id,
        body.decision,
        body.minutes,
        body.notes,
        conditions=body.conditions.domain(),
    )
    return {
        "offer_id": offer_id,
        "decision": r.decision,
        "decided_at": r.decided_at,
        "conditions": r.conditions.as_dict(),
        "notes": list(r.notes),
    }
