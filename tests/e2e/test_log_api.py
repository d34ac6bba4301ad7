"""The transparency log's public API (SPEC §7): heads, entries and proofs that an independent
RFC 9162 verifier accepts, clean 4xx answers to bad requests, heads on demand and on a
schedule, and a person's receipt that leads to their leaf and a proof against a signed head."""

from __future__ import annotations

import base64
import hashlib
import json
import random
from typing import Any

import pytest
from fastapi.testclient import TestClient
from joserfc import jws
from joserfc.jwk import KeySet

from infobank.bootstrap import Bank
from infobank.domain.merkle import canonical_json
from infobank.services.worker import run_once
from tests.fakes import FakeClock, OfflineWebhooks
from tests.support import api, log, trust
from tests.support import rfc9162 as ref

SQLITE_ONLY = pytest.mark.parametrize("bank", ["sqlite"], indirect=True)


def b64(text: str) -> bytes:
    return base64.b64decode(text, validate=True)


def signed_head(client: TestClient, keys: KeySet | None = None) -> dict[str, Any]:
    """GET /v1/log/head, with its signature and payload checked against the JWKS."""
    got = client.get("/v1/log/head")
    assert got.status_code == 200, got.text
    head = got.json()
    keys = keys or KeySet.import_key_set(client.get("/.well-known/jwks.json").json())
    payload = jws.deserialize_compact(head["signature"], keys, algorithms=["Ed25519"]).payload
    claims = {k: head[k] for k in ("root_hash", "timestamp", "tree_size")}
    assert payload == canonical_json(claims)
    return dict(head)


def inclusion(client: TestClient, index: int, size: int) -> list[bytes]:
    got = client.get("/v1/log/proof", params={"index": index, "tree_size": size})
    assert got.status_code == 200, got.text
    assert (got.json()["index"], got.json()["tree_size"]) == (index, size)
    return [b64(h) for h in got.json()["audit_path"]]


def consistency(client: TestClient, first: int, second: int) -> list[bytes]:
    got = client.get("/v1/log/consistency", params={"first": first, "second": second})
    assert got.status_code == 200, got.text
    assert (got.json()["first"], got.json()["second"]) == (first, second)
    return [b64(h) for h in got.json()["proof"]]


def test_proofs_verify_with_the_rfc_verifier_for_every_size_up_to_64(
    client: TestClient, bank: Bank
) -> None:
    rng = random.Random(64)
    keys = KeySet.import_key_set(client.get("/.well-known/jwks.json").json())
    for size in range(1, 65):
        leaves = log.append(bank, 1)
        head = signed_head(client, keys)
        root = ref.mth(leaves)
        assert head["tree_size"] == size and b64(head["root_hash"]) == root
        for index in range(size) if size <= 6 else (rng.randrange(size - 1), size - 1):
            path = inclusion(client, index, size)
            assert path == ref.path(index, leaves)
            assert ref.verify_inclusion(ref.hash_leaf(leaves[index]), index, size, path, root)
        for first in (rng.randint(1, size),):
            proof = consistency(client, first, size)
            assert proof == ref.proof(first, leaves)
            first_root = ref.mth(leaves[:first])
            assert ref.verify_consistency(first, size, first_root, root, proof)
    # Every size had its head; the list serves them in order.
    listed = client.get("/v1/log/heads").json()
    assert [h["tree_size"] for h in listed] == list(range(1, 65))


def test_proofs_verify_for_random_larger_trees(client: TestClient, bank: Bank) -> None:
    leaves = log.append(bank, 700)
    rng = random.Random(9162)
    for _ in range(12):
        size = rng.randint(65, 700)
        index = rng.randrange(size)
        root = ref.mth(leaves[:size])
        path = inclusion(client, index, size)
        assert ref.verify_inclusion(ref.hash_leaf(leaves[index]), index, size, path, root)
        assert not ref.verify_inclusion(ref.hash_leaf(b"other"), index, size, path, root)
        first = rng.randint(1, size)
        proof = consistency(client, first, size)
        assert ref.verify_consistency(first, size, ref.mth(leaves[:first]), root, proof)
    head = signed_head(client)
    assert head["tree_size"] == 700 and b64(head["root_hash"]) == ref.mth(leaves)


def test_an_entry_is_the_exact_string_hashed(client: TestClient, bank: Bank) -> None:
    leaves = log.append(bank, 5)
    entry = client.get("/v1/log/entries/3").json()
    assert entry["index"] == 3
    assert entry["leaf"].encode() == leaves[3]
    assert b64(entry["leaf_hash"]) == hashlib.sha256(b"\x00" + leaves[3]).digest()
    page = client.get("/v1/log/entries", params={"start": 1, "end": 99}).json()
    assert [e["index"] for e in page] == [1, 2, 3, 4]
    assert page[2] == entry


@SQLITE_ONLY
def test_an_empty_log_has_a_signed_head_over_the_empty_tree(client: TestClient) -> None:
    head = signed_head(client)
    assert head["tree_size"] == 0
    assert b64(head["root_hash"]) == hashlib.sha256(b"").digest()
    assert head["timestamp"] == "2026-11-26T09:00:00Z"


BAD_REQUESTS = [
    ("/v1/log/entries/5", 404, "log_entry_not_found"),
    ("/v1/log/entries/-1", 422, "validation_error"),
    ("/v1/log/entries/x", 422, "validation_error"),
    ("/v1/log/entries/99999999999999999999999999", 422, "validation_error"),
    ("/v1/log/entries?start=3&end=3", 422, "log_range_invalid"),
    ("/v1/log/entries?start=0", 422, "validation_error"),
    ("/v1/log/proof?index=0", 422, "validation_error"),
    ("/v1/log/proof?index=0&tree_size=0", 422, "validation_error"),
    ("/v1/log/proof?index=0&tree_size=6", 422, "tree_size_invalid"),
    ("/v1/log/proof?index=3&tree_size=3", 422, "log_index_invalid"),
    ("/v1/log/proof?index=-1&tree_size=3", 422, "validation_error"),
    ("/v1/log/proof?index=1.5&tree_size=3", 422, "validation_error"),
    ("/v1/log/consistency?first=0&second=3", 422, "validation_error"),
    ("/v1/log/consistency?first=4&second=3", 422, "tree_size_invalid"),
    ("/v1/log/consistency?first=1&second=9", 422, "tree_size_invalid"),
    ("/v1/log/consistency?first=1&second=99999999999999999999", 422, "validation_error"),
    ("/v1/log/heads?limit=0", 422, "validation_error"),
]


@SQLITE_ONLY
def test_bad_requests_get_problem_json_never_a_500(client: TestClient, bank: Bank) -> None:
    log.append(bank, 5)
    for url, status, code in BAD_REQUESTS:
        got = client.get(url)
        assert (got.status_code, got.json().get("code")) == (status, code), url
        assert got.headers["content-type"].startswith("application/problem+json"), url


def test_an_operator_signs_a_head_on_demand_and_nobody_else_can(
    client: TestClient, bank: Bank
) -> None:
    log.append(bank, 3)
    assert client.post("/v1/admin/log/heads").status_code == 401
    recipient = api.business(client, api.staff(bank), "recipient")
    assert client.post("/v1/admin/log/heads", headers=recipient.headers).status_code == 403
    operator = api.staff(bank)
    made = client.post("/v1/admin/log/heads", headers=operator.headers)
    assert made.status_code == 200 and made.json()["tree_size"] == 3
    # No growth, no new head: the same one comes back.
    assert client.post("/v1/admin/log/heads", headers=operator.headers).json() == made.json()
    assert client.get("/v1/log/head").json() == made.json()


@SQLITE_ONLY
def test_the_worker_signs_a_head_when_the_log_grew_and_the_last_is_old_enough(
    client: TestClient, bank: Bank, clock: FakeClock
) -> None:
    def sizes() -> list[int]:
        return [h["tree_size"] for h in client.get("/v1/log/heads").json()]

    assert run_once(bank.context, OfflineWebhooks())["heads"] == 0  # nothing to sign yet
    log.append(bank, 2)
    assert run_once(bank.context, OfflineWebhooks())["heads"] == 1
    log.append(bank, 2)
    clock.advance(seconds=bank.settings.log_head_interval_s - 1)
    assert run_once(bank.context, OfflineWebhooks())["heads"] == 0
    clock.advance(seconds=1)
    assert run_once(bank.context, OfflineWebhooks())["heads"] == 1
    assert run_once(bank.context, OfflineWebhooks())["heads"] == 0  # no growth since
    assert sizes() == [2, 4]


def test_a_receipt_leads_to_the_persons_leaf_with_a_proof_against_a_signed_head(
    client: TestClient, bank: Bank
) -> None:
    team = trust.staff(bank)
    recipient = trust.recipient(client, team)
    person = api.sign_up(client)
    added = client.post(
        "/v1/me/records",
        json={"category": "lifelog.activity", "data": {"steps": 9001}},
        headers=person.headers,
    )
    assert added.status_code == 201, added.text
    offer_id, _ = trust.open_offer(client, team, recipient, target={})
    accepted = client.post(f"/v1/me/offers/{offer_id}/accept", headers=person.headers)
    assert accepted.status_code == 201, accepted.text
    consent_id = accepted.json()["id"]

    pseudonym = client.get("/v1/me", headers=person.headers).json()["log_pseudonym"]
    assert pseudonym and person.id not in pseudonym
    detail = client.get(f"/v1/me/consents/{consent_id}", headers=person.headers).json()
    index = detail["receipt"]["log_index"]
    assert detail["history"][0]["log_index"] == index

    head = signed_head(client)
    entry = client.get(f"/v1/log/entries/{index}").json()
    leaf = json.loads(entry["leaf"])
    assert leaf["event"] == "consent.granted"
    assert (leaf["person"], leaf["consent"]) == (pseudonym, consent_id)
    hashed = hashlib.sha256(b"\x00" + entry["leaf"].encode()).digest()
    path = inclusion(client, index, head["tree_size"])
    assert ref.verify_inclusion(hashed, index, head["tree_size"], path, b64(head["root_hash"]))

    # Each delivery in the provisions carries its index too, to a leaf naming the person.
    run_once(bank.context, OfflineWebhooks())
    provision = api.items(client, "/v1/me/provisions", person.headers)[0]
    delivery = provision["deliveries"][0]
    built = json.loads(client.get(f"/v1/log/entries/{delivery['log_index']}").json()["leaf"])
    assert built["event"] == "delivery.built"
    assert (built["person"], built["consent"], built["delivery"]) == (
        pseudonym,
        consent_id,
        delivery["id"],
    )
    later = signed_head(client)
    path = inclusion(client, delivery["log_index"], later["tree_size"])
    built_hash = hashlib.sha256(
        b"\x00" + client.get(f"/v1/log/entries/{delivery['log_index']}").json()["leaf"].encode()
    ).digest()
    assert ref.verify_inclusion(
        built_hash, delivery["log_index"], later["tree_size"], path, b64(later["root_hash"])
    )
    # The earlier head is a prefix of the later one.
    proof = consistency(client, head["tree_size"], later["tree_size"])
    assert ref.verify_consistency(
        head["tree_size"],
        later["tree_size"],
        b64(head["root_hash"]),
        b64(later["root_hash"]),
        proof,
    )
