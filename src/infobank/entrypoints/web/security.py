"""Cookies and CSRF tokens of the pages.

- The session cookie holds a random token (stored hashed server-side): HttpOnly, SameSite=Lax,
  Secure whenever the page is served over HTTPS or the instance's base URL is https.
- Every form carries a CSRF token. Signed-in visitors get their session's own random token
  (synchronizer token). Before log-in (the log-in and sign-up forms) the token is an HMAC of
  a random pre-session cookie under a server key, so a forged cross-site log-in fails too.
  Tokens are compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from starlette.requests import Request
from starlette.responses import Response

__all__ = [
    "ANON_COOKIE",
    "LANG_COOKIE",
    "SESSION_COOKIE",
    "anon_csrf",
    "clear_session_cookie",
    "is_secure",
    "new_anon_value",
    "set_cookie",
    "tokens_match",
]

SESSION_COOKIE = "ib_session"
ANON_COOKIE = "ib_presession"
LANG_COOKIE = "ib_lang"

_LANG_MAX_AGE = 365 * 24 * 3600
_ANON_MAX_AGE = 24 * 3600


def is_secure(request: Request, base_url: str) -> bool:
    return request.url.scheme == "https" or base_url.startswith("https://")


def set_cookie(
    response: Response, name: str, value: str, *, max_age: int | None, secure: bool
) -> None:
    if max_age is None:
        max_age = _LANG_MAX_AGE if name == LANG_COOKIE else _ANON_MAX_AGE
    response.set_cookie(
        name, value, max_age=max_age, path="/", httponly=True, samesite="lax", secure=secure
    )


def clear_session_cookie(response: Response, *, secure: bool) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=secure)


def new_anon_value() -> str:
    return secrets.token_urlsafe(32)


def anon_csrf(key: bytes, anon_value: str) -> str:
    return hmac.new(key, f"csrf:{anon_value}".encode(), hashlib.sha256).hexdigest()


def tokens_match(sent: object, expected: str | None) -> bool:
    if not isinstance(sent, str) or not sent or not expected:
        return False
    return hmac.compare_digest(sent.encode(), expected.encode())
