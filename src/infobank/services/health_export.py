"""The person's health records as one FHIR Bundle (PHR export, the PHR guideline's compatible
general-purpose format): Mynaportal records as they are, others wrapped so nothing is lost."""

from __future__ import annotations

import uuid
from typing import Any

from infobank.domain.mynaportal_fhir import export_bundle
from infobank.services import persons, records
from infobank.services.context import Context
from infobank.services.ports.mynaportal import FhirValidator

__all__ = ["fhir_bundle"]


def fhir_bundle(ctx: Context, fhir: FhirValidator, person_id: str) -> dict[str, Any]:
    """Every record of a ``health.*`` category, after a Patient built from the account."""
    profile = persons.profile(ctx, person_id)
    held = [r for r in records.list_records(ctx, person_id) if r.category.startswith("health.")]
    held.sort(key=lambda r: (r.observed_at or r.created_at, r.id))
    bundle = export_bundle(
        str(uuid.uuid4()),
        ctx.clock.now(),
        {
            "id": person_id,
            "name": profile.display_name,
            "birth_date": profile.birth_date,
            "gender": profile.gender.value,
        },
        [
            {
                "id": r.id,
                "category": r.category,
                "acquired_via": r.acquired_via.value,
                "observed_at": r.observed_at,
                "data": r.data,
            }
            for r in held
        ],
    )
    fhir.validate(bundle)  # a bundle we could not validate is a bug, not an answer
    return bundle
