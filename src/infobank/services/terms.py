"""Terms of use (利用規約) and their versions.

The terms shipped with the software are version zero; an operator publishes a new version
with ``publish``. From that moment ``terms.current`` refuses every provision of the data of a
person who has not agreed to the new version (their consents stay as they are, nothing is
built or handed over), every person is told in their notifications, and ``agree`` restores
provision at once.
"""

from __future__ import annotations

import re

from infobank.domain.errors import Conflict, InvalidInput, NotFound
from infobank.services import transparency
from infobank.services.context import Context, Terms
from infobank.services.ports.terms import PublishedTerms
from infobank.services.ports.unit_of_work import UnitOfWork

__all__ = ["agree", "current", "is_current", "publish"]

_VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}")


def current(ctx: Context, uow: UnitOfWork | None = None) -> Terms:
    """The terms in force: the newest published version, else the shipped one."""
    if uow is None:
        with ctx.read() as own:
            return current(ctx, own)
    latest = uow.terms_book.latest()
    if latest is None:
        return ctx.terms
    return Terms(version=latest.version, text_ja=latest.text_ja, text_en=latest.text_en)


def is_current(ctx: Context, uow: UnitOfWork, version: str | None) -> bool:
    return version is not None and version == current(ctx, uow).version


def publish(ctx: Context, actor: str, version: str, text_ja: str, text_en: str) -> PublishedTerms:
    """Publish a new version; every person must agree again before their data moves."""
    if not _VERSION.fullmatch(version):
        raise InvalidInput(
            "version must be 1 to 32 letters, digits, dots, dashes or underscores",
            code="validation_error",
        )
    if not text_ja.strip() or not text_en.strip():
        raise InvalidInput("both the Japanese and the English text are required")
    now = ctx.clock.now()
    with ctx.uow() as uow:
        if version == ctx.terms.version or uow.terms_book.get(version) is not None:
            raise Conflict(f"terms version {version!r} already exists", code="terms_exists")
        published = PublishedTerms(
            version=version,
            text_ja=text_ja.strip(),
            text_en=text_en.strip(),
            published_at=now,
            published_by=actor,
        )
        uow.terms_book.add(published)
        transparency.append(ctx, uow, "terms.published", now, person_id=None, version=version)
        uow.terms_book.tell_everyone("terms.updated", {"version": version}, now)
        uow.commit()
    return published


def agree(ctx: Context, person_id: str, version: str) -> Terms:
    """The person agrees to the current terms (and only to those)."""
    now = ctx.clock.now()
    with ctx.uow() as uow:
        person = uow.persons.get(person_id)
        if person is None:
            raise NotFound("no such person")
        terms = current(ctx, uow)
        if version != terms.version:
            raise InvalidInput(
                f"terms version {version!r} is not the current one ({terms.version}); "
                "read GET /v1/terms and agree to that",
                code="terms_outdated",
            )
        if person.terms_version != version:
            uow.persons.agree_terms(person_id, version, now)
            transparency.append(ctx, uow, "terms.agreed", now, person_id=person_id, version=version)
            uow.commit()
    return terms
