"""The one HTTP client, and the one place where transport errors become traywatch errors.

Bodies are decompressed here, not by httpx, so that the 5 MiB cap holds for the
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
import time
import zlib
from collections.abc import Coroutine, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx

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


@dataclass(slots=True)
class _Validators:
    etag: str | None
    last_modified: str | None


class Fetcher:
    """Shared by every service; cheap to create, the client is built on first use."""

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
        self._validators: dict[str, _Validators] = {}
        self._host_not_before: dict[str, float] = {}  # time.monotonic() values

    def suits(self, *, timeout: float, max_connections: int) -> bool:
        """Can serve a new configuration as it is (keeping its connections, validators
        and hosts' backoff) instead of being replaced."""
        return self.timeout == timeout and self._max_connections == max_connections

    async def _get_client(self) -> httpx.AsyncClient:
        async with self._client_ready:
            if self._client is None:
                # Loading the trust store and the HTTP stack's lazy imports takes ~100 ms:
                # done in a thread so that the event loop (and the UI on it) never stalls.
                self._client = await asyncio.to_thread(self._build_client)
        return self._client

    def _build_client(self) -> httpx.AsyncClient:
        import anyio._backends._asyncio  # noqa: F401  (imported on the first request otherwise)
        import h11  # noqa: F401

        verify = self._verify if self._verify is not None else _system_trust()
        return httpx.AsyncClient(
            verify=verify,
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

    async def _request(self, method: str, url: str, headers: dict[str, str]) -> RawResponse:
        client = await self._get_client()
        started = time.monotonic()
        response = await client.send(
            client.build_request(method, url, headers=headers), stream=True
        )
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
        except httpx.TimeoutException:
            raise FetchTimeout(f"timed out after {self.timeout:g} s") from None
        except httpx.TooManyRedirects:
            raise TooManyRedirects(f"too many redirects (more than {MAX_REDIRECTS})") from None
        except httpx.HTTPError as exc:
            raise _translate(exc, url) from exc  # which TLS or socket error, for a bug report
        # Addresses and headers the HTTP stack refuses outside its own error types:
        except httpx.InvalidURL as exc:
            raise FetchError(f"not a valid address ({exc})") from exc
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
        client = await self._get_client()
        headers = {}
        known = self._validators.get(url) if conditional else None
        if known is not None:
            if known.etag:
                headers["If-None-Match"] = known.etag
            if known.last_modified:
                headers["If-Modified-Since"] = known.last_modified
        request = client.build_request("GET", url, headers=headers)
        response = await client.send(request, stream=True)
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

    async def _read_capped(self, response: httpx.Response) -> bytes:
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

    def _remember_validators(self, url: str, response: httpx.Response) -> None:
        etag = response.headers.get("ETag")
        last_modified = response.headers.get("Last-Modified")
        if etag or last_modified:
            self._validators[url] = _Validators(etag, last_modified)
        else:
            self._validators.pop(url, None)


async def _discard(response: httpx.Response) -> None:
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
    except httpx.HTTPError:
        pass  # the answer itself was complete: only its connection is lost


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


def _translate(exc: httpx.HTTPError, url: str) -> FetchError:
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
