"""``create_app``: the ASGI application. Nothing runs at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from infobank import __version__
from infobank.bootstrap import Bank, bootstrap
from infobank.config import Settings
from infobank.entrypoints.api.idempotency import IdempotencyKeys
from infobank.entrypoints.api.limits import BodyLimit
from infobank.entrypoints.api.metrics import install_metrics
from infobank.entrypoints.api.problems import install_problem_handlers
from infobank.entrypoints.api.routers import (
    account,
    admin,
    admin_loop,
    auth,
    incidents,
    inquiries,
    joint_applications,
    log,
    me_loop,
    mynaportal,
    operations,
    persons,
    public,
    recipients,
    rules,
    sources,
    transfers,
)
from infobank.entrypoints.web import install_pages
from infobank.entrypoints.worker import start_thread

__all__ = ["create_app"]

# A record may be 1 MiB; a source batch carries many. Bodies beyond this never reach a handler.
_MAX_BODY = 32 * 1024 * 1024


def create_app(
    settings: Settings | None = None, *, bank: Bank | None = None, worker: bool = False
) -> FastAPI:
    """Build the app for ``settings`` (or around an already wired ``bank``, for tests).

    With ``worker`` the app runs the background worker in a thread while it serves.
    """
    if bank is None:
        bank = bootstrap(settings or Settings(), migrate=True)
    wired = bank

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        running = start_thread(wired) if worker else None
        yield
        if running is not None:
            thread, stop = running
            stop.set()
            thread.join(timeout=10)
        wired.close()

    app = FastAPI(
        title="infobank",
        version=__version__,
        description=(
            "An information bank (情報銀行) and data intermediary (データ仲介者). "
            "Errors are application/problem+json with a stable `code`."
        ),
        lifespan=lifespan,
    )
    app.state.bank = wired
    install_problem_handlers(app)
    # mynaportal before account: it answers GET /v1/me/export?format=fhir
    routers = (public, auth, persons, me_loop, sources, recipients, admin, admin_loop, log,
               mynaportal, joint_applications)  # fmt: skip
    for module in (*routers, account, inquiries, rules, incidents, operations, transfers):
        router = module.router
        app.include_router(router)
    app.add_middleware(IdempotencyKeys, context=wired.context)
    app.add_middleware(BodyLimit, max_bytes=max(_MAX_BODY, wired.settings.max_record_bytes * 2))
    install_metrics(app, wired.context)  # outermost: GET /metrics sees every answer

    install_pages(app, wired)  # the pages: person's side at /, staff console at /staff
    return app
