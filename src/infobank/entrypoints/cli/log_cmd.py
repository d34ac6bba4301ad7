"""``infobank log verify``: audit the transparency log from the database or a server's URL.

Exit status 0: every leaf, head and proof checks out. 1: the log is bad (the message names the
first bad index when leaves were changed, removed or reordered). 2: it could not be checked
(no keys, server unreachable).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from joserfc.errors import JoseError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from sqlalchemy.exc import SQLAlchemyError

from infobank.adapters.crypto.signer import JoseSigner, JwksVerifier
from infobank.adapters.log_http import HttpLogSource, LogSourceError
from infobank.config import Settings
from infobank.services.log_verify import LogSource, Report, verify

__all__ = ["run_verify"]

OK, BAD, CANNOT = 0, 1, 2


class CannotVerify(Exception):
    pass


def _load_jwks(where: str, client: httpx.Client | None) -> dict[str, Any]:
    """A JWK Set from a file or an http(s) URL."""
    try:
        if where.startswith(("http://", "https://")):
            http = client or httpx.Client(timeout=30)
            try:
                data = http.get(where).raise_for_status().json()
            finally:
                if client is None:
                    http.close()
        else:
            data = json.loads(Path(where).read_text())
    except (OSError, ValueError, httpx.HTTPError) as exc:
        raise CannotVerify(f"cannot read the JWKS at {where}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("keys"), list):
        raise CannotVerify(f"{where} is not a JWK Set")
    return data


def _home_jwks(settings: Settings) -> dict[str, Any]:
    """The public half of the bank's own signing key, without creating one if it is absent."""
    from joserfc.jwk import OKPKey

    path = settings.home.expanduser() / "signing.jwk"
    if not path.exists():
        raise CannotVerify(f"no signing key at {path}; pass --jwks with the bank's JWKS")
    return JoseSigner(OKPKey.import_key(json.loads(path.read_text()))).jwks()


@contextmanager
def _source(
    url: str | None, jwks: str | None, settings: Settings
) -> Iterator[tuple[LogSource, JwksVerifier]]:
    if url:
        with httpx.Client(base_url=url.rstrip("/"), timeout=60) as client:
            http = HttpLogSource(client)
            try:
                keys = _load_jwks(jwks, client) if jwks else http.jwks()
            except LogSourceError as exc:
                raise CannotVerify(str(exc)) from exc
            yield http, JwksVerifier(keys)
        return
    from infobank.adapters.db.engine import make_engine
    from infobank.adapters.db.repos.log_source import SqlAlchemyLogSource

    keys = _load_jwks(jwks, None) if jwks else _home_jwks(settings)
    engine = make_engine(settings.database_url, schema=settings.db_schema)
    try:
        yield SqlAlchemyLogSource(engine), JwksVerifier(keys)
    finally:
        engine.dispose()


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
        with _source(url, jwks, Settings()) as (source, keys):
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
    except (CannotVerify, LogSourceError, SQLAlchemyError, JoseError, ValueError) as exc:
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
