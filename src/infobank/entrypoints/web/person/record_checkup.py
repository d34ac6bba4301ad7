"""特定健診 (specific health checkups) as a person reads them: each item with its value, unit,
reference range and an out-of-range flag, and where the person has several checkups a small
trend over the years (an inline SVG sparkline with a text alternative).

A checkup is either the FHIR Bundle the Mynaportal import stores (DiagnosticReport and
Observations, ``domain/mynaportal_checkup.py``) or a plain record (``{"bmi": 24.1,
"systolic_bp": 128}``); both give the same findings, keyed by LOINC code, so a trend runs
across them. A range the Observation carries (``referenceRange``, ``interpretation``) wins;
otherwise this bank shows its own guide ranges (an assumption for display, following the
health guidance thresholds of 特定健診; they are not a diagnosis).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from markupsafe import Markup

from infobank.entrypoints.web.i18n import N_
from infobank.entrypoints.web.person.record_checkup_items import (
    FLAGS,
    INTERPRETATION,
    LOINC,
    MEASURE,
    NEGATIVE,
    QUALITATIVE,
    UNITS,
    WAIST,
    source_text,
)
from infobank.entrypoints.web.person.record_fhir import dig, resources, text_of
from infobank.entrypoints.web.person.record_values import (
    Cell,
    Table,
    Words,
    day,
    key_value_rows,
    number,
    scalar,
)

__all__ = ["Finding", "findings", "is_checkup", "sparkline", "view"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One checkup item: a number with its unit, or a word (urine tests)."""

    key: str  # LOINC code, a plain key, or the item's own name
    label: str
    value: float | str
    unit: str = ""
    reference: str = ""
    flag: str = ""  # a key of FLAGS, or ""


@dataclass(frozen=True, slots=True)
class Checkup:
    found: list[Finding]
    judgements: list[tuple[str, str]]
    answers: list[tuple[str, str]]
    facts: list[tuple[str, str]]


def _measured(
    key: str, label: str, value: Any, unit: str, words: Words, sex: str | None, given: Any = None
) -> Finding:
    """A numeric finding, its reference range (the Observation's own, else this bank's guide)
    and its flag."""
    measure = MEASURE.get(key)
    low = high = None
    high_inclusive = False
    if isinstance(given, Mapping):
        low, high = dig(given, "low", "value"), dig(given, "high", "value")
        high_inclusive = True
    elif measure is not None:
        low, high = measure.at_least, measure.below
        if measure.waist:
            high = WAIST.get(sex or "")
    flag = ""
    if isinstance(high, int | float) and (value > high if high_inclusive else value >= high):
        flag = "high"
    elif isinstance(low, int | float) and value < low:
        flag = "low"
    if isinstance(low, int | float) and isinstance(high, int | float):
        reference = words.gettext("%(low)s–%(high)s", low=number(low), high=number(high))
    elif isinstance(high, int | float):
        message = N_("%(high)s or less") if high_inclusive else N_("under %(high)s")
        reference = words.gettext(message, high=number(high))
    elif isinstance(low, int | float):
        reference = words.gettext("%(low)s or more", low=number(low))
    elif measure is not None and measure.waist:
        reference = words.gettext("under 85 (men), under 90 (women)")
    else:
        reference = ""
    shown = UNITS.get(unit, unit) or (measure.unit if measure is not None else "")
    return Finding(key, label, value, shown, reference, flag)


def _worded(key: str, label: str, value: str, words: Words) -> Finding:
    text = value.strip()
    flag = "" if text in NEGATIVE else "borderline" if text == "±" else "positive"
    return Finding(key, label, text, "", words.gettext("Negative (−)"), flag)


def _label(measure_key: str, concept: Any, words: Words) -> str:
    measure = MEASURE.get(measure_key)
    if measure is not None:
        return words.gettext(measure.label)
    if measure_key in QUALITATIVE:
        return words.gettext(QUALITATIVE[measure_key])
    return source_text(text_of(concept, words), words)


def _loinc(concept: Any) -> str:
    codings = concept.get("coding") if isinstance(concept, Mapping) else None
    for coding in codings or []:
        if isinstance(coding, Mapping) and coding.get("system") == LOINC:
            return str(coding.get("code"))
    return text_of(concept)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _figure(value: float | str) -> str:
    return value if isinstance(value, str) else number(value)


def _interpreted(obs: Mapping[str, Any]) -> str | None:
    """The flag the Observation gives itself (``interpretation``), if any."""
    for concept in obs.get("interpretation") or []:
        for coding in dig(concept, "coding") or []:
            code = dig(coding, "code")
            if code in INTERPRETATION:
                return INTERPRETATION[code]
    return None


def _observation(obs: Mapping[str, Any], words: Words, sex: str | None, into: Checkup) -> None:
    code = obs.get("code")
    key = _loinc(code)
    quantity = obs.get("valueQuantity")
    given = dig(obs, "referenceRange", 0)
    if isinstance(quantity, Mapping) and _number(quantity.get("value")):
        unit = str(quantity.get("unit") or "")
        found = _measured(key, _label(key, code, words), quantity["value"], unit, words, sex, given)
        said = _interpreted(obs)
        into.found.append(replace(found, flag=said) if said is not None else found)
    elif "valueCodeableConcept" in obs or "valueString" in obs:
        value = text_of(obs.get("valueCodeableConcept")) or str(obs.get("valueString") or "")
        if key in QUALITATIVE:
            into.found.append(_worded(key, _label(key, code, words), value, words))
        else:
            into.judgements.append((source_text(text_of(code), words), source_text(value, words)))
    for part in obs.get("component") or []:
        part_code = part.get("code")
        part_key = _loinc(part_code)
        amount = part.get("valueQuantity")
        if isinstance(amount, Mapping) and _number(amount.get("value")):
            label = _label(part_key, part_code, words)
            unit = str(amount.get("unit") or "")
            into.found.append(_measured(part_key, label, amount["value"], unit, words, sex))
        else:
            answer = part.get("valueBoolean", part.get("valueString"))
            shown = source_text(answer, words) if isinstance(answer, str) else scalar(answer, words)
            into.answers.append((source_text(text_of(part_code), words), shown))


def findings(data: Mapping[str, Any], words: Words, sex: str | None) -> Checkup:
    """Everything a checkup record says, FHIR or plain, in the page's words."""
    checkup = Checkup([], [], [], [])
    if isinstance(data.get("resourceType"), str):
        for resource in resources(data):
            if resource.get("resourceType") == "Observation":
                _observation(resource, words, sex, checkup)
            elif resource.get("resourceType") == "DiagnosticReport":
                performer = text_of(dig(resource, "performer", 0))
                checkup.facts.append(
                    (words.gettext("Examined on"), day(resource.get("effectiveDateTime")))
                )
                checkup.facts.append((words.gettext("Examined at"), performer))
        return checkup
    for key, value in data.items():
        if key in MEASURE and _number(value):
            checkup.found.append(_measured(key, _label(key, None, words), value, "", words, sex))
        elif key in QUALITATIVE and isinstance(value, str):
            checkup.found.append(_worded(key, _label(key, None, words), value, words))
    known = frozenset(f.key for f in checkup.found)
    checkup.facts.extend(key_value_rows(data, words, skip=known))
    return checkup


def is_checkup(kinds: set[str]) -> bool:
    return bool(kinds & {"DiagnosticReport", "Observation"})


def _trend_key(finding: Finding) -> str:
    measure = MEASURE.get(finding.key)
    return measure.loinc if measure is not None else finding.key


def sparkline(
    points: Sequence[tuple[str, float]], current: str, label: str, words: Words
) -> Markup:
    """A 72×22 line of ``points`` (day, value) with the current record's point marked; its
    ``<title>`` names every point, so a screen reader reads the trend as text."""
    values = [v for _, v in points]
    top, bottom = max(values), min(values)
    span = (top - bottom) or 1.0
    step = 66 / max(len(points) - 1, 1)
    xy = [
        (round(3 + i * step, 1), round(19 - (v - bottom) / span * 16, 1))
        for i, (_, v) in enumerate(points)
    ]
    mark = next((p for p, (d, _) in zip(xy, points, strict=True) if d == current), xy[-1])
    told = words.join([f"{d} {number(v)}" for d, v in points])
    title = words.gettext("%(item)s over the years: %(points)s", item=label, points=told)
    line = " ".join(f"{x},{y}" for x, y in xy)
    return Markup(
        '<svg class="spark" role="img" viewBox="0 0 72 22" width="72" height="22">'
        '<title>{}</title><polyline points="{}" fill="none" stroke="currentColor" '
        'stroke-width="1.5"/><circle cx="{}" cy="{}" r="2.5" fill="currentColor"/></svg>'
    ).format(title, line, mark[0], mark[1])


def _reading(finding: Finding) -> str:
    unit = finding.unit if finding.unit in ("%", "") else f" {finding.unit}"
    return f"{finding.label} {_figure(finding.value)}{unit}"


def _summary(checkup: Checkup, words: Words) -> str:
    by_key = {_trend_key(f): f for f in checkup.found if _number(f.value)}
    parts = []
    for key in ("39156-5", "8480-6", "4548-4"):
        finding = by_key.get(key)
        if finding is None:
            continue
        if key == "8480-6" and "8462-4" in by_key:
            pressure = f"{_figure(finding.value)}/{_figure(by_key['8462-4'].value)}"
            parts.append(words.gettext("Blood pressure %(bp)s mmHg", bp=pressure))
        else:
            parts.append(_reading(finding))
    if not parts:
        parts = [_reading(f) for f in checkup.found[:3]]
    outside = sum(1 for f in checkup.found if f.flag)
    if outside:
        parts.append(
            words.ngettext(
                "%(n)s outside the reference range", "%(n)s outside the reference range", outside
            )
        )
    elif any(f.reference for f in checkup.found):
        parts.append(words.gettext("all within the reference ranges"))
    return " · ".join(parts) or words.gettext("No details were given.")


def view(
    data: Mapping[str, Any],
    words: Words,
    sex: str | None,
    history: Sequence[tuple[str, Mapping[str, Any]]] = (),
    current: str = "",
) -> tuple[str, list[Table]]:
    """The summary and tables of one checkup; ``history`` holds every checkup of the person
    as (day, data), this one included under ``current``, for the trends."""
    checkup = findings(data, words, sex)
    series: dict[str, list[tuple[str, float]]] = {}
    for when, other in sorted(history, key=lambda h: h[0]):
        for finding in findings(other, words, sex).found:
            if _number(finding.value):
                series.setdefault(_trend_key(finding), []).append((when, float(finding.value)))
    rows = []
    for f in checkup.found:
        points = series.get(_trend_key(f), [])
        chart = sparkline(points, current, f.label, words) if len(points) > 1 else None
        flag = words.gettext(FLAGS[f.flag]) if f.flag else ""
        cells = (Cell(f.label), Cell(_figure(f.value), f.flag), Cell(f.unit), Cell(f.reference))
        rows.append((*cells, Cell(flag, f.flag), Cell("", chart=chart)))
    head = (
        words.gettext("Item"),
        words.gettext("Value"),
        words.gettext("Unit"),
        words.gettext("Reference range"),
        words.gettext("Flag"),
        words.gettext("Trend"),
    )
    tables = []
    if rows:
        note = words.gettext(
            "Reference ranges are this bank's guide for reading the figures, not a diagnosis; "
            "where the checkup gives its own range, that one is shown."
        )
        tables.append(Table(words.gettext("Results"), tuple(rows), head, note))
    if checkup.judgements:
        tables.append(Table.pairs(words.gettext("Judgements"), checkup.judgements))
    if checkup.answers:
        tables.append(Table.pairs(words.gettext("Standard questionnaire"), checkup.answers))
    if checkup.facts:
        tables.append(Table.pairs(words.gettext("Checkup"), [f for f in checkup.facts if f[1]]))
    return _summary(checkup, words), tables
