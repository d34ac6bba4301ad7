"""JoseSealer: payload → JWS (Ed25519, bank) → JWE (ECDH-ES+A256KW, A256GCM, recipient)."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from joserfc import jwe, jws
from joserfc.jwk import ECKey, KeySet, OKPKey, RSAKey

from infobank.adapters.crypto.sealer import MAX_PAYLOAD_BYTES, JoseSealer
from infobank.adapters.crypto.signer import JoseSigner

MIB = 1024 * 1024


@pytest.fixture(scope="module")
def signer() -> JoseSigner:
    return JoseSigner(OKPKey.generate_key("Ed25519", private=True, auto_kid=True))


@pytest.fixture(scope="module")
def sealer(signer: JoseSigner) -> JoseSealer:
    return JoseSealer(signer)


def _ec_key() -> ECKey:
    return ECKey.generate_key("P-256", private=True)


def _x25519_key() -> OKPKey:
    return OKPKey.generate_key("X25519", private=True)


def _public(key: ECKey | OKPKey) -> dict[str, Any]:
    return dict(key.as_dict(private=False))


def _header(token: str) -> dict[str, Any]:
    segment = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def _large_jws_registry() -> jws.JWSRegistry:
    registry = jws.JWSRegistry(algorithms=["Ed25519"])
    registry.max_payload_length = 2 * MAX_PAYLOAD_BYTES
    return registry


def _large_jwe_registry() -> jwe.JWERegistry:
    registry = jwe.JWERegistry(algorithms=["ECDH-ES+A256KW", "A256GCM"])
    registry.max_ciphertext_length = 2 * MAX_PAYLOAD_BYTES
    return registry


@pytest.mark.parametrize("make_key", [_ec_key, _x25519_key], ids=["P-256", "X25519"])
def test_round_trips_to_a_recipient_key(
    sealer: JoseSealer, signer: JoseSigner, make_key: Any
) -> None:
    key = make_key()
    payload = json.dumps({"resourceType": "Bundle", "note": "健診結果"}).encode()

    token = sealer.seal(payload, _public(key))

    assert sealer.open(token, key) == payload
    assert sealer.open(token, key.as_dict(private=True)) == payload
    inner = jwe.decrypt_compact(token, key, algorithms=["ECDH-ES+A256KW", "A256GCM"]).plaintext
    assert inner is not None
    keyset = KeySet.import_key_set(signer.jwks())  # type: ignore[arg-type]
    signed = jws.deserialize_compact(inner, keyset, algorithms=["Ed25519"])
    assert signed.payload == payload
    assert signed.protected["typ"] == "infobank-delivery+jwt"
    assert signed.protected["kid"] == signer.kid


def test_jwe_header_names_algorithms_content_type_and_recipient_kid(sealer: JoseSealer) -> None:
    key = _ec_key()
    expected_kid = key.thumbprint()

    header = _header(sealer.seal(b"{}", _public(key)))

    assert header["alg"] == "ECDH-ES+A256KW"
    assert header["enc"] == "A256GCM"
    assert header["cty"] == "JWT"
    assert header["kid"] == expected_kid
    assert header["epk"]["crv"] == "P-256"


def test_jwe_header_keeps_the_kid_the_recipient_registered(sealer: JoseSealer) -> None:
    key = _x25519_key()
    jwk = _public(key) | {"kid": "recipient-2025-01", "use": "enc"}

    assert _header(sealer.seal(b"{}", jwk))["kid"] == "recipient-2025-01"


def test_inner_jws_carries_the_requested_typ(sealer: JoseSealer) -> None:
    key = _ec_key()
    token = sealer.seal(b"notice", _public(key), typ="infobank-notice+jwt")

    assert sealer.open(token, key, typ="infobank-notice+jwt") == b"notice"
    with pytest.raises(ValueError, match="typ"):
        sealer.open(token, key)


@pytest.mark.parametrize("size", [MIB, 20 * MIB], ids=["1MiB", "20MiB"])
def test_large_deliveries_round_trip(sealer: JoseSealer, signer: JoseSigner, size: int) -> None:
    key = _x25519_key()
    payload = (b'{"entry":"' + b"x" * size)[:size]

    token = sealer.seal(payload, _public(key))

    assert sealer.open(token, key) == payload
    inner = jwe.decrypt_compact(token, key, registry=_large_jwe_registry()).plaintext
    assert inner is not None
    keyset = KeySet.import_key_set(signer.jwks())  # type: ignore[arg-type]
    signed = jws.deserialize_compact(inner, keyset, registry=_large_jws_registry())
    assert signed.payload == payload


def test_payload_beyond_the_limit_is_refused(sealer: JoseSealer) -> None:
    with pytest.raises(ValueError, match="exceeds"):
        sealer.seal(b"x" * (MAX_PAYLOAD_BYTES + 1), _public(_ec_key()))


def test_tampered_delivery_does_not_open(sealer: JoseSealer) -> None:
    key = _ec_key()
    parts = sealer.seal(b'{"a":1}', _public(key)).split(".")
    ciphertext = parts[3]
    parts[3] = ("B" if ciphertext[0] == "A" else "A") + ciphertext[1:]

    with pytest.raises(ValueError):
        sealer.open(".".join(parts), key)


def test_delivery_does_not_open_with_another_key(sealer: JoseSealer) -> None:
    token = sealer.seal(b'{"a":1}', _public(_x25519_key()))

    with pytest.raises(ValueError):
        sealer.open(token, _x25519_key())


def test_delivery_signed_by_another_bank_does_not_open(sealer: JoseSealer) -> None:
    other = JoseSealer(JoseSigner(OKPKey.generate_key("Ed25519", private=True, auto_kid=True)))
    key = _ec_key()
    token = other.seal(b'{"a":1}', _public(key))

    with pytest.raises(ValueError, match="not signed by this bank"):
        sealer.open(token, key)


def test_open_refuses_a_public_key(sealer: JoseSealer) -> None:
    key = _ec_key()
    token = sealer.seal(b"{}", _public(key))

    with pytest.raises(ValueError, match="private key"):
        sealer.open(token, _public(key))


def test_open_refuses_garbage(sealer: JoseSealer) -> None:
    with pytest.raises(ValueError):
        sealer.open("not.a.jwe.at.all", _ec_key())


@pytest.mark.parametrize("make_key", [_ec_key, _x25519_key], ids=["P-256", "X25519"])
def test_validated_key_is_public_with_thumbprint_kid(make_key: Any) -> None:
    key = make_key()

    normal = JoseSealer.validate_recipient_key(_public(key) | {"x5c": ["ignored"]})

    assert "d" not in normal
    assert "x5c" not in normal
    assert normal["kid"] == key.thumbprint()
    assert normal["use"] == "enc"
    assert normal["alg"] == "ECDH-ES+A256KW"


def _base64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


REFUSED: dict[str, Any] = {
    "private P-256": lambda: _ec_key().as_dict(private=True),
    "private X25519": lambda: _x25519_key().as_dict(private=True),
    "RSA": lambda: RSAKey.generate_key(2048, private=False).as_dict(),
    "P-384": lambda: ECKey.generate_key("P-384", private=False).as_dict(),
    "Ed25519": lambda: OKPKey.generate_key("Ed25519", private=False).as_dict(),
    "oct": lambda: {"kty": "oct", "k": _base64url(bytes(32))},
    "signing use": lambda: _public(_ec_key()) | {"use": "sig"},
    "other alg": lambda: _public(_ec_key()) | {"alg": "RSA-OAEP"},
    "off-curve point": lambda: _public(_ec_key()) | {"y": _base64url(bytes(32))},
    "low-order X25519": lambda: {"kty": "OKP", "crv": "X25519", "x": _base64url(bytes(32))},
    "short x": lambda: {"kty": "OKP", "crv": "X25519", "x": _base64url(bytes(16))},
    "padded x": lambda: _public(_x25519_key()) | {"x": _base64url(bytes(32)) + "="},
    "missing y": lambda: {k: v for k, v in _public(_ec_key()).items() if k != "y"},
    "empty kid": lambda: _public(_ec_key()) | {"kid": ""},
    "no kty": lambda: {"crv": "P-256"},
    "garbage x": lambda: {"kty": "OKP", "crv": "X25519", "x": "!!not base64!!"},
    "not a mapping": lambda: "garbage",
}


@pytest.mark.parametrize("make_jwk", REFUSED.values(), ids=REFUSED.keys())
def test_validate_recipient_key_refuses(make_jwk: Any) -> None:
    with pytest.raises(ValueError):
        JoseSealer.validate_recipient_key(make_jwk())


def test_seal_refuses_a_private_key(sealer: JoseSealer) -> None:
    with pytest.raises(ValueError, match="private"):
        sealer.seal(b"{}", _ec_key().as_dict(private=True))
