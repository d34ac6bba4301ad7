"""The log auditor over an in-memory log: it passes an untouched log and, for every kind of
tampering, fails and names the first bad index."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infobank.domain.merkle import MemoryNodes, StreamingRoot, canonical_json, leaf_hash
from infobank.domain.merkle_proofs import consistency_proof
from infobank.domain.tree_heads import TreeHead, claims_from_payload, decode_hash, encode_hash
from infobank.services.log_verify import Report, verify
from infobank.services.ports.log_source import LeafBatch, PublishedHead
from tests.support import rfc9162 as ref

AT = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
LEAVES = [canonical_json({"event": "test", "n": i}) for i in range(70)]


def sign(payload: bytes) -> str:
    """A stand-in signature: good only if it carries the payload and the right 'key'."""
    return "sig." + payload.decode() + "." + hashlib.sha256(b"key" + payload).hexdigest()


def check(token: str) -> bytes | None:
    parts = token.split(".")
    if len(parts) < 3 or parts[0] != "sig":
        return None
    payload = ".".join(parts[1:-1]).encode()
    return payload if sign(payload) == token else None


class MemoryLog:
    """A log as a database holds it: rows of (index, leaf, stored hash), nodes, heads."""

    def __init__(self, leaves: Sequence[bytes], head_sizes: Sequence[int]) -> None:
        self.nodes = MemoryNodes.from_leaves(leaves)
        self.rows = [(i, leaf, leaf_hash(leaf)) for i, leaf in enumerate(leaves)]
        self.recorded_size = len(leaves)
        self.published = [self.head(size, AT + timedelta(minutes=size)) for size in head_sizes]
        self.page = 16

    def head(self, size: int, at: datetime) -> PublishedHead:
        head = TreeHead(size, self.nodes.root(size), at)
        claims = head.claims()
        return PublishedHead(size, claims["root_hash"], claims["timestamp"], sign(head.payload()))

    def size(self) -> int:
        return self.recorded_size

    def heads(self) -> list[PublishedHead]:
        return self.published

    def batches(self, start: int, end: int) -> Iterator[LeafBatch]:
        rows = sorted((r for r in self.rows if start <= r[0] < end), key=lambda r: r[0])
        for i in range(0, len(rows), self.page):
            page = rows[i : i + self.page]
            yield LeafBatch([r[0] for r in page], [r[1] for r in page], [r[2] for r in page])

    def consistency(self, first: int, second: int) -> list[bytes] | None:
        if second > self.nodes.size:
            return None
        return consistency_proof(first, second, self.nodes)

    def stored_root(self, size: int) -> bytes:
        return self.nodes.root(size)

    # tampering, as someone with write access to the rows would do it
    def change(self, index: int, *, rehash: bool) -> None:
        i, leaf, hashed = self.rows[index]
        new = leaf.replace(b'"test"', b'"TEST"')
        self.rows[index] = (i, new, leaf_hash(new) if rehash else hashed)

    def delete(self, index: int) -> None:
        del self.rows[index]

    def swap(self, a: int, b: int) -> None:
        (ia, la, ha), (ib, lb, hb) = self.rows[a], self.rows[b]
        self.rows[a], self.rows[b] = (ia, lb, hb), (ib, la, ha)


def run(log: MemoryLog) -> Report:
    return verify(log, check)


def test_an_untouched_log_verifies() -> None:
    report = run(MemoryLog(LEAVES, [0, 1, 10, 32, 50, 70]))
    assert report.ok, report.problems
    assert (report.size, report.leaves_checked, report.heads_checked) == (70, 70, 6)
    assert report.first_bad_index is None


def test_a_log_without_heads_is_checked_against_its_stored_tree() -> None:
    log = MemoryLog(LEAVES, [])
    assert run(log).ok
    log.change(33, rehash=True)
    assert run(log).first_bad_index == 33


@pytest.mark.parametrize("index", [0, 9, 10, 31, 40, 69])
@pytest.mark.parametrize("rehash", [False, True])
def test_a_changed_leaf_is_named(index: int, rehash: bool) -> None:
    log = MemoryLog(LEAVES, [10, 32, 70])
    log.change(index, rehash=rehash)
    report = run(log)
    assert not report.ok
    assert report.first_bad_index == index
    assert report.problems[0].startswith(f"first bad index {index}:")


@pytest.mark.parametrize("index", [0, 5, 31, 32, 69])
def test_a_deleted_leaf_is_named(index: int) -> None:
    log = MemoryLog(LEAVES, [10, 32, 70])
    log.delete(index)
    report = run(log)
    assert report.first_bad_index == index
    assert "missing" in report.problems[0]


def test_a_deleted_tail_beyond_the_recorded_size_is_still_caught_by_the_heads() -> None:
    log = MemoryLog(LEAVES, [10, 32, 70])
    for _ in range(5):
        log.delete(len(log.rows) - 1)
    log.recorded_size = 65
    assert run(log).first_bad_index == 65


@pytest.mark.parametrize(("a", "b"), [(0, 1), (3, 40), (12, 30), (33, 68), (50, 51)])
def test_reordered_leaves_are_named_by_the_first_moved_index(a: int, b: int) -> None:
    log = MemoryLog(LEAVES, [10, 32, 70])
    log.swap(a, b)
    report = run(log)
    assert report.first_bad_index == a
    assert "changed, removed or reordered" in report.problems[0]


def test_leaves_renumbered_after_a_removal_are_named_at_the_removal() -> None:
    log = MemoryLog(LEAVES, [10, 32, 70])
    log.rows = [(i, leaf, h) for i, (_, leaf, h) in enumerate(r for r in log.rows if r[0] != 20)]
    log.recorded_size = 69
    assert run(log).first_bad_index == 20


def test_a_swap_before_a_changed_stored_hash_is_named_first() -> None:
    log = MemoryLog(LEAVES, [70])
    log.swap(5, 6)
    log.change(50, rehash=False)
    assert run(log).first_bad_index == 5


def test_a_forged_head_signature_fails_without_an_index() -> None:
    log = MemoryLog(LEAVES, [10, 32, 70])
    forged = log.published[1]
    log.published[1] = PublishedHead(
        forged.tree_size, forged.root_hash, forged.timestamp, forged.signature[:-1] + "0"
    )
    report = run(log)
    assert not report.ok
    assert report.first_bad_index is None
    assert any("head at size 32: the signature does not verify" in p for p in report.problems)


def test_published_fields_must_be_the_signed_ones() -> None:
    log = MemoryLog(LEAVES, [10, 32])
    other = encode_hash(log.nodes.root(31))
    head = log.published[1]
    log.published[1] = PublishedHead(head.tree_size, other, head.timestamp, head.signature)
    assert any("differ from the signed" in p for p in run(log).problems)


def test_heads_that_fork_are_reported_even_when_the_leaves_match_the_last_one() -> None:
    log = MemoryLog(LEAVES, [10, 70])
    # A head the bank signed over a different history at size 10.
    other = MemoryNodes.from_leaves([b"other"] * 10)
    forked = TreeHead(10, other.root(10), AT)
    claims = forked.claims()
    log.published[0] = PublishedHead(
        10, claims["root_hash"], claims["timestamp"], sign(forked.payload())
    )
    report = run(log)
    assert any("no valid consistency proof" in p for p in report.problems)
    assert report.first_bad_index == 0


def test_heads_dated_backwards_are_reported() -> None:
    log = MemoryLog(LEAVES, [])
    log.published = [log.head(10, AT), log.head(20, AT - timedelta(seconds=1))]
    assert any("the later is dated earlier" in p for p in run(log).problems)


def test_progress_is_reported_up_to_the_size() -> None:
    seen: list[tuple[int, int]] = []
    verify(MemoryLog(LEAVES, [70]), check, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (70, 70)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


# --- the pieces it is built from ---------------------------------------------------------


@given(st.lists(st.integers(min_value=0, max_value=40), max_size=8))
def test_streaming_extend_matches_push_for_any_split(cuts: list[int]) -> None:
    hashes = [leaf_hash(leaf) for leaf in LEAVES[:60]]
    pushed, extended = StreamingRoot(), StreamingRoot()
    position = 0
    for cut in [*cuts, 60]:
        stop = min(60, position + cut)
        extended.extend(hashes[position:stop])
        for h in hashes[position:stop]:
            pushed.push(h)
        assert extended.size == pushed.size == stop
        assert extended.root() == pushed.root() == ref.mth(LEAVES[:stop])
        position = stop


def test_a_copy_of_the_streaming_state_is_independent() -> None:
    tree = StreamingRoot()
    tree.extend([leaf_hash(leaf) for leaf in LEAVES[:5]])
    twin = tree.copy()
    twin.push(leaf_hash(LEAVES[5]))
    assert tree.root() == ref.mth(LEAVES[:5]) and twin.root() == ref.mth(LEAVES[:6])


def test_a_tree_head_signs_canonical_json_of_its_three_claims() -> None:
    head = TreeHead(3, bytes(range(32)), AT)
    assert head.payload() == (
        b'{"root_hash":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",'
        b'"timestamp":"2026-11-26T09:00:00Z","tree_size":3}'
    )
    assert claims_from_payload(head.payload()) == head.claims()


@pytest.mark.parametrize(
    "payload",
    [
        b"not json",
        b"[]",
        b'{"root_hash":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=","tree_size":3}',
        b'{"tree_size":3,"root_hash":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",'
        b'"timestamp":"2026-11-26T09:00:00Z"}',
        b'{"root_hash":"AAEC","timestamp":"2026-11-26T09:00:00Z","tree_size":3}',
        b'{"root_hash":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",'
        b'"timestamp":"2026-11-26T09:00:00Z","tree_size":-1}',
        b'{"root_hash":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",'
        b'"timestamp":"2026-11-26T09:00:00Z","tree_size":true}',
    ],
)
def test_only_a_canonical_head_payload_is_accepted(payload: bytes) -> None:
    assert claims_from_payload(payload) is None


def test_hashes_travel_as_standard_padded_base64() -> None:
    value = b"\xfb\xef" * 16
    assert encode_hash(value) == "++/77/vv" * 5 + "++8="
    assert decode_hash(encode_hash(value)) == value
    assert decode_hash("--_77_vv" * 5 + "--8=") is None  # not the URL-safe alphabet
    assert decode_hash(encode_hash(value[:31])) is None
    assert decode_hash(None) is None
