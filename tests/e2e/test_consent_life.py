"""A consent's life with a controlled clock: a post-dated start, records filtered to the data
range, a cap on downloads of a package, a warning before expiry, the expiry itself with
notices to the person and the recipient, and a reminder every 90 days while it is active."""

from __future__ import annotations

import json
from datetime import timedelta

from fastapi.testclient import TestClient
from joserfc import jws
from joserfc.jwk import KeySet

from infobank.bootstrap import Bank
from infobank.services.worker import run_once
from tests.fakes import FakeClock, RecordingWebhooks
from tests.support import api, trust


def _kinds(client: TestClient, who: api.Party) -> list[str]:
    return [n["kind"] for n in api.items(client, "/v1/me/notifications", who.headers)]


def _relogin(client: TestClient, who: api.Party) -> api.Party:
    token = client.post("/v1/auth/login", json={"email": who.email, "password": api.PASSWORD})
    assert token.status_code == 200, token.text
    return api.Party(who.id, api.bearer(token.json()["access_token"]), email=who.email)


def test_a_post_dated_consent_starts_on_its_day(
    client: TestClient, bank: Bank, clock: FakeClock
) -> None:
    team = trust.staff(bank)
    recipient = trust.recipient(client, team)
    someone = trust.person(client)
    starts = clock.now() + timedelta(days=10)
    offer_id, _ = trust.open_offer(
        client, team, recipient, starts_at=starts.isoformat(), consent_duration_days=30
    )
    consent_id = trust.accept(client, someone, offer_id)
    consent = client.get(f"/v1/me/consents/{consent_id}", headers=someone.headers).json()
    assert consent["status"] == "pending"
    assert consent["artefact_claims"]["start"] == starts.isoformat().replace("+00:00", "Z")
    assert consent["artefact_claims"]["expiry"] == (
        starts + timedelta(days=30)
    ).isoformat().replace("+00:00", "Z")
    hooks = RecordingWebhooks()
    assert run_once(bank.context, hooks)["built"] == 0

    clock.advance(days=9, hours=23)
    assert run_once(bank.context, hooks)["built"] == 0
    clock.advance(hours=1)
    done = run_once(bank.context, hooks)
    assert done["started"] == 1 and done["built"] == 1
    someone = _relogin(client, someone)
    after = client.get(f"/v1/me/consents/{consent_id}", headers=someone.headers).json()
    assert after["status"] == "active"
    assert [h["status"] for h in after["history"]] == ["granted", "active"]
    assert "consent.started" in _kinds(client, someone)


def test_a_start_in_the_past_is_refused(client: TestClient, bank: Bank, clock: FakeClock) -> None:
    team = trust.staff(bank)
    recipient = trust.recipient(client, team)
    body = trust.offer_body(starts_at=(clock.now() - timedelta(days=1)).isoformat())
    refused = client.post("/v1/offers", json=body, headers=recipient.headers)
    assert refused.status_code == 422
    naive = trust.offer_body(starts_at="2027-01-01T00:00:00")
    assert client.post("/v1/offers", json=naive, headers=recipient.headers).status_code == 422


def test_expiry_warns_the_person_then_ends_the_consent_with_notices(
    client: TestClient, bank: Bank, clock: FakeClock
) -> None:
    team = trust.staff(bank)
    recipient = trust.recipient(client, team, webhook="https://recipient.example/hooks")
    someone = trust.person(client)
    offer_id, _ = trust.open_offer(
        client,
        team,
        recipient,
        consent_duration_days=30,
        fetch={"mode": "periodic", "every_days": 7},
    )
    consent_id = trust.accept(client, someone, offer_id)
    hooks = RecordingWebhooks()
    assert run_once(bank.context, hooks)["built"] == 1

    clock.advance(days=15, hours=23)
    assert run_once(bank.context, hooks)["expiry_notices"] == 0
    clock.advance(hours=1)  # 14 days left: the warning
    assert run_once(bank.context, hooks)["expiry_notices"] == 1
    assert run_once(bank.context, hooks)["expiry_notices"] == 0  # told once
    client.post(
        "/v1/me/records",
        json={"category": "lifelog.activity", "data": {"steps": 1}},
        headers=_relogin(client, someone).headers,
    )
    clock.advance(days=14)
    done = run_once(bank.context, hooks)
    assert done["expired"] == 1 and done["built"] == 0 and done["webhooks"] == 1

    someone = _relogin(client, someone)
    kinds = _kinds(client, someone)
    assert kinds.count("consent.expiring") == 1 and "consent.expired" in kinds
    consent = client.get(f"/v1/me/consents/{consent_id}", headers=someone.headers).json()
    assert consent["status"] == "expired"
    headers = trust.fresh(client, recipient)
    revocations = api.items(client, "/v1/revocations", headers)
    assert [r["reason"] for r in revocations] == ["expired"]
    jwks = KeySet.import_key_set(client.get("/.well-known/jwks.json").json())
    notice = json.loads(
        jws.deserialize_compact(hooks.received[0], jwks, algorithms=["Ed25519"]).payload
    )
    assert notice["type"] == "expiry" and notice["consent"] == consent_id
    # Nothing more is built for it, however long the worker runs.
    clock.advance(days=30)
    assert run_once(bank.context, hooks)["built"] == 0


def test_a_reminder_every_90_days_while_active(
    client: TestClient, bank: Bank, clock: FakeClock
) -> None:
    team = trust.staff(bank)
    recipient = trust.recipient(client, team)
    someone = trust.person(client)
    offer_id, _ = trust.open_offer(client, team, recipient, consent_duration_days=365)
    trust.accept(client, someone, offer_id)
    hooks = RecordingWebhooks()
    run_once(bank.context, hooks)
    seen = []
    for days in (89, 1, 1, 88, 1, 1):  # day 89, 90, 91, 179, 180, 181
        clock.advance(days=days)
        seen.append(run_once(bank.context, hooks)["reminders"])
    assert seen == [0, 1, 0, 0, 1, 0]
    someone = _relogin(client, someone)
    reminded = [
        n
        for n in api.items(client, "/v1/me/notifications", someone.headers)
        if n["kind"] == "consent.reminder"
    ]
    assert len(reminded) == 2 and reminded[0]["params"]["recipient"]


def test_a_paused_consent_is_not_reminded(client: TestClient, bank: Bank, clock: FakeClock) -> None:
    team = trust.staff(bank)
    recipient = trust.recipient(client, team)
    someone = trust.person(client)
    offer_id, _ = trust.open_offer(client, team, recipient, consent_duration_days=365)
    consent_id = trust.accept(client, someone, offer_id)
    client.post(f"/v1/me/consents/{consent_id}/pause", headers=someone.headers)
    clock.advance(days=91)
    assert run_once(bank.context, RecordingWebhooks())["reminders"] == 0


def test_only_records_inside_the_data_range_are_provided(
    client: TestClient, bank: Bank, clock: FakeClock
) -> None:
    team = trust.staff(bank)
    recipient = trust.recipient(client, team)
    someone = api.sign_up(client)
    for days_ago in (60, 10):
        observed = (clock.now() - timedelta(days=days_ago)).isoformat()
        added = client.post(
            "/v1/me/records",
            json={
                "category": "lifelog.activity",
                "data": {"days_ago": days_ago},
                "observed_at": observed,
            },
            headers=someone.headers,
        )
        assert added.status_code == 201, added.text
    offer_id, _ = trust.open_offer(client, team, recipient, data_range_days=30)
    trust.accept(client, someone, offer_id)
    run_once(bank.context, RecordingWebhooks())
    package = api.items(client, "/v1/deliveries", recipient.headers)[0]
    sealed = client.get(f"/v1/deliveries/{package['id']}", headers=recipient.headers).json()["jwe"]
    document = trust.unseal(client, recipient, sealed)
    assert [r["data"] for r in document["records"]] == [{"days_ago": 10}]


def test_a_package_can_be_downloaded_only_a_few_times(client: TestClient, bank: Bank) -> None:
    team = trust.staff(bank)
    recipient = trust.recipient(client, team)
    someone = trust.person(client)
    offer_id, _ = trust.open_offer(client, team, recipient)
    trust.accept(client, someone, offer_id)
    run_once(bank.context, RecordingWebhooks())
    package = api.items(client, "/v1/deliveries", recipient.headers)[0]
    cap = bank.context.limits.max_fetches_per_delivery
    for _ in range(cap):
        assert client.get(f"/v1/deliveries/{package['id']}", headers=recipient.headers).is_success
    capped = client.get(f"/v1/deliveries/{package['id']}", headers=recipient.headers)
    assert capped.status_code == 409 and capped.json()["code"] == "fetch_limit_reached"
    # Acknowledging still works, and the person's use count counted the package once.
    assert client.post(f"/v1/deliveries/{package['id']}/ack", headers=recipient.headers).is_success
    provisions = api.items(client, "/v1/me/provisions", someone.headers)
    assert provisions[0]["use_count"] == 1


def test_a_record_committed_late_still_reaches_a_periodic_consent(
    client: TestClient, bank: Bank, clock: FakeClock
) -> None:
    """A source's transaction stamps its record, then commits after the worker built the
    next package: the record is older than what that package carried, yet must arrive."""
    team = trust.staff(bank)
    recipient = trust.recipient(client, team)
    someone = trust.person(client)
    offer_id, _ = trust.open_offer(
        client, team, recipient, fetch={"mode": "periodic", "every_days": 7}
    )
    trust.accept(client, someone, offer_id)
    began = clock.now()
    clock.advance(minutes=5)
    newer = client.post(
        "/v1/me/records",
        json={"category": "lifelog.activity", "data": {"steps": 2}},
        headers=someone.headers,
    )
    assert newer.status_code == 201
    assert run_once(bank.context, RecordingWebhooks())["built"] == 1  # carries both records so far
    clock.at = began + timedelta(minutes=1)  # the late writer's stamp, before "newer"
    late = client.post(
        "/v1/me/records",
        json={"category": "lifelog.activity", "data": {"steps": 1}},
        headers=someone.headers,
    )
    assert late.status_code == 201
    clock.at = began + timedelta(days=7, minutes=5)
    assert run_once(bank.context, RecordingWebhooks())["built"] == 1
    headers = trust.fresh(client, recipient)
    packages = api.items(client, "/v1/deliveries", headers)
    carried = []
    for package in sorted(packages, key=lambda p: p["sequence"]):
        sealed = client.get(f"/v1/deliveries/{package['id']}", headers=headers).json()["jwe"]
        carried.append([r["id"] for r in trust.unseal(client, recipient, sealed)["records"]])
    assert carried[1] == [late.json()["id"]]  # the late one, and only it
    assert late.json()["id"] not in carried[0] and newer.json()["id"] in carried[0]
