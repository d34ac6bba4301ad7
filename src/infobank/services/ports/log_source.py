"""The port a log auditor reads from: the leaves and signed heads of a transparency log,
from this bank's database or another bank's public API (``infobank log verify``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple, Protocol

__all__ = ["LeafBatch", "LogSource", "LogSourceError", "PublishedHead"]


class LogSourceError(Exception):
    """The source could not be read (network error, or an unexpected answer)."""


class LeafBatch(NamedTuple):
    """Consecutive leaves as a source holds them (indexes, leaf bytes, stored leaf hashes)."""

    indexes: Sequence[int]
    leaves: Sequence[bytes]
    hashes: Sequence[bytes]


@dataclass(frozen=True, slots=True)
class PublishedHead:
    """A signed tree head as published: fields exactly as given, not yet trusted."""

    tree_size: int
    root_hash: str
    timestamp: str
    signature: str


class LogSource(Protocol):
    """Where a log is read from: the database, or a running server's public API."""

    def size(self) -> int:
        """How many leaves the source says the log holds."""
        ...

    def heads(self) -> Iterable[PublishedHead]: ...

    def batches(self, start: int, end: int) -> Iterator[LeafBatch]:
        """Stored leaves with ``start <= index < end`` in index order, gaps left as they are."""
        ...

    def consistency(self, first: int, second: int) -> Sequence[bytes] | None:
        """The source's consistency proof, or None if it cannot give one."""
        ...

    def stored_root(self, size: int) -> bytes | None:
        """The root the source's own stored tree has at ``size``; None if it keeps none.

        Raises LookupError if the stored tree is incomplete.
        """
        ...
