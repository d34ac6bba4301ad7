"""A person's records of every catalogue category, as their writers would send them, with the
summary line each should read as in Japanese and English; Mynaportal health data imported
the way the import stores it; the views' words and lookups for unit tests; and what the
records pages must never show outside the stored-data disclosure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from typing import Any

from fastapi.testclient import TestClient

from infobank.adapters.datafiles import load_catalogue, load_prefectures
from infobank.bootstrap import Bank
from infobank.domain.catalogue import Catalogue
from infobank.entrypoints.web.i18n import load_translations
from infobank.entrypoints.web.person import record_views
from infobank.entrypoints.web.person.record_values import Words
from infobank.mynaportal_sim.population import SimPerson, generate, visible_items
from infobank.services import mynaportal_retrieval
from tests.support import api

TRANSLATIONS = load_translations()
CATALOGUE = load_catalogue()
PREFECTURES = load_prefectures()


@dataclass(frozen=True, eq=False)
class Sample:
    category: str
    data: dict[str, Any]
    ja: str  # the summary line on a Japanese page
    en: str  # and on an English one


SAMPLES = (
    Sample(
        "profile.basic",
        {"age_band": "40代", "gender": "female", "prefecture": "13"},
        "40代 · 女性 · 東京都",
        "40代 · Female · Tokyo",
    ),
    Sample(
        "profile.contact",
        {"email": "hanako@example.jp", "phone": "03-1234-5678"},
        "hanako@example.jp · 03-1234-5678",
        "hanako@example.jp · 03-1234-5678",
    ),
    Sample(
        "interests",
        {"topics": ["ランニング", "読書", "旅行"]},
        "ランニング、読書、旅行",
        "ランニング, 読書, 旅行",
    ),
    Sample(
        "location.history",
        {"place": "渋谷駅", "latitude": 35.658, "longitude": 139.7016},
        "渋谷駅 · 緯度 35.658 · 経度 139.7016",
        "渋谷駅 · Latitude 35.658 · Longitude 139.7016",
    ),
    Sample(
        "lifelog.activity",
        {"steps": 9001, "active_minutes": 45},
        "9,001歩 · 活動時間 45分",
        "9,001 steps · Active time 45 min",
    ),
    Sample("lifelog.sleep", {"hours": 7.5}, "睡眠 7.5時間", "Sleep 7.5 h"),
    Sample(
        "lifelog.meals",
        {"meal": "lunch", "menu": ["焼き魚定食"], "calories_kcal": 720},
        "昼食 · 焼き魚定食 · 720 kcal",
        "Lunch · 焼き魚定食 · 720 kcal",
    ),
    Sample(
        "insurance.policies",
        {"insurer": "みらい保険", "product": "医療保険", "premium_yen": 3200},
        "みらい保険 · 医療保険 · 保険料 3,200円",
        "みらい保険 · 医療保険 · Premium ¥3,200",
    ),
    Sample("finance.income", {"annual_yen": 5200000}, "5,200,000円", "¥5,200,000"),
    Sample(
        "employment",
        {"employer": "さくら商事", "occupation": "営業"},
        "さくら商事 · 営業",
        "さくら商事 · 営業",
    ),
    Sample(
        "health.checkup",
        {"bmi": 24.1, "systolic_bp": 128},
        "BMI 24.1 kg/m² · 収縮期血圧 128 mmHg · すべて基準範囲内",
        "BMI 24.1 kg/m² · Blood pressure (systolic) 128 mmHg · all within the reference ranges",
    ),
    Sample(
        "health.medication",
        {"drug": "ロキソプロフェン錠60mg", "days": 3, "pharmacy": "みどり薬局"},
        "ロキソプロフェン錠60mg · 3日分 · みどり薬局",
        "ロキソプロフェン錠60mg · 3 days' supply · みどり薬局",
    ),
    Sample(
        "health.medical_expenses",
        {"month": "2026-10", "provider": "さくら内科クリニック", "total_yen": 4800},
        "2026年10月 · さくら内科クリニック · 4,800円",
        "Oct 2026 · さくら内科クリニック · ¥4,800",
    ),
    Sample(
        "health.immunization",
        {"vaccine": "インフルエンザHAワクチン", "given_on": "2025-11-01"},
        "インフルエンザHAワクチン · 2025-11-01",
        "インフルエンザHAワクチン · 2025-11-01",
    ),
    Sample(
        "health.diagnosis",
        {"condition": "高血圧症", "diagnosed_on": "2023-04-01"},
        "高血圧症 · 診断日 2023-04-01",
        "高血圧症 · Diagnosed on 2023-04-01",
    ),
    Sample("creed", {"belief": "仏教"}, "仏教", "仏教"),
    Sample("criminal_record", {"description": "記録なし"}, "記録なし", "記録なし"),
    # A shape no category knows: humanised labels, values joined, never a repr.
    Sample(
        "lifelog.activity",
        {"device": {"model": "Walkee X1"}, "readings": [3, 5, 8]},
        "Device › Model: Walkee X1 · Readings: 3、5、8",
        "Device › Model: Walkee X1 · Readings: 3, 5, 8",
    ),
)

# Pushed by a source: its method and purpose are codes the page must name.
PURCHASE = Sample(
    "purchase.history",
    {"shop": "コンビニ", "amount_yen": 9533},
    "9,533円 · コンビニ",
    "¥9,533 · コンビニ",
)

# Codes that must never be shown as they are (besides every catalogue code).
RAW_CODES = (
    "pos_purchase",
    "loyalty_programme",
    "self_entrusted",
    "mynaportal_self_information",
    "mynaportal.self_information_api",
)
FORBIDDEN = ("{'", "['", "resourceType", "urn:uuid")


def codes(catalogue: Catalogue) -> tuple[str, ...]:
    """Codes a page must never show: the acquisition codes above and every catalogue code no
    reader would take for a word (``health.checkup``, ``criminal_record``; ``interests`` is
    one)."""
    return (*RAW_CODES, *(c.code for c in catalogue if "." in c.code or "_" in c.code))


def words(lang: str) -> Words:
    return Words(lang, TRANSLATIONS[lang], PREFECTURES)


def looks(lang: str, sex: str | None = None) -> record_views.Lookups:
    """The views' lookups in ``lang``, with one source (``src-1``: さくらマート)."""
    return record_views.Lookups(words(lang), CATALOGUE, {"src-1": "さくらマート"}, sex=sex)


def vars_of(provenance: record_views.Provenance) -> list[str]:
    return [provenance.acquired, provenance.method, provenance.source, provenance.purpose]


def shown(page: record_views.RecordPage) -> str:
    """Everything a record's page shows outside the stored-data disclosure."""
    cells = [c.text for t in page.tables for row in t.rows for c in row]
    captions = [t.caption for t in page.tables] + [h for t in page.tables for h in t.head]
    return " ".join([page.summary, *captions, *cells, *vars_of(page.provenance)])


def assert_readable(text: str) -> None:
    for bad in (*FORBIDDEN, *codes(CATALOGUE)):
        assert bad not in text, (bad, text)


def entrust_samples(client: TestClient, person: api.Party) -> dict[Sample, str]:
    """Every sample entrusted by the person through the API; returns each one's record id."""
    ids = {}
    for sample in SAMPLES:
        made = client.post(
            "/v1/me/records",
            json={"category": sample.category, "data": sample.data},
            headers=person.headers,
        )
        assert made.status_code == 201, made.text
        ids[sample] = made.json()["id"]
    return ids


def push_purchase(client: TestClient, bank: Bank, person: api.Party) -> str:
    """A till purchase sent by a linked shop (さくらマート) for its loyalty programme."""
    source = api.business(client, api.staff(bank), "source", name="さくらマート")
    ref = api.link(client, person, source)
    pushed = client.post(
        "/v1/source/records",
        json={
            "records": [
                {
                    "person_ref": ref,
                    "category": PURCHASE.category,
                    "data": PURCHASE.data,
                    "observed_at": "2026-11-25T10:00:00Z",
                    "acquired_via": "pos_purchase",
                    "purpose": "loyalty_programme",
                }
            ]
        },
        headers=source.headers,
    )
    assert pushed.status_code == 201, pushed.text
    return str(pushed.json()["ids"][0])


def sim_person(seed: int, people: int, index: int, as_of: date) -> SimPerson:
    return generate(seed, people, as_of)[index]


def import_health(bank: Bank, person_id: str, someone: SimPerson, today: date) -> int:
    """What Mynaportal shows ``someone`` today, stored by the import itself
    (``import_items``: the FHIR conversion, validation and storage), without the HTTP leg."""
    kinds = list(mynaportal_retrieval.ITEM_KINDS)
    ctx = bank.context
    with ctx.uow() as uow:
        imported = mynaportal_retrieval.import_items(
            ctx, bank.mynaportal, uow, person_id, visible_items(someone, kinds, today)
        )
        uow.commit()
    return imported


_DETAILS = re.compile(r"<details class=\"raw\".*?</details>", re.S)


def outside_details(html: str) -> str:
    """The page without its stored-data disclosure."""
    return _DETAILS.sub("", html)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "details"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "details"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """What a reader sees, outside the stored-data disclosure (no attributes, no scripts)."""
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())
