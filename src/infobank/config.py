"""Settings read once from the environment (pydantic-settings).

Every setting has the ``INFOBANK_`` prefix, e.g. ``INFOBANK_DATABASE_URL``. The defaults give a
zero-configuration instance on a SQLite file beside the working directory.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["GUIDELINE_VERSIONS", "Settings"]

GUIDELINE_VERSIONS = ("1.0", "2.0", "2.1", "2.2", "3.0")


class Settings(BaseSettings):
    """Operator configuration of one infobank instance."""

    model_config = SettingsConfigDict(env_prefix="INFOBANK_", extra="ignore", frozen=True)

    database_url: str = "sqlite:///./infobank.db"
    home: Path = Path("./.infobank")
    guideline_version: str = "3.0"
    base_url: str = "http://127.0.0.1:8000"

    terms_version: str = Field(default="2026-04", description="Terms version persons agree to.")
    person_token_ttl_s: int = Field(default=3600, gt=0)
    client_token_ttl_s: int = Field(default=3600, gt=0)
    staff_token_ttl_s: int = Field(default=30 * 24 * 3600, gt=0)
    link_code_ttl_s: int = Field(default=900, gt=0)
    # Web sessions (pages): absolute lifetime, and how long one may sit unused.
    web_session_ttl_s: int = Field(default=8 * 3600, gt=0)
    web_session_idle_s: int = Field(default=1800, gt=0)

    login_max_failures_per_account: int = Field(default=5, gt=0)
    login_max_failures_per_address: int = Field(default=20, gt=0)
    login_failure_window_s: int = Field(default=900, gt=0)

    max_record_bytes: int = Field(default=1024 * 1024, gt=0)
    # Reach estimates below this many persons are suppressed (no singling out).
    reach_min_group: int = Field(default=10, ge=2)
    # How many times a recipient may download the same package (retries, not re-use).
    max_fetches_per_delivery: int = Field(default=5, ge=1)
    max_batch_records: int = Field(default=1000, gt=0)
    # The worker signs a transparency log tree head when the log grew and the last is this old.
    log_head_interval_s: int = Field(default=60, gt=0)
    # The help desk's target for a first reply (相談窓口), in business days (Mon–Fri, JST).
    inquiry_first_reply_business_days: int = Field(default=3, ge=1, le=60)
    # Other information banks this one moves persons' data to (情報銀行間連携): base URLs,
    # e.g. INFOBANK_PEER_BANKS='["https://bank-b.example"]'. The bank calls no other address.
    peer_banks: list[str] = Field(default_factory=list)

    # Argon2id cost (RFC 9106 "low memory" profile by default). Lower only for tests.
    argon2_time_cost: int = Field(default=3, ge=1)
    argon2_memory_kib: int = Field(default=64 * 1024, ge=8)
    argon2_parallelism: int = Field(default=4, ge=1)

    # Mynaportal (マイナポータル) connector: the API's base URL, and the J-LIS root certificate
    # (PEM file) that My Number card certificates must chain to. Without it no card verifies.
    mynaportal_url: str = "http://127.0.0.1:8100"
    jlis_root: Path | None = None

    db_schema: str | None = Field(
        default=None, description="PostgreSQL schema to use (one per test run or tenant)."
    )
    # How long a write waits for a lock (SQLite's write lock, a PostgreSQL row or table lock)
    # before the request is answered 503 with Retry-After instead.
    db_lock_timeout_ms: int = Field(default=10_000, ge=1, le=600_000)
    # Threads that run request handlers, and database connections beside them: a handler never
    # waits for a connection another handler does not need.
    threads: int = Field(default=40, ge=1, le=1000)

    # The worker wakes at once when work is committed; otherwise it looks every this often.
    worker_poll_s: float = Field(default=2.0, gt=0, le=3600)
    # Webhooks go out concurrently: at most this many at once, at most ``per_recipient`` to one
    # recipient, each given up after ``timeout_s`` (then retried with backoff).
    webhook_concurrency: int = Field(default=32, ge=1, le=1024)
    webhook_per_recipient: int = Field(default=2, ge=1, le=64)
    webhook_timeout_s: float = Field(default=5.0, gt=0, le=120)
    # A leased webhook job returns to the queue after this long if its worker died; keep it
    # well above ``webhook_timeout_s`` so a live worker's call is never sent twice.
    webhook_lease_s: int = Field(default=120, ge=2, le=86_400)
    # Opening an offer matches this many persons per committed batch (a crash loses at most
    # one batch, and the write lock is held for one batch at a time).
    open_batch: int = Field(default=250, ge=1, le=100_000)

    @field_validator("guideline_version")
    @classmethod
    def _known_version(cls, value: str) -> str:
        if value not in GUIDELINE_VERSIONS:
            raise ValueError(f"guideline version must be one of {', '.join(GUIDELINE_VERSIONS)}")
        return value

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
