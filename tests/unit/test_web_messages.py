"""The pages' words: every message the templates and web code use has a Japanese translation,
and the catalogues load from the installed package without a build step."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import get_args

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from infobank.domain.inquiries import INQUIRY_CATEGORIES
from infobank.entrypoints.api.me.inquiries import InquiryCategory
from infobank.entrypoints.web.i18n import load_translations, pick_language

SRC = Path(__file__).resolve().parents[2] / "src" / "infobank"


# What the pages translate with: plain, plural (ngettext) and with a context (pgettext).
KEYWORDS = {
    "_": None,
    "gettext": None,
    "N_": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
}


def _used_messages() -> set[tuple[str, str | None]]:
    """(message id, context) of every message the templates and web code use."""
    found: set[tuple[str, str | None]] = set()
    options = {"trim_blocks": "true", "lstrip_blocks": "true"}
    for root, method in ((SRC / "templates", "jinja2"), (SRC / "entrypoints" / "web", "python")):
        for _, _, message, _, context in extract_from_dir(
            str(root),
            method_map=[("**.html", method), ("**.py", method)],
            options_map={"**.html": options},
            keywords=KEYWORDS,
        ):
            found.add((message if isinstance(message, str) else message[0], context))
    return found


def test_every_message_on_the_pages_has_a_japanese_translation() -> None:
    used = _used_messages()
    assert len(used) > 200
    assert ("today", "relative day") in used  # contexts and plurals are looked for too
    assert ("%(num)d day ago", None) in used
    po = resources.files("infobank").joinpath("locale", "ja", "LC_MESSAGES", "messages.po")
    with po.open("rb") as handle:
        catalog = read_po(handle)
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0], m.context): m.string
        for m in catalog
        if m.id and not m.fuzzy
    }

    def done(key: tuple[str, str | None]) -> bool:
        string = translated.get(key)
        return bool(string) and (isinstance(string, str) or all(string))

    missing = sorted(
        f"{context}|{message}" if context else message
        for message, context in used
        if not done((message, context))
    )
    assert missing == [], f"run `make messages` and translate: {missing}"


def test_an_english_word_with_two_meanings_is_told_apart_by_its_context() -> None:
    """The button that opens an offer is not the status of an open offer, and recording a
    certificate is not the records a person holds: each meaning has its own message."""
    used = _used_messages()
    translations = load_translations()["ja"]
    for message, context in (
        ("Open", "action"),
        ("Record", "action"),
        ("Close", "offer"),
        ("Yes", "presence"),
        ("Valid", "period"),
        ("Deliveries", "list"),
    ):
        assert (message, context) in used, (message, context)
        assert translations.pgettext(context, message) != message, (message, context)
    assert translations.pgettext("action", "Open") == "公開する"
    assert translations.gettext("Open") == "公開中"
    assert translations.pgettext("action", "Record") == "登録する"
    assert translations.gettext("Record") == "預託データ"
    assert translations.pgettext("offer", "Close") != translations.gettext("Close inquiry")
    assert translations.pgettext("presence", "Yes") != translations.gettext("Yes")


def test_catalogues_load_in_memory_and_translate() -> None:
    translations = load_translations()
    assert translations["ja"].gettext("Log in") == "ログイン"
    assert translations["en"].gettext("Log in") == "Log in"
    assert translations["ja"].gettext("a message no one wrote") == "a message no one wrote"


def test_language_is_japanese_unless_english_is_asked_for_or_remembered() -> None:
    assert pick_language(None, None) == "ja"
    assert pick_language("en", None) == "en"
    assert pick_language(None, "en") == "en"
    assert pick_language("ja", "en") == "ja"
    assert pick_language("fr", "de") == "ja"


def test_the_api_accepts_exactly_the_inquiry_categories_of_the_domain() -> None:
    assert set(get_args(InquiryCategory)) == set(INQUIRY_CATEGORIES)
