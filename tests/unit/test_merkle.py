"""The transparency log's Merkle core agrees with RFC 9162 and with an independent reference."""

from __future__ import annotations

import hashlib
import random
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infobank.domain.merkle import (
    EMPTY_ROOT,
    MemoryNodes,
    StreamingRoot,
    canonical_json,
    leaf_hash,
    new_nodes_after_append,
    node_hash,
    root,
    root_from_leaf_hashes,
    subtree_hash,
)
from infobank.domain.merkle_proofs import (
    consistency_proof,
    inclusion_proof,
    verify_consistency,
    verify_inclusion,
)
from tests.support import rfc9162 as ref

SMALL = 64
LARGE = 3000

LEAVES = [canonical_json({"entry": i, "kind": "consent", "note": "同意"}) for i in range(LARGE)]
LEAF_HASHES = [leaf_hash(leaf) for leaf in LEAVES]

# The Certificate Transparency reference leaves and roots for sizes 0..8.
CT_LEAVES = [
    bytes.fromhex(h)
    for h in [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ]
]
CT_ROOTS = [
    bytes.fromhex(h)
    for h in [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]
]
CT_INCLUSION = {
    (0, 8): [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
    (5, 8): [
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
}


@cache
def log() -> MemoryNodes:
    """One log of LARGE leaves; every smaller tree is a prefix of it."""
    return MemoryNodes.from_leaves(LEAVES)


@cache
def ref_root(size: int) -> bytes:
    return ref.mth(LEAVES[:size])


class DictNodes:
    """A caller that persists what new_nodes_after_append hands back, keyed by (level, index)."""

    def __init__(self) -> None:
        self.nodes: dict[tuple[int, int], bytes] = {}
        self.size = 0

    def node(self, level: int, index: int) -> bytes:
        return self.nodes[(level, index)]

    def append(self, leaf: bytes) -> None:
        for level, index, value in new_nodes_after_append(self.size, leaf_hash(leaf), self):
            assert (level, index) not in self.nodes, "complete nodes are written exactly once"
            self.nodes[(level, index)] = value
        self.size += 1


class CountingReader:
    """Answers any node with a made-up hash and counts the look-ups."""

    def __init__(self) -> None:
        self.reads = 0

    def node(self, level: int, index: int) -> bytes:
        self.reads += 1
        return hashlib.sha256(f"{level}/{index}".encode()).digest()


def flip(value: bytes, position: int = 0) -> bytes:
    changed = bytearray(value)
    changed[position] ^= 0x01
    return bytes(changed)


def both_verify_inclusion(
    hashed: bytes, index: int, size: int, proof: list[bytes], head: bytes
) -> tuple[bool, bool]:
    return (
        verify_inclusion(hashed, index, size, proof, head),
        ref.verify_inclusion(hashed, index, size, proof, head),
    )


def both_verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, proof: list[bytes]
) -> tuple[bool, bool]:
    return (
        verify_consistency(first, second, first_root, second_root, proof),
        ref.verify_consistency(first, second, first_root, second_root, proof),
    )


# --- hashing and roots -------------------------------------------------------------------


def test_hashes_use_the_rfc_domain_separation_prefixes() -> None:
    assert EMPTY_ROOT == hashlib.sha256(b"").digest()
    assert leaf_hash(b"abc") == hashlib.sha256(b"\x00abc").digest()
    left, right = leaf_hash(b"l"), leaf_hash(b"r")
    assert node_hash(left, right) == hashlib.sha256(b"\x01" + left + right).digest()
    assert node_hash(left, right) != node_hash(right, left)


def test_roots_match_the_certificate_transparency_reference_vectors() -> None:
    nodes = MemoryNodes.from_leaves(CT_LEAVES)
    hashes = [leaf_hash(leaf) for leaf in CT_LEAVES]
    for size, expected in enumerate(CT_ROOTS):
        assert root_from_leaf_hashes(hashes[:size]) == expected
        assert nodes.root(size) == expected
        assert ref.mth(CT_LEAVES[:size]) == expected
    for (index, size), expected_hex in CT_INCLUSION.items():
        expected_path = [bytes.fromhex(h) for h in expected_hex]
        assert inclusion_proof(index, size, nodes) == expected_path
        assert verify_inclusion(hashes[index], index, size, expected_path, CT_ROOTS[size])


def test_every_way_of_computing_the_root_agrees_with_the_rfc_for_sizes_up_to_64() -> None:
    streaming = StreamingRoot()
    stored = DictNodes()
    for size in range(SMALL + 1):
        expected = ref_root(size)
        assert root_from_leaf_hashes(LEAF_HASHES[:size]) == expected, size
        assert log().root(size) == expected, size
        assert root(size, stored) == expected, size
        assert streaming.size == size
        assert streaming.root() == expected, size
        if size < SMALL:
            streaming.push(LEAF_HASHES[size])
            stored.append(LEAVES[size])


def test_streaming_root_equals_the_rfc_root_at_every_size_of_a_larger_log() -> None:
    streaming = StreamingRoot()
    expected_at = {65, 127, 128, 129, 1000, 1023, 1024, 1025, LARGE}
    for size, hashed in enumerate(LEAF_HASHES, start=1):
        streaming.push(hashed)
        assert streaming.root() == log().root(size), size
        if size in expected_at:
            assert streaming.root() == ref_root(size), size
    assert root_from_leaf_hashes(LEAF_HASHES) == ref_root(LARGE)


def test_push_leaf_hashes_the_raw_leaf_first() -> None:
    streaming = StreamingRoot()
    for leaf in LEAVES[:10]:
        streaming.push_leaf(leaf)
    assert streaming.root() == ref_root(10)


def test_subtree_hash_is_the_mth_of_any_range_even_unaligned_ones() -> None:
    for start in range(40):
        for end in range(start, 41):
            assert subtree_hash(start, end, log()) == ref.mth(LEAVES[start:end]), (start, end)


# --- storage of complete nodes -----------------------------------------------------------


def test_new_nodes_after_append_creates_exactly_the_complete_nodes() -> None:
    stored = DictNodes()
    for size in range(1, 200):
        stored.append(LEAVES[size - 1])
        complete = {
            (level, index) for level in range(size.bit_length()) for index in range(size >> level)
        }
        assert set(stored.nodes) == complete, size


def test_nodes_persisted_from_new_nodes_after_append_serve_the_same_roots_and_proofs() -> None:
    stored = DictNodes()
    for leaf in LEAVES[:300]:
        stored.append(leaf)
    for (level, index), value in stored.nodes.items():
        assert log().node(level, index) == value
    rng = random.Random(9162)
    for _ in range(200):
        size = rng.randint(1, 300)
        index = rng.randrange(size)
        first = rng.randint(1, size)
        assert root(size, stored) == log().root(size)
        assert inclusion_proof(index, size, stored) == inclusion_proof(index, size, log())
        assert consistency_proof(first, size, stored) == consistency_proof(first, size, log())


def test_memory_nodes_append_returns_the_index_and_grows_the_size() -> None:
    nodes = MemoryNodes()
    assert nodes.size == 0
    assert nodes.root() == EMPTY_ROOT
    assert [nodes.append(leaf) for leaf in LEAVES[:5]] == [0, 1, 2, 3, 4]
    assert nodes.size == 5
    assert nodes.root() == ref_root(5)


def test_memory_nodes_refuses_nodes_that_are_not_complete_yet() -> None:
    nodes = MemoryNodes.from_leaves(LEAVES[:5])
    assert nodes.node(2, 0) == ref.mth(LEAVES[:4])
    for level, index in [(0, 5), (1, 2), (2, 1), (3, 0), (-1, 0), (0, -1)]:
        with pytest.raises(LookupError):
            nodes.node(level, index)
    with pytest.raises(ValueError, match="exceeds"):
        nodes.root(6)


def test_proofs_for_a_huge_tree_read_only_logarithmically_many_nodes() -> None:
    size = (1 << 40) - 3
    for index in [0, 1, size // 3, size - 2, size - 1]:
        reader = CountingReader()
        assert len(inclusion_proof(index, size, reader)) <= 40
        assert reader.reads <= 2 * 40, index
    for first in [1, 5, (1 << 39) + 7, size - 1]:
        reader = CountingReader()
        consistency_proof(first, size, reader)
        assert reader.reads <= 3 * 40, first
    reader = CountingReader()
    root(size, reader)
    assert reader.reads == bin(size).count("1")


# --- proofs against the reference --------------------------------------------------------


def test_inclusion_proof_verifies_for_every_index_up_to_64() -> None:
    for size in range(1, SMALL + 1):
        head = ref_root(size)
        for index in range(size):
            proof = inclusion_proof(index, size, log())
            assert proof == ref.path(index, LEAVES[:size]), (index, size)
            assert both_verify_inclusion(LEAF_HASHES[index], index, size, proof, head) == (
                True,
                True,
            ), (index, size)


def test_consistency_proof_verifies_for_every_pair_up_to_64() -> None:
    for second in range(1, SMALL + 1):
        for first in range(1, second + 1):
            proof = consistency_proof(first, second, log())
            assert proof == ref.proof(first, LEAVES[:second]), (first, second)
            verdict = both_verify_consistency(
                first, second, ref_root(first), ref_root(second), proof
            )
            assert verdict == (True, True), (first, second)


def test_proofs_match_the_reference_for_random_larger_sizes() -> None:
    rng = random.Random(6962)
    for size in [65, 100, 511, 512, 513, *rng.sample(range(514, LARGE + 1), 4)]:
        leaves = LEAVES[:size]
        head = ref_root(size)
        for index in {0, size - 1, *rng.sample(range(size), 8)}:
            proof = inclusion_proof(index, size, log())
            assert proof == ref.path(index, leaves), (index, size)
            assert both_verify_inclusion(LEAF_HASHES[index], index, size, proof, head) == (
                True,
                True,
            )
        for first in {1, size - 1, size, *rng.sample(range(1, size + 1), 8)}:
            proof = consistency_proof(first, size, log())
            assert proof == ref.proof(first, leaves), (first, size)
            assert both_verify_consistency(first, size, ref_root(first), head, proof) == (
                True,
                True,
            )


@settings(max_examples=40, deadline=None, database=None)
@given(data=st.data())
def test_any_proof_from_the_shared_log_verifies_against_the_smaller_head(
    data: st.DataObject,
) -> None:
    size = data.draw(st.integers(min_value=1, max_value=LARGE), label="size")
    index = data.draw(st.integers(min_value=0, max_value=size - 1), label="index")
    first = data.draw(st.integers(min_value=1, max_value=size), label="first")
    head = ref_root(size)
    proof = inclusion_proof(index, size, log())
    assert proof == ref.path(index, LEAVES[:size])
    assert both_verify_inclusion(LEAF_HASHES[index], index, size, proof, head) == (True, True)
    cproof = consistency_proof(first, size, log())
    assert cproof == ref.proof(first, LEAVES[:size])
    verdict = both_verify_consistency(first, size, ref_root(first), head, cproof)
    assert verdict == (True, True)


# --- tampering ---------------------------------------------------------------------------


def test_tampered_inclusion_proofs_indices_and_roots_fail_verification() -> None:
    for size in range(1, 33):
        head = ref_root(size)
        for index in range(size):
            hashed = LEAF_HASHES[index]
            proof = inclusion_proof(index, size, log())
            forgeries: list[tuple[bytes, int, int, list[bytes], bytes]] = [
                (flip(hashed), index, size, proof, head),
                (hashed, index, size, proof, flip(head, 31)),
                (hashed, index, size, [*proof, bytes(32)], head),
                (hashed, index, size, [*proof, proof[-1] if proof else bytes(32)], head),
            ]
            if size > 1:
                forgeries.append((hashed, index, size, [], head))
                forgeries.append((hashed, index, size, proof[:-1], head))
            forgeries += [
                (hashed, other, size, proof, head) for other in range(size + 1) if other != index
            ]
            forgeries += [
                (hashed, index, size, [*proof[:i], flip(p, i), *proof[i + 1 :]], head)
                for i, p in enumerate(proof)
            ]
            if len(proof) >= 2 and proof[0] != proof[1]:
                forgeries.append((hashed, index, size, [proof[1], proof[0], *proof[2:]], head))
            for forged in forgeries:
                assert both_verify_inclusion(*forged) == (False, False), (index, size, forged)


def test_tampered_consistency_proofs_and_roots_fail_verification() -> None:
    for second in range(2, 33):
        second_root = ref_root(second)
        for first in range(1, second):
            first_root = ref_root(first)
            proof = consistency_proof(first, second, log())
            forgeries: list[tuple[int, int, bytes, bytes, list[bytes]]] = [
                (first, second, flip(first_root), second_root, proof),
                (first, second, first_root, flip(second_root), proof),
                (first, second, second_root, first_root, proof),
                (first, second, first_root, second_root, []),
                (first, second, first_root, second_root, proof[:-1]),
                (first, second, first_root, second_root, [*proof, bytes(32)]),
                (second, first, second_root, first_root, proof),
            ]
            forgeries += [
                (first, second, first_root, second_root, [*proof[:i], flip(p), *proof[i + 1 :]])
                for i, p in enumerate(proof)
            ]
            if len(proof) >= 2 and proof[0] != proof[1]:
                swapped = [proof[1], proof[0], *proof[2:]]
                forgeries.append((first, second, first_root, second_root, swapped))
            for forged in forgeries:
                assert both_verify_consistency(*forged) == (False, False), (first, second, forged)


def test_equal_sizes_are_consistent_only_with_an_empty_proof_and_the_same_root() -> None:
    head = ref_root(5)
    assert consistency_proof(5, 5, log()) == []
    assert verify_consistency(5, 5, head, head, [])
    assert not verify_consistency(5, 5, head, ref_root(6), [])
    assert not verify_consistency(5, 5, head, head, [head])


def test_verifiers_return_false_rather_than_raise_on_malformed_input() -> None:
    hashed, head = LEAF_HASHES[3], ref_root(8)
    proof = inclusion_proof(3, 8, log())
    bad_inclusion: list[tuple[object, object, object, object, object]] = [
        (hashed[:31], 3, 8, proof, head),
        (hashed, 3, 8, proof, head[:31]),
        (hashed, 3, 8, [proof[0][:31], *proof[1:]], head),
        (hashed, 3, 8, [None, *proof[1:]], head),
        (hashed, 3, 8, b"".join(proof), head),
        (hashed, 3, 8, None, head),
        (hashed, 3, 8, 42, head),
        (hashed, -1, 8, proof, head),
        (hashed, 3, -8, proof, head),
        (hashed, 3, 0, [], EMPTY_ROOT),
        (hashed, "3", 8, proof, head),
        (hashed, 3.0, 8, proof, head),
        (hashed, True, 8, proof, head),
        ("not bytes", 3, 8, proof, head),
        (hashed, 3, 8, proof, None),
    ]
    for args in bad_inclusion:
        assert verify_inclusion(*args) is False, args  # type: ignore[arg-type]

    first_root = ref_root(5)
    cproof = consistency_proof(5, 8, log())
    bad_consistency: list[tuple[object, object, object, object, object]] = [
        (5, 8, first_root[:31], head, cproof),
        (5, 8, first_root, head[:31], cproof),
        (5, 8, first_root, head, [cproof[0][:31], *cproof[1:]]),
        (5, 8, first_root, head, [None, *cproof[1:]]),
        (5, 8, first_root, head, None),
        (5, 8, first_root, head, b"".join(cproof)),
        (0, 8, EMPTY_ROOT, head, []),
        (0, 0, EMPTY_ROOT, EMPTY_ROOT, []),
        (-5, 8, first_root, head, cproof),
        (8, 5, head, first_root, cproof),
        ("5", 8, first_root, head, cproof),
        (5, 8.0, first_root, head, cproof),
        (5, 8, None, head, cproof),
    ]
    for args in bad_consistency:
        assert verify_consistency(*args) is False, args  # type: ignore[arg-type]


@pytest.mark.parametrize(("index", "size"), [(0, 0), (-1, 5), (5, 5), (6, 5), (0, -1)], ids=repr)
def test_inclusion_proof_generator_rejects_out_of_range_arguments(index: int, size: int) -> None:
    with pytest.raises(ValueError, match="size|index"):
        inclusion_proof(index, size, log())


@pytest.mark.parametrize(("first", "second"), [(0, 5), (-1, 5), (6, 5), (0, 0), (3, -1)], ids=repr)
def test_consistency_proof_generator_rejects_out_of_range_arguments(
    first: int, second: int
) -> None:
    with pytest.raises(ValueError, match="0 < first <= second"):
        consistency_proof(first, second, log())


def test_node_helpers_reject_negative_ranges() -> None:
    with pytest.raises(ValueError):
        subtree_hash(5, 4, log())
    with pytest.raises(ValueError):
        root(-1, log())
    with pytest.raises(ValueError):
        new_nodes_after_append(-1, LEAF_HASHES[0], log())


# --- leaf encoding -----------------------------------------------------------------------


def test_canonical_json_is_sorted_compact_utf8() -> None:
    assert canonical_json({"b": [1, 2], "a": "同意", "c": {"z": None, "y": True}}) == (
        '{"a":"同意","b":[1,2],"c":{"y":true,"z":null}}'.encode()
    )
    assert canonical_json({"b": 1, "a": 2}) == canonical_json({"a": 2, "b": 1})
