"""Sign-up (新規登録), log-in and log-out pages, for persons and for staff (職員ログイン)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query
from pydantic import ValidationError
from starlette.responses import Response

from infobank.domain import errors as e
from infobank.domain.identity import Gender, Principal, PrincipalKind
from infobank.entrypoints.api.me.profile import PersonCreate
from infobank.entrypoints.web import security
from infobank.entrypoints.web.deps import PageRoute, Visit, VisitDep, csrf_guard
from infobank.entrypoints.web.staff.home import STAFF_HOME
from infobank.services import identity, sessions, terms

router = APIRouter(route_class=PageRoute, dependencies=[Depends(csrf_guard)])

Text = Annotated[str, Form(max_length=1024)]
NextQuery = Annotated[str, Query(alias="next", max_length=1024)]
NextForm = Annotated[str, Form(alias="next", max_length=1024)]


def safe_next(target: str, fallback: str) -> str:
    """Only a path on this site (never ``//host`` or a scheme) may follow a log-in."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return fallback


def _signed_in(visit: Visit, principal: Principal, target: str, msg: str | None) -> Response:
    """A fresh session for every log-in (never one the browser brought along), and the one
    it replaces ended."""
    previous = visit.request.cookies.get(security.SESSION_COOKIE)
    if previous:
        sessions.end(visit.ctx, previous)
    started = sessions.start(visit.ctx, principal)
    visit.clear_session = False
    visit.cookies.append((security.SESSION_COOKIE, started.token, started.max_age))
    return visit.redirect(target, msg)


def _signup_page(
    visit: Visit, status: int, form: dict[str, str], invalid: list[str], error: str
) -> Response:
    return visit.render(
        "signup.html",
        status=status,
        form=form,
        invalid=invalid,
        error=error,
        terms=terms.current(visit.ctx),
    )


@router.get("/signup")
def signup_page(visit: VisitDep) -> Response:
    if visit.session is not None and visit.session.principal.kind is PrincipalKind.PERSON:
        return visit.redirect("/")
    return _signup_page(visit, 200, {}, [], "")


@router.post("/signup")
def signup(
    visit: VisitDep,
    email: Text = "",
    password: Text = "",
    display_name: Text = "",
    birth_date: Text = "",
    gender: Text = "unspecified",
    prefecture: Text = "",
    terms_version: Text = "",
    agree: Text = "",
) -> Response:
    form = {
        "email": email,
        "display_name": display_name,
        "birth_date": birth_date,
        "gender": gender,
        "prefecture": prefecture,
    }
    invalid: list[str] = []
    body: PersonCreate | None = None
    try:
        # The API's own schema, so pages and API accept exactly the same sign-ups.
        body = PersonCreate.model_validate(
            {
                "email": email,
                "password": password,
                "display_name": display_name,
                "birth_date": birth_date,
                "gender": gender,
                "prefecture": prefecture,
                "terms_version": terms_version,
            }
        )
    except ValidationError as exc:
        invalid = sorted({str(err["loc"][0]) for err in exc.errors() if err["loc"]})
    if agree != "yes":
        invalid.append("agree")
    if body is None or invalid:
        return _signup_page(visit, 422, form, invalid, "validation_error")
    try:
        person_id = identity.sign_up(
            visit.ctx,
            identity.SignUp(
                email=str(body.email),
                password=body.password,
                display_name=body.display_name,
                birth_date=body.birth_date,
                gender=Gender(body.gender),
                prefecture=body.prefecture,
                terms_version=body.terms_version,
            ),
        )
    except (e.Conflict, e.InvalidInput) as exc:
        status = 409 if isinstance(exc, e.Conflict) else 422
        return _signup_page(visit, status, form, [], exc.code)
    return _signed_in(visit, Principal(PrincipalKind.PERSON, person_id), "/", "signed_up")


@router.get("/login")
def login_page(visit: VisitDep, next_: NextQuery = "/") -> Response:
    target = safe_next(next_, "/")
    if visit.session is not None and visit.session.principal.kind is PrincipalKind.PERSON:
        return visit.redirect(target)
    return visit.render("login.html", staff=False, next=target, email="", error="")


def _login_failed(
    visit: Visit, exc: e.InfobankError, staff: bool, next_: str, email: str
) -> Response:
    status = 429 if isinstance(exc, e.RateLimited) else 401
    code = "rate_limited" if isinstance(exc, e.RateLimited) else "invalid_credentials"
    return visit.render(
        "login.html", status=status, staff=staff, next=next_, email=email, error=code
    )


@router.post("/login")
def login(
    visit: VisitDep, email: Text = "", password: Text = "", next_: NextForm = "/"
) -> Response:
    target = safe_next(next_, "/")
    try:
        principal = identity.check_person(visit.ctx, email, password, visit.address)
    except (e.AuthenticationFailed, e.RateLimited) as exc:
        return _login_failed(visit, exc, False, target, email)
    return _signed_in(visit, principal, target, None)


@router.post("/logout")
def logout(visit: VisitDep) -> Response:
    token = visit.request.cookies.get(security.SESSION_COOKIE)
    staff = visit.session is not None and visit.session.principal.kind is PrincipalKind.STAFF
    if token:
        sessions.end(visit.ctx, token)
    visit.clear_session = True
    return visit.redirect("/staff/login" if staff else "/", "logged_out")


@router.get("/staff/login")
def staff_login_page(visit: VisitDep, next_: NextQuery = "") -> Response:
    return visit.render("login.html", staff=True, next=safe_next(next_, ""), email="", error="")


@router.post("/staff/login")
def staff_login(
    visit: VisitDep, email: Text = "", password: Text = "", next_: NextForm = ""
) -> Response:
    try:
        principal = identity.check_staff(visit.ctx, email, password, visit.address)
    except (e.AuthenticationFailed, e.RateLimited) as exc:
        return _login_failed(visit, exc, True, safe_next(next_, ""), email)
    assert principal.role is not None
    return _signed_in(visit, principal, safe_next(next_, STAFF_HOME[principal.role]), None)
