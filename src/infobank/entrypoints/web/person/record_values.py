"""How a record's values read on the pages (預託データの表示): the page's words, numbers with
thousands separators, yen, days and months in the page language, small tables, and a readable
key/value table for shapes no category knows, never a Python repr.

Everything here is pure: a ``Words`` carries the page's language and message catalogue, so the
same record reads in Japanese or English and the unit tests need no app.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from gettext import NullTranslations
from typing import Any

from babel.dates import format_skeleton
from markupsafe import Markup

__all__ = [
    "JST",
    "Cell",
    "Table",
    "Words",
    "day",
    "humanise",
    "key_value_rows",
    "month",
    "number",
    "scalar",
    "shorten",
    "yen",
]

JST = timezone(timedelta(hours=9), "JST")  # the pages show the bank's times in Japan time

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")

# FHIR plumbing a person has no use for: resource kinds and ids, profiles, references.
TECHNICAL_KEYS = frozenset(
    {"resourceType", "id", "meta", "fullUrl", "reference", "system", "profile", "tag", "url"}
)


@dataclass(frozen=True, slots=True)
class Words:
    """The page's language, its message catalogue and the prefecture names (code → ja, en)."""

    lang: str
    messages: NullTranslations
    prefectures: Mapping[str, Sequence[str]] = field(default_factory=dict)

    def gettext(self, message: str, **params: Any) -> str:
        text = self.messages.gettext(message)
        return text % params if params else text

    def pgettext(self, context: str, message: str) -> str:
        return self.messages.pgettext(context, message)

    def ngettext(self, singular: str, plural: str, n: int, **params: Any) -> str:
        return self.messages.ngettext(singular, plural, n) % {"n": number(n), **params}

    def join(self, items: Sequence[str]) -> str:
        """A list in running text: 「A、B」 or "A, B"."""
        return ("、" if self.lang == "ja" else ", ").join(items)


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell: its text, an out-of-range flag (a word and a style) and a chart."""

    text: str
    flag: str = ""  # "high" | "low" | "positive" | "borderline"
    chart: Markup | None = None  # an inline SVG with its own text alternative


@dataclass(frozen=True, slots=True)
class Table:
    """A small table: with ``head`` a grid of columns; without, label and value per row.
    The first cell of each row heads the row."""

    caption: str
    rows: tuple[tuple[Cell, ...], ...]
    head: tuple[str, ...] = ()
    note: str = ""  # shown under the table

    @classmethod
    def pairs(cls, caption: str, pairs: Sequence[tuple[str, str]]) -> Table:
        return cls(caption, tuple((Cell(label), Cell(value)) for label, value in pairs))


def number(value: float) -> str:
    """9001 → 9,001; 23.4 → 23.4; never a float's binary noise (0.30000000000000004)."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    text = repr(value)
    if "e" in text or "inf" in text or "nan" in text:
        return f"{value:,.6g}"
    decimals = len(text.partition(".")[2])
    if decimals <= 6:
        return f"{value:,.{decimals}f}"  # the digits as written: 24.0 stays 24.0
    return f"{value:,.6f}".rstrip("0").rstrip(".")


def yen(value: Any, words: Words) -> str:
    """An amount in yen with thousands separators: 9,533円, or ¥9,533 in English."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return words.gettext("¥%(amount)s", amount=number(value))
    return scalar(value, words)


def _moment(value: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=JST)


def day(value: Any) -> str:
    """A day as 2026-11-25 (a moment in Japan time, to the minute); other text as it is."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=JST)
        return moment.astimezone(JST).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str):
        return "" if value is None else str(value)
    parsed = _moment(value) if _DATETIME.match(value) else None
    if parsed is not None:
        return parsed.astimezone(JST).strftime("%Y-%m-%d %H:%M").removesuffix(" 00:00")
    return value


def month(value: Any, words: Words) -> str:
    """2024-05 (or a day in it) → 2024年5月 / May 2024."""
    text = str(value or "")
    found = _MONTH.match(text[:7])
    if not found or not 1 <= int(found.group(2)) <= 12:
        return scalar(value, words)
    first = date(int(found.group(1)), int(found.group(2)), 1)
    return format_skeleton("yMMM", first, locale=words.lang)


def humanise(key: str) -> str:
    """A label from a key nobody described: amount_yen → Amount yen, billablePeriod →
    Billable period. Keys written in Japanese stay as they are."""
    words = _CAMEL.sub(" ", key).replace("_", " ").replace(".", " ").replace("-", " ")
    words = " ".join(words.split())
    if not words.isascii():
        return words
    return words[:1].upper() + words[1:].lower()


def scalar(value: Any, words: Words) -> str:
    """One value as text: numbers grouped, days in Japan time, yes or no, lists joined."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return words.pgettext("answer", "Yes") if value else words.pgettext("answer", "No")
    if isinstance(value, int | float):
        return number(value)
    if isinstance(value, str):
        return day(value) if (_DATE.match(value) or _DATETIME.match(value)) else value
    if isinstance(value, Sequence):
        return words.join([scalar(v, words) for v in value if not isinstance(v, dict)])
    return "—"


_NAMING_KEYS = frozenset({"text", "display", "coding", "reference", "identifier", "type"})


def _name(value: Mapping[str, Any]) -> str:
    """A FHIR CodeableConcept or Reference is its words (``text``, ``display``), one value."""
    words = value.get("text") or value.get("display")
    return words if isinstance(words, str) and set(value) <= _NAMING_KEYS else ""


def _flatten(value: Any, label: str, words: Words, depth: int) -> Iterator[tuple[str, str]]:
    if isinstance(value, Mapping):
        if _name(value):
            yield label or words.gettext("Value"), _name(value)
            return
        if depth > 4:
            return
        for key, inner in value.items():
            if key in TECHNICAL_KEYS:
                continue
            name = humanise(str(key))
            yield from _flatten(inner, f"{label} › {name}" if label else name, words, depth + 1)
    elif isinstance(value, list) and any(isinstance(v, Mapping) for v in value):
        for n, inner in enumerate(value, start=1):
            yield from _flatten(inner, f"{label} {n}" if len(value) > 1 else label, words, depth)
    elif isinstance(value, str) and value.startswith("urn:"):
        return
    else:
        yield label or words.gettext("Value"), scalar(value, words)


def key_value_rows(
    data: Mapping[str, Any], words: Words, *, skip: frozenset[str] = frozenset(), limit: int = 60
) -> list[tuple[str, str]]:
    """Every scalar in ``data`` under a humanised label (nested keys joined with ›), leaving
    out ``skip`` and FHIR's technical keys; lists of scalars read as one joined value."""
    rows: list[tuple[str, str]] = []
    for key, value in data.items():
        if key in skip or key in TECHNICAL_KEYS:
            continue
        rows.extend(_flatten(value, humanise(str(key)), words, 1))
        if len(rows) >= limit:
            break
    return rows[:limit]


def shorten(text: str, limit: int = 110) -> str:
    """One line for a list: cut at ``limit`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip(" ·、,") + "…"
