"""The one place that wires adapters into services.

``bootstrap(settings)`` opens the key store, makes the engine, and returns the ``Context`` that
every use case receives; entry points (API, pages, CLI) call it once at start.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from infobank.adapters.clock import SystemClock
from infobank.adapters.crypto.envelope import AesGcmDataKeys
from infobank.adapters.crypto.hashing import Argon2Passwords, HmacLookup
from infobank.adapters.crypto.keystore import KeyStore
from infobank.adapters.crypto.sealer import JoseSealer
from infobank.adapters.crypto.signer import JoseSigner
from infobank.adapters.datafiles import load_catalogue, load_purposes, load_terms
from infobank.adapters.db.engine import make_engine, make_session_factory
from infobank.adapters.db.migrate import upgrade
from infobank.adapters.db.uow import SqlAlchemyUnitOfWork
from infobank.adapters.mynaportal import build_connector
from infobank.config import Settings
from infobank.services.context import Context, Limits
from infobank.services.ports.clock import Clock
from infobank.services.ports.mynaportal import Connector

__all__ = ["Bank", "bootstrap"]


@dataclass(frozen=True)
class Bank:
    """A wired instance: the use-case context plus what entry points manage directly."""

    settings: Settings
    context: Context
    engine: Engine
    keys: KeyStore
    mynaportal: Connector  # the Mynaportal connector (マイナポータル連携)

    def migrate(self) -> None:
        upgrade(self.engine)

    def close(self) -> None:
        self.mynaportal.close()
        self.engine.dispose()


def bootstrap(settings: Settings, *, clock: Clock | None = None, migrate: bool = False) -> Bank:
    keys = KeyStore.open(settings.home)
    engine = make_engine(settings.database_url, schema=settings.db_schema)
    factory = make_session_factory(engine)
    signer = JoseSigner(keys.signing_key)
    context = Context(
        uow=lambda: SqlAlchemyUnitOfWork(factory),
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
        ),
        sealer=JoseSealer(signer),
        purposes=load_purposes(),
        guideline_version=settings.guideline_version,
        base_url=settings.base_url,
    )
    bank = Bank(
        settings=settings,
        context=context,
        engine=engine,
        keys=keys,
        mynaportal=build_connector(settings),
    )
    if migrate:
        bank.migrate()
    return bank
