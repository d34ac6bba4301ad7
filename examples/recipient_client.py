"""A minimal recipient (提供先) integration with an information bank, using httpx and joserfc.

Steps, in the order a recipient's system takes them:

1. Token: POST /oauth/token with the client credentials (grant_type=client_credentials) the
   operator issued; send the access token as ``Authorization: Bearer …`` on every call.
2. Key: an EC P-256 key pair kept in a file (``--key``, else $RECIPIENT_KEY, else
   ``recipient-key.json`` here), made on the first run with mode 0600 and reused on every
   run after, because packages are sealed to the key registered when they were built. PUT its
   *public* half to /v1/recipient/keys; the private half never leaves you.
3. Offer: reuse this client's offer with the same title if it is a draft, under review,
   approved or open (GET /v1/offers); otherwise POST /v1/offers and submit it with
   POST /v1/offers/{id}/submit. The bank checks the guideline, its ethics board reviews the
   offer, an operator opens it, persons consent.
4. Deliveries: poll GET /v1/deliveries?status=ready. GET /v1/deliveries/{id} returns
   ``{"jwe": …}``: decrypt it with your private key (ECDH-ES+A256KW, A256GCM); inside is the
   bank's JWS, verified against /.well-known/jwks.json (Ed25519). Only then trust the records,
   and POST /v1/deliveries/{id}/ack to confirm receipt. A package that cannot be opened is
   reported and left unacknowledged; the others go on.
5. Revocations: GET /v1/revocations lists persons who stopped a provision. Delete their data,
   then POST /v1/revocations/{id}/ack with {"method": "deleted"}.

    INFOBANK_URL=… CLIENT_ID=… CLIENT_SECRET=… python examples/recipient_client.py [--wait 30]

Exit status: 0 done, 1 some package was left unacknowledged (reported on stderr), 2 the bank
or the key file refused a step the run needs.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import stat
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
from joserfc import jwe, jws
from joserfc.errors import BadSignatureError, ExceededSizeError, JoseError
from joserfc.jwk import ECKey, KeySet

MAX_PACKAGE = 64 * 1024 * 1024  # bytes of ciphertext / signed payload accepted
KEY_FILE = "recipient-key.json"
REUSABLE = ("draft", "under_review", "approved", "open")  # such an offer is not made again

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


class Refused(Exception):
    """The run cannot go on (the bank refused a step, or the key file is unusable)."""


class Unopenable(Exception):
    """One package cannot be opened or trusted; the run goes on with the others."""


def load_key(path: Path) -> tuple[ECKey, bool]:
    """The private key kept in ``path``, made there (0600) if the file does not exist yet;
    True when it was made now."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            print(f"warning: {path} is readable by others; chmod 600 it", file=sys.stderr)
        try:
            return ECKey.import_key(json.loads(path.read_text())), False
        except (OSError, ValueError, JoseError) as exc:
            raise Refused(
                f"{path} does not hold a private EC key ({exc}); restore it, or delete it to "
                "make a new one (packages sealed to the old key can then not be opened)"
            ) from None
    except OSError as exc:
        raise Refused(f"cannot make the key file {path} ({exc.strerror})") from None
    key = ECKey.generate_key("P-256", private=True, auto_kid=True)
    with os.fdopen(fd, "w") as out:
        json.dump(key.as_dict(private=True), out)
    return key, True


def read_all(http: httpx.Client, path: str, **params: Any) -> Iterator[dict[str, Any]]:
    """Every item of a list, whether the bank answers with a plain JSON array or in pages
    ``{"items": [...], "next_cursor": …}`` (followed until ``next_cursor`` is null)."""
    cursor = None
    while True:
        page = call(http, "GET", path, params={**params, **({"cursor": cursor} if cursor else {})})
        if isinstance(page, list):
            yield from page
            return
        yield from page["items"]
        cursor = page.get("next_cursor")
        if not cursor:
            return


def call(http: httpx.Client, method: str, path: str, **kwargs: Any) -> Any:
    answer = http.request(method, path, **kwargs)
    if answer.is_error:
        try:
            problem = answer.json()
            detail = f"{problem.get('code', '')}: {problem.get('detail', '')}"
        except ValueError:
            detail = answer.text[:200]
        raise Refused(f"{method} {path} answered {answer.status_code} ({detail})")
    return answer.json() if answer.content else None


def ensure_offer(http: httpx.Client) -> str:
    """This client's offer: the one already made (submitted again only if still a draft), or
    a new one submitted for review."""
    for offer in read_all(http, "/v1/offers"):
        if offer["title"] == OFFER["title"] and offer["status"] in REUSABLE:
            if offer["status"] == "draft":
                call(http, "POST", f"/v1/offers/{offer['id']}/submit")
                print(f"submitted offer {offer['id']} (an earlier draft) for review")
            else:
                print(f"offer {offer['id']} is already {offer['status']}; not submitting it again")
            return str(offer["id"])
    offer_id = str(call(http, "POST", "/v1/offers", json=OFFER)["id"])
    call(http, "POST", f"/v1/offers/{offer_id}/submit")
    print(f"submitted offer {offer_id} for review")
    return offer_id


def sealed_to(sealed: str) -> str | None:
    """The ``kid`` in a package's protected header: the key the bank sealed it to."""
    head = sealed.split(".", 1)[0]
    try:
        kid = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4))).get("kid")
    except (ValueError, AttributeError):
        return None
    return kid if isinstance(kid, str) else None


def open_package(sealed: str, key: ECKey, jwks: KeySet) -> dict[str, Any]:
    """Decrypt with our key, then verify the bank's signature; the document inside."""
    # Packages can be far larger than joserfc's 64 KiB defaults (health data as FHIR).
    unseal = jwe.JWERegistry(algorithms=["ECDH-ES+A256KW", "A256GCM"])
    unseal.max_ciphertext_length = MAX_PACKAGE
    verify = jws.JWSRegistry(algorithms=["Ed25519"])
    verify.max_payload_length = MAX_PACKAGE
    kid = sealed_to(sealed)
    if kid is not None and kid != key.kid:
        raise Unopenable(
            f"it is sealed to key {kid}, registered before this client's key {key.kid}; only "
            "that key's private half can open it"
        )
    try:
        inner = jwe.decrypt_compact(sealed, key, registry=unseal).plaintext
    except ExceededSizeError:
        raise Unopenable(f"it is larger than the {MAX_PACKAGE} bytes this client accepts") from None
    except (JoseError, ValueError) as exc:
        raise Unopenable(f"it does not decrypt with key {key.kid} ({exc})") from None
    try:
        signed = jws.deserialize_compact(inner or b"", jwks, registry=verify)
        document: dict[str, Any] = json.loads(signed.payload)
    except BadSignatureError:
        raise Unopenable("the bank's signature does not verify against its JWKS") from None
    except ExceededSizeError:
        raise Unopenable(f"it is larger than the {MAX_PACKAGE} bytes this client accepts") from None
    except (JoseError, ValueError) as exc:
        raise Unopenable(f"the signed document inside is malformed ({exc})") from None
    return document


def receive(http: httpx.Client, key: ECKey, wait: float) -> tuple[int, int]:
    """Poll for ready packages until one is handled or ``wait`` seconds pass; returns how many
    were opened and acknowledged, and how many were left unacknowledged."""
    jwks = KeySet.import_key_set(call(http, "GET", "/.well-known/jwks.json"))
    deadline = time.monotonic() + wait
    handled, skipped = 0, set()
    while True:
        for item in read_all(http, "/v1/deliveries", status="ready"):
            if item["id"] in skipped:
                continue
            path = f"/v1/deliveries/{item['id']}"
            try:
                document = open_package(call(http, "GET", path)["jwe"], key, jwks)
                call(http, "POST", f"{path}/ack")
            except (Refused, Unopenable) as exc:
                skipped.add(item["id"])
                why = "cannot open it" if isinstance(exc, Unopenable) else "the bank refused"
                print(f"delivery {item['id']}: {why}: {exc}; not acknowledged", file=sys.stderr)
                continue
            handled += 1
            count = len(document["records"])
            print(f"delivery {item['id']}: verified {count} record(s), acknowledged")
        if handled or time.monotonic() >= deadline:
            return handled, len(skipped)
        time.sleep(1)


def run(args: argparse.Namespace) -> int:
    with httpx.Client(base_url=args.url, timeout=10) as http:
        # 1. Token
        token = call(
            http,
            "POST",
            "/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": args.client_id,
                "client_secret": args.client_secret,
            },
        )
        http.headers["Authorization"] = f"Bearer {token['access_token']}"

        # 2. Key
        key, made = load_key(Path(args.key))
        call(http, "PUT", "/v1/recipient/keys", json={"jwk": key.as_dict(private=False)})
        print(f"registered key {key.kid} ({'new, saved to' if made else 'kept in'} {args.key})")

        # 3. Offer
        ensure_offer(http)

        # 4. Deliveries
        handled, unopened = receive(http, key, args.wait)
        if not handled and not unopened:
            print(f"no delivery arrived within {args.wait:g} s")

        # 5. Revocations
        for revocation in read_all(http, "/v1/revocations"):
            if revocation["acknowledged_at"] is None:
                path = f"/v1/revocations/{revocation['id']}/ack"
                call(http, "POST", path, json={"method": "deleted"})
                print(f"revocation {revocation['id']}: data deleted, acknowledged")
    if unopened:
        print(f"done; {unopened} package(s) left unacknowledged", file=sys.stderr)
        return 1
    print("done")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Infobank recipient client example")
    parser.add_argument("--url", default=os.environ.get("INFOBANK_URL", "http://127.0.0.1:8000"))
    parser.add_argument("--client-id", default=os.environ.get("CLIENT_ID"))
    parser.add_argument("--client-secret", default=os.environ.get("CLIENT_SECRET"))
    parser.add_argument(
        "--key",
        default=os.environ.get("RECIPIENT_KEY", KEY_FILE),
        help=f"file keeping the private EC P-256 key (JWK); made if missing (default {KEY_FILE})",
    )
    parser.add_argument("--wait", type=float, default=30, help="seconds to poll for deliveries")
    args = parser.parse_args(argv)
    if not args.client_id or not args.client_secret:
        parser.error("CLIENT_ID and CLIENT_SECRET are required")
    try:
        return run(args)
    except Refused as exc:
        print(f"error: {exc}", file=sys.stderr)
    except httpx.HTTPError as exc:
        print(f"error: cannot reach the bank at {args.url}: {exc}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
