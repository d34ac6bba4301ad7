r"""The Merkle tree at the heart of the transparency log (RFC 9162 / RFC 6962 hashing).

Why: every consent, every data release and every revocation is appended to a log
that only ever grows.  Its root hash, signed now and then, commits to every entry
so far.  Anybody holding two signed roots can check, with a few dozen hashes,
that an entry is in the log (inclusion proof) and that the later log extends the
earlier one without rewriting history (consistency proof) -- so the bank cannot
quietly edit the past, and nobody has to trust it about that.

The tree shape is RFC 9162 section 2.1.1: split the leaves at the largest power
of two *smaller* than their count, so the left part is always a perfect tree.
For 7 leaves d0..d6 (k = 4 at the top, then k = 2 on the right)::

                        root
                /                  \
           h(0..3)                h(4..6)
          /       \              /       \
      h(0,1)     h(2,3)      h(4,5)       d6
      /   \      /    \      /    \
     d0   d1    d2    d3    d4    d5

Leaves hash as SHA-256(0x00 || leaf) and interior nodes as
SHA-256(0x01 || left || right); the empty tree hashes as SHA-256("").

Storage keeps only *complete* (perfect) subtrees, addressed by ``(level, index)``
where ``(level, index)`` covers leaves ``[index * 2**level, (index + 1) * 2**level)``.
Those never change once written, and any root or proof for any size is a
handful (O(log n)) of look-ups among them.  Proofs live in
:mod:`infobank.domain.merkle_proofs`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Protocol

__all__ = [
    "EMPTY_ROOT",
    "MemoryNodes",
    "NodeReader",
    "StreamingRoot",
    "canonical_json",
    "largest_power_of_two_below",
    "leaf_hash",
    "new_nodes_after_append",
    "node_hash",
    "root",
    "root_from_leaf_hashes",
    "subtree_hash",
]

_sha256 = hashlib.sha256

EMPTY_ROOT: bytes = _sha256(b"").digest()
"""MTH of the empty list: SHA-256 of the empty string."""


def leaf_hash(leaf: bytes) -> bytes:
    """SHA-256(0x00 || leaf)."""
    return _sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right)."""
    return _sha256(b"\x01" + left + right).digest()


def canonical_json(obj: object) -> bytes:
    """The leaf encoding: sorted keys, no whitespace, UTF-8."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def largest_power_of_two_below(n: int) -> int:
    """The RFC's split point k: the largest power of two with k < n (n >= 2)."""
    if n < 2:
        raise ValueError(f"no power of two splits a tree of {n} leaves")
    return 1 << ((n - 1).bit_length() - 1)


def root_from_leaf_hashes(hashes: Sequence[bytes]) -> bytes:
    """MTH over already-hashed leaves, for any count, without recursion.

    Pairs neighbours level by level and carries an unpaired last node up
    unchanged; that gives exactly the RFC tree, whose right edge is the only
    place a node lacks a sibling.
    """
    n = len(hashes)
    if n == 0:
        return EMPTY_ROOT
    sha = _sha256
    level: Sequence[bytes] = hashes
    while n > 1:
        it = iter(level)
        paired = [sha(b"\x01" + a + b).digest() for a, b in zip(it, it, strict=False)]
        if n & 1:
            paired.append(level[n - 1])
        level = paired
        n = len(paired)
    return level[0]


class NodeReader(Protocol):
    """Read access to stored complete subtrees."""

    def node(self, level: int, index: int) -> bytes:
        """Hash of the perfect subtree over leaves [index*2**level, (index+1)*2**level)."""
        ...


def new_nodes_after_append(
    size_before: int, leaf_hash: bytes, reader: NodeReader
) -> list[tuple[int, int, bytes]]:
    """Every complete node that appending one leaf creates, leaf first.

    ``reader`` must hold the complete nodes of the tree of ``size_before``
    leaves; it is asked only for the left siblings being completed.
    """
    if size_before < 0:
        raise ValueError(f"size_before must be >= 0, got {size_before}")
    level, index, current = 0, size_before, leaf_hash
    created = [(0, index, current)]
    while index & 1:
        current = node_hash(reader.node(level, index - 1), current)
        level += 1
        index >>= 1
        created.append((level, index, current))
    return created


def _perfect_hash(start: int, width: int, reader: NodeReader) -> bytes:
    """Hash of the perfect tree over leaves [start, start + width), width a power of two."""
    # The largest stored nodes that tile the range are aligned to start's lowest set bit.
    level = width.bit_length() - 1
    if start:
        level = min(level, (start & -start).bit_length() - 1)
    first = start >> level
    if (1 << level) == width:
        return reader.node(level, first)
    nodes = [reader.node(level, i) for i in range(first, first + (width >> level))]
    return root_from_leaf_hashes(nodes)


def subtree_hash(start: int, end: int, reader: NodeReader) -> bytes:
    """MTH of leaves [start, end), from stored complete nodes.

    The RFC tree over n leaves is a right fold of perfect trees whose sizes are
    the binary digits of n, largest first (n = 7: H(T4, H(T2, T1))).  When
    ``start`` is a multiple of the largest of them -- always, for roots and
    proofs -- each is one stored node and this costs popcount(n) look-ups.
    """
    if not 0 <= start <= end:
        raise ValueError(f"need 0 <= start <= end, got [{start}, {end})")
    width = end - start
    if width == 0:
        return EMPTY_ROOT
    chunks: list[bytes] = []
    position = start
    for bit in range(width.bit_length() - 1, -1, -1):
        if width >> bit & 1:
            chunks.append(_perfect_hash(position, 1 << bit, reader))
            position += 1 << bit
    acc = chunks[-1]
    for chunk in reversed(chunks[:-1]):
        acc = node_hash(chunk, acc)
    return acc


def root(size: int, reader: NodeReader) -> bytes:
    """The tree head hash for the first ``size`` leaves."""
    if size < 0:
        raise ValueError(f"tree size must be >= 0, got {size}")
    return subtree_hash(0, size, reader)


class StreamingRoot:
    """Recomputes the root as leaf hashes stream past, keeping O(log n) state.

    The stack holds the roots of the perfect subtrees that make up the tree so
    far, largest first -- one per set bit of the size.
    """

    __slots__ = ("_size", "_stack")

    def __init__(self) -> None:
        self._size = 0
        self._stack: list[bytes] = []

    @property
    def size(self) -> int:
        return self._size

    def push(self, leaf_hash: bytes) -> None:
        """Add the next leaf's hash (already SHA-256(0x00 || leaf))."""
        stack = self._stack
        current = leaf_hash
        n = self._size
        while n & 1:
            current = _sha256(b"\x01" + stack.pop() + current).digest()
            n >>= 1
        stack.append(current)
        self._size += 1

    def push_leaf(self, leaf: bytes) -> None:
        """Hash a raw leaf and add it."""
        self.push(leaf_hash(leaf))

    def extend(self, hashes: Sequence[bytes]) -> None:
        """Add many leaf hashes: the same state as ``push`` for each, with far less overhead.

        The run is cut into the largest perfect subtrees the current size allows; each is
        reduced level by level in one list comprehension and joins the stack as one node.
        """
        sha = _sha256
        stack = self._stack
        start, total = 0, len(hashes)
        while start < total:
            size = self._size
            width = 1 << ((total - start).bit_length() - 1)
            if size:
                width = min(width, size & -size)
            level: Sequence[bytes] = hashes[start : start + width]
            while len(level) > 1:
                it = iter(level)
                level = [sha(b"\x01" + a + b).digest() for a, b in zip(it, it, strict=False)]
            current = level[0]
            n = size // width
            while n & 1:
                current = sha(b"\x01" + stack.pop() + current).digest()
                n >>= 1
            stack.append(current)
            self._size = size + width
            start += width

    def copy(self) -> StreamingRoot:
        """An independent copy of the state (to try more leaves without losing this point)."""
        twin = StreamingRoot()
        twin._size = self._size
        twin._stack = list(self._stack)
        return twin

    def root(self) -> bytes:
        """MTH of everything pushed so far."""
        stack = self._stack
        if not stack:
            return EMPTY_ROOT
        acc = stack[-1]
        for i in range(len(stack) - 2, -1, -1):
            acc = node_hash(stack[i], acc)
        return acc


class MemoryNodes:
    """An in-memory log: every complete node, one list per level."""

    __slots__ = ("_levels",)

    def __init__(self) -> None:
        self._levels: list[list[bytes]] = [[]]

    @classmethod
    def from_leaves(cls, leaves: Sequence[bytes]) -> MemoryNodes:
        nodes = cls()
        for leaf in leaves:
            nodes.append(leaf)
        return nodes

    @property
    def size(self) -> int:
        return len(self._levels[0])

    def node(self, level: int, index: int) -> bytes:
        if level < 0 or index < 0 or level >= len(self._levels):
            raise LookupError(f"no complete node at level {level}, index {index}")
        row = self._levels[level]
        if index >= len(row):
            raise LookupError(f"no complete node at level {level}, index {index}")
        return row[index]

    def append(self, leaf: bytes) -> int:
        """Append a raw leaf; return its index."""
        return self.append_leaf_hash(leaf_hash(leaf))

    def append_leaf_hash(self, hashed: bytes) -> int:
        """Append an already-hashed leaf; return its index."""
        index = self.size
        for level, _, value in new_nodes_after_append(index, hashed, self):
            if level == len(self._levels):
                self._levels.append([])
            self._levels[level].append(value)
        return index

    def root(self, size: int | None = None) -> bytes:
        """Root of the whole log, or of its first ``size`` leaves."""
        size = self.size if size is None else size
        if size > self.size:
            raise ValueError(f"tree size {size} exceeds the log's {self.size} leaves")
        return root(size, self)
