"""``GET /metrics`` in the Prometheus text format, and the middleware that counts requests.

    request ──► RequestMetrics (outermost) ──► app ──► route matched: scope["route"].path
            ◄── counted by method, route template and status; never the raw path, so ids
                in URLs never become label values
    scrape  ──► this app's own CollectorRegistry: request counters + live counts read from the
                database at scrape time (consents and deliveries by status, job queue depth,
                webhook retries, transparency log size)

API requests (``/v1/…``, ``/oauth/…``) are also tallied per day (JST) and added to the
database every ``FLUSH_EVERY_S`` seconds, for the operator's usage figures.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from datetime import date

from fastapi import FastAPI, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import generate_latest
from prometheus_client.registry import Collector
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from infobank.domain.business_days import local_day
from infobank.services import usage
from infobank.services.context import Context

__all__ = ["FLUSH_EVERY_S", "AppMetrics", "RequestTally", "install_metrics"]

FLUSH_EVERY_S = 30.0
_COUNTED = ("/v1/", "/oauth/")

log = logging.getLogger("infobank.metrics")


class RequestTally:
    """API requests per day in this process, until they are added to the database."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._lock = threading.Lock()
        self._counts: dict[date, int] = {}
        self._flushed = time.monotonic()

    def add(self, day: date) -> None:
        with self._lock:
            self._counts[day] = self._counts.get(day, 0) + 1

    def due(self) -> bool:
        return time.monotonic() - self._flushed >= FLUSH_EVERY_S

    def flush(self) -> None:
        with self._lock:
            counts, self._counts = self._counts, {}
            self._flushed = time.monotonic()
        try:
            usage.record_api_requests(self._ctx, counts)
        except Exception:  # the figures wait for the next flush; serving never fails for them
            log.exception("could not store API request counts")
            with self._lock:
                for day, n in counts.items():
                    self._counts[day] = self._counts.get(day, 0) + n


class _LiveCounts(Collector):
    """Counts read from the database at each scrape (no personal data: counts only)."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def collect(self) -> Iterable[Metric]:
        now = usage.gauges(self._ctx)
        persons = GaugeMetricFamily("infobank_persons", "Persons with an open account (利用者)")
        persons.add_metric([], now.persons)
        consents = GaugeMetricFamily(
            "infobank_consents", "Consents by status (同意)", labels=["status"]
        )
        for status, n in sorted(now.consents.items()):
            consents.add_metric([status], n)
        deliveries = GaugeMetricFamily(
            "infobank_deliveries", "Delivery packages by status (提供)", labels=["status"]
        )
        for status, n in sorted(now.deliveries.items()):
            deliveries.add_metric([status], n)
        queue = GaugeMetricFamily("infobank_job_queue_depth", "Background jobs not yet done")
        queue.add_metric([], now.queue_depth)
        retries = GaugeMetricFamily(
            "infobank_webhook_retries", "Failed webhook attempts, each retried with backoff"
        )
        retries.add_metric([], now.webhook_retries)
        size = GaugeMetricFamily("infobank_log_size", "Leaves in the transparency log")
        size.add_metric([], now.log_size)
        return [persons, consents, deliveries, queue, retries, size]


class AppMetrics:
    """One app's metrics, in its own registry (never the process-wide default one)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "infobank_http_requests",
            "HTTP requests by method, route template and status",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.duration = Histogram(
            "infobank_http_request_duration_seconds",
            "Time to answer, by route template",
            ["route"],
            registry=self.registry,
        )
        self.registry.register(_LiveCounts(ctx))
        self.tally = RequestTally(ctx)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class RequestMetrics:
    def __init__(self, app: ASGIApp, metrics: AppMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def tracking_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        finally:
            # The router stores the matched route in the scope; its path is the template.
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            self.metrics.requests.labels(scope["method"], route, str(status)).inc()
            self.metrics.duration.labels(route).observe(time.perf_counter() - started)
            if str(scope.get("path", "")).startswith(_COUNTED):
                self.metrics.tally.add(local_day(self.metrics.ctx.clock.now()))
        if self.metrics.tally.due():
            await run_in_threadpool(self.metrics.tally.flush)


def install_metrics(app: FastAPI, ctx: Context) -> AppMetrics:
    """Count every request and serve ``GET /metrics``; call after the other middleware, so
    this one is outermost and sees every answer."""
    metrics = AppMetrics(ctx)
    app.state.metrics = metrics

    def scrape() -> Response:
        return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

    app.add_api_route(
        "/metrics",
        scrape,
        methods=["GET"],
        tags=["public"],
        summary="Prometheus metrics",
        description="Requests by route and status, and live counts (Prometheus text format).",
    )
    app.add_middleware(RequestMetrics, metrics=metrics)
    return metrics
