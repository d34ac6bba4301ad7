"""Mynaportal items as FHIR R4 (JP Core shapes), validated with fhir.resources."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime

import pytest

from infobank.adapters.fhir import FhirResourcesValidator
from infobank.domain.fhir import ORIGIN_TAG
from infobank.domain.mynaportal_fhir import convert, export_bundle
from infobank.mynaportal_sim.population import SimPerson, generate

KINDS = ("medication", "checkup", "medical_expenses")
VALIDATOR = FhirResourcesValidator()


@pytest.fixture(scope="module")
def people() -> list[SimPerson]:
    return generate(11, 3, date(2026, 11, 26))


def test_every_simulated_item_converts_to_valid_fhir(people: list[SimPerson]) -> None:
    categories = set()
    for person in people:
        for kind in KINDS:
            for item in getattr(person, kind):
                category, observed_at, resource = convert(kind, item)
                VALIDATOR.validate(resource)
                categories.add(category)
                assert observed_at.tzinfo is not None
                assert ORIGIN_TAG in resource["meta"]["tag"]
    assert categories == {"health.medication", "health.checkup", "health.medical_expenses"}


def test_dispensing_is_request_and_dispense_linked_per_drug(people: list[SimPerson]) -> None:
    item = people[0].medication[0]
    _, _, bundle = convert("medication", item)
    resources = [e["resource"] for e in bundle["entry"]]
    requests = {r["id"]: r for r in resources if r["resourceType"] == "MedicationRequest"}
    dispenses = [r for r in resources if r["resourceType"] == "MedicationDispense"]

    assert len(requests) == len(dispenses) == len(item["drugs"])
    for dispense in dispenses:
        [prescription] = dispense["authorizingPrescription"]
        assert prescription["reference"].removeprefix("urn:uuid:") in requests
        assert dispense["meta"]["profile"][0].endswith("/JP_MedicationDispense")


def test_checkup_report_lists_every_observation_with_its_judgements(
    people: list[SimPerson],
) -> None:
    item = people[0].checkup[-1]
    _, _, bundle = convert("checkup", item)
    [report] = [
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "DiagnosticReport"
    ]
    observations = {
        f"urn:uuid:{e['resource']['id']}": e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Observation"
    }

    assert {r["reference"] for r in report["result"]} == set(observations)
    loinc = {c["code"] for o in observations.values() for c in o["code"].get("coding", [])}
    assert {"8302-2", "29463-7", "39156-5", "8280-0", "85354-9", "4548-4", "5792-7"} <= loinc
    assert item["metabolic_syndrome"] in report["conclusion"]
    assert item["guidance_level"] in report["conclusion"]


def test_expense_notice_totals_add_up(people: list[SimPerson]) -> None:
    item = people[0].medical_expenses[0]
    _, _, eob = convert("medical_expenses", item)
    totals = {t["category"]["coding"][0]["code"]: t["amount"]["value"] for t in eob["total"]}

    assert totals["submitted"] == item["total_yen"]
    assert totals["copay"] + totals["benefit"] == totals["submitted"]
    assert eob["billablePeriod"]["start"] == item["month"] + "-01"


def test_export_bundle_unpacks_fhir_and_keeps_other_records_whole(
    people: list[SimPerson],
) -> None:
    _, observed, resource = convert("checkup", people[0].checkup[0])
    own = {"systolic_bp": 128}
    bundle = export_bundle(
        "b-1",
        datetime(2026, 11, 26, tzinfo=UTC),
        {
            "id": "0b0c7f4e-1111-4a2a-9c5e-000000000001",
            "name": "山田 花子",
            "birth_date": date(1985, 4, 12),
            "gender": "female",
        },
        [
            {
                "id": "r1",
                "category": "health.checkup",
                "acquired_via": "mynaportal",
                "observed_at": observed,
                "data": resource,
            },
            {
                "id": "r2",
                "category": "health.checkup",
                "acquired_via": "self",
                "observed_at": None,
                "data": own,
            },
        ],
    )

    VALIDATOR.validate(bundle)
    types = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert types[0] == "Patient" and types[-1] == "DocumentReference"
    assert types.count("DiagnosticReport") == 1
    attachment = bundle["entry"][-1]["resource"]["content"][0]["attachment"]
    assert json.loads(base64.b64decode(attachment["data"])) == own


def test_invalid_fhir_is_refused_with_what_is_wrong() -> None:
    with pytest.raises(ValueError, match="status"):
        VALIDATOR.validate({"resourceType": "Observation", "code": {"text": "x"}})
    with pytest.raises(ValueError, match="resourceType"):
        VALIDATOR.validate({"status": "final"})
