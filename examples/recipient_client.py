"""A minimal recipient (提供先) integration with an information bank, using httpx and joserfc.

Steps, in the order a recipient's system takes them:

1. Token: POST /oauth/token with the client credentials (grant_type=client_credentials) the
   operator issued; send the access token as ``Authorization: Bearer …`` on every call.
2. Key: generate an EC P-256 key pair (or load one with ``--key``; a missing file is created)
   and PUT its *public* half to /v1/recipient/keys. Packages are encrypted to it; the private
   half never leaves you.
3. Offer: POST /v1/offers (a draft) and POST /v1/offers/{id}/submit. The bank checks the
   guideline, its ethics board reviews the offer, an operator opens it, persons consent.
4. Deliveries: poll GET /v1/deliveries?status=ready. GET /v1/deliveries/{id} returns
   ``{"jwe": …}``: decrypt it with your private key (ECDH-ES+A256KW, A256GCM); inside is the
   bank's JWS, verified against /.well-known/jwks.json (Ed25519). Only then trust the records,
   and POST /v1/deliveries/{id}/ack to confirm receipt.
5. Revocations: GET /v1/revocations lists persons who stopped a provision. Delete their data,
   then POST /v1/revocations/{id}/ack with {"method": "deleted"}.

    INFOBANK_URL=… CLIENT_ID=… CLIENT_SECRET=… python examples/recipient_client.py [--wait 30]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from joserfc import jwe, jws
from joserfc.jwk import ECKey, KeySet

MAX_PACKAGE = 64 * 1024 * 1024  # bytes of ciphertext / signed payload accepted

OFFER = {
    "title": "歩数に応じた保険料割引",
    "purpose": {"code": "insurance.product_design", "text": "歩数データから保険商品を設計する"},
    "categories": ["lifelog.activity"],
    "benefit": {"points": 300},
    "retention_days": 180,
    "consent_duration_days": 180,
    "fetch": {"mode": "one_time"},
    "profiling": False,
    "reprovision": {"allowed": False},
    "target": {"age_min": 20, "age_max": 70},
    "capacity": 100,
}


def load_key(path: str | None) -> ECKey:
    if path and Path(path).exists():
        return ECKey.import_key(json.loads(Path(path).read_text()))
    key = ECKey.generate_key("P-256", private=True, auto_kid=True)
    if path:
        Path(path).write_text(json.dumps(key.as_dict(private=True)))
    return key


def every(http: httpx.Client, path: str, params: dict[str, str] | None = None) -> list[Any]:
    """Every item of a list: pages of ``{items, next_cursor}``, followed to the end."""
    found: list[Any] = []
    query: dict[str, str] = {**(params or {}), "limit": "200"}
    while True:
        page = http.get(path, params=query)
        page.raise_for_status()
        body = page.json()
        found.extend(body["items"])
        if not body["next_cursor"]:
            return found
        query["cursor"] = body["next_cursor"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Infobank recipient client example")
    parser.add_argument("--url", default=os.environ.get("INFOBANK_URL", "http://127.0.0.1:8000"))
    parser.add_argument("--client-id", default=os.environ.get("CLIENT_ID"))
    parser.add_argument("--client-secret", default=os.environ.get("CLIENT_SECRET"))
    parser.add_argument("--key", help="JSON file holding the private EC P-256 key (JWK)")
    parser.add_argument("--wait", type=float, default=30, help="seconds to poll for deliveries")
    args = parser.parse_args(argv)
    if not args.client_id or not args.client_secret:
        parser.error("CLIENT_ID and CLIENT_SECRET are required")

    with httpx.Client(base_url=args.url, timeout=10) as http:
        # 1. Token
        token = http.post(
            "/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": args.client_id,
                "client_secret": args.client_secret,
            },
        )
        token.raise_for_status()
        http.headers["Authorization"] = f"Bearer {token.json()['access_token']}"

        # 2. Key
        key = load_key(args.key)
        http.put("/v1/recipient/keys", json={"jwk": key.as_dict(private=False)}).raise_for_status()
        print(f"registered key {key.kid}")

        # 3. Offer
        created = http.post("/v1/offers", json=OFFER)
        created.raise_for_status()
        offer_id = created.json()["id"]
        http.post(f"/v1/offers/{offer_id}/submit").raise_for_status()
        print(f"submitted offer {offer_id} for review")

        # 4. Deliveries
        jwks = KeySet.import_key_set(http.get("/.well-known/jwks.json").json())
        # Packages can be far larger than joserfc's 64 KiB defaults (health data as FHIR).
        unseal = jwe.JWERegistry(algorithms=["ECDH-ES+A256KW", "A256GCM"])
        unseal.max_ciphertext_length = MAX_PACKAGE
        verify = jws.JWSRegistry(algorithms=["Ed25519"])
        verify.max_payload_length = MAX_PACKAGE
        deadline = time.monotonic() + args.wait
        handled = 0
        while True:
            for item in every(http, "/v1/deliveries", {"status": "ready"}):
                sealed = http.get(f"/v1/deliveries/{item['id']}")
                sealed.raise_for_status()
                inner = jwe.decrypt_compact(sealed.json()["jwe"], key, registry=unseal).plaintext
                assert inner is not None
                signed = jws.deserialize_compact(inner, jwks, registry=verify)
                document = json.loads(signed.payload)
                http.post(f"/v1/deliveries/{item['id']}/ack").raise_for_status()
                handled += 1
                count = len(document["records"])
                print(f"delivery {item['id']}: verified {count} record(s), acknowledged")
            if handled or time.monotonic() >= deadline:
                break
            time.sleep(1)
        if not handled:
            print(f"no delivery arrived within {args.wait:g} s")

        # 5. Revocations
        for revocation in every(http, "/v1/revocations"):
            if revocation["acknowledged_at"] is None:
                acked = http.post(
                    f"/v1/revocations/{revocation['id']}/ack", json={"method": "deleted"}
                )
                acked.raise_for_status()
                print(f"revocation {revocation['id']}: data deleted, acknowledged")
    print("done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
