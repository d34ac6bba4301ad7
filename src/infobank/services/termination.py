"""The end of the business (事業終了時の扱い): plan, each person's choice, and the run
(see ``infobank.domain.termination`` for the steps drawn out).

``plan`` stops new business at once (``bank_state``) and tells every person the deadline and
their choices; ``run`` revokes every consent (recipients get signed notices), carries out the
transfers people asked for, crypto-shreds everyone else's data and publishes a final signed
tree head. A transfer that fails keeps its person's data for the next ``run``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from infobank.domain.errors import Conflict, InfobankError, InvalidInput
from infobank.domain.termination import EXIT_CHOICES, ExitChoice, TerminationPlan
from infobank.domain.tree_heads import TreeHead
from infobank.services import account, consents, log_heads, transfers, transparency
from infobank.services.context import Context
from infobank.services.ports.transfers import BankPeer
from infobank.services.ports.unit_of_work import UnitOfWork

__all__ = ["RunReport", "choose", "current", "my_exit", "plan", "preview", "run"]

Progress = Callable[[str, int, int], None]


def _iso(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")


def _counts(uow: UnitOfWork) -> dict[str, int]:
    return {
        "persons": uow.stats.live_persons(),
        "records": uow.stats.count("records"),
        "consents_to_revoke": uow.stats.count("consents", status=["active", "paused", "pending"]),
        "recipients": uow.stats.count("recipients"),
        "open_offers": uow.stats.count("offers", status="open"),
        "pending_transfers_in": uow.stats.count("transfers_in", status="pending"),
    }


def preview(ctx: Context) -> dict[str, int]:
    """What ending the business would touch, counted now."""
    with ctx.read() as uow:
        return _counts(uow) | {
            f"chose_{kind}": n for kind, n in uow.stats.by("exit_choices", "choice").items()
        }


def current(ctx: Context) -> TerminationPlan | None:
    with ctx.read() as uow:
        return uow.termination.plan()


def plan(ctx: Context, actor: str, deadline: datetime) -> TerminationPlan:
    """Record the plan: from now on no offer is submitted or opened and no consent given;
    every person is told the deadline and how to export, move or delete their data."""
    now = ctx.clock.now()
    if deadline <= now:
        raise InvalidInput("the deadline must be in the future", code="validation_error")
    with ctx.uow() as uow:
        if uow.termination.plan() is not None:
            raise Conflict("the end of the business is already planned", code="bank_terminating")
        planned = TerminationPlan(
            planned_at=now, planned_by=actor, deadline=deadline, status="planned", counts={}
        )
        planned = replace(planned, counts=_counts(uow))
        uow.termination.save_plan(planned)
        day = deadline.date().isoformat()
        told = uow.terms_book.tell_everyone(
            "bank.terminating",
            {
                "deadline": _iso(deadline),
                "message_ja": (
                    f"当行は事業を終了します。{day}までに、データのダウンロード、他の情報銀行への"
                    "移行、削除のいずれかを選んでください（POST /v1/me/exit）。期限後、すべての"
                    "同意は取り消され、データは削除されます。"
                ),
                "message_en": (
                    f"This bank is closing. By {day}, choose to download your data, move it to "
                    "another information bank, or have it deleted (POST /v1/me/exit). After the "
                    "deadline every consent is revoked and the data is deleted."
                ),
            },
            now,
        )
        planned = replace(planned, counts=planned.counts | {"persons_told": told})
        uow.termination.save_plan(planned)
        transparency.append(
            ctx, uow, "bank.termination_planned", now, person_id=None, deadline=_iso(deadline)
        )
        uow.commit()
    return planned


def choose(ctx: Context, person_id: str, choice: str, target_url: str | None) -> ExitChoice:
    """A person's choice before the deadline (they may change it until the run)."""
    if choice not in EXIT_CHOICES:
        raise InvalidInput(f"choice must be one of {', '.join(EXIT_CHOICES)}")
    target = None
    if choice == "transfer":
        if not target_url:
            raise InvalidInput("a transfer needs target_url, the other bank's base URL")
        target = transfers.check_target(ctx, target_url)
    chosen = ExitChoice(person_id, choice, target, ctx.clock.now())
    with ctx.uow() as uow:
        planned = uow.termination.plan()
        if planned is None:
            raise Conflict(
                "the bank is not closing: use POST /v1/me/transfer, GET /v1/me/export or "
                "DELETE /v1/me at any time",
                code="bank_not_terminating",
            )
        if planned.status != "planned":
            raise Conflict("the end of the business is under way", code="termination_running")
        uow.termination.choose(chosen)
        uow.commit()
    return chosen


def my_exit(ctx: Context, person_id: str) -> tuple[TerminationPlan | None, ExitChoice | None]:
    with ctx.read() as uow:
        return uow.termination.plan(), uow.termination.choice(person_id)


@dataclass
class RunReport:
    revoked: int = 0
    transferred: int = 0
    deleted: int = 0
    failed: dict[str, str] = field(default_factory=dict)  # person id → why the transfer failed
    final_head: TreeHead | None = None

    @property
    def completed(self) -> bool:
        return self.final_head is not None


def _start(ctx: Context, now_ok: bool) -> TerminationPlan:
    now = ctx.clock.now()
    with ctx.uow() as uow:
        planned = uow.termination.plan()
        if planned is None:
            raise Conflict("nothing is planned: run `infobank terminate plan` first",
                           code="bank_not_terminating")  # fmt: skip
        if planned.status == "completed":
            raise Conflict("the business has already ended", code="termination_completed")
        if now < planned.deadline and not now_ok:
            raise Conflict(
                f"the deadline {_iso(planned.deadline)} has not passed (or pass --now)",
                code="termination_deadline",
            )
        running = replace(planned, status="running", started_at=planned.started_at or now)
        uow.termination.save_plan(running)
        for offer in uow.offers.find(statuses=("open",)):
            uow.offers.set_status(offer.id, "closed", now)
        uow.commit()
    return running


def run(
    ctx: Context,
    actor: str,
    peer: BankPeer,
    *,
    now_ok: bool = False,
    progress: Progress | None = None,
    notify: Callable[[], object] | None = None,
) -> RunReport:
    """Carry out the end of the business; safe to run again after a failed transfer.

    ``notify`` runs once the consents are revoked, before anything else (the command line
    sends the recipients' webhooks there)."""
    tick: Progress = progress or (lambda _stage, _done, _total: None)
    running = _start(ctx, now_ok)
    report = RunReport()
    report.revoked = consents.revoke_everything(
        ctx, actor, "bank_terminating", progress=lambda d, t: tick("revoke", d, t)
    )
    if notify is not None:
        notify()
    with ctx.read() as uow:
        wanted = [
            c
            for c in uow.termination.choices()
            if c.choice == "transfer" and c.outcome in (None, "failed") and c.target_url
        ]
        persons = uow.termination.live_persons()
    for n, chosen in enumerate(wanted, 1):
        assert chosen.target_url is not None
        try:
            transfers.send(ctx, chosen.person_id, chosen.target_url, peer)
            outcome, error = "transferred", None
            report.transferred += 1
        except InfobankError as exc:
            outcome, error = "failed", exc.detail
            report.failed[chosen.person_id] = exc.detail
        with ctx.uow() as uow:
            uow.termination.set_outcome(chosen.person_id, outcome, ctx.clock.now(), error)
            uow.commit()
        tick("transfer", n, len(wanted))
    remaining = [p for p in persons if p not in report.failed]
    for n, person_id in enumerate(remaining, 1):
        account.delete_account(ctx, person_id)  # revokes nothing now; shreds the data key
        with ctx.uow() as uow:
            uow.termination.scrub_person(person_id)
            known = uow.termination.choice(person_id)
            if known is None or known.outcome != "transferred":
                uow.termination.set_outcome(person_id, "deleted", ctx.clock.now())
            uow.commit()
        report.deleted += 1
        tick("delete", n, len(remaining))
    transfers.expire_pending(ctx, everything=True)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        uow.termination.purge_transient()
        if not report.failed:
            transparency.append(
                ctx,
                uow,
                "bank.terminated",
                now,
                person_id=None,
                revoked=report.revoked,
                transferred=report.transferred,
                deleted=report.deleted,
            )
        uow.commit()
    if report.failed:
        return report
    report.final_head = log_heads.sign_head(ctx)
    with ctx.uow() as uow:
        done = replace(
            running,
            status="completed",
            completed_at=now,
            final_tree_size=report.final_head.tree_size,
            counts=running.counts | {"revoked": report.revoked, "transferred": report.transferred},
        )
        uow.termination.save_plan(done)
        uow.commit()
    return report
