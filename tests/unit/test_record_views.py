"""Records as the pages read them (record_views and record_fields): a summary line and a table
for every catalogue category in Japanese and English, codes shown by name, shapes nobody
described shown as humanised key/value rows, and never a Python repr."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from infobank.domain.records import AcquiredVia, Record
from infobank.entrypoints.web.person import record_views
from infobank.entrypoints.web.person.record_fields import FIELDS
from infobank.entrypoints.web.person.record_values import (
    day,
    humanise,
    key_value_rows,
    month,
    number,
    shorten,
    yen,
)
from tests.support.records import (
    CATALOGUE,
    PURCHASE,
    SAMPLES,
    Sample,
    assert_readable,
    looks,
    shown,
    vars_of,
    words,
)

AT = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def record(
    category: str,
    data: dict[str, Any],
    *,
    via: AcquiredVia = AcquiredVia.SELF,
    source_id: str | None = None,
    method: str | None = None,
    purpose: str = "self_entrusted",
    observed_at: datetime | None = None,
) -> Record:
    return Record(
        id="00000000-0000-4000-8000-000000000001",
        person_id="p",
        category=category,
        data=data,
        observed_at=observed_at,
        acquired_via=via,
        source_id=source_id,
        source_method=method,
        purpose=purpose,
        created_at=AT,
    )


def test_every_catalogue_category_has_a_renderer() -> None:
    rendered = set(FIELDS) | {"health.checkup"}  # checkups have their own (record_checkup)
    assert {c.code for c in CATALOGUE} <= rendered


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.category)
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_each_category_reads_as_one_summary_line_and_a_table(sample: Sample, lang: str) -> None:
    held = record(sample.category, sample.data)

    card = record_views.card(held, looks(lang))
    page = record_views.page(held, looks(lang))

    assert card.summary == (sample.ja if lang == "ja" else sample.en)
    category = CATALOGUE.get(sample.category)
    assert category is not None
    assert card.category == (category.name_ja if lang == "ja" else category.name_en)
    assert card.day == "2026-11-26"
    assert page.tables and all(t.rows for t in page.tables)
    assert_readable(card.summary + card.category + card.source)
    assert_readable(shown(page))


def test_a_purchase_shows_yen_with_separators_the_shop_and_its_sources_words() -> None:
    held = record(
        PURCHASE.category,
        PURCHASE.data,
        via=AcquiredVia.SOURCE,
        source_id="src-1",
        method="pos_purchase",
        purpose="loyalty_programme",
    )

    ja, en = record_views.card(held, looks("ja")), record_views.card(held, looks("en"))
    page = record_views.page(held, looks("ja"))

    assert (ja.summary, ja.category, ja.source) == (
        "9,533円 · コンビニ",
        "購買履歴",
        "さくらマート",
    )
    assert (en.summary, en.category) == ("¥9,533 · コンビニ", "Purchase history")
    assert vars_of(page.provenance) == [
        "連携した情報提供元から受領",
        "店頭レジでの購入（POS）",
        "さくらマート",
        "ポイントプログラム",
    ]
    assert ("金額", "9,533円") in [(r[0].text, r[1].text) for r in page.tables[0].rows]


def test_codes_nobody_named_are_humanised_never_shown_raw() -> None:
    held = record(
        "purchase.history",
        {"shop": "書店"},
        via=AcquiredVia.SOURCE,
        source_id="gone",
        method="kiosk_scan",
        purpose="member_rewards",
    )

    provenance = record_views.page(held, looks("en")).provenance

    assert vars_of(provenance) == [
        "Sent by a linked source",
        "Kiosk scan",
        "A linked source",
        "Member rewards",
    ]


def test_a_record_the_person_typed_says_so_and_why_it_is_kept() -> None:
    held = record("lifelog.sleep", {"minutes": 420}, observed_at=datetime(2026, 11, 20, tzinfo=UTC))

    card = record_views.card(held, looks("ja"))
    page = record_views.page(held, looks("en"))

    assert (card.source, card.day, card.summary) == ("あなたが入力", "2026-11-20", "睡眠 420分")
    assert vars_of(page.provenance) == ["Entered by you", "", "", "Kept for yourself"]
    assert (page.observed, page.entrusted) == ("2026-11-20 09:00", "2026-11-26 18:00")


def test_a_shape_nobody_described_reads_as_humanised_rows_not_a_repr() -> None:
    data = {
        "readingsPerHour": [{"hour": 7, "steps": 1200}, {"hour": 8, "steps": 300}],
        "device": {"model": "Walkee X1", "battery": None, "paired": True},
        "ok": False,
    }

    page = record_views.page(record("lifelog.activity", data), looks("ja"))
    rows = [(r[0].text, r[1].text) for r in page.tables[0].rows]

    assert rows == [
        ("Readings per hour 1 › Hour", "7"),
        ("Readings per hour 1 › Steps", "1,200"),
        ("Readings per hour 2 › Hour", "8"),
        ("Readings per hour 2 › Steps", "300"),
        ("Device › Model", "Walkee X1"),
        ("Device › Battery", "—"),
        ("Device › Paired", "はい"),
        ("Ok", "いいえ"),
    ]
    assert_readable(shown(page))


def test_a_field_typed_on_the_form_reads_with_its_label() -> None:
    typed = record("employment", {"value": "看護師"})
    unnamed = record("creed", {"信仰": "特になし"})

    assert record_views.card(typed, looks("en")).summary == "看護師"
    assert record_views.card(unnamed, looks("ja")).summary == "信仰: 特になし"


def test_the_stored_payload_is_kept_as_pretty_json_for_the_disclosure() -> None:
    data = {"topics": ["旅行", "料理"], "nested": {"a": 1}}

    page = record_views.page(record("interests", data), looks("ja"))

    assert json.loads(page.raw) == data
    assert '\n  "topics": [\n    "旅行",' in page.raw  # indented, Japanese as it is


def test_a_long_summary_is_cut_to_one_line() -> None:
    data = {"topics": [f"とても長い興味の名前その{n}" for n in range(30)]}

    summary = record_views.card(record("interests", data), looks("ja")).summary

    assert len(summary) == 110 and summary.endswith("…")


def test_values_read_in_the_page_language() -> None:
    ja, en = words("ja"), words("en")

    assert [number(9001), number(0.1 + 0.2), number(24.0), number(139.7016)] == [
        "9,001",
        "0.3",
        "24.0",
        "139.7016",
    ]
    assert (yen(1234567, ja), yen(1234567, en), yen("不明", en)) == (
        "1,234,567円",
        "¥1,234,567",
        "不明",
    )
    assert (month("2024-05", ja), month("2024-05-01", en), month("2024-13", en)) == (
        "2024年5月",
        "May 2024",
        "2024-13",
    )
    assert day("2026-11-25T10:00:00Z") == "2026-11-25 19:00"  # Japan time
    assert day("2026-11-25T00:00:00+09:00") == "2026-11-25"
    assert day("そのうち") == "そのうち"
    assert [humanise("amount_yen"), humanise("billablePeriod"), humanise("歩数")] == [
        "Amount yen",
        "Billable period",
        "歩数",
    ]
    assert shorten("a " * 3) == "a a a"


def test_key_value_rows_leave_out_fhir_plumbing() -> None:
    data = {
        "resourceType": "Observation",
        "id": "x",
        "meta": {"profile": ["http://example"]},
        "subject": {"reference": "urn:uuid:123", "display": "本人"},
        "focus": "urn:uuid:456",
    }

    assert key_value_rows(data, words("en")) == [("Subject", "本人")]
