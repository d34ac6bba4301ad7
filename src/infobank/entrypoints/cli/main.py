"""The ``infobank`` command (Typer). Each command parses, calls a service, maps errors to exit
codes with a message on stderr."""

from __future__ import annotations

import json
import os
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress

from infobank.config import Settings
from infobank.domain.errors import InfobankError
from infobank.domain.identity import StaffRole
from infobank.entrypoints.cli.compliance import compliance_app
from infobank.entrypoints.cli.termination import terminate_app

if TYPE_CHECKING:
    from infobank.mynaportal_sim.server import RunningSim

__all__ = ["app", "main"]

app = typer.Typer(help="infobank: an information bank (情報銀行).", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
admin_app = typer.Typer(help="Administration.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(admin_app, name="admin")
log_app = typer.Typer(help="Transparency log (RFC 9162).", no_args_is_help=True)
app.add_typer(log_app, name="log")
app.add_typer(compliance_app, name="compliance")
app.add_typer(terminate_app, name="terminate")

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


@log_app.command("verify")
def log_verify(
    url: Annotated[
        str | None, typer.Option(help="a running bank's base URL (default: the database)")
    ] = None,
    jwks: Annotated[
        str | None, typer.Option(help="JWK Set file or URL for the head signatures")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
) -> None:
    """Recompute the whole log, check every signed head and name the first bad index."""
    from infobank.entrypoints.cli.log import run_verify

    code = run_verify(url, jwks, as_json, out, err)
    if code:
        raise typer.Exit(code)


@app.command()
def worker() -> None:
    """Run a background worker (deliveries, webhooks) beside the servers; Ctrl-C stops it."""
    import threading

    from infobank.bootstrap import bootstrap
    from infobank.entrypoints.worker import run_forever

    bank = bootstrap(Settings(), migrate=True)
    stop = threading.Event()
    try:
        run_forever(bank, stop)
    except KeyboardInterrupt:
        stop.set()
    finally:
        bank.close()


@app.command()
def serve(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
    workers: Annotated[
        int, typer.Option("--workers", min=1, max=256, help="API processes (uvicorn)")
    ] = 1,
    in_process_worker: Annotated[
        bool,
        typer.Option(
            "--worker/--no-worker",
            help="run the background worker inside each API process (else: infobank worker)",
        ),
    ] = True,
) -> None:
    """Serve the API (and pages) with migrations applied on start; ``--workers N`` runs N
    processes that share the port (on PostgreSQL, throughput grows with them up to the
    cores)."""
    import uvicorn

    from infobank.entrypoints.api.app import WORKER_ENV, create_app

    if workers == 1:
        app = create_app(Settings(), worker=in_process_worker)
        uvicorn.run(app, host=host, port=port, log_level="info")
        return
    from infobank.bootstrap import bootstrap

    bootstrap(Settings(), migrate=True).close()  # migrate once, before the processes start
    os.environ[WORKER_ENV] = "1" if in_process_worker else "0"
    uvicorn.run(
        "infobank.entrypoints.api.app:serving_app",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="info",
    )


@app.command()
def demo(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
    db: Annotated[Path, typer.Option(help="SQLite file, recreated")] = Path("infobank-demo.db"),
    postgres: Annotated[
        bool,
        typer.Option(help="embedded PostgreSQL in the folder <db stem>-pg beside --db, recreated"),
    ] = False,
    people: Annotated[int, typer.Option(min=1, max=100_000)] = 300,
    serve_after: Annotated[bool, typer.Option("--serve/--no-serve")] = True,
    sim: Annotated[bool, typer.Option("--sim/--no-sim", help="Mynaportal simulator")] = True,
    sim_port: Annotated[int, typer.Option(help="port of the Mynaportal simulator")] = 8100,
) -> None:
    """A fresh SQLite bank (or PostgreSQL, with --postgres) with a synthetic population and
    ninety days of its life; prints the logins and where to start, and serves it, with the
    Mynaportal API simulator beside it."""
    from infobank.bootstrap import bootstrap
    from infobank.entrypoints.cli.demo import (
        card_hand,
        new_recipient_key,
        pick_cards,
        print_start_here,
    )
    from infobank.mynaportal_sim.server import free_port
    from infobank.services.demo import Story, seed_demo

    with ExitStack() as running:  # the embedded PostgreSQL, if any, stops when the demo ends
        url = _demo_database(running, db, postgres)
        os.environ["INFOBANK_DATABASE_URL"] = url
        simulator, root = None, None
        if sim:  # without --serve it runs only while seeding, on a free port
            root = db.resolve().with_name(f"{db.name}.jlis-root.pem")
            simulator = _start_simulator(host, sim_port if serve_after else free_port(host), root)
            if not serve_after:
                running.callback(simulator.stop)
        settings = Settings(
            database_url=url,
            base_url=f"http://{host}:{port}",
            mynaportal_url=simulator.url if simulator else f"http://{host}:{sim_port}",
            jlis_root=root,
        )
        bank = bootstrap(settings, migrate=True)
        try:
            cards = pick_cards(simulator) if simulator else None
            story = Story(
                recipient_key=new_recipient_key,
                mynaportal=bank.mynaportal if cards else None,
                present_card=card_hand(simulator, cards.linked) if simulator and cards else None,
            )
            with Progress(console=err, transient=True) as progress:
                task = progress.add_task("synthetic population", total=people)
                logins = seed_demo(
                    bank.context,
                    people=people,
                    progress=lambda n: progress.update(task, completed=n),
                    story=story,
                )
        finally:
            bank.close()
        _print_logins(logins, settings.base_url)
        out.print(f"[bold]Database[/bold] {escape(url)}\n", soft_wrap=True)
        shown_sim = None
        if serve_after and simulator is not None and cards is not None:
            sim_url = simulator.url
            out.print(
                f"[bold]Mynaportal API simulator[/bold] (SIMULATOR, synthetic data) at {sim_url}"
            )
            out.print(f"  people and card PINs: {sim_url}/sim/people   J-LIS root: {root}")
            out.print("  link: POST /v1/me/mynaportal/link as a person, open authorization_url\n")
            shown_sim = (sim_url, cards.to_try)
        print_start_here(out, logins, settings.base_url, shown_sim)
        if serve_after:
            import uvicorn

            from infobank.entrypoints.api.app import create_app

            uvicorn.run(create_app(settings, worker=True), host=host, port=port, log_level="info")


def _demo_database(running: ExitStack, db: Path, postgres: bool) -> str:
    """The URL of a fresh demo database: the SQLite file ``db``, or an embedded PostgreSQL in
    ``<db stem>-pg`` beside it, kept running until ``running`` closes."""
    from infobank.bootstrap import EmbeddedPostgresUnavailable, embedded_postgres

    if postgres:
        folder = db.resolve().with_name(f"{db.stem}-pg")
        try:
            return running.enter_context(embedded_postgres(folder, fresh=True))
        except EmbeddedPostgresUnavailable as exc:
            raise _fail(escape(str(exc))) from None
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{db.resolve()}"


def _start_simulator(host: str, port: int, root: Path) -> RunningSim:
    """Run the Mynaportal simulator in a thread and trust its J-LIS root (demo only)."""
    from infobank.mynaportal_sim import SimOptions
    from infobank.mynaportal_sim.server import start_in_thread

    # A pending result asks the bank to come back in a quarter second, not the default second:
    # the demo links a person while seeding, and a newcomer waits less at the card page too.
    options = SimOptions(base_url=f"http://{host}:{port}", retry_after_s=0.25)
    running = start_in_thread(options, host, port)
    root.write_text(running.state.authority.root_pem())
    os.environ["INFOBANK_MYNAPORTAL_URL"] = running.url
    os.environ["INFOBANK_JLIS_ROOT"] = str(root)
    return running


@app.command("mynaportal-sim")
def mynaportal_sim(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8100,
    seed: Annotated[int, typer.Option(help="same seed, same people, PINs and cards")] = 20261126,
    people: Annotated[int, typer.Option(min=4, max=10_000)] = 20,
) -> None:
    """Serve a SIMULATOR of the Mynaportal self-information API (synthetic people only)."""
    import uvicorn

    from infobank.mynaportal_sim import SimOptions, create_sim_app

    base = f"http://{host}:{port}"
    err.print(f"Mynaportal API SIMULATOR at {base} (people: {base}/sim/people)")
    sim_app = create_sim_app(SimOptions(seed=seed, people=people, base_url=base))
    uvicorn.run(sim_app, host=host, port=port, log_level="info")


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


if __name__ == "__main__":
    main()
