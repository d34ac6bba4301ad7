"""FHIR validation with the ``fhir.resources`` package.

The bank serialises health data as FHIR R4 (4.0.1). ``fhir.resources`` 8 (the pydantic-2
line) ships models for R5 (default), R4B (4.3.0) and STU3, not R4 itself; R4B changed none of the
resources used here (Bundle, Patient, MedicationRequest, MedicationDispense, Observation,
DiagnosticReport, ExplanationOfBenefit, DocumentReference) in ways that R4 documents violate, so
its models validate our R4 JSON: required elements, cardinalities, types, codes of bound enums.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from pydantic import ValidationError

__all__ = ["FhirResourcesValidator"]


class FhirResourcesValidator:
    def validate(self, resource: Mapping[str, Any]) -> None:
        """Raise ``ValueError`` (with the first problems) unless ``resource`` is valid FHIR."""
        kind = resource.get("resourceType")
        if not isinstance(kind, str):
            raise ValueError("not a FHIR resource: no resourceType")
        try:
            model = get_fhir_model_class(kind)
        except (KeyError, ValueError) as exc:
            raise ValueError(f"unknown FHIR resource type {kind!r}") from exc
        try:
            model.model_validate(dict(resource))
        except ValidationError as exc:
            raise ValueError(f"invalid FHIR {kind}: {exc.errors()[:3]}") from exc
