"""特定健診 (specific health checkups) as FHIR R4, shaped after JP Core: one DiagnosticReport
with Observations for body measurements, blood pressure, blood and urine tests, the
questionnaire and the judgements (pure mapping, no validation)."""

from __future__ import annotations

from typing import Any

from infobank.domain.fhir import (
    JUDGEMENT_SYSTEM,
    LOINC,
    OBSERVATION_CATEGORY,
    SELF_REFERENCE,
    UCUM,
    collection_bundle,
    fhir_id,
    fhir_meta,
    fhir_org,
)

__all__ = ["checkup_report"]

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
    return {"coding": [{"system": LOINC, "code": loinc, "display": display}], "text": ja}


def _quantity(value: float, unit: str) -> dict[str, Any]:
    return {"value": value, "unit": unit, "system": UCUM, "code": unit}


def checkup_report(item: dict[str, Any]) -> dict[str, Any]:
    key, when = item["id"], item["examined_on"]
    performer = [fhir_org(item["institution"])]

    def observation(name: str, category: str, profile: str, **value: Any) -> dict[str, Any]:
        return {
            "resourceType": "Observation",
            "id": fhir_id(key, name),
            "meta": fhir_meta(profile),
            "status": "final",
            "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": category}]}],
            "subject": SELF_REFERENCE,
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
                    "coding": [{"system": JUDGEMENT_SYSTEM, "code": verdict, "display": verdict}],
                    "text": verdict,
                },
            )
        )
    report = {
        "resourceType": "DiagnosticReport",
        "id": fhir_id(key, "report"),
        "meta": fhir_meta("JP_DiagnosticReport_Common"),
        "status": "final",
        "category": [{"text": "特定健康診査 / Specific health checkup"}],
        "code": {"text": "特定健康診査結果"},
        "subject": SELF_REFERENCE,
        "effectiveDateTime": when,
        "performer": performer,
        "result": [{"reference": f"urn:uuid:{o['id']}"} for o in found],
        "conclusion": (
            f"メタボリックシンドローム判定: {item['metabolic_syndrome']}／"
            f"特定保健指導レベル: {item['guidance_level']}"
        ),
    }
    return collection_bundle(fhir_id(key), [report, *found])
