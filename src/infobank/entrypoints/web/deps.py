"""Per-request state of a page (``Visit``), the access checks, CSRF, and the route class that
turns domain errors into pages.

Access mirrors the API: person pages need a person's session, staff pages a staff session
with one of the page's roles (a person gets 403), and ownership is checked by the use cases
themselves (another person's consent or record is 404).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.responses import RedirectResponse, Response

from infobank.bootstrap import Bank
from infobank.domain import errors as e
from infobank.domain.identity import PrincipalKind, StaffRole
from infobank.domain.pages import PageRequest
from infobank.domain.sessions import WebSession
from infobank.entrypoints.web import security
from infobank.entrypoints.web.i18n import pick_language
from infobank.entrypoints.web.templating import Pages
from infobank.services import sessions
from infobank.services.context import Context

__all__ = [
    "CsrfRefused",
    "LoginRequired",
    "PageRoute",
    "PersonVisit",
    "VisitDep",
    "WrongAccount",
    "csrf_guard",
    "staff_visit",
    "visit_of",
]

PAGE_SIZE = 20  # items per page of a list on the pages (a phone screen or two)

_STATUS: dict[type[e.InfobankError], int] = {
    e.NotFound: 404,
    e.AuthenticationFailed: 401,
    e.Forbidden: 403,
    e.RateLimited: 429,
    e.InvalidInput: 422,
    e.Conflict: 409,
    e.Gone: 410,
    e.Busy: 503,
    e.PolicyRefused: 403,
}


class LoginRequired(Exception):
    def __init__(self, staff: bool) -> None:
        super().__init__("log in first")
        self.staff = staff


class WrongAccount(Exception):
    """Signed in, but as an account this page is not for (a person on a staff page)."""


class CsrfRefused(Exception):
    pass


@dataclass
class Visit:
    """One page request: the bank, the visitor's language and session, cookies to set."""

    request: Request
    bank: Bank
    pages: Pages
    lang: str
    session: WebSession | None
    lang_chosen: bool = False
    new_anon: str | None = None
    cookies: list[tuple[str, str, int | None]] = field(default_factory=list)
    clear_session: bool = False

    @property
    def ctx(self) -> Context:
        return self.bank.context

    @property
    def secure(self) -> bool:
        return security.is_secure(self.request, self.bank.settings.base_url)

    @property
    def address(self) -> str:
        return self.request.client.host if self.request.client else "unknown"

    @property
    def principal_id(self) -> str:
        assert self.session is not None
        return self.session.principal.id

    def _csrf_key(self) -> bytes:
        key: bytes = self.request.app.state.csrf_key
        return key

    def expected_csrf(self) -> str | None:
        """The token a form must carry, or None if this browser was never given one."""
        if self.session is not None:
            return self.session.csrf_token
        anon = self.request.cookies.get(security.ANON_COOKIE)
        return security.anon_csrf(self._csrf_key(), anon) if anon else None

    def csrf_token(self) -> str:
        """The token to put in forms, giving the browser a pre-session cookie if needed."""
        expected = self.expected_csrf()
        if expected is not None:
            return expected
        if self.new_anon is None:
            self.new_anon = security.new_anon_value()
        return security.anon_csrf(self._csrf_key(), self.new_anon)

    def _finish(self, response: Response) -> Response:
        secure = self.secure
        if self.lang_chosen:
            security.set_cookie(
                response, security.LANG_COOKIE, self.lang, max_age=None, secure=secure
            )
        if self.new_anon is not None:
            security.set_cookie(
                response, security.ANON_COOKIE, self.new_anon, max_age=None, secure=secure
            )
        if self.clear_session:
            security.clear_session_cookie(response, secure=secure)
        for name, value, max_age in self.cookies:
            security.set_cookie(response, name, value, max_age=max_age, secure=secure)
        return response

    def page_request(self, limit: int = PAGE_SIZE, param: str = "cursor") -> PageRequest:
        """The page of a list the visitor asked for (``?cursor=``, or ``param`` where a page
        shows several lists); the newest by default."""
        return PageRequest.parse(limit, self.request.query_params.get(param) or None)

    def page_url(self, cursor: str, param: str = "cursor") -> str:
        """This page's address with another cursor for one list (filters and the other lists'
        cursors kept, one-off messages dropped)."""
        kept = [
            (k, v)
            for k, v in self.request.query_params.multi_items()
            if k not in (param, "msg", "confirm")
        ]
        return f"{self.request.url.path}?{urlencode([*kept, (param, cursor)])}"

    def render(self, name: str, *, status: int = 200, **context: Any) -> Response:
        session = self.session
        base = {
            "path": self.request.url.path,
            "session": session,
            "is_person": session is not None and session.principal.kind is PrincipalKind.PERSON,
            "role": session.principal.role.value
            if session is not None and session.principal.role
            else None,
            "csrf": self.csrf_token(),
            "msg": self.request.query_params.get("msg", ""),
            "confirm": self.request.query_params.get("confirm", ""),
            "page_url": self.page_url,
            "now": self.ctx.clock.now(),  # for relative days (今日, あと N 日)
        }
        return self._finish(self.pages.render(self.lang, name, {**base, **context}, status=status))

    def redirect(self, url: str, msg: str | None = None, **params: str | int) -> Response:
        query = {**({"msg": msg} if msg else {}), **{k: str(v) for k, v in params.items()}}
        target = f"{url}?{urlencode(query)}" if query else url
        return self._finish(RedirectResponse(target, status_code=303))

    def error(
        self, status: int, code: str, detail: str = "", reasons: tuple[Any, ...] = ()
    ) -> Response:
        return self.render("error.html", status=status, code=code, detail=detail, reasons=reasons)


def _visit(request: Request) -> Visit:
    """Build (once per request) the visit: language and the session the cookie names."""
    cached: Visit | None = getattr(request.state, "visit", None)
    if cached is not None:
        return cached
    bank: Bank = request.app.state.bank
    chosen = request.query_params.get("lang")
    lang = pick_language(chosen, request.cookies.get(security.LANG_COOKIE))
    token = request.cookies.get(security.SESSION_COOKIE)
    session = sessions.resume(bank.context, token) if token else None
    visit = Visit(
        request=request,
        bank=bank,
        pages=request.app.state.pages,
        lang=lang,
        session=session,
        lang_chosen=chosen == lang,
        clear_session=bool(token) and session is None,
    )
    request.state.visit = visit
    return visit


def visit_of(request: Request) -> Visit:
    """The visit of a request answered outside the page routes (an error page, the
    Mynaportal callback's result): the same language and session as a page would have."""
    return _visit(request)


VisitDep = Annotated[Visit, Depends(_visit)]


def _person(visit: VisitDep) -> Visit:
    session = visit.session
    if session is None:
        raise LoginRequired(staff=False)
    if session.principal.kind is not PrincipalKind.PERSON:
        raise WrongAccount()
    return visit


PersonVisit = Annotated[Visit, Depends(_person)]


def staff_visit(*roles: StaffRole) -> Callable[[Visit], Visit]:
    """A dependency admitting staff holding one of ``roles`` (any staff if none given)."""

    def check(visit: VisitDep) -> Visit:
        session = visit.session
        if session is None:
            raise LoginRequired(staff=True)
        if not session.principal.is_staff(*roles):
            raise WrongAccount()
        return visit

    return check


async def csrf_guard(request: Request) -> None:
    """Refuse any form post whose CSRF token does not match this browser's."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    form = await request.form()
    sent = form.get("csrf_token") or request.headers.get("x-csrf-token")
    visit = await run_in_threadpool(_visit, request)
    if not security.tokens_match(sent, visit.expected_csrf()):
        raise CsrfRefused()


def _handle(request: Request, exc: Exception) -> Response:
    visit = _visit(request)
    if isinstance(exc, LoginRequired):
        login = "/staff/login" if exc.staff else "/login"
        path = request.url.path
        return visit.redirect(f"{login}?next={quote(path)}" if path != "/" else login)
    if isinstance(exc, CsrfRefused):
        return visit.error(403, "csrf")
    if isinstance(exc, WrongAccount):
        return visit.error(403, "wrong_account")
    if isinstance(exc, RequestValidationError):
        return visit.error(422, "validation_error")
    assert isinstance(exc, e.InfobankError)
    status = next((_STATUS[c] for c in type(exc).__mro__ if c in _STATUS), 400)
    reasons = exc.reasons if isinstance(exc, e.PolicyRefused) else ()
    code = "policy_refused" if reasons else exc.code
    page = visit.error(status, code, exc.detail, reasons)
    if isinstance(exc, e.RateLimited | e.Busy):
        page.headers["Retry-After"] = str(exc.retry_after)
    return page


class PageRoute(APIRoute):
    """A page route: domain errors become pages in the visitor's language, not JSON."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page(request: Request) -> Response:
            try:
                return await handler(request)
            except (
                LoginRequired,
                WrongAccount,
                CsrfRefused,
                RequestValidationError,
                e.InfobankError,
            ) as exc:
                return await run_in_threadpool(_handle, request, exc)

        return page
