"""The example recipient client against a real server: token, key, offer, delivery, ack."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import uvicorn
from fastapi.testclient import TestClient

from infobank.adapters.webhooks import HttpxWebhookSender
from infobank.bootstrap import Bank
from infobank.domain.identity import StaffRole
from infobank.entrypoints.api.app import create_app
from infobank.services.worker import run_once
from tests.support import api

CLIENT = Path(__file__).resolve().parents[2] / "examples" / "recipient_client.py"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_example_client_receives_verifies_and_acknowledges_a_delivery(
    bank: Bank, tmp_path: Path
) -> None:
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(bank=bank), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    process: subprocess.Popen[str] | None = None
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.05)
        with TestClient(create_app(bank=bank)) as client:
            operator = api.staff(bank)
            ethics = api.staff(bank, StaffRole.ETHICS)
            recipient = api.business(client, operator, "recipient")
            cert = client.post(
                f"/v1/admin/recipients/{recipient.id}/certifications",
                json={
                    "kind": "pmark",
                    "number": "P-1",
                    "valid_from": "2025-01-01",
                    "valid_until": "2027-12-31",
                },
                headers=operator.headers,
            )
            assert cert.status_code == 201, cert.text
            person = api.sign_up(client)
            added = client.post(
                "/v1/me/records",
                json={"category": "lifelog.activity", "data": {"steps": 9001}},
                headers=person.headers,
            )
            assert added.status_code == 201, added.text

            env = {
                **os.environ,
                "INFOBANK_URL": f"http://127.0.0.1:{port}",
                "CLIENT_ID": recipient.client_id,
                "CLIENT_SECRET": recipient.client_secret,
            }
            process = subprocess.Popen(
                [sys.executable, str(CLIENT), "--wait", "20", "--key", str(tmp_path / "key.json")],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )

            offer_id = None
            deadline = time.monotonic() + 20
            while offer_id is None:
                assert time.monotonic() < deadline, "offer never reached review"
                assert process.poll() is None, process.communicate()
                queue = api.items(client, "/v1/admin/reviews", ethics.headers)
                offer_id = next((o["id"] for o in queue if o["recipient_id"] == recipient.id), None)
                time.sleep(0.1)
            reviewed = client.post(
                f"/v1/admin/offers/{offer_id}/review",
                json={"decision": "approve", "minutes": "目的と便益が明確。承認。"},
                headers=ethics.headers,
            )
            assert reviewed.status_code == 200, reviewed.text
            opened = client.post(f"/v1/admin/offers/{offer_id}/open", headers=operator.headers)
            assert opened.status_code == 200, opened.text
            accepted = client.post(f"/v1/me/offers/{offer_id}/accept", headers=person.headers)
            assert accepted.status_code == 201, accepted.text
            sender = HttpxWebhookSender()
            try:
                assert run_once(bank.context, sender)["built"] == 1
            finally:
                sender.close()

        out, err = process.communicate(timeout=30)
        assert process.returncode == 0, err
        assert "verified 1 record(s), acknowledged" in out, out
        assert out.count("acknowledged") == 1, out
    finally:
        if process is not None and process.poll() is None:
            process.kill()
            process.communicate()
        server.should_exit = True
        thread.join(timeout=10)
