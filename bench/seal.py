"""How fast a delivery is sealed, against the floor of the same work done with bare primitives.

    seal   JoseSealer.seal: validate the recipient key, Ed25519 JWS of the document, then an
           ECDH-ES+A256KW / A256GCM JWE of the compact JWS (joserfc)
    floor  what that format needs and nothing else, with ``cryptography`` directly:
             base64url of the payload and header (the JWS signing input)
             Ed25519 signature over it, base64url of the signature
             a random content key wrapped for the recipient: ephemeral key on the recipient's
               curve, ECDH, Concat KDF (SHA-256), AES-256 key wrap; the protected header
               with the ephemeral public key, base64url
             AES-256-GCM of the compact JWS (the protected header as AAD)
             base64url of the ciphertext, the wrapped key, the IV and the tag; joined

The floor's output is a valid delivery: before timing, ``JoseSealer.open`` decrypts it and
checks the signature. Both are timed on the same documents, a 1 MiB and a 2 KiB JSON document
shaped like health-checkup records, with ``time.perf_counter``: each measurement is the best of
``rounds`` timings (a timing seals ``batch`` documents: one at 1 MiB, 200 at 2 KiB), and each
figure is the median of ``runs`` such measurements, every one printed. ``seal_vs_floor_*`` is
floor time ÷ seal time: 1.0 would mean sealing costs no more than the primitives themselves.

    python -m bench.seal [--rounds N] [--runs N] [--curve P-256|X25519] [--json]
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import struct
import time
from collections.abc import Callable
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, x25519
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.concatkdf import ConcatKDFHash
from cryptography.hazmat.primitives.keywrap import aes_key_wrap
from joserfc.jwk import ECKey, OKPKey

from bench.harness import median, print_figures
from infobank.adapters.crypto.sealer import (
    CONTENT_ENCRYPTION,
    DELIVERY_TYP,
    KEY_MANAGEMENT,
    JoseSealer,
)
from infobank.adapters.crypto.signer import ALGORITHM, JoseSigner

__all__ = ["Floor", "document", "document_of", "seal_figures"]

MIB = 1024 * 1024
SIZES = {"1mib": (MIB, 1), "2kib": (2048, 200)}  # document bytes, documents per timing


def document_of(size: int) -> bytes:
    """A JSON document of about ``size`` bytes (at least), shaped like a list of
    health-checkup records."""
    record: dict[str, object] = {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "2345-7"}]},
        "valueQuantity": {"value": 98.0, "unit": "mg/dL"},
        "note": "特定健診 血糖値",
    }
    entries: list[dict[str, object]] = []
    used = len('{"resourceType":"Bundle","entry":[]}')
    while used < size:
        entry: dict[str, object] = {"id": f"obs-{len(entries)}", **record}
        used += len(json.dumps(entry, ensure_ascii=False).encode()) + 1
        entries.append(entry)
    return json.dumps({"resourceType": "Bundle", "entry": entries}, ensure_ascii=False).encode()


def document(mib: int) -> bytes:
    """A JSON document of at least ``mib`` MiB (see ``document_of``)."""
    return document_of(mib * MIB)


def _b64(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def _json(value: dict[str, Any]) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


class Floor:
    """The sealing format done with bare primitives (see the module text)."""

    def __init__(self, signing: OKPKey, kid: str, recipient: ECKey | OKPKey) -> None:
        self._sign = signing.private_key.sign  # type: ignore[union-attr]
        self._jws_header = _b64(_json({"alg": ALGORITHM, "kid": kid, "typ": DELIVERY_TYP}))
        self._kid = str(recipient.kid or recipient.thumbprint())
        self._peer = recipient.public_key
        self._curve = str(recipient.get("crv"))
        self._otherinfo = (
            struct.pack(">I", len(KEY_MANAGEMENT))
            + KEY_MANAGEMENT.encode()
            + b"\x00\x00\x00\x00" * 2  # no apu, no apv
            + struct.pack(">I", 256)
        )

    def _ephemeral(self) -> tuple[bytes, dict[str, str]]:
        """A fresh key on the recipient's curve: the shared secret Z and the public JWK."""
        if self._curve == "X25519":
            eph = x25519.X25519PrivateKey.generate()
            z = eph.exchange(self._peer)  # type: ignore[arg-type]
            x = eph.public_key().public_bytes_raw()
            return z, {"kty": "OKP", "crv": "X25519", "x": _b64(x).decode()}
        ec_eph = ec.generate_private_key(ec.SECP256R1())
        z = ec_eph.exchange(ec.ECDH(), self._peer)  # type: ignore[arg-type]
        numbers = ec_eph.public_key().public_numbers()
        return z, {
            "kty": "EC",
            "crv": "P-256",
            "x": _b64(numbers.x.to_bytes(32, "big")).decode(),
            "y": _b64(numbers.y.to_bytes(32, "big")).decode(),
        }

    def seal(self, payload: bytes) -> bytes:
        signing_input = self._jws_header + b"." + _b64(payload)
        signed = signing_input + b"." + _b64(self._sign(signing_input))
        z, epk = self._ephemeral()
        kek = ConcatKDFHash(hashes.SHA256(), 32, self._otherinfo).derive(z)
        cek = os.urandom(32)
        wrapped = aes_key_wrap(kek, cek)
        header = {
            "alg": KEY_MANAGEMENT,
            "enc": CONTENT_ENCRYPTION,
            "cty": "JWT",
            "kid": self._kid,
            "epk": epk,
        }
        protected = _b64(_json(header))
        iv = os.urandom(12)
        sealed = AESGCM(cek).encrypt(iv, signed, protected)
        return b".".join(
            (protected, _b64(wrapped), _b64(iv), _b64(sealed[:-16]), _b64(sealed[-16:]))
        )


def _best(work: Callable[[], object], batch: int, rounds: int) -> float:
    """Seconds per call: the best of ``rounds`` timings of ``batch`` calls."""
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(batch):
            work()
        best = min(best, time.perf_counter() - start)
    return best / batch


def seal_figures(rounds: int = 5, runs: int = 5, curve: str = "P-256") -> dict[str, Any]:
    """``seal_vs_floor_1mib`` and ``seal_vs_floor_2kib`` (medians of ``runs``), throughput
    and per-seal times, and the values of every run."""
    signing = OKPKey.generate_key("Ed25519", private=True, auto_kid=True)
    signer = JoseSigner(signing)
    sealer = JoseSealer(signer)
    private: ECKey | OKPKey = (
        OKPKey.generate_key("X25519", private=True, auto_kid=True)
        if curve == "X25519"
        else ECKey.generate_key("P-256", private=True, auto_kid=True)
    )
    jwk = sealer.validate_recipient_key(private.as_dict(private=False))
    public = ECKey.import_key(jwk) if curve != "X25519" else OKPKey.import_key(jwk)
    floor = Floor(signing, signer.kid, public)
    figures: dict[str, Any] = {"curve": curve}
    per_run: dict[str, list[float]] = {}
    for name, (size, batch) in SIZES.items():
        payload = document_of(size)
        if sealer.open(floor.seal(payload).decode(), private) != payload:
            raise RuntimeError("the floor does not produce a delivery the sealer opens")
        if sealer.open(sealer.seal(payload, jwk), private) != payload:
            raise RuntimeError("the sealer does not open its own delivery")
        for _ in range(runs):
            seal_s = _best(lambda p=payload: sealer.seal(p, jwk), batch, rounds)
            floor_s = _best(lambda p=payload: floor.seal(p), batch, rounds)
            per_run.setdefault(f"seal_vs_floor_{name}", []).append(floor_s / seal_s)
            per_run.setdefault(f"seal_us_{name}", []).append(seal_s * 1e6)
            per_run.setdefault(f"floor_us_{name}", []).append(floor_s * 1e6)
        figures[f"document_bytes_{name}"] = float(len(payload))
    for name, values in per_run.items():
        figures[name] = median(values)
    megabytes = figures["document_bytes_1mib"] / MIB
    figures["seal_mib_per_s"] = megabytes / (figures["seal_us_1mib"] / 1e6)
    figures["floor_mib_per_s"] = megabytes / (figures["floor_us_1mib"] / 1e6)
    figures["seal_vs_floor"] = figures["seal_vs_floor_1mib"]  # the old key, 1 MiB
    figures["seal_runs"] = per_run
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=5, help="timings per measurement (best)")
    parser.add_argument("--runs", type=int, default=5, help="measurements (median)")
    parser.add_argument("--curve", default="P-256", choices=("P-256", "X25519"))
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    figures = seal_figures(rounds=args.rounds, runs=args.runs, curve=args.curve)
    print_figures(figures, args.json, "bench.seal (medians; every run below)")


if __name__ == "__main__":
    main()
