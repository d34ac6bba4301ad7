"""RFC 9457 problem responses (``application/problem+json``) for every error the API returns.

Each body has ``type``, ``title``, ``status``, ``detail`` and a stable ``code``; policy
refusals add ``reasons[] {rule, source, basis_ja, basis_en, message, message_en, clause}``
(``clause``, the same text as ``basis_ja``, is kept for clients that read it) and batch
refusals add ``errors[]``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

from infobank.domain import errors as e

__all__ = ["MEDIA_TYPE", "install_problem_handlers", "problem", "status_for"]

MEDIA_TYPE = "application/problem+json"

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
    e.PolicyViolation: 422,
}

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    410: "gone",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
}


def problem(
    status: int,
    code: str,
    detail: str,
    *,
    extra: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": f"https://infobank.example/problems/{code}",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
    }
    if extra:
        body.update(extra)
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def status_for(exc: e.InfobankError) -> int:
    for cls in type(exc).__mro__:
        if cls in _STATUS:
            return _STATUS[cls]
    return 400


def _validation_errors(errors: Sequence[Any]) -> list[dict[str, Any]]:
    shown = []
    for err in errors:
        loc = [str(part) for part in err.get("loc", ()) if part != "body"]
        shown.append({"field": ".".join(loc) or "body", "detail": err.get("msg", "invalid")})
    return shown


def _reason(reason: e.RefusalReason) -> dict[str, str]:
    return {
        "rule": reason.rule,
        "source": reason.source,
        "basis_ja": reason.basis_ja,
        "basis_en": reason.basis_en,
        "message": reason.message,
        "message_en": reason.message_en,
        "clause": reason.basis_ja,
    }


_OAUTH_PATH = "/oauth/token"


def _oauth(response: JSONResponse) -> JSONResponse:
    """The token endpoint also speaks RFC 6749 §5.2: ``error`` and ``error_description``
    beside the problem fields, 400 for a bad request and 401 for a client not recognised."""
    body = json.loads(bytes(response.body))
    error = {
        401: "invalid_client",
        429: "invalid_client",
        422: "invalid_request",
        400: "invalid_request",
    }.get(response.status_code, "invalid_request")
    if body.get("code") == "unsupported_grant_type":
        error = "unsupported_grant_type"
    status = response.status_code if response.status_code in (401, 429) else 400
    body.update(status=status, error=error, error_description=body.get("detail", ""))
    headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
    headers["Cache-Control"] = "no-store"
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def install_problem_handlers(app: FastAPI) -> None:
    def answer(request: Request, response: JSONResponse) -> JSONResponse:
        return _oauth(response) if request.url.path == _OAUTH_PATH else response

    @app.exception_handler(DataError)
    async def _unstorable(request: Request, _exc: DataError) -> JSONResponse:
        # e.g. a NUL character, which PostgreSQL text cannot hold: refused, nothing written
        return answer(
            request,
            problem(
                422,
                "unstorable_value",
                "the request holds a value that cannot be stored (for instance a NUL character)",
            ),
        )

    @app.exception_handler(IntegrityError)
    async def _clash(request: Request, _exc: IntegrityError) -> JSONResponse:
        # two requests raced to create the same thing; the loser changed nothing
        return answer(
            request,
            problem(409, "conflict", "this conflicts with data stored meanwhile; reload and retry"),
        )

    @app.exception_handler(e.InfobankError)
    async def _domain(request: Request, exc: e.InfobankError) -> JSONResponse:
        extra: dict[str, Any] = {}
        headers: dict[str, str] = {}
        if isinstance(exc, e.PolicyRefused):
            extra["reasons"] = [_reason(r) for r in exc.reasons]
        if exc.errors:
            extra["errors"] = [dict(item) for item in exc.errors]
        if isinstance(exc, e.RateLimited | e.Busy):
            headers["Retry-After"] = str(exc.retry_after)
        if isinstance(exc, e.AuthenticationFailed):
            headers["WWW-Authenticate"] = "Bearer"
        return answer(
            request,
            problem(status_for(exc), exc.code, exc.detail, extra=extra, headers=headers),
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = list(exc.errors())
        if any(err.get("type") == "json_invalid" for err in errors):
            return problem(400, "malformed_json", "the request body is not valid JSON")
        return answer(
            request,
            problem(
                422,
                "validation_error",
                "the request does not match the schema",
                extra={"errors": _validation_errors(errors)},
            ),
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "error")
        detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        return problem(exc.status_code, code, detail, headers=exc.headers)

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, _exc: Exception) -> JSONResponse:
        # A bug, not the caller's doing: the traceback goes to the server's log only (the
        # server re-raises it there), the caller gets a problem like every other error.
        return problem(500, "internal_error", "the bank could not complete this request")
