"""How fast the guideline rules decide, beside Cedar, and how fast eligibility is at scale.

    decide       decide() at guideline 3.0, Request and Facts built per decision from plain rows
    cedar        cedarpy.is_authorized_batch on an equivalent Cedar policy, over the same rows
    eligibility  SqlAlchemyOffers.eligible_persons (the query opening an offer runs) over
                 ``--persons`` persons, on a SQLite file and, when INFOBANK_TEST_POSTGRES_URL
                 is set, in a throw-away PostgreSQL schema
    scan         one plain full scan of the persons table with the same person predicates

Both engines start from the same rows of plain values (what a service reads from the database)
and build their own inputs from each row inside the timed loop: ``decide`` its frozen
``Request`` and ``Facts``, Cedar its request dict and context. Recipients, offers and the
catalogue are loaded once on both sides (``RecipientFacts``/``OfferFacts`` values; a parsed
Cedar ``Entities`` handle and ``PolicySet``), as a service would. Before timing, both engines
decide every row and their verdicts and refusing rule ids are compared, so the figures compare
engines that agree. Each figure is the best of ``--repeat`` runs.

The Cedar policy has one ``forbid`` per rule id of the 3.0 pack that can refuse a ``provide``
or a ``delegate``, so Cedar's determining policies are decide()'s refusing rules. Cedar has
no quantifier over a set of records, so the rows give a person at most one delegation rule
and a recipient at most one certificate, and carry no Mynaportal-derived records (that rule
passes on both sides); times are epoch seconds.

The scan is ``SELECT id FROM persons WHERE <the targeting of the offer>`` forced to a
sequential scan, fetched on the driver's cursor; ``scan_count_*`` (printed, not in the JSON)
is the same scan as ``count(*)``, which returns nothing. SQLite is measured as the bank runs it
(no ANALYZE); PostgreSQL after VACUUM ANALYZE, as autovacuum leaves a table after a bulk load.

    python -m bench.decide [--decisions N] [--persons N] [--repeat N] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, text
from sqlalchemy.orm import Session

from infobank.adapters.db import models as m
from infobank.adapters.db.engine import make_engine
from infobank.adapters.db.migrate import upgrade
from infobank.adapters.db.repos.offers import SqlAlchemyOffers, years_before
from infobank.domain.offers import Offer, Target
from infobank.domain.policy import (
    Action,
    Certification,
    ConsentFacts,
    DelegationRule,
    Facts,
    OfferFacts,
    PersonFacts,
    RecipientException,
    RecipientFacts,
    Request,
    Sensitivity,
    decide,
)

__all__ = ["decide_figures", "eligibility_figures"]

POSTGRES_ENV = "INFOBANK_TEST_POSTGRES_URL"
AT = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
TERMS = "2026-04"
VERSION = "3.0"

# -- the world both engines judge ----------------------------------------------------------

G, H, S = Sensitivity.GENERAL, Sensitivity.HEALTH_CHECKUP, Sensitivity.SENSITIVE
CATALOGUE: dict[str, Sensitivity] = {
    "profile.basic": G,
    "purchase.history": G,
    "lifelog.activity": G,
    "lifelog.sleep": G,
    "interests": G,
    "health.checkup": H,
    "health.medication": H,
    "health.diagnosis": S,
}
# id: (industry, suspended, certificate kind or None, exception expiry in days or None)
RECIPIENTS: dict[str, tuple[str, bool, str | None, int | None]] = {
    "rcp-retail": ("retail", False, "pmark", None),
    "rcp-insurer": ("insurance", False, "isms", None),
    "rcp-lab": ("research", False, None, 90),  # admitted by an exception (例外類型)
    "rcp-startup": ("retail", False, None, -10),  # its exception has expired
    "rcp-suspended": ("retail", True, "pmark", None),
}
# id: (recipient, status, approved, purpose, categories, profiling, onward parties,
#      justification, benefit points, retention days)
OfferSpec = tuple[str, str, bool, str, tuple[str, ...], bool, tuple[str, ...], str | None, int, int]
# fmt: off
OFFERS: dict[str, OfferSpec] = {
    "off-shop": ("rcp-retail", "open", True, "marketing", ("profile.basic", "purchase.history"),
                 False, (), None, 500, 180),
    "off-walk": ("rcp-insurer", "open", True, "insurance", ("lifelog.activity",),
                 True, (), None, 300, 365),
    "off-checkup": ("rcp-insurer", "open", True, "insurance", ("health.checkup",),
                    False, (), "individual_benefit", 800, 365),
    "off-sleep": ("rcp-lab", "open", True, "research", ("lifelog.sleep", "profile.basic"),
                  False, ("bank-b",), None, 200, 730),
    "off-diag": ("rcp-lab", "approved", True, "research", ("health.diagnosis",),
                 False, (), "public_interest", 900, 365),
    "off-draft": ("rcp-retail", "under_review", False, "marketing", ("interests",),
                  False, (), None, 100, 90),
    "off-cheap": ("rcp-startup", "open", True, "marketing", ("interests",),
                  False, (), None, 50, 90),
    "off-banned": ("rcp-suspended", "open", True, "marketing", ("purchase.history",),
                   False, (), None, 400, 180),
}
# fmt: on
OFFER_WEIGHTS = (40, 25, 10, 10, 3, 3, 4, 5)
STATUSES = ("active",) * 16 + ("paused", "revoked", "expired", "pending")

# A row: the plain values a service reads for one decision.
#   (action, person id, agreed terms, delegation rule | None, consent | None, offer id)
# rule:    (categories, purposes, industries, min benefit, allow profiling, max retention)
# consent: (id, status, mode, recipient, offer, purpose, categories, start, expiry,
#           start epoch, expiry epoch, onward parties, profiling, justification)
Row = tuple[Action, str, str | None, tuple[Any, ...] | None, tuple[Any, ...] | None, str]


def make_rows(count: int, seed: int = 2026) -> list[Row]:
    """A realistic mix: mostly allowed, every rule refusing some."""
    rnd = random.Random(seed)
    offer_ids = list(OFFERS)
    rows: list[Row] = []
    for n in range(count):
        offer_id = rnd.choices(offer_ids, OFFER_WEIGHTS)[0]
        recipient, _, _, purpose, cats, profiling, _, justification, _, _ = OFFERS[offer_id]
        agreed = TERMS if rnd.random() < 0.95 else rnd.choice([None, "2025-04"])
        rule = None
        if rnd.random() < 0.75:  # a rule written with offers like this one in mind
            rule = ((), (purpose,), (), 0, True, 1000)
        elif rnd.random() < 0.8:
            rule = (
                rnd.choice([(), cats, ("interests",)]),
                rnd.choice([(), (purpose,), ("marketing",)]),
                rnd.choice([(), ("retail", "insurance")]),
                rnd.choice([0, 100, 400]),
                rnd.random() < 0.5,
                rnd.choice([180, 365, 1000]),
            )
        if rnd.random() < 0.5:
            rows.append((Action.DELEGATE, f"psn-{n}", agreed, rule, None, offer_id))
            continue
        start = AT - rnd.choice([30] * 18 + [400, -2]) * DAY
        expiry = start + 365 * DAY
        mode = "explicit" if rnd.random() < 0.7 else "delegated"
        consent = (
            f"cns-{n}",
            rnd.choice(STATUSES),
            mode,
            recipient if rnd.random() < 0.98 else "rcp-retail",
            offer_id,
            purpose if rnd.random() < 0.98 else "other",
            cats if rnd.random() < 0.97 else cats[:1] + ("interests",),
            start,
            expiry,
            int(start.timestamp()),
            int(expiry.timestamp()),
            ("bank-b",) if rnd.random() < 0.9 else (),
            profiling if rnd.random() < 0.95 else not profiling,
            justification if rnd.random() < 0.9 else None,
        )
        rows.append((Action.PROVIDE, f"psn-{n}", agreed, rule, consent, offer_id))
    return rows


# -- decide(): Request and Facts built per row ---------------------------------------------


def _recipient_facts() -> dict[str, RecipientFacts]:
    facts = {}
    for rid, (_, suspended, kind, exception_days) in RECIPIENTS.items():
        certs = () if kind is None else (Certification(kind, "N-1", AT - 300 * DAY, AT + 65 * DAY),)
        exceptions = ()
        if exception_days is not None:
            exceptions = (RecipientException("research", True, AT + exception_days * DAY),)
        facts[rid] = RecipientFacts(
            id=rid, suspended=suspended, certifications=certs, exceptions=exceptions
        )
    return facts


def _offer_facts() -> dict[str, OfferFacts]:
    facts = {}
    for oid, values in OFFERS.items():
        rid, status, approved, purpose, cats, profiling, onward, why, benefit, keep = values
        facts[oid] = OfferFacts(
            id=oid,
            recipient_id=rid,
            status=status,
            review_approved=approved,
            purpose_code=purpose,
            categories=frozenset(cats),
            profiling=profiling,
            retention_days=keep,
            consent_duration_days=365,
            fetch_mode="periodic",
            industry=RECIPIENTS[rid][0],
            benefit_points=benefit,
            reprovision_parties=frozenset(onward),
            justification=why,
        )
    return facts


def decide_all(rows: Sequence[Row]) -> list[Any]:
    """Build the inputs of every row and decide them; the timed unit of the decide figure."""
    recipients, offers, catalogue = _recipient_facts(), _offer_facts(), CATALOGUE
    out = []
    for action, person_id, agreed, rule, consent, offer_id in rows:
        offer = offers[offer_id]
        rules = ()
        if rule is not None:
            cats, purposes, industries, min_benefit, profiling, max_retention = rule
            rules = (
                DelegationRule(
                    categories=frozenset(cats),
                    purposes=frozenset(purposes),
                    industries=frozenset(industries),
                    min_benefit_points=min_benefit,
                    allow_profiling=profiling,
                    max_retention_days=max_retention,
                ),
            )
        consent_facts = None
        if consent is not None:
            cid, status, mode, rid, oid, purpose, cats, start, expiry, _, _, onward, prof, why = (
                consent
            )
            consent_facts = ConsentFacts(
                id=cid,
                status=status,
                mode=mode,
                recipient_id=rid,
                offer_id=oid,
                purpose_code=purpose,
                categories=frozenset(cats),
                start=start,
                expiry=expiry,
                reprovision_parties=frozenset(onward),
                profiling=prof,
                justification=why,
                terms_version=TERMS,
            )
        facts = Facts(
            person=PersonFacts(id=person_id, agreed_terms_version=agreed, delegation_rules=rules),
            recipient=recipients[offer.recipient_id],
            offer=offer,
            consent=consent_facts,
            sensitivity=catalogue,
            guardrails=None,
            current_terms_version=TERMS,
        )
        request = Request(
            action=action,
            categories=offer.categories,
            purpose_code=offer.purpose_code,
            recipient_id=offer.recipient_id,
        )
        out.append(decide(request, facts, AT, VERSION))
    return out


# -- Cedar: the same rules as a policy, the same rows as a batch ---------------------------

CEDAR_POLICY = """
@id("base.provide") permit (principal, action == Action::"provide", resource);
@id("base.delegate") permit (principal, action == Action::"delegate", resource);

@id("terms.current") forbid (principal, action, resource)
unless { context has agreed_terms && context.agreed_terms == context.current_terms };

@id("consent.status") forbid (principal, action == Action::"provide", resource)
when { context has consent && context.consent.status != "active" };

@id("consent.window") forbid (principal, action == Action::"provide", resource)
when { context has consent &&
       (context.at < context.consent.start || context.at >= context.consent.expiry) };

@id("consent.scope") forbid (principal, action == Action::"provide", resource)
unless { context has consent && context.consent.recipient == principal &&
         context.consent.purpose == context.purpose &&
         context.consent.categories.containsAll(context.categories) };

@id("recipient.standing") forbid (principal, action, resource) when { principal.suspended };

@id("recipient.certified") forbid (principal, action, resource)
unless { (principal.cert_from <= context.at && context.at < principal.cert_until) ||
         context.at < principal.exception_until };

@id("offer.reviewed") forbid (principal, action, resource)
unless { resource.approved && resource.conditions_met &&
         ["approved", "open"].contains(resource.status) &&
         resource.recipient == principal && resource.purpose == context.purpose &&
         resource.categories.containsAll(context.categories) &&
         (action != Action::"provide" || !(context has consent) ||
          context.consent.offer == resource) };

@id("sensitive.excluded") forbid (principal, action, resource)
when { context.categories.containsAny(Catalogue::"main".sensitive) ||
       !Catalogue::"main".known.containsAll(context.categories) };

@id("health.conditions") forbid (principal, action, resource)
when { context.categories.containsAny(Catalogue::"main".health) &&
       (action == Action::"delegate" ||
        (context has consent &&
         (context.consent.mode != "explicit" ||
          !["individual_benefit", "public_interest"].contains(context.consent.justification) ||
          !resource.approved))) };

@id("reprovision.prohibited") forbid (principal, action, resource)
when { !resource.onward.isEmpty() &&
       (action == Action::"delegate" ||
        (context has consent &&
         (context.consent.mode != "explicit" ||
          !context.consent.onward.containsAll(resource.onward)))) };

@id("delegation.scope") forbid (principal, action == Action::"delegate", resource)
unless { !context.categories.containsAny(Catalogue::"main".not_general) &&
         context has rule &&
         (context.rule.categories.isEmpty() ||
          context.rule.categories.containsAll(context.categories)) &&
         (context.rule.purposes.isEmpty() || context.rule.purposes.contains(context.purpose)) &&
         (context.rule.industries.isEmpty() ||
          context.rule.industries.contains(resource.industry)) &&
         resource.benefit >= context.rule.min_benefit &&
         resource.retention <= context.rule.max_retention &&
         (context.rule.allow_profiling || !resource.profiling) };

@id("profiling.disclosed") forbid (principal, action == Action::"provide", resource)
when { context has consent &&
       ((resource.profiling && !context.consent.profiling) ||
        (context.consent.profiling && context.consent.mode != "explicit" &&
         (context.categories.containsAny(Catalogue::"main".not_general) ||
          !(context has rule &&
            (context.rule.categories.isEmpty() ||
             context.rule.categories.containsAll(context.categories)) &&
            (context.rule.purposes.isEmpty() ||
             context.rule.purposes.contains(context.purpose)) &&
            (context.rule.industries.isEmpty() ||
             context.rule.industries.contains(resource.industry)) &&
            resource.benefit >= context.rule.min_benefit &&
            resource.retention <= context.rule.max_retention &&
            context.rule.allow_profiling)))) };
"""


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def cedar_entities() -> list[dict[str, Any]]:
    """Recipients, offers and the catalogue as Cedar entities (loaded once, like the facts)."""
    at = _epoch(AT)
    entities: list[dict[str, Any]] = []
    for rid, (_, suspended, kind, exception_days) in RECIPIENTS.items():
        certified = kind in ("pmark", "isms")
        entities.append(
            {
                "uid": {"type": "Recipient", "id": rid},
                "attrs": {
                    "suspended": suspended,
                    "cert_from": at - 300 * 86400 if certified else 0,
                    "cert_until": at + 65 * 86400 if certified else 0,
                    "exception_until": 0 if exception_days is None else at + exception_days * 86400,
                },
                "parents": [],
            }
        )
    for oid, values in OFFERS.items():
        rid, status, approved, purpose, cats, profiling, onward, _, benefit, keep = values
        entities.append(
            {
                "uid": {"type": "Offer", "id": oid},
                "attrs": {
                    "recipient": {"__entity": {"type": "Recipient", "id": rid}},
                    "status": status,
                    "approved": approved,
                    "conditions_met": approved,
                    "purpose": purpose,
                    "categories": list(cats),
                    "profiling": profiling,
                    "onward": list(onward),
                    "industry": RECIPIENTS[rid][0],
                    "benefit": benefit,
                    "retention": keep,
                },
                "parents": [],
            }
        )
    by_class = {cls: [c for c, k in CATALOGUE.items() if k == cls] for cls in Sensitivity}
    entities.append(
        {
            "uid": {"type": "Catalogue", "id": "main"},
            "attrs": {
                "known": list(CATALOGUE),
                "sensitive": by_class[S],
                "health": by_class[H],
                "not_general": by_class[S] + by_class[H],
            },
            "parents": [],
        }
    )
    return entities


def cedar_requests(rows: Sequence[Row]) -> list[dict[str, Any]]:
    """The Cedar request of every row: principal, action, resource and a context dict."""
    at = _epoch(AT)
    offers = {oid: (v[0], v[3], list(v[4])) for oid, v in OFFERS.items()}
    requests = []
    for action, _, agreed, rule, consent, offer_id in rows:
        rid, purpose, cats = offers[offer_id]
        context: dict[str, Any] = {
            "at": at,
            "current_terms": TERMS,
            "purpose": purpose,
            "categories": cats,
        }
        if agreed is not None:
            context["agreed_terms"] = agreed
        if rule is not None:
            context["rule"] = {
                "categories": rule[0],
                "purposes": rule[1],
                "industries": rule[2],
                "min_benefit": rule[3],
                "allow_profiling": rule[4],
                "max_retention": rule[5],
            }
        if consent is not None:
            _, status, mode, crid, coid, cpurpose, ccats, _, _, start, expiry, onward, prof, why = (
                consent
            )
            context["consent"] = {
                "status": status,
                "mode": mode,
                "recipient": {"__entity": {"type": "Recipient", "id": crid}},
                "offer": {"__entity": {"type": "Offer", "id": coid}},
                "purpose": cpurpose,
                "categories": ccats,
                "start": start,
                "expiry": expiry,
                "onward": onward,
                "profiling": prof,
                "justification": why or "",
            }
        requests.append(
            {
                "principal": f'Recipient::"{rid}"',
                "action": f'Action::"{action}"',
                "resource": f'Offer::"{offer_id}"',
                "context": context,
            }
        )
    return requests


def cedar_all(rows: Sequence[Row], policies: Any, entities: Any, batch: int) -> list[Any]:
    """Build the Cedar requests of every row and authorize them in batches; timed unit."""
    import cedarpy

    out: list[Any] = []
    for low in range(0, len(rows), batch):
        requests = cedar_requests(rows[low : low + batch])
        out.extend(cedarpy.is_authorized_batch(requests, policies, entities))
    return out


def _cedar_rules(result: Any) -> tuple[str, ...]:
    names = result.diagnostics.id_annotations_by_reason
    if result.allowed:
        return ()
    return tuple(sorted(names[r] for r in result.diagnostics.reasons))


def _best(run: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def decide_figures(decisions: int = 100_000, repeat: int = 3) -> dict[str, Any]:
    """Decisions per second of decide() and of Cedar on the same rows, and their agreement."""
    import cedarpy

    rows = make_rows(decisions)
    policies = cedarpy.PolicySet.from_str(CEDAR_POLICY)  # type: ignore[attr-defined]
    entities = cedarpy.Entities.from_json_str(json.dumps(cedar_entities()))
    batch = 10_000

    ours = decide_all(rows)
    theirs = cedar_all(rows, policies, entities, batch)
    errors = {e for r in theirs for e in r.diagnostics.errors}
    if errors:
        raise RuntimeError(f"the Cedar policy failed to evaluate: {sorted(errors)[:3]}")
    same_verdict = sum(a.allowed == b.allowed for a, b in zip(ours, theirs, strict=True))
    same_rules = sum(
        tuple(sorted(a.rules)) == _cedar_rules(b) for a, b in zip(ours, theirs, strict=True)
    )
    allowed = sum(d.allowed for d in ours)

    decide_s = cedar_s = float("inf")
    for _ in range(repeat):  # interleaved, so a busy moment of the machine hits both alike
        decide_s = min(decide_s, _best(lambda: decide_all(rows), 1))
        cedar_s = min(cedar_s, _best(lambda: cedar_all(rows, policies, entities, batch), 1))
    return {
        "decisions": decisions,
        "allowed": allowed,
        "agree_verdict": same_verdict,
        "agree_rules": same_rules,
        "decide_per_s": decisions / decide_s,
        "cedar_per_s": decisions / cedar_s,
        "decide_vs_cedar": cedar_s / decide_s,
    }


# -- eligibility at population scale -------------------------------------------------------

TODAY = AT.date()
TARGET = Target(age_min=20, age_max=69, prefectures=("11", "12", "13", "14"))
TARGET_JSON = {"age_min": 20, "age_max": 69, "prefectures": list(TARGET.prefectures)}
WANTED = ("lifelog.activity", "purchase.history")
HELD = ("profile.basic", "lifelog.activity", "purchase.history", "lifelog.sleep", "interests")
HELD_WEIGHTS = (50, 35, 35, 20, 20)
PREFECTURES = [f"{n:02d}" for n in range(1, 48)]
PREFECTURE_WEIGHTS = [8 if p in ("11", "12", "13", "14", "23", "27") else 1 for p in PREFECTURES]
CHUNK = 20_000
_ARGON2 = "$argon2id$v=19$m=65536,t=3,p=4$" + "A" * 22 + "$" + "B" * 43


def _uuid(rnd: random.Random) -> str:
    h = f"{rnd.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{h[16:20]}-{h[20:]}"


def population(persons: int, seed: int = 7) -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
    """Rows for persons, person_keys, records, one recipient, its offer and some invitations."""
    rnd = random.Random(seed)
    blob, key, payload = b"\x01" * 60, b"\x02" * 72, b"\x03" * 160
    at = AT - 400 * DAY
    people, keys, records, invitations = [], [], [], []
    for n in range(persons):
        pid = _uuid(rnd)
        deleted = at if rnd.random() < 0.005 else None
        born = date(1936, 1, 1) + timedelta(days=rnd.randrange(70 * 365))
        gender = rnd.choice(("female", "male", "other"))
        pref = rnd.choices(PREFECTURES, PREFECTURE_WEIGHTS)[0]
        people.append(
            (pid, f"{n:064x}", blob, blob, born, gender, pref, _ARGON2, TERMS, at, at, deleted)
        )
        if deleted is None:
            keys.append((pid, key, at))
        for category in {rnd.choices(HELD, HELD_WEIGHTS)[0] for _ in range(rnd.randint(1, 4))}:
            records.append(
                (_uuid(rnd), pid, category, payload, 160, at, "self", None, None, "entrust", at)
            )
        if rnd.random() < 0.01:
            invitations.append((_uuid(rnd), "off-bench", pid, "open", at, None))
    recipient = ("rcp-bench", "ベンチ", "retail", "dpo@bench.example", "cid", "0" * 64, None, at)
    offer = (
        "off-bench", "rcp-bench", "open", "ベンチ", "marketing", "ベンチ", None, list(WANTED),
        500, 180, 365, "periodic", 30, None, False, [], TARGET_JSON, persons, at, at, at, None,
    )  # fmt: skip
    rows = [people, keys, records, [recipient], [offer], invitations]
    return {
        table: (columns.split(), data)
        for (table, columns), data in zip(COLUMNS.items(), rows, strict=True)
    }


# The columns population() fills, in its order; any other column is nullable.
COLUMNS = {
    "persons": "id email_lookup email_enc display_name_enc birth_date gender prefecture"
    " password_hash terms_version terms_agreed_at created_at deleted_at",
    "person_keys": "person_id wrapped_key created_at",
    "records": "id person_id category payload size_bytes observed_at acquired_via source_id"
    " source_method purpose created_at",
    "recipients": "id name industry contact_email client_id secret_hash suspended_at created_at",
    "offers": "id recipient_id status title purpose_code purpose_text justification categories"
    " benefit_points retention_days consent_duration_days fetch_mode fetch_every_days"
    " data_range_days profiling reprovision_parties target capacity created_at submitted_at"
    " opened_at closed_at",
    "invitations": "id offer_id person_id status created_at responded_at",
}


def _load(engine: Engine, data: dict[str, tuple[list[str], list[tuple[Any, ...]]]]) -> None:
    """Bulk-load the rows: COPY on PostgreSQL, executemany on SQLite."""
    postgres = engine.dialect.name == "postgresql"
    with engine.begin() as conn:
        driver: Any = conn.connection.driver_connection
        cursor = driver.cursor()
        if not postgres:
            cursor.execute("PRAGMA cache_size = -1000000")  # this connection only: 1 GB
        for name, (columns, rows) in data.items():
            table = m.Base.metadata.tables[name]
            if postgres:
                listed = ", ".join(columns)
                if len(rows) == 1:  # the offer's JSON columns need SQLAlchemy's types
                    conn.execute(insert(table), [dict(zip(columns, rows[0], strict=True))])
                    continue
                with cursor.copy(f'COPY "{name}" ({listed}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row)
                continue
            # SQLite: the values SQLAlchemy would bind, each distinct value converted once
            processors = [table.c[c].type.bind_processor(engine.dialect) for c in columns]
            converters = [(i, _memo(f)) for i, f in enumerate(processors) if f is not None]
            marks = ", ".join("?" * len(columns))
            sql = f'INSERT INTO "{name}" ({", ".join(columns)}) VALUES ({marks})'
            for low in range(0, len(rows), CHUNK):
                values: list[Any] = list(zip(*rows[low : low + CHUNK], strict=True))
                for i, convert in converters:
                    values[i] = [convert(v) for v in values[i]]
                cursor.executemany(sql, zip(*values, strict=True))
        cursor.close()
    if postgres:  # what autovacuum does after a bulk load; SQLite is left as the bank runs it
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")


def _memo(process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``process`` then the driver's own adaptation, remembered per distinct value."""
    seen: dict[Any, Any] = {None: None}

    def convert(value: Any) -> Any:
        try:
            return seen[value]
        except TypeError:  # unhashable
            return process(value)
        except KeyError:
            converted = process(value)
            if isinstance(converted, datetime):  # as sqlite3's default adapter writes it
                converted = converted.isoformat(" ")
            seen[value] = converted
            return converted

    return convert


def _offer(persons: int) -> Offer:
    return Offer(
        id="off-bench",
        recipient_id="rcp-bench",
        status="open",
        title="ベンチ",
        purpose_code="marketing",
        purpose_text="ベンチ",
        justification=None,
        categories=WANTED,
        benefit_points=500,
        retention_days=180,
        consent_duration_days=365,
        fetch_mode="periodic",
        fetch_every_days=30,
        data_range_days=None,
        profiling=False,
        reprovision_parties=(),
        target=TARGET,
        capacity=persons,
        created_at=AT,
    )


def _scan_sql(postgres: bool, select: str) -> str:
    """The person predicates of eligible_persons, as one plain scan of the persons table."""
    oldest = years_before(TODAY, TARGET.age_max + 1) if TARGET.age_max is not None else None
    youngest = years_before(TODAY, TARGET.age_min) if TARGET.age_min is not None else None
    prefectures = ", ".join(f"'{p}'" for p in TARGET.prefectures)
    table = "persons" if postgres else "persons NOT INDEXED"
    return (
        f"SELECT {select} FROM {table} WHERE deleted_at IS NULL"
        f" AND birth_date <= '{youngest}' AND birth_date > '{oldest}'"
        f" AND prefecture IN ({prefectures})"
    )


def _time_eligibility(engine: Engine, persons: int, repeat: int) -> dict[str, float | int]:
    """Best-of-``repeat`` times of eligible_persons and of the plain scans, warm cache."""
    offer = _offer(persons)
    postgres = engine.dialect.name == "postgresql"
    found: list[str] = []

    def eligibility() -> None:
        nonlocal found
        with Session(engine) as session:
            found = SqlAlchemyOffers(session).eligible_persons(offer, TODAY, persons)

    def scan(select: str) -> Callable[[], None]:
        query = _scan_sql(postgres, select)

        def run() -> None:  # on the driver's cursor: no ORM or Row objects to pay for
            with engine.connect() as conn:
                cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
                if postgres:  # a plain sequential scan, whatever indexes exist
                    for knob in ("indexscan", "bitmapscan", "indexonlyscan"):
                        cursor.execute(f"SET LOCAL enable_{knob} = off")
                cursor.execute(query)
                cursor.fetchall()
                cursor.close()
                conn.rollback()

        return run

    times: dict[str, float | int] = {
        "eligibility": _best(eligibility, repeat),
        "scan": _best(scan("id"), repeat),
        "scan_count": _best(scan("count(*)"), repeat),
    }
    return times | {"eligible": len(found)}


def eligibility_figures(persons: int, repeat: int = 3) -> dict[str, Any]:
    """Eligibility beside a full scan, on SQLite and (when configured) PostgreSQL."""
    data = population(persons)
    figures: dict[str, Any] = {
        "persons": persons,
        "eligibility_postgres_s": None,
        "scan_postgres_s": None,
        "eligibility_vs_scan_postgres": None,
    }
    with tempfile.TemporaryDirectory(prefix="infobank-bench-") as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bank.db'}")
        try:
            upgrade(engine)
            _load(engine, data)
            figures |= _figures("sqlite", _time_eligibility(engine, persons, repeat))
        finally:
            engine.dispose()
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        return figures
    schema = f"bench_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    engine = make_engine(url, schema=schema)
    try:
        upgrade(engine)
        _load(engine, data)
        figures |= _figures("postgres", _time_eligibility(engine, persons, repeat))
    finally:
        engine.dispose()
        admin = make_engine(url)
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
    if figures["eligible_postgres"] != figures["eligible_sqlite"]:
        raise RuntimeError("SQLite and PostgreSQL found different eligible persons")
    return figures


def _figures(db: str, times: dict[str, float | int]) -> dict[str, float | int]:
    return {
        f"eligible_{db}": times["eligible"],
        f"eligibility_{db}_s": times["eligibility"],
        f"scan_{db}_s": times["scan"],
        f"eligibility_vs_scan_{db}": times["eligibility"] / times["scan"],
        f"scan_count_{db}_s": times["scan_count"],
    }


KEYS = (
    "decide_per_s",
    "cedar_per_s",
    "decide_vs_cedar",
    "eligibility_sqlite_s",
    "scan_sqlite_s",
    "eligibility_vs_scan_sqlite",
    "eligibility_postgres_s",
    "scan_postgres_s",
    "eligibility_vs_scan_postgres",
)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--decisions", type=int, default=100_000)
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    details = decide_figures(args.decisions, args.repeat)
    details |= eligibility_figures(args.persons, args.repeat)
    if args.json:
        print(json.dumps({key: details[key] for key in KEYS}))
        return
    for name in [*KEYS, *(k for k in details if k not in KEYS)]:
        value = details[name]
        shown = "—" if value is None else f"{value:14.3f}"
        print(f"{name:>28}  {shown}")


if __name__ == "__main__":
    main()
