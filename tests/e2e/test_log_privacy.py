"""No leaf of the transparency log holds personal data in the clear (SPEC §9): over a demo
population taken round the whole trust loop, no leaf contains an email, a name, a birth date,
a person's id or a record payload — persons appear only as their keyed pseudonym."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

from infobank.bootstrap import Bank
from infobank.services.demo import DEMO_PASSWORD, seed_demo
from infobank.services.worker import run_once
from tests.fakes import OfflineWebhooks
from tests.support import api, trust

PEOPLE = 12


def _persons(client: TestClient) -> list[tuple[api.Party, dict[str, Any], list[Any]]]:
    """Every demo person: logged in, with their profile and their records."""
    found = []
    for i in range(PEOPLE):
        email = f"person{i:03d}@demo.infobank.example"
        got = client.post("/v1/auth/login", json={"email": email, "password": DEMO_PASSWORD})
        assert got.status_code == 200, got.text
        headers = api.bearer(got.json()["access_token"])
        me = client.get("/v1/me", headers=headers).json()
        records = api.items(client, "/v1/me/records", headers)
        found.append((api.Party(me["id"], headers, email=email), me, records))
    return found


def _fragments(data: object) -> list[str]:
    """How a record's payload could show up in JSON text: the whole, and each field."""
    shown = [json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))]
    if isinstance(data, dict):
        for key, value in data.items():
            shown.append(f'"{key}":{json.dumps(value, ensure_ascii=False, separators=(",", ":"))}')
            if isinstance(value, str):
                shown.append(value)
            if isinstance(value, list):
                shown.extend(str(v) for v in value if isinstance(v, str))
    return shown


def test_no_leaf_holds_personal_data_after_the_trust_loop(client: TestClient, bank: Bank) -> None:
    logins = seed_demo(bank.context, people=PEOPLE)
    insurer = next(b for b in logins.businesses if b["name"] == "みらい保険")
    recipient = trust.token(client, insurer["client_id"], insurer["client_secret"])
    trust.register_key(client, recipient)
    persons = _persons(client)
    rules = {"rules": [{"categories": ["lifelog.activity"], "max_retention_days": 365}]}
    for person, _, _ in persons[:4]:  # these let the bank consent for them
        assert (
            client.put("/v1/me/delegation", json=rules, headers=person.headers).status_code == 200
        )
    offer_id, _ = trust.open_offer(
        client,
        trust.staff(bank),
        trust.Party(insurer["id"], recipient),
        target={},
        capacity=1000,
    )
    for person, _, _ in persons[4:]:
        accepted = client.post(f"/v1/me/offers/{offer_id}/accept", headers=person.headers)
        assert accepted.status_code == 201, accepted.text

    # Provide, fetch and acknowledge; some stop before their package is fetched, some after.
    run_once(bank.context, OfflineWebhooks())
    deliveries = api.items(client, "/v1/deliveries", recipient)
    assert len(deliveries) == PEOPLE
    for person, _, _ in (persons[1], persons[5]):
        assert client.post("/v1/me/stop-all", headers=person.headers).status_code == 200
    paused = persons[10][0]  # a fetch while paused is refused, and that is logged too
    consent = api.items(client, "/v1/me/consents", paused.headers)[0]["id"]
    pause = client.post(f"/v1/me/consents/{consent}/pause", headers=paused.headers)
    assert pause.status_code == 200, pause.text
    for delivery in deliveries:
        fetched = client.get(f"/v1/deliveries/{delivery['id']}", headers=recipient)
        if fetched.status_code == 200:
            client.post(f"/v1/deliveries/{delivery['id']}/ack", headers=recipient)
    for person, _, _ in persons[6:9]:
        assert client.post("/v1/me/stop-all", headers=person.headers).status_code == 200
    for revocation in api.items(client, "/v1/revocations", recipient):
        acked = client.post(
            f"/v1/revocations/{revocation['id']}/ack",
            json={"method": "deleted"},
            headers=recipient,
        )
        assert acked.status_code == 200, acked.text

    size = client.get("/v1/log/head").json()["tree_size"]
    leaves = [
        entry["leaf"]
        for start in range(0, size, 1000)
        for entry in client.get("/v1/log/entries", params={"start": start, "end": size}).json()
    ]
    assert len(leaves) == size
    events = {json.loads(leaf)["event"] for leaf in leaves}
    assert {
        "consent.granted",
        "consent.revoked",
        "delivery.built",
        "delivery.fetched",
        "delivery.acknowledged",
        "delivery.refused",
        "revocation.acknowledged",
    } <= events

    text = "\n".join(leaves)
    for person, me, records in persons:
        birth = me["birth_date"]
        forbidden = [
            me["email"],
            me["email"].split("@")[0],
            me["display_name"],
            *me["display_name"].split(),
            birth,
            birth.replace("-", ""),
            person.id,
        ]
        for record in records:
            forbidden.extend(_fragments(record["data"]))
        for value in forbidden:
            assert value not in text, f"{value!r} of {me['email']} is in the log"
        # The person is in the log, under the pseudonym they are shown.
        assert f'"person":"{me["log_pseudonym"]}"' in text
