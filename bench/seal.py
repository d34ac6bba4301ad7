"""How fast a delivery is sealed, against the floor of the same work done with bare primitives.

    seal   JoseSealer.seal: Ed25519 JWS of the document, then ECDH-ES+A256KW / A256GCM JWE
    floor  SHA-256 of the bytes + AES-256-GCM of the bytes + base64url of the ciphertext

Both are timed on the same JSON document of ``mib`` MiB with ``time.perf_counter``, best of
``rounds``. ``seal_vs_floor`` is floor time ÷ seal time: seal throughput as a fraction of the
floor (1.0 would mean sealing costs no more than the primitives themselves).

    python -m bench.seal [--mib N] [--rounds N] [--json]
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import secrets
import time
from collections.abc import Callable

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from joserfc.jwk import OKPKey

from infobank.adapters.crypto.sealer import JoseSealer
from infobank.adapters.crypto.signer import JoseSigner

__all__ = ["document", "seal_figures"]

MIB = 1024 * 1024


def document(mib: int) -> bytes:
    """A JSON document of at least ``mib`` MiB, shaped like a list of health-checkup records."""
    target = mib * MIB
    record: dict[str, object] = {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "2345-7"}]},
        "valueQuantity": {"value": 98.0, "unit": "mg/dL"},
        "note": "特定健診 血糖値",
    }
    entries: list[dict[str, object]] = []
    size = 0
    while size < target:
        entry: dict[str, object] = {"id": f"obs-{len(entries)}", **record}
        size += len(json.dumps(entry, ensure_ascii=False).encode()) + 1
        entries.append(entry)
    return json.dumps({"resourceType": "Bundle", "entry": entries}, ensure_ascii=False).encode()


def _best(work: Callable[[], object], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def seal_figures(mib: int = 1, rounds: int = 5) -> dict[str, float]:
    """Seal and floor throughput (MiB/s) for a ``mib`` MiB document, and their ratio."""
    payload = document(mib)
    megabytes = len(payload) / MIB
    sealer = JoseSealer(JoseSigner(OKPKey.generate_key("Ed25519", private=True, auto_kid=True)))
    recipient = sealer.validate_recipient_key(
        OKPKey.generate_key("X25519", private=False).as_dict()
    )
    aead = AESGCM(secrets.token_bytes(32))

    def floor() -> None:
        hashlib.sha256(payload).digest()
        ciphertext = aead.encrypt(secrets.token_bytes(12), payload, None)
        base64.urlsafe_b64encode(ciphertext).rstrip(b"=")

    seal_s = _best(lambda: sealer.seal(payload, recipient), rounds)
    floor_s = _best(floor, rounds)
    return {
        "seal_mib_per_s": megabytes / seal_s,
        "floor_mib_per_s": megabytes / floor_s,
        "seal_vs_floor": floor_s / seal_s,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--mib", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    figures = seal_figures(mib=args.mib, rounds=args.rounds)
    if args.json:
        print(json.dumps(figures))
        return
    for name, value in figures.items():
        print(f"{name:>16}  {value:10.3f}")


if __name__ == "__main__":
    main()
