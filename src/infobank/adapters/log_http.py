"""The transparency log read from a running bank's public API, for ``infobank log verify
--url``: heads from ``/v1/log/head`` and ``/v1/log/heads``, leaves from ``/v1/log/entries``
in pages, consistency proofs from ``/v1/log/consistency``.

Whatever the server answers is only data to check: a malformed answer becomes a value the
verifier will reject (a hash that matches nothing), never trusted.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import httpx

from infobank.domain.tree_heads import decode_hash
from infobank.services.ports.log_source import LeafBatch, LogSourceError, PublishedHead

__all__ = ["HttpLogSource"]


class HttpLogSource:
    def __init__(self, client: httpx.Client, *, page: int = 1000) -> None:
        self.client = client
        self.page = page

    def _get(self, path: str, **params: int) -> Any:
        try:
            response = self.client.get(path, params=params)
        except httpx.HTTPError as exc:
            raise LogSourceError(f"GET {path}: {exc}") from exc
        if response.status_code != 200:
            raise LogSourceError(f"GET {path}: HTTP {response.status_code}")
        try:
            return response.json()
        except ValueError as exc:
            raise LogSourceError(f"GET {path}: the answer is not JSON") from exc

    def jwks(self) -> dict[str, Any]:
        found = self._get("/.well-known/jwks.json")
        if not isinstance(found, dict):
            raise LogSourceError("the JWKS is not a JSON object")
        return found

    def size(self) -> int:
        head = self._get("/v1/log/head")
        size = head.get("tree_size") if isinstance(head, dict) else None
        if not isinstance(size, int) or size < 0:
            raise LogSourceError("GET /v1/log/head: no tree_size")
        return size

    def heads(self) -> Iterator[PublishedHead]:
        start = 0
        while True:
            page = self._get("/v1/log/heads", start=start)
            if not isinstance(page, list) or not page:
                return
            for item in page:
                head = _head(item)
                if head.tree_size < start:
                    raise LogSourceError("GET /v1/log/heads: heads out of order")
                start = head.tree_size + 1
                yield head

    def batches(self, start: int, end: int) -> Iterator[LeafBatch]:
        position = start
        while position < end:
            page = self._get("/v1/log/entries", start=position, end=min(end, position + self.page))
            if not isinstance(page, list) or not page:
                return
            indexes, leaves, hashes = [], [], []
            for item in page:
                index, leaf, hashed = _entry(item)
                indexes.append(index)
                leaves.append(leaf)
                hashes.append(hashed)
            yield LeafBatch(indexes, leaves, hashes)
            if indexes[-1] < position:
                return
            position = indexes[-1] + 1

    def consistency(self, first: int, second: int) -> Sequence[bytes] | None:
        try:
            found = self._get("/v1/log/consistency", first=first, second=second)
        except LogSourceError:
            return None
        proof = found.get("proof") if isinstance(found, dict) else None
        if not isinstance(proof, list):
            return None
        hashes = [decode_hash(item) for item in proof]
        return None if any(h is None for h in hashes) else [h for h in hashes if h is not None]

    def stored_root(self, size: int) -> None:  # noqa: ARG002 - the API publishes signed heads only
        return None


def _head(item: Any) -> PublishedHead:
    if not isinstance(item, dict):
        raise LogSourceError("a published head is not a JSON object")
    size, root, at, signature = (
        item.get(k) for k in ("tree_size", "root_hash", "timestamp", "signature")
    )
    if not (isinstance(size, int) and isinstance(root, str) and isinstance(at, str)):
        raise LogSourceError("a published head lacks tree_size, root_hash or timestamp")
    return PublishedHead(size, root, at, signature if isinstance(signature, str) else "")


def _entry(item: Any) -> tuple[int, bytes, bytes]:
    if not isinstance(item, dict) or not isinstance(item.get("index"), int):
        raise LogSourceError("a log entry lacks its index")
    leaf = item.get("leaf")
    hashed = decode_hash(item.get("leaf_hash"))
    return (
        item["index"],
        leaf.encode("utf-8") if isinstance(leaf, str) else b"",
        hashed if hashed is not None else b"",
    )
