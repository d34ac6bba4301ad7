"""The records pages over HTTP (/records, /records/{id}) beside the Mynaportal simulator: a
person links Mynaportal (their health data is imported as FHIR), entrusts records of every
other category and receives a shop's purchase; both pages read in Japanese and English as
summaries and small tables, and nothing outside the stored-data disclosure shows a Python
repr, a FHIR resource kind or reference, or a raw code. On SQLite only: the import under the
pages is tested on both databases in ``test_mynaportal``."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from infobank.bootstrap import Bank
from infobank.domain.catalogue import Catalogue
from infobank.entrypoints.web.templating import JST
from infobank.mynaportal_sim.population import generate, visible_items
from infobank.mynaportal_sim.server import RunningSim
from infobank.services import records
from tests.fakes import FakeClock
from tests.support import api, web
from tests.support import mynaportal as mp
from tests.support.records import (
    FORBIDDEN,
    PURCHASE,
    codes,
    entrust_samples,
    outside_details,
    push_purchase,
    visible_text,
)

PEOPLE = 6
Items = dict[str, list[dict[str, Any]]]


@pytest.fixture
def sim(clock: FakeClock) -> Iterator[RunningSim]:
    with mp.simulator(clock, people=PEOPLE) as running:
        yield running


@pytest.fixture(params=["sqlite"])
def bank(request: pytest.FixtureRequest, tmp_path: Path, clock: FakeClock) -> Iterator[Bank]:
    yield from mp.wired_bank(request, tmp_path, clock)


def _assert_readable(html: str, catalogue: Catalogue) -> None:
    """No repr, FHIR plumbing or raw code outside the disclosure; codes not even in text."""
    shown = outside_details(html)
    for bad in FORBIDDEN:
        assert bad not in shown, bad
    text = visible_text(html)
    for code in codes(catalogue):
        assert code not in text, code


def _linked_person(client: TestClient, bank: Bank, sim: RunningSim) -> tuple[api.Party, Items]:
    """A person who linked Mynaportal; returns them and the items Mynaportal showed today."""
    person = api.sign_up(client)
    chosen = mp.card(sim)
    back = mp.link(client, sim, person, chosen["id"], chosen["pin"])
    assert back.status_code == 200, back.text
    today = bank.context.clock.now().date()
    someone = next(p for p in generate(mp.SEED, PEOPLE, today) if p.id == chosen["id"])
    return person, visible_items(someone, ["medication", "checkup", "medical_expenses"], today)


_NEXT = re.compile(r'data-testid="page-next" href="([^"]+)"')


def _every_page(client: TestClient, path: str) -> str:
    """The pages of a list, following its page-next links, one after another."""
    pages: list[str] = []
    while True:
        got = client.get(path)
        assert got.status_code == 200, got.text
        pages.append(got.text)
        more = _NEXT.search(got.text)
        if more is None:
            return "\n".join(pages)
        path = html.unescape(more.group(1))


def test_records_read_as_summaries_and_tables_in_both_languages(
    client: TestClient, bank: Bank, sim: RunningSim
) -> None:
    person, someone = _linked_person(client, bank, sim)
    samples = entrust_samples(client, person)
    purchase = push_purchase(client, bank, person)
    held = records.list_records(bank.context, person.id)
    health = [r for r in held if r.acquired_via.value == "mynaportal"]
    assert {r.category for r in health} == {
        "health.medication",
        "health.checkup",
        "health.medical_expenses",
    }
    ja = _every_page(client, "/records")
    en = _every_page(client, "/records?lang=en")

    for page in (ja, en):
        _assert_readable(page, bank.context.catalogue)
        assert page.count('data-testid="record-item"') == len(held)
        assert "record-raw" not in page and "<pre" not in page
    ja_text, en_text = html.unescape(ja), html.unescape(en)
    for sample in samples:
        assert sample.ja in ja_text, sample.ja
        assert sample.en in en_text, sample.en
    assert PURCHASE.ja in ja_text and "さくらマート" in ja_text and PURCHASE.en in en_text
    for item in someone["medication"]:
        assert f"{item['drugs'][0]['name']}" in ja_text and "日分" in ja_text
    for item in someone["checkup"]:
        assert f"BMI {item['body']['bmi']} kg/m²" in ja_text
    for item in someone["medical_expenses"]:
        assert f"{item['total_yen']:,}円（窓口負担 {item['patient_paid_yen']:,}円）" in ja_text
        assert f"¥{item['total_yen']:,} (paid ¥{item['patient_paid_yen']:,})" in en_text
    assert "特定健診情報 · マイナポータル" in re.sub(r"<[^>]+>", "", ja)
    assert "Purchase history · さくらマート" in re.sub(r"<[^>]+>", "", en)

    # Every record's own page, in both languages, with the stored data behind a disclosure.
    for record in held:
        for lang in ("ja", "en"):
            page = client.get(f"/records/{record.id}?lang={lang}")
            assert page.status_code == 200, page.text
            _assert_readable(page.text, bank.context.catalogue)
            assert page.text.count('data-testid="record-raw"') == 1
    checkups = [r for r in health if r.category == "health.checkup"]
    checkup = max(checkups, key=lambda r: r.observed_at or r.created_at)
    shown = client.get(f"/records/{checkup.id}?lang=ja").text
    for heading in ("項目", "基準範囲", "判定", "推移", "検査結果", "標準的な質問票"):
        assert heading in shown, heading
    latest = someone["checkup"][-1]
    told = "、".join(f"{c['examined_on']} {c['body']['bmi']}" for c in someone["checkup"])
    told += "、2026-11-26 24.1"  # the checkup the person typed in joins the trend
    assert f"<title>BMIの推移: {told}</title>" in shown
    bmi_row = rf'<th scope="row">BMI</th><td( class="flag-high")?>{latest["body"]["bmi"]}</td>'
    assert re.search(bmi_row, shown)
    raw = re.search(r"<details class=\"raw\".*?</details>", shown, re.S)
    assert raw and "&#34;resourceType&#34;: &#34;Bundle&#34;" in raw.group(0)
    shown_en = client.get(f"/records/{checkup.id}?lang=en").text
    assert "BMI over the years: " in shown_en and "Reference range" in shown_en

    medication = next(r for r in health if r.category == "health.medication")
    dispensed = medication.observed_at.astimezone(JST).date().isoformat()
    item = next(i for i in someone["medication"] if i["dispensed_on"] == dispensed)
    page = client.get(f"/records/{medication.id}?lang=ja").text
    for heading in ("薬剤", "1回量", "用法", "日数", "調剤日", "薬局"):
        assert heading in page, (heading, visible_text(page))
    assert item["pharmacy"]["name"] in page and item["drugs"][0]["usage"] in page

    bought = client.get(f"/records/{purchase}?lang=ja").text
    assert "店頭レジでの購入（POS）" in bought and "ポイントプログラム" in bought
    assert "9,533円" in bought and "コンビニ" in bought


def test_another_persons_record_page_is_not_found(
    client: TestClient, bank: Bank, sim: RunningSim
) -> None:
    owner, someone = _linked_person(client, bank, sim)
    theirs = records.list_records(bank.context, owner.id)[0].id
    web.sign_up(client, bank)  # someone else, logged in in the same browser

    page = client.get(f"/records/{theirs}")

    assert page.status_code == 404
    assert "resourceType" not in page.text
    assert someone["medication"][0]["pharmacy"]["name"] not in page.text
