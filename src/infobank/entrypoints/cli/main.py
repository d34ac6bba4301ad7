"""The ``infobank`` command (Typer). Each command parses, calls a service, maps errors to exit
codes with a message on stderr."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress

from infobank.config import Settings
from infobank.domain.errors import InfobankError
from infobank.domain.identity import StaffRole

__all__ = ["app", "main"]

app = typer.Typer(help="infobank: an information bank (情報銀行).", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
admin_app = typer.Typer(help="Administration.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(admin_app, name="admin")

err = Console(stderr=True)
out = Console()


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}")
    return typer.Exit(code)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply all database migrations (Alembic) to INFOBANK_DATABASE_URL."""
    from infobank.bootstrap import bootstrap

    bank = bootstrap(Settings())
    try:
        bank.migrate()
    finally:
        bank.close()
    out.print("database is up to date")


@admin_app.command("create-staff")
def create_staff(
    role: Annotated[StaffRole, typer.Option(help="operator, ethics, auditor or support")],
    email: Annotated[str, typer.Option()],
    password: Annotated[str, typer.Option()],
) -> None:
    """Create a staff member; prints one JSON line {"id": …, "token": …}."""
    from infobank.bootstrap import bootstrap
    from infobank.services import identity

    bank = bootstrap(Settings(), migrate=True)
    try:
        issued = identity.create_staff(bank.context, email, password, role)
    except InfobankError as exc:
        raise _fail(exc.detail, 2) from exc
    finally:
        bank.close()
    typer.echo(json.dumps({"id": issued.principal.id, "token": issued.token}))


@app.command()
def worker() -> None:
    """Run a background worker (deliveries, webhooks) beside the servers; Ctrl-C stops it."""
    import threading

    from infobank.bootstrap import bootstrap
    from infobank.entrypoints.worker_loop import run_forever

    bank = bootstrap(Settings(), migrate=True)
    stop = threading.Event()
    try:
        run_forever(bank.context, stop)
    except KeyboardInterrupt:
        stop.set()
    finally:
        bank.close()


@app.command()
def serve(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
) -> None:
    """Serve the API (and pages) with migrations applied on start."""
    import uvicorn

    from infobank.entrypoints.api.app import create_app

    uvicorn.run(create_app(Settings(), worker=True), host=host, port=port, log_level="info")


@app.command()
def demo(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
    db: Annotated[Path, typer.Option(help="SQLite file, recreated")] = Path("infobank-demo.db"),
    people: Annotated[int, typer.Option(min=1, max=100_000)] = 300,
    serve_after: Annotated[bool, typer.Option("--serve/--no-serve")] = True,
) -> None:
    """A fresh SQLite bank with a synthetic population; prints the logins and serves it."""
    from infobank.bootstrap import bootstrap
    from infobank.services.demo import seed_demo

    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{db.resolve()}"
    os.environ["INFOBANK_DATABASE_URL"] = url
    settings = Settings(database_url=url, base_url=f"http://{host}:{port}")
    bank = bootstrap(settings, migrate=True)
    try:
        with Progress(console=err, transient=True) as progress:
            task = progress.add_task("synthetic population", total=people)
            logins = seed_demo(
                bank.context, people=people, progress=lambda n: progress.update(task, completed=n)
            )
    finally:
        bank.close()
    _print_logins(logins, settings.base_url)
    if serve_after:
        import uvicorn

        from infobank.entrypoints.api.app import create_app

        uvicorn.run(create_app(settings, worker=True), host=host, port=port, log_level="info")


def _print_logins(logins: object, base_url: str) -> None:
    from infobank.services.demo import DemoLogins

    assert isinstance(logins, DemoLogins)
    out.print(f"\n[bold]infobank demo[/bold] at {base_url}  (API docs: {base_url}/docs)\n")
    out.print("[bold]Staff[/bold] (email / password / API bearer token)")
    for role, (email, password, token) in logins.staff.items():
        out.print(f"  {role:9} {email} / {password}\n            token {token}")
    out.print(f"\n[bold]Persons[/bold] (password {logins.person_password})")
    for email in logins.persons:
        out.print(f"  {email}")
    out.print("\n[bold]Businesses[/bold] (POST /oauth/token, grant_type=client_credentials)")
    for b in logins.businesses:
        out.print(f"  {b['kind']:9} {b['name']}\n            client_id {b['client_id']}")
        out.print(f"            client_secret {b['client_secret']}")
    out.print()


def main() -> None:
    app()
