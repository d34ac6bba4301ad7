"""Sealing delivery packages (提供パッケージ) for one recipient: signed, then encrypted.

    payload (records in scope, e.g. a FHIR R4 Bundle)
      └─► JWS  compact, alg Ed25519, the bank's key, typ ``infobank-delivery+jwt``
            └─► JWE  compact, alg ECDH-ES+A256KW, enc A256GCM, cty JWT, kid of the recipient key

Signing inside encryption means the recipient learns who vouches for the data only after
decrypting, and that the signature survives if the recipient stores the decrypted JWS.

Size: deliveries may run to tens of MiB. joserfc refuses large compact values by default when
*reading* (JWS payload segment 128,000 bytes, JWE ciphertext segment 64 KiB), so this module
builds its own JWS and JWE registries that accept a payload of up to ``MAX_PAYLOAD_BYTES``
(64 MiB). The JWS default also means ``JoseSigner.verify`` cannot check a large delivery's
inner JWS: use ``JoseSealer.open`` or a registry like ``_jws_registry()``.

Misuse warnings:

- Never encrypt to a key that was not validated. ``seal`` validates the recipient key on every
  call; keys stored at registration should be the output of ``validate_recipient_key``.
  A private key, a signing key (Ed25519), an off-curve point or a low-order X25519 point is
  refused.
- Decryption alone proves nothing about origin: ECDH-ES is anonymous, anyone holding the
  recipient's public key can make a JWE for it. The recipient must verify the inner JWS against
  the bank's key published at ``/.well-known/jwks.json`` (``open`` does this) and check its
  ``typ``.
"""

from __future__ import annotations

import base64
import binascii
import functools
import re
from collections.abc import Mapping
from typing import Any

from cryptography.hazmat.primitives.asymmetric import x25519
from joserfc import jwe, jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, OKPKey

from infobank.adapters.crypto.signer import ALGORITHM as SIGNATURE_ALGORITHM
from infobank.adapters.crypto.signer import JoseSigner

__all__ = [
    "CONTENT_ENCRYPTION",
    "DELIVERY_TYP",
    "KEY_MANAGEMENT",
    "MAX_PAYLOAD_BYTES",
    "JoseSealer",
    "validate_recipient_key",
]

KEY_MANAGEMENT = "ECDH-ES+A256KW"
CONTENT_ENCRYPTION = "A256GCM"
DELIVERY_TYP = "infobank-delivery+jwt"
MAX_PAYLOAD_BYTES = 64 * 1024 * 1024

# Encryption curves only: Ed25519/Ed448 sign, P-384/P-521 and X448 are not offered to recipients.
_CURVES = {"EC": {"P-256"}, "OKP": {"X25519"}}
_COORDINATES = {"EC": ("x", "y"), "OKP": ("x",)}
_COORDINATE_BYTES = 32
_B64URL = re.compile(r"[A-Za-z0-9_-]+")
_MAX_KID = 256
# Room for the protected header and signature around the payload segment, in bytes.
_JWS_OVERHEAD = 2048


def _b64url_length(n: int) -> int:
    return -(-4 * n // 3)


def _jws_registry() -> jws.JWSRegistry:
    registry = jws.JWSRegistry(algorithms=[SIGNATURE_ALGORITHM])
    registry.max_payload_length = _b64url_length(MAX_PAYLOAD_BYTES)
    return registry


def _jwe_registry() -> jwe.JWERegistry:
    # joserfc checks the *base64url* ciphertext segment; it encrypts a JWS, itself base64url.
    registry = jwe.JWERegistry(algorithms=[KEY_MANAGEMENT, CONTENT_ENCRYPTION])
    registry.max_ciphertext_length = _b64url_length(
        _b64url_length(MAX_PAYLOAD_BYTES) + _JWS_OVERHEAD
    )
    return registry


def _coordinate(jwk: Mapping[str, Any], name: str) -> str:
    value = jwk.get(name)
    if not isinstance(value, str) or not _B64URL.fullmatch(value):
        raise ValueError(f"recipient key member {name!r} must be unpadded base64url")
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"recipient key member {name!r} is not base64url") from exc
    if len(raw) != _COORDINATE_BYTES:
        raise ValueError(f"recipient key member {name!r} must encode {_COORDINATE_BYTES} bytes")
    # Non-canonical encodings (stray low bits) would give the same key a second thumbprint.
    if base64.urlsafe_b64encode(raw).rstrip(b"=").decode() != value:
        raise ValueError(f"recipient key member {name!r} is not canonical base64url")
    return value


def _import_public(jwk: Mapping[str, Any]) -> ECKey | OKPKey:
    kty, crv = jwk.get("kty"), jwk.get("crv")
    if not isinstance(kty, str) or kty not in _CURVES:
        raise ValueError(f"recipient key type {kty!r} is not accepted: use EC P-256 or OKP X25519")
    if crv not in _CURVES[kty]:
        raise ValueError(
            f"recipient key curve {crv!r} is not an encryption curve: use P-256 or X25519"
        )
    members: dict[str, Any] = {"kty": kty, "crv": crv}
    for name in _COORDINATES[kty]:
        members[name] = _coordinate(jwk, name)
    try:
        if kty == "EC":
            return ECKey.import_key(members)
        key = OKPKey.import_key(members)
        # A low-order X25519 point makes every shared secret predictable: refuse it now.
        peer = key.public_key
        if not isinstance(peer, x25519.X25519PublicKey):
            raise ValueError("not an X25519 public key")
        x25519.X25519PrivateKey.generate().exchange(peer)
        return key
    except (JoseError, ValueError, TypeError) as exc:
        raise ValueError(f"recipient key is not a valid {crv} point") from exc


def _frozen(jwk: Mapping[str, Any]) -> tuple[tuple[str, Any], ...] | None:
    """The members as a hashable key, or None if one cannot be (then nothing is cached)."""
    items = []
    for name, value in jwk.items():
        if isinstance(value, list):
            value = tuple(value)
        try:
            hash(value)
        except TypeError:
            return None
        items.append((str(name), value))
    return tuple(sorted(items, key=lambda item: item[0]))


@functools.lru_cache(maxsize=1024)
def _recipient_key(
    members: tuple[tuple[str, Any], ...],
) -> tuple[dict[str, Any], ECKey | OKPKey]:
    """A recipient key validated and imported once per process, not once per package: the
    same members always give the same answer, and a package for a small record would
    otherwise spend more on checking the key than on sealing."""
    recipient = validate_recipient_key(
        {k: list(v) if isinstance(v, tuple) else v for k, v in members}
    )
    return recipient, _import_public(recipient)


def validate_recipient_key(jwk: Mapping[str, Any]) -> dict[str, Any]:
    """The recipient's public encryption key (受領者の暗号化鍵) in normal form, or ValueError.

    Accepts only a public JWK of EC P-256 or OKP X25519, meant for encryption. The result keeps
    the key members, a ``kid`` (the RFC 7638 thumbprint when none was given), ``use`` and
    ``alg``; other members are dropped.
    """
    if not isinstance(jwk, Mapping):
        raise ValueError("recipient key must be a JSON object (JWK)")
    if "d" in jwk:
        raise ValueError("recipient key is a private key: register only the public key")
    use = jwk.get("use")
    if use is not None and use != "enc":
        raise ValueError(f"recipient key has use {use!r}: an encryption key (use 'enc') is needed")
    alg = jwk.get("alg")
    if alg is not None and alg != KEY_MANAGEMENT:
        raise ValueError(f"recipient key is bound to alg {alg!r}, expected {KEY_MANAGEMENT}")
    key = _import_public(jwk)
    kid = jwk.get("kid")
    if kid is None:
        kid = key.thumbprint()
    elif not isinstance(kid, str) or not kid or len(kid) > _MAX_KID:
        raise ValueError(f"recipient key kid must be a non-empty string of at most {_MAX_KID}")
    normal: dict[str, Any] = {
        name: jwk[name] for name in ("kty", "crv", *_COORDINATES[key.key_type])
    }
    normal.update({"kid": kid, "use": "enc", "alg": KEY_MANAGEMENT})
    return normal


def _import_private(jwk: Mapping[str, Any] | ECKey | OKPKey) -> ECKey | OKPKey:
    if isinstance(jwk, ECKey | OKPKey):
        key = jwk
    else:
        kty = jwk.get("kty")
        try:
            if kty == "EC":
                key = ECKey.import_key(dict(jwk))
            elif kty == "OKP":
                key = OKPKey.import_key(dict(jwk))
            else:
                raise ValueError(f"key type {kty!r} is not accepted")
        except (JoseError, ValueError, TypeError) as exc:
            raise ValueError("recipient private key does not import") from exc
    if not key.is_private:
        raise ValueError("opening a delivery needs the recipient's private key")
    if key.get("crv") not in _CURVES.get(key.key_type, set()):
        raise ValueError("recipient private key is not on P-256 or X25519")
    return key


class JoseSealer:
    """Signs with the bank's key, then encrypts to one recipient's key (see the module text)."""

    def __init__(self, signer: JoseSigner) -> None:
        self._signer = signer
        self._jws_registry = _jws_registry()
        self._jwe_registry = _jwe_registry()

    @staticmethod
    def validate_recipient_key(jwk: Mapping[str, Any]) -> dict[str, Any]:
        """See the module-level ``validate_recipient_key``."""
        return validate_recipient_key(jwk)

    def seal(
        self, payload: bytes, recipient_jwk: Mapping[str, Any], *, typ: str = DELIVERY_TYP
    ) -> str:
        """The compact JWE of the bank-signed ``payload``, readable only by the recipient."""
        if len(payload) > MAX_PAYLOAD_BYTES:
            raise ValueError(f"payload of {len(payload)} bytes exceeds {MAX_PAYLOAD_BYTES}")
        members = _frozen(recipient_jwk)
        if members is None:
            recipient = validate_recipient_key(recipient_jwk)
            key = _import_public(recipient)
        else:
            recipient, key = _recipient_key(members)
        signed = self._signer.sign(payload, typ=typ)
        header = {
            "alg": KEY_MANAGEMENT,
            "enc": CONTENT_ENCRYPTION,
            "cty": "JWT",
            "kid": recipient["kid"],
        }
        return jwe.encrypt_compact(header, signed.encode("ascii"), key, registry=self._jwe_registry)

    def open(
        self,
        token: str,
        recipient_private_jwk: Mapping[str, Any] | ECKey | OKPKey,
        *,
        typ: str = DELIVERY_TYP,
    ) -> bytes:
        """The payload, once decrypted and its inner signature checked; ValueError otherwise.

        What a recipient does on receipt; the bank uses it in tests and the demo only.
        """
        key = _import_private(recipient_private_jwk)
        try:
            outer = jwe.decrypt_compact(token, key, registry=self._jwe_registry)
        except (JoseError, ValueError, TypeError) as exc:
            raise ValueError("delivery does not decrypt with this key") from exc
        if outer.protected.get("cty") != "JWT" or outer.plaintext is None:
            raise ValueError("delivery does not carry a signed JWT")
        try:
            inner = jws.deserialize_compact(
                outer.plaintext,
                self._signer.public_keyset(),
                registry=self._jws_registry,
            )
        except (JoseError, ValueError, TypeError) as exc:
            raise ValueError("delivery is not signed by this bank") from exc
        if inner.protected.get("typ") != typ:
            raise ValueError(f"delivery has typ {inner.protected.get('typ')!r}, expected {typ!r}")
        return inner.payload
