"""Addresses and headers the HTTP stack refuses with errors of its own (not httpx's):
a plain reason at the one boundary, never "internal error", and no secret in the log."""

from __future__ import annotations

import logging

import pytest

from tests.integration.test_endpoint_checks import check, endpoint_poller
from tests.support.server import StatusServer, redirect_to
from traywatch.core.errors import FetchError
from traywatch.poller.http import Fetcher


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("http://127.0.0.1:99999/", "not a valid address (a port must be from 1 to 65535)"),
        ("http://xn--zz.test/", "not a valid host name (Invalid A-label)"),
    ],
)
async def test_a_redirect_to_a_bad_address_is_a_plain_failure(
    status_server: StatusServer, target: str, reason: str
) -> None:
    status_server.route("/moved", redirect_to(target))
    snapshot = await check(endpoint_poller(url=status_server.url("/moved")))
    assert snapshot.summary == reason  # an own endpoint: the reason it is down


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:99999/", "http://xn--zz.test/", "http://[::1", "http://a\x00b.test/"]
)
async def test_bad_addresses_given_directly_are_fetch_errors(url: str) -> None:
    fetcher = Fetcher(timeout=2)
    try:
        with pytest.raises(FetchError, match=r"^not a valid"):
            await fetcher.get(url)
    finally:
        await fetcher.aclose()


async def test_a_header_http_cannot_carry_fails_plainly_and_never_shows_the_secret(
    status_server: StatusServer, caplog: pytest.LogCaptureFixture
) -> None:
    status_server.serve("/health", b"ok", content_type="text/plain")
    secret = "t\u00f6k\u00e9n-\u2603"
    fetcher = Fetcher(timeout=2)
    try:
        with pytest.raises(FetchError) as caught:
            await fetcher.request("GET", status_server.url("/health"), {"Authorization": secret})
    finally:
        await fetcher.aclose()
    assert str(caught.value).startswith("a request header holds characters HTTP cannot send")
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__  # the cause quotes a character of the secret

    caplog.set_level(logging.DEBUG)
    snapshot = await check(
        endpoint_poller(url=status_server.url("/health"), headers=(("X-Key", secret),))
    )
    assert snapshot.summary.startswith("a request header holds characters HTTP cannot send")
    logged = caplog.text + "".join(
        logging.Formatter().formatException(r.exc_info) for r in caplog.records if r.exc_info
    )
    for character in "\u00f6\u00e9\u2603":
        assert character not in logged
        assert repr(character)[1:-1] not in logged
    assert "internal error" not in logged


async def test_a_translated_network_error_keeps_its_cause_for_bug_reports() -> None:
    import socket

    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]  # nothing listens there once closed
    fetcher = Fetcher(timeout=2)
    try:
        with pytest.raises(FetchError, match="refused") as caught:
            await fetcher.get(f"http://127.0.0.1:{port}/")
    finally:
        await fetcher.aclose()
    assert isinstance(caught.value.__cause__, ConnectionRefusedError)
