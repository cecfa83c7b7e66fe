"""The one HTTP client (`Fetcher`): the direct path for plain GET/HEAD (direct.py, which says
its failures in the same typed errors), httpx for the rest; httpx's errors become
traywatch errors here and nowhere else.

Bodies are decompressed here, not by the HTTP stack, so that the 5 MiB cap holds for the
*decompressed* size while streaming: a gzip bomb stops at the cap instead of
inflating a whole chunk in memory. The whole exchange, redirects included, runs
under one deadline, so a server that drips a byte a second cannot keep us
waiting past the timeout."""

from __future__ import annotations

import asyncio
import email.utils
import logging
import socket
import ssl
import sys
import time
import zlib
from collections.abc import AsyncIterator, Coroutine, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar
from urllib.parse import urlsplit

from traywatch import __version__
from traywatch.core.errors import (
    ConnectionLost,
    ConnectionRefused,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    NetworkError,
    RateLimited,
    TooLarge,
    TooManyRedirects,
)
from traywatch.poller.direct import Declined, DirectClient

if TYPE_CHECKING:
    # Imported when a request first needs it (direct.py sends the common ones): ~5 MiB
    # and tens of ms (benchmarks/import_cost.py) that most runs never spend.
    import httpx

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
USER_AGENT = f"traywatch/{__version__} (desktop status monitor)"
_CHUNK = 64 * 1024
# A connection is kept this long between polls: longer than any poll interval, so that an
# unchanged page costs one small request on an open connection, not a new TCP (and TLS)
# handshake each time. Servers that close idle connections sooner are noticed on reuse.
DEFAULT_KEEPALIVE = 15 * 60.0
# An answer we do not use (a 304, an error page) is read to its end when it is at most this
# big, so that its connection goes back to the pool; a bigger one costs its connection.
_DISCARD_MAX = 64 * 1024


@dataclass(frozen=True, slots=True)
class FetchResult:
    url: str  # where the body came from, after redirects
    body: bytes  # empty when not_modified
    not_modified: bool = False
    content_type: str | None = None  # as sent: its charset says how to read the body


@dataclass(frozen=True, slots=True)
class RawResponse:
    status: int
    body: bytes
    elapsed: float  # seconds, until the whole body was read
    url: str


_T = TypeVar("_T")


class _Answer(Protocol):
    """What is read of a response, whether httpx or the direct path (direct.py) read it."""

    @property
    def status_code(self) -> int: ...
    @property
    def headers(self) -> Mapping[str, str]: ...
    @property
    def url(self) -> object: ...
    def aiter_raw(self, chunk_size: int = ...) -> AsyncIterator[bytes]: ...
    async def aclose(self) -> None: ...


@dataclass(slots=True)
class _Validators:
    etag: str | None
    last_modified: str | None


class Fetcher:
    """Shared by every service; cheap to create, the clients are built on first use.

    GET and HEAD go the direct way (direct.py) where it can; httpx sends the rest and
    follows redirects."""

    def __init__(
        self,
        *,
        timeout: float = 10.0,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_connections: int = 16,
        verify: ssl.SSLContext | bool | None = None,
        keepalive: float = DEFAULT_KEEPALIVE,
    ) -> None:
        self.timeout = timeout
        self.keepalive = keepalive
        self.max_bytes = max_bytes
        self._max_connections = max_connections
        self._verify = verify
        self._client: httpx.AsyncClient | None = None
        self._client_ready = asyncio.Lock()
        self._ssl: ssl.SSLContext | None = None
        self._ssl_ready = asyncio.Lock()
        self._direct = DirectClient(
            self._ssl_context, USER_AGENT, max_idle=max_connections, keepalive=keepalive
        )
        self._validators: dict[str, _Validators] = {}
        self._host_not_before: dict[str, float] = {}  # time.monotonic() values

    def suits(self, *, timeout: float, max_connections: int) -> bool:
        """Can serve a new configuration as it is (keeping its connections, validators
        and hosts' backoff) instead of being replaced."""
        return self.timeout == timeout and self._max_connections == max_connections

    async def _ssl_context(self) -> ssl.SSLContext:
        async with self._ssl_ready:
            if self._ssl is None:
                # Loading the trust store takes tens of ms: in a thread, so that the event
                # loop (and the UI on it) never stalls.
                self._ssl = await asyncio.to_thread(_ssl_context, self._verify)
        return self._ssl

    async def _get_client(self) -> httpx.AsyncClient:
        context = await self._ssl_context()
        async with self._client_ready:
            if self._client is None:
                # The HTTP stack's lazy imports take tens of ms: in a thread too.
                self._client = await asyncio.to_thread(self._build_client, context)
        return self._client

    def _build_client(self, context: ssl.SSLContext) -> httpx.AsyncClient:
        import anyio._backends._asyncio  # noqa: F401  (imported on the first request otherwise)
        import httpx

        return httpx.AsyncClient(
            verify=context,
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            timeout=httpx.Timeout(self.timeout),
            limits=httpx.Limits(
                max_connections=self._max_connections,
                max_keepalive_connections=self._max_connections,
                keepalive_expiry=self.keepalive,
            ),
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
            trust_env=True,
        )

    async def aclose(self) -> None:
        await self._direct.aclose()
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def seconds_until_allowed(self, url: str) -> float:
        """How long a `Retry-After` from this URL's host asks us to stay away."""
        host = urlsplit(url).hostname or ""
        until = self._host_not_before.get(host)
        if until is None:
            return 0.0
        remaining = until - time.monotonic()
        if remaining <= 0:
            del self._host_not_before[host]
            return 0.0
        return remaining

    def forget_validators(self, url: str) -> None:
        self._validators.pop(url, None)

    async def get(self, url: str, *, conditional: bool = False) -> FetchResult:
        """GET `url`; raises a FetchError subclass with a short human reason."""
        return await self._guarded(self._get(url, conditional), url)

    async def request(
        self, method: str, url: str, headers: Mapping[str, str] | None = None
    ) -> RawResponse:
        """Any method, any status (own-endpoint checks judge the status themselves);
        the same timeout, size cap and error translation as `get`."""
        return await self._guarded(self._request(method, url, dict(headers or {})), url)

    async def _send(self, method: str, url: str, headers: dict[str, str]) -> _Answer:
        if method in ("GET", "HEAD") and self._direct.accepts(url):
            try:
                return await self._direct.send(method, url, headers)
            except Declined:
                pass
        client = await self._get_client()
        return await client.send(client.build_request(method, url, headers=headers), stream=True)

    async def _request(self, method: str, url: str, headers: dict[str, str]) -> RawResponse:
        started = time.monotonic()
        response = await self._send(method, url, headers)
        try:
            if method == "HEAD":
                await _discard(response)  # no body: reads the end of the answer
                body = b""
            else:
                body = await self._read_capped(response)
            return RawResponse(
                response.status_code, body, time.monotonic() - started, str(response.url)
            )
        finally:
            await response.aclose()

    async def _guarded(self, exchange: Coroutine[Any, Any, _T], url: str) -> _T:
        try:
            async with asyncio.timeout(self.timeout):
                return await exchange
        except TimeoutError:
            raise FetchTimeout(f"timed out after {self.timeout:g} s") from None
        except FetchError:
            raise  # the direct path's, already in our words
        except _httpx_errors() as exc:
            failure = _from_httpx(exc, url, self.timeout)
            # Which TLS or socket error it was helps a bug report; a timeout is just that.
            cause = None if isinstance(failure, FetchTimeout | TooManyRedirects) else exc
            raise failure from cause
        except UnicodeEncodeError:
            # Its message quotes the character, which may be part of a secret: no cause.
            raise FetchError(
                "a request header holds characters HTTP cannot send (only ASCII): "
                "check the token, password or headers"
            ) from None
        except UnicodeError as exc:  # IDNA: a host name no resolver accepts
            raise FetchError(f"not a valid host name ({exc})") from exc
        except ExceptionGroup as group:  # the connect task group: a port out of range
            if group.split(OverflowError)[1] is not None:
                raise
            raise FetchError("not a valid address (a port must be from 1 to 65535)") from group

    async def _get(self, url: str, conditional: bool) -> FetchResult:
        headers = {}
        known = self._validators.get(url) if conditional else None
        if known is not None:
            if known.etag:
                headers["If-None-Match"] = known.etag
            if known.last_modified:
                headers["If-Modified-Since"] = known.last_modified
        response = await self._send("GET", url, headers)
        try:
            final_url = str(response.url)
            status = response.status_code
            if status == 304 and known is not None:
                await _discard(response)
                return FetchResult(url=final_url, body=b"", not_modified=True)
            if not 200 <= status < 300:
                await _discard(response)
            if status in (429, 503):
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
                if retry_after is not None:
                    host = urlsplit(url).hostname or ""
                    self._host_not_before[host] = time.monotonic() + retry_after
                raise RateLimited(status, retry_after)
            if not 200 <= status < 300:
                raise HTTPStatusError(status)
            body = await self._read_capped(response)
            self._remember_validators(url, response)
            content_type = response.headers.get("Content-Type")
            return FetchResult(url=final_url, body=body, content_type=content_type)
        finally:
            await response.aclose()

    async def _read_capped(self, response: _Answer) -> bytes:
        declared = response.headers.get("Content-Length", "")
        encoding = response.headers.get("Content-Encoding", "").strip().lower()
        if not encoding and declared.isdigit() and int(declared) > self.max_bytes:
            raise TooLarge(self._too_large())
        decoder = _CappedDecoder(encoding, self.max_bytes, self._too_large())
        parts: list[bytes] = []
        async for chunk in response.aiter_raw(_CHUNK):
            parts.append(decoder.feed(chunk))
        parts.append(decoder.finish())
        return b"".join(parts)

    def _too_large(self) -> str:
        return f"response larger than {_human_size(self.max_bytes)}"

    def _remember_validators(self, url: str, response: _Answer) -> None:
        etag = response.headers.get("ETag")
        last_modified = response.headers.get("Last-Modified")
        if etag or last_modified:
            self._validators[url] = _Validators(etag, last_modified)
        else:
            self._validators.pop(url, None)


async def _discard(response: _Answer) -> None:
    """Reads an unused answer's (small) body to its end: only a response read to its end
    gives its connection back to the pool; one closed early closes the connection."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > _DISCARD_MAX:
        return
    size = 0
    try:
        async for chunk in response.aiter_raw(_CHUNK):
            size += len(chunk)
            if size > _DISCARD_MAX:
                return
    except FetchError:
        pass  # the answer itself was complete: only its connection is lost
    except _httpx_errors():
        pass


class _CappedDecoder:
    """Decompresses gzip/deflate incrementally, never producing more than `limit` bytes."""

    def __init__(self, encoding: str, limit: int, too_large: str) -> None:
        self._limit = limit
        self._too_large = too_large
        self._size = 0
        self._first = True
        self._encoding = encoding
        if encoding in ("", "identity"):
            self._inflater = None
        elif encoding in ("gzip", "x-gzip"):
            self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._inflater = zlib.decompressobj(zlib.MAX_WBITS)
        else:
            raise ConnectionLost(f"unsupported content encoding '{encoding}'")

    def _count(self, data: bytes) -> bytes:
        self._size += len(data)
        if self._size > self._limit:
            raise TooLarge(self._too_large)
        return data

    def feed(self, chunk: bytes) -> bytes:
        if self._inflater is None:
            return self._count(chunk)
        out = []
        data = chunk
        while data and not self._inflater.eof:
            try:
                part = self._inflater.decompress(data, self._limit - self._size + 1)
            except zlib.error as exc:
                if self._first and self._encoding == "deflate":
                    # Some servers send raw deflate without the zlib header.
                    self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                    self._first = False
                    continue
                raise ConnectionLost(f"corrupt {self._encoding} response body") from exc
            self._first = False
            out.append(self._count(part))
            data = self._inflater.unconsumed_tail
        return b"".join(out)

    def finish(self) -> bytes:
        if self._inflater is None:
            return b""
        return self._count(self._inflater.flush(self._limit - self._size + 1))


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP-date); None if absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _httpx_errors() -> tuple[type[Exception], ...]:
    """httpx's own errors (and the addresses it refuses), once httpx is in use."""
    httpx = sys.modules.get("httpx")
    if httpx is None:
        return ()
    return (httpx.HTTPError, httpx.InvalidURL)


def _from_httpx(exc: Exception, url: str, timeout: float) -> FetchError:
    import httpx

    if isinstance(exc, httpx.TimeoutException):
        return FetchTimeout(f"timed out after {timeout:g} s")
    if isinstance(exc, httpx.TooManyRedirects):
        return TooManyRedirects(f"too many redirects (more than {MAX_REDIRECTS})")
    if isinstance(exc, httpx.HTTPError):
        return _translate(exc, url)
    return FetchError(f"not a valid address ({exc})")  # httpx.InvalidURL


def _translate(exc: httpx.HTTPError, url: str) -> FetchError:
    import httpx

    host = urlsplit(url).hostname or url
    causes = list(_causes(exc))
    if isinstance(exc, httpx.UnsupportedProtocol):
        return FetchError("unsupported URL: only http and https are allowed")
    if any(isinstance(c, ssl.SSLCertVerificationError) for c in causes):
        return FetchError(f"TLS certificate of {host} is not trusted")
    if any(isinstance(c, ssl.SSLError) for c in causes):
        return FetchError(f"TLS handshake with {host} failed")
    if isinstance(exc, httpx.ProxyError):
        return NetworkError("the proxy could not be reached")
    if isinstance(exc, httpx.ConnectError):
        if any(isinstance(c, socket.gaierror) for c in causes):
            return NetworkError(f"could not resolve {host}")
        if any(isinstance(c, ConnectionRefusedError) for c in causes):
            return ConnectionRefused(f"connection to {host} refused")
        return NetworkError(f"could not connect to {host}")
    if isinstance(exc, httpx.ReadError | httpx.WriteError):
        return ConnectionLost("connection lost: reset by the server")
    if isinstance(exc, httpx.RemoteProtocolError):
        return ConnectionLost("the server broke off the response")
    if isinstance(exc, httpx.DecodingError):
        return ConnectionLost("the response body could not be decoded")
    return FetchError(f"request failed ({type(exc).__name__})")


def _causes(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _ssl_context(verify: ssl.SSLContext | bool | None) -> ssl.SSLContext:
    if isinstance(verify, ssl.SSLContext):
        return verify
    if verify is False:  # a test against a self-signed server
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    return _system_trust()


def _system_trust() -> ssl.SSLContext:
    # The OS trust store, so corporate roots and revocations apply as in the browser.
    import truststore

    return truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def _human_size(size: int) -> str:
    if size % (1024 * 1024) == 0:
        return f"{size // (1024 * 1024)} MiB"
    if size % 1024 == 0:
        return f"{size // 1024} KiB"
    return f"{size} bytes"
