"""Each benchmark runs end to end at a tiny size and returns the figures it promises, as
numbers. No timing is asserted: benchmarks print, tests never judge speed.

The HTTP, stop-all and scale benches start real servers and workers (subprocesses), so each
smoke run takes a few seconds; on PostgreSQL only the scale bench runs (its worker figures
exist only there), the others' PostgreSQL path being the same code on another database."""

from __future__ import annotations

import pytest
from bench.delivery import delivery_figures
from bench.http import http_figures
from bench.notify import notify_figures
from bench.scale import scale_figures
from bench.seal import seal_figures


def _numbers(figures: dict[str, object], keys: list[str]) -> None:
    missing = [k for k in keys if k not in figures]
    assert missing == []
    wrong = {k: figures[k] for k in keys if not isinstance(figures[k], int | float)}
    assert wrong == {}


def test_the_delivery_bench_builds_and_seals_against_its_floor() -> None:
    figures = {**delivery_figures(10), **seal_figures(rounds=1, runs=1)}

    _numbers(figures, ["deliveries_per_s", "seal_vs_floor_1mib", "seal_vs_floor_2kib"])


def test_the_http_bench_loads_the_bank_and_the_bare_app() -> None:
    figures = http_figures(
        seconds=0.3, runs=1, backends=("sqlite",), seed_seconds=1, first_batch=12, batch=12
    )

    names = ["fetch_per_s", "bare_per_s", "fetch_vs_bare", "fetch_p50_ms", "fetch_p99_ms"]
    keys = [f"{p}{n}_sqlite" for p in ("", "repeat_") for n in [*names, "errors"]]
    _numbers(figures, [*keys, "server_cpu_ms_per_request_sqlite"])


def test_the_notify_bench_times_every_notice_after_stop_all() -> None:
    figures = notify_figures(sizes=(4,), runs=1, slow_s=0.2, backends=("sqlite",))

    keys = ["notice_p50_ms_4", "notice_p99_ms_4", "notice_max_ms_4", "slow_notice_ms_4"]
    _numbers(figures, keys)
    assert figures["notices_missing_4"] == 0


def test_the_scale_bench_opens_and_builds_on_sqlite() -> None:
    figures = scale_figures(persons=50, backends=("sqlite",), idle_s=0.2)

    _numbers(figures, ["open_50_s_sqlite", "max_other_request_ms_sqlite"])


@pytest.mark.postgres
def test_the_scale_bench_builds_with_one_and_two_workers_on_postgres(postgres_url: str) -> None:
    figures = scale_figures(persons=50, backends=("postgres",), pg_url=postgres_url, idle_s=0.2)

    keys = ["open_50_s_postgres", "max_other_request_ms_postgres", "deliveries_per_s_1w"]
    _numbers(figures, [*keys, "deliveries_per_s_2w", "scale_2w_vs_1w"])
