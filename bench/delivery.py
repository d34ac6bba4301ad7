"""How fast the worker builds deliveries end to end, on a fresh SQLite bank, and how fast a
delivery is sealed against a fair floor of the same primitives (``bench.seal``).

    build  deliveries.build_due: decide, serialise, sign (JWS), encrypt (JWE), store, log
    seal   ``bench.seal``: ``seal_vs_floor_1mib`` and ``seal_vs_floor_2kib`` (floor time ÷
           seal time, the floor doing everything the format needs), medians of ``--runs``

A temporary bank is seeded through the services (no HTTP): staff, a certified recipient with
an EC P-256 key, ``consents`` persons with one ``lifelog.activity`` record each, an approved
and opened offer, and one explicit consent per person. ``build_due`` is then timed once over
every due consent with ``time.perf_counter``. The figures of ``bench.seal`` are merged in.

    python -m bench.delivery [--consents N] [--rounds N] [--runs N] [--quick] [--json]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from joserfc.jwk import ECKey

from bench.harness import print_figures
from bench.seal import seal_figures
from infobank.bootstrap import Bank, bootstrap
from infobank.config import Settings
from infobank.domain.identity import Gender, PrincipalKind, StaffRole
from infobank.domain.offers import Offer, Target
from infobank.services import businesses, consents, deliveries, identity, offers, recipients
from infobank.services import records as record_service

__all__ = ["delivery_figures"]

PASSWORD = "bench-password-2026"


def _seed(bank: Bank, people: int) -> None:
    ctx = bank.context
    operator = identity.create_staff(ctx, "operator@bench.example", PASSWORD, StaffRole.OPERATOR)
    ethics = identity.create_staff(ctx, "ethics@bench.example", PASSWORD, StaffRole.ETHICS)
    reg = businesses.register_business(
        ctx, PrincipalKind.RECIPIENT, "ベンチ保険", "insurance", "dpo@bench.example"
    )
    recipient_id = reg.business.id
    today = ctx.clock.now().date()
    businesses.add_certification(
        ctx,
        recipient_id,
        businesses.NewCertification(
            "pmark", "P-BENCH", today - timedelta(days=30), today + timedelta(days=365)
        ),
        recorded_by=operator.principal.id,
    )
    key = ECKey.generate_key("P-256", private=True, auto_kid=True)
    recipients.set_key(ctx, recipient_id, key.as_dict(private=False))

    persons: list[str] = []
    for i in range(people):
        person_id = identity.sign_up(
            ctx,
            identity.SignUp(
                email=f"person{i:05d}@bench.example",
                password=PASSWORD,
                display_name="山田 花子",
                birth_date=date(1985, 4, 12),
                gender=Gender.FEMALE,
                prefecture="13",
                terms_version=ctx.terms.version,
            ),
        )
        record_service.add_record(
            ctx, person_id, record_service.NewRecord("lifelog.activity", {"steps": 9000 + i})
        )
        persons.append(person_id)

    draft = Offer(
        id="",
        recipient_id=recipient_id,
        status="draft",
        title="歩数に応じた保険料割引",
        purpose_code="insurance.product_design",
        purpose_text="歩数データから保険商品を設計する",
        justification=None,
        categories=("lifelog.activity",),
        benefit_points=300,
        retention_days=180,
        consent_duration_days=180,
        fetch_mode="one_time",
        fetch_every_days=None,
        data_range_days=None,
        profiling=False,
        reprovision_parties=(),
        target=Target(age_min=20, age_max=70),
        capacity=people,
        created_at=datetime.now(UTC),
    )
    offer = offers.create_offer(ctx, recipient_id, draft)
    offers.submit_offer(ctx, offer.id, recipient_id)
    offers.review_offer(ctx, offer.id, ethics.principal.id, "approve", "ベンチマーク用。承認。", [])
    opened = offers.open_offer(ctx, offer.id, operator.principal.id)
    assert opened["invited"] == people, opened
    for person_id in persons:
        consents.accept(ctx, person_id, offer.id)


def delivery_figures(people: int = 300) -> dict[str, float]:
    """Deliveries built per second by ``build_due`` over ``people`` due consents."""
    with tempfile.TemporaryDirectory(prefix="infobank-bench-") as tmp:
        root = Path(tmp)
        settings = Settings(
            database_url=f"sqlite:///{root / 'bank.db'}",
            home=root / "home",
            argon2_time_cost=1,
            argon2_memory_kib=1024,
            argon2_parallelism=1,
        )
        bank = bootstrap(settings, migrate=True)
        try:
            _seed(bank, people)
            start = time.perf_counter()
            built = deliveries.build_due(bank.context, limit=people)
            elapsed = time.perf_counter() - start
        finally:
            bank.close()
    if built != people:
        raise RuntimeError(f"built {built} deliveries, expected {people}")
    return {"deliveries_per_s": built / elapsed}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--consents", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5, help="seal timings per measurement")
    parser.add_argument("--runs", type=int, default=5, help="seal measurements (median)")
    parser.add_argument("--quick", action="store_true", help="a small smoke run")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    consents_n, rounds, runs = args.consents, args.rounds, args.runs
    if args.quick:
        consents_n, rounds, runs = 20, 2, 2
    figures = {
        **delivery_figures(consents_n),
        **seal_figures(rounds=rounds, runs=runs),
    }
    print_figures(figures, args.json, "bench.delivery (seal figures: medians, every run below)")


if __name__ == "__main__":
    main()
