"""A person's records (預託データ) as the pages show them: one compact card per record for the
list, and for a record's page its summary, small tables and provenance (how and why it was
acquired), with the stored payload only as pretty-printed JSON behind a disclosure.

    record ─► FHIR?  checkup (DiagnosticReport, Observation) ─► record_checkup.view
               │     anything else (dispensing, expense notice…) ─► record_fhir.view
               └──►  plain: health.checkup ─► record_checkup.view; other ─► record_fields

Codes never reach the page raw: categories read as their catalogue names, acquisition methods
and purposes as the names below (a code nobody named is humanised).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from infobank.domain.catalogue import Catalogue
from infobank.domain.records import AcquiredVia, Record
from infobank.entrypoints.web.i18n import N_
from infobank.entrypoints.web.messages import LABELS
from infobank.entrypoints.web.person import record_checkup, record_fhir
from infobank.entrypoints.web.person.record_fields import plain_view
from infobank.entrypoints.web.person.record_values import (
    JST,
    Table,
    Words,
    humanise,
    shorten,
)

__all__ = ["Lookups", "Provenance", "RecordCard", "RecordPage", "card", "page"]

# How a source itself obtained a record (取得方法), as sources name it.
SOURCE_METHODS = {
    "pos_purchase": N_("Purchase at the till (POS)"),
    "ec_order": N_("Online order"),
    "app_sensor": N_("Measured by the app"),
    "self_report": N_("Entered in the source's service"),
    "source_system": N_("From the source's system"),
    "mynaportal.self_information_api": N_("Mynaportal self-information API"),
}

# Why a record was collected (取得の目的), as the bank and its sources name it.
PURPOSES = {
    "self_entrusted": N_("Kept for yourself"),
    "mynaportal_self_information": N_("Fetched from Mynaportal at your request"),
    "loyalty_programme": N_("Loyalty programme"),
    "service_provision": N_("Providing the source's service"),
}


@dataclass(frozen=True, slots=True)
class Lookups:
    """What a record's view reads besides the record: the page's words, the catalogue, the
    sources' names (id → name) and the person's sex for sex-specific reference ranges."""

    words: Words
    catalogue: Catalogue
    sources: Mapping[str, str]
    sex: str | None = None

    def category(self, code: str) -> str:
        found = self.catalogue.get(code)
        if found is None:
            return humanise(code)
        return found.name_en if self.words.lang == "en" else found.name_ja

    def sensitivity(self, code: str) -> str:
        found = self.catalogue.get(code)
        return found.sensitivity.value if found is not None else ""


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a record came from, in the page's words."""

    acquired: str  # how the bank acquired it
    method: str  # how the source itself obtained it ("" if not said)
    source: str  # the source's name ("" when the person entered it)
    purpose: str  # why it was collected
    short: str  # the card's line: the source's name, Mynaportal, or the person


@dataclass(frozen=True, slots=True)
class RecordCard:
    id: str
    day: str
    category: str
    sensitivity: str
    source: str
    summary: str


@dataclass(frozen=True, slots=True)
class RecordPage:
    id: str
    category: str
    sensitivity: str
    summary: str
    tables: tuple[Table, ...]
    observed: str
    entrusted: str
    provenance: Provenance
    raw: str  # the payload as stored, pretty-printed JSON


def _named(code: str | None, names: Mapping[str, str], words: Words) -> str:
    if not code:
        return ""
    return words.gettext(names[code]) if code in names else humanise(code)


def provenance(record: Record, looks: Lookups) -> Provenance:
    words = looks.words
    via = record.acquired_via
    acquired = LABELS["acquired_via"].get(via.value)
    source = ""
    if record.source_id:
        source = looks.sources.get(record.source_id) or words.gettext("A linked source")
    if via is AcquiredVia.SOURCE:
        short = source or words.gettext("A linked source")
    elif via is AcquiredVia.MYNAPORTAL:
        short = words.gettext("Mynaportal")
    else:
        short = words.gettext("Entered by you")
    return Provenance(
        acquired=words.gettext(acquired) if acquired else humanise(via.value),
        method=_named(record.source_method, SOURCE_METHODS, words),
        source=source,
        purpose=_named(record.purpose, PURPOSES, words),
        short=short,
    )


def _moment(record: Record) -> datetime:
    return record.observed_at or record.created_at


def _jst(moment: datetime) -> str:
    """A moment in Japan time to the minute (the bank's stored times are UTC)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(JST).strftime("%Y-%m-%d %H:%M")


def _day(moment: datetime) -> str:
    return _jst(moment)[:10]


def _view(
    record: Record, looks: Lookups, history: Sequence[Record] = ()
) -> tuple[str, list[Table]]:
    """The summary line and tables of one record, whatever shape it has. A payload that
    breaks its shape's expectations (a FHIR list where an object belongs) reads as plain
    key/value rows rather than failing the page."""
    try:
        return _shaped(record, looks, history)
    except (AttributeError, KeyError, TypeError, ValueError, IndexError):
        return plain_view("", record.data, looks.words)


def _shaped(record: Record, looks: Lookups, history: Sequence[Record]) -> tuple[str, list[Table]]:
    data, words = record.data, looks.words
    checkups = [(_day(_moment(r)), r.data) for r in history]
    if record_fhir.is_fhir(data):
        found = record_fhir.resources(data)
        if record_checkup.is_checkup(record_fhir.kinds(found)):
            return record_checkup.view(data, words, looks.sex, checkups, _day(_moment(record)))
        return record_fhir.view(found, words)
    if record.category == "health.checkup":
        return record_checkup.view(data, words, looks.sex, checkups, _day(_moment(record)))
    return plain_view(record.category, data, words)


def card(record: Record, looks: Lookups) -> RecordCard:
    """One record on the list: its day, category, where it came from and one line."""
    summary, _ = _view(record, looks)
    return RecordCard(
        id=record.id,
        day=_day(_moment(record)),
        category=looks.category(record.category),
        sensitivity=looks.sensitivity(record.category),
        source=provenance(record, looks).short,
        summary=shorten(summary),
    )


def page(record: Record, looks: Lookups, history: Sequence[Record] = ()) -> RecordPage:
    """One record's page; ``history`` holds the person's other records of its category
    (checkups draw their trends from it)."""
    others = [r for r in history if r.id != record.id]
    summary, tables = _view(record, looks, [*others, record])
    observed = _jst(record.observed_at) if record.observed_at is not None else ""
    return RecordPage(
        id=record.id,
        category=looks.category(record.category),
        sensitivity=looks.sensitivity(record.category),
        summary=summary,
        tables=tuple(tables),
        observed=observed.removesuffix(" 00:00"),
        entrusted=_jst(record.created_at),
        provenance=provenance(record, looks),
        raw=json.dumps(record.data, ensure_ascii=False, indent=2),
    )
