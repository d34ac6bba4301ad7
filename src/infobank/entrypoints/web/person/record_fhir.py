"""FHIR records read as a person reads them: a dispensing (薬剤情報) as drug, dose, days,
pharmacy; a medical expense notice (医療費通知) as month, provider and amounts; an
immunisation; any other resource as its plain values. Never the resource itself: no resource
kinds, ids, profiles or ``urn:uuid`` references reach the page.

The shapes are those ``domain/mynaportal_fhir.py`` stores (one Bundle of MedicationRequest and
MedicationDispense per dispensing, one ExplanationOfBenefit per notice), read defensively:
a record that came from elsewhere may hold less.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from infobank.entrypoints.web.i18n import N_
from infobank.entrypoints.web.person.record_values import (
    Cell,
    Table,
    Words,
    day,
    humanise,
    key_value_rows,
    month,
    number,
    scalar,
    yen,
)

__all__ = ["dig", "is_fhir", "kinds", "resources", "text_of", "view"]

Resource = Mapping[str, Any]

# 医療費通知's kinds of care, as the notices name them.
_CARE = {
    "医科外来": N_("Outpatient care"),
    "入院": N_("Inpatient care"),
    "調剤": N_("Pharmacy dispensing"),
    "歯科": N_("Dental care"),
}


def is_fhir(data: Mapping[str, Any]) -> bool:
    return isinstance(data.get("resourceType"), str)


def resources(data: Mapping[str, Any]) -> list[Resource]:
    """The resources a record holds: a Bundle's entries, or the resource itself."""
    if data.get("resourceType") != "Bundle":
        return [data]
    entries = data.get("entry")
    found = [e.get("resource") for e in entries or [] if isinstance(e, Mapping)]
    return [r for r in found if isinstance(r, Mapping)]


def kinds(found: Sequence[Resource]) -> set[str]:
    return {str(r.get("resourceType")) for r in found}


def dig(value: Any, *path: str | int) -> Any:
    """The value at ``path`` (keys and list positions), or None where the shape differs."""
    for step in path:
        if isinstance(step, int):
            value = value[step] if isinstance(value, list) and len(value) > step else None
        else:
            value = value.get(step) if isinstance(value, Mapping) else None
    return value


def text_of(concept: Any, words: Words | None = None) -> str:
    """A CodeableConcept (or a Reference) as words: its text, else its first coding's display.
    On an English page a coding's display comes first: the text is often Japanese."""
    if not isinstance(concept, Mapping):
        return ""
    text = concept.get("text") or concept.get("display")
    shown = dig(concept, "coding", 0, "display")
    if words is not None and words.lang == "en" and isinstance(shown, str) and shown:
        return shown
    for candidate in (text, shown):
        if isinstance(candidate, str) and candidate:
            return candidate
    return ""


def _quantity(quantity: Any, words: Words) -> str:
    value, unit = dig(quantity, "value"), dig(quantity, "unit")
    if value is None:
        return ""
    space = "" if words.lang == "ja" else " "  # 1錠, 1 tablet
    return f"{scalar(value, words)}{space}{unit or ''}".rstrip()


def _supply(days: Any, words: Words) -> str:
    if isinstance(days, int | float) and not isinstance(days, bool) and days == int(days):
        return words.ngettext("%(n)s day's supply", "%(n)s days' supply", int(days))
    return scalar(days, words) if days is not None else ""


def _distinct(values: Sequence[str]) -> str:
    return " / ".join(dict.fromkeys(v for v in values if v))


def _medication(found: Sequence[Resource], words: Words) -> tuple[str, list[Table]]:
    requests = {r.get("id"): r for r in found if r.get("resourceType") == "MedicationRequest"}
    dispenses = [r for r in found if r.get("resourceType") == "MedicationDispense"]
    lines: list[tuple[Resource, Resource | None]] = []
    for dispense in dispenses:
        ref = str(dig(dispense, "authorizingPrescription", 0, "reference") or "")
        lines.append((dispense, requests.pop(ref.removeprefix("urn:uuid:"), None)))
    lines += [(request, request) for request in requests.values()]  # prescribed, not dispensed
    rows, days, handed, pharmacies, prescribers, prescribed, notes = [], [], [], [], [], [], []
    for given, request in lines:
        dosage = dig(given, "dosageInstruction", 0)
        supply = dig(given, "daysSupply", "value")
        if supply is None:
            supply = dig(request, "dispenseRequest", "expectedSupplyDuration", "value")
        rows.append(
            (
                Cell(text_of(given.get("medicationCodeableConcept")) or "—"),
                Cell(_quantity(dig(dosage, "doseAndRate", 0, "doseQuantity"), words) or "—"),
                Cell(str(dig(dosage, "text") or "—")),
                Cell(_supply(supply, words) or "—"),
            )
        )
        days.append(supply)
        if given is not request:
            handed.append(day(given.get("whenHandedOver")))
            pharmacies.append(text_of(dig(given, "performer", 0, "actor")))
        if request is not None:
            prescribers.append(text_of(request.get("requester")))
            prescribed.append(day(request.get("authoredOn")))
            notes += [str(n.get("text")) for n in request.get("note") or [] if n.get("text")]
    drugs = [row[0].text for row in rows]
    named = words.join(drugs[:2])
    if len(drugs) > 2:
        named = words.gettext("%(first)s and %(n)s more", first=named, n=len(drugs) - 2)
    longest = max((d for d in days if isinstance(d, int | float)), default=None)
    summary = " · ".join(
        part for part in (named, _supply(longest, words), _distinct(pharmacies)) if part
    )
    facts = [
        (words.gettext("Dispensed on"), _distinct(handed)),
        (words.gettext("Pharmacy"), _distinct(pharmacies)),
        (words.gettext("Prescribed by"), _distinct(prescribers)),
        (words.gettext("Prescribed on"), _distinct(prescribed)),
        (words.gettext("Notes"), words.join(notes)),
    ]
    head = (
        words.gettext("Drug"),
        words.gettext("Dose"),
        words.gettext("How to take"),
        words.gettext("Days supplied"),
    )
    return summary, [
        Table(words.gettext("Medicines"), tuple(rows), head),
        Table.pairs(words.gettext("Dispensing"), [(k, v) for k, v in facts if v]),
    ]


def _totals(claim: Resource) -> dict[str, Any]:
    """Adjudicated amounts by code (ExplanationOfBenefit), or a Claim's one total."""
    total = claim.get("total")
    if isinstance(total, Mapping):
        return {"submitted": total.get("value")}
    return {
        str(dig(t, "category", "coding", 0, "code")): dig(t, "amount", "value")
        for t in total or []
        if isinstance(t, Mapping)
    }


def _expense(claim: Resource, words: Words) -> tuple[str, list[Table]]:
    period = str(dig(claim, "billablePeriod", "start") or claim.get("created") or "")
    when = month(period, words) if period else ""
    provider = text_of(claim.get("provider"))
    care = text_of(claim.get("type"))
    care = words.gettext(_CARE[care]) if care in _CARE else care
    amounts = _totals(claim)
    total, paid = amounts.get("submitted"), amounts.get("copay")
    care_days = next(
        (
            dig(info, "valueQuantity", "value")
            for info in claim.get("supportingInfo") or []
            if dig(info, "valueQuantity", "code") == "d"
        ),
        None,
    )
    cost = ""
    if total is not None:
        cost = yen(total, words)
        if paid is not None:
            cost = words.gettext("%(total)s (paid %(paid)s)", total=cost, paid=yen(paid, words))
    summary = " · ".join(p for p in (when, provider, cost) if p)
    days_text = ""
    if isinstance(care_days, int) and not isinstance(care_days, bool):
        days_text = words.ngettext("%(n)s day", "%(n)s days", care_days)
    facts = [
        (words.gettext("Month of care"), when),
        (words.gettext("Provider"), provider),
        (words.gettext("Type of care"), care),
        (words.gettext("Days of care"), days_text),
        (words.gettext("Total cost"), yen(total, words) if total is not None else ""),
        (words.gettext("Paid at the counter"), yen(paid, words) if paid is not None else ""),
    ]
    if amounts.get("benefit") is not None:
        facts.append((words.gettext("Paid by the insurer"), yen(amounts["benefit"], words)))
    facts.append((words.gettext("Insurer"), text_of(claim.get("insurer"))))
    caption = words.gettext("Medical expense notice")
    return summary, [Table.pairs(caption, [f for f in facts if f[1]])]


def _immunization(shot: Resource, words: Words) -> tuple[str, list[Table]]:
    vaccine = text_of(shot.get("vaccineCode"), words)
    given = day(shot.get("occurrenceDateTime") or shot.get("occurrenceString") or "")
    place = text_of(dig(shot, "performer", 0, "actor")) or text_of(shot.get("location"))
    dose = dig(shot, "protocolApplied", 0, "doseNumberPositiveInt")
    facts = [
        (words.gettext("Vaccine"), vaccine),
        (words.gettext("Given on"), given),
        (words.gettext("Given at"), place),
        (words.gettext("Dose number"), number(dose) if isinstance(dose, int) else ""),
        (words.gettext("Lot"), str(shot.get("lotNumber") or "")),
    ]
    summary = " · ".join(p for p in (vaccine, given, place) if p)
    return summary, [Table.pairs(words.gettext("Immunisation"), [f for f in facts if f[1]])]


def _named(resource: Resource, words: Words) -> str:
    """What an unknown resource is about, in a few words."""
    for key in ("code", "vaccineCode", "medicationCodeableConcept", "type", "category"):
        found = text_of(resource.get(key), words) or text_of(dig(resource, key, 0), words)
        if found:
            return found
    for key in ("title", "description", "name"):
        if isinstance(resource.get(key), str):
            return str(resource[key])
    return humanise(str(resource.get("resourceType", "")))


def view(found: Sequence[Resource], words: Words) -> tuple[str, list[Table]]:
    """The summary and tables of FHIR resources other than a checkup's."""
    present = kinds(found)
    if present & {"MedicationDispense", "MedicationRequest"}:
        return _medication(found, words)
    for resource in found:
        if resource.get("resourceType") in ("ExplanationOfBenefit", "Claim"):
            return _expense(resource, words)
        if resource.get("resourceType") == "Immunization":
            return _immunization(resource, words)
    summary = words.join(list(dict.fromkeys(_named(r, words) for r in found)))
    tables = [
        Table.pairs(_named(r, words), key_value_rows(r, words, skip=frozenset({"text"})))
        for r in found
    ]
    return summary, tables
