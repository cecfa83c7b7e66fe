"""A real HTTP server on 127.0.0.1 for tests: serves recorded payloads and
misbehaves on purpose. Runs in a thread; handlers write raw responses so that a
test can send exactly the bytes (or silence) it wants."""

from __future__ import annotations

import contextlib
import http.server
import socket
import ssl
import struct
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

Handler = Callable[["RequestHandler"], None]


@dataclass
class Route:
    handler: Handler
    hits: int = 0
    request_headers: list[dict[str, str]] = field(default_factory=list)


class RequestHandler(http.server.BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    # As the web servers in front of status pages do: otherwise a body written after its
    # headers waits for the client's delayed ACK (40 ms on Linux), a stall no real page has.
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        route = self.server.routes.get(path)
        if route is None:
            self.send_bytes(b'{"error": "not found"}', status=404)
            return
        route.hits += 1
        route.request_headers.append({k.lower(): v for k, v in self.headers.items()})
        route.handler(self)

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep test output clean

    # -- helpers for handlers ----------------------------------------------------------

    def send_bytes(
        self,
        body: bytes,
        status: int = 200,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    @property
    def stopping(self) -> threading.Event:
        return self.server.stopping


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    routes: dict[str, Route]
    stopping: threading.Event
    connections = 0  # TCP connections accepted

    def get_request(self) -> tuple[socket.socket, object]:
        accepted = super().get_request()
        self.connections += 1
        return accepted

    def handle_error(self, request: object, client_address: object) -> None:
        import sys

        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # the client hung up on a misbehaving answer: that is the point
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class StatusServer:
    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self._server = _Server(("127.0.0.1", 0), RequestHandler)
        self._scheme = "https" if tls is not None else "http"
        if tls is not None:
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
        self._server.routes = {}
        self._server.stopping = threading.Event()
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> StatusServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"{self._scheme}://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def route(self, path: str, handler: Handler) -> Route:
        route = Route(handler)
        self._server.routes[path] = route
        return route

    def serve(self, path: str, body: bytes, status: int = 200, **kwargs: object) -> Route:
        return self.route(path, lambda h: h.send_bytes(body, status, **kwargs))  # type: ignore[arg-type]

    @property
    def connections(self) -> int:
        """TCP connections accepted so far: a client that reuses its connections opens few."""
        return self._server.connections

    def hits(self, path: str) -> int:
        return self._server.routes[path].hits


# -- misbehaviours ------------------------------------------------------------------------


def never_answers(h: RequestHandler) -> None:
    h.stopping.wait(60)
    h.close_connection = True


def drips(h: RequestHandler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "application/json")
    h.send_header("Content-Length", "100000")
    h.end_headers()
    with contextlib.suppress(OSError):
        while not h.stopping.wait(1.0):
            h.wfile.write(b" ")
            h.wfile.flush()


def endless_body(total: int = 200 * 1024 * 1024, declare_length: bool = False) -> Handler:
    def handler(h: RequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        if declare_length:
            h.send_header("Content-Length", str(total))
        else:
            h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        chunk = b"[" * 65536
        sent = 0
        with contextlib.suppress(OSError):
            while sent < total and not h.stopping.is_set():
                if declare_length:
                    h.wfile.write(chunk)
                else:
                    h.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
        h.close_connection = True

    return handler


_BOMB_CACHE: dict[int, bytes] = {}


def gzip_bomb_body(inflated: int = 256 * 1024 * 1024) -> bytes:
    """About 1 MB of gzip that inflates to `inflated` bytes of zeros."""
    if inflated not in _BOMB_CACHE:
        block = bytes(1024 * 1024)
        deflater = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        parts = [deflater.compress(block) for _ in range(inflated // len(block))]
        parts.append(deflater.flush())
        _BOMB_CACHE[inflated] = b"".join(parts)
    return _BOMB_CACHE[inflated]


def gzip_bomb(h: RequestHandler) -> None:
    h.send_bytes(gzip_bomb_body(), headers={"Content-Encoding": "gzip"})


def connection_reset(h: RequestHandler) -> None:
    # SO_LINGER with a zero timeout makes close() send RST instead of FIN.
    h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    h.connection.close()
    h.close_connection = True


def reset_mid_body(h: RequestHandler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "application/json")
    h.send_header("Content-Length", "5000")
    h.end_headers()
    h.wfile.write(b'{"status": {"indicator": "none"')
    h.wfile.flush()
    time.sleep(0.05)
    connection_reset(h)


def redirect_to(location: str, status: int = 302) -> Handler:
    def handler(h: RequestHandler) -> None:
        h.send_bytes(b"", status=status, headers={"Location": location})

    return handler
