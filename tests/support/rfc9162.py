"""An independent, deliberately naive RFC 6962 / RFC 9162 Merkle tree for tests.

Written straight from the RFC text and sharing no code with
``infobank.domain.merkle``: recursive MTH (RFC 6962 section 2.1), PATH
(2.1.1) and SUBPROOF/PROOF (2.1.2), over raw leaves and with list slicing,
plus the RFC 9162 section 2.1.3.2 / 2.1.4.2 verification algorithms.  Slow on
purpose -- clarity is the point; keep trees to a few thousand leaves.
"""

from __future__ import annotations

import hashlib

__all__ = [
    "hash_leaf",
    "mth",
    "path",
    "proof",
    "subproof",
    "verify_consistency",
    "verify_inclusion",
]


def _sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _k(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def hash_leaf(leaf: bytes) -> bytes:
    """MTH({d(0)}) = SHA-256(0x00 || d(0))."""
    return _sha256(b"\x00" + leaf)


def mth(leaves: list[bytes]) -> bytes:
    """Merkle Tree Hash of a list of raw leaves."""
    n = len(leaves)
    if n == 0:
        return _sha256(b"")
    if n == 1:
        return hash_leaf(leaves[0])
    k = _k(n)
    return _sha256(b"\x01" + mth(leaves[:k]) + mth(leaves[k:]))


def path(m: int, leaves: list[bytes]) -> list[bytes]:
    """PATH(m, D[n]): the audit path for leaf m."""
    n = len(leaves)
    if n == 1:
        return []
    k = _k(n)
    if m < k:
        return path(m, leaves[:k]) + [mth(leaves[k:])]
    return path(m - k, leaves[k:]) + [mth(leaves[:k])]


def subproof(m: int, leaves: list[bytes], b: bool) -> list[bytes]:
    """SUBPROOF(m, D[n], b)."""
    n = len(leaves)
    if m == n:
        return [] if b else [mth(leaves)]
    k = _k(n)
    if m <= k:
        return subproof(m, leaves[:k], b) + [mth(leaves[k:])]
    return subproof(m - k, leaves[k:], False) + [mth(leaves[:k])]


def proof(m: int, leaves: list[bytes]) -> list[bytes]:
    """PROOF(m, D[n]) = SUBPROOF(m, D[n], true): consistency of the first m leaves."""
    return subproof(m, leaves, True)


def _children(left: bytes, right: bytes) -> bytes:
    return _sha256(b"\x01" + left + right)


def verify_inclusion(
    leaf_hash: bytes, leaf_index: int, tree_size: int, inclusion_path: list[bytes], root: bytes
) -> bool:
    """RFC 9162 section 2.1.3.2, step by step."""
    if leaf_index >= tree_size or leaf_index < 0:
        return False
    fn = leaf_index
    sn = tree_size - 1
    r = leaf_hash
    for p in inclusion_path:
        if sn == 0:
            return False
        if fn % 2 == 1 or fn == sn:
            r = _children(p, r)
            if fn % 2 == 0:
                while not (fn % 2 == 1 or fn == 0):
                    fn //= 2
                    sn //= 2
        else:
            r = _children(r, p)
        fn //= 2
        sn //= 2
    return sn == 0 and r == root


def verify_consistency(
    first: int, second: int, first_hash: bytes, second_hash: bytes, consistency_path: list[bytes]
) -> bool:
    """RFC 9162 section 2.1.4.2, step by step (for 0 < first < second).

    first == second is outside the RFC algorithm; like the RFC 9162 client
    guidance, accept it only with an empty proof and identical roots.
    """
    if not 0 < first <= second:
        return False
    if first == second:
        return consistency_path == [] and first_hash == second_hash
    if consistency_path == []:
        return False
    cpath = list(consistency_path)
    if first & (first - 1) == 0:
        cpath = [first_hash, *cpath]
    fn = first - 1
    sn = second - 1
    while fn % 2 == 1:
        fn //= 2
        sn //= 2
    fr = cpath[0]
    sr = cpath[0]
    for c in cpath[1:]:
        if sn == 0:
            return False
        if fn % 2 == 1 or fn == sn:
            fr = _children(c, fr)
            sr = _children(c, sr)
            if fn % 2 == 0:
                while not (fn % 2 == 1 or fn == 0):
                    fn //= 2
                    sn //= 2
        else:
            sr = _children(sr, c)
        fn //= 2
        sn //= 2
    return fr == first_hash and sr == second_hash and sn == 0
