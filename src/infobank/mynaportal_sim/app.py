"""The simulator's ASGI app: OAuth 2.0 with PKCE and a card step, then the IF001-style exchange.

GET  /oauth/authorize   the card page (card-select, card-pin, card-submit)
POST /oauth/card        PIN checked; the card signs the bank's nonce; 303 to redirect_uri
POST /oauth/token       code + code_verifier → access token (90 days: 期間連携) + card assertion
POST /request           {"items": [...]} → {"process_id"}
POST /result            {"process_id"} → pending | done (with data) | expired | error
GET  /sim/people        the synthetic people, with their PINs (a simulator only)
GET  /sim/ca.pem        the simulated J-LIS root;  GET /sim/crl/jlis.crl  its CRL (DER)
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from html import escape
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import FastAPI, Form, Header
from fastapi.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)

from infobank.mynaportal_sim.cards import CRL_PATH, Card, CardAuthority
from infobank.mynaportal_sim.population import SimPerson, generate, visible_items

__all__ = ["ITEM_KINDS", "SimOptions", "SimState", "create_sim_app"]

ITEM_KINDS = ("medication", "checkup", "medical_expenses")
_CODE_TTL = timedelta(minutes=10)
_PROCESS_TTL = timedelta(minutes=10)


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class SimOptions:
    """How the simulator behaves. ``clock`` lets tests move time for both sides at once."""

    seed: int = 20261126
    people: int = 20
    base_url: str = "http://127.0.0.1:8100"
    as_of: date | None = None  # the population's "today"; the clock's date when None
    clock: Callable[[], datetime] = _utc_now
    window_days: int = 90  # 期間連携: how long one consent lets a service fetch
    pending_polls: int = 1  # how many /result calls answer "pending" before "done"
    retry_after_s: float = 1.0  # what a pending answer tells the caller to wait


@dataclass
class _Grant:
    person_id: str
    client_id: str
    expires_at: datetime
    scope: str


@dataclass
class SimState:
    """Everything the simulator holds in memory; ``calls`` records each API call for tests."""

    options: SimOptions
    people: dict[str, SimPerson]
    cards: dict[str, Card]
    authority: CardAuthority
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: dict[str, dict[str, Any]] = field(default_factory=dict)
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    tokens: dict[str, _Grant] = field(default_factory=dict)
    processes: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)


def _state(options: SimOptions) -> SimState:
    as_of = options.as_of or options.clock().date()
    people = generate(options.seed, options.people, as_of)
    authority = CardAuthority(options.seed, options.base_url, as_of)
    return SimState(
        options=options,
        people={p.id: p for p in people},
        cards={p.id: authority.issue(p) for p in people},
        authority=authority,
    )


_BANNER = (
    '<p role="note" style="background:#fff3cd;padding:.5em;border:1px solid #e0c060">'
    "これはマイナポータルAPIのシミュレーターです。実在の人物・データではありません。"
    "<br>This is a SIMULATOR of the Mynaportal API. All people and data are invented.</p>"
)


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    html = (
        '<!doctype html><html lang="ja"><head><meta charset="utf-8">'
        f"<title>{escape(title)} — Mynaportal simulator</title></head><body><main>"
        f"{_BANNER}<h1>{escape(title)}</h1>{body}</main></body></html>"
    )
    return HTMLResponse(html, status_code=status)


def _redirect(uri: str, **params: str) -> RedirectResponse:
    joiner = "&" if "?" in uri else "?"
    return RedirectResponse(f"{uri}{joiner}{urlencode(params)}", status_code=303)


def _oauth_error(error: str, description: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": description}, status_code=status)


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


_STATUS_LABEL = {
    "valid": "有効 / valid",
    "expired": "有効期限切れ / expired",
    "revoked": "失効 / revoked",
    "foreign_ca": "他の認証局 / other CA",
}


def create_sim_app(options: SimOptions | None = None) -> FastAPI:
    """Build the simulator. Nothing runs at import time; the population is made here."""
    sim = _state(options or SimOptions())
    opts = sim.options
    app = FastAPI(
        title="Mynaportal API simulator (マイナポータルAPI シミュレーター)",
        description="A SIMULATOR of the Mynaportal self-information API, for development only.",
    )
    app.state.sim = sim

    @app.get("/", response_class=HTMLResponse)
    def index() -> HTMLResponse:
        return _page(
            "マイナポータルAPI シミュレーター / Mynaportal API simulator",
            f"<p>{len(sim.people)} synthetic people. "
            '<a href="/sim/people">/sim/people</a> · <a href="/sim/ca.pem">/sim/ca.pem</a> · '
            f'<a href="{CRL_PATH}">CRL</a> · <a href="/docs">API</a></p>',
        )

    @app.get("/oauth/authorize", response_class=HTMLResponse)
    def authorize(
        response_type: str = "",
        client_id: str = "",
        redirect_uri: str = "",
        state: str = "",
        code_challenge: str = "",
        code_challenge_method: str = "",
        nonce: str = "",
        scope: str = "",
    ) -> HTMLResponse:
        problems = []
        if response_type != "code":
            problems.append("response_type must be code")
        if not client_id or not redirect_uri.startswith(("http://", "https://")):
            problems.append("client_id and an http(s) redirect_uri are required")
        if code_challenge_method != "S256" or len(code_challenge) < 43:
            problems.append("PKCE with code_challenge_method=S256 is required")
        if not state or not nonce:
            problems.append("state and nonce are required")
        if problems:
            items = "".join(f"<li>{escape(p)}</li>" for p in problems)
            return _page("不正な要求 / Invalid request", f"<ul>{items}</ul>", 400)
        request_id = secrets.token_urlsafe(16)
        with sim.lock:
            sim.requests[request_id] = {
                "client_id": client_id,
                "redirect_uri": redirect_uri,
                "state": state,
                "code_challenge": code_challenge,
                "nonce": nonce,
                "scope": scope or " ".join(ITEM_KINDS),
            }
        options_html = "".join(
            f'<option value="{escape(p.id)}">{escape(p.name)} — {escape(p.card_number)} '
            f"({_STATUS_LABEL[p.card_status]})</option>"
            for p in sim.people.values()
        )
        form = (
            f"<p>「{escape(client_id)}」が、あなたの薬剤情報・特定健診情報・医療費通知情報を"
            f"{opts.window_days}日間（期間連携）取得することを求めています。<br>"
            f"“{escape(client_id)}” asks to fetch your medication, checkup and medical expense "
            f"data for {opts.window_days} days.</p>"
            '<form method="post" action="/oauth/card">'
            f'<input type="hidden" name="request_id" value="{escape(request_id)}">'
            '<p><label>カード / Card <select name="card" data-testid="card-select">'
            f"{options_html}</select></label></p>"
            "<p><label>利用者証明用電子証明書の暗証番号（数字4桁） / PIN (4 digits) "
            '<input name="pin" type="password" inputmode="numeric" maxlength="4" '
            'autocomplete="off" data-testid="card-pin"></label></p>'
            '<p><button type="submit" data-testid="card-submit">'
            "カードで認証 / Authenticate with the card</button></p></form>"
        )
        return _page("マイナンバーカードで認証 / Sign in with your My Number card", form)

    @app.post("/oauth/card", response_model=None)
    def card(
        request_id: Annotated[str, Form()],
        card: Annotated[str, Form()],
        pin: Annotated[str, Form()] = "",
    ) -> Response:
        with sim.lock:
            pending = sim.requests.pop(request_id, None)
        if pending is None:
            return _page(
                "要求が見つかりません / Unknown request", "<p>最初からやり直してください。</p>", 400
            )
        person = sim.people.get(card)
        if person is None:
            return _redirect(
                pending["redirect_uri"],
                error="access_denied",
                error_description="card_unknown",
                state=pending["state"],
            )
        if not secrets.compare_digest(pin.encode(), person.pin.encode()):
            return _redirect(
                pending["redirect_uri"],
                error="access_denied",
                error_description="card_pin_incorrect",
                state=pending["state"],
            )
        signature = sim.cards[person.id].sign(pending["nonce"].encode())
        code = secrets.token_urlsafe(24)
        with sim.lock:
            sim.codes[code] = {
                **pending,
                "person_id": person.id,
                "signature": _b64url(signature),
                "issued_at": opts.clock(),
            }
        return _redirect(pending["redirect_uri"], code=code, state=pending["state"])

    @app.post("/oauth/token")
    def token(
        grant_type: Annotated[str, Form()] = "",
        code: Annotated[str, Form()] = "",
        redirect_uri: Annotated[str, Form()] = "",
        client_id: Annotated[str, Form()] = "",
        code_verifier: Annotated[str, Form()] = "",
    ) -> JSONResponse:
        if grant_type != "authorization_code":
            return _oauth_error("unsupported_grant_type", "only authorization_code")
        now = opts.clock()
        with sim.lock:
            issued = sim.codes.pop(code, None)  # single use, whatever happens next
        if issued is None or now - issued["issued_at"] > _CODE_TTL:
            return _oauth_error("invalid_grant", "unknown, used or expired code")
        if issued["client_id"] != client_id or issued["redirect_uri"] != redirect_uri:
            return _oauth_error("invalid_grant", "client_id or redirect_uri does not match")
        challenge = _b64url(hashlib.sha256(code_verifier.encode()).digest())
        if not secrets.compare_digest(challenge, issued["code_challenge"]):
            return _oauth_error("invalid_grant", "PKCE code_verifier does not match")
        access = secrets.token_urlsafe(32)
        lifetime = timedelta(days=opts.window_days)
        with sim.lock:
            sim.tokens[access] = _Grant(
                issued["person_id"], client_id, now + lifetime, issued["scope"]
            )
        return JSONResponse(
            {
                "access_token": access,
                "token_type": "Bearer",
                "expires_in": int(lifetime.total_seconds()),
                "scope": issued["scope"],
                "card_assertion": {
                    "certificate": sim.cards[issued["person_id"]].certificate_pem(),
                    "nonce": issued["nonce"],
                    "signature": issued["signature"],
                    "alg": "EdDSA",
                },
            },
            headers={"Cache-Control": "no-store"},
        )

    def _grant(authorization: str | None) -> _Grant | JSONResponse:
        scheme, _, value = (authorization or "").partition(" ")
        grant = sim.tokens.get(value) if scheme.lower() == "bearer" else None
        if grant is None:
            return _oauth_error("invalid_token", "unknown access token", 401)
        if opts.clock() >= grant.expires_at:
            return _oauth_error("invalid_token", "linkage_period_expired", 401)
        return grant

    @app.post("/request", response_model=None)
    def request_data(
        body: dict[str, Any], authorization: Annotated[str | None, Header()] = None
    ) -> JSONResponse:
        sim.calls.append("request")
        grant = _grant(authorization)
        if isinstance(grant, JSONResponse):
            return grant
        kinds = body.get("items") or list(ITEM_KINDS)
        if not isinstance(kinds, list) or any(k not in grant.scope.split() for k in kinds):
            return JSONResponse({"status": "error", "error": "invalid_items"}, status_code=400)
        process_id = secrets.token_hex(12)
        with sim.lock:
            sim.processes[process_id] = {
                "person_id": grant.person_id,
                "kinds": kinds,
                "created_at": opts.clock(),
                "polls": 0,
            }
        return JSONResponse({"process_id": process_id, "status": "accepted"})

    @app.post("/result", response_model=None)
    def result(
        body: dict[str, Any], authorization: Annotated[str | None, Header()] = None
    ) -> JSONResponse:
        sim.calls.append("result")
        grant = _grant(authorization)
        if isinstance(grant, JSONResponse):
            return grant
        process_id = str(body.get("process_id", ""))
        with sim.lock:
            process = sim.processes.get(process_id)
            if process is None or process["person_id"] != grant.person_id:
                return JSONResponse(
                    {"process_id": process_id, "status": "error", "error": "unknown_process"},
                    status_code=404,
                )
            now = opts.clock()
            if now - process["created_at"] > _PROCESS_TTL:
                sim.processes.pop(process_id, None)
                return JSONResponse({"process_id": process_id, "status": "expired"})
            process["polls"] += 1
            if process["polls"] <= opts.pending_polls:
                return JSONResponse(
                    {
                        "process_id": process_id,
                        "status": "pending",
                        "retry_after": opts.retry_after_s,
                    }
                )
            sim.processes.pop(process_id, None)
        person = sim.people[grant.person_id]
        data = visible_items(person, process["kinds"], now.date())
        return JSONResponse({"process_id": process_id, "status": "done", "data": data})

    @app.get("/sim/people")
    def people() -> list[dict[str, Any]]:
        return [
            {
                "id": p.id,
                "name": p.name,
                "birth_date": p.birth_date.isoformat(),
                "gender": p.gender,
                "card_number": p.card_number,
                "pin": p.pin,
                "card_status": p.card_status,
                "items": {kind: len(getattr(p, kind)) for kind in ITEM_KINDS},
            }
            for p in sim.people.values()
        ]

    @app.get("/sim/ca.pem", response_class=PlainTextResponse)
    def ca_pem() -> PlainTextResponse:
        return PlainTextResponse(sim.authority.root_pem(), media_type="application/x-pem-file")

    @app.get(CRL_PATH)
    def crl() -> Response:
        return Response(sim.authority.crl(opts.clock()), media_type="application/pkix-crl")

    return app
