"""Another infobank instance over HTTP(S): its transfer key, and handing it a bundle."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from infobank.services.ports.transfers import PeerError

__all__ = ["HttpxBankPeer"]


class HttpxBankPeer:
    def __init__(self, client: httpx.Client | None = None, timeout: float = 30.0) -> None:
        self._client = client or httpx.Client(timeout=timeout, follow_redirects=False)
        self._owned = client is None

    def close(self) -> None:
        if self._owned:
            self._client.close()

    def _call(self, method: str, url: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = self._client.request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            raise PeerError(f"{url} could not be reached: {type(exc).__name__}") from exc
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code >= 400 or not isinstance(body, dict):
            detail = body.get("detail") if isinstance(body, dict) else response.text[:200]
            raise PeerError(
                f"{url} answered {response.status_code}: {detail}", response.status_code
            )
        return body

    def transfer_key(self, base_url: str) -> dict[str, Any]:
        return self._call("GET", f"{base_url.rstrip('/')}/v1/bank/transfer-key")

    def jwks(self, base_url: str) -> dict[str, Any]:
        return self._call("GET", f"{base_url.rstrip('/')}/.well-known/jwks.json")

    def send_bundle(self, base_url: str, body: Mapping[str, Any]) -> dict[str, Any]:
        return self._call("POST", f"{base_url.rstrip('/')}/v1/transfers", json=dict(body))
