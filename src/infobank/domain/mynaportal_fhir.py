"""Mynaportal items as FHIR R4 resources, shaped after JP Core (pure mapping, no validation).

    薬剤情報   → Bundle(collection): MedicationRequest + MedicationDispense per drug
    特定健診   → Bundle(collection): DiagnosticReport + Observations (body measurements, blood
                 pressure, blood and urine tests, questionnaire, judgements)
    医療費通知 → ExplanationOfBenefit

Each record holds one resource. References to the person are display-only (``本人``): a record
carries no identifier of them, so a delivery names the person only by the consent's pseudonym.
Every resource is tagged with its origin (``urn:infobank:origin`` = ``mynaportal``).
"""

from __future__ import annotations

import base64
import json
from datetime import date, datetime, timedelta
from typing import Any

from infobank.domain.fhir import (
    JST,
    SELF_REFERENCE,
    bundle_entry,
    collection_bundle,
    days_quantity,
    fhir_id,
    fhir_meta,
    fhir_org,
)
from infobank.domain.mynaportal_checkup import checkup_report

__all__ = ["convert", "export_bundle"]


def _medication(item: dict[str, Any]) -> dict[str, Any]:
    resources: list[dict[str, Any]] = []
    dispenses: list[dict[str, Any]] = []
    for n, drug in enumerate(item["drugs"]):
        medication = {"text": drug["name"]}
        dosage = [
            {
                "text": drug["usage"],
                "doseAndRate": [
                    {
                        "doseQuantity": {
                            "value": drug["dose"]["quantity"],
                            "unit": drug["dose"]["unit"],
                        }
                    }
                ],
            }
        ]
        quantity = {"value": drug["quantity"], "unit": drug["dose"]["unit"]}
        request_id = fhir_id(item["id"], "request", str(n))
        kind = "後発医薬品" if drug["generic"] else "先発医薬品"
        resources.append(
            {
                "resourceType": "MedicationRequest",
                "id": request_id,
                "meta": fhir_meta("JP_MedicationRequest"),
                "status": "completed",
                "intent": "order",
                "medicationCodeableConcept": medication,
                "subject": SELF_REFERENCE,
                "authoredOn": item["prescribed_on"],
                "requester": fhir_org(item["institution"]),
                "dosageInstruction": dosage,
                "dispenseRequest": {
                    "quantity": quantity,
                    "expectedSupplyDuration": days_quantity(drug["days"]),
                },
                "note": [{"text": f"成分: {drug['ingredient']}（{kind}）"}],
            }
        )
        dispenses.append(
            {
                "resourceType": "MedicationDispense",
                "id": fhir_id(item["id"], "dispense", str(n)),
                "meta": fhir_meta("JP_MedicationDispense"),
                "status": "completed",
                "medicationCodeableConcept": medication,
                "subject": SELF_REFERENCE,
                "performer": [{"actor": fhir_org(item["pharmacy"])}],
                "authorizingPrescription": [{"reference": f"urn:uuid:{request_id}"}],
                "quantity": quantity,
                "daysSupply": days_quantity(drug["days"]),
                "whenHandedOver": item["dispensed_on"],
                "dosageInstruction": dosage,
            }
        )
    return collection_bundle(fhir_id(item["id"]), resources + dispenses)


_CLAIM_TYPE = {
    "医科外来": "professional",
    "入院": "institutional",
    "調剤": "pharmacy",
    "歯科": "oral",
}


def _adjudication(code: str, ja: str, yen: int) -> dict[str, Any]:
    return {
        "category": {
            "coding": [
                {"system": "http://terminology.hl7.org/CodeSystem/adjudication", "code": code}
            ],
            "text": ja,
        },
        "amount": {"value": yen, "currency": "JPY"},
    }


def _expense(item: dict[str, Any]) -> dict[str, Any]:
    year, month = int(item["month"][:4]), int(item["month"][5:7])
    first = date(year, month, 1)
    last = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    total, paid = item["total_yen"], item["patient_paid_yen"]
    return {
        "resourceType": "ExplanationOfBenefit",
        "id": fhir_id(item["id"]),
        "meta": fhir_meta(),
        "status": "active",
        "type": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/claim-type",
                    "code": _CLAIM_TYPE.get(item["kind"], "professional"),
                }
            ],
            "text": item["kind"],
        },
        "use": "claim",
        "patient": SELF_REFERENCE,
        "billablePeriod": {"start": first.isoformat(), "end": last.isoformat()},
        "created": item["date"],
        "insurer": {"display": item["insurer"]},
        "provider": fhir_org(item["institution"]),
        "outcome": "complete",
        "insurance": [{"focal": True, "coverage": {"display": item["insurer"]}}],
        "supportingInfo": [
            {
                "sequence": 1,
                "category": {"text": "診療実日数"},
                "valueQuantity": days_quantity(item["days"]),
            }
        ],
        "total": [
            _adjudication("submitted", "医療費の総額", total),
            _adjudication("copay", "窓口負担相当額", paid),
            _adjudication("benefit", "保険者負担額", total - paid),
        ],
    }


def _at(day: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), datetime.min.time(), tzinfo=JST)


def convert(kind: str, item: dict[str, Any]) -> tuple[str, datetime, dict[str, Any]]:
    """One Mynaportal item as (catalogue category, observed_at, FHIR resource)."""
    if kind == "medication":
        return "health.medication", _at(item["dispensed_on"]), _medication(item)
    if kind == "checkup":
        return "health.checkup", _at(item["examined_on"]), checkup_report(item)
    if kind == "medical_expenses":
        return "health.medical_expenses", _at(item["month"] + "-01"), _expense(item)
    raise ValueError(f"unknown Mynaportal item kind {kind!r}")


_GENDER = {"female": "female", "male": "male", "other": "other"}


def export_bundle(
    bundle_id: str,
    at: datetime,
    patient: dict[str, Any],
    records: list[dict[str, Any]],
) -> dict[str, Any]:
    """The person's health records as one FHIR Bundle (PHR export).

    ``patient`` has ``id``, ``name``, ``birth_date`` (date) and ``gender``; each record has
    ``id``, ``category``, ``acquired_via``, ``observed_at`` and ``data``. FHIR records are
    included as they are (a collection is unpacked); any other record becomes a
    DocumentReference carrying its JSON, so nothing the person entrusted is left out.
    """
    entries = [
        {
            "fullUrl": f"urn:uuid:{patient['id']}",
            "resource": {
                "resourceType": "Patient",
                "id": patient["id"],
                "name": [{"text": patient["name"]}],
                "gender": _GENDER.get(patient["gender"], "unknown"),
                "birthDate": patient["birth_date"].isoformat(),
            },
        }
    ]
    for record in records:
        data = record["data"]
        if data.get("resourceType") == "Bundle" and data.get("type") == "collection":
            entries.extend(data.get("entry", []))
        elif "resourceType" in data:
            entries.append(bundle_entry(data) if "id" in data else {"resource": data})
        else:
            observed = record["observed_at"]
            raw = json.dumps(data, ensure_ascii=False, sort_keys=True).encode()
            doc_id = fhir_id("record", record["id"])
            entries.append(
                bundle_entry(
                    {
                        "resourceType": "DocumentReference",
                        "id": doc_id,
                        "status": "current",
                        "type": {"text": record["category"]},
                        "subject": {"reference": f"urn:uuid:{patient['id']}"},
                        **({"date": observed.isoformat()} if observed else {}),
                        "description": f"acquired via {record['acquired_via']}",
                        "content": [
                            {
                                "attachment": {
                                    "contentType": "application/json",
                                    "data": base64.b64encode(raw).decode(),
                                    "title": record["category"],
                                }
                            }
                        ],
                    }
                )
            )
    return {
        "resourceType": "Bundle",
        "id": bundle_id,
        "type": "collection",
        "timestamp": at.isoformat(),
        "entry": entries,
    }
