"""The bank's key files in ``INFOBANK_HOME``.

On first start the folder is created with mode 0700 and gets two files, each mode 0600:

    master.key       32 random bytes (base64): wraps every person's data key and, through
                     HKDF, keys the lookup hashes and pseudonyms. Losing it loses all data.
    signing.jwk      the bank's Ed25519 private key (JWK); its public half is in the JWKS.

Subkeys are derived with HKDF-SHA256 and a purpose label, so one secret on disk serves several
independent uses without one use ever seeing another's key.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from joserfc.jwk import OKPKey

__all__ = ["KeyStore"]

_MASTER = "master.key"
_SIGNING = "signing.jwk"


def _write_secret(path: Path, content: bytes) -> None:
    # O_EXCL: two processes starting at once must not overwrite each other's fresh key.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)


@dataclass(frozen=True)
class KeyStore:
    home: Path
    master_key: bytes
    signing_key: OKPKey

    @classmethod
    def open(cls, home: Path) -> KeyStore:
        """Load the keys, creating the folder and the key files on first use."""
        home = home.expanduser()
        home.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(home, 0o700)
        master_path = home / _MASTER
        if not master_path.exists():
            try:
                _write_secret(master_path, base64.b64encode(secrets.token_bytes(32)))
            except FileExistsError:
                pass
        master = base64.b64decode(master_path.read_bytes().strip())
        if len(master) != 32:
            raise ValueError(f"{master_path} does not hold a 32-byte key")
        signing_path = home / _SIGNING
        if not signing_path.exists():
            key = OKPKey.generate_key("Ed25519", private=True, auto_kid=True)
            try:
                _write_secret(signing_path, json.dumps(key.as_dict(private=True)).encode())
            except FileExistsError:
                pass
        data: dict[str, Any] = json.loads(signing_path.read_text())
        signing = OKPKey.import_key(data)
        return cls(home=home, master_key=master, signing_key=signing)

    def derive(self, label: str, length: int = 32) -> bytes:
        """A subkey for one purpose (``label``), independent of every other label's key."""
        hkdf = HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=label.encode())
        return hkdf.derive(self.master_key)
