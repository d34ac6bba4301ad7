"""``GET /metrics`` (Prometheus text, parsed with prometheus-client's own parser) and the
operator's usage against targets, with the worker's once-a-day snapshot."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from infobank.bootstrap import Bank
from infobank.domain.identity import StaffRole
from infobank.entrypoints.api.app import create_app
from infobank.services import daily
from tests.fakes import FakeClock
from tests.support import api, worlds


def _scrape(client: TestClient) -> dict[str, list[tuple[dict[str, str], float]]]:
    got = client.get("/metrics")
    assert got.status_code == 200
    assert got.headers["content-type"].startswith("text/plain")
    families: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(got.text):
        for sample in family.samples:
            families.setdefault(sample.name, []).append((dict(sample.labels), sample.value))
    return families


def test_metrics_parse_and_count_requests_by_route_template_never_by_raw_path(
    client: TestClient, bank: Bank
) -> None:
    person = api.sign_up(client)
    for _ in range(2):
        assert client.get("/v1/me/inquiries/00000000-0000-0000-0000-000000000001",
                          headers=person.headers).status_code == 404  # fmt: skip
    client.get("/no/such/page")
    worlds.world(bank, worlds.team(bank), persons=2)

    families = _scrape(client)
    requests = families["infobank_http_requests_total"]
    routes = {labels["route"] for labels, _ in requests}
    assert "/v1/me/inquiries/{inquiry_id}" in routes
    assert not any("00000000" in route for route in routes)
    assert "unmatched" in routes
    counted = {
        (labels["method"], labels["route"], labels["status"]): value for labels, value in requests
    }
    assert counted[("GET", "/v1/me/inquiries/{inquiry_id}", "404")] == 2
    assert counted[("POST", "/v1/persons", "201")] == 1
    consents = {labels["status"]: value for labels, value in families["infobank_consents"]}
    assert consents == {"active": 2}
    assert families["infobank_persons"][0][1] == 3
    assert families["infobank_log_size"][0][1] >= 2
    assert "infobank_job_queue_depth" in families and "infobank_webhook_retries" in families
    assert "infobank_http_request_duration_seconds_count" in families


def test_each_app_has_its_own_registry(bank: Bank) -> None:
    with TestClient(create_app(bank=bank)) as first, TestClient(create_app(bank=bank)) as second:
        first.get("/healthz")
        first.get("/healthz")
        second.get("/healthz")

        def healthz(client: TestClient) -> float:
            return sum(
                value
                for labels, value in _scrape(client)["infobank_http_requests_total"]
                if labels["route"] == "/healthz"
            )

        assert (healthz(first), healthz(second)) == (2, 1)


def _usage(client: TestClient, headers: dict[str, str], **query: str) -> dict[str, Any]:
    got = client.get("/v1/admin/usage", params=query, headers=headers)
    assert got.status_code == 200, got.text
    return dict(got.json())


def test_usage_shows_daily_snapshots_and_api_requests_against_the_operators_targets(
    client: TestClient, bank: Bank, clock: FakeClock
) -> None:
    operator = api.staff(bank)
    auditor = api.staff(bank, StaffRole.AUDITOR)
    set_ = client.put(
        "/v1/admin/usage/targets",
        json={
            "targets": [
                {"month": "2026-11", "users": 100, "deliveries": 300, "api_requests": 3000},
                {"month": "2026-12", "users": 150},
            ]
        },
        headers=operator.headers,
    )
    assert set_.status_code == 200, set_.text
    assert set_.json()["targets"]["2026-11"]["users"] == 100

    ctx = bank.context
    assert daily.run_if_new_day(ctx) is True  # Thursday 26 Nov (JST): the first round
    assert daily.run_if_new_day(ctx) is False  # only once a day
    api.sign_up(client)
    api.sign_up(client)
    clock.advance(days=1)
    assert daily.run_if_new_day(ctx) is True  # Friday 27 Nov
    api.sign_up(client)

    shown = _usage(client, auditor.headers, **{"from": "2026-11-25", "to": "2026-11-27"})
    users = shown["metrics"]["users"]
    assert [u["period"] for u in users] == ["2026-11-25", "2026-11-26", "2026-11-27"]
    assert [u["actual"] for u in users] == [None, 0, 3]  # today is live
    assert [u["target"] for u in users] == [100.0, 100.0, 100.0]
    assert shown["metrics"]["deliveries"][1]["target"] == 10.0  # 300 over 30 days
    requests = shown["metrics"]["api_requests"]
    assert requests[0]["actual"] == 0
    assert requests[1]["actual"] >= 6 and requests[2]["actual"] >= 2  # sign-ups and log-ins

    monthly = _usage(
        client,
        operator.headers,
        **{"from": "2026-11-01", "to": "2026-12-31", "granularity": "month"},
    )
    assert [(u["period"], u["target"]) for u in monthly["metrics"]["users"]] == [
        ("2026-11", 100.0),
        ("2026-12", 150.0),
    ]
    assert monthly["metrics"]["users"][0]["actual"] == 3

    chart = client.get(
        "/v1/admin/usage/chart",
        params={"metric": "users", "from": "2026-11-25", "to": "2026-11-27"},
        headers=operator.headers,
    )
    assert chart.status_code == 200 and chart.headers["content-type"].startswith("image/svg+xml")
    assert chart.text.startswith("<svg") and "<polyline" in chart.text
    person = api.sign_up(client)
    assert client.get("/v1/admin/usage", headers=person.headers).status_code == 403
    wrong = client.get("/v1/admin/usage?from=2026-12-01&to=2026-11-01", headers=operator.headers)
    assert wrong.status_code == 422
    assert date.fromisoformat(_usage(client, operator.headers)["from"]) == date(2026, 11, 1)
