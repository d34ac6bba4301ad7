"""Identities: persons sign up and log in, staff and businesses get tokens, callers are resolved.

Every failure to authenticate looks the same to the caller (``AuthenticationFailed``), whether
the account is unknown or the secret wrong, and repeated failures are rate-limited per account
and per client address (``RateLimited``). Tokens are random and stored only as SHA-256.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from infobank.domain.errors import (
    AuthenticationFailed,
    Conflict,
    InvalidInput,
    RateLimited,
)
from infobank.domain.identity import (
    Gender,
    IssuedToken,
    PersonAccount,
    Principal,
    PrincipalKind,
    StaffMember,
    StaffRole,
)
from infobank.services import credentials, terms
from infobank.services.context import Context
from infobank.services.ports.unit_of_work import UnitOfWork

__all__ = [
    "IssuedCredential",
    "SignUp",
    "authenticate",
    "check_person",
    "check_staff",
    "create_staff",
    "email_lookup",
    "is_active",
    "log_in_person",
    "log_in_staff",
    "sign_up",
    "token_for_client",
]

_PREFIX = {
    PrincipalKind.PERSON: "ibp",
    PrincipalKind.STAFF: "ibs",
    PrincipalKind.RECIPIENT: "ibc",
    PrincipalKind.SOURCE: "ibc",
}


@dataclass(frozen=True, slots=True)
class SignUp:
    email: str
    password: str
    display_name: str
    birth_date: date
    gender: Gender
    prefecture: str
    terms_version: str


@dataclass(frozen=True, slots=True)
class IssuedCredential:
    """A token shown to its holder once; only its hash is kept."""

    token: str
    expires_in: int
    principal: Principal


def email_lookup(ctx: Context, email: str) -> str:
    return ctx.lookup("email", email.strip().lower())


def sign_up(ctx: Context, command: SignUp) -> str:
    """Create a person's account, data key and terms agreement (利用規約への同意)."""
    in_force = terms.current(ctx).version
    if command.terms_version != in_force:
        raise InvalidInput(
            f"terms version {command.terms_version!r} is not the current one "
            f"({in_force}); read GET /v1/terms and agree to it",
            code="terms_outdated",
        )
    now = ctx.clock.now()
    if command.birth_date >= now.date():
        raise InvalidInput("birth_date must be in the past", code="validation_error")
    person_id = str(uuid.uuid4())
    wrapped = ctx.data_keys.new_wrapped_key(person_id)

    def seal(field: str, value: str) -> bytes:
        aad = f"person:{person_id}:{field}".encode()
        return ctx.data_keys.encrypt(wrapped, person_id, value.encode(), aad)

    person = PersonAccount(
        id=person_id,
        email_lookup=email_lookup(ctx, command.email),
        email_enc=seal("email", command.email.strip()),
        display_name_enc=seal("display_name", command.display_name),
        birth_date=command.birth_date,
        gender=command.gender,
        prefecture=command.prefecture,
        password_hash=ctx.passwords.hash(command.password),
        terms_version=command.terms_version,
        terms_agreed_at=now,
        created_at=now,
    )
    with ctx.uow() as uow:
        if uow.persons.by_email_lookup(person.email_lookup) is not None:
            raise Conflict("an account with this email already exists", code="email_taken")
        uow.persons.add(person, wrapped)
        uow.commit()
    return person_id


def _throttle(ctx: Context, uow: UnitOfWork, keys: dict[str, int], now: datetime) -> None:
    window = timedelta(seconds=ctx.limits.login_failure_window_s)
    for key, limit in keys.items():
        if uow.login_failures.count_since(key, now - window) >= limit:
            oldest = uow.login_failures.oldest_since(key, now - window) or now
            retry = max(1, int((oldest + window - now).total_seconds()) + 1)
            raise RateLimited("too many failed attempts; try again later", retry_after=retry)


def _fail(ctx: Context, keys: dict[str, int], now: datetime) -> AuthenticationFailed:
    # Recorded in its own transaction, opened only after the read one has closed (on SQLite a
    # second writer would wait on the first's lock): the failure must count though the caller errs.
    with ctx.uow() as uow:
        for key in keys:
            uow.login_failures.record(key, now)
        uow.commit()
    return AuthenticationFailed("invalid credentials", code="invalid_credentials")


def _issue(ctx: Context, uow: UnitOfWork, principal: Principal, ttl: int) -> IssuedCredential:
    now = ctx.clock.now()
    token = credentials.new_token(_PREFIX[principal.kind])
    uow.tokens.add(
        IssuedToken(
            token_hash=credentials.digest(token),
            principal=principal,
            expires_at=now + timedelta(seconds=ttl),
            created_at=now,
        )
    )
    return IssuedCredential(token=token, expires_in=ttl, principal=principal)


def _limits(ctx: Context, account_key: str, address: str) -> dict[str, int]:
    return {
        f"acct:{account_key}": ctx.limits.login_max_failures_per_account,
        f"addr:{address}": ctx.limits.login_max_failures_per_address,
    }


def check_person(ctx: Context, email: str, password: str, address: str) -> Principal:
    """The person these credentials name, rate-limited like every log-in (API and pages)."""
    now = ctx.clock.now()
    lookup = email_lookup(ctx, email)
    keys = _limits(ctx, lookup, address)
    with ctx.read() as uow:
        _throttle(ctx, uow, keys, now)
        person = uow.persons.by_email_lookup(lookup)
    # Verified outside the transaction: Argon2 is slow and must not hold a database lock.
    stored = person.password_hash if person and person.deleted_at is None else None
    if not ctx.passwords.verify(stored, password) or person is None:
        raise _fail(ctx, keys, now)
    with ctx.uow() as uow:
        uow.login_failures.clear(f"acct:{lookup}")
        uow.commit()
    return Principal(PrincipalKind.PERSON, person.id)


def log_in_person(ctx: Context, email: str, password: str, address: str) -> IssuedCredential:
    principal = check_person(ctx, email, password, address)
    with ctx.uow() as uow:
        issued = _issue(ctx, uow, principal, ctx.limits.person_token_ttl_s)
        uow.commit()
    return issued


def check_staff(ctx: Context, email: str, password: str, address: str) -> Principal:
    """The staff member these credentials name, with their role; rate-limited."""
    now = ctx.clock.now()
    normalised = email.strip().lower()
    keys = _limits(ctx, ctx.lookup("staff", normalised), address)
    with ctx.read() as uow:
        _throttle(ctx, uow, keys, now)
        member = uow.staff.by_email(normalised)
    stored = member.password_hash if member and member.disabled_at is None else None
    if not ctx.passwords.verify(stored, password) or member is None:
        raise _fail(ctx, keys, now)
    return Principal(PrincipalKind.STAFF, member.id, member.role)


def log_in_staff(ctx: Context, email: str, password: str, address: str) -> IssuedCredential:
    principal = check_staff(ctx, email, password, address)
    with ctx.uow() as uow:
        issued = _issue(ctx, uow, principal, ctx.limits.staff_token_ttl_s)
        uow.commit()
    return issued


def token_for_client(
    ctx: Context, client_id: str, client_secret: str, address: str
) -> IssuedCredential:
    """OAuth 2.0 client credentials grant (RFC 6749 §4.4) for sources and recipients."""
    now = ctx.clock.now()
    keys = _limits(ctx, ctx.lookup("client", client_id), address)
    with ctx.read() as uow:
        _throttle(ctx, uow, keys, now)
        # Client ids are printable ASCII; anything else (a NUL, say) names no client and must not
        # reach the database, which would reject it as an error rather than as a failed log-in.
        plausible = client_id.isascii() and client_id.isprintable()
        business = uow.businesses.by_client_id(client_id) if plausible else None
    if business is None or not credentials.matches(client_secret, business.secret_hash):
        raise _fail(ctx, keys, now)
    with ctx.uow() as uow:
        issued = _issue(
            ctx, uow, Principal(business.kind, business.id), ctx.limits.client_token_ttl_s
        )
        uow.commit()
    return issued


def create_staff(ctx: Context, email: str, password: str, role: StaffRole) -> IssuedCredential:
    """A staff member with one role, and a first bearer token for the API."""
    if len(password) < 8:
        raise InvalidInput("password must be at least 8 characters")
    normalised = email.strip().lower()
    if "@" not in normalised:
        raise InvalidInput("email is not an email address")
    with ctx.uow() as uow:
        if uow.staff.by_email(normalised) is not None:
            raise Conflict("a staff member with this email exists", code="email_taken")
        member = StaffMember(
            id=str(uuid.uuid4()),
            email=normalised,
            password_hash=ctx.passwords.hash(password),
            role=role,
            created_at=ctx.clock.now(),
        )
        uow.staff.add(member)
        principal = Principal(PrincipalKind.STAFF, member.id, role)
        issued = _issue(ctx, uow, principal, ctx.limits.staff_token_ttl_s)
        uow.commit()
    return issued


def authenticate(ctx: Context, token: str) -> Principal:
    """The principal a bearer token stands for, if it is current and its holder still active."""
    now = ctx.clock.now()
    with ctx.read() as uow:
        issued = uow.tokens.get(credentials.digest(token))
        if issued is None or not issued.usable_at(now):
            raise AuthenticationFailed("invalid or expired token", code="invalid_token")
        principal = issued.principal
        if not is_active(uow, principal):
            raise AuthenticationFailed("invalid or expired token", code="invalid_token")
    return principal


def is_active(uow: UnitOfWork, principal: Principal) -> bool:
    """Whether the account behind ``principal`` still exists and may act."""
    if principal.kind is PrincipalKind.PERSON:
        person = uow.persons.get(principal.id)
        return person is not None and person.deleted_at is None
    if principal.kind is PrincipalKind.STAFF:
        member = uow.staff.get(principal.id)
        return member is not None and member.disabled_at is None
    return uow.businesses.get(principal.kind, principal.id) is not None
