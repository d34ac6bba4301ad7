"""The reader behind the pages' words test (``tests/support/words.py``): what it counts as text
a person sees, and which Latin words it lets through on a Japanese page."""

from __future__ import annotations

from tests.support.words import foreign_words, visible_text


def test_codes_and_english_in_text_and_spoken_attributes_are_found() -> None:
    html = (
        "<p>4 件 (acknowledged)</p><p>benefit for offer 割引</p>"
        '<a aria-label="Close" href="/x">×</a><img alt="chart" src="/c.png">'
        '<input placeholder="例：insurance"><input type="submit" value="Send">'
    )
    found = [word for word, _ in foreign_words(html)]
    assert found == [
        "acknowledged",
        "benefit",
        "for",
        "offer",
        "Close",
        "chart",
        "insurance",
        "Send",
    ]


def test_numbers_dates_addresses_ids_and_allowed_names_pass() -> None:
    html = (
        "<p>2026-11-26 18:00 · +300 ポイント · 3,000 kcal</p>"
        "<p>dpo@mirai.example.jp · https://bank.example.jp/v1 · P-12345</p>"
        "<p>rcp_0123456789abcdef0123 · 3f2a9c1e-0b7d-4e5f-9a6b-1c2d3e4f5a6b</p>"
        "<p>ISMS（ISO/IEC 27001）· Pマーク · API ドキュメント</p>"
        '<a lang="en" href="?lang=en">English</a>'
    )
    assert foreign_words(html) == []


def test_scripts_styles_other_attributes_and_untranslated_blocks_are_not_text() -> None:
    html = (
        '<script>var status = "open";</script><style>.badge-open { color: red }</style>'
        '<span class="badge badge-open" data-status="open">公開中</span>'
        '<pre translate="no">{"steps": 8012}<br>{"shop": "コンビニ"}</pre><p>後</p>'
    )
    assert visible_text(html) == ["公開中", "後"]
    assert foreign_words(html) == []
