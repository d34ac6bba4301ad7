"""The ``Idempotency-Key`` header on authenticated POSTs (SPEC §9), as ASGI middleware.

The key is scoped to the caller (principal kind and id) and bound to a digest of the method,
path, query and body. Responses below 500 are stored and replayed with the header
``Idempotent-Replayed: true``; a 5xx or a crash releases the key so a retry runs again.
Requests without the header, or without a valid bearer token, pass through untouched (the
route itself then answers 401 where it needs a caller).
"""

from __future__ import annotations

import hashlib

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from infobank.domain.errors import AuthenticationFailed, InfobankError
from infobank.entrypoints.api.problems import MEDIA_TYPE, problem, status_for
from infobank.services import idempotency
from infobank.services.context import Context
from infobank.services.identity import authenticate

__all__ = ["IdempotencyKeys"]


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


class IdempotencyKeys:
    def __init__(self, app: ASGIApp, context: Context) -> None:
        self.app = app
        self.context = context

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        key = _header(scope, b"idempotency-key")
        authorization = _header(scope, b"authorization") or ""
        scheme, _, token = authorization.partition(" ")
        if key is None or scheme.lower() != "bearer" or not token.strip():
            await self.app(scope, receive, send)
            return
        try:
            caller = await run_in_threadpool(authenticate, self.context, token.strip())
        except AuthenticationFailed:
            await self.app(scope, receive, send)
            return
        principal = f"{caller.kind.value}:{caller.id}"

        chunks: list[bytes] = []
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            more = bool(message.get("more_body", False))
        body = b"".join(chunks)
        digest = hashlib.sha256()
        for part in (scope["method"], scope["path"], scope.get("query_string", b"").decode()):
            digest.update(part.encode() + b"\0")
        digest.update(body)

        try:
            stored = await run_in_threadpool(
                idempotency.begin, self.context, principal, key, digest.hexdigest()
            )
        except InfobankError as exc:
            response = problem(status_for(exc), exc.code, exc.detail)
            await response(scope, receive, send)
            return
        if stored is not None:
            await self._replay(stored.status, stored.body, send)
            return

        replayed = False

        async def replay_body() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        status = 500
        sent: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            elif message["type"] == "http.response.body":
                sent.append(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, replay_body, capture)
        except BaseException:
            await run_in_threadpool(idempotency.release, self.context, principal, key)
            raise
        if status >= 500:
            await run_in_threadpool(idempotency.release, self.context, principal, key)
        else:
            await run_in_threadpool(
                idempotency.finish, self.context, principal, key, status, b"".join(sent)
            )

    async def _replay(self, status: int, body: bytes, send: Send) -> None:
        media = MEDIA_TYPE if status >= 400 else "application/json"
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", media.encode()),
                    (b"content-length", str(len(body)).encode()),
                    (b"idempotent-replayed", b"true"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
