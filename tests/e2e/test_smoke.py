from __future__ import annotations

from fastapi.testclient import TestClient

from infobank.bootstrap import Bank
from tests.support import api


def test_person_entrusts_a_record_and_reads_it_back(client: TestClient) -> None:
    person = api.sign_up(client)
    created = client.post(
        "/v1/me/records",
        json={"category": "lifelog.activity", "data": {"steps": 8123}},
        headers=person.headers,
    )
    assert created.status_code == 201
    got = client.get(f"/v1/me/records/{created.json()['id']}", headers=person.headers)
    assert got.json()["data"] == {"steps": 8123}
    assert got.json()["acquired_via"] == "self"


def test_source_pushes_records_for_a_linked_person(client: TestClient, bank: Bank) -> None:
    operator = api.staff(bank)
    source = api.business(client, operator, "source")
    person = api.sign_up(client)
    ref = api.link(client, person, source)
    pushed = client.post(
        "/v1/source/records",
        json={
            "records": [{"person_ref": ref, "category": "purchase.history", "data": {"yen": 420}}]
        },
        headers=source.headers,
    )
    assert pushed.status_code == 201, pushed.text
    listed = api.items(client, "/v1/me/records", person.headers)
    assert [r["source_id"] for r in listed] == [source.id]
