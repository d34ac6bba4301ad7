"""Auditing the transparency log (``infobank log verify``): recompute everything from the
leaves, and trust nothing but the bank's public signing key.

    heads ──► signature + payload ──► trusted heads ──► consistency proof, pair by pair
                                           │
    leaves, in index order                 ▼
      ──► index == expected? ──► SHA-256(0x00 || leaf) == stored hash? ──► StreamingRoot
      ──► root at each trusted head's size == its signed root?
      ──► any mismatch: bisect with consistency proofs against the first head (or stored
          tree) it contradicts ──► the first bad index

The leaves stream in batches; memory holds the O(log n) stack of the tree, plus the leaf
hashes since the last head that matched (32 bytes each), kept to pin down the first bad
index. A verifier that has checked a head at size n knows the first n leaves it was shown are
exactly those the bank signed; see ``src/infobank/domain/README_log.md`` for what follows and
what does not.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from infobank.domain.merkle import EMPTY_ROOT, StreamingRoot
from infobank.domain.merkle_proofs import verify_consistency
from infobank.domain.tree_heads import HASH_SIZE, claims_from_payload, decode_hash
from infobank.services.ports.log_source import LeafBatch, LogSource, PublishedHead

__all__ = ["Report", "SignatureCheck", "verify"]

SignatureCheck = Callable[[str], bytes | None]
"""The payload of a compact JWS if the bank's published key signed it, else None."""

Progress = Callable[[int, int], None]


@dataclass
class Report:
    size: int = 0
    leaves_checked: int = 0
    heads_checked: int = 0
    first_bad_index: int | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class _Reference(NamedTuple):
    size: int
    root: bytes
    what: str  # "the head signed at size n" / "the stored tree at size n"


class _Head(NamedTuple):
    size: int
    root: bytes
    timestamp: datetime


def _trusted(heads: Iterable[PublishedHead], check: SignatureCheck, report: Report) -> list[_Head]:
    """Heads whose signature verifies and whose published fields are what was signed."""
    by_size: dict[int, _Head] = {}
    for head in heads:
        report.heads_checked += 1
        where = f"head at size {head.tree_size}"
        payload = check(head.signature)
        if payload is None:
            report.problems.append(f"{where}: the signature does not verify")
            continue
        claims = claims_from_payload(payload)
        if claims is None:
            report.problems.append(f"{where}: the signed payload is not a tree head")
            continue
        published = {
            "root_hash": head.root_hash,
            "timestamp": head.timestamp,
            "tree_size": head.tree_size,
        }
        if claims != published:
            report.problems.append(f"{where}: the published fields differ from the signed ones")
            continue
        try:
            at = datetime.fromisoformat(claims["timestamp"])
        except ValueError:
            report.problems.append(f"{where}: the signed timestamp is not RFC 3339")
            continue
        root = decode_hash(claims["root_hash"])
        assert root is not None  # claims_from_payload checked it
        seen = by_size.get(head.tree_size)
        if seen is not None and seen.root != root:
            report.problems.append(f"{where}: two signed heads give this size different roots")
            continue
        by_size[head.tree_size] = _Head(head.tree_size, root, at)
    return [by_size[size] for size in sorted(by_size)]


def _check_heads(heads: list[_Head], source: LogSource, report: Report) -> None:
    """Successive heads: time never runs backwards, and each extends the one before."""
    for head in heads:
        if head.size == 0 and head.root != EMPTY_ROOT:
            report.problems.append("head at size 0: the root is not the empty tree's")
    for before, after in zip(heads, heads[1:], strict=False):
        if after.timestamp < before.timestamp:
            report.problems.append(
                f"heads at sizes {before.size} and {after.size}: the later is dated earlier"
            )
        if before.size == 0:
            continue
        proof = source.consistency(before.size, after.size)
        if proof is None or not verify_consistency(
            before.size, after.size, before.root, after.root, proof
        ):
            report.problems.append(
                f"heads at sizes {before.size} and {after.size}: no valid consistency proof "
                "(the log was rewritten between them, or its stored tree is damaged)"
            )


class _Mismatch(NamedTuple):
    """Where the walk stopped: the first index not yet proven good is at most ``upto``."""

    upto: int
    ref: _Reference | None  # the head (or stored tree) to bisect against, if any
    direct: str | None  # what was seen at ``upto`` itself, if anything


class _Walk:
    """The leaf stream's state: the tree so far and what is needed to bisect a mismatch."""

    def __init__(self, source: LogSource, refs: list[_Reference]) -> None:
        self.source = source
        self.refs = refs  # by size; refs[self.next] is the next one to reach
        self.next = 0
        self.tree = StreamingRoot()
        self.size = 0
        self.good = StreamingRoot()  # the tree at the last size a reference confirmed
        self.segment = bytearray()  # leaf hashes since then, 32 bytes each

    def run(
        self, batches: Iterable[LeafBatch], progress: Progress | None, target: int
    ) -> _Mismatch | None:
        for batch in batches:
            found = self._batch(batch)
            if progress is not None:
                progress(self.size, target)
            if found is not None:
                return found
        if self.size < target:
            return self._stop(self.size, f"leaf {self.size} is missing (the log ends early)")
        return None

    def _batch(self, batch: LeafBatch) -> _Mismatch | None:
        start, count = self.size, len(batch.leaves)
        direct: str | None = None
        expected = range(start, start + count)
        if list(batch.indexes) != list(expected):
            count = _first_mismatch(batch.indexes, expected)
            why = "is missing" if batch.indexes[count] > start + count else "is out of order"
            direct = f"leaf {start + count} {why}"
        sha = hashlib.sha256
        hashes = [sha(b"\x00" + leaf).digest() for leaf in batch.leaves[:count]]
        stored = list(batch.hashes[:count])
        if hashes != stored:
            count = _first_mismatch(hashes, stored)
            hashes = hashes[:count]
            direct = f"leaf {start + count} does not match its stored hash (changed)"
        position = 0
        while position < count:  # feed the tree, stopping at every reference's size
            stop = count
            ref = self.refs[self.next] if self.next < len(self.refs) else None
            if ref is not None and ref.size - start <= count:
                stop = ref.size - start
            self.add(hashes[position:stop])
            position = stop
            if ref is not None and ref.size == self.size:
                if self.tree.root() != ref.root:
                    return _Mismatch(self.size - 1, ref, None)
                self.good = self.tree.copy()
                self.segment.clear()
                self.next += 1
        return self._stop(start + count, direct) if direct is not None else None

    def _stop(self, index: int, direct: str) -> _Mismatch:
        ref = self.refs[self.next] if self.next < len(self.refs) else None
        return _Mismatch(index, ref, direct)

    def add(self, hashes: Sequence[bytes]) -> None:
        self.tree.extend(hashes)
        self.segment += b"".join(hashes)
        self.size += len(hashes)

    def _prefix_root(self, size: int) -> bytes:
        tree = self.good.copy()
        seg = self.segment
        count = size - tree.size
        tree.extend([bytes(seg[i * HASH_SIZE : (i + 1) * HASH_SIZE]) for i in range(count)])
        return tree.root()

    def _proven(self, size: int, ref: _Reference) -> bool:
        if size == self.good.size:
            return True
        prefix = self._prefix_root(size)
        if size == ref.size:
            return prefix == ref.root
        proof = self.source.consistency(size, ref.size)
        return proof is not None and verify_consistency(size, ref.size, prefix, ref.root, proof)

    def first_bad(self, upto: int, ref: _Reference) -> int:
        """The largest size ≤ ``upto`` whose leaves ``ref`` is proven to commit to: every
        leaf below it is good, and the leaf at it is the first one not proven good."""
        lo, hi = self.good.size, upto
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self._proven(mid, ref):
                lo = mid
            else:
                hi = mid - 1
        return lo


def _first_mismatch(a: Sequence[object], b: Sequence[object]) -> int:
    pairs = enumerate(zip(a, b, strict=False))
    return next((i for i, (x, y) in pairs if x != y), min(len(a), len(b)))


def _references(
    heads: list[_Head], source: LogSource, size: int, report: Report
) -> list[_Reference]:
    """What the recomputed tree must match: each signed head, then (if the source keeps one
    and it reaches further) the source's own stored tree at its size."""
    refs = [_Reference(h.size, h.root, f"the head signed at size {h.size}") for h in heads]
    refs = [r for r in refs if r.size > 0]
    if size > (refs[-1].size if refs else 0):
        try:
            stored = source.stored_root(size)
        except LookupError as exc:
            report.problems.append(f"the stored tree is incomplete: {exc}")
            stored = None
        if stored is not None:
            refs.append(_Reference(size, stored, f"the stored tree at size {size}"))
    return refs


def verify(
    source: LogSource,
    check: SignatureCheck,
    *,
    progress: Progress | None = None,
) -> Report:
    """Check the whole log from ``source``; the report names the first bad index, if any."""
    report = Report()
    size = source.size()  # first: a server signs a head covering it, listed next
    heads = _trusted(source.heads(), check, report)
    _check_heads(heads, source, report)
    report.size = target = max(size, heads[-1].size if heads else 0)
    walk = _Walk(source, _references(heads, source, size, report))
    stream = source.batches(0, target)
    try:
        found = walk.run(stream, progress, target)
    finally:
        close = getattr(stream, "close", None)
        if close is not None:  # a generator left early lets go of its connection now
            close()
    report.leaves_checked = walk.size
    if found is not None:
        index = walk.first_bad(found.upto, found.ref) if found.ref is not None else found.upto
        if found.direct is not None and index == found.upto:
            reason = found.direct
        else:
            assert found.ref is not None
            reason = (
                f"leaf {index} is not what {found.ref.what} commits to "
                "(changed, removed or reordered)"
            )
        report.leaves_checked = index
        report.first_bad_index = index
        report.problems.insert(0, f"first bad index {index}: {reason}")
    return report
