"""What every use case is handed: ports and limits, wired once by ``infobank.bootstrap``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from infobank.domain.catalogue import Catalogue
from infobank.domain.inferences import Inferences
from infobank.domain.purposes import Purpose
from infobank.services.ports.clock import Clock
from infobank.services.ports.crypto import DataKeys, Passwords, Sealer, Signer
from infobank.services.ports.unit_of_work import UnitOfWork
from infobank.services.shared_facts import SharedFactsCache

__all__ = ["Context", "Limits", "Terms"]


@dataclass(frozen=True, slots=True)
class Limits:
    person_token_ttl_s: int = 3600
    client_token_ttl_s: int = 3600
    staff_token_ttl_s: int = 30 * 24 * 3600
    link_code_ttl_s: int = 900
    web_session_ttl_s: int = 8 * 3600
    web_session_idle_s: int = 1800
    login_max_failures_per_account: int = 5
    login_max_failures_per_address: int = 20
    login_failure_window_s: int = 900
    max_record_bytes: int = 1024 * 1024
    max_batch_records: int = 1000
    log_head_interval_s: int = 60
    reach_min_group: int = 10
    max_fetches_per_delivery: int = 5
    inquiry_first_reply_business_days: int = 3
    peer_banks: tuple[str, ...] = ()  # base URLs of the banks transfers may go to
    webhook_lease_s: int = 120  # a dead worker's webhook job is retried after this long
    open_batch: int = 250  # persons matched per committed batch when an offer opens


@dataclass(frozen=True, slots=True)
class Terms:
    """The terms of use (利用規約) persons agree to; a new version needs agreement again."""

    version: str
    text_ja: str
    text_en: str


@dataclass(frozen=True)
class Context:
    """``uow()`` opens a unit of work that may write (it waits for the write lock on SQLite);
    ``read()`` one that only reads: it never waits for a writer, and cannot commit."""

    uow: Callable[[], UnitOfWork]
    read: Callable[[], UnitOfWork]
    clock: Clock
    passwords: Passwords
    data_keys: DataKeys
    lookup: Callable[[str, str], str]
    signer: Signer
    catalogue: Catalogue
    terms: Terms
    limits: Limits
    sealer: Sealer
    purposes: Mapping[str, Purpose]
    inferences: Inferences  # what an offer's profiling may infer (推定属性)
    guideline_version: str = "3.0"
    base_url: str = "http://127.0.0.1:8000"
    # facts shared by every decision about an offer, valid while the policy version holds
    shared_facts: SharedFactsCache = field(default_factory=SharedFactsCache)
