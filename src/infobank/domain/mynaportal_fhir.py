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
import uuid
from datetime import date, datetime, timedelta, timezone
from typing import Any

__all__ = ["JST", "ORIGIN_TAG", "convert", "export_bundle"]

JST = timezone(timedelta(hours=9), "JST")
_NS = uuid.UUID("7d0c5a8e-2f57-4d0b-9a62-6d2c1b0f4e11")
_JP = "http://jpfhir.jp/fhir/core/StructureDefinition/"
_LOINC = "http://loinc.org"
_UCUM = "http://unitsofmeasure.org"
_OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
_INSTITUTION = "urn:infobank:mynaportal:institution-code"
_JUDGEMENT = "urn:infobank:mynaportal:checkup-judgement"
ORIGIN_TAG = {"system": "urn:infobank:origin", "code": "mynaportal", "display": "マイナポータル"}
_SELF = {"display": "本人"}


def _id(*parts: str) -> str:
    return str(uuid.uuid5(_NS, ":".join(parts)))


def _meta(profile: str | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"tag": [ORIGIN_TAG]}
    if profile:
        meta["profile"] = [_JP + profile]
    return meta


def _org(party: dict[str, Any]) -> dict[str, Any]:
    return {
        "display": party["name"],
        "identifier": {"system": _INSTITUTION, "value": party["code"]},
    }


def _entry(resource: dict[str, Any]) -> dict[str, Any]:
    return {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}


def _collection(bundle_id: str, resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "id": bundle_id,
        "meta": _meta(),
        "type": "collection",
        "entry": [_entry(r) for r in resources],
    }


def _days(value: int) -> dict[str, Any]:
    return {"value": value, "unit": "日", "system": _UCUM, "code": "d"}


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
        request_id = _id(item["id"], "request", str(n))
        kind = "後発医薬品" if drug["generic"] else "先発医薬品"
        resources.append(
            {
                "resourceType": "MedicationRequest",
                "id": request_id,
                "meta": _meta("JP_MedicationRequest"),
                "status": "completed",
                "intent": "order",
                "medicationCodeableConcept": medication,
                "subject": _SELF,
                "authoredOn": item["prescribed_on"],
                "requester": _org(item["institution"]),
                "dosageInstruction": dosage,
                "dispenseRequest": {
                    "quantity": quantity,
                    "expectedSupplyDuration": _days(drug["days"]),
                },
                "note": [{"text": f"成分: {drug['ingredient']}（{kind}）"}],
            }
        )
        dispenses.append(
            {
                "resourceType": "MedicationDispense",
                "id": _id(item["id"], "dispense", str(n)),
                "meta": _meta("JP_MedicationDispense"),
                "status": "completed",
                "medicationCodeableConcept": medication,
                "subject": _SELF,
                "performer": [{"actor": _org(item["pharmacy"])}],
                "authorizingPrescription": [{"reference": f"urn:uuid:{request_id}"}],
                "quantity": quantity,
                "daysSupply": _days(drug["days"]),
                "whenHandedOver": item["dispensed_on"],
                "dosageInstruction": dosage,
            }
        )
    return _collection(_id(item["id"]), resources + dispenses)


# (key, LOINC, display, 日本語, UCUM unit)
_BODY = [
    ("height_cm", "8302-2", "Body height", "身長", "cm"),
    ("weight_kg", "29463-7", "Body weight", "体重", "kg"),
    ("bmi", "39156-5", "Body mass index (BMI)", "BMI", "kg/m2"),
    ("waist_cm", "8280-0", "Waist circumference", "腹囲", "cm"),
]
_BLOOD = [
    ("triglycerides", "2571-8", "Triglyceride", "中性脂肪（トリグリセリド）", "mg/dL"),
    ("hdl", "2085-9", "HDL cholesterol", "HDLコレステロール", "mg/dL"),
    ("ldl", "13457-7", "LDL cholesterol (calculated)", "LDLコレステロール", "mg/dL"),
    ("ast", "1920-8", "AST", "AST（GOT）", "U/L"),
    ("alt", "1742-6", "ALT", "ALT（GPT）", "U/L"),
    ("ggt", "2324-2", "GGT", "γ-GT（γ-GTP）", "U/L"),
    ("fasting_glucose", "1558-6", "Fasting glucose", "空腹時血糖", "mg/dL"),
    ("hba1c", "4548-4", "Hemoglobin A1c", "HbA1c（NGSP値）", "%"),
]
_URINE = [
    ("glucose", "5792-7", "Glucose [Presence] in Urine by Test strip", "尿糖"),
    ("protein", "20454-5", "Protein [Presence] in Urine by Test strip", "尿蛋白"),
]
_QUESTIONS = {
    "antihypertensive": "血圧を下げる薬の使用",
    "antidiabetic": "血糖を下げる薬又はインスリン注射の使用",
    "lipid_lowering": "コレステロールや中性脂肪を下げる薬の使用",
    "smoking": "現在、たばこを習慣的に吸っている",
    "weight_gain_10kg": "20歳の時の体重から10kg以上増加している",
    "exercise_habit": "1回30分以上の軽く汗をかく運動を週2日以上、1年以上実施",
    "alcohol": "お酒を飲む頻度",
    "sleep_rest": "睡眠で休養が十分とれている",
}


def _code(loinc: str, display: str, ja: str) -> dict[str, Any]:
    return {"coding": [{"system": _LOINC, "code": loinc, "display": display}], "text": ja}


def _quantity(value: float, unit: str) -> dict[str, Any]:
    return {"value": value, "unit": unit, "system": _UCUM, "code": unit}


def _checkup(item: dict[str, Any]) -> dict[str, Any]:
    key, when = item["id"], item["examined_on"]
    performer = [_org(item["institution"])]

    def observation(name: str, category: str, profile: str, **value: Any) -> dict[str, Any]:
        return {
            "resourceType": "Observation",
            "id": _id(key, name),
            "meta": _meta(profile),
            "status": "final",
            "category": [{"coding": [{"system": _OBS_CATEGORY, "code": category}]}],
            "subject": _SELF,
            "effectiveDateTime": when,
            "performer": performer,
            **value,
        }

    found = []
    for name, loinc, display, ja, unit in _BODY:
        found.append(
            observation(
                name,
                "exam",
                "JP_Observation_BodyMeasurement",
                code=_code(loinc, display, ja),
                valueQuantity=_quantity(item["body"][name], unit),
            )
        )
    bp = item["blood_pressure"]
    found.append(
        observation(
            "blood_pressure",
            "vital-signs",
            "JP_Observation_VitalSigns",
            code=_code("85354-9", "Blood pressure panel", "血圧"),
            component=[
                {
                    "code": _code("8480-6", "Systolic blood pressure", "収縮期血圧"),
                    "valueQuantity": _quantity(bp["systolic"], "mm[Hg]"),
                },
                {
                    "code": _code("8462-4", "Diastolic blood pressure", "拡張期血圧"),
                    "valueQuantity": _quantity(bp["diastolic"], "mm[Hg]"),
                },
            ],
        )
    )
    for name, loinc, display, ja, unit in _BLOOD:
        found.append(
            observation(
                name,
                "laboratory",
                "JP_Observation_LabResult",
                code=_code(loinc, display, ja),
                valueQuantity=_quantity(item["blood"][name], unit),
            )
        )
    for name, loinc, display, ja in _URINE:
        found.append(
            observation(
                f"urine_{name}",
                "laboratory",
                "JP_Observation_LabResult",
                code=_code(loinc, display, ja),
                valueCodeableConcept={"text": item["urine"][name]},
            )
        )
    answers = item["questionnaire"]
    found.append(
        observation(
            "questionnaire",
            "survey",
            "JP_Observation_Common",
            code={"text": "特定健康診査 標準的な質問票"},
            component=[
                {
                    "code": {"text": text},
                    **(
                        {"valueBoolean": answers[q]}
                        if isinstance(answers[q], bool)
                        else {"valueString": str(answers[q])}
                    ),
                }
                for q, text in _QUESTIONS.items()
                if q in answers
            ],
        )
    )
    for name, ja in (
        ("metabolic_syndrome", "メタボリックシンドローム判定"),
        ("guidance_level", "特定保健指導レベル"),
    ):
        verdict = item[name]
        found.append(
            observation(
                name,
                "exam",
                "JP_Observation_Common",
                code={"text": ja},
                valueCodeableConcept={
                    "coding": [{"system": _JUDGEMENT, "code": verdict, "display": verdict}],
                    "text": verdict,
                },
            )
        )
    report = {
        "resourceType": "DiagnosticReport",
        "id": _id(key, "report"),
        "meta": _meta("JP_DiagnosticReport_Common"),
        "status": "final",
        "category": [{"text": "特定健康診査 / Specific health checkup"}],
        "code": {"text": "特定健康診査結果"},
        "subject": _SELF,
        "effectiveDateTime": when,
        "performer": performer,
        "result": [{"reference": f"urn:uuid:{o['id']}"} for o in found],
        "conclusion": (
            f"メタボリックシンドローム判定: {item['metabolic_syndrome']}／"
            f"特定保健指導レベル: {item['guidance_level']}"
        ),
    }
    return _collection(_id(key), [report, *found])


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
        "id": _id(item["id"]),
        "meta": _meta(),
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
        "patient": _SELF,
        "billablePeriod": {"start": first.isoformat(), "end": last.isoformat()},
        "created": item["date"],
        "insurer": {"display": item["insurer"]},
        "provider": _org(item["institution"]),
        "outcome": "complete",
        "insurance": [{"focal": True, "coverage": {"display": item["insurer"]}}],
        "supportingInfo": [
            {
                "sequence": 1,
                "category": {"text": "診療実日数"},
                "valueQuantity": _days(item["days"]),
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
        return "health.checkup", _at(item["examined_on"]), _checkup(item)
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
            entries.append(_entry(data) if "id" in data else {"resource": data})
        else:
            observed = record["observed_at"]
            raw = json.dumps(data, ensure_ascii=False, sort_keys=True).encode()
            doc_id = _id("record", record["id"])
            entries.append(
                _entry(
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
