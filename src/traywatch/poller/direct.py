"""GET and HEAD on kept-alive connections, HTTP/1.1 spoken by h11: the poller's common case.
The commonest answer of all, a whole "304 Not Modified" in one piece that keeps the
connection open, is read without h11 (`_Connection.quick_answer`); h11 reads the rest.

A poll is one small request on a connection that stays open, almost always answered by
"304 Not Modified". Through httpx that cost 2 to 3 ms of CPU (its request and response
models, the auth and redirect machinery, anyio's streams); here a whole poll costs about a
third of that (BENCHMARKS.md), and polls are most of what a tray app that polls all day
spends. Anything this path does not do — a redirect, a proxy, an address it would have to
encode — raises `Declined`, and the caller sends that request through httpx.

Failures are translated here into the same typed errors, with the same words, as
httpx's are in `http.py`."""

from __future__ import annotations

import asyncio
import socket
import ssl
import time
import urllib.request
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import h11

from traywatch.core.errors import ConnectionLost, ConnectionRefused, FetchError, NetworkError

# Received data waiting for the reader; above this the socket is not read until it drains,
# so a server that floods (a 200 MB body) never fills memory faster than the cap is checked.
_PAUSE_ABOVE = 512 * 1024
_PREPARED_MAX = 1024  # requests kept made: a few per service
_DEFAULT_PORTS = {"http": 80, "https": 443}


class Declined(Exception):
    """This request is for httpx (a redirect, an address or header this path does not send)."""


@dataclass(frozen=True, slots=True)
class _Origin:
    scheme: str
    host: str
    port: int


@dataclass(frozen=True, slots=True)
class _Prepared:
    origin: _Origin
    request: h11.Request
    wire: bytes  # the request as sent


class _Headers(dict[str, str]):
    """A response's headers by lower-case name; `get` takes any case, like httpx's."""

    def get(self, name: str, default: str | None = None) -> str | None:  # type: ignore[override]
        return super().get(name.lower(), default)

    def add(self, name: bytes, value: bytes) -> None:
        """One header line's name and value; a repeated name's values joined by commas."""
        key = name.decode("latin-1").lower()
        text = value.decode("latin-1")
        self[key] = f"{self[key]}, {text}" if key in self else text


class _Connection(asyncio.Protocol):
    """One TCP (or TLS) connection; the reader pulls what `data_received` put aside."""

    def __init__(self, origin: _Origin) -> None:
        self.origin = origin
        # h11's state of the exchange in progress; None between exchanges and for one
        # answered by the quick path (`quick_answer`).
        self.h11: h11.Connection | None = None
        self.transport: asyncio.Transport | None = None
        self.idle_since = time.monotonic()
        self._pending: list[bytes] = []
        self._pending_size = 0
        self._eof = False
        self._lost: BaseException | None = None
        self._wake: asyncio.Future[None] | None = None
        self._paused = False

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self._pending.append(data)
        self._pending_size += len(data)
        if self._pending_size > _PAUSE_ABOVE and not self._paused and self.transport:
            self.transport.pause_reading()
            self._paused = True
        self._wake_reader()

    def eof_received(self) -> bool:
        self._eof = True
        self._wake_reader()
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self._eof = True
        self._lost = exc
        self._wake_reader()

    def _wake_reader(self) -> None:
        if self._wake is not None and not self._wake.done():
            self._wake.set_result(None)

    @property
    def reusable(self) -> bool:
        return (
            self.transport is not None
            and not self.transport.is_closing()
            and not self._eof
            and self.h11 is None
        )

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()

    def write(self, data: bytes) -> None:
        if self.transport is not None:
            self.transport.write(data)

    async def quick_answer(self) -> tuple[int, _Headers] | None:
        """The answer, if what arrived first is one whole answer without a body that
        leaves the connection open — "304 Not Modified", what almost every poll gets —
        read without h11; None for anything else, which h11 then reads from the start."""
        while not self._pending and not self._eof:
            await self._wait()
        if len(self._pending) != 1:
            return None
        data = self._pending[0]
        if not data.startswith(b"HTTP/1.1 304 ") or data.find(b"\r\n\r\n") != len(data) - 4:
            return None
        headers = _Headers()
        for line in data[:-4].split(b"\r\n")[1:]:
            name, colon, value = line.partition(b":")
            if not colon or not name or name[-1:] in b" \t" or line[:1] in b" \t":
                return None  # not plainly "Name: value": h11 says what is wrong
            headers.add(name, value.strip(b" \t"))
        if "close" in (headers.get("connection") or "").lower():
            return None
        self._pending.clear()
        self._pending_size = 0
        return 304, headers

    async def _wait(self) -> None:
        self._wake = asyncio.get_running_loop().create_future()
        try:
            await self._wake
        finally:
            self._wake = None

    def start_h11(self, request: h11.Request) -> None:
        """h11 reads this exchange's answer (the request itself was already written)."""
        self.h11 = h11.Connection(h11.CLIENT)
        self.h11.send(request)
        self.h11.send(h11.EndOfMessage())

    async def next_event(self) -> h11.Event:
        assert self.h11 is not None
        while True:
            event = self.h11.next_event()
            if event is h11.PAUSED:  # more after the end of the answer: not HTTP/1.1
                raise ConnectionLost("the server broke off the response")
            if isinstance(event, h11.Event):
                return event
            if self._pending:
                data = b"".join(self._pending)
                self._pending.clear()
                self._pending_size = 0
                if self._paused and self.transport is not None:
                    self._paused = False
                    self.transport.resume_reading()
                self.h11.receive_data(data)
            elif self._eof:
                if isinstance(self._lost, ConnectionResetError):
                    raise ConnectionLost("connection lost: reset by the server")
                self.h11.receive_data(b"")
            else:
                await self._wait()


@dataclass(slots=True)
class DirectResponse:
    """The part of httpx.Response that `Fetcher` reads, for an answer read here."""

    status_code: int
    headers: _Headers
    url: str
    _connection: _Connection
    _release: Callable[[_Connection, bool], None]
    _done: bool = False

    async def aiter_raw(self, chunk_size: int = 0) -> AsyncIterator[bytes]:
        del chunk_size  # chunks come as the socket delivers them
        while not self._done:
            event = await _guard(self._connection.next_event())
            if isinstance(event, h11.Data):
                yield bytes(event.data)
            elif isinstance(event, h11.EndOfMessage):
                self._done = True
                self._release(self._connection, True)

    async def aclose(self) -> None:
        if not self._done:  # not read to its end: the connection's state is unknown
            self._done = True
            self._release(self._connection, False)


@dataclass
class DirectClient:
    """Kept-alive connections by origin, at most `max_idle` of them idle at once."""

    ssl_context: Callable[[], Awaitable[ssl.SSLContext]]
    user_agent: str
    max_idle: int = 16
    keepalive: float = 15 * 60.0
    _idle: dict[_Origin, list[_Connection]] = field(default_factory=dict)
    _redirecting: set[str] = field(default_factory=set)  # URLs whose answer was a redirect
    _open: set[_Connection] = field(default_factory=set)
    _prepared: dict[tuple[object, ...], _Prepared] = field(default_factory=dict)
    # A proxy from the environment is httpx's job (as are NO_PROXY's exceptions to it).
    _proxied: bool = field(default_factory=lambda: bool(urllib.request.getproxies_environment()))

    def accepts(self, url: str) -> bool:
        return not self._proxied and url not in self._redirecting

    async def send(self, method: str, url: str, headers: Mapping[str, str]) -> DirectResponse:
        """Raises `Declined` for what httpx must do, a FetchError for what failed."""
        key = (method, url, *headers.items())
        prepared = self._prepared.get(key)
        if prepared is None:
            prepared = self._prepare(method, url, headers)
            if len(self._prepared) >= _PREPARED_MAX:
                self._prepared.clear()
            self._prepared[key] = prepared
        origin = prepared.origin
        while True:
            connection = self._take_idle(origin)
            reused = connection is not None
            if connection is None:
                connection = await self._connect(origin)
            try:
                response = await self._exchange(connection, prepared, url)
            except ConnectionLost:
                connection.close()
                self._open.discard(connection)
                if reused:
                    continue  # the server had closed it while it was idle: a new one
                raise
            except BaseException:
                connection.close()
                self._open.discard(connection)
                raise
            redirect = response.status_code in (301, 302, 303, 307, 308)
            if redirect and response.headers.get("Location"):
                await _discard_rest(response)
                self._redirecting.add(url)
                raise Declined(f"{url} redirects")
            return response

    def _prepare(self, method: str, url: str, headers: Mapping[str, str]) -> _Prepared:
        # Made once per address and headers: a poll asks the same as the previous one
        # until the page's ETag changes, and h11 checks every header it is given.
        origin, target = _split(url)
        # The user's headers (an endpoint's token, its own Accept) replace the defaults.
        fields = {
            "host": ("Host", _host_header(origin)),
            "accept": ("Accept", "*/*"),
            "accept-encoding": ("Accept-Encoding", "gzip, deflate"),
            "connection": ("Connection", "keep-alive"),
            "user-agent": ("User-Agent", self.user_agent),
        }
        for name, value in headers.items():
            if name.lower() in ("host", "connection", "content-length", "transfer-encoding"):
                raise Declined(f"a {name} header of the user's")
            fields[name.lower()] = (_ascii(name), _ascii(value))
        try:
            request = h11.Request(method=method, target=target, headers=list(fields.values()))
        except h11.LocalProtocolError as exc:  # a header h11 will not send: httpx explains
            raise Declined(str(exc)) from exc
        wire = h11.Connection(h11.CLIENT).send(request)
        assert wire is not None
        return _Prepared(origin, request, wire)

    async def _exchange(
        self, connection: _Connection, prepared: _Prepared, url: str
    ) -> DirectResponse:
        connection.write(prepared.wire)
        quick = await connection.quick_answer()
        if quick is not None:
            status, quick_headers = quick
            self._release(connection, True)
            return DirectResponse(status, quick_headers, url, connection, self._release, _done=True)
        connection.start_h11(prepared.request)
        while True:
            event = await _guard(connection.next_event())
            if isinstance(event, h11.InformationalResponse):
                continue
            if not isinstance(event, h11.Response):
                raise ConnectionLost("the server broke off the response")
            headers = _Headers()
            for name, value in event.headers:
                headers.add(name, value)
            return DirectResponse(event.status_code, headers, url, connection, self._release)

    def _take_idle(self, origin: _Origin) -> _Connection | None:
        idle = self._idle.get(origin)
        now = time.monotonic()
        while idle:
            connection = idle.pop()
            if connection.reusable and now - connection.idle_since < self.keepalive:
                return connection
            connection.close()
            self._open.discard(connection)
        return None

    def _release(self, connection: _Connection, complete: bool) -> None:
        exchange = connection.h11
        # Kept alive, the next exchange starts afresh; not after bytes past the end of
        # the answer (not HTTP as it should be: never read as the next poll's answer).
        if (
            complete
            and exchange is not None
            and exchange.states == {h11.CLIENT: h11.DONE, h11.SERVER: h11.DONE}
            and not exchange.trailing_data[0]
        ):
            connection.h11 = None
        if not complete or not connection.reusable:
            connection.close()
            self._open.discard(connection)
            return
        connection.idle_since = time.monotonic()
        origin_idle = self._idle.setdefault(connection.origin, [])
        origin_idle.append(connection)
        idle = [c for cs in self._idle.values() for c in cs]
        if len(idle) > self.max_idle:
            oldest = min(idle, key=lambda c: c.idle_since)
            for connections in self._idle.values():
                if oldest in connections:
                    connections.remove(oldest)
            oldest.close()
            self._open.discard(oldest)

    async def _connect(self, origin: _Origin) -> _Connection:
        context = await self.ssl_context() if origin.scheme == "https" else None
        loop = asyncio.get_running_loop()
        try:
            _, connection = await loop.create_connection(
                lambda: _Connection(origin),
                origin.host,
                origin.port,
                ssl=context,
                server_hostname=origin.host if context is not None else None,
                happy_eyeballs_delay=0.25,
            )
        except socket.gaierror as exc:
            raise NetworkError(f"could not resolve {origin.host}") from exc
        except ssl.SSLCertVerificationError as exc:
            raise FetchError(f"TLS certificate of {origin.host} is not trusted") from exc
        except ssl.SSLError as exc:
            raise FetchError(f"TLS handshake with {origin.host} failed") from exc
        except ConnectionRefusedError as exc:
            raise ConnectionRefused(f"connection to {origin.host} refused") from exc
        except OSError as exc:
            raise NetworkError(f"could not connect to {origin.host}") from exc
        self._open.add(connection)
        return connection

    async def aclose(self) -> None:
        for connection in list(self._open):
            connection.close()
        self._open.clear()
        self._idle.clear()


async def _guard(step: Awaitable[h11.Event]) -> h11.Event:
    """One read step, its failures in traywatch's words."""
    try:
        return await step
    except h11.RemoteProtocolError as exc:
        raise ConnectionLost("the server broke off the response") from exc


async def _discard_rest(response: DirectResponse) -> None:
    try:
        async for _ in response.aiter_raw():
            pass
    except FetchError:
        pass
    await response.aclose()


def _split(url: str) -> tuple[_Origin, str]:
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise Declined("an address httpx should explain") from exc
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or parts.username is not None or parts.password is not None:
        raise Declined("not a plain http(s) address")
    host = parts.hostname or ""
    try:
        port = parts.port or _DEFAULT_PORTS[scheme]
    except ValueError as exc:
        raise Declined("a port httpx should explain") from exc
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    if not host or not (host + target).isascii() or any(c <= " " for c in host + target):
        raise Declined("an address that needs encoding")
    if any(label.startswith("xn--") for label in host.split(".")):
        raise Declined("an international host name, which httpx checks")
    return _Origin(scheme, host, port), target


def _host_header(origin: _Origin) -> str:
    host = f"[{origin.host}]" if ":" in origin.host else origin.host
    if origin.port == _DEFAULT_PORTS[origin.scheme]:
        return host
    return f"{host}:{origin.port}"


def _ascii(value: str) -> str:
    value.encode("ascii")  # UnicodeEncodeError: the caller says it without the value
    return value
