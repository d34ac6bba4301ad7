"""What the plain records of each category (データ項目) hold, and how each field reads.

A record's payload is whatever its writer sent: the person's form gives ``{"steps": 9001}``,
a source ``{"shop": "コンビニ", "amount_yen": 9533}``. Each category lists the fields it knows
(several spellings of a key, a label and how to show the value); the summary line is made of
the known fields, the record's page shows them first and every other value after them under a
humanised label.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from infobank.entrypoints.web.i18n import N_
from infobank.entrypoints.web.messages import LABELS
from infobank.entrypoints.web.person.record_values import (
    Table,
    Words,
    day,
    key_value_rows,
    month,
    number,
    scalar,
    yen,
)

__all__ = ["FIELDS", "Field", "plain_view"]

Show = Callable[[Any, Words], str]


def _whole(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value) if value == int(value) else None


def _plain(value: Any, words: Words) -> str:
    return scalar(value, words)


def _day(value: Any, words: Words) -> str:
    return day(value) if isinstance(value, str) else scalar(value, words)


def _month(value: Any, words: Words) -> str:
    return month(value, words)


def _steps(value: Any, words: Words) -> str:
    n = _whole(value)
    if n is None:
        return scalar(value, words)
    return words.ngettext("%(n)s step", "%(n)s steps", n)


def _days(value: Any, words: Words) -> str:
    n = _whole(value)
    if n is None:
        return scalar(value, words)
    return words.ngettext("%(n)s day", "%(n)s days", n)


def _supply(value: Any, words: Words) -> str:
    n = _whole(value)
    if n is None:
        return scalar(value, words)
    return words.ngettext("%(n)s day's supply", "%(n)s days' supply", n)


def _unit(message: str) -> Show:
    """A measure with a unit written the same for one and many (min, h, kcal, km)."""

    def show(value: Any, words: Words) -> str:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return scalar(value, words)
        return words.gettext(message, n=number(value))

    return show


_MINUTES = _unit(N_("%(n)s min"))
_HOURS = _unit(N_("%(n)s h"))
_KCAL = _unit(N_("%(n)s kcal"))
_KM = _unit(N_("%(n)s km"))
_METRES = _unit(N_("%(n)s m"))


def _coded(labels: Mapping[str, str]) -> Show:
    def show(value: Any, words: Words) -> str:
        if isinstance(value, str) and value in labels:
            return words.gettext(labels[value])
        return scalar(value, words)

    return show


_GENDER = _coded(LABELS["gender"])
_MEAL = _coded(
    {
        "breakfast": N_("Breakfast"),
        "lunch": N_("Lunch"),
        "dinner": N_("Dinner"),
        "snack": N_("Snack"),
    }
)


def _prefecture(value: Any, words: Words) -> str:
    names = words.prefectures.get(str(value).zfill(2)) if isinstance(value, str | int) else None
    if names:
        return names[1] if words.lang == "en" else names[0]
    return scalar(value, words)


@dataclass(frozen=True, slots=True)
class Field:
    """A field a category knows: its spellings, its label and how its value reads.
    ``labelled`` fields carry their label in the summary line too (a bare number says
    nothing: "BMI 24.1", "Premium ¥3,000")."""

    keys: tuple[str, ...]
    label: str
    show: Show = _plain
    labelled: bool = False


def _f(keys: str, label: str, show: Show = _plain, labelled: bool = False) -> Field:
    return Field(tuple(keys.split()), label, show, labelled)


FIELDS: dict[str, tuple[Field, ...]] = {
    "profile.basic": (
        _f("age_band age_group", N_("Age band")),
        _f("age", N_("Age"), labelled=True),
        _f("birth_year", N_("Year of birth"), labelled=True),
        _f("gender sex", N_("Gender"), _GENDER),
        _f("prefecture", N_("Prefecture"), _prefecture),
        _f("city municipality", N_("City")),
    ),
    "profile.contact": (
        _f("email mail", N_("Email")),
        _f("phone tel phone_number", N_("Phone")),
        _f("postal_code zip postcode", N_("Postal code")),
        _f("address", N_("Address")),
    ),
    "interests": (_f("topics topic interests interest tags", N_("Topics")),),
    "purchase.history": (
        _f("amount_yen yen amount total_yen price_yen", N_("Amount"), yen),
        _f("shop store merchant", N_("Shop")),
        _f("items item products product", N_("Items")),
        _f("quantity qty", N_("Quantity"), labelled=True),
        _f("payment payment_method", N_("Payment")),
        _f("purchased_at purchased_on", N_("Purchased on"), _day),
    ),
    "location.history": (
        _f("place area spot name", N_("Place")),
        _f("address", N_("Address")),
        _f("city", N_("City")),
        _f("prefecture", N_("Prefecture"), _prefecture),
        _f("latitude lat", N_("Latitude"), labelled=True),
        _f("longitude lon lng", N_("Longitude"), labelled=True),
        _f("duration_minutes stay_minutes", N_("Stay"), _MINUTES, labelled=True),
        _f("accuracy_m", N_("Accuracy"), _METRES, labelled=True),
        _f("visited_at arrived_at", N_("Visited at"), _day),
    ),
    "lifelog.activity": (
        _f("steps step_count", N_("Steps"), _steps),
        _f("active_minutes", N_("Active time"), _MINUTES, labelled=True),
        _f("minutes duration_minutes", N_("Duration"), _MINUTES, labelled=True),
        _f("distance_km", N_("Distance"), _KM),
        _f("calories_kcal kcal calories", N_("Energy used"), _KCAL),
        _f("floors", N_("Floors climbed"), labelled=True),
    ),
    "lifelog.sleep": (
        _f("hours sleep_hours", N_("Sleep"), _HOURS, labelled=True),
        _f("minutes sleep_minutes", N_("Sleep"), _MINUTES, labelled=True),
        _f("score sleep_score", N_("Sleep score"), labelled=True),
        _f("bedtime went_to_bed", N_("Bedtime"), _day, labelled=True),
        _f("wake_time woke_at", N_("Woke up"), _day, labelled=True),
    ),
    "lifelog.meals": (
        _f("meal meal_type", N_("Meal"), _MEAL),
        _f("menu items food foods dish description", N_("What was eaten")),
        _f("calories_kcal kcal calories", N_("Energy"), _KCAL),
    ),
    "insurance.policies": (
        _f("insurer company", N_("Insurer")),
        _f("product plan policy name", N_("Policy")),
        _f("kind type", N_("Type")),
        _f("premium_yen monthly_premium_yen", N_("Premium"), yen, labelled=True),
        _f("coverage_yen sum_insured_yen", N_("Cover"), yen, labelled=True),
        _f("since start started_on", N_("Insured since"), _day, labelled=True),
    ),
    "finance.income": (
        _f("annual_yen annual_income_yen income_yen amount_yen yen", N_("Annual income"), yen),
        _f("monthly_yen monthly_income_yen", N_("Monthly income"), yen, labelled=True),
        _f("band range", N_("Income band")),
        _f("year", N_("Year"), labelled=True),
    ),
    "employment": (
        _f("employer company organisation organization", N_("Employer")),
        _f("occupation job title role", N_("Occupation")),
        _f("industry", N_("Industry")),
        _f("employment_type status", N_("Employment type")),
        _f("since", N_("Employed since"), _day, labelled=True),
    ),
    "health.medication": (
        _f("drug medicine name", N_("Drug")),
        _f("dose dosage", N_("Dose")),
        _f("usage", N_("How to take")),
        _f("days", N_("Days supplied"), _supply),
        _f("dispensed_on", N_("Dispensed on"), _day, labelled=True),
        _f("pharmacy", N_("Pharmacy")),
        _f("institution prescriber", N_("Prescribed by")),
    ),
    "health.medical_expenses": (
        _f("month", N_("Month of care"), _month),
        _f("provider institution", N_("Provider")),
        _f("amount_yen total_yen yen amount", N_("Total cost"), yen),
        _f("patient_paid_yen paid_yen", N_("Paid at the counter"), yen, labelled=True),
        _f("days", N_("Days of care"), _days),
    ),
    "health.immunization": (
        _f("vaccine name", N_("Vaccine")),
        _f("dose dose_number", N_("Dose number"), labelled=True),
        _f("given_on vaccinated_on", N_("Given on"), _day),
        _f("place provider institution", N_("Given at")),
        _f("lot lot_number", N_("Lot"), labelled=True),
    ),
    "health.diagnosis": (
        _f("condition diagnosis disease name", N_("Condition")),
        _f("diagnosed_on onset", N_("Diagnosed on"), _day, labelled=True),
        _f("status", N_("Status")),
        _f("institution provider", N_("Diagnosed at")),
    ),
    "creed": (_f("creed belief religion description", N_("Belief")),),
    "criminal_record": (
        _f("offence offense description", N_("Offence")),
        _f("convicted_on", N_("Date"), _day),
        _f("outcome sentence", N_("Outcome")),
        _f("court", N_("Court")),
    ),
}

# Fields any category may carry (the person's form lets them name the field freely).
COMMON = (
    _f("value", N_("Value")),
    _f("note memo comment", N_("Note")),
    _f("date", N_("Date"), _day),
)


def _found(category: str, data: Mapping[str, Any]) -> list[tuple[Field, str, Any]]:
    taken: set[str] = set()
    found = []
    for spec in FIELDS.get(category, ()) + COMMON:
        key = next((k for k in spec.keys if k in data and k not in taken), None)
        value = data[key] if key is not None else None
        nested = isinstance(value, dict) or (
            isinstance(value, list) and any(isinstance(v, dict) for v in value)
        )
        if key is None or value is None or nested:
            continue
        taken.add(key)
        found.append((spec, key, value))
    return found


def plain_view(category: str, data: Mapping[str, Any], words: Words) -> tuple[str, list[Table]]:
    """The summary line and the table of a record that is not FHIR."""
    found = _found(category, data)
    known = [(words.gettext(spec.label), spec.show(value, words)) for spec, _, value in found]
    rest = key_value_rows(data, words, skip=frozenset(key for _, key, _ in found))
    parts = [
        f"{label} {text}" if spec.labelled else text
        for (spec, _, _), (label, text) in zip(found, known, strict=True)
    ]
    if len(parts) < 2:
        parts += [f"{label}: {text}" for label, text in rest[: 3 - len(parts)]]
    summary = " · ".join(parts) or words.gettext("No details were given.")
    return summary, [Table.pairs(words.gettext("What the record says"), known + rest)]
