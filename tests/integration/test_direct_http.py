"""The direct path (poller/direct.py): GET and HEAD on kept-alive connections, spoken by h11,
with httpx taking over what it does not do. Real servers on 127.0.0.1, TLS included."""

from __future__ import annotations

import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.test_connection_reuse import OPERATIONAL, etag_page
from tests.support import server as misbehave
from tests.support.server import Handler, RequestHandler, StatusServer
from traywatch.core.errors import ConnectionLost, FetchError
from traywatch.poller.http import Fetcher

SUMMARY = "/api/v2/summary.json"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, made by openssl for this test run."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture
def tls_server(certificate: tuple[Path, Path]) -> Iterator[StatusServer]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    with StatusServer(tls=context) as server:
        yield server


async def test_https_polls_of_an_unchanged_page_share_one_tls_connection(
    tls_server: StatusServer, certificate: tuple[Path, Path]
) -> None:
    route = tls_server.route(SUMMARY, etag_page)
    trusted = ssl.create_default_context(cafile=str(certificate[0]))
    fetcher = Fetcher(timeout=2, verify=trusted)
    url = tls_server.url(SUMMARY)
    try:
        first = await fetcher.get(url, conditional=True)
        again = [await fetcher.get(url, conditional=True) for _ in range(9)]
        assert fetcher._client is None  # httpx was never needed
    finally:
        await fetcher.aclose()
    assert first.body == OPERATIONAL
    assert all(result.not_modified for result in again)
    assert route.hits == 10
    assert tls_server.connections == 1


async def test_the_system_trust_store_is_used_on_the_direct_path(
    tls_server: StatusServer, certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """truststore's context (the OS's trust, as in the browser) verifies asyncio's TLS too:
    here the OS store is the test's certificate, as SSL_CERT_FILE makes it on Linux."""
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    tls_server.route(SUMMARY, etag_page)
    fetcher = Fetcher(timeout=2)
    try:
        result = await fetcher.get(tls_server.url(SUMMARY))
        assert type(fetcher._ssl).__module__.startswith("truststore")
        assert fetcher._client is None
    finally:
        await fetcher.aclose()
    assert result.body == OPERATIONAL


async def test_an_untrusted_certificate_is_said_plainly(tls_server: StatusServer) -> None:
    tls_server.route(SUMMARY, etag_page)
    fetcher = Fetcher(timeout=2)  # the system's trust store: the test's CA is not in it
    try:
        with pytest.raises(FetchError, match=r"^TLS certificate of 127\.0\.0\.1 is not trusted$"):
            await fetcher.get(tls_server.url(SUMMARY))
    finally:
        await fetcher.aclose()


async def test_a_kept_connection_the_server_drops_unanswered_is_replaced_quietly(
    status_server: StatusServer,
) -> None:
    """A server may close an idle connection just as the next request goes out: that
    request is sent again on a new connection, not reported as a failure."""

    def page(h: RequestHandler) -> None:
        served = getattr(h, "served", 0) + 1
        h.served = served  # type: ignore[attr-defined]  # one handler per connection
        if served > 1:
            h.close_connection = True  # gone without a word
            return
        etag_page(h)

    route = status_server.route(SUMMARY, page)
    fetcher = Fetcher(timeout=2)
    url = status_server.url(SUMMARY)
    try:
        results = [await fetcher.get(url, conditional=True) for _ in range(3)]
    finally:
        await fetcher.aclose()
    assert [result.not_modified for result in results] == [False, True, True]
    assert route.hits == 5  # the second and third requests were each sent twice
    assert status_server.connections == 3


async def test_an_answer_that_says_close_is_read_and_its_connection_not_reused(
    status_server: StatusServer,
) -> None:
    def close_after(h: RequestHandler) -> None:
        h.send_bytes(OPERATIONAL, headers={"Connection": "close"})
        h.close_connection = True

    status_server.route(SUMMARY, close_after)
    fetcher = Fetcher(timeout=2)
    try:
        bodies = [(await fetcher.get(status_server.url(SUMMARY))).body for _ in range(3)]
    finally:
        await fetcher.aclose()
    assert bodies == [OPERATIONAL] * 3
    assert status_server.connections == 3


async def test_a_redirecting_address_goes_to_httpx_once_and_then_always(
    status_server: StatusServer,
) -> None:
    def moved(h: RequestHandler) -> None:
        h.send_response(301)
        h.send_header("Location", "/new" + SUMMARY)
        h.send_header("Content-Length", "0")
        h.end_headers()

    old = status_server.route(SUMMARY, moved)
    new = status_server.route("/new" + SUMMARY, etag_page)
    fetcher = Fetcher(timeout=2)
    try:
        results = [await fetcher.get(status_server.url(SUMMARY)) for _ in range(3)]
    finally:
        await fetcher.aclose()
    assert {result.url for result in results} == {status_server.url("/new" + SUMMARY)}
    assert old.hits == 4  # the direct path's first try, then httpx each time
    assert new.hits == 3


async def test_a_reset_before_any_answer_on_a_new_connection_is_an_error_not_a_retry(
    status_server: StatusServer,
) -> None:
    route = status_server.route(SUMMARY, misbehave.connection_reset)
    fetcher = Fetcher(timeout=2)
    try:
        with pytest.raises(ConnectionLost, match=r"^connection lost"):
            await fetcher.get(status_server.url(SUMMARY))
    finally:
        await fetcher.aclose()
    assert route.hits == 1


async def test_a_proxy_in_the_environment_leaves_every_request_to_httpx(
    monkeypatch: pytest.MonkeyPatch, status_server: StatusServer
) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.invalid:3128")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    status_server.route(SUMMARY, etag_page)
    fetcher = Fetcher(timeout=2)
    try:
        result = await fetcher.get(status_server.url(SUMMARY))
        assert fetcher._client is not None  # httpx sent it (and honoured NO_PROXY)
    finally:
        await fetcher.aclose()
    assert result.body == OPERATIONAL


def test_a_plain_poll_does_not_load_httpx(status_server: StatusServer) -> None:
    """httpx costs 13 MiB and tens of ms to import: only a request it must send loads it."""
    status_server.route(SUMMARY, etag_page)
    code = (
        "import asyncio, sys\n"
        "from traywatch.poller.http import Fetcher\n"
        "async def main():\n"
        "    fetcher = Fetcher(timeout=2)\n"
        "    for _ in range(2):\n"
        "        await fetcher.get(sys.argv[1], conditional=True)\n"
        "    await fetcher.aclose()\n"
        "asyncio.run(main())\n"
        "print(sorted(m for m in ('httpx', 'httpcore', 'anyio') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, status_server.url(SUMMARY)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "[]"


async def test_the_users_headers_replace_the_defaults_and_a_host_of_theirs_goes_to_httpx(
    status_server: StatusServer,
) -> None:
    seen: list[dict[str, list[str]]] = []

    def health(h: RequestHandler) -> None:
        names = ("Accept", "User-Agent", "Authorization")
        seen.append({name: h.headers.get_all(name) or [] for name in names})
        h.send_bytes(b"ok", content_type="text/plain")

    status_server.route("/health", health)
    fetcher = Fetcher(timeout=2)
    try:
        await fetcher.request(
            "GET",
            status_server.url("/health"),
            {"accept": "text/plain", "User-Agent": "mine", "Authorization": "Bearer t"},
        )
        assert fetcher._client is None
        await fetcher.request("GET", status_server.url("/health"), {"Host": "127.0.0.1"})
        assert fetcher._client is not None
    finally:
        await fetcher.aclose()
    assert seen[0] == {
        "Accept": ["text/plain"],
        "User-Agent": ["mine"],
        "Authorization": ["Bearer t"],
    }


def raw_not_modified(*pieces: bytes) -> Handler:
    """The page with ETag "v1"; asked with it, an answer of these bytes, written as they
    are (each piece its own TCP segment: the server does not wait to fill one)."""

    def handler(h: RequestHandler) -> None:
        if h.headers.get("If-None-Match") != '"v1"':
            etag_page(h)
            return
        for piece in pieces:
            h.wfile.write(piece)
            h.wfile.flush()
            time.sleep(0.02)

    return handler


async def polls_of(status_server: StatusServer, handler: Handler, count: int) -> list[bool]:
    status_server.route(SUMMARY, handler)
    fetcher = Fetcher(timeout=2)
    try:
        url = status_server.url(SUMMARY)
        return [(await fetcher.get(url, conditional=True)).not_modified for _ in range(count)]
    finally:
        await fetcher.aclose()


async def test_a_not_modified_that_says_close_is_not_kept(status_server: StatusServer) -> None:
    answer = b'HTTP/1.1 304 Not Modified\r\nETag: "v1"\r\nConnection: close\r\n\r\n'
    assert await polls_of(status_server, raw_not_modified(answer), 3) == [False, True, True]
    assert status_server.connections == 2  # the first 304 closed it: a new one for the last


async def test_a_not_modified_in_pieces_or_with_odd_headers_is_read_all_the_same(
    status_server: StatusServer,
) -> None:
    # What the quick path leaves to h11: a head split across segments, a folded header.
    in_pieces = (b"HTTP/1.1 304 Not Modified\r\nETag: ", b'"v1"\r\n\r\n')
    folded = (b'HTTP/1.1 304 Not Modified\r\nETag: "v1"\r\nX-Note: one\r\n two\r\n\r\n',)
    handler = raw_not_modified(*in_pieces)
    assert await polls_of(status_server, handler, 3) == [False, True, True]
    handler = raw_not_modified(*folded)
    assert await polls_of(status_server, handler, 3) == [False, True, True]
    assert status_server.connections == 2  # one for each page: both kept


async def test_bytes_after_an_answer_end_its_connection(status_server: StatusServer) -> None:
    stray = b'HTTP/1.1 304 Not Modified\r\nETag: "v1"\r\n\r\nHTTP/1.1 200 OK\r\n'
    assert await polls_of(status_server, raw_not_modified(stray), 3) == [False, True, True]
    assert status_server.connections == 2  # each closed: never read as the next answer
