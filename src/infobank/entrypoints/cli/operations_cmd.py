"""``infobank compliance report`` and ``infobank terminate plan|run``: the evidence pack for
auditors, and the end of the business (事業終了)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from infobank.config import GUIDELINE_VERSIONS, Settings
from infobank.domain.errors import InfobankError
from infobank.domain.tree_heads import encode_hash

__all__ = ["compliance_app", "terminate_app"]

compliance_app = typer.Typer(help="Evidence for certification (認定).", no_args_is_help=True)
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


@compliance_app.command("report")
def compliance_report(
    version: Annotated[str, typer.Option(help="guideline version (認定指針)")] = "3.0",
    out_dir: Annotated[Path, typer.Option("--out", help="folder for the report files")] = Path("."),
) -> None:
    """Write compliance-report.md and compliance-report.json with live evidence."""
    from infobank.adapters.db.repos.log_source import SqlAlchemyLogSource
    from infobank.bootstrap import bootstrap
    from infobank.services import compliance

    if version not in GUIDELINE_VERSIONS:
        raise _fail(f"version must be one of {', '.join(GUIDELINE_VERSIONS)}", 2)
    bank = bootstrap(Settings(), migrate=True)
    try:
        with err.status("verifying the transparency log and gathering evidence"):
            report = compliance.build(
                bank.context, version=version, log_source=SqlAlchemyLogSource(bank.engine)
            )
    finally:
        bank.close()
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "compliance-report.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    (out_dir / "compliance-report.md").write_text(compliance.markdown(report), encoding="utf-8")
    table = Table("criterion", "基準", "status")
    for c in report["criteria"]:
        colour = "green" if c["status"] == "ok" else "yellow"
        table.add_row(c["title_en"], c["title_ja"], f"[{colour}]{c['status']}[/{colour}]")
    out.print(table)
    out.print(f"written: {out_dir / 'compliance-report.md'}, {out_dir / 'compliance-report.json'}")


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
    from infobank.adapters.bank_peer import HttpxBankPeer
    from infobank.adapters.db.compaction import reclaim_erased
    from infobank.adapters.webhooks import HttpxWebhookSender
    from infobank.bootstrap import bootstrap
    from infobank.services import termination
    from infobank.services.worker import run_once

    bank = bootstrap(Settings(), migrate=True)
    peer = HttpxBankPeer()
    sender = HttpxWebhookSender()
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
        reclaim_erased(bank.engine)
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
