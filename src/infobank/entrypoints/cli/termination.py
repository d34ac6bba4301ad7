"""``infobank terminate plan|run``: the end of the business (事業終了). ``plan`` records the
deadline, stops new offers and consents and tells every person; ``run`` revokes, transfers,
deletes and publishes the final signed log head."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from infobank.config import Settings
from infobank.domain.errors import InfobankError
from infobank.domain.tree_heads import encode_hash

__all__ = ["terminate_app"]

terminate_app = typer.Typer(
    help="End the business (事業終了): plan, then run.", no_args_is_help=True
)

err = Console(stderr=True)
out = Console()

_STAGES = {
    "revoke": "同意の取り消し / revoking consents",
    "transfer": "他行への移行 / transfers",
    "delete": "削除 / deleting",
}


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", highlight=False)
    return typer.Exit(code)


@terminate_app.command("plan")
def terminate_plan(
    days: Annotated[int, typer.Option(min=1, max=365, help="days until the deadline")] = 30,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="only print the counts")] = False,
) -> None:
    """Print what ending the business touches; record the plan with its deadline, stop new
    offers and consents, and tell every person how to export, move or delete their data."""
    from infobank.bootstrap import bootstrap
    from infobank.services import termination

    bank = bootstrap(Settings(), migrate=True)
    try:
        counts = termination.preview(bank.context)
        table = Table("what", "count", title="事業終了で扱うもの / what the end touches")
        for name, n in counts.items():
            table.add_row(name, str(n))
        out.print(table)
        if dry_run:
            return
        deadline = bank.context.clock.now() + timedelta(days=days)
        planned = termination.plan(bank.context, "operator:cli", deadline)
    except InfobankError as exc:
        raise _fail(exc.detail, 2) from exc
    finally:
        bank.close()
    out.print(
        f"planned: deadline {planned.deadline.isoformat()}; "
        f"{planned.counts.get('persons_told', 0)} persons told; new offers and consents stopped"
    )


@terminate_app.command("run")
def terminate_run(
    now: Annotated[bool, typer.Option("--now", help="do not wait for the deadline")] = False,
) -> None:
    """Revoke every consent (recipients get signed notices), carry out transfers, delete
    everyone else's data by destroying their keys, and publish a final signed log head."""
    from infobank.bootstrap import bootstrap
    from infobank.services import termination
    from infobank.services.worker import run_once

    bank = bootstrap(Settings(), migrate=True)
    peer = bank.bank_peer()
    sender = bank.webhook_sender()
    try:
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=err,
            transient=True,
        ) as progress:
            tasks = {k: progress.add_task(v, total=None) for k, v in _STAGES.items()}

            def tick(stage: str, done: int, total: int) -> None:
                progress.update(tasks[stage], completed=done, total=total)

            report = termination.run(
                bank.context,
                "operator:cli",
                peer,
                now_ok=now,
                progress=tick,
                # the revocation notices go out now; what fails stays queued for the worker
                notify=lambda: run_once(bank.context, sender),
            )
        bank.reclaim_erased()
    except InfobankError as exc:
        raise _fail(exc.detail, 2) from exc
    finally:
        sender.close()
        peer.close()
        bank.close()
    out.print(
        f"consents revoked: {report.revoked}; transferred: {report.transferred}; "
        f"deleted: {report.deleted}"
    )
    if report.failed:
        for person_id, why in report.failed.items():
            err.print(f"  transfer failed for {person_id}: {why}", markup=False, highlight=False)
        raise _fail(f"{len(report.failed)} transfer(s) failed; their data is kept: run again", 1)
    assert report.final_head is not None
    out.print(
        f"final signed log head: tree_size {report.final_head.tree_size}, "
        f"root {encode_hash(report.final_head.root_hash)}"
    )
