"""Polls reuse their connections: an unchanged page must not cost a TCP handshake each time."""

from __future__ import annotations

import asyncio

from tests.conftest import fixture_bytes
from tests.integration.helpers import make_poller
from tests.support.server import RequestHandler, StatusServer
from traywatch.config.schema import Config, ServiceConfig, Settings
from traywatch.core.model import Severity
from traywatch.poller.http import Fetcher
from traywatch.poller.scheduler import Poller

SUMMARY = "/api/v2/summary.json"
OPERATIONAL = fixture_bytes("statuspage/githubstatus-summary-all-operational.json")


def etag_page(h: RequestHandler) -> None:
    if h.headers.get("If-None-Match") == '"v1"':
        h.send_response(304)
        h.send_header("ETag", '"v1"')
        h.end_headers()  # no Content-Length: a 304 has no body by definition
    else:
        h.send_bytes(OPERATIONAL, headers={"ETag": '"v1"'})


async def test_polls_of_an_unchanged_page_use_one_connection(
    status_server: StatusServer,
) -> None:
    route = status_server.route(SUMMARY, etag_page)
    poller = make_poller({"GitHub": status_server.base_url})
    state = poller.states["GitHub"]
    try:
        for _ in range(10):
            snapshot = await poller.poll(state)
    finally:
        await poller.fetcher.aclose()
    assert route.hits == 10
    assert sum("if-none-match" in h for h in route.request_headers) == 9  # nine 304s
    assert snapshot.severity is Severity.OPERATIONAL
    assert status_server.connections == 1


async def test_error_answers_and_endpoint_checks_keep_their_connection(
    status_server: StatusServer,
) -> None:
    broken = status_server.serve(
        "/broken" + SUMMARY, b"<html>oops</html>", status=500, content_type="text/html"
    )
    status_server.serve("/health", b"ok", content_type="text/plain")
    config = Config(
        settings=Settings(timeout=2),
        services=(
            ServiceConfig(name="Page", url=status_server.url("/broken"), kind="statuspage"),
            ServiceConfig(name="API", url=status_server.url("/health"), kind="http"),
        ),
    )
    poller = Poller(config, Fetcher(timeout=2, max_connections=1), min_interval=0.05)
    try:
        for _ in range(5):
            page = await poller.poll(poller.states["Page"])
            api = await poller.poll(poller.states["API"])
    finally:
        await poller.fetcher.aclose()
    assert page.error is not None
    assert "500" in page.error
    assert broken.hits == 5
    assert api.severity is Severity.OPERATIONAL
    assert status_server.connections == 1


async def test_a_connection_outlives_an_idle_stretch(status_server: StatusServer) -> None:
    # httpx drops idle connections after 5 s unless told otherwise: shorter than any
    # poll interval, so every poll paid a new handshake.
    status_server.route(SUMMARY, etag_page)
    poller = make_poller({"GitHub": status_server.base_url})
    state = poller.states["GitHub"]
    try:
        await poller.poll(state)
        await asyncio.sleep(5.5)
        await poller.poll(state)
    finally:
        await poller.fetcher.aclose()
    assert status_server.connections == 1
