"""The port for webhook delivery to recipients: POST a signed notice, get the HTTP status."""

from __future__ import annotations

from typing import Protocol

__all__ = ["WebhookSender"]


class WebhookSender(Protocol):
    def post(self, url: str, body: str) -> int:
        """POST ``body`` (a JWS) and return the HTTP status; raise on network failure."""
        ...
