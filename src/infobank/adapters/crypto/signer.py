"""The bank's signatures (JWS, Ed25519 per RFC 8037 / RFC 9864).

Everything the bank vouches for — consent artefacts, webhook bodies, delivery packages, signed
tree heads — is a compact JWS made here, verifiable by anyone with ``/.well-known/jwks.json``.

Misuse warning: ``verify`` checks the signature only. Callers must still check what the payload
says (its subject, its time) before trusting it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, OKPKey

__all__ = ["ALGORITHM", "JoseSigner", "JwksVerifier"]

ALGORITHM = "Ed25519"


class JoseSigner:
    def __init__(self, key: OKPKey) -> None:
        self._key = key
        self.kid = str(key.kid or key.thumbprint())

    def sign(self, payload: bytes, *, typ: str = "JOSE") -> str:
        header = {"alg": ALGORITHM, "kid": self.kid, "typ": typ}
        return jws.serialize_compact(header, payload, self._key, algorithms=[ALGORITHM])

    def verify(self, token: str) -> bytes | None:
        """The payload if ``token`` carries a valid signature by this bank's key, else None."""
        try:
            obj = jws.deserialize_compact(token, self._key, algorithms=[ALGORITHM])
        except (JoseError, ValueError):
            return None
        return obj.payload

    def jwks(self) -> dict[str, Any]:
        public = self._key.as_dict(private=False)
        public.update({"kid": self.kid, "use": "sig", "alg": ALGORITHM})
        return {"keys": [public]}

    def public_keyset(self) -> KeySet:
        return KeySet.import_key_set(self.jwks())  # type: ignore[arg-type]


class JwksVerifier:
    """Checks the bank's compact JWS against a published JWK Set (an auditor's copy of
    ``/.well-known/jwks.json``), with no private key anywhere near it.

    Misuse warning: as with ``JoseSigner.verify``, a good signature says only who signed;
    callers must check what the payload says.
    """

    def __init__(self, jwks: Mapping[str, Any]) -> None:
        self._keys = KeySet.import_key_set(dict(jwks))  # type: ignore[arg-type]

    def verify(self, token: str) -> bytes | None:
        """The payload if a key of the set signed ``token`` (Ed25519), else None."""
        try:
            obj = jws.deserialize_compact(token, self._keys, algorithms=[ALGORITHM])
        except (JoseError, ValueError, KeyError, TypeError):
            return None
        return obj.payload
