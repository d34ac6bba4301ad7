"""Web sessions for the pages: started after a log-in, resumed per request, ended on log-out.

The cookie carries a random 256-bit token; only its SHA-256 is stored, with an absolute
expiry and an idle timeout (``Limits.web_session_ttl_s`` / ``web_session_idle_s``). Each
session holds a CSRF token that forms echo back (synchronizer token pattern). A session of an
account that was deleted or disabled stops working at once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from infobank.domain.errors import Busy
from infobank.domain.identity import Principal
from infobank.domain.sessions import WebSession
from infobank.services import credentials
from infobank.services.context import Context
from infobank.services.identity import is_active

__all__ = ["StartedSession", "end", "resume", "start"]

# last_seen_at is written at most this often, so reading pages is not a write per request.
_TOUCH_EVERY = timedelta(seconds=60)


@dataclass(frozen=True, slots=True)
class StartedSession:
    """The cookie value, shown to the browser once; ``session`` is what the bank keeps."""

    token: str
    session: WebSession
    max_age: int


def start(ctx: Context, principal: Principal) -> StartedSession:
    now = ctx.clock.now()
    token = credentials.new_token("ibw")
    ttl = ctx.limits.web_session_ttl_s
    web = WebSession(
        token_hash=credentials.digest(token),
        principal=principal,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        expires_at=now + timedelta(seconds=ttl),
        last_seen_at=now,
    )
    with ctx.uow() as uow:
        uow.web_sessions.add(web)
        uow.commit()
    return StartedSession(token=token, session=web, max_age=ttl)


def resume(ctx: Context, token: str) -> WebSession | None:
    """The live session this cookie names, or None (unknown, expired, idle, ended, or its
    account gone)."""
    if not token or len(token) > 128:
        return None
    now = ctx.clock.now()
    idle = timedelta(seconds=ctx.limits.web_session_idle_s)
    with ctx.read() as uow:
        web = uow.web_sessions.get(credentials.digest(token))
        if web is None or not web.usable_at(now, idle) or not is_active(uow, web.principal):
            return None
    if now - web.last_seen_at >= _TOUCH_EVERY:
        try:
            with ctx.uow() as uow:
                uow.web_sessions.touch(web.token_hash, now)
                uow.commit()
        except Busy:
            pass  # the next request touches it; a page is not refused for this
    return web


def end(ctx: Context, token: str) -> None:
    """Log out: the session stops working, whatever the browser still holds."""
    with ctx.uow() as uow:
        uow.web_sessions.revoke(credentials.digest(token), ctx.clock.now())
        uow.commit()
