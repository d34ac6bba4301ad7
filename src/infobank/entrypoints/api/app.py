"""``create_app``: the ASGI application. Nothing runs at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from html import escape

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from infobank import __version__
from infobank.bootstrap import Bank, bootstrap
from infobank.config import Settings
from infobank.entrypoints.api.limits import BodyLimit
from infobank.entrypoints.api.problems import install_problem_handlers
from infobank.entrypoints.api.routers import (
    admin,
    admin_loop,
    auth,
    me_loop,
    persons,
    public,
    recipients,
    sources,
)
from infobank.entrypoints.worker_loop import start_thread

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
        running = start_thread(wired.context) if worker else None
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
    routers = (public, auth, persons, me_loop, sources, recipients, admin, admin_loop)
    for module in routers:
        router = module.router
        app.include_router(router)
    app.add_middleware(BodyLimit, max_bytes=max(_MAX_BODY, wired.settings.max_record_bytes * 2))

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> str:
        return _INDEX.format(
            base=escape(wired.settings.base_url), version=escape(wired.settings.guideline_version)
        )

    return app


_INDEX = """<!doctype html>
<html lang="ja"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>infobank</title></head>
<body>
<main>
<h1>infobank 情報銀行</h1>
<p>This is an infobank instance at {base}, applying certification guideline (認定指針)
version {version}.</p>
<ul>
<li><a href="/docs">API documentation (OpenAPI)</a></li>
<li><a href="/v1/catalogue">Data catalogue</a> · <a href="/v1/terms">Terms of use</a>
 · <a href="/.well-known/jwks.json">Signing keys (JWKS)</a></li>
</ul>
<p>Demo logins are printed by <code>infobank demo</code>. A person logs in with
<code>POST /v1/auth/login</code>; staff use the bearer token printed for them; businesses use
<code>POST /oauth/token</code> with their client id and secret.</p>
</main>
</body></html>
"""
