"""Every way a status page can misbehave ends as `unknown` with a short human
error, within the timeout, without a traceback and with bounded memory."""

from __future__ import annotations

import logging
import time
import tracemalloc
from urllib.parse import urlsplit

import pytest

from tests.conftest import fixture_bytes
from tests.integration.helpers import make_poller
from tests.support import server as misbehave
from tests.support.server import StatusServer
from traywatch.core.model import Severity
from traywatch.providers import KINDS, get_provider

SUMMARY = "/api/v2/summary.json"
TIMEOUT = 1.0

CASES = {
    "never answers": (misbehave.never_answers, "timed out after 1 s"),
    "drips a byte a second": (misbehave.drips, "timed out after 1 s"),
    "200 MB body": (misbehave.endless_body(), "response larger than 5 MiB"),
    "200 MB body with its length declared": (
        misbehave.endless_body(declare_length=True),
        "response larger than 5 MiB",
    ),
    "gzip bomb": (misbehave.gzip_bomb, "response larger than 5 MiB"),
    "HTTP 500": (lambda h: h.send_bytes(b"oops", status=500), "HTTP 500"),
    "HTTP 503 with Retry-After": (
        lambda h: h.send_bytes(b"busy", status=503, headers={"Retry-After": "120"}),
        "HTTP 503 (rate limited, retry after 120 s)",
    ),
    "HTTP 429": (lambda h: h.send_bytes(b"slow down", status=429), "HTTP 429 (rate limited)"),
    "connection reset": (misbehave.connection_reset, "connection lost: reset by the server"),
    "reset in the middle of the body": (misbehave.reset_mid_body, "connection lost"),
    "HTML error page with status 200": (
        lambda h: h.send_bytes(b"<html><body>Oops</body></html>", content_type="text/html"),
        "not a Statuspage summary: the server returned HTML or XML",
    ),
    "truncated JSON": (
        lambda h: h.send_bytes(
            fixture_bytes("statuspage/githubstatus-summary-major-outage.json")[:3000]
        ),
        "not a Statuspage summary: invalid JSON at line",
    ),
    "valid JSON of the wrong shape": (
        lambda h: h.send_bytes(b'{"hello": "world"}'),
        "not a Statuspage summary: missing 'status'",
    ),
    "invalid UTF-8": (
        lambda h: h.send_bytes(b'{"status": {"indicator": "\xff\xfe\xfd"}}'),
        "not a Statuspage summary: the response is not valid UTF-8",
    ),
    "empty body": (lambda h: h.send_bytes(b""), "empty response"),
    "redirect loop": (misbehave.redirect_to(SUMMARY), "too many redirects (more than 5)"),
    "unsupported content encoding": (
        lambda h: h.send_bytes(b"xx", headers={"Content-Encoding": "br"}),
        "unsupported content encoding 'br'",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
async def test_misbehaving_endpoint_ends_as_unknown(
    case: str, status_server: StatusServer, caplog: pytest.LogCaptureFixture
) -> None:
    handler, expected_error = CASES[case]
    misbehave.gzip_bomb_body()  # built once, outside the timed part
    status_server.route(SUMMARY, handler)
    poller = make_poller({"Broken": status_server.base_url}, timeout=TIMEOUT)
    state = poller.states["Broken"]
    tracemalloc.start()
    started = time.monotonic()
    try:
        snapshot = await poller.poll(state)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        await poller.fetcher.aclose()
    elapsed = time.monotonic() - started

    assert snapshot.severity is Severity.UNKNOWN
    assert snapshot.error is not None
    assert snapshot.error.startswith(expected_error), snapshot.error
    assert snapshot.summary == f"Could not check: {snapshot.error}"
    assert elapsed < TIMEOUT + 1.5
    assert peak < 16 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"
    assert state.consecutive_failures == 1
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"
    assert [r.levelno for r in caplog.records if r.name.startswith("traywatch")] == [
        logging.WARNING
    ]


async def test_deflate_and_gzip_bodies_are_decoded(status_server: StatusServer) -> None:
    import gzip
    import zlib

    body = fixture_bytes("statuspage/githubstatus-summary-major-outage.json")
    status_server.serve("/a" + SUMMARY, gzip.compress(body), headers={"Content-Encoding": "gzip"})
    status_server.serve(
        "/b" + SUMMARY, zlib.compress(body), headers={"Content-Encoding": "deflate"}
    )
    raw = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    status_server.serve(
        "/c" + SUMMARY, raw.compress(body) + raw.flush(), headers={"Content-Encoding": "deflate"}
    )
    poller = make_poller({k: status_server.url(f"/{k}") for k in "abc"})
    try:
        states = await poller.poll_all()
    finally:
        await poller.fetcher.aclose()
    assert [s.snapshot.severity for s in states if s.snapshot] == [Severity.MAJOR_OUTAGE] * 3


async def test_body_just_under_the_cap_is_accepted(status_server: StatusServer) -> None:
    body = fixture_bytes("statuspage/githubstatus-summary-all-operational.json")
    padded = (
        body.rstrip()[:-1] + b', "padding": "' + b"x" * (5 * 1024 * 1024 - len(body) - 40) + b'"}'
    )
    assert len(padded) < 5 * 1024 * 1024
    status_server.serve(SUMMARY, padded)
    poller = make_poller({"Big": status_server.base_url})
    try:
        snapshot = await poller.poll(poller.states["Big"])
    finally:
        await poller.fetcher.aclose()
    assert snapshot.severity is Severity.OPERATIONAL


# The same suite against every other kind: transport failures end with the same
# reason; bodies the kind cannot read end with its own "not a …" explanation.
TRANSPORT = {
    "never answers",
    "drips a byte a second",
    "200 MB body",
    "200 MB body with its length declared",
    "gzip bomb",
    "HTTP 500",
    "HTTP 503 with Retry-After",
    "HTTP 429",
    "connection reset",
    "reset in the middle of the body",
    "unsupported content encoding",
}
OTHER_KINDS = [k for k in KINDS if k != "statuspage"]


@pytest.mark.parametrize("kind", OTHER_KINDS)
@pytest.mark.parametrize("case", sorted(CASES))
async def test_every_kind_survives_misbehaving_servers(
    kind: str, case: str, status_server: StatusServer
) -> None:
    handler, expected_error = CASES[case]
    misbehave.gzip_bomb_body()
    provider = get_provider(kind)
    endpoint = provider.endpoints(status_server.base_url)[0]
    path = urlsplit(endpoint).path or "/"
    if case == "redirect loop":
        handler = misbehave.redirect_to(endpoint)
    status_server.route(path, handler)
    poller = make_poller({"Broken": status_server.base_url}, kind=kind, timeout=0.5)
    started = time.monotonic()
    try:
        snapshot = await poller.poll(poller.states["Broken"])
    finally:
        await poller.fetcher.aclose()
    assert snapshot.severity is Severity.UNKNOWN
    assert snapshot.error is not None
    if case in TRANSPORT:
        expected = expected_error.replace("after 1 s", "after 0.5 s")
        assert snapshot.error.startswith(expected), snapshot.error
    elif case == "redirect loop":
        assert snapshot.error == "too many redirects (more than 5)"
    else:
        assert snapshot.error.startswith(("not ", "empty response")), snapshot.error
    assert time.monotonic() - started < 3.0
