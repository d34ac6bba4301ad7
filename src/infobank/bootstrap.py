"""The one place that wires adapters into services (the composition root).

``bootstrap(settings)`` opens the key store, makes the engine, and returns a ``Bank``: the
``Context`` that every use case receives, plus the adapters entry points hand to use cases
themselves (the transfer key, other banks, webhook delivery, the log as an auditor reads it).
Entry points (API, pages, CLI, worker) call it once at start and never build an adapter.
``log_audit`` wires a log source for ``infobank log verify``, which may run with no bank at all
(against another server's URL). ``embedded_postgres(folder)`` runs a PostgreSQL of its own in a
folder for ``infobank demo --postgres``, yielding its URL.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from joserfc.jwk import OKPKey
from sqlalchemy import Engine

from infobank.adapters.bank_peer import HttpxBankPeer
from infobank.adapters.clock import SystemClock
from infobank.adapters.crypto.envelope import AesGcmDataKeys
from infobank.adapters.crypto.hashing import Argon2Passwords, HmacLookup
from infobank.adapters.crypto.keystore import KeyStore
from infobank.adapters.crypto.sealer import JoseSealer
from infobank.adapters.crypto.signer import JoseSigner, JwksVerifier
from infobank.adapters.crypto.transfer_key import X25519TransferKey
from infobank.adapters.datafiles import (
    load_catalogue,
    load_inferences,
    load_prefectures,
    load_purposes,
    load_terms,
)
from infobank.adapters.db.compaction import reclaim_erased
from infobank.adapters.db.embedded import EmbeddedPostgresUnavailable, embedded_postgres
from infobank.adapters.db.engine import make_engine, make_session_factory
from infobank.adapters.db.migrate import upgrade
from infobank.adapters.db.repos.log_source import SqlAlchemyLogSource
from infobank.adapters.db.uow import SqlAlchemyUnitOfWork
from infobank.adapters.db.wakeup import Wakeup
from infobank.adapters.log_http import HttpLogSource
from infobank.adapters.mynaportal import build_connector
from infobank.adapters.webhooks import HttpxWebhookSender
from infobank.config import Settings
from infobank.services.context import Context, Limits
from infobank.services.ports.clock import Clock
from infobank.services.ports.log_source import LogSource, LogSourceError
from infobank.services.ports.mynaportal import Connector

__all__ = [
    "Bank",
    "CannotAudit",
    "EmbeddedPostgresUnavailable",
    "bootstrap",
    "embedded_postgres",
    "log_audit",
]


@dataclass(frozen=True)
class Bank:
    """A wired instance: the use-case context plus what entry points manage directly."""

    settings: Settings
    context: Context
    engine: Engine
    keys: KeyStore
    mynaportal: Connector  # the Mynaportal connector (マイナポータル連携)
    transfer_key: X25519TransferKey  # opens bundles other banks send here (情報銀行間連携)
    prefectures: Mapping[str, Any]  # prefecture codes with their names, for the pages
    wakeup: Wakeup  # wakes the worker when a commit made work

    def migrate(self) -> None:
        upgrade(self.engine)

    def bank_peer(self) -> HttpxBankPeer:
        """Other banks over HTTP(S); the caller closes it."""
        return HttpxBankPeer()

    def webhook_sender(self) -> HttpxWebhookSender:
        """Webhook delivery to recipients; the caller closes it."""
        return HttpxWebhookSender(timeout_s=self.settings.webhook_timeout_s)

    def log_source(self) -> SqlAlchemyLogSource:
        """This bank's transparency log as an auditor reads it."""
        return SqlAlchemyLogSource(self.engine)

    def reclaim_erased(self) -> None:
        """Give back the space of erased data (after crypto-shredding at the end of business)."""
        reclaim_erased(self.engine)

    def close(self) -> None:
        self.wakeup.close()
        self.mynaportal.close()
        self.engine.dispose()


def bootstrap(settings: Settings, *, clock: Clock | None = None, migrate: bool = False) -> Bank:
    keys = KeyStore.open(settings.home)
    engine = make_engine(
        settings.database_url,
        schema=settings.db_schema,
        lock_timeout_ms=settings.db_lock_timeout_ms,
        pool_size=settings.threads,
    )
    factory = make_session_factory(engine)
    reader = make_session_factory(engine, read_only=True)
    wakeup = Wakeup(engine)
    signer = JoseSigner(keys.signing_key)
    context = Context(
        uow=lambda: SqlAlchemyUnitOfWork(factory, wakeup),
        read=lambda: SqlAlchemyUnitOfWork(reader),
        clock=clock or SystemClock(),
        passwords=Argon2Passwords(
            time_cost=settings.argon2_time_cost,
            memory_kib=settings.argon2_memory_kib,
            parallelism=settings.argon2_parallelism,
        ),
        data_keys=AesGcmDataKeys(keys.derive("data-key-wrap")),
        lookup=HmacLookup(keys.derive("lookup")),
        signer=signer,
        catalogue=load_catalogue(),
        terms=load_terms(),
        limits=Limits(
            person_token_ttl_s=settings.person_token_ttl_s,
            client_token_ttl_s=settings.client_token_ttl_s,
            staff_token_ttl_s=settings.staff_token_ttl_s,
            link_code_ttl_s=settings.link_code_ttl_s,
            web_session_ttl_s=settings.web_session_ttl_s,
            web_session_idle_s=settings.web_session_idle_s,
            login_max_failures_per_account=settings.login_max_failures_per_account,
            login_max_failures_per_address=settings.login_max_failures_per_address,
            login_failure_window_s=settings.login_failure_window_s,
            max_record_bytes=settings.max_record_bytes,
            max_batch_records=settings.max_batch_records,
            log_head_interval_s=settings.log_head_interval_s,
            reach_min_group=settings.reach_min_group,
            max_fetches_per_delivery=settings.max_fetches_per_delivery,
            inquiry_first_reply_business_days=settings.inquiry_first_reply_business_days,
            peer_banks=tuple(settings.peer_banks),
            webhook_lease_s=settings.webhook_lease_s,
            open_batch=settings.open_batch,
        ),
        sealer=JoseSealer(signer),
        purposes=load_purposes(),
        inferences=load_inferences(),
        guideline_version=settings.guideline_version,
        base_url=settings.base_url,
    )
    bank = Bank(
        settings=settings,
        context=context,
        engine=engine,
        keys=keys,
        mynaportal=build_connector(settings),
        transfer_key=X25519TransferKey.from_keystore(keys),
        wakeup=wakeup,
        prefectures=load_prefectures(),
    )
    if migrate:
        bank.migrate()
    return bank


class CannotAudit(Exception):
    """The log cannot be checked: no keys to check it with, or nothing to read it from."""


def _load_jwks(where: str, client: httpx.Client | None) -> dict[str, Any]:
    """A JWK Set from a file or an http(s) URL."""
    try:
        if where.startswith(("http://", "https://")):
            http = client or httpx.Client(timeout=30)
            try:
                data = http.get(where).raise_for_status().json()
            finally:
                if client is None:
                    http.close()
        else:
            data = json.loads(Path(where).read_text())
    except (OSError, ValueError, httpx.HTTPError) as exc:
        raise CannotAudit(f"cannot read the JWKS at {where}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("keys"), list):
        raise CannotAudit(f"{where} is not a JWK Set")
    return data


def _home_jwks(settings: Settings) -> dict[str, Any]:
    """The public half of the bank's own signing key, without creating one if it is absent."""
    path = settings.home.expanduser() / "signing.jwk"
    if not path.exists():
        raise CannotAudit(f"no signing key at {path}; pass --jwks with the bank's JWKS")
    return JoseSigner(OKPKey.import_key(json.loads(path.read_text()))).jwks()


@contextmanager
def log_audit(
    settings: Settings, url: str | None, jwks: str | None
) -> Iterator[tuple[LogSource, JwksVerifier]]:
    """The log to audit and the keys to check its heads with: a running bank's public API at
    ``url``, or this bank's database; keys from ``jwks`` (file or URL), else the server's
    published JWKS or this bank's own signing key. Nothing is created: an auditor's run leaves
    no key and no database behind."""
    if url:
        with httpx.Client(base_url=url.rstrip("/"), timeout=60) as client:
            http = HttpLogSource(client)
            try:
                keys = _load_jwks(jwks, client) if jwks else http.jwks()
            except LogSourceError as exc:
                raise CannotAudit(str(exc)) from exc
            yield http, JwksVerifier(keys)
        return
    keys = _load_jwks(jwks, None) if jwks else _home_jwks(settings)
    engine = make_engine(settings.database_url, schema=settings.db_schema)
    try:
        yield SqlAlchemyLogSource(engine), JwksVerifier(keys)
    finally:
        engine.dispose()
