"""FHIR R4 building blocks shaped after JP Core, shared by the Mynaportal mappings: stable
resource ids, meta with the origin tag and profile, organisations, bundle entries and
quantities (pure, standard library only)."""

from __future__ import annotations

import uuid
from datetime import timedelta, timezone
from typing import Any

__all__ = [
    "INSTITUTION_SYSTEM",
    "JP_CORE",
    "JST",
    "JUDGEMENT_SYSTEM",
    "LOINC",
    "OBSERVATION_CATEGORY",
    "ORIGIN_TAG",
    "SELF_REFERENCE",
    "UCUM",
    "bundle_entry",
    "collection_bundle",
    "days_quantity",
    "fhir_id",
    "fhir_meta",
    "fhir_org",
]

JST = timezone(timedelta(hours=9), "JST")

_NS = uuid.UUID("7d0c5a8e-2f57-4d0b-9a62-6d2c1b0f4e11")

JP_CORE = "http://jpfhir.jp/fhir/core/StructureDefinition/"

LOINC = "http://loinc.org"

UCUM = "http://unitsofmeasure.org"

OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"

INSTITUTION_SYSTEM = "urn:infobank:mynaportal:institution-code"

JUDGEMENT_SYSTEM = "urn:infobank:mynaportal:checkup-judgement"

ORIGIN_TAG = {"system": "urn:infobank:origin", "code": "mynaportal", "display": "マイナポータル"}

SELF_REFERENCE = {"display": "本人"}


def fhir_id(*parts: str) -> str:
    return str(uuid.uuid5(_NS, ":".join(parts)))


def fhir_meta(profile: str | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"tag": [ORIGIN_TAG]}
    if profile:
        meta["profile"] = [JP_CORE + profile]
    return meta


def fhir_org(party: dict[str, Any]) -> dict[str, Any]:
    return {
        "display": party["name"],
        "identifier": {"system": INSTITUTION_SYSTEM, "value": party["code"]},
    }


def bundle_entry(resource: dict[str, Any]) -> dict[str, Any]:
    return {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}


def collection_bundle(bundle_id: str, resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "id": bundle_id,
        "meta": fhir_meta(),
        "type": "collection",
        "entry": [bundle_entry(r) for r in resources],
    }


def days_quantity(value: int) -> dict[str, Any]:
    return {"value": value, "unit": "日", "system": UCUM, "code": "d"}
