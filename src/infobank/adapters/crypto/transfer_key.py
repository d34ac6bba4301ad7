"""The bank's encryption key for bundles sent to it by other banks (情報銀行間連携).

    master key ──HKDF("bank-transfer-encryption")──► X25519 private key (never stored)
    public half ──► GET /v1/bank/transfer-key  {kty OKP, crv X25519, use enc, alg ECDH-ES+A256KW}

Deriving it from the master key means nothing new to back up, and it dies with the master key.

Misuse warnings: decrypting proves nothing about who sent a bundle (ECDH-ES is anonymous);
``open`` verifies the inner JWS against the *sender's* published keys and its ``typ``, and the
caller must still check what the payload claims (audience, expiry, issuer).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from joserfc import jwe, jws
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, OKPKey

from infobank.adapters.crypto.keystore import KeyStore
from infobank.adapters.crypto.sealer import CONTENT_ENCRYPTION, KEY_MANAGEMENT, MAX_PAYLOAD_BYTES
from infobank.adapters.crypto.signer import ALGORITHM

__all__ = ["X25519TransferKey"]

_LABEL = "bank-transfer-encryption"


def _b64url_length(n: int) -> int:
    return -(-4 * n // 3)


class X25519TransferKey:
    def __init__(self, private: OKPKey) -> None:
        self._key = private
        public = private.as_dict(private=False)
        self._public = {
            **public,
            "kid": private.thumbprint(),
            "use": "enc",
            "alg": KEY_MANAGEMENT,
        }
        self._jwe = jwe.JWERegistry(algorithms=[KEY_MANAGEMENT, CONTENT_ENCRYPTION])
        self._jwe.max_ciphertext_length = _b64url_length(_b64url_length(MAX_PAYLOAD_BYTES) + 2048)
        self._jws = jws.JWSRegistry(algorithms=[ALGORITHM])
        self._jws.max_payload_length = _b64url_length(MAX_PAYLOAD_BYTES)

    @classmethod
    def from_keystore(cls, keys: KeyStore) -> X25519TransferKey:
        return cls(OKPKey.import_key(X25519PrivateKey.from_private_bytes(keys.derive(_LABEL))))

    def public_jwk(self) -> dict[str, Any]:
        return dict(self._public)

    def open(self, token: str, sender_jwks: Mapping[str, Any], typ: str) -> tuple[bytes, str]:
        try:
            outer = jwe.decrypt_compact(token, self._key, registry=self._jwe)
        except (JoseError, ValueError, TypeError) as exc:
            raise ValueError("the bundle does not decrypt with this bank's key") from exc
        if outer.protected.get("cty") != "JWT" or outer.plaintext is None:
            raise ValueError("the bundle does not carry a signed JWT")
        try:
            keys = KeySet.import_key_set(dict(sender_jwks))  # type: ignore[arg-type]
            inner = jws.deserialize_compact(outer.plaintext, keys, registry=self._jws)
        except (JoseError, ValueError, TypeError, KeyError) as exc:
            raise ValueError("the bundle is not signed by the sending bank's keys") from exc
        if inner.protected.get("typ") != typ:
            raise ValueError(f"the bundle has typ {inner.protected.get('typ')!r}, not {typ!r}")
        return inner.payload, str(inner.protected.get("kid", ""))
