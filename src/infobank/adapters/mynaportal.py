"""The Mynaportal client (HTTP, httpx) and the My Number card verifier (X.509, cryptography).

``HttpxMynaportalApi`` speaks the simulator's protocol, which follows the real API's shape:
OAuth 2.0 authorisation code with PKCE, then ``POST /request`` and ``POST /result`` polled until
done. ``X509CardVerifier`` checks the card's assertion against the J-LIS root the operator
configured (``INFOBANK_JLIS_ROOT``) — never against anything the card or the API sends.
"""

from __future__ import annotations

import base64
import binascii
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa

from infobank.adapters.fhir import FhirResourcesValidator
from infobank.config import Settings
from infobank.services.ports.mynaportal import (
    CardAssertion,
    CardCheck,
    Connector,
    MynaportalError,
    TokenGrant,
)

__all__ = ["HttpxMynaportalApi", "X509CardVerifier", "build_connector"]

CLIENT_ID = "infobank"
SCOPE = "medication checkup medical_expenses"
_MAX_WAIT_S = 5.0  # never sleep longer than this between polls, whatever the API asks


def _b64url_decode(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


class HttpxMynaportalApi:
    """Synchronous client; one connection pool, opened on first use."""

    def __init__(self, base_url: str, *, client_id: str = CLIENT_ID, max_polls: int = 30) -> None:
        self._base = base_url.rstrip("/")
        self._client_id = client_id
        self._max_polls = max_polls
        self._http: httpx.Client | None = None

    @property
    def base_url(self) -> str:
        return self._base

    def _client(self) -> httpx.Client:
        if self._http is None:
            self._http = httpx.Client(base_url=self._base, timeout=10.0)
        return self._http

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None

    def authorization_url(
        self, *, state: str, nonce: str, code_challenge: str, redirect_uri: str
    ) -> str:
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self._client_id,
                "redirect_uri": redirect_uri,
                "scope": SCOPE,
                "state": state,
                "nonce": nonce,
                "code_challenge": code_challenge,
                "code_challenge_method": "S256",
            }
        )
        return f"{self._base}/oauth/authorize?{query}"

    def _post(self, path: str, **kwargs: Any) -> httpx.Response:
        try:
            return self._client().post(path, **kwargs)
        except httpx.HTTPError as exc:
            raise MynaportalError("unavailable", type(exc).__name__) from exc

    def exchange(self, code: str, code_verifier: str, redirect_uri: str) -> TokenGrant:
        response = self._post(
            "/oauth/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "client_id": self._client_id,
                "code_verifier": code_verifier,
            },
        )
        if response.status_code != 200:
            raise MynaportalError("invalid_grant", response.text[:200])
        body = response.json()
        raw = body.get("card_assertion")
        assertion = None
        if isinstance(raw, dict):
            try:
                assertion = CardAssertion(
                    certificate_pem=str(raw["certificate"]),
                    nonce=str(raw["nonce"]),
                    signature=_b64url_decode(str(raw["signature"])),
                )
            except (KeyError, ValueError, binascii.Error):
                assertion = None
        return TokenGrant(str(body["access_token"]), int(body.get("expires_in", 0)), assertion)

    def _authorised(self, path: str, token: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self._post(path, json=body, headers={"Authorization": f"Bearer {token}"})
        if response.status_code == 401:
            described = response.json().get("error_description", "")
            raise MynaportalError(
                "expired" if described == "linkage_period_expired" else "invalid_token", described
            )
        if response.status_code >= 500:
            raise MynaportalError("unavailable", f"HTTP {response.status_code}")
        if response.status_code != 200:
            raise MynaportalError("error", response.text[:200])
        answer: dict[str, Any] = response.json()
        return answer

    def fetch(self, access_token: str) -> dict[str, list[dict[str, Any]]]:
        started = self._authorised("/request", access_token, {"items": SCOPE.split()})
        process_id = started.get("process_id")
        for _ in range(self._max_polls):
            answer = self._authorised("/result", access_token, {"process_id": process_id})
            state = answer.get("status")
            if state == "done":
                data = answer.get("data")
                return data if isinstance(data, dict) else {}
            if state != "pending":
                raise MynaportalError("error", f"result {state}")
            wait = float(answer.get("retry_after") or 0)
            time.sleep(min(max(wait, 0.0), _MAX_WAIT_S))
        raise MynaportalError("unavailable", "the result stayed pending")


def _verify_signature(public_key: object, signature: bytes, message: bytes) -> None:
    """Raise ``InvalidSignature`` unless ``signature`` is the key holder's over ``message``."""
    if isinstance(public_key, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
        public_key.verify(signature, message)
    elif isinstance(public_key, ec.EllipticCurvePublicKey):
        public_key.verify(signature, message, ec.ECDSA(hashes.SHA256()))
    elif isinstance(public_key, rsa.RSAPublicKey):
        public_key.verify(signature, message, padding.PKCS1v15(), hashes.SHA256())
    else:
        raise InvalidSignature("unsupported key type")


class X509CardVerifier:
    """Checks, in order: the chain to the configured J-LIS root, the validity dates, the CRL at
    the certificate's distribution point, and the card's signature over the bank's nonce.

    The CRL is fetched only from under ``crl_prefix`` (the configured Mynaportal URL): the URL
    comes from the certificate, and a bank that fetched any URL a certificate names could be
    made to call internal addresses. The CRL must be signed by the same root and be current;
    if it cannot be had, verification fails (fail closed).
    """

    def __init__(
        self,
        root_pem: bytes | None,
        fetch_crl: Callable[[str], bytes],
        crl_prefix: str,
    ) -> None:
        self._root = x509.load_pem_x509_certificate(root_pem) if root_pem else None
        self._fetch_crl = fetch_crl
        self._crl_prefix = crl_prefix.rstrip("/") + "/"

    @classmethod
    def from_path(
        cls, path: Path | None, fetch_crl: Callable[[str], bytes], crl_prefix: str
    ) -> X509CardVerifier:
        pem = path.read_bytes() if path is not None and path.is_file() else None
        return cls(pem, fetch_crl, crl_prefix)

    def _revoked(self, cert: x509.Certificate, root: x509.Certificate, at: datetime) -> str | None:
        try:
            points = cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
        except x509.ExtensionNotFound:
            return "revocation_unknown"
        urls = [
            name.value
            for point in points
            for name in point.full_name or []
            if isinstance(name, x509.UniformResourceIdentifier)
        ]
        allowed = [url for url in urls if url.startswith(self._crl_prefix)]
        if not allowed:
            return "revocation_unknown"
        try:
            raw = self._fetch_crl(allowed[0])
            crl = (
                x509.load_pem_x509_crl(raw)
                if raw.lstrip().startswith(b"-----")
                else x509.load_der_x509_crl(raw)
            )
        except (OSError, ValueError, httpx.HTTPError):
            return "revocation_unknown"
        next_update = crl.next_update_utc
        if (
            crl.issuer != root.subject
            or not crl.is_signature_valid(root.public_key())  # type: ignore[arg-type]
            or crl.last_update_utc > at
            or next_update is None
            or next_update <= at
        ):
            return "revocation_unknown"
        if crl.get_revoked_certificate_by_serial_number(cert.serial_number) is not None:
            return "certificate_revoked"
        return None

    def verify(self, assertion: CardAssertion, nonce: str, at: datetime) -> CardCheck:
        root = self._root
        if root is None:
            return CardCheck("trust_root_missing")
        try:
            cert = x509.load_pem_x509_certificate(assertion.certificate_pem.encode())
        except ValueError:
            return CardCheck("certificate_malformed")
        try:
            cert.verify_directly_issued_by(root)
        except (ValueError, TypeError, InvalidSignature):
            return CardCheck("certificate_untrusted")
        try:
            usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
            if not usage.digital_signature:
                return CardCheck("certificate_untrusted")
        except x509.ExtensionNotFound:
            pass
        if at < cert.not_valid_before_utc:
            return CardCheck("certificate_not_yet_valid")
        if at >= cert.not_valid_after_utc:
            return CardCheck("certificate_expired")
        revoked = self._revoked(cert, root, at)
        if revoked is not None:
            return CardCheck(revoked)
        if assertion.nonce != nonce:
            return CardCheck("nonce_mismatch")
        try:
            _verify_signature(cert.public_key(), assertion.signature, nonce.encode())
        except InvalidSignature:
            return CardCheck("signature_invalid")
        return CardCheck(
            None,
            serial=format(cert.serial_number, "x"),
            issuer=cert.issuer.rfc4514_string(),
            not_after=cert.not_valid_after_utc,
        )


def build_connector(settings: Settings) -> Connector:
    """The connector for ``INFOBANK_MYNAPORTAL_URL`` and ``INFOBANK_JLIS_ROOT``."""
    api = HttpxMynaportalApi(settings.mynaportal_url)

    def fetch_crl(url: str) -> bytes:
        response = httpx.get(url, timeout=10.0)
        response.raise_for_status()
        return response.content

    cards = X509CardVerifier.from_path(settings.jlis_root, fetch_crl, settings.mynaportal_url)
    return Connector(
        api=api,
        cards=cards,
        fhir=FhirResourcesValidator(),
        redirect_uri=settings.base_url.rstrip("/") + "/v1/mynaportal/callback",
        close=api.close,
    )
