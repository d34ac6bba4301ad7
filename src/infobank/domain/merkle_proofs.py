"""Inclusion and consistency proofs for the transparency log (RFC 9162 section 2.1.3-2.1.4).

The generators walk the RFC's recursive PATH / SUBPROOF definitions top-down
without recursion, reading O(log n) complete nodes through a
:class:`~infobank.domain.merkle.NodeReader`; proofs come out deepest sibling
first, as the RFC orders them.  The verifiers are the RFC 9162 section 2.1.3.2
and 2.1.4.2 algorithms step by step, need nothing but hashes, and answer
``False`` (never raise) for any malformed input.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from infobank.domain.merkle import (
    NodeReader,
    largest_power_of_two_below,
    subtree_hash,
)

__all__ = [
    "consistency_proof",
    "inclusion_proof",
    "verify_consistency",
    "verify_inclusion",
]

_HASH_SIZE = 32


def inclusion_proof(index: int, size: int, reader: NodeReader) -> list[bytes]:
    """The audit path PATH(index, D[0:size]) (RFC 9162 section 2.1.3.1)."""
    if size < 1:
        raise ValueError(f"an inclusion proof needs a tree of at least 1 leaf, got size {size}")
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} is outside a tree of size {size}")
    path: list[bytes] = []
    lo, hi = 0, size
    while hi - lo > 1:
        k = largest_power_of_two_below(hi - lo)
        mid = lo + k
        if index < mid:
            path.append(subtree_hash(mid, hi, reader))
            hi = mid
        else:
            path.append(subtree_hash(lo, mid, reader))
            lo = mid
    path.reverse()
    return path


def consistency_proof(first: int, second: int, reader: NodeReader) -> list[bytes]:
    """PROOF(first, D[0:second]) (RFC 9162 section 2.1.4.1); empty when first == second."""
    if not 0 < first <= second:
        raise ValueError(
            f"a consistency proof needs 0 < first <= second, got first={first}, second={second}"
        )
    path: list[bytes] = []
    lo, hi = 0, second
    complete = True  # SUBPROOF's b: is the current subtree still the whole old tree's root?
    while first != hi:
        k = largest_power_of_two_below(hi - lo)
        mid = lo + k
        if first <= mid:
            path.append(subtree_hash(mid, hi, reader))
            hi = mid
        else:
            path.append(subtree_hash(lo, mid, reader))
            lo = mid
            complete = False
    if not complete:
        path.append(subtree_hash(lo, hi, reader))
    path.reverse()
    return path


def _is_hash(value: object) -> bool:
    return isinstance(value, bytes) and len(value) == _HASH_SIZE


def _is_size(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _hash_children(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def verify_inclusion(
    leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 section 2.1.3.2: does ``proof`` put ``leaf_hash`` at ``index`` under ``root``?"""
    if not (_is_size(index) and _is_size(size) and _is_hash(leaf_hash) and _is_hash(root)):
        return False
    if isinstance(proof, (bytes, str)) or not isinstance(proof, Sequence):
        return False
    if not all(_is_hash(p) for p in proof):
        return False
    # 1. Compare leaf_index against tree_size.
    if not 0 <= index < size:
        return False
    # 2-3.
    fn, sn = index, size - 1
    r = leaf_hash
    # 4.
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = _hash_children(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = _hash_children(r, p)
        fn >>= 1
        sn >>= 1
    # 5.
    return sn == 0 and r == root


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 section 2.1.4.2: is the tree of size ``second`` an extension of ``first``?

    ``first == second`` is accepted only with an empty proof and equal roots.
    """
    if not (
        _is_size(first) and _is_size(second) and _is_hash(first_root) and _is_hash(second_root)
    ):
        return False
    if isinstance(proof, (bytes, str)) or not isinstance(proof, Sequence):
        return False
    if not all(_is_hash(p) for p in proof):
        return False
    if not 0 < first <= second:
        return False
    if first == second:
        return len(proof) == 0 and first_root == second_root
    # 1. An empty proof fails.
    if len(proof) == 0:
        return False
    path = list(proof)
    # 2. If first is an exact power of 2, prepend first_hash.
    if first & (first - 1) == 0:
        path.insert(0, first_root)
    # 3.
    fn, sn = first - 1, second - 1
    # 4. If LSB(fn) is set, right-shift fn and sn until it is not.
    while fn & 1:
        fn >>= 1
        sn >>= 1
    # 5.
    fr = sr = path[0]
    # 6.
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = _hash_children(c, fr)
            sr = _hash_children(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = _hash_children(sr, c)
        fn >>= 1
        sn >>= 1
    # 7.
    return fr == first_root and sr == second_root and sn == 0
