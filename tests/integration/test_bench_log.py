"""``bench/log.py`` runs end to end at a small size and prints the figures it promises (no
timing is asserted: benchmarks print, tests never judge speed)."""

from __future__ import annotations

import json

import pytest
from bench import log as bench

KEYS = {
    "appends_per_s",
    "inserts_per_s",
    "append_vs_insert",
    "verify_1m_s",
    "sha256_1m_s",
    "verify_vs_sha256",
    "proof_ms",
}


def test_the_log_benchmark_prints_one_json_object_with_its_figures(
    capsys: pytest.CaptureFixture[str],
) -> None:
    bench.main(["--leaves", "300", "--appends", "30", "--json"])
    figures = json.loads(capsys.readouterr().out)
    assert KEYS <= set(figures)
    assert all(figures[key] > 0 for key in KEYS)
    assert figures["leaves"] == 300
