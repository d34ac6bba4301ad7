"""Health records as the pages read them, made the way the Mynaportal import stores them: the
simulator's items converted to FHIR by ``mynaportal_fhir.convert`` (what ``import_items``
stores) and round-tripped through JSON. A dispensing reads as drug, dose, days, pharmacy; a
checkup as items with value, unit, reference range, flag and a trend over the years; a medical
expense notice as month, provider and amounts. No FHIR plumbing reaches the page."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest

from infobank.domain.mynaportal_fhir import convert
from infobank.domain.records import AcquiredVia, Record
from infobank.entrypoints.web.person import record_views
from infobank.entrypoints.web.person.record_checkup import sparkline
from infobank.mynaportal_sim.population import SimPerson, generate
from infobank.services.mynaportal_retrieval import ACQUISITION_PURPOSE, SOURCE_METHOD
from tests.support.records import assert_readable, looks, shown, words

TODAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def people() -> list[SimPerson]:
    return generate(7, 6, TODAY)


def imported(kind: str, item: dict[str, Any], n: int = 0) -> Record:
    """One Mynaportal item as the import stores it (FHIR, through JSON) and reads it back."""
    category, observed_at, resource = convert(kind, item)
    return Record(
        id=f"00000000-0000-4000-8000-{n:012d}",
        person_id="p",
        category=category,
        data=json.loads(json.dumps(resource, ensure_ascii=False)),
        observed_at=observed_at,
        acquired_via=AcquiredVia.MYNAPORTAL,
        source_id=None,
        source_method=SOURCE_METHOD,
        purpose=ACQUISITION_PURPOSE,
        created_at=datetime(2026, 11, 26, tzinfo=UTC),
    )


def rows(table: Any) -> list[tuple[str, ...]]:
    return [tuple(c.text for c in row) for row in table.rows]


def test_every_imported_record_reads_without_fhir_plumbing(people: list[SimPerson]) -> None:
    seen = 0
    for person in people[:3]:
        for kind in ("medication", "checkup", "medical_expenses"):
            history = [imported(kind, item, n) for n, item in enumerate(getattr(person, kind))]
            for held in history:
                for lang in ("ja", "en"):
                    card = record_views.card(held, looks(lang, person.gender))
                    page = record_views.page(held, looks(lang, person.gender), history)
                    assert card.summary and card.source in ("マイナポータル", "Mynaportal")
                    assert_readable(card.summary + card.category)
                    assert_readable(shown(page))
                    assert "resourceType" in page.raw  # the payload itself stays available
                    seen += 1
    assert seen > 100


def test_a_dispensing_reads_as_drug_dose_days_and_pharmacy(people: list[SimPerson]) -> None:
    item = max((i for p in people for i in p.medication), key=lambda i: len(i["drugs"]))
    drugs = item["drugs"]
    assert len(drugs) >= 2
    held = imported("medication", item)

    card = record_views.card(held, looks("ja"))
    page = record_views.page(held, looks("ja"))
    english = record_views.page(held, looks("en"))

    days = max(d["days"] for d in drugs)
    assert card.summary == (
        f"{drugs[0]['name']}、{drugs[1]['name']} · {days}日分 · {item['pharmacy']['name']}"
    )
    medicines, dispensing = page.tables
    assert medicines.head == ("薬剤", "1回量", "用法", "日数")
    assert rows(medicines) == [
        (
            d["name"],
            f"{d['dose']['quantity']}{d['dose']['unit']}",
            d["usage"],
            f"{d['days']}日分",
        )
        for d in drugs
    ]
    facts = dict(rows(dispensing))
    assert facts["調剤日"] == item["dispensed_on"]
    assert facts["薬局"] == item["pharmacy"]["name"]
    assert facts["処方した医療機関"] == item["institution"]["name"]
    assert facts["処方日"] == item["prescribed_on"]
    assert english.tables[0].head == ("Drug", "Dose", "How to take", "Days supplied")
    assert rows(english.tables[0])[0][3] == f"{drugs[0]['days']} days' supply"


def test_many_drugs_read_as_the_first_two_and_how_many_more(people: list[SimPerson]) -> None:
    item = copy.deepcopy(people[0].medication[0])
    item["drugs"] = [dict(item["drugs"][0], name=f"薬{n}") for n in range(4)]

    summary = record_views.card(imported("medication", item), looks("en")).summary

    assert summary.startswith("薬0, 薬1 and 2 more · ")


def test_a_prescription_not_yet_dispensed_still_reads(people: list[SimPerson]) -> None:
    held = imported("medication", people[0].medication[0])
    entries = held.data["entry"]
    held.data["entry"] = [
        e for e in entries if e["resource"]["resourceType"] != "MedicationDispense"
    ]

    page = record_views.page(held, looks("ja"))

    drug = people[0].medication[0]["drugs"][0]
    assert rows(page.tables[0])[0][0] == drug["name"]
    assert dict(rows(page.tables[1]))["処方日"] == people[0].medication[0]["prescribed_on"]


def _checkups(person: SimPerson) -> list[Record]:
    return [imported("checkup", item, n) for n, item in enumerate(person.checkup)]


def test_a_checkup_reads_as_items_with_ranges_flags_and_a_trend(people: list[SimPerson]) -> None:
    person = max(people, key=lambda p: len(p.checkup))
    history = _checkups(person)
    item, latest = person.checkup[-1], history[-1]

    page = record_views.page(latest, looks("ja", person.gender), history)

    results = page.tables[0]
    assert results.head == ("項目", "値", "単位", "基準範囲", "判定", "推移")
    by_item = {row[0].text: row for row in results.rows}
    bmi = by_item["BMI"]
    over = "高値" if item["body"]["bmi"] >= 25 else ""
    assert [c.text for c in bmi[1:5]] == [str(item["body"]["bmi"]), "kg/m²", "25未満", over]
    systolic = by_item["収縮期血圧"]
    high = item["blood_pressure"]["systolic"] >= 130
    assert (systolic[1].text, systolic[4].text) == (
        str(item["blood_pressure"]["systolic"]),
        "高値" if high else "",
    )
    assert systolic[1].flag == ("high" if high else "")
    hdl = by_item["HDLコレステロール"]
    assert (hdl[3].text, hdl[4].flag) == ("40以上", "low" if item["blood"]["hdl"] < 40 else "")
    waist_limit = 85 if person.gender == "male" else 90
    assert by_item["腹囲"][3].text == f"{waist_limit}未満"
    assert by_item["尿蛋白"][3].text == "陰性（−）"

    chart = bmi[5].chart
    assert chart is not None and 'role="img"' in chart
    told = "、".join(f"{c['examined_on']} {c['body']['bmi']}" for c in person.checkup)
    assert f"<title>BMIの推移: {told}</title>" in chart
    assert chart.count("<circle") == 1 and by_item["尿糖"][5].chart is None  # words have no line

    outside = sum(1 for row in results.rows if row[4].text)
    assert page.summary.startswith(f"BMI {item['body']['bmi']} kg/m² · 血圧 ")
    assert page.summary.endswith(f"基準範囲外 {outside}項目") or outside == 0


def test_a_checkups_judgements_and_questionnaire_read_in_english(
    people: list[SimPerson],
) -> None:
    person = people[0]
    item = person.checkup[-1]
    page = record_views.page(imported("checkup", item), looks("en", person.gender))

    judgements = dict(rows(next(t for t in page.tables if t.caption == "Judgements")))
    answers = dict(rows(next(t for t in page.tables if t.caption == "Standard questionnaire")))
    facts = dict(rows(page.tables[-1]))

    english = {
        "非該当": "Not applicable",
        "基準該当": "Meets the criteria",
        "予備群該当": "At risk (pre-metabolic syndrome)",
        "なし": "No guidance needed",
        "積極的支援": "Intensive support",
        "動機付け支援": "Motivational support",
    }
    assert judgements == {
        "Metabolic syndrome": english[item["metabolic_syndrome"]],
        "Health guidance level": english[item["guidance_level"]],
    }
    smoking = "Yes" if item["questionnaire"]["smoking"] else "No"
    assert len(answers) == 8 and answers["Smokes habitually"] == smoking
    assert facts == {"Examined on": item["examined_on"], "Examined at": item["institution"]["name"]}


def test_one_checkup_alone_has_no_trend(people: list[SimPerson]) -> None:
    held = imported("checkup", people[0].checkup[0])

    page = record_views.page(held, looks("ja"))

    assert all(row[5].chart is None for row in page.tables[0].rows)


def test_a_range_and_flag_the_observation_gives_win_over_the_banks_guide(
    people: list[SimPerson],
) -> None:
    held = imported("checkup", people[0].checkup[0])
    for entry in held.data["entry"]:
        resource = entry["resource"]
        code = resource.get("code", {}).get("coding", [{}])[0].get("code")
        if code == "2085-9":  # HDL
            resource["valueQuantity"]["value"] = 70
            resource["referenceRange"] = [{"low": {"value": 40}, "high": {"value": 60}}]
        if code == "13457-7":  # LDL, flagged low by the checkup itself
            resource["interpretation"] = [{"coding": [{"code": "L"}]}]

    by_item = {row[0].text: row for row in record_views.page(held, looks("en")).tables[0].rows}

    assert (by_item["HDL cholesterol"][3].text, by_item["HDL cholesterol"][4].text) == (
        "40–60",
        "High",
    )
    assert by_item["LDL cholesterol"][4].text == "Low"


def test_a_plain_checkup_joins_the_trend_of_the_imported_ones(people: list[SimPerson]) -> None:
    history = _checkups(people[0])
    typed = replace(
        history[0],
        id="00000000-0000-4000-8000-999999999999",
        data={"bmi": 31.0, "systolic_bp": 150},
        acquired_via=AcquiredVia.SELF,
        observed_at=datetime(2026, 11, 1, tzinfo=UTC),
    )

    page = record_views.page(typed, looks("ja"), [*history, typed])

    bmi = page.tables[0].rows[0]
    assert [c.text for c in bmi[:5]] == ["BMI", "31.0", "kg/m²", "25未満", "高値"]
    assert bmi[5].chart is not None and "2026-11-01 31.0</title>" in bmi[5].chart
    assert page.summary == "BMI 31.0 kg/m² · 収縮期血圧 150 mmHg · 基準範囲外 2項目"


def test_a_medical_expense_notice_reads_as_month_provider_and_amounts(
    people: list[SimPerson],
) -> None:
    item = people[0].medical_expenses[0]
    held = imported("medical_expenses", item)
    total, paid = item["total_yen"], item["patient_paid_yen"]
    year, month = int(item["month"][:4]), int(item["month"][5:])

    card = record_views.card(held, looks("ja"))
    english = record_views.card(held, looks("en"))
    facts = dict(rows(record_views.page(held, looks("ja")).tables[0]))

    provider = item["institution"]["name"]
    assert card.summary == f"{year}年{month}月 · {provider} · {total:,}円（窓口負担 {paid:,}円）"
    assert english.summary.endswith(f" · {provider} · ¥{total:,} (paid ¥{paid:,})")
    assert facts == {
        "診療月": f"{year}年{month}月",
        "医療機関等": provider,
        "診療区分": item["kind"],
        "診療実日数": f"{item['days']}日",
        "医療費の総額": f"{total:,}円",
        "窓口負担相当額": f"{paid:,}円",
        "保険者負担額": f"{total - paid:,}円",
        "保険者": item["insurer"],
    }


def test_other_fhir_resources_read_by_what_they_are_about() -> None:
    allergy = {
        "resourceType": "AllergyIntolerance",
        "id": "a1",
        "code": {"text": "そば"},
        "patient": {"reference": "urn:uuid:p1"},
        "criticality": "high",
        "recordedDate": "2025-04-01",
    }
    shot = {
        "resourceType": "Immunization",
        "id": "i1",
        "status": "completed",
        "vaccineCode": {"text": "インフルエンザHAワクチン"},
        "occurrenceDateTime": "2025-11-01",
        "performer": [{"actor": {"display": "さくら内科クリニック"}}],
        "protocolApplied": [{"doseNumberPositiveInt": 2}],
    }

    blank = imported("medication", generate(7, 1, TODAY)[0].medication[0])
    other = record_views.page(replace(blank, data=allergy), looks("en"))
    given = record_views.page(replace(blank, data=shot), looks("ja"))

    assert other.summary == "そば"
    assert dict(rows(other.tables[0])) == {
        "Code": "そば",
        "Criticality": "high",
        "Recorded date": "2025-04-01",
    }
    assert given.summary == "インフルエンザHAワクチン · 2025-11-01 · さくら内科クリニック"
    assert dict(rows(given.tables[0]))["接種回数"] == "2"
    assert_readable(shown(other) + shown(given))


def test_a_sparkline_escapes_its_words_and_marks_the_current_point() -> None:
    points = [("2024-06-01", 120.0), ("2025-06-01", 135.0), ("2026-06-01", 128.0)]

    svg = sparkline(points, "2025-06-01", "<b>血圧</b>", words("ja"))

    assert svg.startswith('<svg class="spark" role="img"')
    assert "<title>&lt;b&gt;血圧&lt;/b&gt;の推移: 2024-06-01 120.0、2025-06-01 135.0" in svg
    assert '<circle cx="36.0" cy="3.0"' in svg  # the highest, middle point is this record's


@pytest.mark.parametrize(
    "resource",
    [
        {"resourceType": "MedicationRequest", "id": "r", "note": ["ただの文字"]},
        {"resourceType": "Observation", "id": "o", "component": "壊れた値"},
        {"resourceType": "ExplanationOfBenefit", "id": "e", "total": [1, 2], "supportingInfo": 3},
    ],
    ids=["medication", "checkup", "expense"],
)
def test_a_payload_that_breaks_its_shape_still_reads(
    people: list[SimPerson], resource: dict[str, Any]
) -> None:
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": resource}]}
    held = replace(imported("medication", people[0].medication[0]), data=bundle)

    card = record_views.card(held, looks("ja"))
    page = record_views.page(held, looks("en"))

    assert card.summary and page.tables
    assert_readable(card.summary + shown(page))
