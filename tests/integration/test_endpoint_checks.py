"""Own endpoints (kind = "http") against a real loopback server."""

from __future__ import annotations

import socket
import time

from tests.support.server import RequestHandler, StatusServer
from traywatch.config.schema import Config, ServiceConfig, Settings
from traywatch.core.model import Severity
from traywatch.poller.http import Fetcher
from traywatch.poller.scheduler import Poller


def endpoint_poller(**service: object) -> Poller:
    config = Config(
        settings=Settings(timeout=2),
        services=(ServiceConfig(name="my-app", kind="http", **service),),  # type: ignore[arg-type]
    )
    return Poller(config, Fetcher(timeout=2), min_interval=0.05)


async def check(poller: Poller):  # type: ignore[no-untyped-def]
    try:
        return await poller.poll(poller.states["my-app"])
    finally:
        await poller.fetcher.aclose()


async def test_up_with_the_expected_body(status_server: StatusServer) -> None:
    status_server.serve("/health", b'{"status": "ok", "version": "v42"}')
    snapshot = await check(
        endpoint_poller(url=status_server.url("/health"), body_contains='"ok"', body_regex=r"v\d+")
    )
    assert snapshot.severity is Severity.OPERATIONAL
    assert snapshot.summary.startswith("HTTP 200 in ")
    assert 0 <= snapshot.extra["latency"] < 2


async def test_failures_name_their_reason(status_server: StatusServer) -> None:
    status_server.serve("/bad", b"Bad gateway", status=502, content_type="text/plain")
    status_server.serve("/wrong", b'{"status": "starting"}')
    bad = await check(endpoint_poller(url=status_server.url("/bad")))
    assert (bad.severity, bad.summary) == (Severity.MAJOR_OUTAGE, "HTTP 502")
    assert bad.error is None  # an answer was had: the endpoint is down, not unknown
    wrong = await check(endpoint_poller(url=status_server.url("/wrong"), body_contains="ok"))
    assert (wrong.severity, wrong.summary) == (Severity.MAJOR_OUTAGE, "body does not contain 'ok'")
    teapot = await check(endpoint_poller(url=status_server.url("/wrong"), expect_status=(418,)))
    assert teapot.summary == "HTTP 200"


async def test_slow_is_degraded(status_server: StatusServer) -> None:
    def slow(h: RequestHandler) -> None:
        time.sleep(0.3)
        h.send_bytes(b"ok", content_type="text/plain")

    status_server.route("/slow", slow)
    snapshot = await check(endpoint_poller(url=status_server.url("/slow"), degraded_after=0.1))
    assert snapshot.severity is Severity.DEGRADED
    assert snapshot.summary.endswith(" s > 0.1 s")


async def test_extra_headers_are_sent(status_server: StatusServer) -> None:
    route = status_server.serve("/h", b"ok", content_type="text/plain")
    await check(endpoint_poller(url=status_server.url("/h"), headers=(("X-Team", "infra"),)))
    assert route.request_headers[0]["x-team"] == "infra"


async def test_refused_is_down_not_unknown() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    snapshot = await check(endpoint_poller(url=f"http://127.0.0.1:{port}/health"))
    assert (snapshot.severity, snapshot.summary) == (
        Severity.MAJOR_OUTAGE,
        "connection to 127.0.0.1 refused",
    )
