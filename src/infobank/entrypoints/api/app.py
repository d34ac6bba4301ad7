"""``create_app``: the ASGI application. Nothing runs at import time."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI

from infobank import __version__
from infobank.bootstrap import Bank, bootstrap
from infobank.config import Settings
from infobank.entrypoints.api import auth
from infobank.entrypoints.api.admin import businesses as admin_businesses
from infobank.entrypoints.api.admin import exceptions as admin_exceptions
from infobank.entrypoints.api.admin import explain as admin_explain
from infobank.entrypoints.api.admin import incidents as admin_incidents
from infobank.entrypoints.api.admin import inquiries as admin_inquiries
from infobank.entrypoints.api.admin import joint_applications as admin_joint_applications
from infobank.entrypoints.api.admin import log as admin_log
from infobank.entrypoints.api.admin import offers as admin_offers
from infobank.entrypoints.api.admin import reviews as admin_reviews
from infobank.entrypoints.api.admin import terms as admin_terms
from infobank.entrypoints.api.admin import usage as admin_usage
from infobank.entrypoints.api.admin import usage_reports as admin_usage_reports
from infobank.entrypoints.api.admin import what_if as admin_what_if
from infobank.entrypoints.api.bank import transfers as bank_transfers
from infobank.entrypoints.api.idempotency import IdempotencyKeys
from infobank.entrypoints.api.limits import BodyLimit
from infobank.entrypoints.api.me import account as me_account
from infobank.entrypoints.api.me import benefits as me_benefits
from infobank.entrypoints.api.me import consents as me_consents
from infobank.entrypoints.api.me import delegation as me_delegation
from infobank.entrypoints.api.me import exit as me_exit
from infobank.entrypoints.api.me import inquiries as me_inquiries
from infobank.entrypoints.api.me import mynaportal as me_mynaportal
from infobank.entrypoints.api.me import notifications as me_notifications
from infobank.entrypoints.api.me import offers as me_offers
from infobank.entrypoints.api.me import profile as me_profile
from infobank.entrypoints.api.me import provisions as me_provisions
from infobank.entrypoints.api.me import records as me_records
from infobank.entrypoints.api.me import terms as me_terms
from infobank.entrypoints.api.me import transfers as me_transfers
from infobank.entrypoints.api.metrics import install_metrics
from infobank.entrypoints.api.problems import install_problem_handlers
from infobank.entrypoints.api.public import catalogue as public_catalogue
from infobank.entrypoints.api.public import health as public_health
from infobank.entrypoints.api.public import log as public_log
from infobank.entrypoints.api.recipient import deliveries as recipient_deliveries
from infobank.entrypoints.api.recipient import endpoints as recipient_endpoints
from infobank.entrypoints.api.recipient import offers as recipient_offers
from infobank.entrypoints.api.recipient import usage_reports as recipient_usage_reports
from infobank.entrypoints.api.source import records as source_records
from infobank.entrypoints.web import install_pages
from infobank.entrypoints.worker import start_thread

__all__ = ["WORKER_ENV", "create_app", "serving_app"]

# ``infobank serve --workers N`` tells its processes whether each runs the background worker.
WORKER_ENV = "INFOBANK_SERVE_IN_PROCESS_WORKER"

# A record may be 1 MiB; a source batch carries many. Bodies beyond this never reach a handler.
_MAX_BODY = 32 * 1024 * 1024

# Routes are tried in this order, and the OpenAPI document lists paths in it. The person's
# Mynaportal router comes before their account: it answers GET /v1/me/export?format=fhir.
_ROUTERS = (
    public_health,
    public_catalogue,
    auth,
    me_profile,
    me_records,
    me_delegation,
    me_offers,
    me_consents,
    me_provisions,
    me_benefits,
    me_notifications,
    source_records,
    recipient_endpoints,
    recipient_offers,
    recipient_usage_reports,
    recipient_deliveries,
    admin_businesses,
    admin_reviews,
    admin_usage_reports,
    admin_offers,
    admin_explain,
    public_log,
    admin_log,
    me_mynaportal,
    admin_joint_applications,
    me_account,
    me_inquiries,
    admin_inquiries,
    admin_terms,
    me_terms,
    admin_exceptions,
    admin_what_if,
    admin_incidents,
    admin_usage,
    bank_transfers,
    me_transfers,
    me_exit,
)


def create_app(
    settings: Settings | None = None,
    *,
    bank: Bank | None = None,
    worker: bool = False,
    migrate: bool = True,
) -> FastAPI:
    """Build the app for ``settings`` (or around an already wired ``bank``, for tests).

    With ``worker`` the app runs the background worker in a thread while it serves.
    """
    if bank is None:
        bank = bootstrap(settings or Settings(), migrate=migrate)
    wired = bank

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Handlers run in this many threads; the connection pool has as many connections.
        anyio.to_thread.current_default_thread_limiter().total_tokens = wired.settings.threads
        running = start_thread(wired) if worker else None
        yield
        if running is not None:
            thread, stop = running
            stop.set()
            wired.wakeup.notify()
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
    for module in _ROUTERS:
        app.include_router(module.router)
    app.add_middleware(IdempotencyKeys, context=wired.context)
    app.add_middleware(BodyLimit, max_bytes=max(_MAX_BODY, wired.settings.max_record_bytes * 2))
    install_metrics(app, wired.context)  # outermost: GET /metrics sees every answer

    install_pages(app, wired)  # the pages: person's side at /, staff console at /staff
    return app


def serving_app() -> FastAPI:
    """The app of one of ``infobank serve --workers N``'s processes: settings from the
    environment, migrations already applied by the parent."""
    return create_app(Settings(), worker=os.environ.get(WORKER_ENV) == "1", migrate=False)
