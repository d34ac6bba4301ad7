"""The port for the transparency log (透明性ログ): leaves, tree nodes and signed heads."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol, TypeVar

from infobank.domain.merkle import NodeReader
from infobank.domain.tree_heads import TreeHead

__all__ = ["TransparencyLog"]

_T = TypeVar("_T")


class TransparencyLog(Protocol):
    """Append-only; each append commits with the change it records."""

    def append(self, leaf: Mapping[str, Any], at: datetime) -> int: ...

    def size(self) -> int: ...

    def with_nodes(self, compute: Callable[[NodeReader], _T]) -> _T:
        """``compute`` over the stored complete nodes; LookupError if one it needs is missing."""
        ...

    def entries(self, start: int, end: int) -> list[tuple[int, str, bytes]]:
        """Stored leaves ``start <= index < end`` as ``(index, leaf, leaf_hash)``."""
        ...

    def add_head(self, head: TreeHead) -> TreeHead:
        """Store a signed head; returns the head stored for that size (first one wins)."""
        ...

    def head(self, tree_size: int) -> TreeHead | None: ...

    def latest_head(self) -> TreeHead | None: ...

    def heads(self, start: int, limit: int) -> Sequence[TreeHead]: ...
