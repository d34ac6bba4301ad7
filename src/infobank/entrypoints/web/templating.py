"""Jinja2 environments, one per language, and the page response with its security headers."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlsplit

from babel.support import NullTranslations
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from starlette.responses import HTMLResponse, Response

from infobank.domain.catalogue import Catalogue
from infobank.domain.purposes import Purpose
from infobank.domain.usage import Point
from infobank.entrypoints.web.messages import ERRORS, FLASH, LABELS
from infobank.entrypoints.web.relative_days import relative_day
from infobank.services import charts

__all__ = ["JST", "PAGE_HEADERS", "Pages", "allow_form_target", "attachment"]

JST = timezone(timedelta(hours=9), "JST")  # Japan keeps no daylight saving time

# Pages hold personal data: never cached, never framed, scripts and styles only from here.
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"
    ),
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}


def _when(value: datetime | str | None) -> str:
    """A moment in Japan time, to the minute (the bank's times are UTC)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(JST).strftime("%Y-%m-%d %H:%M")


def attachment(body: str, filename: str, media_type: str) -> Response:
    """A file to download, with the same no-store and framing headers as the pages."""
    headers = {**PAGE_HEADERS, "Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(body, media_type=media_type, headers=headers)


_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.\-]+(:\d{1,5})?$")


def allow_form_target(response: Response, url: str) -> Response:
    """Let this page's forms lead on to ``url``'s origin as well as to the bank itself.

    Browsers check ``form-action`` against every redirect a submitted form follows, not only
    its ``action``: a form answered by a redirect to another site (the Mynaportal link) is
    blocked unless that origin is named. Only the page holding such a form widens it, and an
    origin that is not plainly ``scheme://host[:port]`` widens nothing."""
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    if not _ORIGIN.match(origin):
        return response
    policy = response.headers["Content-Security-Policy"]
    response.headers["Content-Security-Policy"] = policy.replace(
        "form-action 'self'", f"form-action 'self' {origin}"
    )
    return response


def _number(value: float | None) -> str:
    """A figure for a table: whole numbers without decimals, others to two places."""
    if value is None:
        return "—"
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


def _usage_chart(points: Sequence[Point], title: str, actual: str, target: str) -> Markup:
    """Actual against target as an inline SVG (``charts.line_chart`` escapes every text and
    gives the image its ``<title>`` and ``<desc>``); the names come translated from the page."""
    svg = charts.line_chart(
        [p.period for p in points],
        [
            charts.Line(actual, [None if p.actual is None else float(p.actual) for p in points]),
            charts.Line(target, [p.target for p in points], dashed=True),
        ],
        title=title,
        width=360,  # drawn for a phone: the labels stay legible at 390 px
        height=220,
    )
    return Markup(svg)  # safe: line_chart escapes every text it draws


def _day(value: datetime | date | str | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        return _when(value)[:10]
    if isinstance(value, date):
        return value.isoformat()
    return _when(value)[:10]


class Pages:
    """Renders templates in the visitor's language."""

    def __init__(
        self,
        translations: Mapping[str, NullTranslations],
        catalogue: Catalogue,
        purposes: Mapping[str, Purpose],
        guideline_version: str,
        prefectures: Mapping[str, Any],
    ) -> None:
        self.catalogue = catalogue
        self.purposes = purposes
        self.guideline_version = guideline_version
        self.prefectures = prefectures
        self._translations = dict(translations)
        self._envs = {lang: self._environment(lang, tr) for lang, tr in translations.items()}

    def translations(self, lang: str) -> NullTranslations:
        """The message catalogue of ``lang``, for words made in Python rather than a template."""
        return self._translations[lang]

    def _environment(self, lang: str, translations: NullTranslations) -> Environment:
        env = Environment(
            loader=PackageLoader("infobank", "templates"),
            autoescape=select_autoescape(["html"]),
            extensions=["jinja2.ext.i18n"],
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
        english = lang == "en"

        def category_name(code: str) -> str:
            found = self.catalogue.get(code)
            if found is None:
                return code
            return found.name_en if english else found.name_ja

        def purpose_name(code: str) -> str:
            found = self.purposes.get(code)
            if found is None:
                return code
            return found.name_en if english else found.name_ja

        def prefecture_name(code: str) -> str:
            names = self.prefectures.get(code)
            return (names[1] if english else names[0]) if names else code

        def relative(value: datetime | str | None, now: datetime, due: bool = False) -> str:
            """``{{ at|relative_day(now) }}``: 今日 / 昨日 / N 日前; ``due=True`` for deadlines."""
            return relative_day(translations, value, now, due=due)

        def industry_name(code: str) -> str:
            """An industry (業種) in the page's language; one the bank never named, as given."""
            known = LABELS["industry"].get(code)
            return translations.gettext(known) if known else code

        def one_language(text: str) -> str:
            """The page's half of a bilingual ``日本語 / English`` text (the regulator's draft
            report keeps both)."""
            japanese, separator, other = text.partition(" / ")
            return (other if english else japanese) if separator else text

        env.filters.update(
            when=_when,
            relative_day=relative,
            day=_day,
            category_name=category_name,
            purpose_name=purpose_name,
            prefecture_name=prefecture_name,
            industry_name=industry_name,
            one_language=one_language,
            number=_number,
        )
        env.globals.update(
            lang=lang,
            labels=LABELS,
            flash_messages=FLASH,
            error_messages=ERRORS,
            category_name=category_name,
            purpose_name=purpose_name,
            prefecture_name=prefecture_name,
            industry_name=industry_name,
            catalogue=self.catalogue,
            purposes=self.purposes,
            prefectures=self.prefectures,
            guideline_version=self.guideline_version,
            usage_chart=_usage_chart,
        )
        return env

    def render(
        self,
        lang: str,
        name: str,
        context: Mapping[str, Any],
        *,
        status: int = 200,
    ) -> HTMLResponse:
        html = self._envs[lang].get_template(name).render(context)
        return HTMLResponse(html, status_code=status, headers=PAGE_HEADERS)
