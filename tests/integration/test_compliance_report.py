"""The evidence pack (``infobank compliance report``): it runs on the demo, and every
criterion's evidence follows the data it is drawn from (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text
from typer.testing import CliRunner

from infobank.adapters.db.repos.log_source import SqlAlchemyLogSource
from infobank.bootstrap import Bank
from infobank.entrypoints.cli.main import app
from infobank.services import (
    businesses,
    compliance,
    consents,
    incidents,
    inquiries,
    log_heads,
    termination,
)
from infobank.services.demo import seed_demo
from tests.fakes import FakeClock
from tests.support import worlds

KEYS = [
    "consent",
    "controllability",
    "recipient_vetting",
    "ethics_board",
    "security",
    "help_desk",
    "incidents",
    "termination",
]


def _env(bank: Bank) -> dict[str, str]:
    settings = bank.settings
    env = {"INFOBANK_DATABASE_URL": settings.database_url, "INFOBANK_HOME": str(settings.home)}
    if settings.db_schema:
        env["INFOBANK_DB_SCHEMA"] = settings.db_schema
    return env


def test_the_report_runs_on_the_demo_and_writes_markdown_and_json(
    bank: Bank, tmp_path: Path
) -> None:
    seed_demo(bank.context, people=12)
    ran = CliRunner().invoke(
        app, ["compliance", "report", "--version", "3.0", "--out", str(tmp_path)], env=_env(bank)
    )
    assert ran.exit_code == 0, ran.output
    report = json.loads((tmp_path / "compliance-report.json").read_text())
    assert [c["key"] for c in report["criteria"]] == KEYS
    assert report["guideline_version"] == "3.0"
    found = {c["key"]: c for c in report["criteria"]}
    assert found["consent"]["evidence"]["persons"] == 12
    assert found["recipient_vetting"]["evidence"]["recipients"] == 3
    assert found["recipient_vetting"]["evidence"]["without_valid_certificate"] == 1  # 旧データ商事
    assert found["recipient_vetting"]["evidence"]["joint_applications_in_force"] == 1
    assert found["security"]["evidence"]["log_verifies"] is True
    markdown = (tmp_path / "compliance-report.md").read_text()
    for criterion in report["criteria"]:
        assert criterion["title_ja"] in markdown and criterion["title_en"] in markdown
    refused = CliRunner().invoke(app, ["compliance", "report", "--version", "9.9"], env=_env(bank))
    assert refused.exit_code == 2


def test_an_empty_bank_has_no_evidence_yet_and_every_criterion_cites_its_sources(
    bank: Bank,
) -> None:
    """Nothing behind a criterion is not "ok": an empty bank proves nothing."""
    for version in ("1.0", "3.0"):
        report = compliance.build(
            bank.context, version=version, log_source=SqlAlchemyLogSource(bank.engine)
        )

        assert [c["status"] for c in report["criteria"]] == ["no_evidence"] * len(KEYS)
        cited = {c["key"]: c["sources"] for c in report["criteria"]}
        for sources in cited.values():
            assert sources
            for source in sources:
                assert source["source"] in {"guideline", "certification", "mynaportal", "policy"}
                assert source["basis_ja"] and source["basis_en"]
        vetting = {s["rule"]: s["source"] for s in cited["recipient_vetting"]}
        assert vetting["recipient.standing"] == "policy"
        assert vetting["mynaportal.joint_application"] == "mynaportal"
        assert ("recipient.exception" in vetting) is (version != "1.0")
        assert [s["source"] for s in cited["help_desk"]] == ["policy"]
        markdown = compliance.markdown(report)
        assert markdown.count("no evidence yet") == 2 * len(KEYS)  # the table and each section
        assert "| ok |" not in markdown and "(ok)" not in markdown
        assert "運営方針：" in markdown and "認定指針 v1.0：" in markdown


def _evidence(bank: Bank) -> dict[str, tuple[str, dict[str, Any]]]:
    report = compliance.build(
        bank.context, version="3.0", log_source=SqlAlchemyLogSource(bank.engine)
    )
    return {c["key"]: (c["status"], c["evidence"]) for c in report["criteria"]}


def test_every_criterion_cites_evidence_that_changes_with_the_data(
    bank: Bank, clock: FakeClock
) -> None:
    ctx = bank.context
    team = worlds.team(bank)
    seen = _evidence(bank)
    assert {status for status, _ in seen.values()} == {"no_evidence"}

    def changed(key: str) -> tuple[str, dict[str, Any]]:
        nonlocal seen
        before, seen = seen, _evidence(bank)
        assert seen[key] != before[key], f"{key} did not change"
        return seen[key]

    world = worlds.world(bank, team, persons=2)
    status, consent = changed("consent")
    assert status == "ok" and consent["consents_by_status"] == {"active": 2}

    consents.change_status(ctx, world.persons[0], world.consents[0], "revoke")
    assert changed("controllability")[1]["deletion_awaiting_confirmation"] == 1

    today = clock.now().date()
    businesses.add_certification(
        ctx,
        world.recipient,
        businesses.NewCertification("isms", "IS-9", date(2024, 1, 1), today + timedelta(days=30)),
        team.operator,
    )
    status, vetting = changed("recipient_vetting")
    assert status == "attention"
    assert vetting["certificates_expiring_within_90_days"][0]["number"] == "IS-9"

    worlds.world(bank, team, persons=1)
    assert changed("ethics_board")[1]["reviews_by_decision"] == {"approve": 2}

    log_heads.sign_head(ctx)
    status, security = changed("security")
    assert status == "ok" and security["latest_signed_head"]["tree_size"] > 0

    inquiries.open_inquiry(ctx, world.persons[1], "question", "件名", "本文")
    clock.advance(days=7)
    status, desk = changed("help_desk")
    assert status == "attention" and desk["overdue_first_replies"] == 1

    incidents.record_incident(
        ctx,
        team.operator,
        incidents.NewIncident(
            summary="誤送信",
            discovered_at=clock.now(),
            target="system",
            recipient_id=None,
            categories=("lifelog.activity",),
            period_from=clock.now() - timedelta(days=30),
            period_to=clock.now(),
        ),
    )
    assert changed("incidents")[1]["incidents_by_status"] == {"draft": 1}

    termination.plan(ctx, "operator", clock.now() + timedelta(days=30))
    assert changed("termination")[1]["status"] == "planned"

    with bank.engine.begin() as conn:  # someone edits a leaf behind the log's back
        conn.execute(text("UPDATE log_leaves SET leaf = leaf || ' ' WHERE idx = 0"))
    status, security = changed("security")
    assert status == "attention" and security["log_verifies"] is False
