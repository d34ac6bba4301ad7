"""``infobank log verify``: audit the transparency log from the database or a server's URL.

Exit status 0: every leaf, head and proof checks out. 1: the log is bad (the message names the
first bad index when leaves were changed, removed or reordered). 2: it could not be checked
(no keys, server unreachable).
"""

from __future__ import annotations

import json

from joserfc.errors import JoseError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from sqlalchemy.exc import SQLAlchemyError

from infobank.bootstrap import CannotAudit, log_audit
from infobank.config import Settings
from infobank.services.log_verify import Report, verify
from infobank.services.ports.log_source import LogSourceError

__all__ = ["run_verify"]

OK, BAD, CANNOT = 0, 1, 2


def _report_json(report: Report) -> str:
    return json.dumps(
        {
            "ok": report.ok,
            "tree_size": report.size,
            "leaves_checked": report.leaves_checked,
            "heads_checked": report.heads_checked,
            "first_bad_index": report.first_bad_index,
            "problems": report.problems,
        },
        ensure_ascii=False,
    )


def run_verify(url: str | None, jwks: str | None, as_json: bool, out: Console, err: Console) -> int:
    try:
        with log_audit(Settings(), url, jwks) as (source, keys):
            with Progress(
                TextColumn("verifying the log"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=err,
                transient=True,
            ) as bar:
                task = bar.add_task("leaves", total=None)

                def tick(done: int, total: int) -> None:
                    bar.update(task, completed=done, total=total)

                report = verify(source, keys.verify, progress=tick)
    except (CannotAudit, LogSourceError, SQLAlchemyError, JoseError, ValueError) as exc:
        err.print(f"[red]error:[/red] cannot check the log: {exc}", highlight=False)
        return CANNOT
    if as_json:
        out.print(_report_json(report), markup=False, highlight=False, soft_wrap=True)
    if report.ok:
        if not as_json:
            heads = f"{report.heads_checked} signed head{'' if report.heads_checked == 1 else 's'}"
            out.print(f"log OK: {report.size} leaves, {heads}, every hash and proof checks out")
        return OK
    err.print("[red]error:[/red] the transparency log does not verify")
    for problem in report.problems:
        err.print(f"  {problem}", markup=False, highlight=False)
    return BAD
