"""The example recipient client against a real server: token, key, offer, delivery, ack; run
again, it keeps its key and its offer; a package it cannot open is reported, not crashed on."""

from __future__ import annotations

import importlib.util
import json
import os
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
import uvicorn
from fastapi.testclient import TestClient
from joserfc import jwe, jws
from joserfc.jwk import ECKey, KeySet, OKPKey

from infobank.bootstrap import Bank
from infobank.entrypoints.api.app import create_app
from infobank.mynaportal_sim.server import free_port
from infobank.services.worker import run_once
from tests.fakes import OfflineWebhooks
from tests.support import api, trust

CLIENT = Path(__file__).resolve().parents[2] / "examples" / "recipient_client.py"
KEY_FILE = "recipient-key.json"  # where the example keeps its key unless told otherwise


@pytest.fixture
def server(bank: Bank) -> Iterator[str]:
    """The bank served over HTTP on a free port, as the example reaches it."""
    port = free_port()
    served = uvicorn.Server(
        uvicorn.Config(create_app(bank=bank), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=served.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not served.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        served.should_exit = True
        thread.join(timeout=10)


def _example(url: str, recipient: api.Party, cwd: Path, *args: str) -> subprocess.Popen[str]:
    """The example as the README runs it: credentials in the environment, no ``--key``."""
    env = {
        **{k: v for k, v in os.environ.items() if k != "RECIPIENT_KEY"},
        "INFOBANK_URL": url,
        "CLIENT_ID": recipient.client_id,
        "CLIENT_SECRET": recipient.client_secret,
    }
    return subprocess.Popen(
        [sys.executable, str(CLIENT), *args],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    try:
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    return process.returncode, out, err


def _certified_recipient(client: TestClient, team: trust.Staff) -> api.Party:
    recipient = api.business(client, team.operator, "recipient")
    trust.certify(client, team.operator, recipient.id)
    return recipient


def _open_reviewed(client: TestClient, team: trust.Staff, recipient: api.Party) -> str:
    """The example's one offer, reviewed by the ethics board and opened by the operator."""
    queue = api.items(client, "/v1/admin/reviews", team.ethics.headers)
    offer_id = next(o["id"] for o in queue if o["recipient_id"] == recipient.id)
    trust.approve(client, team, offer_id)
    opened = client.post(f"/v1/admin/offers/{offer_id}/open", headers=team.operator.headers)
    assert opened.status_code == 200, opened.text
    return str(offer_id)


def _own_offers(client: TestClient, recipient: api.Party) -> list[str]:
    headers = trust.token(client, recipient.client_id, recipient.client_secret)
    return [o["id"] for o in api.items(client, "/v1/offers", headers)]


def test_a_second_run_opens_the_package_built_for_the_first_runs_key_and_offers_nothing_twice(
    bank: Bank, client: TestClient, server: str, tmp_path: Path
) -> None:
    team = trust.staff(bank)
    recipient = _certified_recipient(client, team)
    person = trust.person(client)

    code, out, err = _finish(_example(server, recipient, tmp_path, "--wait", "0"))
    assert code == 0, err
    assert "submitted offer" in out and "no delivery arrived" in out, out
    kept = tmp_path / KEY_FILE
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    first_key = kept.read_text()

    offer_id = _open_reviewed(client, team, recipient)
    trust.accept(client, person, offer_id)
    assert run_once(bank.context, OfflineWebhooks())["built"] == 1  # sealed to that key

    code, out, err = _finish(_example(server, recipient, tmp_path, "--wait", "10"))
    assert code == 0, err
    assert f"offer {offer_id} is already open; not submitting it again" in out, out
    assert "verified 1 record(s), acknowledged" in out, out
    assert kept.read_text() == first_key
    assert _own_offers(client, recipient) == [offer_id]
    assert api.items(client, "/v1/admin/reviews", team.ethics.headers) == []


def test_a_package_sealed_to_another_key_is_reported_and_the_others_still_acknowledged(
    bank: Bank, client: TestClient, server: str, tmp_path: Path
) -> None:
    team = trust.staff(bank)
    recipient = _certified_recipient(client, team)
    early, late = trust.person(client), trust.person(client)
    code, _, err = _finish(_example(server, recipient, tmp_path, "--wait", "0"))
    assert code == 0, err
    offer_id = _open_reviewed(client, team, recipient)
    trust.accept(client, early, offer_id)
    assert run_once(bank.context, OfflineWebhooks())["built"] == 1  # sealed to the kept key
    # Someone else registers another key for this recipient; the next package is sealed to it.
    headers = trust.token(client, recipient.client_id, recipient.client_secret)
    trust.register_key(client, headers)
    trust.accept(client, late, offer_id)
    assert run_once(bank.context, OfflineWebhooks())["built"] == 1

    code, out, err = _finish(_example(server, recipient, tmp_path, "--wait", "5"))

    assert code == 1, (out, err)
    assert "Traceback" not in err, err
    assert "verified 1 record(s), acknowledged" in out, out
    assert "cannot open it: it is sealed to key" in err, err
    assert f"this client's key {json.loads((tmp_path / KEY_FILE).read_text())['kid']}" in err
    assert "not acknowledged" in err and "1 package(s) left unacknowledged" in err, err
    statuses = sorted(d["status"] for d in api.items(client, "/v1/deliveries", headers))
    assert statuses == ["acknowledged", "fetched"]


def test_a_key_file_that_holds_no_key_stops_the_run_with_a_message(
    bank: Bank, client: TestClient, server: str, tmp_path: Path
) -> None:
    recipient = _certified_recipient(client, trust.staff(bank))
    (tmp_path / KEY_FILE).write_text("not a key")

    code, out, err = _finish(_example(server, recipient, tmp_path, "--wait", "0"))

    assert code == 2, (out, err)
    assert "Traceback" not in err, err
    assert f"{KEY_FILE} does not hold a private EC key" in err, err
    assert (tmp_path / KEY_FILE).read_text() == "not a key"
    assert _own_offers(client, recipient) == []

    code, out, err = _finish(
        _example(server, recipient, tmp_path, "--wait", "0", "--key", "missing/key.json")
    )

    assert code == 2, (out, err)
    assert "Traceback" not in err, err
    assert "cannot make the key file missing/key.json" in err, err


def _load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("recipient_client", CLIENT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _sealed(document: bytes, signer: OKPKey, to: ECKey) -> str:
    signed = jws.serialize_compact({"alg": "Ed25519"}, document, signer, algorithms=["Ed25519"])
    return jwe.encrypt_compact(
        {"alg": "ECDH-ES+A256KW", "enc": "A256GCM"},
        signed.encode(),
        to,
        algorithms=["ECDH-ES+A256KW", "A256GCM"],
    )


@pytest.mark.parametrize("trouble", ["signed by another key", "too large", "not a package"])
def test_a_package_it_cannot_trust_is_an_unopenable_with_a_reason(
    trouble: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    example = _load_example()
    ours = ECKey.generate_key("P-256", private=True)
    bank = OKPKey.generate_key("Ed25519", private=True)
    jwks = KeySet([bank])
    good = _sealed(b'{"records": []}', bank, ours)
    assert example.open_package(good, ours, jwks) == {"records": []}
    sealed = {
        "signed by another key": _sealed(
            b'{"records": []}', OKPKey.generate_key("Ed25519", private=True), ours
        ),
        "too large": good,
        "not a package": "a.b.c",
    }[trouble]
    if trouble == "too large":
        monkeypatch.setattr(example, "MAX_PACKAGE", 64)

    with pytest.raises(example.Unopenable) as refused:
        example.open_package(sealed, ours, jwks)

    reason = str(refused.value)
    expected = {
        "signed by another key": "signature does not verify",
        "too large": "larger than the 64 bytes",
        "not a package": "does not decrypt with key",
    }[trouble]
    assert expected in reason, reason
