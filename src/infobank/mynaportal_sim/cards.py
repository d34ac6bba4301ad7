"""Simulated My Number cards (マイナンバーカード) and the simulated J-LIS certificate authority.

Each card holds a key pair and an X.509 certificate for user authentication (after the
利用者証明用電子証明書 of JPKI), issued by a simulated J-LIS root. The real scheme uses RSA;
the simulator uses Ed25519 so that keys and certificates follow from the seed alone and the same
seed gives byte-identical certificates. Some cards are made to be refused:

- ``expired``: its validity ended 30 days before ``as_of``;
- ``revoked``: listed on the CRL served at the certificate's CRL distribution point;
- ``foreign_ca``: issued by another CA that copies the J-LIS root's name but not its key.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.x509.oid import NameOID

from infobank.mynaportal_sim.population import SimPerson

__all__ = ["CRL_PATH", "Card", "CardAuthority"]

CRL_PATH = "/sim/crl/jlis.crl"

_ROOT_NAME = x509.Name(
    [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "J-LIS (SIMULATED)"),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "JPKI Simulator"),
        x509.NameAttribute(NameOID.COMMON_NAME, "Simulated JPKI User Authentication CA"),
    ]
)


def _key(seed: int, label: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(f"{seed}:{label}".encode()).digest())


def _serial(seed: int, label: str) -> int:
    # Positive and at most 20 octets (RFC 5280 §4.1.2.2).
    return (
        int.from_bytes(hashlib.sha256(f"{seed}:serial:{label}".encode()).digest()[:16], "big") | 1
    )


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


@dataclass(frozen=True)
class Card:
    person_id: str
    key: Ed25519PrivateKey
    certificate: x509.Certificate

    def sign(self, message: bytes) -> bytes:
        """What the card does after the PIN is entered: sign the relying party's challenge."""
        return self.key.sign(message)

    def certificate_pem(self) -> str:
        return self.certificate.public_bytes(serialization.Encoding.PEM).decode()


class CardAuthority:
    """The simulated J-LIS root, a foreign CA beside it, the cards, and the CRL."""

    def __init__(self, seed: int, base_url: str, as_of: date) -> None:
        self._seed = seed
        self._crl_url = base_url.rstrip("/") + CRL_PATH
        self._as_of = as_of
        self.root_key = _key(seed, "jlis-root")
        self.root = self._root(self.root_key, "jlis-root")
        self._foreign_key = _key(seed, "foreign-root")
        self._revoked: set[int] = set()

    def _root(self, key: Ed25519PrivateKey, label: str) -> x509.Certificate:
        public = key.public_key()
        return (
            x509.CertificateBuilder()
            .subject_name(_ROOT_NAME)
            .issuer_name(_ROOT_NAME)
            .public_key(public)
            .serial_number(_serial(self._seed, label))
            .not_valid_before(_midnight(self._as_of - timedelta(days=3650)))
            .not_valid_after(_midnight(self._as_of + timedelta(days=3650)))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=False,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
            .sign(key, None)
        )

    def root_pem(self) -> str:
        return self.root.public_bytes(serialization.Encoding.PEM).decode()

    def issue(self, person: SimPerson) -> Card:
        key = _key(self._seed, f"card:{person.id}")
        signer = self._foreign_key if person.card_status == "foreign_ca" else self.root_key
        if person.card_status == "expired":
            start, end = (
                self._as_of - timedelta(days=5 * 365 + 30),
                self._as_of - timedelta(days=30),
            )
        else:
            start, end = self._as_of - timedelta(days=365), self._as_of + timedelta(days=4 * 365)
        serial = _serial(self._seed, f"card:{person.id}")
        if person.card_status == "revoked":
            self._revoked.add(serial)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(
                x509.Name(
                    [
                        x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
                        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "JPKI Simulator"),
                        x509.NameAttribute(NameOID.COMMON_NAME, person.card_number),
                    ]
                )
            )
            .issuer_name(_ROOT_NAME)
            .public_key(key.public_key())
            .serial_number(serial)
            .not_valid_before(_midnight(start))
            .not_valid_after(_midnight(end))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.CRLDistributionPoints(
                    [
                        x509.DistributionPoint(
                            full_name=[x509.UniformResourceIdentifier(self._crl_url)],
                            relative_name=None,
                            reasons=None,
                            crl_issuer=None,
                        )
                    ]
                ),
                critical=False,
            )
            .sign(signer, None)
        )
        return Card(person.id, key, certificate)

    def crl(self, now: datetime) -> bytes:
        """The CRL as DER, fresh for a day from ``now`` (to the hour), signed by the root."""
        this_update = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(_ROOT_NAME)
            .last_update(this_update)
            .next_update(this_update + timedelta(days=1))
        )
        for serial in sorted(self._revoked):
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder()
                .serial_number(serial)
                .revocation_date(_midnight(self._as_of - timedelta(days=10)))
                .build()
            )
        return builder.sign(self.root_key, None).public_bytes(serialization.Encoding.DER)
