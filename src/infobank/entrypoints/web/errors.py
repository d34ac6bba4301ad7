"""Error pages for browsers (エラーページ): a mistyped address, a wrong method or a failure
inside the bank shown as a page in the layout and the visitor's language; API clients keep
their ``application/problem+json`` answers, byte for byte.

    error ─► API path (/v1, /oauth, /.well-known)? ─yes─► the API's handler: problem+json
               └─no─► Accept prefers text/html to JSON? ─no──► the API's handler
                                                       └─yes─► error.html (status kept)

The page takes its status and ``code`` from the problem the API would have answered, so
both speak of the same error; it never shows a traceback or the API's English detail.
"""

from __future__ import annotations

import inspect
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.exc import DataError, IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from infobank.entrypoints.web import security
from infobank.entrypoints.web.deps import Visit, visit_of
from infobank.entrypoints.web.i18n import pick_language

__all__ = ["API_PREFIXES", "install_error_pages", "wants_page"]

log = logging.getLogger(__name__)

# Paths that only ever answer machines: their errors stay problem+json whatever is accepted.
API_PREFIXES = ("/v1", "/oauth", "/.well-known")

# The errors the API answers with a problem that a browser may meet on a page's path.
_PAGED = (StarletteHTTPException, IntegrityError, DataError, Exception)

# Headers of the problem that still mean something on the page.
_KEPT_HEADERS = ("allow", "retry-after")

Handler = Callable[[Request, Any], Response | Awaitable[Response]]


def _quality(accept: str, media_type: str) -> float:
    """How much ``accept`` wants ``media_type``: the q of the most specific range that
    matches it (``text/html`` before ``text/*`` before ``*/*``), 0 if none does."""
    main = media_type.split("/")[0]
    best, rank = 0.0, -1
    for item in accept.split(","):
        fields = item.split(";")
        media = fields[0].strip().lower()
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        matched = {media_type: 2, f"{main}/*": 1, "*/*": 0}.get(media, -1)
        if matched > rank or (matched == rank and matched >= 0 and q > best):
            best, rank = q, matched
    return best


def wants_page(request: Request) -> bool:
    """A browser asking for a page: not an API path, and HTML preferred to JSON (a tie, or
    no Accept header at all, answers JSON)."""
    path = request.url.path
    if any(path == prefix or path.startswith(prefix + "/") for prefix in API_PREFIXES):
        return False
    accept = request.headers.get("accept", "")
    html = _quality(accept, "text/html")
    machine = max(
        _quality(accept, "application/json"), _quality(accept, "application/problem+json")
    )
    return html > machine


def _visit(request: Request) -> Visit:
    """The visitor's page state; without their session if it cannot be read (the failure
    being shown may be the database's own)."""
    try:
        return visit_of(request)
    except Exception:
        log.warning("error page shown without the visitor's session", exc_info=True)
        language = pick_language(
            request.query_params.get("lang"), request.cookies.get(security.LANG_COOKIE)
        )
        return Visit(
            request=request,
            bank=request.app.state.bank,
            pages=request.app.state.pages,
            lang=language,
            session=None,
        )


def _page(request: Request, problem: Response) -> Response:
    try:
        code = str(json.loads(bytes(problem.body)).get("code", "error"))
    except (ValueError, AttributeError):
        code = "error"
    page = _visit(request).error(problem.status_code, code)
    for name in _KEPT_HEADERS:
        if name in problem.headers:
            page.headers[name] = problem.headers[name]
    return page


def _page_or(api: Handler) -> Callable[[Request, Exception], Awaitable[Response]]:
    async def handle(request: Request, exc: Exception) -> Response:
        answered = api(request, exc)
        problem = await answered if inspect.isawaitable(answered) else answered
        if not wants_page(request):
            return problem
        return await run_in_threadpool(_page, request, problem)

    return handle


def install_error_pages(app: FastAPI) -> None:
    """Wrap the API's problem handlers (installed first) so browsers get pages instead."""
    for kind in _PAGED:
        app.add_exception_handler(kind, _page_or(app.exception_handlers[kind]))
