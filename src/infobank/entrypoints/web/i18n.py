"""Message catalogues (Babel): Japanese by default, English on request.

Message ids are English. The catalogues ship as ``.po`` files in ``infobank/locale`` and are
compiled in memory when the app is built, so an installed package needs no build step; a
language without a catalogue falls back to the message ids.
"""

from __future__ import annotations

import io
from importlib import resources

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "N_", "load_translations", "pick_language"]

LANGUAGES = ("ja", "en")
DEFAULT_LANGUAGE = "ja"


def N_(message: str) -> str:  # noqa: N802  (the gettext convention for "mark, translate later")
    """Mark a message for extraction; it is translated where it is shown."""
    return message


def _load(language: str) -> NullTranslations:
    po = resources.files("infobank").joinpath("locale", language, "LC_MESSAGES", "messages.po")
    if not po.is_file():
        return NullTranslations()
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=language, domain="messages")
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain="messages")


def load_translations() -> dict[str, NullTranslations]:
    return {language: _load(language) for language in LANGUAGES}


def pick_language(query: str | None, cookie: str | None) -> str:
    """``?lang=`` first, then the remembered choice, then Japanese."""
    for candidate in (query, cookie):
        if candidate in LANGUAGES:
            return candidate
    return DEFAULT_LANGUAGE
