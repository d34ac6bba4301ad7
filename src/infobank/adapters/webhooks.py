"""Webhook delivery over HTTP (httpx). The body is the bank-signed JWS itself."""

from __future__ import annotations

import httpx

__all__ = ["HttpxWebhookSender"]


class HttpxWebhookSender:
    def __init__(self, timeout_s: float = 10.0) -> None:
        self._client = httpx.Client(timeout=timeout_s, follow_redirects=False)

    def post(self, url: str, body: str) -> int:
        response = self._client.post(
            url, content=body.encode(), headers={"Content-Type": "application/jose"}
        )
        return response.status_code

    def close(self) -> None:
        self._client.close()
