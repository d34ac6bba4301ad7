"""Reading a page as a person does, to find the words that are not in the page's language.

``visible_text`` keeps what is shown or read aloud: text outside scripts and styles, and the
attributes a person reads or hears (``alt``, ``title``, ``aria-label``, ``placeholder``, the
label of an input button). It leaves out what a page marks ``translate="no"`` (the HTML way to
say "not words of the page", as for a record's data shown exactly as stored).

``foreign_words`` lists, in a Japanese page, every run of Latin letters that is neither a name
on the short allowlist (brands and standards) nor something that is never translated (numbers,
dates, e-mail addresses, URLs, identifiers).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["ALLOWED_WORDS", "foreign_words", "visible_text"]

SPOKEN_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")
_HIDDEN_CONTENT = ("script", "style", "template")
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_BUTTON_INPUTS = ("submit", "button", "reset")

# Names that stay as they are in Japanese text: the bank's brand, standards and the
# abbreviations Japanese writes in Latin letters; units of measure.
ALLOWED_WORDS = frozenset(
    {
        "infobank",
        "English",  # the language switch names its language in that language
        "API",
        "ID",
        "URL",
        "JSON",
        "PIN",
        "POS",
        "ISMS",
        "ISO/IEC",
        "TS",
        "FHIR",
        "kcal",
        "kg",
        "cm",
        "km",
        "mmHg",
        "mg/dL",
        "kg/m",  # kg/m² (BMI's unit; the ² is not a word character)
        "BMI",  # the measure's name in Japanese checkups too
    }
)
# Phrases allowed as a whole though a part of them is not (the Privacy Mark's Japanese name).
ALLOWED_PHRASES = ("Pマーク", "JP Core")

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-/:@+%#=?&~]*")
_NEVER_TRANSLATED = (
    re.compile(r"^[^A-Za-z]*$"),  # numbers, dates, times
    re.compile(r"^[\w.+\-]+@[\w\-]+(\.[\w\-]+)+$"),  # e-mail addresses
    re.compile(r"^https?://\S+$"),  # addresses of other banks, documents
    re.compile(r"^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$"),  # ids (UUID)
    re.compile(r"^[0-9a-f]{16,}$"),  # digests
    re.compile(r"^[a-z]{2,4}_[0-9a-f]{16,}$"),  # client ids
    re.compile(r"^[A-Z]{1,8}(-[A-Z0-9]+)*-\d+$"),  # certificate and reference numbers
)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.untranslated = 0  # depth inside an element marked translate="no"
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN_CONTENT:
            self.hidden += 1
        values = dict(attrs)
        if tag not in _VOID and (self.untranslated or values.get("translate") == "no"):
            self.untranslated += 1
        if self.untranslated or values.get("translate") == "no":
            return
        self.parts.extend(v for name in SPOKEN_ATTRIBUTES if (v := values.get(name)))
        if tag == "input" and values.get("type") in _BUTTON_INPUTS and values.get("value"):
            self.parts.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_CONTENT and self.hidden:
            self.hidden -= 1
        if tag not in _VOID and self.untranslated:
            self.untranslated -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden and not self.untranslated and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> list[str]:
    """The pieces of text a person sees or hears on the page, in document order."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.parts


def foreign_words(html: str) -> list[tuple[str, str]]:
    """(word, the text it stands in) for every word a Japanese page should not show."""
    found = []
    for text in visible_text(html):
        plain = text
        for phrase in ALLOWED_PHRASES:
            plain = plain.replace(phrase, " ")
        for token in _TOKEN.findall(plain):
            word = token.rstrip(".,:;!?/-")
            if word in ALLOWED_WORDS or any(p.match(word) for p in _NEVER_TRANSLATED):
                continue
            found.append((word, text[:120]))
    return found
